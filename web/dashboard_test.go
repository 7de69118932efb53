package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"gatehouse/app"
)

// dashboardCounts is the part of a Dashboard answer the tests compare.
type dashboardCounts struct {
	Sites struct {
		Total, Online, Offline, Unknown int
	}
	GuestsOnline int `json:"guests_online"`
	Coupons      struct {
		IssuedToday   int `json:"issued_today"`
		RedeemedToday int `json:"redeemed_today"`
		IssuedWeek    int `json:"issued_week"`
		RedeemedWeek  int `json:"redeemed_week"`
	}
	GeneratedAt string `json:"generated_at"`
}

func getDashboard(t testing.TB, e *env, role app.Role) dashboardCounts {
	t.Helper()
	r := e.as(role, http.MethodGet, "/captive/dashboard", nil)
	wantStatus(t, r, http.StatusOK)
	var d dashboardCounts
	r.json(t, &d)
	return d
}

func TestDashboard(t *testing.T) {
	e := newEnv(t, "")
	ctx := t.Context()
	if d := getDashboard(t, e, app.RoleAdmin); d.Sites.Total != 0 || d.GuestsOnline != 0 || d.Coupons.IssuedWeek != 0 {
		t.Fatalf("empty server: %+v, want zeros", d)
	}

	// Three routers: one online, one offline, one never reached. They are
	// stored directly, so no reconciler worker runs for them and their
	// state is the one recorded here.
	var sites []string
	for i, state := range []string{app.SiteOnline, app.SiteOffline, ""} {
		site, err := e.store.CreateSite(ctx, app.Site{Name: "Site " + strconv.Itoa(i), Host: "192.0.2.1", Username: "admin"})
		if err != nil {
			t.Fatal(err)
		}
		if state != "" {
			if err := e.store.SetSiteStatus(ctx, site.ID, app.SiteStatus{State: state, HotspotHosts: []string{"10.5.50.1"}}); err != nil {
				t.Fatal(err)
			}
		}
		sites = append(sites, site.ID)
	}
	inst := createInstance(t, e, map[string]any{"name": "Guest", "strategy": "coupon", "session_ttl": 3600,
		"sites": []map[string]any{{"id": sites[0]}}})["id"].(string)
	var coupons []map[string]any
	r := e.as(app.RoleFrontdesk, http.MethodPost, "/captive/instances/"+inst+"/coupons", map[string]any{"count": 5, "minutes_valid": 60})
	wantStatus(t, r, http.StatusCreated)
	r.json(t, &coupons)

	// Two guests type their codes at the portal; the lobby router then
	// reports one of them and a third guest whose code it let on itself.
	for i, mac := range []string{"AA:BB:CC:00:00:01", "AA:BB:CC:00:00:02"} {
		form := url.Values{"code": {coupons[i]["code"].(string)}, "mac": {mac}, "ip": {"10.5.50.7"},
			"link-login-only": {"http://10.5.50.1/login"}}
		wantStatus(t, e.form("/portal/"+inst+"/login", form, nil), http.StatusSeeOther)
	}
	sessions := []app.HotspotSession{
		{RouterID: "*1", User: coupons[0]["code"].(string), MACAddress: "AA:BB:CC:00:00:01", Uptime: time.Minute},
		{RouterID: "*2", User: coupons[2]["code"].(string), MACAddress: "AA:BB:CC:00:00:03", Uptime: time.Minute},
	}
	if _, err := e.store.RecordSessions(ctx, sites[0], sessions, time.Now()); err != nil {
		t.Fatal(err)
	}
	// A revoked coupon still counts as issued.
	wantStatus(t, e.admin(http.MethodDelete, "/captive/instances/"+inst+"/coupons/"+coupons[4]["id"].(string), nil), http.StatusNoContent)

	before := time.Now()
	d := getDashboard(t, e, app.RoleOperator)
	if d.Sites.Total != 3 || d.Sites.Online != 1 || d.Sites.Offline != 1 || d.Sites.Unknown != 1 {
		t.Errorf("sites = %+v, want 3 total: 1 online, 1 offline, 1 unknown", d.Sites)
	}
	if d.GuestsOnline != 2 {
		t.Errorf("guests_online = %d, want 2", d.GuestsOnline)
	}
	c := d.Coupons
	if c.IssuedToday != 5 || c.IssuedWeek != 5 || c.RedeemedToday != 3 || c.RedeemedWeek != 3 {
		t.Errorf("coupons = %+v, want 5 issued and 3 redeemed, today and this week", c)
	}
	if at, err := time.Parse(time.RFC3339, d.GeneratedAt); err != nil || at.Sub(before).Abs() > time.Minute {
		t.Errorf("generated_at = %q, want about %s", d.GeneratedAt, before.UTC().Format(time.RFC3339))
	}

	// The guests leave: they are no longer online, but stay redeemed.
	if _, err := e.store.RecordSessions(ctx, sites[0], nil, time.Now()); err != nil {
		t.Fatal(err)
	}
	if d := getDashboard(t, e, app.RoleAdmin); d.GuestsOnline != 0 || d.Coupons.RedeemedToday != 3 {
		t.Errorf("after logout: guests_online %d, redeemed_today %d; want 0 and 3", d.GuestsOnline, d.Coupons.RedeemedToday)
	}

	// "Today" can be the desk's day rather than the server's.
	for _, tz := range []string{"Pacific/Kiritimati", "America/Los_Angeles", "UTC"} {
		r := e.admin(http.MethodGet, "/captive/dashboard?tz="+url.QueryEscape(tz), nil)
		wantStatus(t, r, http.StatusOK)
		var d dashboardCounts
		r.json(t, &d)
		if d.Coupons.IssuedToday != 5 || d.Coupons.IssuedWeek != 5 {
			t.Errorf("tz %s: coupons = %+v, want 5 issued today (they were made a moment ago)", tz, d.Coupons)
		}
	}
	for _, tz := range []string{"Mars/Olympus", "Local", "../../etc/passwd"} {
		wantError(t, e.admin(http.MethodGet, "/captive/dashboard?tz="+url.QueryEscape(tz), nil), http.StatusBadRequest, "parameter_invalid", "tz")
	}

	// The front desk may not see it; nobody without a token may.
	wantError(t, e.as(app.RoleFrontdesk, http.MethodGet, "/captive/dashboard", nil), http.StatusForbidden, "permission_denied", "")
	wantStatus(t, e.call(http.MethodGet, "/captive/dashboard", "", nil), http.StatusUnauthorized)
}
