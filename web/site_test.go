package web_test

import (
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"gatehouse/app"
	"gatehouse/routeros/routerostest"
)

func createSite(t testing.TB, e *env, body map[string]any) map[string]any {
	t.Helper()
	r := e.admin(http.MethodPost, "/captive/sites", body)
	wantStatus(t, r, http.StatusCreated)
	return r.object(t)
}

func TestSiteLifecycle(t *testing.T) {
	e := newEnv(t, "")
	site := createSite(t, e, map[string]any{"name": "Lobby", "host": "127.0.0.1", "username": "api", "password": "s3cret"})
	id := site["id"].(string)
	if got := site["port"]; got != float64(8728) {
		t.Errorf("default port = %v, want 8728", got)
	}
	if got := site["hotspot_server"]; got != "all" {
		t.Errorf("hotspot_server = %v, want all", got)
	}
	if st := site["status"].(map[string]any); st["state"] != "unknown" {
		t.Errorf("status.state = %v, want unknown", st["state"])
	}
	if _, ok := site["password"]; ok {
		t.Fatal("password returned in a response")
	}

	// Partial update: only the name changes; the password is kept.
	wantStatus(t, e.admin(http.MethodPut, "/captive/sites/"+id, map[string]any{"name": "Lobby"}), http.StatusOK)
	stored, err := e.store.Site(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	if stored.Password != "s3cret" {
		t.Errorf("password after partial update = %q, want it kept", stored.Password)
	}

	// Only tls changes (with the password, which a change of transport
	// needs); the default port follows the transport.
	r := e.admin(http.MethodPut, "/captive/sites/"+id, map[string]any{"tls": true, "password": "s3cret"})
	wantStatus(t, r, http.StatusOK)
	got := r.object(t)
	if got["port"] != float64(8729) || got["name"] != "Lobby" || got["username"] != "api" {
		t.Errorf("after PUT {tls:true}: port=%v name=%v username=%v, want 8729 Lobby api", got["port"], got["name"], got["username"])
	}

	r = e.admin(http.MethodPut, "/captive/sites/"+id, map[string]any{"port": 18728, "password": "n3w"})
	wantStatus(t, r, http.StatusOK)
	if r.object(t)["port"] != float64(18728) {
		t.Errorf("explicit port not stored: %s", r.body)
	}
	if strings.Contains(string(r.body), "n3w") {
		t.Fatal("new password echoed in the response")
	}

	list := e.admin(http.MethodGet, "/captive/sites", nil)
	wantStatus(t, list, http.StatusOK)
	var sites []map[string]any
	list.json(t, &sites)
	if len(sites) != 1 || sites[0]["id"] != id {
		t.Fatalf("list = %s, want the one site", list.body)
	}

	wantStatus(t, e.admin(http.MethodDelete, "/captive/sites/"+id, nil), http.StatusNoContent)
	wantError(t, e.admin(http.MethodGet, "/captive/sites/"+id, nil), http.StatusNotFound, "resource_missing", "")
	wantError(t, e.admin(http.MethodDelete, "/captive/sites/"+id, nil), http.StatusNotFound, "resource_missing", "")
}

func TestSiteBadInput(t *testing.T) {
	e := newEnv(t, "")
	valid := func(extra map[string]any) map[string]any {
		m := map[string]any{"name": "Lobby", "host": "127.0.0.1", "username": "api"}
		for k, v := range extra {
			if v == nil {
				delete(m, k)
			} else {
				m[k] = v
			}
		}
		return m
	}
	cases := []struct {
		name  string
		body  any
		code  string
		param string
	}{
		{"missing name", valid(map[string]any{"name": nil}), "parameter_missing", "name"},
		{"missing host", valid(map[string]any{"host": nil}), "parameter_missing", "host"},
		{"missing username", valid(map[string]any{"username": nil}), "parameter_missing", "username"},
		{"blank name", valid(map[string]any{"name": "   "}), "parameter_missing", "name"},
		{"bad host", valid(map[string]any{"host": "not a host!"}), "parameter_invalid", "host"},
		{"port zero", valid(map[string]any{"port": 0}), "parameter_invalid", "port"},
		{"port too big", valid(map[string]any{"port": 70000}), "parameter_invalid", "port"},
		{"port as string", valid(map[string]any{"port": "8728"}), "parameter_invalid", "port"},
		{"tls not bool", valid(map[string]any{"tls": "yes"}), "parameter_invalid", "tls"},
		{"fingerprint short", valid(map[string]any{"tls": true, "tls_fingerprint": "abcd"}), "parameter_invalid", "tls_fingerprint"},
		{"fingerprint without tls", valid(map[string]any{"tls_fingerprint": strings.Repeat("ab", 32)}), "parameter_invalid", "tls_fingerprint"},
		{"unknown field", valid(map[string]any{"colour": "red"}), "unknown_parameter", "colour"},
		{"not json", "{name:", "invalid_json", ""},
		{"array body", "[]", "invalid_json", ""},
		{"empty body", "", "invalid_json", ""},
		{"two objects", `{"name":"a","host":"h","username":"u"}{}`, "invalid_json", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wantError(t, e.admin(http.MethodPost, "/captive/sites", tc.body), http.StatusBadRequest, tc.code, tc.param)
		})
	}
	list := e.admin(http.MethodGet, "/captive/sites", nil)
	if string(list.body) != "[]\n" {
		t.Fatalf("bad input changed something: sites = %s", list.body)
	}

	site := createSite(t, e, valid(nil))
	id := site["id"].(string)
	wantError(t, e.admin(http.MethodPut, "/captive/sites/"+id, map[string]any{"host": ""}), http.StatusBadRequest, "parameter_missing", "host")
	wantError(t, e.admin(http.MethodPut, "/captive/sites/"+id, map[string]any{"port": -1}), http.StatusBadRequest, "parameter_invalid", "port")
	again := e.admin(http.MethodGet, "/captive/sites/"+id, nil).object(t)
	if again["host"] != "127.0.0.1" || again["port"] != float64(8728) {
		t.Fatalf("failed update changed the site: %v", again)
	}
	wantError(t, e.admin(http.MethodGet, "/captive/sites/not-a-uuid", nil), http.StatusNotFound, "resource_missing", "")
	wantError(t, e.admin(http.MethodGet, "/captive/sites/..%2f..%2fetc", nil), http.StatusNotFound, "resource_missing", "")
}

