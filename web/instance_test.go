package web_test

import (
	"net/http"
	"strings"
	"testing"

	"gatehouse/app"
)

func createInstance(t testing.TB, e *env, body map[string]any) map[string]any {
	t.Helper()
	r := e.admin(http.MethodPost, "/captive/instances", body)
	wantStatus(t, r, http.StatusCreated)
	return r.object(t)
}

func createIntegration(t testing.TB, e *env) string {
	t.Helper()
	r := e.admin(http.MethodPost, "/captive/auth-integrations", map[string]any{
		"name": "Google", "type": "google", "config": map[string]any{"client_id": "cid", "client_secret": "csecret"}})
	wantStatus(t, r, http.StatusCreated)
	return r.object(t)["id"].(string)
}

func TestInstanceLifecycle(t *testing.T) {
	e := newEnv(t, "")
	siteID := createSite(t, e, map[string]any{"name": "Lobby", "host": "127.0.0.1", "username": "api"})["id"].(string)
	in := createInstance(t, e, map[string]any{
		"name": "Guest WiFi", "strategy": "coupon", "session_ttl": 3600,
		"auth_integration_id": "c4d5e6f7-8a9b-0c1d-2e3f-4a5b6c7d8e9f", // dropped: coupon instances have none
		"sites":               []any{map[string]any{"id": siteID, "subnets": []string{"10.5.50.0/24"}}},
		"theme":               map[string]any{"accent_color": "#FF0000"},
	})
	id := in["id"].(string)
	if in["auth_integration_id"] != nil {
		t.Errorf("coupon instance auth_integration_id = %v, want null", in["auth_integration_id"])
	}
	if in["auth_window_ttl"] != float64(300) || in["locale"] != "en" {
		t.Errorf("defaults: auth_window_ttl=%v locale=%v, want 300 en", in["auth_window_ttl"], in["locale"])
	}
	theme := in["theme"].(map[string]any)
	if theme["accent_color"] != "#ff0000" || theme["box_color"] != "#ffffff" {
		t.Errorf("theme = %v, want accent #ff0000 and default box colour", theme)
	}

	// Partial PUT: change the name only; everything else stays.
	r := e.admin(http.MethodPut, "/captive/instances/"+id, map[string]any{"name": "Lobby WiFi"})
	wantStatus(t, r, http.StatusOK)
	got := r.object(t)
	if got["name"] != "Lobby WiFi" || got["session_ttl"] != float64(3600) || len(got["sites"].([]any)) != 1 {
		t.Fatalf("partial update lost fields: %s", r.body)
	}
	if got["theme"].(map[string]any)["accent_color"] != "#ff0000" {
		t.Errorf("partial update reset the theme: %v", got["theme"])
	}

	// Switch to oauth2 with an integration; null terms clears them.
	integ := createIntegration(t, e)
	r = e.admin(http.MethodPut, "/captive/instances/"+id, map[string]any{
		"strategy": "oauth2", "auth_integration_id": integ, "terms_text": "Be nice", "auth_window_ttl": 600, "locale": "pt-BR"})
	wantStatus(t, r, http.StatusOK)
	got = r.object(t)
	if got["auth_integration_id"] != integ || got["terms_text"] != "Be nice" || got["auth_window_ttl"] != float64(600) {
		t.Fatalf("oauth2 switch: %s", r.body)
	}
	r = e.admin(http.MethodPut, "/captive/instances/"+id, map[string]any{"terms_text": nil, "sites": []any{}})
	wantStatus(t, r, http.StatusOK)
	if got = r.object(t); got["terms_text"] != nil || len(got["sites"].([]any)) != 0 {
		t.Fatalf("null terms / empty sites not applied: %s", r.body)
	}

	// The integration is in use now: deleting it is a conflict.
	wantError(t, e.admin(http.MethodDelete, "/captive/auth-integrations/"+integ, nil), http.StatusConflict, "resource_conflict", "")

	var list []map[string]any
	e.admin(http.MethodGet, "/captive/instances", nil).json(t, &list)
	if len(list) != 1 || list[0]["name"] != "Lobby WiFi" {
		t.Fatalf("list = %v", list)
	}
	wantStatus(t, e.admin(http.MethodDelete, "/captive/instances/"+id, nil), http.StatusNoContent)
	wantError(t, e.admin(http.MethodGet, "/captive/instances/"+id, nil), http.StatusNotFound, "resource_missing", "")
	wantStatus(t, e.admin(http.MethodDelete, "/captive/auth-integrations/"+integ, nil), http.StatusNoContent)
}

