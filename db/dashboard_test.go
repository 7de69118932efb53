package db

import (
	"strings"
	"testing"
	"time"

	"gatehouse/app"
)

func TestDashboard(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	now := time.Now()
	empty, err := db.Dashboard(ctx, now.Add(-time.Hour), now.Add(-2*time.Hour))
	if err != nil || empty.Sites != (app.SiteCounts{}) || empty.GuestsOnline != 0 || empty.Coupons != (app.CouponCounts{}) || len(empty.Portals) != 0 {
		t.Fatalf("empty store: got %+v, %v; want zeros", empty, err)
	}

	lobby := mustCreateSite(t, db, testSite("Lobby"))
	pool := mustCreateSite(t, db, testSite("Pool"))
	mustCreateSite(t, db, testSite("Garage")) // never synced: unknown
	for id, state := range map[string]string{lobby.ID: app.SiteOnline, pool.ID: app.SiteOffline} {
		if err := db.SetSiteStatus(ctx, id, app.SiteStatus{State: state}); err != nil {
			t.Fatal(err)
		}
	}
	in := mustCreateInstance(t, db, testInstance("Guest", lobby.ID, pool.ID))
	coupons, err := db.CreateCoupons(ctx, in.ID, 6, 600)
	if err != nil {
		t.Fatal(err)
	}
	// Coupon 5 was issued three days ago (before "today", inside "week").
	if _, err := db.writer.ExecContext(ctx, `UPDATE coupons SET created_at = ? WHERE id = ?`,
		micros(now.Add(-72*time.Hour)), coupons[5].ID); err != nil {
		t.Fatal(err)
	}
	// Two guests on at the lobby (redeemed a minute and two hours ago), one
	// at the pool; coupon 3 was redeemed at the portal an hour ago.
	sessions := []app.HotspotSession{
		{RouterID: "*1", User: coupons[0].Code, MACAddress: "AA:BB:CC:00:00:01", Uptime: time.Minute},
		{RouterID: "*2", User: coupons[1].Code, MACAddress: "AA:BB:CC:00:00:02", Uptime: 2 * time.Hour},
	}
	if _, err := db.RecordSessions(ctx, lobby.ID, sessions, now); err != nil {
		t.Fatal(err)
	}
	pooled := []app.HotspotSession{{RouterID: "*1", User: coupons[2].Code, MACAddress: "AA:BB:CC:00:00:03", Uptime: time.Second}}
	if _, err := db.RecordSessions(ctx, pool.ID, pooled, now); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Redeem(ctx, app.RedeemRequest{InstanceID: in.ID, Code: coupons[3].Code, MAC: "AA:BB:CC:00:00:04", At: now.Add(-time.Hour)}); err != nil {
		t.Fatal(err)
	}

	// "Today" began 90 minutes ago, "this week" four days ago.
	got, err := db.Dashboard(ctx, now.Add(-90*time.Minute), now.Add(-96*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	want := app.Dashboard{
		Sites:        app.SiteCounts{Total: 3, Online: 1, Offline: 1, Unknown: 1},
		GuestsOnline: 3,
		Coupons:      app.CouponCounts{IssuedToday: 5, RedeemedToday: 3, IssuedWeek: 6, RedeemedWeek: 4},
	}
	portals := got.Portals // checked in TestDashboardPortals
	if !sameFigures(got, want) {
		t.Fatalf("Dashboard = %+v, want %+v", got, want)
	}
	if len(portals) == 0 {
		t.Fatalf("Dashboard.Portals is empty, want the coupon instances")
	}

	// The pool's guest leaves; periods that start now count nothing.
	if _, err := db.RecordSessions(ctx, pool.ID, nil, now); err != nil {
		t.Fatal(err)
	}
	later := now.Add(time.Minute)
	got, err = db.Dashboard(ctx, later, later)
	if err != nil {
		t.Fatal(err)
	}
	if got.GuestsOnline != 2 || got.Coupons != (app.CouponCounts{}) {
		t.Fatalf("after the pool guest left, periods from now: %+v; want 2 guests and no coupons", got)
	}
}

// TestDashboardUsesIndexes keeps the dashboard's queries off full scans of
// the coupons and site_users tables, which grow without bound.
func TestDashboardUsesIndexes(t *testing.T) {
	db := openTest(t)
	for _, tc := range []struct {
		query string
		args  []any
		want  []string
	}{
		{dashboardCouponsSQL, []any{1, 1, 1, 1}, []string{"coupons_created", "coupons_redeemed"}},
		{dashboardGuestsSQL, nil, []string{"site_users_active"}},
	} {
		plan, err := queryAll(t.Context(), db.reader, "EXPLAIN QUERY PLAN "+tc.query, func(sc scanner) (string, error) {
			var id, parent, unused int
			var detail string
			err := sc.Scan(&id, &parent, &unused, &detail)
			return detail, err
		}, tc.args...)
		if err != nil {
			t.Fatal(err)
		}
		text := strings.Join(plan, "\n")
		for _, line := range plan {
			if (strings.Contains(line, "coupons") || strings.Contains(line, "site_users")) && !strings.Contains(line, "INDEX") {
				t.Errorf("query plan reads a table whole: %q\nplan:\n%s", line, text)
			}
		}
		for _, idx := range tc.want {
			if !strings.Contains(text, idx) {
				t.Errorf("query plan does not use %s:\n%s", idx, text)
			}
		}
	}
}

func TestDashboardPortals(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	in := app.NewInstance()
	in.Name, in.Strategy, in.SessionTTL = "Lobby", app.StrategyCoupon, 3600
	in, err := db.CreateInstance(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	made, err := db.CreateCoupons(ctx, in.ID, 4, 60)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.RevokeCoupon(ctx, in.ID, made[0].ID, app.Actor{Role: app.RoleAdmin}); err != nil {
		t.Fatal(err)
	}
	d, err := db.Dashboard(ctx, time.Now(), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if want := []app.PortalCodes{{ID: in.ID, Name: "Lobby", Unused: 3}}; len(d.Portals) != 1 || d.Portals[0] != want[0] {
		t.Fatalf("Portals = %+v, want %+v", d.Portals, want)
	}
}

// sameFigures compares the counts of two dashboards (not the portals).
func sameFigures(a, b app.Dashboard) bool {
	return a.Sites == b.Sites && a.GuestsOnline == b.GuestsOnline && a.Coupons == b.Coupons
}
