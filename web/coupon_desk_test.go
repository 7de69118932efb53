package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"gatehouse/app"
	"gatehouse/routeros/routerostest"
)

// listCoupons lists an instance's coupons with a query string, as admin.
func listCoupons(t *testing.T, e *env, inst, query string) []map[string]any {
	t.Helper()
	var out []map[string]any
	r := e.admin(http.MethodGet, "/captive/instances/"+inst+"/coupons?"+query, nil)
	wantStatus(t, r, http.StatusOK)
	r.json(t, &out)
	return out
}

func TestCouponNoteAndSearch(t *testing.T) {
	e := newEnv(t, "")
	inst := createInstance(t, e, map[string]any{"name": "Lobby", "strategy": "coupon", "session_ttl": 3600})["id"].(string)
	coupons := "/captive/instances/" + inst + "/coupons"

	var made []map[string]any
	r := e.as(app.RoleFrontdesk, http.MethodPost, coupons, map[string]any{"count": 2, "minutes_valid": 60, "note": "  Room 12 "})
	wantStatus(t, r, http.StatusCreated)
	r.json(t, &made)
	if made[0]["note"] != "Room 12" || made[1]["note"] != "Room 12" {
		t.Fatalf("notes of the batch = %v, %v; want trimmed \"Room 12\"", made[0]["note"], made[1]["note"])
	}
	var plain []map[string]any
	e.admin(http.MethodPost, coupons, map[string]any{"count": 1, "minutes_valid": 60}).json(t, &plain)
	if plain[0]["note"] != "" {
		t.Fatalf("note of a coupon made without one = %v, want \"\"", plain[0]["note"])
	}

	// The note is changed later, by the desk.
	one := coupons + "/" + made[0]["id"].(string)
	r = e.as(app.RoleFrontdesk, http.MethodPut, one, map[string]any{"note": "Müller, room 7"})
	wantStatus(t, r, http.StatusOK)
	if got := r.object(t)["note"]; got != "Müller, room 7" {
		t.Fatalf("note after update = %v", got)
	}

	for _, tc := range []struct {
		q    string
		want int
	}{
		{"room", 2}, {"ROOM 12", 1}, {"müller", 1}, {"Müller", 1}, {"nobody", 0}, {"%", 0}, {"_", 0},
		{strings.ToLower(plain[0]["code"].(string)), 1},
		{plain[0]["code"].(string)[:3] + "-" + plain[0]["code"].(string)[3:], 1},
	} {
		if got := len(listCoupons(t, e, inst, "q="+url.QueryEscape(tc.q))); got != tc.want {
			t.Errorf("q=%q: %d coupons, want %d", tc.q, got, tc.want)
		}
	}
	if got := len(listCoupons(t, e, inst, "status=all&q=room")); got != 2 {
		t.Errorf("status=all&q=room: %d coupons, want 2", got)
	}

	// Bad input answers 400 in the Error shape and changes nothing.
	long := strings.Repeat("x", app.MaxCouponNote+1)
	wantError(t, e.as(app.RoleFrontdesk, http.MethodPost, coupons, map[string]any{"count": 1, "minutes_valid": 60, "note": long}),
		http.StatusBadRequest, "parameter_invalid", "note")
	if got := len(listCoupons(t, e, inst, "status=all")); got != 3 {
		t.Fatalf("%d coupons after a refused batch, want 3", got)
	}
	for _, body := range []any{
		map[string]any{"note": long},
		map[string]any{"note": "two\nlines"},
		map[string]any{"note": 12},
		map[string]any{},
		map[string]any{"note": "x", "code": "ABCDEF"},
	} {
		r := e.as(app.RoleFrontdesk, http.MethodPut, one, body)
		wantStatus(t, r, http.StatusBadRequest)
		checkErrorShape(t, r)
	}
	wantError(t, e.as(app.RoleFrontdesk, http.MethodPut, one, map[string]any{}), http.StatusBadRequest, "parameter_missing", "note")
	wantError(t, e.admin(http.MethodGet, coupons+"?q="+strings.Repeat("a", 201), nil), http.StatusBadRequest, "parameter_invalid", "q")
	if got := listCoupons(t, e, inst, "q=M%C3%BCller"); len(got) != 1 || got[0]["note"] != "Müller, room 7" {
		t.Fatalf("note after refused updates = %v", got)
	}
	wantError(t, e.as(app.RoleFrontdesk, http.MethodPut, coupons+"/0190c0de-0000-7000-8000-000000000000", map[string]any{"note": "x"}),
		http.StatusNotFound, "resource_missing", "")

	// null clears the note.
	wantStatus(t, e.as(app.RoleFrontdesk, http.MethodPut, one, map[string]any{"note": nil}), http.StatusOK)
	if got := len(listCoupons(t, e, inst, "q=M%C3%BCller")); got != 0 {
		t.Fatalf("cleared note still found: %d", got)
	}
}