func TestInstanceBadInput(t *testing.T) {
	e := newEnv(t, "")
	siteID := createSite(t, e, map[string]any{"name": "Lobby", "host": "127.0.0.1", "username": "api"})["id"].(string)
	valid := func(extra map[string]any) map[string]any {
		m := map[string]any{"name": "Guest", "strategy": "coupon", "session_ttl": 3600}
		for k, v := range extra {
			if v == nil {
				delete(m, k)
			} else {
				m[k] = v
			}
		}
		return m
	}
	missingID := "0190c0de-0000-7000-8000-000000000000"
	cases := []struct {
		name  string
		body  any
		code  string
		param string
	}{
		{"missing name", valid(map[string]any{"name": nil}), "parameter_missing", "name"},
		{"missing strategy", valid(map[string]any{"strategy": nil}), "parameter_missing", "strategy"},
		{"missing session_ttl", valid(map[string]any{"session_ttl": nil}), "parameter_missing", "session_ttl"},
		{"bad strategy", valid(map[string]any{"strategy": "radius"}), "parameter_invalid", "strategy"},
		{"session_ttl low", valid(map[string]any{"session_ttl": 1199}), "parameter_invalid", "session_ttl"},
		{"session_ttl high", valid(map[string]any{"session_ttl": 604801}), "parameter_invalid", "session_ttl"},
		{"session_ttl float", valid(map[string]any{"session_ttl": 3600.5}), "parameter_invalid", "session_ttl"},
		{"session_ttl string", valid(map[string]any{"session_ttl": "3600"}), "parameter_invalid", "session_ttl"},
		{"auth_window low", valid(map[string]any{"auth_window_ttl": 119}), "parameter_invalid", "auth_window_ttl"},
		{"auth_window high", valid(map[string]any{"auth_window_ttl": 901}), "parameter_invalid", "auth_window_ttl"},
		{"oauth2 without integration", valid(map[string]any{"strategy": "oauth2"}), "parameter_missing", "auth_integration_id"},
		{"oauth2 unknown integration", valid(map[string]any{"strategy": "oauth2", "auth_integration_id": missingID}), "parameter_invalid", "auth_integration_id"},
		{"unknown site", valid(map[string]any{"sites": []any{map[string]any{"id": missingID}}}), "parameter_invalid", "sites[0].id"},
		{"site twice", valid(map[string]any{"sites": []any{map[string]any{"id": siteID}, map[string]any{"id": siteID}}}), "parameter_invalid", "sites[1].id"},
		{"bad subnet", valid(map[string]any{"sites": []any{map[string]any{"id": siteID, "subnets": []string{"10.0.0.0/33"}}}}), "parameter_invalid", "sites[0].subnets[0]"},
		{"subnet host bits", valid(map[string]any{"sites": []any{map[string]any{"id": siteID, "subnets": []string{"10.0.0.1/24"}}}}), "parameter_invalid", "sites[0].subnets[0]"},
		{"bad colour", valid(map[string]any{"theme": map[string]any{"text_color": "red"}}), "parameter_invalid", "theme.text_color"},
		{"colour 4 digits", valid(map[string]any{"theme": map[string]any{"box_color": "#abcd"}}), "parameter_invalid", "theme.box_color"},
		{"theme unknown key", valid(map[string]any{"theme": map[string]any{"font": "x"}}), "unknown_parameter", "font"},
		{"read-only logo", valid(map[string]any{"theme": map[string]any{"logo": "http://x"}}), "unknown_parameter", "logo"},
		{"bad locale", valid(map[string]any{"locale": "english please"}), "parameter_invalid", "locale"},
		{"unknown field", valid(map[string]any{"id": missingID}), "unknown_parameter", "id"},
		{"long name", valid(map[string]any{"name": strings.Repeat("x", 201)}), "parameter_invalid", "name"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wantError(t, e.admin(http.MethodPost, "/captive/instances", tc.body), http.StatusBadRequest, tc.code, tc.param)
		})
	}
	if r := e.admin(http.MethodGet, "/captive/instances", nil); string(r.body) != "[]\n" {
		t.Fatalf("bad input created instances: %s", r.body)
	}

	id := createInstance(t, e, valid(nil))["id"].(string)
	before := string(e.admin(http.MethodGet, "/captive/instances/"+id, nil).body)
	for _, body := range []any{
		map[string]any{"session_ttl": 10},
		map[string]any{"strategy": "oauth2"},
		map[string]any{"sites": []any{map[string]any{"id": missingID}}},
		map[string]any{"name": "ok", "theme": map[string]any{"accent_color": "blue"}},
	} {
		if r := e.admin(http.MethodPut, "/captive/instances/"+id, body); r.status != http.StatusBadRequest {
			t.Fatalf("PUT %v = %d, want 400", body, r.status)
		}
	}
	if after := string(e.admin(http.MethodGet, "/captive/instances/"+id, nil).body); after != before {
		t.Fatalf("failed updates changed the instance:\nbefore %s\nafter  %s", before, after)
	}
	wantError(t, e.admin(http.MethodPut, "/captive/instances/"+missingID, map[string]any{"name": "x"}), http.StatusNotFound, "resource_missing", "")

	// A site in use by an instance cannot be deleted.
	createInstance(t, e, valid(map[string]any{"name": "uses site", "sites": []any{map[string]any{"id": siteID}}}))
	wantError(t, e.admin(http.MethodDelete, "/captive/sites/"+siteID, nil), http.StatusConflict, "resource_conflict", "")
}

