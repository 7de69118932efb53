package routerostest_test

import "testing"

// Byte limits (docs/routeros.md §2): a user's limits are totals over its
// sessions, a session gets what is left, reaching it logs the guest out,
// and a finished session's counters go to its user.
func TestTrafficLimitLogsOut(t *testing.T) {
	r := newRouter(t)
	c := dial(t, r)
	seedNATHosts(t, r)
	run(t, c, "/ip/hotspot/user/profile/add", "=name=two", "=shared-users=2")
	run(t, c, "/ip/hotspot/user/add", "=name=Q", "=password=pw", "=profile=two", "=limit-bytes-total=1000")
	login := func(ip string) []string {
		return []string{"/ip/hotspot/active/login", "=user=Q", "=password=pw", "=ip=" + ip}
	}
	run(t, c, login("10.5.50.21")...)
	if act := run(t, c, "/ip/hotspot/active/print").Re; len(act) != 1 || act[0].Map["limit-bytes-total"] != "1000" {
		t.Fatalf("active = %v, want one session with limit-bytes-total=1000", act)
	}
	if r.Traffic("10.5.50.21", 100, 200) {
		t.Fatal("300 of 1000 bytes ended the session")
	}
	// Logging out by hand moves the session's counters to the user.
	act := run(t, c, "/ip/hotspot/active/print").Re
	if act[0].Map["bytes-in"] != "100" || act[0].Map["bytes-out"] != "200" {
		t.Errorf("session counters = %v, want 100 in, 200 out", act[0].Map)
	}
	run(t, c, "/ip/hotspot/active/remove", "=.id="+act[0].Map[".id"])
	u := run(t, c, "/ip/hotspot/user/print", "?name=Q").Re[0].Map
	if u["bytes-in"] != "100" || u["bytes-out"] != "200" {
		t.Errorf("user counters after logout = in %s out %s, want 100 and 200", u["bytes-in"], u["bytes-out"])
	}
	// The next session gets what is left; reaching it logs the guest out.
	run(t, c, login("10.5.50.21")...)
	if act := run(t, c, "/ip/hotspot/active/print").Re; act[0].Map["limit-bytes-total"] != "700" {
		t.Errorf("second session limit-bytes-total = %s, want 700 (1000 - 300 used)", act[0].Map["limit-bytes-total"])
	}
	if !r.Traffic("10.5.50.21", 50, 650) {
		t.Fatal("700 more bytes did not end the session")
	}
	if act := run(t, c, "/ip/hotspot/active/print").Re; len(act) != 0 {
		t.Errorf("active after the limit = %v, want none", act)
	}
	u = run(t, c, "/ip/hotspot/user/print", "?name=Q").Re[0].Map
	if u["bytes-in"] != "150" || u["bytes-out"] != "850" {
		t.Errorf("user counters = in %s out %s, want 150 and 850", u["bytes-in"], u["bytes-out"])
	}
	wantTrap(t, c, "traffic limit reached", login("10.5.50.21")...)
	if r.Traffic("10.5.50.99", 1, 1) {
		t.Error("traffic of an address without a session ended something")
	}
}
