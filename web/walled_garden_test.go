package web_test

import (
	"net/http"
	"testing"

	"gatehouse/app"
)

func TestWalledGardenLifecycle(t *testing.T) {
	e := newEnv(t, "")
	site := createSite(t, e, map[string]any{"name": "Lobby", "host": "127.0.0.1", "username": "api"})["id"].(string)
	other := createSite(t, e, map[string]any{"name": "Bar", "host": "127.0.0.2", "username": "api"})["id"].(string)
	base := "/captive/walled-garden/" + site

	r := e.admin(http.MethodPost, base, map[string]any{"name": "Google Auth", "ip_address": "172.217.16.0/24"})
	wantStatus(t, r, http.StatusCreated)
	entry := r.object(t)
	id := entry["id"].(string)
	if entry["type"] != "captive-auth" || entry["host"] != nil {
		t.Errorf("defaults: type=%v host=%v, want captive-auth null", entry["type"], entry["host"])
	}
	r = e.admin(http.MethodPost, base, map[string]any{"name": "Menu", "host": "*.Example.org", "type": "captive-portal"})
	wantStatus(t, r, http.StatusCreated)
	if got := r.object(t); got["host"] != "*.example.org" || got["note"] != app.WildcardNote {
		t.Errorf("host = %v, note = %v; want *.example.org and the plain-HTTP note", got["host"], got["note"])
	}
	if got := entry["note"]; got != nil {
		t.Errorf("note = %v on an IP entry, want none", got)
	}

	r = e.admin(http.MethodPut, base+"/"+id, map[string]any{"ip_address": "8.8.8.8"})
	wantStatus(t, r, http.StatusOK)
	if got := r.object(t); got["ip_address"] != "8.8.8.8" || got["name"] != "Google Auth" {
		t.Fatalf("partial update: %s", r.body)
	}
	var list []map[string]any
	e.admin(http.MethodGet, base, nil).json(t, &list)
	if len(list) != 2 {
		t.Fatalf("list = %v, want 2 entries", list)
	}
	// Entries are scoped to their site.
	wantError(t, e.admin(http.MethodGet, "/captive/walled-garden/"+other+"/"+id, nil), http.StatusNotFound, "resource_missing", "")
	wantError(t, e.admin(http.MethodDelete, "/captive/walled-garden/"+other+"/"+id, nil), http.StatusNotFound, "resource_missing", "")
	wantStatus(t, e.admin(http.MethodGet, base+"/"+id, nil), http.StatusOK)
	wantStatus(t, e.admin(http.MethodDelete, base+"/"+id, nil), http.StatusNoContent)
	wantError(t, e.admin(http.MethodGet, base+"/"+id, nil), http.StatusNotFound, "resource_missing", "")

	// Operators manage the walled garden; front desk does not.
	wantStatus(t, e.as(app.RoleOperator, http.MethodPost, base, map[string]any{"name": "x", "ip_address": "1.1.1.1"}), http.StatusCreated)
	wantError(t, e.as(app.RoleFrontdesk, http.MethodGet, base, nil), http.StatusForbidden, "permission_denied", "")

	// Deleting the site removes its entries with it.
	wantStatus(t, e.admin(http.MethodDelete, "/captive/sites/"+site, nil), http.StatusNoContent)
	wantError(t, e.admin(http.MethodGet, base, nil), http.StatusNotFound, "resource_missing", "")
}

func TestWalledGardenBadInput(t *testing.T) {
	e := newEnv(t, "")
	site := createSite(t, e, map[string]any{"name": "Lobby", "host": "127.0.0.1", "username": "api"})["id"].(string)
	base := "/captive/walled-garden/" + site
	cases := []struct {
		name  string
		body  any
		code  string
		param string
	}{
		{"missing name", map[string]any{"ip_address": "1.2.3.4"}, "parameter_missing", "name"},
		{"missing address", map[string]any{"name": "n"}, "parameter_missing", "ip_address"},
		{"bad ip", map[string]any{"name": "n", "ip_address": "1.2.3"}, "parameter_invalid", "ip_address"},
		{"bad cidr", map[string]any{"name": "n", "ip_address": "1.2.3.0/40"}, "parameter_invalid", "ip_address"},
		{"cidr host bits", map[string]any{"name": "n", "ip_address": "10.0.0.7/8"}, "parameter_invalid", "ip_address"},
		{"bad type", map[string]any{"name": "n", "ip_address": "1.2.3.4", "type": "always"}, "parameter_invalid", "type"},
		{"bad host", map[string]any{"name": "n", "host": "exa mple.com"}, "parameter_invalid", "host"},
		{"wildcard in middle", map[string]any{"name": "n", "host": "a.*.com"}, "parameter_invalid", "host"},
		{"numeric host", map[string]any{"name": "n", "host": "1.2.3.999"}, "parameter_invalid", "host"},
		{"ipv6 address", map[string]any{"name": "n", "ip_address": "2001:db8::1"}, "parameter_invalid", "ip_address"},
		{"ipv6 subnet", map[string]any{"name": "n", "ip_address": "2001:db8::/32"}, "parameter_invalid", "ip_address"},
		{"mapped ipv4", map[string]any{"name": "n", "ip_address": "::ffff:192.0.2.1"}, "parameter_invalid", "ip_address"},
		{"detection host", map[string]any{"name": "n", "host": "captive.apple.com"}, "parameter_invalid", "host"},
		{"detection host upper case", map[string]any{"name": "n", "host": "WWW.GSTATIC.COM"}, "parameter_invalid", "host"},
		{"wildcard over a detection host", map[string]any{"name": "n", "host": "*.google.com"}, "parameter_invalid", "host"},
		{"wildcard over msft", map[string]any{"name": "n", "host": "*.msftconnecttest.com"}, "parameter_invalid", "host"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wantError(t, e.admin(http.MethodPost, base, tc.body), http.StatusBadRequest, tc.code, tc.param)
		})
	}
	if r := e.admin(http.MethodGet, base, nil); string(r.body) != "[]\n" {
		t.Fatalf("bad input created entries: %s", r.body)
	}
	missing := "/captive/walled-garden/0190c0de-0000-7000-8000-000000000000"
	wantError(t, e.admin(http.MethodGet, missing, nil), http.StatusNotFound, "resource_missing", "")
	wantError(t, e.admin(http.MethodPost, missing, map[string]any{"name": "n", "ip_address": "1.2.3.4"}), http.StatusNotFound, "resource_missing", "")
}
