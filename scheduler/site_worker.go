package scheduler

import (
	"context"
	"fmt"
	"log/slog"
	"net/netip"
	"strconv"
	"sync"
	"time"

	"gatehouse/app"
)

// Backoff of a site whose router failed: from minRetry doubling up to the
// reconcile interval.
const minRetry = time.Second

// siteWorker reconciles one site. Passes never overlap: the loop, Sync
// and the first pass after a kick all take mu.
type siteWorker struct {
	r      *Reconciler
	site   app.Site
	router Router
	logger *slog.Logger
	kick   chan struct{}
	ctx    context.Context
	cancel context.CancelFunc
	mu     sync.Mutex     // one pass at a time
	info   app.RouterInfo // what the router last said about itself (under mu)
}

func (r *Reconciler) newWorker(site app.Site) *siteWorker {
	ctx, cancel := context.WithCancel(r.ctx)
	return &siteWorker{r: r, site: site, router: r.dial(site), logger: r.logger.With("site", site.ID),
		kick: make(chan struct{}, 1), ctx: ctx, cancel: cancel}
}

// kickNow asks for a pass without waiting for it.
func (w *siteWorker) kickNow() {
	select {
	case w.kick <- struct{}{}:
	default: // one is already pending
	}
}

// stop ends the worker's loop and drops its router.
func (w *siteWorker) stop() {
	w.cancel()
	w.router.Close()
}

// run is the worker's loop: a pass at once, then on every kick and every
// interval; after a failure, sooner, with backoff.
func (w *siteWorker) run() {
	wait := time.Duration(0)
	retry := minRetry
	for {
		timer := time.NewTimer(wait)
		select {
		case <-w.ctx.Done():
			timer.Stop()
			return
		case <-w.kick:
			timer.Stop()
		case <-timer.C:
		}
		res, err := w.pass(w.ctx)
		switch {
		case w.ctx.Err() != nil:
			return
		case err != nil || len(res.Errors) > 0:
			wait = retry
			retry = min(retry*2, w.r.cfg.Interval)
		default:
			wait, retry = w.r.cfg.Interval, minRetry
		}
	}
}

// pass reconciles the site once and records the outcome in its status.
func (w *siteWorker) pass(ctx context.Context) (app.SyncResult, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	res, err := w.reconcile(ctx)
	if ctx.Err() != nil {
		return res, err // shutting down: leave the status as it was
	}
	w.record(res, err)
	return res, err
}

// reconcile is one pass: who is online (redemptions), then the router's
// items toward the database's.
func (w *siteWorker) reconcile(ctx context.Context) (app.SyncResult, error) {
	started := w.r.cfg.Now()
	info, err := w.router.Info(ctx)
	if err != nil {
		return app.SyncResult{SiteID: w.site.ID, StartedAt: started}, err
	}
	w.info = info
	sessions, err := w.router.Sessions(ctx)
	if err != nil {
		return app.SyncResult{SiteID: w.site.ID, StartedAt: started}, err
	}
	redeemed, err := w.r.store.RecordSessions(ctx, w.site.ID, sessions, w.r.cfg.Now())
	if err != nil {
		return app.SyncResult{SiteID: w.site.ID, StartedAt: started}, err
	}
	if len(redeemed) > 0 {
		w.logger.Info("coupons redeemed on the router", "count", len(redeemed))
	}
	want, err := w.desired(ctx)
	if err != nil {
		return app.SyncResult{SiteID: w.site.ID, StartedAt: started}, err
	}
	res, err := w.router.Reconcile(ctx, want)
	if err == nil {
		err = w.recordUsage(ctx, res.Usage)
	}
	if err == nil && len(res.Drift) > 0 {
		w.logger.Warn("items of gatehouse's changed on the router by someone else; repaired", "count", len(res.Drift))
		err = w.r.store.RecordDrift(ctx, w.site.ID, res.Drift, w.r.cfg.Now())
	}
	res.SiteID, res.StartedAt, res.FinishedAt = w.site.ID, started, w.r.cfg.Now()
	if res.Errors == nil {
		res.Errors = []string{}
	}
	return res, err
}

