package web

import (
	"net/http"

	"github.com/julienschmidt/httprouter"

	"gatehouse/app"
)

// notificationGroupJSON is the contract's NotificationGroup (a gatehouse
// extension). The webhook secret is shown once, in the answer to the
// create request; it is empty, and so left out, everywhere else.
type notificationGroupJSON struct {
	ID            string   `json:"id"`
	Name          string   `json:"name"`
	Emails        []string `json:"emails"`
	WebhookURL    *string  `json:"webhook_url"`
	WebhookSecret string   `json:"webhook_secret,omitempty"`
	CreatedAt     string   `json:"created_at"`
}

// notificationGroupRequest is the contract's NotificationGroupRequest; on
// update absent fields keep their stored value, webhook_url null removes
// the webhook and an absent or null webhook_secret keeps the stored one.
type notificationGroupRequest struct {
	Name          optional[string]   `json:"name"`
	Emails        optional[[]string] `json:"emails"`
	WebhookURL    optional[string]   `json:"webhook_url"`
	WebhookSecret optional[string]   `json:"webhook_secret"`
}

// applyTo copies the sent fields onto g; emails null means none.
func (req *notificationGroupRequest) applyTo(g *app.NotificationGroup) {
	req.Name.apply(&g.Name)
	req.Emails.apply(&g.Emails)
	req.WebhookURL.apply(&g.WebhookURL)
	req.WebhookSecret.apply(&g.WebhookSecret)
}

// notificationGroupToJSON encodes g without its webhook secret.
func notificationGroupToJSON(g app.NotificationGroup) notificationGroupJSON {
	emails := g.Emails
	if emails == nil {
		emails = []string{}
	}
	return notificationGroupJSON{
		ID:         g.ID,
		Name:       g.Name,
		Emails:     emails,
		WebhookURL: stringPtr(g.WebhookURL),
		CreatedAt:  timeString(g.CreatedAt),
	}
}

// listNotificationGroups serves GET /captive/notification-groups: every
// group that schedules notify.
func (s *Server) listNotificationGroups(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	list, err := s.store.ListNotificationGroups(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := make([]notificationGroupJSON, 0, len(list))
	for _, g := range list {
		out = append(out, notificationGroupToJSON(g))
	}
	writeJSON(w, http.StatusOK, out)
}

// createNotificationGroup serves POST /captive/notification-groups: a new
// group; the 201 is the only answer that shows its webhook secret.
func (s *Server) createNotificationGroup(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	var req notificationGroupRequest
	if err := decodeJSON(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := requireFields(field{"name", req.Name.given()}); err != nil {
		s.writeError(w, r, err)
		return
	}
	var g app.NotificationGroup
	req.applyTo(&g)
	g, err := s.store.CreateNotificationGroup(r.Context(), g)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := notificationGroupToJSON(g)
	out.WebhookSecret = g.WebhookSecret
	writeCreated(w, resourcePath("/captive/notification-groups", g.ID), out)
}

// getNotificationGroup serves GET /captive/notification-groups/:notificationGroupId:
// one group, without its webhook secret.
func (s *Server) getNotificationGroup(w http.ResponseWriter, r *http.Request, p httprouter.Params) {
	g, err := s.store.NotificationGroup(r.Context(), p.ByName("notificationGroupId"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, notificationGroupToJSON(g))
}

// updateNotificationGroup serves PUT /captive/notification-groups/:notificationGroupId:
// a partial update of the fields sent.
func (s *Server) updateNotificationGroup(w http.ResponseWriter, r *http.Request, p httprouter.Params) {
	var req notificationGroupRequest
	if err := decodeJSON(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	g, err := s.store.UpdateNotificationGroup(r.Context(), p.ByName("notificationGroupId"), func(g *app.NotificationGroup) error {
		req.applyTo(g)
		return nil
	})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, notificationGroupToJSON(g))
}

// deleteNotificationGroup serves DELETE /captive/notification-groups/:notificationGroupId:
// the group is removed; 204.
func (s *Server) deleteNotificationGroup(w http.ResponseWriter, r *http.Request, p httprouter.Params) {
	if err := s.store.DeleteNotificationGroup(r.Context(), p.ByName("notificationGroupId")); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
