package scheduler_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"gatehouse/app"
	"gatehouse/routeros"
	"gatehouse/routeros/routerostest"
	"gatehouse/scheduler"
)

// scrape gathers reg as a scrape would and returns every sample by its
// name and labels, as `name{k="v",...}`; histograms give _count and _sum.
func scrape(t *testing.T, reg *prometheus.Registry) map[string]float64 {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatalf("gather: %v", err)
	}
	out := map[string]float64{}
	for _, f := range families {
		for _, m := range f.GetMetric() {
			var labels []string
			for _, l := range m.GetLabel() {
				labels = append(labels, fmt.Sprintf("%s=%q", l.GetName(), l.GetValue()))
			}
			sort.Strings(labels)
			key := func(suffix string) string {
				if len(labels) == 0 {
					return f.GetName() + suffix
				}
				return f.GetName() + suffix + "{" + strings.Join(labels, ",") + "}"
			}
			switch {
			case m.GetCounter() != nil:
				out[key("")] = m.GetCounter().GetValue()
			case m.GetGauge() != nil:
				out[key("")] = m.GetGauge().GetValue()
			case m.GetHistogram() != nil:
				out[key("_count")] = float64(m.GetHistogram().GetSampleCount())
				out[key("_sum")] = m.GetHistogram().GetSampleSum()
			}
		}
	}
	return out
}

// want fails unless the sample named key has the value want.
func wantSample(t *testing.T, got map[string]float64, key string, want float64) {
	t.Helper()
	v, ok := got[key]
	if !ok {
		t.Fatalf("%s: missing from the scrape", key)
	}
	if v != want {
		t.Fatalf("%s = %v, want %v", key, v, want)
	}
}

// newMeteredRig is the reconcile rig with its reconciler replaced by one
// whose routers are metered, as main wires it; it returns the registry.
func newMeteredRig(t *testing.T) (*rig, *prometheus.Registry) {
	t.Helper()
	r := newRig(t, 2*time.Second)
	r.rec.Close(context.Background())
	reg := prometheus.NewRegistry()
	m, err := scheduler.NewMetrics(reg, r.store)
	if err != nil {
		t.Fatal(err)
	}
	dial := m.Dialer(func(site app.Site) scheduler.Router {
		return routeros.NewRouter(site, routeros.Config{CommandTimeout: 2 * time.Second, DialTimeout: time.Second,
			RetryMin: 10 * time.Millisecond, RetryMax: 50 * time.Millisecond})
	})
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	r.rec = scheduler.NewReconciler(r.store, dial, scheduler.ReconcilerConfig{Interval: time.Hour}, logger)
	if err := r.rec.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.rec.Close(context.Background()) })
	return r, reg
}

// TestReconcileMetrics drives real passes against the fake router: a
// clean push, a push with refused changes, a router that is down, and a
// redemption, and reads the figures a scrape would show after each.
func TestReconcileMetrics(t *testing.T) {
	r, reg := newMeteredRig(t)
	site := `{site="` + r.site.ID + `"}`
	state := func(s string) string { return `gatehouse_site_state{site="` + r.site.ID + `",state="` + s + `"}` }
	// The worker's first pass (an empty push) ends before anything else.
	waitFor(t, func() bool { return scrape(t, reg)[state(app.SiteOnline)] == 1 })
	before := scrape(t, reg)
	wantSample(t, before, "gatehouse_router_push_errors_total"+site, 0)

	// A clean push of five coupons, then a pass with nothing to do.
	coupons := r.coupons(5)
	r.converge()
	got := scrape(t, reg)
	wantSample(t, got, "gatehouse_router_push_duration_seconds_count"+site, before["gatehouse_router_push_duration_seconds_count"+site]+2)
	wantSample(t, got, "gatehouse_router_push_errors_total"+site, 0)
	wantSample(t, got, state(app.SiteOnline), 1)
	wantSample(t, got, state(app.SiteOffline), 0)
	wantSample(t, got, state(app.SiteUnknown), 0)
	wantSample(t, got, "gatehouse_coupons_issued", 5)
	wantSample(t, got, "gatehouse_coupons_redeemed", 0)
	if lag := got["gatehouse_reconcile_lag_seconds"+site]; lag < 0 || lag > 30 {
		t.Fatalf("reconcile lag right after a sync = %vs, want a few seconds at most", lag)
	}

	// The router refuses every add: one failed pass, still a push.
	r.router.FailWhen(routerostest.FailEvery("/ip/hotspot/user/add", 1, routerostest.Trap{Message: "failure: out of memory"}))
	r.coupons(1)
	if res, err := r.rec.Sync(t.Context(), r.site.ID); err != nil || len(res.Errors) == 0 {
		t.Fatalf("sync with refused adds: %+v, %v; want reported errors", res, err)
	}
	r.router.FailWhen(nil)
	after := scrape(t, reg)
	wantSample(t, after, "gatehouse_router_push_errors_total"+site, 1)
	wantSample(t, after, "gatehouse_router_push_duration_seconds_count"+site, got["gatehouse_router_push_duration_seconds_count"+site]+1)

	// The router is down: the pass fails before any push.
	r.router.Stop()
	if _, err := r.rec.Sync(t.Context(), r.site.ID); app.ErrorCode(err) != app.EUnavailable {
		t.Fatalf("sync with the router down: %v, want unavailable", err)
	}
	down := scrape(t, reg)
	wantSample(t, down, "gatehouse_router_push_errors_total"+site, 2)
	wantSample(t, down, "gatehouse_router_push_duration_seconds_count"+site, after["gatehouse_router_push_duration_seconds_count"+site])
	wantSample(t, down, state(app.SiteOffline), 1)
	wantSample(t, down, state(app.SiteOnline), 0)

	// Back up, a guest on the router: the pass redeems the coupon.
	if err := r.router.Start(); err != nil {
		t.Fatal(err)
	}
	r.router.AddRow("/ip/hotspot/active", map[string]string{"user": coupons[0].Code, "address": "10.5.50.7",
		"mac-address": "AA:BB:CC:00:00:07", "uptime": "2m"})
	r.converge()
	up := scrape(t, reg)
	wantSample(t, up, "gatehouse_coupons_issued", 6)
	wantSample(t, up, "gatehouse_coupons_redeemed", 1)
	wantSample(t, up, state(app.SiteOnline), 1)
}