func TestInstanceRoles(t *testing.T) {
	e := newEnv(t, "")
	body := map[string]any{"name": "Guest", "strategy": "coupon", "session_ttl": 3600}
	r := e.as(app.RoleOperator, http.MethodPost, "/captive/instances", body)
	wantStatus(t, r, http.StatusCreated)
	id := r.object(t)["id"].(string)
	wantError(t, e.as(app.RoleFrontdesk, http.MethodPost, "/captive/instances", body), http.StatusForbidden, "permission_denied", "")
	wantError(t, e.as(app.RoleFrontdesk, http.MethodDelete, "/captive/instances/"+id, nil), http.StatusForbidden, "permission_denied", "")
	wantError(t, e.as(app.RoleFrontdesk, http.MethodGet, "/captive/auth-integrations", nil), http.StatusForbidden, "permission_denied", "")
	wantStatus(t, e.as(app.RoleOperator, http.MethodDelete, "/captive/instances/"+id, nil), http.StatusNoContent)
}

func TestInstanceWifiName(t *testing.T) {
	e := newEnv(t, "")
	// Not given: null.
	plain := createInstance(t, e, map[string]any{"name": "Plain", "strategy": "coupon", "session_ttl": 3600})
	if v, ok := plain["wifi_name"]; !ok || v != nil {
		t.Fatalf("wifi_name without one = %v (present %v), want null", v, ok)
	}
	// Given on create: trimmed.
	in := createInstance(t, e, map[string]any{"name": "Hotel", "strategy": "coupon", "session_ttl": 3600, "wifi_name": "  Hotel Guest  "})
	id := in["id"].(string)
	if in["wifi_name"] != "Hotel Guest" {
		t.Fatalf("created wifi_name = %v, want %q", in["wifi_name"], "Hotel Guest")
	}
	path := "/captive/instances/" + id
	wifiName := func() any {
		t.Helper()
		r := e.admin(http.MethodGet, path, nil)
		wantStatus(t, r, http.StatusOK)
		return r.object(t)["wifi_name"]
	}

	// A PUT without it keeps it; a PUT with it changes only it.
	wantStatus(t, e.admin(http.MethodPut, path, map[string]any{"name": "Hotel Lobby"}), http.StatusOK)
	if got := wifiName(); got != "Hotel Guest" {
		t.Fatalf("after PUT {name}: wifi_name = %v, want it kept", got)
	}
	r := e.admin(http.MethodPut, path, map[string]any{"wifi_name": "Lobby-5G ✓"})
	wantStatus(t, r, http.StatusOK)
	if got := r.object(t); got["wifi_name"] != "Lobby-5G ✓" || got["name"] != "Hotel Lobby" {
		t.Fatalf("after PUT {wifi_name}: %v", got)
	}

	// Bad values are refused and change nothing.
	for name, v := range map[string]any{
		"33 characters":  strings.Repeat("w", 33),
		"two lines":      "Hotel\nGuest",
		"a control byte": "Hotel\x07",
		"line separator": "Hotel\u2028Guest",
		"not a string":   42,
	} {
		t.Run(name, func(t *testing.T) {
			wantError(t, e.admin(http.MethodPut, path, map[string]any{"wifi_name": v}), http.StatusBadRequest, "parameter_invalid", "wifi_name")
		})
	}
	wantError(t, e.admin(http.MethodPost, "/captive/instances", map[string]any{"name": "Long", "strategy": "coupon",
		"session_ttl": 3600, "wifi_name": strings.Repeat("é", 33)}), http.StatusBadRequest, "parameter_invalid", "wifi_name")
	// 32 characters of two bytes each fit.
	long := strings.Repeat("é", 32)
	wantStatus(t, e.admin(http.MethodPut, path, map[string]any{"wifi_name": long}), http.StatusOK)
	if got := wifiName(); got != long {
		t.Fatalf("wifi_name = %v, want 32 × é", got)
	}

	// It survives a restart.
	e = e.restart()
	if got := wifiName(); got != long {
		t.Fatalf("after restart: wifi_name = %v, want it kept", got)
	}
	// null and "" clear it.
	for _, clear := range []any{nil, "", "   "} {
		wantStatus(t, e.admin(http.MethodPut, path, map[string]any{"wifi_name": long}), http.StatusOK)
		r := e.admin(http.MethodPut, path, map[string]any{"wifi_name": clear})
		wantStatus(t, r, http.StatusOK)
		if got, ok := r.object(t)["wifi_name"]; !ok || got != nil {
			t.Fatalf("after PUT {wifi_name: %q}: %v, want null", clear, got)
		}
	}
}
