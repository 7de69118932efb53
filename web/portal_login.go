package web

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"time"

	"github.com/julienschmidt/httprouter"

	"gatehouse/app"
)

// Guessing limits of the portal's codes. Every attempt is counted before
// the code is checked (so a burst cannot slip past) under two keys that
// the guest cannot choose: the address the connection comes from (guests
// behind a router's NAT share one) and the instance, a ceiling across all
// sources. Past the free attempts each further one waits, the delay
// doubling up to a cap, instead of a block that would lock a whole hotel
// out: a guest who shares an attacker's address waits at most
// sourceMaxDelay. The resulting bound is in the README ("Guessing codes").
const (
	sourceFree       = 30
	sourceWindow     = 10 * time.Minute
	sourceMaxDelay   = 30 * time.Second
	instanceFree     = 600
	instanceWindow   = time.Hour
	instanceMaxDelay = 10 * time.Second
	firstDelay       = time.Second
	// failureWindow is the window of the other per-minute limits (signed
	// links, OAuth2 starts, device codes).
	failureWindow = time.Minute
)

// portalLimits hold the code attempts of the portal.
type portalLimits struct {
	source, instance *failureLimiter
}

func newPortalLimits() portalLimits {
	return portalLimits{
		source:   newGrowingLimiter(sourceFree, sourceWindow, firstDelay, sourceMaxDelay),
		instance: newGrowingLimiter(instanceFree, instanceWindow, firstDelay, instanceMaxDelay),
	}
}

// noPlaceText is the message of a code that has nowhere safe to go
// (key "no_router"): what to do, naming the instance's Wi-Fi network when
// it has one. Other keys are worded as they are.
func noPlaceText(t map[string]string, inst app.Instance, key string) string {
	switch {
	case key != "no_router":
		return t[key]
	case inst.WifiName != "":
		return fmt.Sprintf(t["no_router_code_wifi"], inst.WifiName)
	}
	return t["no_router_code"]
}

// portalKeys are the keys a code attempt counts under.
func (s *Server) portalKeys(r *http.Request, inst app.Instance) []limitKey {
	return []limitKey{{s.portal.source, sourceKey(clientIP(r))}, {s.portal.instance, "inst:" + inst.ID}}
}

// portalLogin serves POST /portal/{instanceId}/login: a guest submits a
// code. The device is let on where target says (portal_handoff.go); the
// code is spent only when there is such a place and, for a login through
// the router's API, only after the router let the device on. Anything else
// shows the page again with a message in the guest's language and changes
// nothing. The steps keep the security order: reserve the attempt (before
// any check, so a burst cannot slip past), decide where the device goes,
// check the code, then spend it.
func (s *Server) portalLogin(w http.ResponseWriter, r *http.Request, p httprouter.Params) {
	l, ok := s.readCodeLogin(w, r, p)
	if !ok || !l.reserve() || !l.wantsCode() {
		return
	}
	t, ok := l.target()
	if !ok {
		return
	}
	req := app.RedeemRequest{InstanceID: l.pr.inst.ID, Code: l.v.Code, SiteID: t.site, MAC: t.mac, At: l.now,
		MovesPerDay: l.s.deviceMoves}
	if t.login != nil {
		l.spendAtHotspot(t, req)
		return
	}
	l.spendThroughRouter(t, req)
}

// codeLogin is one code submitted on the portal, on its way through
// portalLogin's steps: the request, the page to show again, and the
// attempt reserved against the guessing limits.
type codeLogin struct {
	s       *Server
	w       http.ResponseWriter
	r       *http.Request
	pr      portalRequest
	v       portalView
	now     time.Time
	attempt reservation
}

