package scheduler_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"gatehouse/app"
	"gatehouse/routeros/routerostest"
)

func TestReconcilePushesAndConverges(t *testing.T) {
	r := newRig(t, 2*time.Second)
	foreign := r.router.AddRow("/ip/hotspot/user", map[string]string{"name": "staff", "password": "x"})
	_ = foreign
	coupons := r.coupons(50)
	if _, err := r.store.CreateWalledGardenEntry(t.Context(), app.WalledGardenEntry{SiteID: r.site.ID, Name: "g", IPAddress: "8.8.8.8", Host: "*.example.org"}); err != nil {
		t.Fatal(err)
	}
	r.converge() // the worker's first pass may do the work; then nothing is left
	r.wantUsers(coupons, "staff")
	// 8.8.8.8 and the portal by name at IP level (HTTPS), *.example.org and
	// the portal at HTTP level; the router's dynamic rows aside.
	ipRules, hostRules := staticRows(r.router.Rows("/ip/hotspot/walled-garden/ip")), r.router.Rows("/ip/hotspot/walled-garden")
	if len(ipRules) != 2 || len(hostRules) != 2 {
		t.Fatalf("walled garden on the router: ip %v, host %v; want 2 and 2", ipRules, hostRules)
	}
	portal := 0
	for _, row := range append(ipRules, hostRules...) {
		if row["dst-host"] == "gatehouse.test" && strings.HasPrefix(row["comment"], app.PortalComment) {
			portal++
		}
	}
	if portal != 2 {
		t.Fatalf("portal host rules = %d, want 2 (HTTP and IP level)", portal)
	}
	// A pass reports exactly what it changed.
	more := r.coupons(5)
	if err := r.store.RevokeCoupon(t.Context(), r.instance.ID, coupons[49].ID, app.Actor{Role: app.RoleAdmin}); err != nil {
		t.Fatal(err)
	}
	res, err := r.rec.Sync(t.Context(), r.site.ID)
	if err != nil || res.Added != 5 || res.Removed != 1 || res.Updated != 0 || len(res.Errors) != 0 {
		t.Fatalf("sync after 5 new and 1 revoked: %+v, %v", res, err)
	}
	coupons = append(coupons[:49], more...)

	site, err := r.store.Site(t.Context(), r.site.ID)
	if err != nil || site.Status.State != app.SiteOnline || site.Status.LastSyncAt == nil || site.Status.RouterOSVersion == "" ||
		site.Status.CPULoad == nil || site.Status.Uptime == nil {
		t.Fatalf("site status = %+v, %v; want online with version, CPU load and uptime", site.Status, err)
	}

	// A guest logs in with coupon 0 on the router's own page: the next pass
	// redeems it and locks the user to the device.
	r.router.AddRow("/ip/hotspot/active", map[string]string{"user": coupons[0].Code, "address": "10.5.50.7",
		"mac-address": "AA:BB:CC:00:00:07", "uptime": "2m"})
	r.converge()
	users, _ := r.store.ListSiteUsers(t.Context(), r.site.ID, true)
	if len(users) != 1 || users[0].CouponID != coupons[0].ID {
		t.Fatalf("site users = %+v", users)
	}
	for _, row := range r.router.Rows("/ip/hotspot/user") {
		if row["name"] == coupons[0].Code && row["mac-address"] != "AA:BB:CC:00:00:07" {
			t.Fatalf("redeemed user not locked: %v", row)
		}
	}

	// Revoking it removes the user and ends the session.
	if err := r.store.RevokeCoupon(t.Context(), r.instance.ID, coupons[0].ID, app.Actor{Role: app.RoleAdmin}); err != nil {
		t.Fatal(err)
	}
	r.converge()
	r.wantUsers(coupons[1:], "staff")
	if n := len(r.router.Rows("/ip/hotspot/active")); n != 0 {
		t.Fatalf("%d active sessions left after revoke", n)
	}
}

