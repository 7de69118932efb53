package scheduler_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"gatehouse/app"
	"gatehouse/db"
	"gatehouse/routeros"
	"gatehouse/routeros/routerostest"
	"gatehouse/scheduler"
)

// rig is a store with one site pointing at a fake router, a coupon
// instance on it, and a reconciler.
type rig struct {
	t        *testing.T
	store    *db.DB
	router   *routerostest.Router
	site     app.Site
	instance app.Instance
	rec      *scheduler.Reconciler
}

func newRig(t *testing.T, cmdTimeout time.Duration) *rig {
	t.Helper()
	store, err := db.Open(t.Context(), t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	fake := routerostest.New(t, routerostest.Options{User: "api", Password: "s3cret"})
	host, port, _ := net.SplitHostPort(fake.Addr())
	p, _ := strconv.Atoi(port)
	site, err := store.CreateSite(t.Context(), app.Site{Name: "Lobby", Host: host, Port: p, Username: "api", Password: "s3cret"})
	if err != nil {
		t.Fatal(err)
	}
	in := app.NewInstance()
	in.Name, in.Strategy, in.SessionTTL = "Guest", app.StrategyCoupon, 3600
	in.Sites = []app.InstanceSite{{ID: site.ID}}
	if in, err = store.CreateInstance(t.Context(), in); err != nil {
		t.Fatal(err)
	}
	r := &rig{t: t, store: store, router: fake, site: site, instance: in}
	r.rec = r.newReconciler(cmdTimeout)
	return r
}

func (r *rig) newReconciler(cmdTimeout time.Duration) *scheduler.Reconciler {
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	dial := func(site app.Site) scheduler.Router {
		return routeros.NewRouter(site, routeros.Config{CommandTimeout: cmdTimeout, DialTimeout: time.Second,
			RetryMin: 10 * time.Millisecond, RetryMax: 50 * time.Millisecond})
	}
	rec := scheduler.NewReconciler(r.store, dial, scheduler.ReconcilerConfig{Interval: time.Hour, PortalHost: "gatehouse.test"}, logger)
	if err := rec.Start(r.t.Context()); err != nil {
		r.t.Fatal(err)
	}
	r.t.Cleanup(func() { rec.Close(context.Background()) })
	return rec
}

func (r *rig) coupons(n int) []app.Coupon {
	r.t.Helper()
	var out []app.Coupon
	for n > 0 {
		batch := min(n, app.MaxCouponBatch)
		cs, err := r.store.CreateCoupons(r.t.Context(), r.instance.ID, batch, 60)
		if err != nil {
			r.t.Fatal(err)
		}
		out = append(out, cs...)
		n -= batch
	}
	return out
}

// sync runs passes until one succeeds with nothing left to change, or
// fails the test after a few seconds.
func (r *rig) converge() {
	r.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		res, err := r.rec.Sync(r.t.Context(), r.site.ID)
		if err == nil && len(res.Errors) == 0 && res.Added+res.Updated+res.Removed == 0 {
			return
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("router did not converge: last result %+v, %v", res, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// wantUsers checks the router holds exactly the hotspot users of the
// given coupons (by name, with gatehouse's comment) plus the foreign ones.
func (r *rig) wantUsers(coupons []app.Coupon, foreign ...string) {
	r.t.Helper()
	want := map[string]string{}
	for _, c := range coupons {
		want[c.Code] = app.CouponComment(c.ID)
	}
	got := map[string]int{}
	for _, row := range r.router.Rows("/ip/hotspot/user") {
		name := row["name"]
		got[name]++
		if comment, ok := want[name]; ok {
			if row["comment"] != comment || row["password"] != name || row["profile"] != app.ProfileName(r.instance.ID) || row["limit-uptime"] != "1h" {
				r.t.Fatalf("user %s = %v", name, row)
			}
		} else if !strings.HasPrefix(row["comment"], app.CommentPrefix) && contains(foreign, name) {
			continue
		} else {
			r.t.Fatalf("unexpected user on the router: %v", row)
		}
	}
	for name := range want {
		if got[name] != 1 {
			r.t.Fatalf("user %s is on the router %d times, want once", name, got[name])
		}
	}
	for _, f := range foreign {
		if got[f] != 1 {
			r.t.Fatalf("foreign user %s: %d, want it untouched", f, got[f])
		}
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