// readCodeLogin reads the form and the portal it was posted to. It answers
// the browser itself and reports false for an unknown instance (not
// found) and for a form that cannot be read (the portal's page with a
// message: a browser posted it, not an API client).
func (s *Server) readCodeLogin(w http.ResponseWriter, r *http.Request, p httprouter.Params) (*codeLogin, bool) {
	formErr := r.ParseForm()
	form := r.PostForm
	if formErr != nil {
		form = url.Values{} // what was read of a broken form is not trusted
	}
	pr, ok := s.loadPortal(w, r, p, form)
	if !ok {
		return nil, false
	}
	l := &codeLogin{s: s, w: w, r: r, pr: pr, v: s.view(pr, newNonce())}
	if formErr != nil {
		l.again(http.StatusBadRequest, l.v.T["form_unreadable"])
		return nil, false
	}
	l.v.Code = app.NormalizeCouponCode(form.Get("code"))
	l.v.TermsAccepted = form.Get("accept_terms") != ""
	l.now = s.now()
	return l, true
}

// again shows the portal's page again with msg.
func (l *codeLogin) again(status int, msg string) {
	l.v.Error = msg
	l.s.renderPortal(l.w, status, "portal.html", l.v, l.v.Nonce, l.s.codeFormAction(l.r.Context(), l.pr))
}

// reserve counts the attempt against the guessing limits before anything
// is checked; false (a 429 page) when the guest must wait first.
func (l *codeLogin) reserve() bool {
	attempt, wait := reserveAll(l.s.portalKeys(l.r, l.pr.inst), l.now)
	if wait > 0 {
		secs := int(math.Ceil(wait.Seconds()))
		l.w.Header().Set("Retry-After", fmt.Sprint(secs))
		l.again(http.StatusTooManyRequests, fmt.Sprintf(l.v.T["slow_down"], secs))
		return false
	}
	l.attempt = attempt
	return true
}

// wantsCode reports whether there is a code to check. A sign-in instance
// takes none, and an empty code or terms not accepted need the guest
// first; each forgives the attempt, as no guess was checked.
func (l *codeLogin) wantsCode() bool {
	switch {
	case l.v.OAuth:
		// Sign-in instances take no codes: show their page (with its button).
		l.attempt.forgive()
		http.Redirect(l.w, l.r, "/portal/"+l.pr.inst.ID+"?"+l.pr.params.Encode(), http.StatusSeeOther)
		return false
	case l.v.Code == "":
		l.attempt.forgive()
		l.again(http.StatusOK, l.v.T["need_code"])
		return false
	case l.v.Terms != "" && !l.v.TermsAccepted:
		l.attempt.forgive()
		l.again(http.StatusOK, l.v.T["need_terms"])
		return false
	}
	return true
}

// target decides where the device goes; false (the page, telling the
// guest what to do) when there is nowhere safe to send it.
func (l *codeLogin) target() (guestTarget, bool) {
	t, key, err := l.s.target(l.r.Context(), l.r, l.pr, true)
	if key != "" {
		if err == nil {
			l.attempt.forgive() // nowhere to go: no guess was checked
		} // a failed device lookup asked the router: it counts like a guess
		l.again(http.StatusOK, noPlaceText(l.v.T, l.pr.inst, key))
		return guestTarget{}, false
	}
	return t, true
}

// refused shows why the code was not taken: a wrong code in the guest's
// words (the attempt stays counted), anything else as a failure of the
// router (forgiven, and logged).
func (l *codeLogin) refused(err error) {
	if msg, ok := l.v.T[app.ErrorReason(err)]; ok {
		l.again(http.StatusOK, msg) // a wrong code: the attempt stays counted
		return
	}
	l.attempt.forgive()
	l.s.logger.ErrorContext(l.r.Context(), "portal: redeem", "instance", l.pr.inst.ID, "err", err)
	l.again(http.StatusOK, l.v.T["router_failed"])
}

// spendAtHotspot spends the code, then hands the browser to the site's
// hotspot login page, which lets the device on.
func (l *codeLogin) spendAtHotspot(t guestTarget, req app.RedeemRequest) {
	red, err := l.s.store.Redeem(l.r.Context(), req)
	if err != nil {
		l.refused(err)
		return
	}
	if !red.Resumed { // coming back is counted: every time is a hand-off
		l.attempt.forgive()
	}
	if red.MovedFrom != "" {
		// The hotspot's login page must find the user locked to this
		// device: push the lock now, and log the old device out.
		l.endOldDevice(t, red)
		if _, err := l.s.deps.Routers.Sync(l.r.Context(), t.site); err != nil {
			l.s.logger.WarnContext(l.r.Context(), "portal: push a code moved to a new device", "site", t.site, "err", err)
		}
	}
	l.consent(t, red)
	l.s.changed() // lock the router user to this device
	l.s.redirectToHotspot(l.w, l.r, t, l.pr, red.Coupon.Code, red.Coupon.Code)
}