// TestReconcileLagOfANeverSyncedSite: a site whose router was never in
// step lags since the site was created, and a deleted site leaves the
// scrape.
func TestReconcileLagOfANeverSyncedSite(t *testing.T) {
	r, reg := newMeteredRig(t)
	r.router.Stop()
	r.rec.Close(context.Background())
	site, err := r.store.CreateSite(t.Context(), app.Site{Name: "Bar", Host: "127.0.0.1", Port: 1, Username: "api"})
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(20 * time.Millisecond)
	got := scrape(t, reg)
	if lag := got[`gatehouse_reconcile_lag_seconds{site="`+site.ID+`"}`]; lag <= 0 || lag > 30 {
		t.Fatalf("lag of a site created a moment ago = %vs, want (0, 30]", lag)
	}
	wantSample(t, got, `gatehouse_site_state{site="`+site.ID+`",state="unknown"}`, 1)
	if err := r.store.DeleteSite(t.Context(), site.ID); err != nil {
		t.Fatal(err)
	}
	for key := range scrape(t, reg) {
		if strings.Contains(key, site.ID) {
			t.Fatalf("%s still scraped after the site was deleted", key)
		}
	}
}

// TestScheduleRunMetrics: a run that generates a batch counts as a run, a
// slot that already ran counts as nothing, a failed run as a failure.
func TestScheduleRunMetrics(t *testing.T) {
	f := newFixture(t)
	sch := f.schedule(t, 60)
	reg := prometheus.NewRegistry()
	m, err := scheduler.NewMetrics(reg, f.store)
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	s := scheduler.New(f.store, nil, scheduler.Config{Metrics: m}, logger)
	if _, err := s.RunNow(t.Context(), sch.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := s.RunSlot(t.Context(), sch.ID, "2026-01-01T08:00"); err != nil {
		t.Fatal(err)
	}
	if _, _, created, err := s.RunSlot(t.Context(), sch.ID, "2026-01-01T08:00"); err != nil || created {
		t.Fatalf("second run of a slot: created %v, %v; want false, nil", created, err)
	}
	if _, err := s.RunNow(t.Context(), "0190b2a4-0000-7000-8000-000000000000"); app.ErrorCode(err) != app.ENotFound {
		t.Fatalf("run of an unknown schedule: %v, want not found", err)
	}
	got := scrape(t, reg)
	wantSample(t, got, "gatehouse_schedule_runs_total", 2)
	wantSample(t, got, "gatehouse_schedule_failures_total", 1)
	wantSample(t, got, "gatehouse_coupons_issued", 10)

	// The same registry cannot take a second set.
	if _, err := scheduler.NewMetrics(reg, f.store); err == nil {
		t.Fatal("second NewMetrics on one registry: got nil, want a registration error")
	}
}

// TestNilMetricsRecordNothing: the scheduler and the dialer work without
// metrics.
func TestNilMetricsRecordNothing(t *testing.T) {
	var m *scheduler.Metrics
	called := false
	dial := m.Dialer(func(app.Site) scheduler.Router { called = true; return nil })
	dial(app.Site{})
	if !called {
		t.Fatal("nil Metrics did not return the dialer unchanged")
	}
	f := newFixture(t)
	sch := f.schedule(t, 60)
	s := scheduler.New(f.store, nil, scheduler.Config{}, slog.New(slog.DiscardHandler))
	if _, err := s.RunNow(t.Context(), sch.ID); err != nil {
		t.Fatal(err)
	}
}
