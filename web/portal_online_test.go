package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

var endsAt = regexp.MustCompile(`<time id="ends-at" datetime="([^"]+)">([^<]+)</time>`)

// TestPortalOnlineView: the device's own "You are online" page shows when
// the session ends (RFC 3339 for the guest's clock, the server's UTC time
// as text), the data it used once the router reported it, and a Log out
// button to the router's $(link-logout) only when that is the hotspot of
// one of the instance's sites.
func TestPortalOnlineView(t *testing.T) {
	e := newEnv(t, "")
	fake, site, inst := routerSite(t, e)
	guestSubnet(t, e, inst, site, "127.0.0.0/8") // the test client is a guest
	waitHotspotHost(t, e, site, "10.5.50.1")
	var coupons []map[string]any
	e.admin(http.MethodPost, "/captive/instances/"+inst+"/coupons", map[string]any{"count": 1, "minutes_valid": 60}).json(t, &coupons)
	code := coupons[0]["code"].(string)
	const mac = "AA:BB:CC:00:00:20"
	fake.AddRow("/ip/hotspot/host", map[string]string{"address": "127.0.0.1", "mac-address": mac})

	before := time.Now()
	r := e.form("/portal/"+inst+"/login", url.Values{"code": {code}, "site": {site}, "link-logout": {"http://10.5.50.1/logout"}}, nil)
	body := string(r.body)
	if r.status != http.StatusOK || !strings.Contains(body, "You are online") {
		t.Fatalf("API login: %d %s", r.status, body)
	}
	m := endsAt.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no end time on the online page:\n%s", body)
	}
	ends, err := time.Parse(time.RFC3339, m[1])
	if want := before.Add(3600 * time.Second); err != nil || ends.Before(want.Add(-time.Minute)) || ends.After(want.Add(time.Minute)) {
		t.Errorf("ends at %s (%v), want about %s", m[1], err, want.UTC().Format(time.RFC3339))
	}
	if m[2] != ends.UTC().Format("2006-01-02 15:04")+" UTC" {
		t.Errorf("fallback text %q, want the UTC time", m[2])
	}
	if !strings.Contains(body, `href="http://10.5.50.1/logout">Log out</a>`) {
		t.Errorf("no Log out button to the hotspot:\n%s", body)
	}
	if strings.Contains(body, "Data used") {
		t.Errorf("data used shown before the router reported any:\n%s", body)
	}

	// The router reports the session's traffic; the device's status page
	// shows it. A logout link to another host is dropped.
	active := fake.Rows("/ip/hotspot/active")
	if len(active) != 1 {
		t.Fatalf("router sessions = %v", active)
	}
	fake.SetRow("/ip/hotspot/active", active[0][".id"], map[string]string{"bytes-in": "2500000", "bytes-out": "40000000"})
	if _, err := e.reconciler.Sync(t.Context(), site); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ logout, want string }{
		{"http://10.5.50.1/logout", `href="http://10.5.50.1/logout">Log out</a>`},
		{"http://evil.example/logout", ""},
	} {
		q := url.Values{"mac": {mac}, "site": {site}, "link-logout": {tc.logout}}
		page := string(e.call(http.MethodGet, "/portal/"+inst+"?"+q.Encode(), "", nil).body)
		if !strings.Contains(page, "You are online") || !strings.Contains(page, "<dt>Data used</dt><dd>42 MB</dd>") {
			t.Fatalf("status page lacks the session or its 42 MB:\n%s", page)
		}
		if got := strings.Contains(page, "Log out"); got != (tc.want != "") || (tc.want != "" && !strings.Contains(page, tc.want)) {
			t.Errorf("link-logout %s: Log out shown %v, want %q:\n%s", tc.logout, got, tc.want, page)
		}
	}
}

// TestPortalOnlineViewOfAPlan: a guest with a plan's code sees the plan's
// session, the data left once the router counted some, and a code whose
// data ran out is refused with its own message.
func TestPortalOnlineViewOfAPlan(t *testing.T) {
	e := newEnv(t, "")
	fake, site, inst := routerSite(t, e)
	guestSubnet(t, e, inst, site, "127.0.0.0/8")
	waitHotspotHost(t, e, site, "10.5.50.1")
	plan := createPlan(t, e, map[string]any{"name": "Two hours, 500 MB", "session_minutes": 120, "data_limit_mb": 500})
	var coupons []map[string]any
	e.admin(http.MethodPost, "/captive/instances/"+inst+"/coupons", map[string]any{"count": 1, "plan_id": plan["id"]}).json(t, &coupons)
	code := coupons[0]["code"].(string)
	const mac = "AA:BB:CC:00:00:21"
	fake.AddRow("/ip/hotspot/host", map[string]string{"address": "127.0.0.1", "mac-address": mac})

	before := time.Now()
	r := e.form("/portal/"+inst+"/login", url.Values{"code": {code}, "site": {site}}, nil)
	body := string(r.body)
	m := endsAt.FindStringSubmatch(body)
	if r.status != http.StatusOK || m == nil {
		t.Fatalf("API login: %d %s", r.status, body)
	}
	ends, _ := time.Parse(time.RFC3339, m[1])
	if want := before.Add(2 * time.Hour); ends.Before(want.Add(-time.Minute)) || ends.After(want.Add(time.Minute)) {
		t.Errorf("ends at %s, want the plan's two hours from now", m[1])
	}
	if !strings.Contains(body, `<dd id="data-left">500 MB</dd>`) {
		t.Errorf("online page lacks the plan's 500 MB left:\n%s", body)
	}

	// The router counts 120 MB; the device's status page shows 380 MB left.
	if _, err := e.reconciler.Sync(t.Context(), site); err != nil {
		t.Fatal(err)
	}
	fake.Traffic("127.0.0.1", 20_000_000, 100_000_000)
	if _, err := e.reconciler.Sync(t.Context(), site); err != nil {
		t.Fatal(err)
	}
	page := string(e.call(http.MethodGet, "/portal/"+inst+"?"+url.Values{"mac": {mac}, "site": {site}}.Encode(), "", nil).body)
	if !strings.Contains(page, "You are online") || !strings.Contains(page, `<dd id="data-left">380 MB</dd>`) {
		t.Fatalf("status page lacks 380 MB left:\n%s", page)
	}
	var users []map[string]any
	e.admin(http.MethodGet, "/captive/sites/"+site+"/users?active=true", nil).json(t, &users)
	if len(users) != 1 || users[0]["data_left_mb"] != float64(380) || users[0]["bytes_out"] != float64(100_000_000) {
		t.Errorf("site users = %v, want the guest with 380 MB left and 100 MB received", users)
	}

	// Past the quota the router logs the guest out and the code is used up.
	if !fake.Traffic("127.0.0.1", 0, 400_000_000) {
		t.Fatal("the fake router did not log out a session past its limit")
	}
	if _, err := e.reconciler.Sync(t.Context(), site); err != nil {
		t.Fatal(err)
	}
	var list []map[string]any
	e.admin(http.MethodGet, "/captive/instances/"+inst+"/coupons?status=all", nil).json(t, &list)
	if list[0]["used_up_at"] == nil || list[0]["data_left_mb"] != float64(0) || list[0]["bytes_out"] != float64(500_000_000) {
		t.Errorf("coupon after the quota = %v, want used up, 0 MB left, 500 MB received", list[0])
	}
	r = e.form("/portal/"+inst+"/login", url.Values{"code": {code}, "site": {site}}, nil)
	if !strings.Contains(string(r.body), "data allowance is used up") {
		t.Errorf("a used-up code at the portal: %d %s", r.status, r.body)
	}
}