// spendThroughRouter lets the device on through the router's API: the code
// is checked, the router first, the record after; a code another device
// used in between takes this one off again.
func (l *codeLogin) spendThroughRouter(t guestTarget, req app.RedeemRequest) {
	ctx := l.r.Context()
	red, err := l.s.store.CheckRedeem(ctx, req)
	if err != nil {
		l.refused(err)
		return
	}
	code := red.Coupon.Code
	if red.MovedFrom != "" {
		l.moveThroughRouter(t, req)
		return
	}
	if err := l.s.deps.Routers.LoginGuest(ctx, t.site, code, code, t.ip, t.mac); err != nil {
		l.attempt.forgive() // the code was right; the router did not take it
		l.s.logger.WarnContext(ctx, "portal: router login", "site", t.site, "err", err)
		l.again(http.StatusOK, l.v.T["router_failed"])
		return
	}
	if red, err = l.s.store.Redeem(ctx, req); err != nil {
		// Used by another device since the check: take this one off again.
		if eerr := l.s.deps.Routers.EndGuestSession(ctx, t.site, code, t.mac); eerr != nil {
			l.s.logger.WarnContext(ctx, "portal: end a login that could not be recorded", "site", t.site, "err", eerr)
		}
		l.refused(err)
		return
	}
	if !red.Resumed {
		l.attempt.forgive()
	}
	l.consent(t, red)
	l.s.changed() // lock the router user to this device
	l.s.online(ctx, &l.v, l.pr, t.site, red.SessionEnds)
	l.v.DataLeft = dataLeft(red.Coupon)
	l.s.renderPortal(l.w, http.StatusOK, "portal.html", l.v, l.v.Nonce, "")
}

// moveThroughRouter moves a code of one device to this one: the move is
// recorded first (it counts against the day's moves and locks the code to
// this device), the old device is logged out, then this one is logged in
// through the router's API, which pushes the new lock first when the
// router still has the old one.
func (l *codeLogin) moveThroughRouter(t guestTarget, req app.RedeemRequest) {
	ctx := l.r.Context()
	red, err := l.s.store.Redeem(ctx, req)
	if err != nil {
		l.refused(err)
		return
	}
	l.endOldDevice(t, red)
	code := red.Coupon.Code
	if err := l.s.deps.Routers.LoginGuest(ctx, t.site, code, code, t.ip, t.mac); err != nil {
		l.attempt.forgive() // the code is this device's now: trying again logs it in
		l.s.logger.WarnContext(ctx, "portal: router login of a moved code", "site", t.site, "err", err)
		l.again(http.StatusOK, l.v.T["router_failed"])
		return
	}
	l.s.logger.InfoContext(ctx, "portal: code moved to a new device", "site", t.site, "coupon", red.Coupon.ID)
	l.consent(t, red)
	l.s.changed()
	l.s.online(ctx, &l.v, l.pr, t.site, red.SessionEnds)
	l.v.DataLeft = dataLeft(red.Coupon)
	l.s.renderPortal(l.w, http.StatusOK, "portal.html", l.v, l.v.Nonce, "")
}

// endOldDevice logs out the device a code moved away from.
func (l *codeLogin) endOldDevice(t guestTarget, red app.Redemption) {
	if err := l.s.deps.Routers.EndGuestSession(l.r.Context(), t.site, red.Coupon.Code, red.MovedFrom); err != nil {
		l.s.logger.WarnContext(l.r.Context(), "portal: log out the device a code moved from", "site", t.site, "err", err)
	}
}

// consent keeps the receipt of the terms the guest accepted to get on.
func (l *codeLogin) consent(t guestTarget, red app.Redemption) {
	l.s.recordConsent(l.r.Context(), l.pr.inst, l.pr.lang, app.Consent{SiteID: t.site, CouponID: red.Coupon.ID,
		Username: red.Coupon.Code, MACAddress: t.mac})
}
