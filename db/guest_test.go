package db

import (
	"strings"
	"testing"
	"time"

	"gatehouse/app"
)

// The hourly purge's anonymizing: ended sessions past retention lose
// MAC, IP and identity to a keyed hash, the same device hashing alike;
// recent ones keep them.
func TestAnonymizeGuests(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	site := mustCreateSite(t, db, testSite("Lobby"))
	in := mustCreateInstance(t, db, testInstance("Guest", site.ID))
	coupons, err := db.CreateCoupons(ctx, in.ID, 3, 60)
	if err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-100 * 24 * time.Hour)
	visit := func(c app.Coupon, mac string, at time.Time) {
		t.Helper()
		sess := []app.HotspotSession{{RouterID: "*1", User: c.Code, Address: "10.5.50.9", MACAddress: mac}}
		if _, err := db.RecordSessions(ctx, site.ID, sess, at); err != nil {
			t.Fatal(err)
		}
		if _, err := db.RecordSessions(ctx, site.ID, nil, at.Add(time.Minute)); err != nil { // logged out
			t.Fatal(err)
		}
	}
	visit(coupons[0], "AA:00:00:00:00:01", old)
	visit(coupons[1], "AA:00:00:00:00:01", old.Add(time.Hour)) // the same phone again
	visit(coupons[2], "AA:00:00:00:00:02", time.Now())         // recent
	if _, err := db.writer.ExecContext(ctx, `UPDATE site_users SET updated_at = ? WHERE mac_address = 'AA:00:00:00:00:01'`,
		micros(old.Add(2*time.Hour))); err != nil {
		t.Fatal(err)
	}
	n, err := db.AnonymizeGuests(ctx, time.Now().Add(-app.DefaultGuestRetention), time.Now().Add(-app.OAuthAttemptRetention))
	if err != nil || n < 2 {
		t.Fatalf("AnonymizeGuests = %d, %v", n, err)
	}
	users, err := db.ListSiteUsers(ctx, site.ID, false)
	if err != nil || len(users) != 3 {
		t.Fatalf("site users = %v, %v", users, err)
	}
	byCoupon := map[string]app.SiteUser{}
	for _, u := range users {
		byCoupon[u.CouponID] = u
	}
	a, b, recent := byCoupon[coupons[0].ID], byCoupon[coupons[1].ID], byCoupon[coupons[2].ID]
	if !strings.HasPrefix(a.MACAddress, app.AnonPrefix) || a.MACAddress != b.MACAddress || !strings.HasPrefix(a.IPAddress, app.AnonPrefix) {
		t.Errorf("old visits = %q/%q, %q; want the same keyed hash for one phone", a.MACAddress, b.MACAddress, a.IPAddress)
	}
	if a.LoginAt == nil || a.LogoutAt == nil {
		t.Errorf("the old visit lost its times: %+v", a)
	}
	if recent.MACAddress != "AA:00:00:00:00:02" {
		t.Errorf("a recent visit was anonymized: %q", recent.MACAddress)
	}
	// The found record by the raw MAC still shows both old visits.
	rec, err := db.FindGuest(ctx, app.GuestQuery{MAC: "aa:00:00:00:00:01"})
	if err != nil || len(rec.SiteUsers) != 2 {
		t.Errorf("FindGuest after anonymizing = %d site users, %v", len(rec.SiteUsers), err)
	}
	again, err := db.AnonymizeGuests(ctx, time.Now().Add(-app.DefaultGuestRetention), time.Now().Add(-app.OAuthAttemptRetention))
	if err != nil || again != 0 {
		t.Errorf("a second run changed %d rows (%v), want none", again, err)
	}
}