func TestSiteBodyTooLarge(t *testing.T) {
	e := newEnv(t, "")
	big := `{"name":"` + strings.Repeat("a", 2<<20) + `","host":"h","username":"u"}`
	wantError(t, e.admin(http.MethodPost, "/captive/sites", big), http.StatusRequestEntityTooLarge, "body_too_large", "")
}

func TestSiteRoles(t *testing.T) {
	e := newEnv(t, "")
	body := map[string]any{"name": "Lobby", "host": "127.0.0.1", "username": "api"}
	wantError(t, e.as(app.RoleOperator, http.MethodPost, "/captive/sites", body), http.StatusForbidden, "permission_denied", "")
	wantError(t, e.as(app.RoleFrontdesk, http.MethodGet, "/captive/sites", nil), http.StatusForbidden, "permission_denied", "")
	id := createSite(t, e, body)["id"].(string)
	wantStatus(t, e.as(app.RoleOperator, http.MethodGet, "/captive/sites/"+id, nil), http.StatusOK)
	wantError(t, e.as(app.RoleOperator, http.MethodPut, "/captive/sites/"+id, map[string]any{"name": "x"}), http.StatusForbidden, "permission_denied", "")
	wantError(t, e.as(app.RoleOperator, http.MethodDelete, "/captive/sites/"+id, nil), http.StatusForbidden, "permission_denied", "")
}

// TestSiteMoveNeedsThePassword: the finding was that changing a site's
// host, port or tls sent the stored router password to the new address
// at the next push. Such a change now needs the password in the same
// request; without it nothing changes and the router at the new address
// never sees a login. Sending the current values is not a change.
func TestSiteMoveNeedsThePassword(t *testing.T) {
	e := newEnv(t, "")
	attacker := routerostest.New(t, routerostest.Options{User: "api", Password: "s3cret"})
	host, portText, err := net.SplitHostPort(attacker.Addr())
	if err != nil {
		t.Fatal(err)
	}
	port, err := strconv.Atoi(portText)
	if err != nil {
		t.Fatal(err)
	}
	legit := deadPort(t)
	id := createSite(t, e, map[string]any{"name": "Lobby", "host": "localhost", "port": legit, "username": "api", "password": "s3cret"})["id"].(string)
	path := "/captive/sites/" + id

	for name, body := range map[string]map[string]any{
		"host and port": {"host": host, "port": port},
		"port":          {"port": port},
		"host":          {"host": host},
		"tls":           {"tls": true},
		"null password": {"host": host, "port": port, "password": nil},
	} {
		r := e.admin(http.MethodPut, path, body)
		wantError(t, r, http.StatusBadRequest, "parameter_missing", "password")
		if msg := r.object(t)["message"].(string); !strings.Contains(msg, "host, port or tls") {
			t.Errorf("%s: message %q does not say why the password is needed", name, msg)
		}
	}
	// A sync goes to wherever the site points: still the old router,
	// which is down.
	wantError(t, e.admin(http.MethodPost, path+"/sync", nil), http.StatusServiceUnavailable, "router_unavailable", "")
	if n := attacker.Commands("/login"); n != 0 {
		t.Fatalf("the router at the new address got %d logins, want none", n)
	}
	after := e.admin(http.MethodGet, path, nil).object(t)
	if after["host"] != "localhost" || after["port"] != float64(legit) || after["tls"] != false {
		t.Fatalf("refused update changed the site: %v", after)
	}

	// The current values (the host in another case) are not a change.
	wantStatus(t, e.admin(http.MethodPut, path, map[string]any{"name": "Lobby 2", "host": " LocalHost ", "port": legit, "tls": false}), http.StatusOK)

	// With the password the move is made, and the new router is used.
	wantStatus(t, e.admin(http.MethodPut, path, map[string]any{"host": host, "port": port, "password": "s3cret"}), http.StatusOK)
	wantStatus(t, e.admin(http.MethodPost, path+"/sync", nil), http.StatusOK)
	if n := attacker.Commands("/login"); n == 0 {
		t.Fatal("the router at the new address got no login after a move with the password")
	}
}
