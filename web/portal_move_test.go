package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gatehouse/routeros/routerostest"
)

// phone is the test client's device on the hotspot (address 127.0.0.1):
// becoming another MAC address is what a phone's private address does.
func phone(fake *routerostest.Router, mac string) {
	for _, h := range fake.Rows("/ip/hotspot/host") {
		if h["address"] == "127.0.0.1" {
			fake.RemoveRow("/ip/hotspot/host", h[".id"])
		}
	}
	fake.AddRow("/ip/hotspot/host", map[string]string{"address": "127.0.0.1", "mac-address": mac})
}

// A phone that changed its MAC address types its code again: the code
// moves (the old device is logged out, the lock follows), three times in a
// day; the fourth is refused in words. A plan for several devices shares
// the code instead.
func TestPortalMovesCodeToNewDevice(t *testing.T) {
	e := newEnv(t, "")
	fake, site, inst := routerSite(t, e)
	guestSubnet(t, e, inst, site, "127.0.0.0/8")
	waitHotspotHost(t, e, site, "10.5.50.1")
	var coupons []map[string]any
	e.admin(http.MethodPost, "/captive/instances/"+inst+"/coupons", map[string]any{"count": 1, "minutes_valid": 60}).json(t, &coupons)
	code := coupons[0]["code"].(string)
	login := func() string {
		t.Helper()
		return string(e.form("/portal/"+inst+"/login", url.Values{"code": {code}, "site": {site}}, nil).body)
	}
	sessions := func() []map[string]string {
		var out []map[string]string
		for _, a := range fake.Rows("/ip/hotspot/active") {
			if a["user"] == code {
				out = append(out, a)
			}
		}
		return out
	}

	macs := []string{"AA:00:00:00:00:01", "AA:00:00:00:00:02", "AA:00:00:00:00:03", "AA:00:00:00:00:04", "AA:00:00:00:00:05"}
	phone(fake, macs[0])
	if body := login(); !strings.Contains(body, "You are online") {
		t.Fatalf("first login: %s", body)
	}
	for i, mac := range macs[1:4] {
		phone(fake, mac)
		if body := login(); !strings.Contains(body, "You are online") {
			t.Fatalf("move %d to %s: %s", i+1, mac, body)
		}
		s := sessions()
		if len(s) != 1 || s[0]["mac-address"] != mac {
			t.Fatalf("after move %d the router's sessions = %v, want only %s's", i+1, s, mac)
		}
		// The lock follows at the latest with the next pass (one may be
		// under way with the lock from before).
		if _, err := e.reconciler.Sync(t.Context(), site); err != nil {
			t.Fatal(err)
		}
		for _, u := range fake.Rows("/ip/hotspot/user") {
			if u["name"] == code && u["mac-address"] != mac {
				t.Errorf("after move %d the user is locked to %s, want %s", i+1, u["mac-address"], mac)
			}
		}
	}
	phone(fake, macs[4])
	if body := login(); !strings.Contains(body, "moved to a new device too often") {
		t.Fatalf("fourth move: %s", body)
	}
	if s := sessions(); len(s) != 1 || s[0]["mac-address"] != macs[3] {
		t.Errorf("a refused move changed the sessions: %v", s)
	}
	if _, err := e.reconciler.Sync(t.Context(), site); err != nil {
		t.Fatal(err)
	}
	var users []map[string]any
	e.admin(http.MethodGet, "/captive/sites/"+site+"/users?active=true", nil).json(t, &users)
	if len(users) != 1 {
		t.Fatalf("site users = %v", users)
	}
	moves := users[0]["device_moves"].([]any)
	if len(moves) != 3 || moves[0].(map[string]any)["from_mac"] != macs[0] || moves[2].(map[string]any)["to_mac"] != macs[3] {
		t.Errorf("device moves = %v", moves)
	}

	// A 3-device plan: a second device shares the code, nothing moves.
	for _, a := range fake.Rows("/ip/hotspot/active") { // the phone logs out of the first code
		fake.RemoveRow("/ip/hotspot/active", a[".id"])
	}
	plan := createPlan(t, e, map[string]any{"name": "Family", "session_minutes": 120, "devices": 3})
	e.admin(http.MethodPost, "/captive/instances/"+inst+"/coupons", map[string]any{"count": 1, "plan_id": plan["id"]}).json(t, &coupons)
	code = coupons[0]["code"].(string)
	fake.AddRow("/ip/hotspot/host", map[string]string{"address": "10.5.50.77", "mac-address": "BB:00:00:00:00:01"})
	if _, err := e.reconciler.Sync(t.Context(), site); err != nil {
		t.Fatal(err)
	}
	if err := e.reconciler.LoginGuest(t.Context(), site, code, code, "10.5.50.77", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := e.reconciler.Sync(t.Context(), site); err != nil { // redeemed by BB:…:01
		t.Fatal(err)
	}
	phone(fake, "BB:00:00:00:00:02")
	if body := login(); !strings.Contains(body, "You are online") {
		t.Fatalf("second device of a 3-device plan: %s", body)
	}
	if s := sessions(); len(s) != 2 {
		t.Errorf("sessions of the shared code = %v, want both devices", s)
	}
}
