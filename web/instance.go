package web

import (
	"net/http"

	"github.com/julienschmidt/httprouter"

	"gatehouse/app"
)

// instanceJSON is the contract's Instance.
type instanceJSON struct {
	ID                string             `json:"id"`
	AuthIntegrationID *string            `json:"auth_integration_id"`
	Strategy          string             `json:"strategy"`
	Name              string             `json:"name"`
	SessionTTL        int                `json:"session_ttl"`
	AuthWindowTTL     int                `json:"auth_window_ttl"`
	Theme             themeJSON          `json:"theme"`
	TermsText         *string            `json:"terms_text"`
	TermsTranslations map[string]string  `json:"terms_translations"`
	Sites             []instanceSiteJSON `json:"sites"`
	CreatedAt         string             `json:"created_at"`
	PreviewURL        *string            `json:"preview_url"`
	Locale            string             `json:"locale"`
	CouponLength      int                `json:"coupon_length"`
	CouponCharset     string             `json:"coupon_charset"`
	WifiName          *string            `json:"wifi_name"`
}

// themeJSON is the contract's Theme. Logo and icon are signed links to the
// uploaded images, absent until an image is uploaded.
type themeJSON struct {
	Logo               string `json:"logo,omitempty"`
	Icon               string `json:"icon,omitempty"`
	AccentText         string `json:"accent_text"`
	AccentColor        string `json:"accent_color"`
	TextColor          string `json:"text_color"`
	SecondaryTextColor string `json:"secondary_text_color"`
	BackgroundColor    string `json:"background_color"`
	BorderColor        string `json:"border_color"`
	BoxColor           string `json:"box_color"`
}

// instanceSiteJSON is the contract's InstanceSite.
type instanceSiteJSON struct {
	ID      string   `json:"id"`
	Subnets []string `json:"subnets"`
}

// instanceRequest is InstanceCreateRequest and InstanceUpdateRequest: on
// update, absent fields keep their stored value.
type instanceRequest struct {
	Name              optional[string]             `json:"name"`
	Strategy          optional[string]             `json:"strategy"`
	SessionTTL        optional[int]                `json:"session_ttl"`
	AuthIntegrationID optional[string]             `json:"auth_integration_id"`
	AuthWindowTTL     optional[int]                `json:"auth_window_ttl"`
	Theme             optional[themeRequest]       `json:"theme"`
	TermsText         optional[string]             `json:"terms_text"`
	TermsTranslations optional[map[string]string]  `json:"terms_translations"`
	Sites             optional[[]instanceSiteJSON] `json:"sites"`
	Locale            optional[string]             `json:"locale"`
	CouponLength      optional[int]                `json:"coupon_length"`
	CouponCharset     optional[string]             `json:"coupon_charset"`
	WifiName          optional[string]             `json:"wifi_name"`
}

// themeRequest is the writable part of Theme; absent colours keep their value.
type themeRequest struct {
	AccentText         optional[string] `json:"accent_text"`
	AccentColor        optional[string] `json:"accent_color"`
	TextColor          optional[string] `json:"text_color"`
	SecondaryTextColor optional[string] `json:"secondary_text_color"`
	BackgroundColor    optional[string] `json:"background_color"`
	BorderColor        optional[string] `json:"border_color"`
	BoxColor           optional[string] `json:"box_color"`
}

// requireCreate checks the fields the contract requires on create.
func (req *instanceRequest) requireCreate() error {
	return requireFields(field{"name", req.Name.given()}, field{"strategy", req.Strategy.given()},
		field{"session_ttl", req.SessionTTL.given()})
}

// applyTo copies the fields the client sent onto in.
func (req *instanceRequest) applyTo(in *app.Instance) {
	req.Name.apply(&in.Name)
	req.Strategy.apply(&in.Strategy)
	req.SessionTTL.apply(&in.SessionTTL)
	req.AuthIntegrationID.apply(&in.AuthIntegrationID)
	req.AuthWindowTTL.apply(&in.AuthWindowTTL)
	req.TermsText.apply(&in.TermsText)
	req.TermsTranslations.apply(&in.TermsTranslations)
	req.Locale.apply(&in.Locale)
	req.CouponLength.apply(&in.CouponLength)
	req.CouponCharset.apply(&in.CouponCharset)
	req.WifiName.apply(&in.WifiName)
	if req.Sites.set {
		in.Sites = make([]app.InstanceSite, 0, len(req.Sites.value))
		for _, s := range req.Sites.value {
			in.Sites = append(in.Sites, app.InstanceSite{ID: s.ID, Subnets: s.Subnets})
		}
	}
	if req.Theme.set && !req.Theme.null {
		t := req.Theme.value
		t.AccentText.apply(&in.Theme.AccentText)
		t.AccentColor.apply(&in.Theme.AccentColor)
		t.TextColor.apply(&in.Theme.TextColor)
		t.SecondaryTextColor.apply(&in.Theme.SecondaryTextColor)
		t.BackgroundColor.apply(&in.Theme.BackgroundColor)
		t.BorderColor.apply(&in.Theme.BorderColor)
		t.BoxColor.apply(&in.Theme.BoxColor)
	} else if req.Theme.null {
		in.Theme = app.DefaultTheme()
	}
}