// waitFor polls cond every 20 ms for up to 5 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// routerUser returns the fake router's hotspot user named code.
func routerUser(fake *routerostest.Router, code string) map[string]string {
	for _, row := range fake.Rows("/ip/hotspot/user") {
		if row["name"] == code {
			return row
		}
	}
	return nil
}

func TestFrontdeskExtendReleaseRevokeDisconnect(t *testing.T) {
	e := newEnv(t, "")
	fake, site, inst := routerSite(t, e)
	coupons := "/captive/instances/" + inst + "/coupons"
	actions := "/captive/instances/" + inst + "/coupon-actions/"
	var made []map[string]any
	e.as(app.RoleFrontdesk, http.MethodPost, coupons, map[string]any{"count": 3, "minutes_valid": 60}).json(t, &made)
	id, code := made[0]["id"].(string), made[0]["code"].(string)
	waitFor(t, "coupons on the router", func() bool { return len(fake.Rows("/ip/hotspot/user")) == 3 })

	// Extending an unused coupon moves its redeem-by time.
	before, _ := time.Parse(time.RFC3339, made[0]["expires_at"].(string))
	r := e.as(app.RoleFrontdesk, http.MethodPost, actions+id+"/extend", map[string]any{"minutes": 60})
	wantStatus(t, r, http.StatusOK)
	after, _ := time.Parse(time.RFC3339, r.object(t)["expires_at"].(string))
	if after.Sub(before) != time.Hour {
		t.Fatalf("expires_at moved by %v, want 1h", after.Sub(before))
	}
	for _, body := range []any{map[string]any{"minutes": 0}, map[string]any{"minutes": 525601}, map[string]any{}, map[string]any{"minutes": "60"}} {
		r := e.as(app.RoleFrontdesk, http.MethodPost, actions+id+"/extend", body)
		wantStatus(t, r, http.StatusBadRequest)
		checkErrorShape(t, r)
	}
	// An unused coupon has no device to free.
	wantError(t, e.as(app.RoleFrontdesk, http.MethodPost, actions+id+"/release", nil), http.StatusConflict, "resource_conflict", "")

	// A guest logs in with the code on the router's own page.
	const oldMAC, newMAC = "AA:BB:CC:00:00:01", "AA:BB:CC:00:00:02"
	fake.AddRow("/ip/hotspot/active", map[string]string{"user": code, "address": "10.5.50.9", "mac-address": oldMAC, "uptime": "1m"})
	wantStatus(t, e.admin(http.MethodPost, "/captive/sites/"+site+"/sync", nil), http.StatusOK)
	wantStatus(t, e.admin(http.MethodPost, "/captive/sites/"+site+"/sync", nil), http.StatusOK)
	if u := routerUser(fake, code); u["mac-address"] != oldMAC || u["limit-uptime"] != "1h" {
		t.Fatalf("router user after login = %v, want locked to %s with limit-uptime 1h", u, oldMAC)
	}

	// Extending a redeemed coupon lengthens its session, on the router too.
	r = e.as(app.RoleFrontdesk, http.MethodPost, actions+id+"/extend", map[string]any{"minutes": 1440})
	wantStatus(t, r, http.StatusOK)
	c := r.object(t)
	redeemed, _ := time.Parse(time.RFC3339, c["redeemed_at"].(string))
	ends, _ := time.Parse(time.RFC3339, c["session_ends_at"].(string))
	if got := ends.Sub(redeemed); got != 25*time.Hour {
		t.Fatalf("session lasts %v after +1 day, want 25h", got)
	}
	if c["redeemed_mac"] != oldMAC {
		t.Fatalf("redeemed_mac = %v, want %s", c["redeemed_mac"], oldMAC)
	}
	waitFor(t, "limit-uptime 1d1h on the router", func() bool { return routerUser(fake, code)["limit-uptime"] == "1d1h" })
	var guests []map[string]any
	e.as(app.RoleFrontdesk, http.MethodGet, "/captive/sites/"+site+"/users?active=true", nil).json(t, &guests)
	if len(guests) != 1 || guests[0]["expires_at"] != c["session_ends_at"] {
		t.Fatalf("guest online after extend = %v, want expires_at %v", guests, c["session_ends_at"])
	}

	// Freeing the code for a new device logs the old one out and unlocks it.
	r = e.as(app.RoleFrontdesk, http.MethodPost, actions+id+"/release", nil)
	wantStatus(t, r, http.StatusOK)
	if got := r.object(t); got["redeemed_mac"] != nil || got["status"] != "redeemed" {
		t.Fatalf("released coupon = %v, want redeemed without a device", got)
	}
	if n := len(fake.Rows("/ip/hotspot/active")); n != 0 {
		t.Fatalf("%d sessions left after release, want the old device logged out", n)
	}
	waitFor(t, "the router user unlocked", func() bool { return routerUser(fake, code)["mac-address"] == "00:00:00:00:00:00" })
	wantStatus(t, e.as(app.RoleFrontdesk, http.MethodPost, actions+id+"/release", nil), http.StatusOK) // twice is fine

	// The guest's new device logs in and is locked in turn.
	fake.AddRow("/ip/hotspot/active", map[string]string{"user": code, "address": "10.5.50.10", "mac-address": newMAC, "uptime": "10s"})
	wantStatus(t, e.admin(http.MethodPost, "/captive/sites/"+site+"/sync", nil), http.StatusOK)
	wantStatus(t, e.admin(http.MethodPost, "/captive/sites/"+site+"/sync", nil), http.StatusOK)
	if u := routerUser(fake, code); u["mac-address"] != newMAC {
		t.Fatalf("router user after the new device's login = %v, want locked to %s", u, newMAC)
	}
	if got := listCoupons(t, e, inst, "status=redeemed"); len(got) != 1 || got[0]["redeemed_mac"] != newMAC {
		t.Fatalf("redeemed coupons = %v, want one locked to %s", got, newMAC)
	}

	// The desk disconnects the guest (204), and revokes an unused coupon.
	e.as(app.RoleFrontdesk, http.MethodGet, "/captive/sites/"+site+"/users?active=true", nil).json(t, &guests)
	if len(guests) != 1 {
		t.Fatalf("guests online = %v", guests)
	}
	wantStatus(t, e.as(app.RoleFrontdesk, http.MethodDelete, "/captive/sites/"+site+"/users/"+guests[0]["id"].(string), nil), http.StatusNoContent)
	if n := len(fake.Rows("/ip/hotspot/active")); n != 0 {
		t.Fatalf("%d sessions left after disconnect", n)
	}
	wantStatus(t, e.as(app.RoleFrontdesk, http.MethodDelete, coupons+"/"+made[1]["id"].(string), nil), http.StatusNoContent)
	wantError(t, e.as(app.RoleFrontdesk, http.MethodPost, actions+made[1]["id"].(string)+"/extend", map[string]any{"minutes": 60}),
		http.StatusConflict, "resource_conflict", "")
	waitFor(t, "the revoked coupon off the router", func() bool { return routerUser(fake, made[1]["code"].(string)) == nil })

	// What the desk still may not do.
	wantError(t, e.as(app.RoleFrontdesk, http.MethodPost, "/captive/sites/"+site+"/sync", nil), http.StatusForbidden, "permission_denied", "")
	wantError(t, e.as(app.RoleFrontdesk, http.MethodPut, "/captive/instances/"+inst, map[string]any{"session_ttl": 7200}), http.StatusForbidden, "permission_denied", "")
	wantError(t, e.as(app.RoleFrontdesk, http.MethodGet, "/captive/audit-events", nil), http.StatusForbidden, "permission_denied", "")

	// Every desk action is in the audit log, with the coupon it touched.
	var events []map[string]any
	e.admin(http.MethodGet, "/captive/audit-events?limit=100", nil).json(t, &events)
	seen := map[string]int{}
	for _, ev := range events {
		if ev["actor_role"] == "frontdesk" {
			seen[ev["action"].(string)+" "+ev["resource"].(string)]++
		}
	}
	for _, want := range []string{
		"POST /captive/instances/:instanceId/coupon-actions/:couponId/extend " + id,
		"POST /captive/instances/:instanceId/coupon-actions/:couponId/release " + id,
		"DELETE /captive/instances/:instanceId/coupons/:couponId " + made[1]["id"].(string),
		"DELETE /captive/sites/:siteId/users/:userId " + guests[0]["id"].(string),
	} {
		if seen[want] == 0 {
			t.Errorf("no audit event %q among %v", want, seen)
		}
	}
}

