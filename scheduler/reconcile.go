package scheduler

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"gatehouse/app"
)

// Router is one MikroTik router as the reconciler sees it. Package
// routeros implements it; every method has its own deadlines and reports
// an unreachable router as app.EUnavailable.
type Router interface {
	// Info reads the router's identity and RouterOS version.
	Info(ctx context.Context) (app.RouterInfo, error)
	// Sessions lists the hotspot's active sessions.
	Sessions(ctx context.Context) ([]app.HotspotSession, error)
	// Reconcile makes the items gatehouse owns on the router (marked by
	// app.CommentPrefix) equal to want, ending the sessions of users it
	// removes, and never touching anyone else's items.
	Reconcile(ctx context.Context, want app.RouterState) (app.SyncResult, error)
	// DryRun returns the changes Reconcile would make for want, and
	// changes nothing.
	DryRun(ctx context.Context, want app.RouterState) ([]app.SyncChange, error)
	// Disconnect ends the active sessions of a hotspot user (only those of
	// mac when it is not "") and removes their cookies.
	Disconnect(ctx context.Context, user, mac string) error
	// LoginGuest logs a device in without the router's login page (mac
	// "" means: look it up by ip).
	LoginGuest(ctx context.Context, user, password, ip, mac string) error
	// HostMAC returns the MAC address of the hotspot host with address
	// ip; ENotFound when the hotspot does not know it.
	HostMAC(ctx context.Context, ip string) (string, error)
	// HotspotServers lists the hotspot servers with their profiles' login
	// settings (for the setup checklist).
	HotspotServers(ctx context.Context) ([]app.HotspotServer, error)
	// File reads a file of the router's storage; ENotFound when missing.
	File(ctx context.Context, name string) (app.RouterFile, error)
	// FetchFile makes the router download url into its file dstPath and
	// returns the file as it arrived.
	FetchFile(ctx context.Context, url, dstPath string) (app.RouterFile, error)
	// AddLoginMethod adds a method to a server profile's login-by.
	AddLoginMethod(ctx context.Context, profile, method string) error
	// TestLogin creates, tries and removes a one-off hotspot user.
	TestLogin(ctx context.Context, server, ip string) (app.TestLogin, error)
	// Close drops the router's connections.
	Close() error
}

// Dialer makes the Router of a site; it must not block (connections are
// made on first use).
type Dialer func(site app.Site) Router

// SiteStore is the part of the database the reconciler calls, cut from
// app.SiteStore, app.SiteUserStore, app.CouponUsageStore and
// app.DriftStore, where the
// contracts are written; SiteState, RecordSessions, SetSiteStatus and
// EndSiteUser are not in app yet (an exception listed in docs/design.md,
// "Where interfaces live").
// Package db implements it.
type SiteStore interface {
	ListSites(ctx context.Context) ([]app.Site, error)
	Site(ctx context.Context, id string) (app.Site, error)
	SiteState(ctx context.Context, siteID string, now time.Time) (app.RouterState, error)
	RecordSessions(ctx context.Context, siteID string, sessions []app.HotspotSession, now time.Time) ([]string, error)
	RecordDrift(ctx context.Context, siteID string, items []app.DriftItem, at time.Time) error
	RecordCouponUsage(ctx context.Context, siteID string, usage []app.CouponUsage, now time.Time) ([]string, error)
	SetSiteStatus(ctx context.Context, id string, st app.SiteStatus) error
	SiteUser(ctx context.Context, siteID, id string) (app.SiteUser, error)
	EndSiteUser(ctx context.Context, siteID, id string) error
}

// ReconcilerConfig tunes the reconciler.
type ReconcilerConfig struct {
	// Interval is the periodic pass of every site; default 30 s.
	Interval time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// PortalHost is the host name or address of gatehouse's own portal;
	// every site that an instance uses gets it in its walled garden, so
	// guests can reach the portal before they log in. "" adds nothing.
	PortalHost string
}

// Reconciler keeps every site's router in step with the database, like a
// controller: one worker per site runs a pass when something changed
// (Changed), on its interval, or on request (Sync). A pass reads the
// router's sessions (recording redemptions), then makes the router hold
// exactly what the database says. A router that is down marks its site
// offline and is retried with backoff; it never holds up other sites or
// the API.
type Reconciler struct {
	store  SiteStore
	dial   Dialer
	cfg    ReconcilerConfig
	logger *slog.Logger

	ctx    context.Context
	cancel context.CancelFunc

	mu      sync.Mutex
	workers map[string]*siteWorker
	wg      sync.WaitGroup

	tests sync.Map // site id -> app.TestLogin, the last test login
}

