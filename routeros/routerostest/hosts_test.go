package routerostest_test

import (
	"testing"

	"gatehouse/routeros/routerostest"
)

// Hosts behind address translation, and cookies (docs/routeros.md §6).

// seedNATHosts adds a host with its own address 192.168.1.20 that the
// hotspot translated to 10.5.50.20, and a host without translation.
func seedNATHosts(t *testing.T, r *routerostest.Router) {
	t.Helper()
	r.AddRow("/ip/hotspot/host", map[string]string{"address": "192.168.1.20", "to-address": "10.5.50.20",
		"mac-address": "AA:00:00:00:00:20", "server": "hotspot1"})
	r.AddRow("/ip/hotspot/host", map[string]string{"address": "10.5.50.21", "to-address": "10.5.50.21",
		"mac-address": "AA:00:00:00:00:21", "server": "hotspot1"})
}

func TestHostQueriesByEitherAddress(t *testing.T) {
	r := newRouter(t)
	c := dial(t, r)
	seedNATHosts(t, r)
	for _, ip := range []string{"192.168.1.20", "10.5.50.20"} {
		rows := run(t, c, "/ip/hotspot/host/print", "?address="+ip, "?to-address="+ip, "?#|").Re
		if len(rows) != 1 || rows[0].Map["mac-address"] != "AA:00:00:00:00:20" {
			t.Errorf("?address=%s ?to-address=%s ?#|: got %v, want the translated host", ip, ip, rows)
		}
	}
	if rows := run(t, c, "/ip/hotspot/host/print", "?address=10.5.50.20").Re; len(rows) != 0 {
		t.Errorf("?address=10.5.50.20: got %v, want no row (that is the to-address)", rows)
	}
	if rows := run(t, c, "/ip/hotspot/host/print", "?address=10.5.50.99", "?to-address=10.5.50.99", "?#|").Re; len(rows) != 0 {
		t.Errorf("unknown address: got %v, want no row", rows)
	}
}

func TestActiveLoginByToAddress(t *testing.T) {
	r := newRouter(t)
	c := dial(t, r)
	seedNATHosts(t, r)
	run(t, c, "/ip/hotspot/user/profile/add", "=name=many", "=shared-users=unlimited")
	run(t, c, "/ip/hotspot/user/add", "=name=V", "=password=pw", "=profile=many")
	login := func(ip string) []string {
		return []string{"/ip/hotspot/active/login", "=user=V", "=password=pw", "=ip=" + ip}
	}
	// The portal sees the to-address; the login finds the host by it.
	run(t, c, login("10.5.50.20")...)
	act := run(t, c, "/ip/hotspot/active/print").Re
	if len(act) != 1 || act[0].Map["address"] != "192.168.1.20" || act[0].Map["mac-address"] != "AA:00:00:00:00:20" {
		t.Fatalf("active = %v, want one session with the host's own address 192.168.1.20", act)
	}
	// The same host by its own address is already logged in.
	wantTrap(t, c, "already authorized", login("192.168.1.20")...)
	if h := r.Rows("/ip/hotspot/host")[0]; h["authorized"] != "true" {
		t.Errorf("host authorized = %q, want true", h["authorized"])
	}
	run(t, c, "/ip/hotspot/active/remove", "=.id="+act[0].Map[".id"])
	if h := r.Rows("/ip/hotspot/host")[0]; h["authorized"] != "false" {
		t.Errorf("after remove host authorized = %q, want false", h["authorized"])
	}
	run(t, c, login("192.168.1.20")...)
	run(t, c, login("10.5.50.21")...)
	wantTrap(t, c, "no such host (10.5.50.99)", login("10.5.50.99")...)
}

func TestCookies(t *testing.T) {
	r := newRouter(t)
	c := dial(t, r)
	w, ro, _ := routerostest.Properties("/ip/hotspot/cookie")
	if len(w) != 0 || len(ro) != 4 {
		t.Errorf("cookie properties: got writable %v, read-only %v, want none and 4", w, ro)
	}
	a := r.AddRow("/ip/hotspot/cookie", map[string]string{"user": "V", "mac-address": "AA:00:00:00:00:20", "expires-in": "2d23h"})
	r.AddRow("/ip/hotspot/cookie", map[string]string{"user": "V", "mac-address": "AA:00:00:00:00:21", "domain": "ex"})
	r.AddRow("/ip/hotspot/cookie", map[string]string{"user": "W", "mac-address": "AA:00:00:00:00:22"})
	rows := run(t, c, "/ip/hotspot/cookie/print", "?user=V").Re
	if len(rows) != 2 || rows[0].Map["expires-in"] != "2d23h" || rows[1].Map["domain"] != "ex" {
		t.Fatalf("print ?user=V = %v, want two cookies", rows)
	}
	run(t, c, "/ip/hotspot/cookie/remove", "=.id="+a)
	if got := names(run(t, c, "/ip/hotspot/cookie/print")); got != "V,W" {
		t.Errorf("after remove: users %q, want V,W", got)
	}
	wantTrap(t, c, "no such command", "/ip/hotspot/cookie/add", "=user=X")
	wantTrap(t, c, "no such command", "/ip/hotspot/cookie/set", "=.id="+a, "=user=X")
	wantTrap(t, c, "no such item (4)", "/ip/hotspot/cookie/remove", "=.id="+a)
}