// TestRouterDownAtStart: gatehouse starts while the router is down; the
// site shows offline with the error; when the router is back, the worker
// heals by itself.
func TestRouterDownAtStart(t *testing.T) {
	r := newRig(t, time.Second)
	coupons := r.coupons(20)
	r.router.Stop()
	_, err := r.rec.Sync(t.Context(), r.site.ID)
	if app.ErrorCode(err) != app.EUnavailable {
		t.Fatalf("sync with the router down: %v, want unavailable", err)
	}
	site, _ := r.store.Site(t.Context(), r.site.ID)
	if site.Status.State != app.SiteOffline || site.Status.LastError == "" {
		t.Fatalf("status = %+v, want offline with an error", site.Status)
	}
	// The admin page words it from a key: which failure, with the router.
	if tx := site.Status.LastErrorText; tx == nil || (tx.Key != "router.cannot_connect" && tx.Key != "router.unreachable_retry") ||
		tx.Params["router"] == "" || tx.Params["cause"] == "" || !strings.Contains(site.Status.LastError, tx.English()) {
		t.Errorf("last error text = %+v, want the failed connection, as said in %q", tx, site.Status.LastError)
	}
	if err := r.router.Start(); err != nil {
		t.Fatal(err)
	}
	r.rec.Kick()
	waitFor(t, func() bool { return len(r.router.Rows("/ip/hotspot/user")) == 20 })
	r.wantUsers(coupons)
	waitFor(t, func() bool {
		site, _ := r.store.Site(t.Context(), r.site.ID)
		return site.Status.State == app.SiteOnline
	})
}

// TestRouterDropsMidPush: the connection drops in the middle of a
// 500-user push; the next passes put exactly the right users there.
func TestRouterDropsMidPush(t *testing.T) {
	r := newRig(t, 2*time.Second)
	coupons := r.coupons(500)
	r.router.DropAfter(200)
	if res, err := r.rec.Sync(t.Context(), r.site.ID); err == nil && len(res.Errors) == 0 && res.Added == 501 {
		t.Fatalf("the drop did not interrupt the push: %+v", res)
	}
	r.converge()
	r.wantUsers(coupons)
}

// TestSlowRouter: replies slower than the command deadline mark the site
// offline instead of hanging; once the router is fast again it heals.
func TestSlowRouter(t *testing.T) {
	r := newRig(t, 200*time.Millisecond)
	coupons := r.coupons(10)
	r.router.SetLatency(500 * time.Millisecond)
	start := time.Now()
	_, err := r.rec.Sync(t.Context(), r.site.ID)
	if app.ErrorCode(err) != app.EUnavailable {
		t.Fatalf("slow router: %v, want unavailable", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Fatalf("a slow router held the pass for %v", d)
	}
	r.router.SetLatency(0)
	r.converge()
	r.wantUsers(coupons)
}

// TestTrapOnEveryTenthAdd: refused adds are reported and retried; the
// router ends with every user once.
func TestTrapOnEveryTenthAdd(t *testing.T) {
	r := newRig(t, 2*time.Second)
	coupons := r.coupons(100)
	r.router.FailWhen(routerostest.FailEvery("/ip/hotspot/user/add", 10, routerostest.Trap{Message: "failure: out of memory"}))
	res, err := r.rec.Sync(t.Context(), r.site.ID)
	if err != nil || len(res.Errors) == 0 {
		t.Fatalf("first pass: %+v, %v; want reported trap errors", res, err)
	}
	r.router.FailWhen(nil)
	r.converge()
	r.wantUsers(coupons)
}

// TestStoppedMidPush: gatehouse stops in the middle of a push and starts
// again; the new reconciler finishes the job without duplicates.
func TestStoppedMidPush(t *testing.T) {
	r := newRig(t, 2*time.Second)
	coupons := r.coupons(500)
	r.router.SetLatency(2 * time.Millisecond)
	ctx, cancel := context.WithCancel(t.Context())
	go func() {
		waitFor(t, func() bool { return len(r.router.Rows("/ip/hotspot/user")) > 50 })
		cancel()
	}()
	r.rec.Sync(ctx, r.site.ID)
	r.rec.Close(context.Background())
	r.router.SetLatency(0)
	r.rec = r.newReconciler(2 * time.Second)
	r.converge()
	r.wantUsers(coupons)
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met in 10s")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// staticRows drops the rows the router made itself (dynamic=true).
func staticRows(rows []map[string]string) []map[string]string {
	var out []map[string]string
	for _, row := range rows {
		if row["dynamic"] != "true" {
			out = append(out, row)
		}
	}
	return out
}
