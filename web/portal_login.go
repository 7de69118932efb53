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

// Guessing limits: per device (the router's MAC and guest address) and,
// higher, per source address (guests behind the router's NAT share one).
const (
	deviceFailures = 5
	sourceFailures = 30
	failureWindow  = time.Minute
)

// portalLimits hold the failed code attempts of the portal.
type portalLimits struct {
	device, source *failureLimiter
}

func newPortalLimits() portalLimits {
	return portalLimits{device: newFailureLimiter(deviceFailures, failureWindow), source: newFailureLimiter(sourceFailures, failureWindow)}
}

// portalLogin serves POST /portal/{instanceId}/login: a guest submits a
// code. A good code is redeemed in one transaction and the browser is
// handed back to the router (or the router is asked to log the device in);
// anything else shows the page again with a message in the guest's
// language and changes nothing.
func (s *Server) portalLogin(w http.ResponseWriter, r *http.Request, p httprouter.Params) {
	if err := r.ParseForm(); err != nil {
		s.writeError(w, r, app.Invalid("", app.ReasonInvalidJSON, "the form could not be read"))
		return
	}
	pr, ok := s.loadPortal(w, r, p, r.PostForm)
	if !ok {
		return
	}
	nonce := newNonce()
	v := s.view(pr, nonce)
	v.Code = app.NormalizeCouponCode(r.PostForm.Get("code"))
	v.TermsAccepted = r.PostForm.Get("accept_terms") != ""
	again := func(status int, msg string) {
		v.Error = msg
		s.renderPortal(w, status, "portal.html", v, nonce, "")
	}
	now := s.now()
	keys := s.limitKeys(r, pr.params)
	if wait := s.blockedFor(keys, now); wait > 0 {
		w.Header().Set("Retry-After", fmt.Sprint(int(math.Ceil(wait.Seconds()))))
		again(http.StatusTooManyRequests, fmt.Sprintf(v.T["slow_down"], int(math.Ceil(wait.Seconds()))))
		return
	}
	switch {
	case v.OAuth:
		// Sign-in instances take no codes: show their page (with its button).
		http.Redirect(w, r, "/portal/"+pr.inst.ID+"?"+pr.params.Encode(), http.StatusSeeOther)
		return
	case v.Code == "":
		again(http.StatusOK, v.T["need_code"])
		return
	case pr.inst.TermsText != "" && !v.TermsAccepted:
		again(http.StatusOK, v.T["need_terms"])
		return
	case safeLink(pr.params.Get("link-login-only")) == "" && !isSiteOf(pr.inst, pr.params.Get("site")):
		again(http.StatusOK, v.T["no_router"]) // nowhere to hand the guest to: do not use the code
		return
	}
	if safeLink(pr.params.Get("link-login-only")) == "" && pr.params.Get("mac") == "" {
		// Opened without the router's parameters (a card's QR code): find
		// the device before the code is spent, so that a login the router
		// then refuses can be tried again with the same code.
		site, ip, mac, err := s.guestDevice(r, pr)
		switch {
		case site == "":
			again(http.StatusOK, v.T["no_router"])
			return
		case err != nil:
			s.failed(keys, now) // each lookup asks the router: limit them like guesses
			again(http.StatusOK, v.T["router_failed"])
			return
		}
		pr.params.Set("site", site)
		pr.params.Set("ip", ip)
		pr.params.Set("mac", mac)
	}
	red, err := s.deps.Portal.Redeem(r.Context(), app.RedeemRequest{InstanceID: pr.inst.ID, Code: v.Code,
		SiteID: pr.params.Get("site"), MAC: pr.params.Get("mac"), At: now})
	if err != nil {
		var reason string
		if e, ok := err.(*app.Error); ok {
			reason = e.Reason
		}
		if msg, ok := v.T[reason]; ok {
			s.failed(keys, now)
			again(http.StatusOK, msg)
			return
		}
		s.logger.ErrorContext(r.Context(), "portal: redeem", "instance", pr.inst.ID, "err", err)
		again(http.StatusOK, v.T["router_failed"])
		return
	}
	s.changed() // lock the router user to this device
	s.handOff(w, r, pr, v, red)
}