// desired is what the site's router should hold now: the database's
// state and gatehouse's own portal in the walled garden.
func (w *siteWorker) desired(ctx context.Context) (app.RouterState, error) {
	want, err := w.r.store.SiteState(ctx, w.site.ID, w.r.cfg.Now())
	if err != nil {
		return want, err
	}
	if len(want.Profiles) > 0 && w.r.cfg.PortalHost != "" {
		want.Garden = append(want.Garden, portalRules(w.r.cfg.PortalHost)...)
	}
	return want, nil
}

// recordUsage stores the traffic of the coupons' users. A coupon whose
// data ran out gets another pass at once, which removes its user (the
// router has logged the guest out already; the user must not log in
// again).
func (w *siteWorker) recordUsage(ctx context.Context, usage []app.CouponUsage) error {
	usedUp, err := w.r.store.RecordCouponUsage(ctx, w.site.ID, usage, w.r.cfg.Now())
	if err != nil {
		return fmt.Errorf("record data used: %w", err)
	}
	if len(usedUp) > 0 {
		w.logger.Info("coupons used up their data", "count", len(usedUp))
		w.kickNow()
	}
	return nil
}

// record stores the site's status after a pass.
func (w *siteWorker) record(res app.SyncResult, err error) {
	now := w.r.cfg.Now()
	st := app.SiteStatus{State: app.SiteOnline, Identity: w.info.Identity, RouterOSVersion: w.info.Version,
		HotspotHosts: w.info.HotspotHosts}
	if w.info.Version != "" { // the router answered at least once
		uptime := w.info.Uptime
		st.Uptime = &uptime
		if w.info.CPULoad >= 0 {
			load := w.info.CPULoad
			st.CPULoad = &load
		}
	}
	if prev, gerr := w.r.store.Site(w.ctx, w.site.ID); gerr == nil {
		st.LastSeenAt, st.LastSyncAt = prev.Status.LastSeenAt, prev.Status.LastSyncAt
		if st.HotspotHosts == nil { // not read this time: keep what the router said before
			st.HotspotHosts = prev.Status.HotspotHosts
		}
	}
	switch {
	case app.ErrorCode(err) == app.EUnavailable:
		st.State = app.SiteOffline
		st.LastError, st.LastErrorText = err.Error(), app.ErrorText(err)
		w.logger.Warn("router unreachable", "err", err)
	case err != nil:
		st.LastSeenAt = &now
		st.LastError, st.LastErrorText = err.Error(), app.ErrorText(err)
		w.logger.Warn("reconcile failed", "err", err)
	case len(res.Errors) > 0:
		st.LastSeenAt = &now
		text := app.T("router.changes_refused", "count", strconv.Itoa(len(res.Errors)), "first", res.Errors[0])
		st.LastError, st.LastErrorText = text.English(), &text
		w.logger.Warn("reconcile incomplete", "refused", len(res.Errors), "first", res.Errors[0])
	default:
		st.LastSeenAt, st.LastSyncAt = &now, &now
		if res.Added+res.Updated+res.Removed > 0 {
			w.logger.Info("router reconciled", "added", res.Added, "updated", res.Updated, "removed", res.Removed)
		}
	}
	if err := w.r.store.SetSiteStatus(w.ctx, w.site.ID, st); err != nil && app.ErrorCode(err) != app.ENotFound {
		w.logger.Error("record site status", "err", err)
	}
}

// portalRules open the walled garden to gatehouse's portal: by address
// when the portal is reached by IP, by name otherwise.
func portalRules(host string) []app.RouterGardenRule {
	if _, err := netip.ParseAddr(host); err == nil {
		return []app.RouterGardenRule{{DstAddress: host, Comment: app.PortalComment}}
	}
	return []app.RouterGardenRule{{DstHost: host, Comment: app.PortalComment}}
}
