package scheduler

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"gatehouse/app"
)

// MetricsStore is what the metrics read from the database at scrape time:
// ListSites of app.SiteStore, and CouponTotals, which is not in app yet (an
// exception listed in docs/design.md, "Where interfaces live").
type MetricsStore interface {
	ListSites(ctx context.Context) ([]app.Site, error)
	CouponTotals(ctx context.Context) (issued, redeemed int64, err error)
}

// scrapeTimeout bounds the store reads of one scrape.
const scrapeTimeout = 5 * time.Second

// siteStates are the states gatehouse_site_state reports for every site,
// 1 for the current one and 0 for the others, so that a series exists for
// each before the site ever enters that state.
var siteStates = []string{app.SiteUnknown, app.SiteOnline, app.SiteOffline}

// Metrics records the work of the schedules and of the reconciler for
// Prometheus, and reads site and coupon figures from the store at scrape
// time. Package main makes one with its registry and hands it to New (in
// Config) and to NewReconciler (through Dialer). A nil *Metrics records
// nothing.
type Metrics struct {
	pushDuration *prometheus.HistogramVec
	pushErrors   *prometheus.CounterVec
	runs         prometheus.Counter
	runFailures  prometheus.Counter
}

// NewMetrics makes the scheduler's metrics and registers them, with a
// collector that reads store at every scrape, on reg. It fails when reg
// already holds metrics of the same names.
func NewMetrics(reg prometheus.Registerer, store MetricsStore) (*Metrics, error) {
	m := &Metrics{
		pushDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "gatehouse_router_push_duration_seconds",
			Help:    "Time to push a site's desired state to its router in a reconcile pass.",
			Buckets: []float64{.01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"site"}),
		pushErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gatehouse_router_push_errors_total",
			Help: "Reconcile passes that failed at the router: unreachable, a command refused or timed out, or changes refused.",
		}, []string{"site"}),
		runs: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "gatehouse_schedule_runs_total",
			Help: "Coupon schedule runs that generated a batch (timed, caught up or run now).",
		}),
		runFailures: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "gatehouse_schedule_failures_total",
			Help: "Coupon schedule runs that failed.",
		}),
	}
	for _, c := range []prometheus.Collector{m.pushDuration, m.pushErrors, m.runs, m.runFailures, newStoreCollector(store)} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("register scheduler metrics: %w", err)
		}
	}
	return m, nil
}

// scheduleRan counts one RunSlot outcome.
func (m *Metrics) scheduleRan(created bool, err error) {
	switch {
	case m == nil:
	case err != nil:
		m.runFailures.Inc()
	case created:
		m.runs.Inc()
	}
}

// Dialer wraps dial so that the routers it makes time their pushes and
// count their failures, labelled with the site id. A nil *Metrics
// returns dial unchanged.
func (m *Metrics) Dialer(dial Dialer) Dialer {
	if m == nil {
		return dial
	}
	return func(site app.Site) Router {
		// Both series exist from the start, so that rates work at once.
		return &meteredRouter{Router: dial(site), duration: m.pushDuration.WithLabelValues(site.ID),
			errors: m.pushErrors.WithLabelValues(site.ID)}
	}
}

// errRefused marks a push whose changes the router refused in part.
var errRefused = errors.New("changes refused")

// meteredRouter records the router calls of a reconcile pass: Info and
// Sessions (their failure ends the pass) and Reconcile (the push, timed).
// Calls cut short by shutdown or an abandoned request are not failures.
type meteredRouter struct {
	Router
	duration prometheus.Observer
	errors   prometheus.Counter
}

func (r *meteredRouter) Info(ctx context.Context) (app.RouterInfo, error) {
	info, err := r.Router.Info(ctx)
	r.count(ctx, err)
	return info, err
}

func (r *meteredRouter) Sessions(ctx context.Context) ([]app.HotspotSession, error) {
	sessions, err := r.Router.Sessions(ctx)
	r.count(ctx, err)
	return sessions, err
}

func (r *meteredRouter) Reconcile(ctx context.Context, want app.RouterState) (app.SyncResult, error) {
	start := time.Now()
	res, err := r.Router.Reconcile(ctx, want)
	if ctx.Err() == nil {
		r.duration.Observe(time.Since(start).Seconds())
	}
	if err == nil && len(res.Errors) > 0 {
		r.count(ctx, errRefused)
	} else {
		r.count(ctx, err)
	}
	return res, err
}

// count counts err as a failure unless it is nil or ctx ended.
func (r *meteredRouter) count(ctx context.Context, err error) {
	if err != nil && ctx.Err() == nil {
		r.errors.Inc()
	}
}

// storeCollector reads the sites and the coupon totals at scrape time:
// the database is the truth (it outlives restarts and is shared by every
// gatehouse process on it), and deleted sites drop out by themselves.
type storeCollector struct {
	store    MetricsStore
	now      func() time.Time
	state    *prometheus.Desc
	lag      *prometheus.Desc
	drift    *prometheus.Desc
	issued   *prometheus.Desc
	redeemed *prometheus.Desc
}

func newStoreCollector(store MetricsStore) *storeCollector {
	return &storeCollector{
		store: store,
		now:   time.Now,
		state: prometheus.NewDesc("gatehouse_site_state",
			"1 for the site's current router state (unknown, online, offline), 0 for the others.", []string{"site", "state"}, nil),
		lag: prometheus.NewDesc("gatehouse_reconcile_lag_seconds",
			"Seconds since the site's router was last fully in step (since the site was created, if never).", []string{"site"}, nil),
		drift: prometheus.NewDesc("gatehouse_router_drift_total",
			"Items of gatehouse's that someone else changed or removed on the site's router, found and repaired by a pass.", []string{"site"}, nil),
		issued: prometheus.NewDesc("gatehouse_coupons_issued",
			"Coupons held by the store: issued and not yet purged after retention.", nil, nil),
		redeemed: prometheus.NewDesc("gatehouse_coupons_redeemed",
			"Coupons held by the store that were redeemed.", nil, nil),
	}
}

// Describe implements prometheus.Collector.
func (c *storeCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.state
	ch <- c.lag
	ch <- c.drift
	ch <- c.issued
	ch <- c.redeemed
}

// Collect implements prometheus.Collector. A store that cannot be read
// yields invalid metrics: the scrape reports the error and serves the rest.
func (c *storeCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	if issued, redeemed, err := c.store.CouponTotals(ctx); err != nil {
		ch <- prometheus.NewInvalidMetric(c.issued, err)
	} else {
		ch <- prometheus.MustNewConstMetric(c.issued, prometheus.GaugeValue, float64(issued))
		ch <- prometheus.MustNewConstMetric(c.redeemed, prometheus.GaugeValue, float64(redeemed))
	}
	sites, err := c.store.ListSites(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.state, err)
		return
	}
	now := c.now()
	for _, site := range sites {
		for _, st := range siteStates {
			v := 0.0
			if site.Status.State == st {
				v = 1
			}
			ch <- prometheus.MustNewConstMetric(c.state, prometheus.GaugeValue, v, site.ID, st)
		}
		synced := site.CreatedAt
		if site.Status.LastSyncAt != nil {
			synced = *site.Status.LastSyncAt
		}
		ch <- prometheus.MustNewConstMetric(c.lag, prometheus.GaugeValue, max(now.Sub(synced).Seconds(), 0), site.ID)
		ch <- prometheus.MustNewConstMetric(c.drift, prometheus.CounterValue, float64(site.Status.DriftCount), site.ID)
	}
}