// NewReconciler returns a reconciler; Start it, then Close it.
func NewReconciler(store SiteStore, dial Dialer, cfg ReconcilerConfig, logger *slog.Logger) *Reconciler {
	if cfg.Interval <= 0 {
		cfg.Interval = 30 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Reconciler{store: store, dial: dial, cfg: cfg, logger: logger.With("component", "reconciler"),
		ctx: ctx, cancel: cancel, workers: map[string]*siteWorker{}}
}

// Start starts a worker for every site.
func (r *Reconciler) Start(ctx context.Context) error {
	if err := r.refresh(ctx); err != nil {
		return fmt.Errorf("start reconciler: %w", err)
	}
	return nil
}

// Close stops every worker and waits for them (or for ctx).
func (r *Reconciler) Close(ctx context.Context) error {
	r.cancel()
	done := make(chan struct{})
	go func() { r.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		return fmt.Errorf("reconciler: workers still running at shutdown")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for id, w := range r.workers {
		w.router.Close()
		delete(r.workers, id)
	}
	return nil
}

// Kick asks every site for a pass soon: the desired state may have
// changed (new coupons, a revocation, a walled garden edit). It never
// blocks.
func (r *Reconciler) Kick() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, w := range r.workers {
		w.kickNow()
	}
}

// SitesChanged starts workers for new sites, stops those of deleted
// sites and reconnects sites whose connection settings changed.
func (r *Reconciler) SitesChanged() {
	if err := r.refresh(r.ctx); err != nil {
		r.logger.Error("refresh sites", "err", err)
	}
}

// refresh aligns the workers with the stored sites.
func (r *Reconciler) refresh(ctx context.Context) error {
	sites, err := r.store.ListSites(ctx)
	if err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.ctx.Err() != nil {
		return nil // closing
	}
	keep := map[string]bool{}
	for _, site := range sites {
		keep[site.ID] = true
		if w, ok := r.workers[site.ID]; ok {
			if sameConnection(w.site, site) {
				w.kickNow()
				continue
			}
			w.stop()
		}
		w := r.newWorker(site)
		r.workers[site.ID] = w
		r.wg.Add(1)
		go func() {
			defer r.wg.Done()
			w.run()
		}()
	}
	for id, w := range r.workers {
		if !keep[id] {
			w.stop()
			delete(r.workers, id)
		}
	}
	return nil
}

// sameConnection reports whether two versions of a site reach the router
// the same way.
func sameConnection(a, b app.Site) bool {
	return a.Host == b.Host && a.Port == b.Port && a.Username == b.Username && a.Password == b.Password &&
		a.TLS == b.TLS && a.TLSFingerprint == b.TLSFingerprint && a.HotspotServer == b.HotspotServer
}

// worker returns the worker of a site, or ENotFound.
func (r *Reconciler) worker(siteID string) (*siteWorker, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if w, ok := r.workers[siteID]; ok {
		return w, nil
	}
	return nil, app.NotFound("site", siteID)
}

// Sync runs a pass of one site now and returns what it changed. A router
// that cannot be reached gives EUnavailable.
func (r *Reconciler) Sync(ctx context.Context, siteID string) (app.SyncResult, error) {
	if _, err := r.store.Site(ctx, siteID); err != nil {
		return app.SyncResult{}, err
	}
	w, err := r.worker(siteID)
	if err != nil {
		r.SitesChanged() // created a moment ago
		if w, err = r.worker(siteID); err != nil {
			return app.SyncResult{}, err
		}
	}
	return w.pass(ctx)
}

// DryRun reads a site's router and returns the changes a pass would make
// now, changing nothing (no redemptions recorded, no drift counted).
func (r *Reconciler) DryRun(ctx context.Context, siteID string) ([]app.SyncChange, error) {
	if _, err := r.store.Site(ctx, siteID); err != nil {
		return nil, err
	}
	w, err := r.worker(siteID)
	if err != nil {
		r.SitesChanged() // created a moment ago
		if w, err = r.worker(siteID); err != nil {
			return nil, err
		}
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	want, err := w.desired(ctx)
	if err != nil {
		return nil, err
	}
	return w.router.DryRun(ctx, want)
}

// LoginGuest logs a guest's device in at a site through the router's API.
// If the router refuses because the coupon's user has not been pushed yet,
// it reconciles the site once and tries again.
func (r *Reconciler) LoginGuest(ctx context.Context, siteID, user, password, ip, mac string) error {
	w, err := r.worker(siteID)
	if err != nil {
		return err
	}
	err = w.router.LoginGuest(ctx, user, password, ip, mac)
	if app.ErrorCode(err) != app.EInvalid {
		return err
	}
	if _, serr := w.pass(ctx); serr != nil {
		return err
	}
	return w.router.LoginGuest(ctx, user, password, ip, mac)
}

// HostMAC returns the MAC address of the device with address ip on a
// site's hotspot.
func (r *Reconciler) HostMAC(ctx context.Context, siteID, ip string) (string, error) {
	w, err := r.worker(siteID)
	if err != nil {
		return "", err
	}
	return w.router.HostMAC(ctx, ip)
}

// EndGuestSession ends the sessions of a hotspot user on the device with
// MAC address mac at a site, and removes its cookies.
func (r *Reconciler) EndGuestSession(ctx context.Context, siteID, user, mac string) error {
	w, err := r.worker(siteID)
	if err != nil {
		return err
	}
	return w.router.Disconnect(ctx, user, mac)
}

// Disconnect ends a site user's session on the router and records it. A
// router that cannot be reached gives EUnavailable and nothing changes.
func (r *Reconciler) Disconnect(ctx context.Context, siteID, userID string) (app.SiteUser, error) {
	u, err := r.store.SiteUser(ctx, siteID, userID)
	if err != nil {
		return u, err
	}
	w, err := r.worker(siteID)
	if err != nil {
		return u, err
	}
	if u.Active {
		if err := w.router.Disconnect(ctx, u.Username, u.MACAddress); err != nil {
			return u, fmt.Errorf("disconnect %s at site %s: %w", u.Username, siteID, err)
		}
	}
	return u, r.store.EndSiteUser(ctx, siteID, userID)
}
