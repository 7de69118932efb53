package db

import (
	"testing"
	"time"

	"gatehouse/app"
)

func TestSiteStateAndSessions(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	site := mustCreateSite(t, db, testSite("Lobby"))
	other := mustCreateSite(t, db, testSite("Bar"))
	in := mustCreateInstance(t, db, testInstance("Guest", site.ID))
	_ = mustCreateInstance(t, db, testInstance("Bar only", other.ID))
	coupons, err := db.CreateCoupons(ctx, in.ID, 3, 60)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateWalledGardenEntry(ctx, app.WalledGardenEntry{SiteID: site.ID, Name: "g", IPAddress: "8.8.8.8", Host: "*.example.org"}); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	st, err := db.SiteState(ctx, site.ID, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Profiles) != 1 || st.Profiles[0].Name != app.ProfileName(in.ID) || st.Profiles[0].SessionTimeout != time.Hour {
		t.Fatalf("profiles = %+v", st.Profiles)
	}
	if len(st.Users) != 3 || st.Users[0].Name != coupons[0].Code || st.Users[0].Password != coupons[0].Code ||
		st.Users[0].Server != "all" || st.Users[0].LimitUptime != time.Hour || st.Users[0].Comment != app.CouponComment(coupons[0].ID) {
		t.Fatalf("users = %+v", st.Users)
	}
	if len(st.Garden) != 2 {
		t.Fatalf("garden = %+v, want an IP rule and a host rule", st.Garden)
	}

	// The router reports coupon 0 in use: it is redeemed, locked to the MAC,
	// and a site user appears.
	sess := []app.HotspotSession{
		{RouterID: "*1", User: coupons[0].Code, Address: "10.5.50.7", MACAddress: "AA:BB:CC:00:00:01", Uptime: 5 * time.Minute, BytesIn: 100},
		{RouterID: "*2", User: "someone-else", Address: "10.5.50.8", MACAddress: "AA:BB:CC:00:00:02"},
	}
	redeemed, err := db.RecordSessions(ctx, site.ID, sess, now)
	if err != nil || len(redeemed) != 1 || redeemed[0] != coupons[0].ID {
		t.Fatalf("RecordSessions = %v, %v; want coupon 0 redeemed", redeemed, err)
	}
	users, err := db.ListSiteUsers(ctx, site.ID, true)
	if err != nil || len(users) != 1 {
		t.Fatalf("site users = %+v, %v", users, err)
	}
	u := users[0]
	if u.CouponID != coupons[0].ID || u.MACAddress != "AA:BB:CC:00:00:01" || !u.Active || u.BytesIn != 100 ||
		!u.LoginAt.Equal(now.Add(-5*time.Minute).Truncate(time.Microsecond)) || !u.ExpiresAt.Equal(u.LoginAt.Add(time.Hour)) {
		t.Fatalf("site user = %+v", u)
	}
	st, _ = db.SiteState(ctx, site.ID, now)
	if st.Users[0].MACAddress != "AA:BB:CC:00:00:01" {
		t.Fatalf("redeemed user not locked to its MAC: %+v", st.Users[0])
	}
	valid, _ := db.ListCoupons(ctx, in.ID, app.CouponValid)
	if len(valid) != 2 {
		t.Fatalf("valid coupons = %d, want 2", len(valid))
	}

	// Counters follow; a second pass redeems nothing new.
	sess[0].BytesIn = 5000
	if redeemed, err = db.RecordSessions(ctx, site.ID, sess[:1], now.Add(time.Minute)); err != nil || len(redeemed) != 0 {
		t.Fatalf("second pass: %v, %v", redeemed, err)
	}
	if users, _ = db.ListSiteUsers(ctx, site.ID, false); len(users) != 1 || users[0].BytesIn != 5000 {
		t.Fatalf("after second pass: %+v", users)
	}
	// The session is gone: the site user is logged out.
	if _, err := db.RecordSessions(ctx, site.ID, nil, now.Add(2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if users, _ = db.ListSiteUsers(ctx, site.ID, true); len(users) != 0 {
		t.Fatalf("active after logout: %+v", users)
	}
	if users, _ = db.ListSiteUsers(ctx, site.ID, false); len(users) != 1 || users[0].LogoutAt == nil {
		t.Fatalf("after logout: %+v", users)
	}

	// After its session ends, the coupon leaves the router's desired state;
	// revoked coupons leave at once.
	if err := db.RevokeCoupon(ctx, in.ID, coupons[1].ID, app.Actor{Role: app.RoleAdmin}); err != nil {
		t.Fatal(err)
	}
	st, _ = db.SiteState(ctx, site.ID, now.Add(2*time.Hour))
	if len(st.Users) != 0 {
		t.Fatalf("two hours later users = %+v, want none (one ended, one revoked, one expired)", st.Users)
	}
	_, err = db.SiteState(ctx, unknownID, now)
	wantCode(t, err, app.ENotFound, "")
	_, err = db.RecordSessions(ctx, unknownID, nil, now)
	wantCode(t, err, app.ENotFound, "")
}
