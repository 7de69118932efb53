package web_test

import (
	"net"
	"net/http"
	"strconv"
	"testing"
	"time"

	"gatehouse/app"
	"gatehouse/routeros/routerostest"
)

// routerSite creates a site pointing at a fake router and a coupon
// instance on it.
func routerSite(t *testing.T, e *env) (fake *routerostest.Router, site, inst string) {
	t.Helper()
	fake = routerostest.New(t, routerostest.Options{User: "api", Password: "pw"})
	host, port, _ := net.SplitHostPort(fake.Addr())
	p, _ := strconv.Atoi(port)
	site = createSite(t, e, map[string]any{"name": "Lobby", "host": host, "port": p, "username": "api", "password": "pw"})["id"].(string)
	inst = createInstance(t, e, map[string]any{"name": "Guest", "strategy": "coupon", "session_ttl": 3600,
		"sites": []any{map[string]any{"id": site}}})["id"].(string)
	return fake, site, inst
}

func TestSyncAndSiteUsers(t *testing.T) {
	e := newEnv(t, "")
	fake, site, inst := routerSite(t, e)
	var coupons []map[string]any
	e.as(app.RoleFrontdesk, http.MethodPost, "/captive/instances/"+inst+"/coupons", map[string]any{"count": 3, "minutes_valid": 60}).json(t, &coupons)

	// New coupons reach the router by themselves, within moments.
	deadline := time.Now().Add(5 * time.Second)
	for len(fake.Rows("/ip/hotspot/user")) < 3 {
		if time.Now().After(deadline) {
			t.Fatalf("coupons did not reach the router: %v", fake.Rows("/ip/hotspot/user"))
		}
		time.Sleep(20 * time.Millisecond)
	}
	r := e.admin(http.MethodPost, "/captive/sites/"+site+"/sync", nil)
	wantStatus(t, r, http.StatusOK)
	if res := r.object(t); res["site_id"] != site || res["added"] != float64(0) || len(res["errors"].([]any)) != 0 {
		t.Fatalf("sync = %s", r.body)
	}
	wantError(t, e.as(app.RoleFrontdesk, http.MethodPost, "/captive/sites/"+site+"/sync", nil), http.StatusForbidden, "permission_denied", "")
	got := e.admin(http.MethodGet, "/captive/sites/"+site, nil).object(t)
	if st := got["status"].(map[string]any); st["state"] != "online" || st["routeros_version"] == nil {
		t.Fatalf("site status = %v", st)
	}

	// A guest logs in on the router's own page with the first code.
	code := coupons[0]["code"].(string)
	fake.AddRow("/ip/hotspot/active", map[string]string{"user": code, "address": "10.5.50.9", "mac-address": "AA:BB:CC:00:00:09", "uptime": "1m"})
	wantStatus(t, e.admin(http.MethodPost, "/captive/sites/"+site+"/sync", nil), http.StatusOK)
	var users []map[string]any
	e.as(app.RoleFrontdesk, http.MethodGet, "/captive/sites/"+site+"/users?active=true", nil).json(t, &users)
	if len(users) != 1 || users[0]["username"] != code || users[0]["active"] != true || users[0]["mac_address"] != "AA:BB:CC:00:00:09" {
		t.Fatalf("site users = %v", users)
	}
	var valid []any
	e.admin(http.MethodGet, "/captive/instances/"+inst+"/coupons", nil).json(t, &valid)
	if len(valid) != 2 {
		t.Fatalf("valid coupons after redemption = %d, want 2", len(valid))
	}
	userID := users[0]["id"].(string)

	// While the router is down a disconnect answers 503 and changes nothing.
	fake.Stop()
	wantError(t, e.admin(http.MethodDelete, "/captive/sites/"+site+"/users/"+userID, nil), http.StatusServiceUnavailable, "router_unavailable", "")
	e.admin(http.MethodGet, "/captive/sites/"+site+"/users?active=true", nil).json(t, &users)
	if len(users) != 1 {
		t.Fatalf("failed disconnect ended the session record: %v", users)
	}
	if err := fake.Start(); err != nil {
		t.Fatal(err)
	}
	deadline = time.Now().Add(5 * time.Second)
	for {
		r := e.admin(http.MethodDelete, "/captive/sites/"+site+"/users/"+userID+"?revoke=true", nil)
		if r.status == http.StatusNoContent {
			break
		}
		if r.status != http.StatusServiceUnavailable || time.Now().After(deadline) {
			t.Fatalf("disconnect: %d %s", r.status, r.body)
		}
		time.Sleep(50 * time.Millisecond) // the client backs off after the outage
	}
	if n := len(fake.Rows("/ip/hotspot/active")); n != 0 {
		t.Fatalf("%d sessions left after disconnect", n)
	}
	e.admin(http.MethodGet, "/captive/sites/"+site+"/users?active=true", nil).json(t, &users)
	if len(users) != 0 {
		t.Fatalf("active users after disconnect: %v", users)
	}
	var revoked []any
	e.admin(http.MethodGet, "/captive/instances/"+inst+"/coupons?status=revoked", nil).json(t, &revoked)
	if len(revoked) != 1 {
		t.Fatalf("revoke=true revoked %d coupons, want 1", len(revoked))
	}
	wantError(t, e.admin(http.MethodGet, "/captive/sites/"+site+"/users?active=maybe", nil), http.StatusBadRequest, "parameter_invalid", "active")
	wantError(t, e.admin(http.MethodDelete, "/captive/sites/"+site+"/users/"+site, nil), http.StatusNotFound, "resource_missing", "")
	wantError(t, e.admin(http.MethodPost, "/captive/sites/"+inst+"/sync", nil), http.StatusNotFound, "resource_missing", "")
}