// isSiteOf reports whether id names one of the instance's sites.
func isSiteOf(inst app.Instance, id string) bool {
	_, ok := siteOfInstance(inst, id)
	return ok
}

// guestDevice finds the site, address and MAC address of a guest who
// opened the portal directly. Only the address the connection comes from
// counts, and only inside a guest subnet of one of the instance's sites
// (site "" otherwise, and the router is not asked): what the form says
// about site and address is the guest's to forge.
func (s *Server) guestDevice(r *http.Request, pr portalRequest) (site, ip, mac string, err error) {
	ip = clientIP(r)
	if site = siteOfAddress(pr.inst, ip); site == "" {
		return "", "", "", nil
	}
	mac, err = s.deps.Routers.HostMAC(r.Context(), site, ip)
	if err != nil {
		s.logger.WarnContext(r.Context(), "portal: find the guest's device", "site", site, "ip", ip, "err", err)
	}
	return site, ip, mac, err
}

// handOff sends the guest of a redeemed coupon to the router: a page that
// posts the credentials to link-login-only (CHAP-hashed when the router
// asked for CHAP), or, without it, a login through the router's API.
func (s *Server) handOff(w http.ResponseWriter, r *http.Request, pr portalRequest, v portalView, red app.Redemption) {
	code := red.Coupon.Code
	if login := safeLink(pr.params.Get("link-login-only")); login != "" {
		password := code
		if id, challenge := pr.params.Get("chap-id"), pr.params.Get("chap-challenge"); id != "" && challenge != "" {
			password = chapPassword(id, code, challenge)
		}
		u, _ := url.Parse(login)
		s.renderPortal(w, http.StatusOK, "handoff.html", handoffView{Lang: v.Lang, Nonce: v.Nonce, T: v.T, Theme: v.Theme,
			LoginURL: login, Username: code, Password: password, Dst: v.LinkOrig}, v.Nonce, u.Scheme+"://"+u.Host)
		return
	}
	ip := pr.params.Get("ip")
	if ip == "" {
		ip = clientIP(r)
	}
	if err := s.deps.Routers.LoginGuest(r.Context(), pr.params.Get("site"), code, code, ip, pr.params.Get("mac")); err != nil {
		s.logger.WarnContext(r.Context(), "portal: router login", "site", pr.params.Get("site"), "err", err)
		v.Error = v.T["router_failed"]
		s.renderPortal(w, http.StatusOK, "portal.html", v, v.Nonce, "")
		return
	}
	v.Online, v.Remaining = true, formatRemaining(red.Remaining(s.now()))
	s.renderPortal(w, http.StatusOK, "portal.html", v, v.Nonce, "")
}

// limitKeys are the rate-limit keys of a portal request: the device (MAC
// and hotspot address the router reported) and the source address.
func (s *Server) limitKeys(r *http.Request, params url.Values) []limitKey {
	keys := []limitKey{{s.portal.source, "src:" + clientIP(r)}}
	if mac := params.Get("mac"); mac != "" {
		keys = append(keys, limitKey{s.portal.device, "mac:" + mac})
	}
	if ip := params.Get("ip"); ip != "" {
		keys = append(keys, limitKey{s.portal.device, "ip:" + ip})
	} else {
		keys = append(keys, limitKey{s.portal.device, "ip:" + clientIP(r)})
	}
	return keys
}

// blockedFor is the longest wait any key of a request owes.
func (s *Server) blockedFor(keys []limitKey, now time.Time) time.Duration {
	var wait time.Duration
	for _, k := range keys {
		wait = max(wait, k.l.blocked(k.key, now))
	}
	return wait
}

// failed records a wrong code for every key of a request.
func (s *Server) failed(keys []limitKey, now time.Time) {
	for _, k := range keys {
		k.l.fail(k.key, now)
	}
}