func TestReleaseWhileRouterDown(t *testing.T) {
	e := newEnv(t, "")
	fake, site, inst := routerSite(t, e)
	var made []map[string]any
	e.as(app.RoleFrontdesk, http.MethodPost, "/captive/instances/"+inst+"/coupons", map[string]any{"count": 1, "minutes_valid": 60}).json(t, &made)
	waitFor(t, "the coupon on the router", func() bool { return len(fake.Rows("/ip/hotspot/user")) == 1 })
	fake.AddRow("/ip/hotspot/active", map[string]string{"user": made[0]["code"].(string), "address": "10.5.50.9", "mac-address": "AA:BB:CC:00:00:01", "uptime": "1m"})
	wantStatus(t, e.admin(http.MethodPost, "/captive/sites/"+site+"/sync", nil), http.StatusOK)
	fake.Stop()
	wantError(t, e.as(app.RoleFrontdesk, http.MethodPost, "/captive/instances/"+inst+"/coupon-actions/"+made[0]["id"].(string)+"/release", nil),
		http.StatusServiceUnavailable, "router_unavailable", "")
	if got := listCoupons(t, e, inst, "status=redeemed"); len(got) != 1 || got[0]["redeemed_mac"] != "AA:BB:CC:00:00:01" {
		t.Fatalf("coupon after a failed release = %v, want still locked", got)
	}
}
