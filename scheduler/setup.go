package scheduler

import (
	"context"
	"fmt"

	"gatehouse/app"
)

// The setup checklist's router calls. They use the site worker's router
// (its connections) but never run a reconcile pass; a test login holds the
// worker's pass lock, so a pass cannot remove its user half way.

// HotspotServers lists the hotspot servers of a site's router.
// EUnavailable when the router cannot be reached, ENotFound for an
// unknown site.
func (r *Reconciler) HotspotServers(ctx context.Context, siteID string) ([]app.HotspotServer, error) {
	w, err := r.setupWorker(ctx, siteID)
	if err != nil {
		return nil, err
	}
	return w.router.HotspotServers(ctx)
}

// RouterFile reads a file of a site's router; ENotFound when it is missing.
func (r *Reconciler) RouterFile(ctx context.Context, siteID, name string) (app.RouterFile, error) {
	w, err := r.setupWorker(ctx, siteID)
	if err != nil {
		return app.RouterFile{}, err
	}
	return w.router.File(ctx, name)
}

// FetchFile makes a site's router download url into its file dstPath and
// returns the file as it arrived; EInvalid with the router's reason when
// the download fails.
func (r *Reconciler) FetchFile(ctx context.Context, siteID, url, dstPath string) (app.RouterFile, error) {
	w, err := r.setupWorker(ctx, siteID)
	if err != nil {
		return app.RouterFile{}, err
	}
	return w.router.FetchFile(ctx, url, dstPath)
}

// AddLoginMethod adds a login method (http-pap) to a server profile of a
// site's router, keeping the methods it has.
func (r *Reconciler) AddLoginMethod(ctx context.Context, siteID, profile, method string) error {
	w, err := r.setupWorker(ctx, siteID)
	if err != nil {
		return err
	}
	return w.router.AddLoginMethod(ctx, profile, method)
}

// TestLogin runs a test login at a site (see routeros.Router.TestLogin)
// on the site's hotspot server, logging in the device with address ip
// when it is not "", and keeps the result for LastTestLogin.
func (r *Reconciler) TestLogin(ctx context.Context, siteID, ip string) (app.TestLogin, error) {
	w, err := r.setupWorker(ctx, siteID)
	if err != nil {
		return app.TestLogin{}, err
	}
	site, err := r.store.Site(ctx, siteID)
	if err != nil {
		return app.TestLogin{}, err
	}
	w.mu.Lock()
	t, err := w.router.TestLogin(ctx, site.HotspotServer, ip)
	w.mu.Unlock()
	if err != nil {
		return t, fmt.Errorf("test login at site %s: %w", siteID, err)
	}
	t.SiteID = siteID
	r.tests.Store(siteID, t)
	return t, nil
}

// LastTestLogin returns the last test login of a site since the reconciler
// started; false when there was none.
func (r *Reconciler) LastTestLogin(siteID string) (app.TestLogin, bool) {
	v, ok := r.tests.Load(siteID)
	if !ok {
		return app.TestLogin{}, false
	}
	return v.(app.TestLogin), true
}

// setupWorker returns the worker of a stored site, starting it when the
// site was created a moment ago.
func (r *Reconciler) setupWorker(ctx context.Context, siteID string) (*siteWorker, error) {
	if _, err := r.store.Site(ctx, siteID); err != nil {
		return nil, err
	}
	w, err := r.worker(siteID)
	if err != nil {
		r.SitesChanged()
		w, err = r.worker(siteID)
	}
	return w, err
}
