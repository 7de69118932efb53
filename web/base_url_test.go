package web_test

import (
	"net/http"
	"strings"
	"testing"

	"gatehouse/app"
	"gatehouse/web"
)

// loopbackEnv is a server whose base URL is http://127.0.0.1:8080, as
// after `serve -listen 0.0.0.0:8080` with no base_url; allow sets
// [server] allow_loopback_base_url. It returns an instance on a site
// with two coupons.
func loopbackEnv(t *testing.T, allow bool) (e *env, inst, site string, coupons []string) {
	t.Helper()
	e = newEnvConfig(t, "", func(c *web.Config) {
		c.BaseURL = "http://127.0.0.1:8080"
		c.AllowLoopbackBaseURL = allow
	})
	site = createSite(t, e, map[string]any{"name": "Lobby", "host": "127.0.0.1", "username": "api"})["id"].(string)
	inst = createInstance(t, e, map[string]any{"name": "Guest WiFi", "strategy": "coupon", "session_ttl": 3600,
		"sites": []any{map[string]any{"id": site}}})["id"].(string)
	var list []map[string]any
	e.admin(http.MethodPost, "/captive/instances/"+inst+"/coupons", map[string]any{"count": 2, "minutes_valid": 60}).json(t, &list)
	for _, c := range list {
		coupons = append(coupons, c["id"].(string))
	}
	return e, inst, site, coupons
}

// TestLoopbackBaseURLRefused: with a loopback base URL, login.html and
// coupon cards answer 409 base_url_loopback saying what to set, for every
// role, and /auth/me carries the warning the admin page shows as a banner.
func TestLoopbackBaseURLRefused(t *testing.T) {
	e, inst, site, coupons := loopbackEnv(t, false)
	for _, tc := range []struct {
		role         app.Role
		method, path string
		body         any
	}{
		{app.RoleOperator, http.MethodGet, "/captive/instances/" + inst + "/hotspot/login.html?site=" + site, nil},
		{app.RoleAdmin, http.MethodPost, "/captive/instances/" + inst + "/coupons/cards", map[string]any{"coupon_ids": coupons}},
		{app.RoleFrontdesk, http.MethodPost, "/captive/instances/" + inst + "/coupons/cards", map[string]any{"coupon_ids": coupons}},
	} {
		r := e.as(tc.role, tc.method, tc.path, tc.body)
		wantStatus(t, r, http.StatusConflict)
		m := r.object(t)
		msg, _ := m["message"].(string)
		if m["code"] != web.ReasonBaseURLLoopback || !strings.Contains(msg, "http://127.0.0.1:8080") ||
			!strings.Contains(msg, "[server] base_url") || !strings.Contains(msg, "GATEHOUSE_SERVER_BASE_URL") {
			t.Errorf("%s %s as %s: got %v, want code base_url_loopback naming the address and the setting", tc.method, tc.path, tc.role, m)
		}
	}
	for _, role := range app.Roles {
		r := e.as(role, http.MethodGet, "/auth/me", nil)
		wantStatus(t, r, http.StatusOK)
		var me struct {
			Warnings []struct {
				Code, Message, Setting string
				Text                   app.Text
			}
		}
		r.json(t, &me)
		if len(me.Warnings) != 1 || me.Warnings[0].Code != "base_url_loopback" || me.Warnings[0].Setting != "[server] base_url" ||
			!strings.Contains(me.Warnings[0].Message, "GATEHOUSE_SERVER_BASE_URL") ||
			me.Warnings[0].Text.Key != "warning.base_url_loopback" || me.Warnings[0].Text.English() != me.Warnings[0].Message {
			t.Errorf("/auth/me as %s: warnings %+v, want base_url_loopback with the setting", role, me.Warnings)
		}
	}
}

// TestLoopbackBaseURLAllowed: [server] allow_loopback_base_url (the demo)
// hands both out and shows no warning; so does a real base URL.
func TestLoopbackBaseURLAllowed(t *testing.T) {
	e, inst, site, coupons := loopbackEnv(t, true)
	wantStatus(t, e.admin(http.MethodGet, "/captive/instances/"+inst+"/hotspot/login.html?site="+site, nil), http.StatusOK)
	if got := postCards(t, e, app.RoleFrontdesk, inst, map[string]any{"coupon_ids": coupons}); len(got.Cards) != 2 {
		t.Errorf("got %d cards, want 2", len(got.Cards))
	}
	for _, e := range []*env{e, newEnv(t, "")} {
		var me struct{ Warnings []any }
		e.admin(http.MethodGet, "/auth/me", nil).json(t, &me)
		if me.Warnings == nil || len(me.Warnings) != 0 {
			t.Errorf("warnings = %v, want []", me.Warnings)
		}
	}
}
