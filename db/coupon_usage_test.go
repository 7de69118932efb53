package db

import (
	"testing"
	"time"

	"gatehouse/app"
)

// Coupons of plans: what the router is asked to hold, and the usage the
// router reports back.
func TestPlanCouponsStateAndUsage(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	site := mustCreateSite(t, db, testSite("Lobby"))
	other := mustCreateSite(t, db, testSite("Bar"))
	in := mustCreateInstance(t, db, testInstance("Guest", site.ID))
	mb, down := 100, 4000
	solo := app.NewPlan()
	solo.Name, solo.SessionMinutes, solo.DataLimitMB, solo.DownloadKbps = "Solo", 90, &mb, &down
	solo, err := db.CreatePlan(ctx, solo)
	if err != nil {
		t.Fatal(err)
	}
	family := app.NewPlan()
	family.Name, family.SessionMinutes, family.Devices = "Family", 1440, 4
	if family, err = db.CreatePlan(ctx, family); err != nil {
		t.Fatal(err)
	}
	issue := func(planID string) app.Coupon {
		cs, err := db.IssueCoupons(ctx, in.ID, app.CouponIssue{Count: 1, PlanID: planID, MinutesValid: 60})
		if err != nil {
			t.Fatal(err)
		}
		return cs[0]
	}
	a, b, plain := issue(solo.ID), issue(family.ID), issue("")
	if a.Session != 90*time.Minute || *a.DataLimitMB != 100 || plain.Session != 0 || plain.DataLimitMB != nil {
		t.Fatalf("coupons keep session %v data %v, plain %v %v; want the plan's 90m and 100 MB, none", a.Session, a.DataLimitMB, plain.Session, plain.DataLimitMB)
	}
	// Editing the plan leaves what was sold.
	if _, err := db.UpdatePlan(ctx, solo.ID, func(p *app.Plan) error { p.SessionMinutes = 30; return nil }); err != nil {
		t.Fatal(err)
	}

	now := time.Now()
	sess := []app.HotspotSession{{RouterID: "*1", User: a.Code, Address: "10.5.50.7", MACAddress: "AA:00:00:00:00:01"},
		{RouterID: "*2", User: b.Code, Address: "10.5.50.8", MACAddress: "AA:00:00:00:00:02"}}
	if _, err := db.RecordSessions(ctx, site.ID, sess, now); err != nil {
		t.Fatal(err)
	}
	st, err := db.SiteState(ctx, site.ID, now)
	if err != nil {
		t.Fatal(err)
	}
	profiles := map[string]app.RouterProfile{}
	for _, p := range st.Profiles {
		profiles[p.Name] = p
	}
	if p := profiles[app.PlanProfileName(in.ID, solo.ID)]; p.SharedUsers != 1 || p.RateLimit != "0/4000k" || p.SessionTimeout != 30*time.Minute {
		t.Errorf("solo profile = %+v, want 1 device, 0/4000k, the plan's 30 minutes now", p)
	}
	if p := profiles[app.PlanProfileName(in.ID, family.ID)]; p.SharedUsers != 4 || p.RateLimit != "" {
		t.Errorf("family profile = %+v, want 4 devices and no rate limit", p)
	}
	if len(st.Profiles) != 3 {
		t.Errorf("profiles = %+v, want the instance's and one per plan", st.Profiles)
	}
	users := map[string]app.RouterUser{}
	for _, u := range st.Users {
		users[u.Name] = u
	}
	if u := users[a.Code]; u.LimitUptime != 90*time.Minute || u.LimitBytesTotal != 100_000_000 || u.MACAddress != "AA:00:00:00:00:01" {
		t.Errorf("solo user = %+v, want 90m sold, 100 MB, locked to its device", u)
	}
	if u := users[b.Code]; u.MACAddress != "" || u.LimitBytesTotal != 0 || u.LimitUptime != 24*time.Hour {
		t.Errorf("family user = %+v, want no MAC lock (4 devices), no byte limit, 24h", u)
	}
	if u := users[plain.Code]; u.Profile != app.ProfileName(in.ID) || u.LimitBytesTotal != 0 || u.LimitUptime != time.Hour {
		t.Errorf("plain user = %+v", u)
	}

	// Usage: the largest count seen is kept; codes of other sites and
	// unknown names are ignored; reaching the quota marks the coupon.
	usedUp, err := db.RecordCouponUsage(ctx, site.ID, []app.CouponUsage{{Code: a.Code, BytesIn: 10_000_000, BytesOut: 50_000_000},
		{Code: "someone-else", BytesIn: 1}}, now)
	if err != nil || len(usedUp) != 0 {
		t.Fatalf("RecordCouponUsage = %v, %v", usedUp, err)
	}
	if usedUp, _ = db.RecordCouponUsage(ctx, other.ID, []app.CouponUsage{{Code: a.Code, BytesOut: 90_000_000}}, now); len(usedUp) != 0 {
		t.Errorf("another site's report used the coupon up")
	}
	if _, err := db.RecordCouponUsage(ctx, site.ID, []app.CouponUsage{{Code: a.Code, BytesIn: 1, BytesOut: 2}}, now); err != nil {
		t.Fatal(err)
	}
	c := mustCoupon(t, db, in.ID, a.ID)
	if c.BytesIn != 10_000_000 || c.BytesOut != 50_000_000 || *c.DataLeftMB() != 40 {
		t.Fatalf("usage = %d/%d, %d MB left; want the largest counts, 40 MB left", c.BytesIn, c.BytesOut, *c.DataLeftMB())
	}
	later := now.Add(time.Minute)
	usedUp, err = db.RecordCouponUsage(ctx, site.ID, []app.CouponUsage{{Code: a.Code, BytesIn: 10_000_000, BytesOut: 90_000_000}}, later)
	if err != nil || len(usedUp) != 1 || usedUp[0] != a.ID {
		t.Fatalf("RecordCouponUsage at the quota = %v, %v; want coupon a used up", usedUp, err)
	}
	c = mustCoupon(t, db, in.ID, a.ID)
	if c.UsedUpAt == nil || !c.UsedUpAt.Equal(later.Truncate(time.Microsecond)) || !c.SessionEnds.Equal(*c.UsedUpAt) {
		t.Errorf("used up at %v, session ends %v; want both %v", c.UsedUpAt, c.SessionEnds, later)
	}
	st, _ = db.SiteState(ctx, site.ID, later)
	for _, u := range st.Users {
		if u.Name == a.Code {
			t.Error("the used-up coupon is still wanted on the router")
		}
	}
	if _, err := db.ActiveRedemption(ctx, in.ID, "AA:00:00:00:00:01", later); app.ErrorCode(err) != app.ENotFound {
		t.Errorf("active redemption of a used-up coupon: %v, want ENotFound", err)
	}
	// Another device joins a shared plan's code; a 1-device one is refused.
	if _, err := db.CheckRedeem(ctx, app.RedeemRequest{InstanceID: in.ID, Code: b.Code, MAC: "AA:00:00:00:00:09", At: later}); err != nil {
		t.Errorf("second device on a 4-device code: %v", err)
	}
	if _, err := db.CheckRedeem(ctx, app.RedeemRequest{InstanceID: in.ID, Code: a.Code, MAC: "AA:00:00:00:00:01", At: later}); app.ErrorReason(err) != app.ReasonCouponUsedUp {
		t.Errorf("used-up code: %v, want %s", err, app.ReasonCouponUsedUp)
	}
}

// mustCoupon reads a coupon as the listings show it.
func mustCoupon(t *testing.T, db *DB, instanceID, id string) app.Coupon {
	t.Helper()
	list, err := db.FindCoupons(t.Context(), instanceID, app.CouponQuery{Status: app.CouponAll})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range list {
		if c.ID == id {
			return c
		}
	}
	t.Fatalf("coupon %s not found", id)
	return app.Coupon{}
}
