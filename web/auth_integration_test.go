package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestAuthIntegrationLifecycle(t *testing.T) {
	e := newEnv(t, "")
	r := e.admin(http.MethodPost, "/captive/auth-integrations", map[string]any{
		"name": "Azure AD - Corporate", "type": "azure",
		"config": map[string]any{"client_id": "a1b2", "client_secret": "very-secret-value", "tenant": "organizations"}})
	wantStatus(t, r, http.StatusCreated)
	if strings.Contains(string(r.body), "very-secret-value") {
		t.Fatal("client_secret returned")
	}
	a := r.object(t)
	id := a["id"].(string)
	cfg := a["config"].(map[string]any)
	if cfg["client_id"] != "a1b2" || cfg["tenant"] != "organizations" {
		t.Errorf("config = %v", cfg)
	}
	u, err := url.Parse(a["test_url"].(string))
	if err != nil || u.Host != "gatehouse.test" || u.Path != "/oauth2/test/"+id || u.Query().Get("signature") == "" || u.Query().Get("expires") == "" {
		t.Errorf("test_url = %v, want a signed link under the base URL", a["test_url"])
	}

	// Partial update without the secret keeps it.
	r = e.admin(http.MethodPut, "/captive/auth-integrations/"+id, map[string]any{"name": "Corp", "config": map[string]any{"tenant": "common"}})
	wantStatus(t, r, http.StatusOK)
	stored, err := e.store.AuthIntegration(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	if stored.ClientSecret != "very-secret-value" || stored.Tenant != "common" || stored.Name != "Corp" || stored.ClientID != "a1b2" {
		t.Fatalf("after partial update: %+v", stored)
	}
	r = e.admin(http.MethodPut, "/captive/auth-integrations/"+id, map[string]any{"config": map[string]any{"client_secret": "rotated"}})
	wantStatus(t, r, http.StatusOK)
	if stored, _ = e.store.AuthIntegration(t.Context(), id); stored.ClientSecret != "rotated" {
		t.Fatalf("secret not rotated")
	}

	var list []map[string]any
	e.admin(http.MethodGet, "/captive/auth-integrations", nil).json(t, &list)
	if len(list) != 1 {
		t.Fatalf("list = %v", list)
	}
	wantStatus(t, e.admin(http.MethodGet, "/captive/auth-integrations/"+id, nil), http.StatusOK)
	wantStatus(t, e.admin(http.MethodDelete, "/captive/auth-integrations/"+id, nil), http.StatusNoContent)
	wantError(t, e.admin(http.MethodGet, "/captive/auth-integrations/"+id, nil), http.StatusNotFound, "resource_missing", "")
}

func TestAuthIntegrationBadInput(t *testing.T) {
	e := newEnv(t, "")
	cfg := map[string]any{"client_id": "x", "client_secret": "y"}
	cases := []struct {
		name  string
		body  any
		code  string
		param string
	}{
		{"missing name", map[string]any{"type": "google", "config": cfg}, "parameter_missing", "name"},
		{"missing type", map[string]any{"name": "n", "config": cfg}, "parameter_missing", "type"},
		{"missing config", map[string]any{"name": "n", "type": "google"}, "parameter_missing", "config"},
		{"bad type", map[string]any{"name": "n", "type": "facebook", "config": cfg}, "parameter_invalid", "type"},
		{"missing client_id", map[string]any{"name": "n", "type": "github", "config": map[string]any{"client_secret": "y"}}, "parameter_missing", "config.client_id"},
		{"missing client_secret", map[string]any{"name": "n", "type": "github", "config": map[string]any{"client_id": "x"}}, "parameter_missing", "config.client_secret"},
		{"azure without tenant", map[string]any{"name": "n", "type": "azure", "config": cfg}, "parameter_missing", "config.tenant"},
		{"azure bad tenant", map[string]any{"name": "n", "type": "azure", "config": map[string]any{"client_id": "x", "client_secret": "y", "tenant": "a b"}}, "parameter_invalid", "config.tenant"},
		{"unknown config key", map[string]any{"name": "n", "type": "google", "config": map[string]any{"client_id": "x", "client_secret": "y", "scope": "z"}}, "unknown_parameter", "scope"},
		{"config not object", map[string]any{"name": "n", "type": "google", "config": "x"}, "parameter_invalid", "config"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wantError(t, e.admin(http.MethodPost, "/captive/auth-integrations", tc.body), http.StatusBadRequest, tc.code, tc.param)
		})
	}
	if r := e.admin(http.MethodGet, "/captive/auth-integrations", nil); string(r.body) != "[]\n" {
		t.Fatalf("bad input created integrations: %s", r.body)
	}
}
