package scheduler

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/VictoriaMetrics/metrics"

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

// The scheduler's metrics. The exposition carries no help texts, so each
// one's meaning is said here (and in README, "Watching it").
const (
	// metricPushDuration (histogram, label site): time to push a site's
	// desired state to its router in a reconcile pass.
	metricPushDuration = "gatehouse_router_push_duration_seconds"
	// metricPushErrors (counter, label site): reconcile passes that failed
	// at the router: unreachable, a command refused or timed out, or
	// changes refused.
	metricPushErrors = "gatehouse_router_push_errors_total"
	// metricRuns (counter): coupon schedule runs that generated a batch
	// (timed, caught up or run now).
	metricRuns = "gatehouse_schedule_runs_total"
	// metricRunFailures (counter): coupon schedule runs that failed.
	metricRunFailures = "gatehouse_schedule_failures_total"

	// Read from the store at scrape time:

	// metricSiteState (gauge, labels site and state): 1 for the site's
	// current router state (unknown, online, offline), 0 for the others.
	metricSiteState = "gatehouse_site_state"
	// metricReconcileLag (gauge, label site): seconds since the site's
	// router was last fully in step (since the site was created, if never).
	metricReconcileLag = "gatehouse_reconcile_lag_seconds"
	// metricDrift (counter, label site): items of gatehouse's that someone
	// else changed or removed on the site's router, found and repaired by
	// a pass.
	metricDrift = "gatehouse_router_drift_total"
	// metricCouponsIssued (gauge): coupons held by the store, issued and
	// not yet purged after retention.
	metricCouponsIssued = "gatehouse_coupons_issued"
	// metricCouponsRedeemed (gauge): coupons held by the store that were
	// redeemed.
	metricCouponsRedeemed = "gatehouse_coupons_redeemed"
)

// pushBuckets are the upper bounds (le) of gatehouse_router_push_duration_seconds.
var pushBuckets = []float64{.01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}

// Metrics records the work of the schedules and of the reconciler for
// Prometheus, and reads site and coupon figures from the store at scrape
// time. Package main makes one with its set and hands it to New (in
// Config) and to NewReconciler (through Dialer). A nil *Metrics records
// nothing.
type Metrics struct {
	set         *metrics.Set
	store       MetricsStore
	logger      *slog.Logger
	now         func() time.Time
	runs        *metrics.Counter
	runFailures *metrics.Counter
}

// NewMetrics makes the scheduler's metrics on set, with a writer that
// reads store at every scrape; a store that cannot be read is logged and
// costs its own figures only. It fails when set already holds the
// scheduler's metrics.
func NewMetrics(set *metrics.Set, store MetricsStore, logger *slog.Logger) (*Metrics, error) {
	for _, name := range set.ListMetricNames() {
		family, _, _ := strings.Cut(name, "{")
		if slices.Contains([]string{metricPushDuration, metricPushErrors, metricRuns, metricRunFailures}, family) {
			return nil, fmt.Errorf("register scheduler metrics: %s is already registered", family)
		}
	}
	m := &Metrics{
		set:         set,
		store:       store,
		logger:      logger.With("component", "metrics"),
		now:         time.Now,
		runs:        set.NewCounter(metricRuns),
		runFailures: set.NewCounter(metricRunFailures),
	}
	set.RegisterMetricsWriter(m.writeStore)
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
		labels := siteLabel(site.ID)
		return &meteredRouter{Router: dial(site),
			duration: m.set.GetOrCreatePrometheusHistogramExt(metricPushDuration+"{"+labels+"}", pushBuckets),
			errors:   m.set.GetOrCreateCounter(metricPushErrors + "{" + labels + "}")}
	}
}

// errRefused marks a push whose changes the router refused in part.
var errRefused = errors.New("changes refused")

// meteredRouter records the router calls of a reconcile pass: Info and
// Sessions (their failure ends the pass) and Reconcile (the push, timed).
// Calls cut short by shutdown or an abandoned request are not failures.
type meteredRouter struct {
	Router
	duration *metrics.PrometheusHistogram
	errors   *metrics.Counter
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
		r.duration.UpdateDuration(start)
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

// writeStore writes the figures read from the store at scrape time: the
// database is the truth (it outlives restarts and is shared by every
// gatehouse process on it), and deleted sites drop out by themselves. A
// read that fails is logged and leaves out its own figures only; the
// rest of the scrape is served.
func (m *Metrics) writeStore(w io.Writer) {
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	if issued, redeemed, err := m.store.CouponTotals(ctx); err != nil {
		m.logger.Warn("scrape: read coupon totals", "err", err)
	} else {
		metrics.WriteGaugeUint64(w, metricCouponsIssued, uint64(max(issued, 0)))
		metrics.WriteGaugeUint64(w, metricCouponsRedeemed, uint64(max(redeemed, 0)))
	}
	sites, err := m.store.ListSites(ctx)
	if err != nil {
		m.logger.Warn("scrape: list sites", "err", err)
		return
	}
	if len(sites) == 0 {
		return
	}
	// One family after the other, its type line once: the text format
	// wants each family's samples together.
	metrics.WriteMetadataIfNeeded(w, metricSiteState, "gauge")
	for _, site := range sites {
		for _, st := range siteStates {
			v := 0
			if site.Status.State == st {
				v = 1
			}
			fmt.Fprintf(w, "%s{%s,state=%s} %d\n", metricSiteState, siteLabel(site.ID), quoteLabel(st), v)
		}
	}
	now := m.now()
	metrics.WriteMetadataIfNeeded(w, metricReconcileLag, "gauge")
	for _, site := range sites {
		synced := site.CreatedAt
		if site.Status.LastSyncAt != nil {
			synced = *site.Status.LastSyncAt
		}
		fmt.Fprintf(w, "%s{%s} %g\n", metricReconcileLag, siteLabel(site.ID), max(now.Sub(synced).Seconds(), 0))
	}
	metrics.WriteMetadataIfNeeded(w, metricDrift, "counter")
	for _, site := range sites {
		fmt.Fprintf(w, "%s{%s} %d\n", metricDrift, siteLabel(site.ID), max(site.Status.DriftCount, 0))
	}
}

// siteLabel is the site="<id>" label of a series.
func siteLabel(id string) string {
	return "site=" + quoteLabel(id)
}

// labelEscaper escapes a label value as the text exposition wants.
var labelEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)

// quoteLabel is a label value in double quotes, escaped.
func quoteLabel(v string) string {
	return `"` + labelEscaper.Replace(v) + `"`
}
