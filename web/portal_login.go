package web

import (
	"fmt"
	"math"
	"net/http"
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
// nothing.
func (s *Server) portalLogin(w http.ResponseWriter, r *http.Request, p httprouter.Params) {
	if err := r.ParseForm(); err != nil {
		s.writeError(w, r, app.Invalid("", app.ReasonInvalidJSON, "the form could not be read"))
		return
	}
	pr, ok := s.loadPortal(w, r, p, r.PostForm)
	if !ok {
		return
	}
	ctx := r.Context()
	nonce := newNonce()
	v := s.view(pr, nonce)
	v.Code = app.NormalizeCouponCode(r.PostForm.Get("code"))
	v.TermsAccepted = r.PostForm.Get("accept_terms") != ""
	again := func(status int, msg string) {
		v.Error = msg
		s.renderPortal(w, status, "portal.html", v, nonce, s.codeFormAction(ctx, pr))
	}
	now := s.now()
	attempt, wait := reserveAll(s.portalKeys(r, pr.inst), now)
	if wait > 0 {
		secs := int(math.Ceil(wait.Seconds()))
		w.Header().Set("Retry-After", fmt.Sprint(secs))
		again(http.StatusTooManyRequests, fmt.Sprintf(v.T["slow_down"], secs))
		return
	}
	switch {
	case v.OAuth:
		// Sign-in instances take no codes: show their page (with its button).
		attempt.forgive()
		http.Redirect(w, r, "/portal/"+pr.inst.ID+"?"+pr.params.Encode(), http.StatusSeeOther)
		return
	case v.Code == "":
		attempt.forgive()
		again(http.StatusOK, v.T["need_code"])
		return
	case v.Terms != "" && !v.TermsAccepted:
		attempt.forgive()
		again(http.StatusOK, v.T["need_terms"])
		return
	}
	t, key, err := s.target(ctx, r, pr, true)
	if key != "" {
		if err == nil {
			attempt.forgive() // nowhere to go: no guess was checked
		} // a failed device lookup asked the router: it counts like a guess
		again(http.StatusOK, noPlaceText(v.T, pr.inst, key))
		return
	}
	req := app.RedeemRequest{InstanceID: pr.inst.ID, Code: v.Code, SiteID: t.site, MAC: t.mac, At: now}
	refused := func(err error) {
		if msg, ok := v.T[app.ErrorReason(err)]; ok {
			again(http.StatusOK, msg) // a wrong code: the attempt stays counted
			return
		}
		attempt.forgive()
		s.logger.ErrorContext(ctx, "portal: redeem", "instance", pr.inst.ID, "err", err)
		again(http.StatusOK, v.T["router_failed"])
	}
	if t.login != nil {
		red, err := s.deps.Portal.Redeem(ctx, req)
		if err != nil {
			refused(err)
			return
		}
		if !red.Resumed { // coming back is counted: every time is a hand-off
			attempt.forgive()
		}
		s.changed() // lock the router user to this device
		s.redirectToHotspot(w, r, t, pr, red.Coupon.Code, red.Coupon.Code)
		return
	}
	// Through the router's API: the router first, the record after.
	red, err := s.deps.Portal.CheckRedeem(ctx, req)
	if err != nil {
		refused(err)
		return
	}
	code := red.Coupon.Code
	if err := s.deps.Routers.LoginGuest(ctx, t.site, code, code, t.ip, t.mac); err != nil {
		attempt.forgive() // the code was right; the router did not take it
		s.logger.WarnContext(ctx, "portal: router login", "site", t.site, "err", err)
		again(http.StatusOK, v.T["router_failed"])
		return
	}
	if red, err = s.deps.Portal.Redeem(ctx, req); err != nil {
		// Used by another device since the check: take this one off again.
		if eerr := s.deps.Routers.EndGuestSession(ctx, t.site, code, t.mac); eerr != nil {
			s.logger.WarnContext(ctx, "portal: end a login that could not be recorded", "site", t.site, "err", eerr)
		}
		refused(err)
		return
	}
	if !red.Resumed {
		attempt.forgive()
	}
	s.changed() // lock the router user to this device
	s.online(ctx, &v, pr, t.site, red.SessionEnds)
	s.renderPortal(w, http.StatusOK, "portal.html", v, v.Nonce, "")
}
