package scheduler_test

import (
	"testing"
	"time"

	"gatehouse/app"
)

// Plans on the router (docs/routeros.md §2): a profile per (instance,
// plan) with the plan's devices, speed and session; users with the time
// and data sold; the router's byte counters coming back as the coupon's
// usage, and a coupon whose data ran out leaving the router.
func TestPlanOnRouter(t *testing.T) {
	r := newRig(t, 2*time.Second)
	ctx := t.Context()
	data, down, up := 500, 10000, 2000
	plan := app.NewPlan()
	plan.Name, plan.SessionMinutes, plan.Devices = "Family", 120, 2
	plan.DataLimitMB, plan.DownloadKbps, plan.UploadKbps = &data, &down, &up
	plan, err := r.store.CreatePlan(ctx, plan)
	if err != nil {
		t.Fatal(err)
	}
	sold, err := r.store.IssueCoupons(ctx, r.instance.ID, app.CouponIssue{Count: 1, PlanID: plan.ID})
	if err != nil {
		t.Fatal(err)
	}
	plain := r.coupons(1)[0]
	r.converge()

	profileName := app.PlanProfileName(r.instance.ID, plan.ID)
	profiles := map[string]map[string]string{}
	for _, row := range r.router.Rows(menuProfile) {
		profiles[row["name"]] = row
	}
	pp := profiles[profileName]
	if pp == nil || pp["shared-users"] != "2" || pp["rate-limit"] != "2000k/10000k" || pp["session-timeout"] != "2h" {
		t.Fatalf("plan profile %s = %v, want shared-users 2, rate-limit 2000k/10000k (upload first), session-timeout 2h", profileName, pp)
	}
	if ip := profiles[app.ProfileName(r.instance.ID)]; ip == nil || ip["rate-limit"] != "" {
		t.Errorf("instance profile = %v, want it without a rate-limit", ip)
	}
	users := map[string]map[string]string{}
	for _, row := range r.router.Rows(menuUser) {
		users[row["name"]] = row
	}
	code := sold[0].Code
	if u := users[code]; u["profile"] != profileName || u["limit-uptime"] != "2h" || u["limit-bytes-total"] != "500000000" {
		t.Fatalf("plan user = %v, want the plan's profile, limit-uptime 2h, limit-bytes-total 500000000", u)
	}
	if u := users[plain.Code]; u["limit-bytes-total"] != "" || u["profile"] != app.ProfileName(r.instance.ID) {
		t.Errorf("user without a plan = %v, want no byte limit and the instance's profile", u)
	}

	// Two devices share the code; a third is refused by the router.
	for i, ip := range []string{"10.5.50.31", "10.5.50.32", "10.5.50.33"} {
		r.router.AddRow("/ip/hotspot/host", map[string]string{"address": ip, "mac-address": "AA:00:00:00:00:3" + string(rune('1'+i)), "server": "hotspot1"})
	}
	for _, ip := range []string{"10.5.50.31", "10.5.50.32"} {
		if err := r.rec.LoginGuest(ctx, r.site.ID, code, code, ip, ""); err != nil {
			t.Fatalf("login from %s: %v", ip, err)
		}
	}
	if err := r.rec.LoginGuest(ctx, r.site.ID, code, code, "10.5.50.33", ""); err == nil {
		t.Error("a third device logged in with a 2-device plan")
	}
	r.converge()
	if u := r.router.Rows(menuUser); lockedTo(u, code) != "" {
		t.Errorf("2-device plan user locked to %s after redemption, want no MAC lock", lockedTo(u, code))
	}

	// The router counts traffic; gatehouse records it on the coupon.
	r.router.Traffic("10.5.50.32", 20_000_000, 100_000_000)
	r.converge()
	c := r.coupon(sold[0].ID)
	if c.BytesIn != 20_000_000 || c.BytesOut != 100_000_000 || *c.DataLeftMB() != 380 || c.UsedUpAt != nil {
		t.Fatalf("coupon usage = in %d out %d left %d used up %v, want 20 MB in, 100 MB out, 380 MB left",
			c.BytesIn, c.BytesOut, *c.DataLeftMB(), c.UsedUpAt)
	}

	// One device goes past the quota: the router logs it out, gatehouse
	// marks the coupon used up and removes the user, ending the other
	// device's session too.
	if !r.router.Traffic("10.5.50.31", 50_000_000, 460_000_000) {
		t.Fatal("the fake did not log out a session past its limit")
	}
	r.converge() // records the usage: used up, and asks for the pass that removes the user
	waitFor(t, func() bool { return len(r.router.Rows(menuUser)) == 1 })
	r.converge()
	c = r.coupon(sold[0].ID)
	if c.UsedUpAt == nil || *c.DataLeftMB() != 0 || c.SessionEnds == nil || !c.SessionEnds.Equal(*c.UsedUpAt) {
		t.Fatalf("coupon after the quota = used up %v, left %d, session ends %v; want used up, 0 left, session ended then",
			c.UsedUpAt, *c.DataLeftMB(), c.SessionEnds)
	}
	for _, u := range r.router.Rows(menuUser) {
		if u["name"] == code {
			t.Fatalf("used-up coupon's user still on the router: %v", u)
		}
	}
	for _, a := range r.router.Rows("/ip/hotspot/active") {
		if a["user"] == code {
			t.Errorf("session of the used-up coupon still active: %v", a)
		}
	}
	for _, p := range r.router.Rows(menuProfile) {
		if p["name"] == profileName {
			t.Errorf("plan profile still on the router with no coupon of the plan left: %v", p)
		}
	}
	_, err = r.store.CheckRedeem(ctx, app.RedeemRequest{InstanceID: r.instance.ID, Code: code, MAC: "AA:00:00:00:00:31", At: time.Now()})
	if app.ErrorReason(err) != app.ReasonCouponUsedUp {
		t.Errorf("redeeming a used-up code: %v, want reason %s", err, app.ReasonCouponUsedUp)
	}
}

// lockedTo returns the MAC address the user name is locked to, "" when
// none.
func lockedTo(rows []map[string]string, name string) string {
	for _, u := range rows {
		if u["name"] == name && u["mac-address"] != "00:00:00:00:00:00" {
			return u["mac-address"]
		}
	}
	return ""
}

// coupon reads one coupon of the rig's instance as listings show it.
func (r *rig) coupon(id string) app.Coupon {
	r.t.Helper()
	list, err := r.store.FindCoupons(r.t.Context(), r.instance.ID, app.CouponQuery{Status: app.CouponAll})
	if err != nil {
		r.t.Fatal(err)
	}
	for _, c := range list {
		if c.ID == id {
			return c
		}
	}
	r.t.Fatalf("coupon %s not found", id)
	return app.Coupon{}
}
