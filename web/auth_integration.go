package web

import (
	"net/http"
	"time"

	"github.com/julienschmidt/httprouter"

	"gatehouse/app"
)

// testLinkTTL is how long an auth integration's test_url stays valid.
const testLinkTTL = 24 * time.Hour

// authIntegrationJSON is the contract's AuthIntegration; the client secret
// is write-only and never appears.
type authIntegrationJSON struct {
	ID        string                    `json:"id"`
	Name      string                    `json:"name"`
	Type      string                    `json:"type"`
	Config    authIntegrationConfigJSON `json:"config"`
	TestURL   string                    `json:"test_url"`
	CreatedAt string                    `json:"created_at"`
}

type authIntegrationConfigJSON struct {
	ClientID string `json:"client_id"`
	Tenant   string `json:"tenant,omitempty"`
}

// authIntegrationRequest is the contract's AuthIntegrationRequest. On
// update absent fields, including config.client_secret, keep their value.
type authIntegrationRequest struct {
	Name   optional[string]        `json:"name"`
	Type   optional[string]        `json:"type"`
	Config optional[configRequest] `json:"config"`
}

type configRequest struct {
	ClientID     optional[string] `json:"client_id"`
	ClientSecret optional[string] `json:"client_secret"`
	Tenant       optional[string] `json:"tenant"`
}

func (req *authIntegrationRequest) applyTo(a *app.AuthIntegration) {
	req.Name.apply(&a.Name)
	req.Type.apply(&a.Type)
	if req.Config.given() {
		c := req.Config.value
		c.ClientID.apply(&a.ClientID)
		c.ClientSecret.apply(&a.ClientSecret)
		c.Tenant.apply(&a.Tenant)
	}
}

func (s *Server) authIntegrationJSON(a app.AuthIntegration) authIntegrationJSON {
	return authIntegrationJSON{
		ID:        a.ID,
		Name:      a.Name,
		Type:      a.Type,
		Config:    authIntegrationConfigJSON{ClientID: a.ClientID, Tenant: a.Tenant},
		TestURL:   s.links.URL(http.MethodGet, "/oauth2/test/"+a.ID, nil, testLinkTTL),
		CreatedAt: timeString(a.CreatedAt),
	}
}

// listAuthIntegrations serves GET /captive/auth-integrations: every OAuth2
// integration, each with a signed link that tests its sign-in.
func (s *Server) listAuthIntegrations(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	list, err := s.store.ListAuthIntegrations(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := make([]authIntegrationJSON, 0, len(list))
	for _, a := range list {
		out = append(out, s.authIntegrationJSON(a))
	}
	writeJSON(w, http.StatusOK, out)
}

// createAuthIntegration serves POST /captive/auth-integrations: a new OAuth2
// integration from name, type and config; 201 with its Location.
func (s *Server) createAuthIntegration(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	var req authIntegrationRequest
	if err := decodeJSON(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := requireFields(field{"name", req.Name.given()}, field{"type", req.Type.given()}, field{"config", req.Config.given()}); err != nil {
		s.writeError(w, r, err)
		return
	}
	var a app.AuthIntegration
	req.applyTo(&a)
	a, err := s.store.CreateAuthIntegration(r.Context(), a)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeCreated(w, resourcePath("/captive/auth-integrations", a.ID), s.authIntegrationJSON(a))
}

// getAuthIntegration serves GET /captive/auth-integrations/:authIntegrationId:
// one OAuth2 integration.
func (s *Server) getAuthIntegration(w http.ResponseWriter, r *http.Request, p httprouter.Params) {
	a, err := s.store.AuthIntegration(r.Context(), p.ByName("authIntegrationId"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.authIntegrationJSON(a))
}

// updateAuthIntegration serves PUT /captive/auth-integrations/:authIntegrationId:
// a partial update of the fields sent.
func (s *Server) updateAuthIntegration(w http.ResponseWriter, r *http.Request, p httprouter.Params) {
	var req authIntegrationRequest
	if err := decodeJSON(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	a, err := s.store.UpdateAuthIntegration(r.Context(), p.ByName("authIntegrationId"), func(a *app.AuthIntegration) error {
		req.applyTo(a)
		return nil
	})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.authIntegrationJSON(a))
}

// deleteAuthIntegration serves DELETE /captive/auth-integrations/:authIntegrationId:
// the integration is removed; 204.
func (s *Server) deleteAuthIntegration(w http.ResponseWriter, r *http.Request, p httprouter.Params) {
	if err := s.store.DeleteAuthIntegration(r.Context(), p.ByName("authIntegrationId")); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