// decodeInstanceCreate turns a create request body into a new instance
// with defaults for what the client left out. The store validates it.
func decodeInstanceCreate(r *http.Request) (app.Instance, error) {
	var req instanceRequest
	if err := decodeJSON(r, &req); err != nil {
		return app.Instance{}, err
	}
	if err := req.requireCreate(); err != nil {
		return app.Instance{}, err
	}
	in := app.NewInstance()
	req.applyTo(&in)
	return in, nil
}

func (s *Server) instanceJSON(in app.Instance) instanceJSON {
	t := in.Theme
	out := instanceJSON{
		ID:                in.ID,
		AuthIntegrationID: stringPtr(in.AuthIntegrationID),
		Strategy:          in.Strategy,
		Name:              in.Name,
		SessionTTL:        in.SessionTTL,
		AuthWindowTTL:     in.AuthWindowTTL,
		Theme: themeJSON{
			AccentText: t.AccentText, AccentColor: t.AccentColor, TextColor: t.TextColor,
			SecondaryTextColor: t.SecondaryTextColor, BackgroundColor: t.BackgroundColor,
			BorderColor: t.BorderColor, BoxColor: t.BoxColor,
		},
		TermsText:         stringPtr(in.TermsText),
		TermsTranslations: termsTranslations(in.TermsTranslations),
		Sites:             make([]instanceSiteJSON, 0, len(in.Sites)),
		CreatedAt:         timeString(in.CreatedAt),
		PreviewURL:        stringPtr(s.previewURL(in.ID)),
		Locale:            in.Locale,

		CouponLength:  in.CouponLength,
		CouponCharset: in.CouponCharset,
		WifiName:      stringPtr(in.WifiName),
	}
	out.Theme.Logo, out.Theme.Icon = s.imageURLs(in)
	for _, site := range in.Sites {
		subnets := site.Subnets
		if subnets == nil {
			subnets = []string{}
		}
		out.Sites = append(out.Sites, instanceSiteJSON{ID: site.ID, Subnets: subnets})
	}
	return out
}

// termsTranslations is never null in JSON: {} when there are none.
func termsTranslations(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

// listInstances serves GET /captive/instances: every instance.
func (s *Server) listInstances(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	list, err := s.store.ListInstances(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := make([]instanceJSON, 0, len(list))
	for _, in := range list {
		out = append(out, s.instanceJSON(in))
	}
	writeJSON(w, http.StatusOK, out)
}

// createInstance serves POST /captive/instances: a new instance, which the
// routers are told of; 201 with its Location.
func (s *Server) createInstance(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	in, err := decodeInstanceCreate(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	in, err = s.store.CreateInstance(r.Context(), in)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.changed()
	writeCreated(w, resourcePath("/captive/instances", in.ID), s.instanceJSON(in))
}

// getInstance serves GET /captive/instances/:instanceId: one instance.
func (s *Server) getInstance(w http.ResponseWriter, r *http.Request, p httprouter.Params) {
	in, err := s.store.Instance(r.Context(), p.ByName("instanceId"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.instanceJSON(in))
}

// updateInstance serves PUT /captive/instances/:instanceId: a partial update
// of the fields sent, which the routers are told of.
func (s *Server) updateInstance(w http.ResponseWriter, r *http.Request, p httprouter.Params) {
	var req instanceRequest
	if err := decodeJSON(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	in, err := s.store.UpdateInstance(r.Context(), p.ByName("instanceId"), func(in *app.Instance) error {
		req.applyTo(in)
		return nil
	})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.changed()
	writeJSON(w, http.StatusOK, s.instanceJSON(in))
}

// deleteInstance serves DELETE /captive/instances/:instanceId: the instance
// is removed and the routers are told; 204.
func (s *Server) deleteInstance(w http.ResponseWriter, r *http.Request, p httprouter.Params) {
	if err := s.store.DeleteInstance(r.Context(), p.ByName("instanceId")); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.changed()
	w.WriteHeader(http.StatusNoContent)
}
