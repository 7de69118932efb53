package scheduler_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/VictoriaMetrics/metrics"

	"gatehouse/app"
	"gatehouse/internal/exposition"
	"gatehouse/routeros"
	"gatehouse/routeros/routerostest"
	"gatehouse/scheduler"
)

// scrape writes set as a scrape would and returns every sample by its
// name and labels, as `name{k="v",...}`; histograms give _bucket, _sum
// and _count.
func scrape(t testing.TB, set *metrics.Set) map[string]float64 {
	t.Helper()
	return scrapeAll(t, set).Samples
}

// scrapeAll writes set as the server's /metrics does, with TYPE lines,
// and parses it, failing on anything a scraper would refuse.
func scrapeAll(t testing.TB, set *metrics.Set) exposition.Exposition {
	t.Helper()
	metrics.ExposeMetadata(true)
	var buf bytes.Buffer
	set.WritePrometheus(&buf)
	e, err := exposition.Parse(buf.String())
	if err != nil {
		t.Fatalf("scrape: %v\n%s", err, buf.String())
	}
	return e
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
// whose routers are metered, as main wires it; it returns the set.
func newMeteredRig(t *testing.T) (*rig, *metrics.Set) {
	t.Helper()
	r := newRig(t, 2*time.Second)
	r.rec.Close(context.Background())
	reg := metrics.NewSet()
	m, err := scheduler.NewMetrics(reg, r.store, slog.New(slog.DiscardHandler))
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
	// Each family keeps its kind, and the push histogram its buckets.
	all := scrapeAll(t, reg)
	for family, kind := range map[string]string{
		"gatehouse_router_push_duration_seconds": "histogram",
		"gatehouse_router_push_errors_total":     "counter",
		"gatehouse_schedule_runs_total":          "counter",
		"gatehouse_schedule_failures_total":      "counter",
		"gatehouse_site_state":                   "gauge",
		"gatehouse_reconcile_lag_seconds":        "gauge",
		"gatehouse_router_drift_total":           "counter",
		"gatehouse_coupons_issued":               "gauge",
		"gatehouse_coupons_redeemed":             "gauge",
	} {
		if all.Types[family] != kind {
			t.Errorf("TYPE of %s = %q, want %s", family, all.Types[family], kind)
		}
	}
	exposition.WantBuckets(t, all, "gatehouse_router_push_duration_seconds", []string{`site="` + r.site.ID + `"`},
		[]float64{.01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30})
	wantSample(t, all.Samples, "gatehouse_router_drift_total"+site, 0)
	if sum := all.Samples["gatehouse_router_push_duration_seconds_sum"+site]; sum <= 0 {
		t.Errorf("push duration sum = %v after pushes, want > 0", sum)
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
	reg := metrics.NewSet()
	m, err := scheduler.NewMetrics(reg, f.store, slog.New(slog.DiscardHandler))
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

	// The same set cannot take the scheduler's metrics twice.
	if _, err := scheduler.NewMetrics(reg, f.store, slog.New(slog.DiscardHandler)); err == nil {
		t.Fatal("second NewMetrics on one set: got nil, want a registration error")
	}
}

// failingStore is the store with its reads failing where asked.
type failingStore struct {
	scheduler.MetricsStore
	totals, sites bool
}

var errStoreDown = errors.New("store down")

func (s failingStore) CouponTotals(ctx context.Context) (int64, int64, error) {
	if s.totals {
		return 0, 0, errStoreDown
	}
	return s.MetricsStore.CouponTotals(ctx)
}

func (s failingStore) ListSites(ctx context.Context) ([]app.Site, error) {
	if s.sites {
		return nil, errStoreDown
	}
	return s.MetricsStore.ListSites(ctx)
}

// TestScrapeWithTheStoreFailing: a store read that fails costs its own
// figures only; it is logged and the rest of the scrape is served.
func TestScrapeWithTheStoreFailing(t *testing.T) {
	f := newFixture(t)
	f.schedule(t, 60)
	site, err := f.store.CreateSite(t.Context(), app.Site{Name: "Bar", Host: "127.0.0.1", Port: 1, Username: "api"})
	if err != nil {
		t.Fatal(err)
	}
	state := `gatehouse_site_state{site="` + site.ID + `",state="unknown"}`
	for _, tc := range []struct {
		name          string
		store         failingStore
		totals, sites bool // whose figures the scrape holds
		logged        string
	}{
		{"coupon totals fail", failingStore{f.store, true, false}, false, true, "read coupon totals"},
		{"sites fail", failingStore{f.store, false, true}, true, false, "list sites"},
		{"both fail", failingStore{f.store, true, true}, false, false, "list sites"},
	} {
		var logs bytes.Buffer
		set := metrics.NewSet()
		if _, err := scheduler.NewMetrics(set, tc.store, slog.New(slog.NewTextHandler(&logs, nil))); err != nil {
			t.Fatal(err)
		}
		got := scrape(t, set)
		wantSample(t, got, "gatehouse_schedule_runs_total", 0)
		if _, ok := got["gatehouse_coupons_issued"]; ok != tc.totals {
			t.Errorf("%s: gatehouse_coupons_issued scraped %v, want %v", tc.name, ok, tc.totals)
		}
		if _, ok := got["gatehouse_coupons_redeemed"]; ok != tc.totals {
			t.Errorf("%s: gatehouse_coupons_redeemed scraped %v, want %v", tc.name, ok, tc.totals)
		}
		if _, ok := got[state]; ok != tc.sites {
			t.Errorf("%s: %s scraped %v, want %v", tc.name, state, ok, tc.sites)
		}
		if !strings.Contains(logs.String(), tc.logged) || !strings.Contains(logs.String(), "store down") {
			t.Errorf("%s: log = %q, want %q with the error", tc.name, logs.String(), tc.logged)
		}
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
