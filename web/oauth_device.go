package web

import (
	"crypto/rand"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/julienschmidt/httprouter"

	"gatehouse/app"
)

// Sign-in finished in another browser (see app/oauth_device.go), the
// mini-browser's side. When the portal page of an oauth2 instance is
// opened in a captive mini-browser, it starts a device attempt and shows
// its user code with the link to enter it (GET /oauth2/device, in
// oauth_device_entry.go). An HttpOnly cookie binds the attempt to the
// mini-browser. Its page polls GET /oauth2/device/status (a nonce'd
// script; a meta refresh to the wait page where scripts do not run) and,
// once the sign-in let the guest on, GET /oauth2/device/wait hands the
// device to the router exactly as the callback of a normal sign-in does.
// Only a request with the cookie ever receives the guest's credentials.

const (
	deviceEntryPath  = "/oauth2/device"
	deviceWaitPath   = "/oauth2/device/wait"
	deviceStatusPath = "/oauth2/device/status"
	// deviceCookiePrefix names the mini-browser's cookie; the attempt id
	// completes the name. Its path takes it to the wait and status pages
	// only.
	deviceCookiePrefix = "gatehouse_device_"
	deviceCookiePath   = "/oauth2/device/"
	// devicePollMillis is how often the page's script asks for news;
	// deviceRefreshSeconds how often the page reloads without scripts.
	devicePollMillis     = 2500
	deviceRefreshSeconds = 3
	// deviceCodeFailures is how many refused user codes one source may
	// enter per minute. Guests behind the router's NAT share a source;
	// with 31^8 codes and a code living minutes, guessing stays hopeless.
	deviceCodeFailures = 20
)

// isMiniBrowser reports whether a User-Agent is a captive mini-browser, or
// another embedded web view, in which providers refuse to sign anyone in
// (Google answers disallowed_useragent). The patterns:
//
//   - "CaptiveNetworkSupport" or "CaptiveNetworkAssistant": Apple's
//     captive network daemon (its probes send "CaptiveNetworkSupport-<ver>
//     wispr") and the macOS assistant app, when they show in a page load.
//   - An Apple device's WebKit without "Safari/": "(iPhone", "(iPad",
//     "(iPod" or "(Macintosh" with "AppleWebKit/" but no "Safari/" token.
//     The iOS captive sheet and the macOS Captive Network Assistant send
//     the system web view's agent, which lacks Safari's "Version/…
//     Safari/…"; Safari and the other iOS browsers (CriOS, FxiOS, EdgiOS)
//     all carry "Safari/". In-app views (FBAN, Instagram) match too, and
//     Google refuses them as well.
//   - Android's WebView: "Android" with the "; wv)" token that Android
//     puts in every WebView agent (the captive portal login app on
//     versions that do not use Custom Tabs). "Mobile" is not required:
//     tablets' agents lack it. Chrome itself never has "; wv)".
func isMiniBrowser(ua string) bool {
	if strings.Contains(ua, "CaptiveNetworkSupport") || strings.Contains(ua, "CaptiveNetworkAssistant") {
		return true
	}
	if strings.Contains(ua, "AppleWebKit/") && !strings.Contains(ua, "Safari/") {
		for _, dev := range []string{"(iPhone", "(iPad", "(iPod", "(Macintosh"} {
			if strings.Contains(ua, dev) {
				return true
			}
		}
	}
	return strings.Contains(ua, "Android") && strings.Contains(ua, "; wv)")
}

// portalDevice is the part of the portal page that shows a mini-browser's
// user code, or why it ended.
type portalDevice struct {
	Code      string // "ABCD-EFGH"
	Link      string // the entry page with the code filled in
	EntryURL  string // the entry page, to type on another device
	WaitURL   string // the mini-browser's page of the attempt
	StatusURL string // what the page's script polls
	Status    string // app.DeviceWaiting, …
	Poll      bool   // the sign-in is under way: the page polls
	// NewCodeURL is the portal page again (a new code) when the attempt
	// ended without letting the guest on.
	NewCodeURL string
	// Button also offers the sign-in in the mini-browser itself, for
	// providers that allow embedded views (not Google).
	Button                   bool
	PollMillis, RefreshAfter int
}

// startDevice starts a device attempt for the portal page of a
// mini-browser: a new user code, bound to the mini-browser by a cookie. It
// fills v.Device, or v.Error when it cannot (then the page shows the usual
// sign-in button).
func (s *Server) startDevice(w http.ResponseWriter, r *http.Request, pr portalRequest, v *portalView) {
	now := s.now()
	siteID, params, wait, key := s.startSignIn(r, pr, now)
	switch {
	case wait > 0:
		v.Error = slowDown(v.T, wait)
		return
	case key != "":
		v.Error = v.T[key] // no router to make the guest's user on
		return
	}
	secret := randomToken()
	window := time.Duration(pr.inst.AuthWindowTTL) * time.Second
	a := app.OAuthAttempt{AuthIntegrationID: pr.inst.AuthIntegrationID, InstanceID: pr.inst.ID, SiteID: siteID,
		RouterParams: params, PollHash: browserHash(secret), CreatedAt: now, ExpiresAt: now.Add(window)}
	var err error
	for range grantTries { // a user code in use: draw another
		if a.UserCode, err = app.NewDeviceCode(rand.Reader); err != nil {
			break
		}
		var stored app.OAuthAttempt
		if stored, err = s.store.CreateOAuthAttempt(r.Context(), a); app.ErrorCode(err) != app.EConflict {
			a = stored
			break
		}
	}
	if err != nil {
		s.logger.ErrorContext(r.Context(), "oauth: start device sign-in", "instance", pr.inst.ID, "err", err)
		v.Error = v.T["oauth_unavailable"]
		return
	}
	// The sign-in may start as late as the end of the window and take a
	// window of its own; the hand-off may come a little later.
	http.SetCookie(w, &http.Cookie{Name: deviceCookiePrefix + a.ID, Value: secret, Path: deviceCookiePath,
		MaxAge: int((2*window + 10*time.Minute) / time.Second), HttpOnly: true, Secure: s.secureCookies, SameSite: http.SameSiteLaxMode})
	v.Device = s.deviceSection(pr, a, app.DeviceWaiting)
}

// deviceSection is the device part of the portal page of an attempt in a
// state.
func (s *Server) deviceSection(pr portalRequest, a app.OAuthAttempt, status string) *portalDevice {
	id := url.Values{"id": {a.ID}}.Encode()
	entry := strings.TrimRight(s.links.BaseURL, "/") + deviceEntryPath
	code := app.FormatDeviceCode(a.UserCode)
	return &portalDevice{Code: code, Link: entry + "?" + url.Values{"code": {code}}.Encode(), EntryURL: entry,
		WaitURL: deviceWaitPath + "?" + id, StatusURL: deviceStatusPath + "?" + id, Status: status,
		Poll:       status == app.DeviceWaiting || status == app.DeviceSigningIn,
		NewCodeURL: "/portal/" + pr.inst.ID + "?" + a.RouterParams.Encode(), Button: pr.provider != app.ProviderGoogle,
		PollMillis: devicePollMillis, RefreshAfter: deviceRefreshSeconds}
}

// deviceStatusJSON is what the mini-browser's script polls.
type deviceStatusJSON struct {
	Status string `json:"status"`
}

// deviceStatus serves GET /oauth2/device/status?id=…: the state of the
// mini-browser's attempt, to the mini-browser only (ENotFound otherwise,
// whether the attempt exists or not). It never carries credentials.
func (s *Server) deviceStatus(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	a, ok := s.polledAttempt(r)
	if !ok {
		s.writeError(w, r, app.NotFound("sign-in", r.URL.Query().Get("id")))
		return
	}
	status, _ := s.deviceState(r, a)
	writeJSON(w, http.StatusOK, deviceStatusJSON{Status: status})
}

// deviceWait serves GET /oauth2/device/wait?id=…, the mini-browser's page
// of its attempt: the code while the sign-in is under way, the hand-off to
// the router once it let the guest on, or why it ended.
func (s *Server) deviceWait(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	a, ok := s.polledAttempt(r)
	if !ok {
		s.oauthPage(w, r, http.StatusNotFound, app.ReasonOAuthStateInvalid)
		return
	}
	pr, err := s.attemptPortal(r, a)
	if err != nil {
		s.logger.WarnContext(r.Context(), "oauth: device page", "attempt", a.ID, "err", err)
		s.oauthPage(w, r, http.StatusNotFound, app.ReasonOAuthStateInvalid)
		return
	}
	status, guest := s.deviceState(r, a)
	if status == app.DeviceDone {
		s.deviceHandOff(w, r, a, pr, guest)
		return
	}
	nonce := newNonce()
	v := s.view(pr, nonce)
	v.Device = s.deviceSection(pr, a, status)
	switch status {
	case app.DeviceFailed:
		v.Error = v.T["device_failed"]
	case app.DeviceExpired:
		v.Error = v.T["device_expired"]
	}
	formAction := ""
	if v.Device.Poll && v.Device.Button {
		c, err := s.oauthClient(r.Context(), pr.inst.AuthIntegrationID)
		if err != nil {
			s.logger.WarnContext(r.Context(), "oauth: prepare sign-in", "instance", pr.inst.ID, "err", err)
		}
		formAction = c.formAction()
	}
	s.renderPortal(w, http.StatusOK, "portal.html", v, nonce, formAction)
}

// deviceState is the state of a device attempt for its mini-browser, and
// the guest once it is done; a guest whose session ended (say, ended by an
// admin) makes it expired.
func (s *Server) deviceState(r *http.Request, a app.OAuthAttempt) (string, app.OAuthGuest) {
	now := s.now()
	status := a.DeviceStatus(now)
	if status != app.DeviceDone {
		return status, app.OAuthGuest{}
	}
	g, err := s.store.OAuthGuest(r.Context(), a.SiteUserID)
	if err != nil || !g.EndsAt.After(now) {
		if err != nil && app.ErrorCode(err) != app.ENotFound {
			s.logger.ErrorContext(r.Context(), "oauth: read device guest", "attempt", a.ID, "err", err)
		}
		return app.DeviceExpired, app.OAuthGuest{}
	}
	return status, g
}

// deviceHandOff hands the device of a finished attempt to the router:
// the form to link-login-only (again on every visit), or the router API
// login (until it succeeded once; afterwards the time left).
func (s *Server) deviceHandOff(w http.ResponseWriter, r *http.Request, a app.OAuthAttempt, pr portalRequest, guest app.OAuthGuest) {
	if a.ReleasedAt != nil && safeLink(pr.params.Get("link-login-only")) == "" {
		nonce := newNonce()
		v := s.view(pr, nonce)
		v.Online, v.Remaining = true, formatRemaining(guest.Remaining(s.now()))
		s.renderPortal(w, http.StatusOK, "portal.html", v, nonce, "")
		return
	}
	g := guestCallback{s: s, r: r, pr: pr, known: true, newCode: "/portal/" + pr.inst.ID + "?" + a.RouterParams.Encode()}
	if !s.oauthHandOff(w, r, g, guest) {
		return
	}
	first, err := s.store.ReleaseOAuthDevice(r.Context(), a.ID, s.now())
	if err != nil {
		s.logger.ErrorContext(r.Context(), "oauth: record device hand-off", "attempt", a.ID, "err", err)
		return
	}
	if first {
		s.logger.InfoContext(r.Context(), "oauth: device handed off", "site", guest.SiteID, "site_user", guest.SiteUserID)
	}
}

// polledAttempt reads the device attempt of a mini-browser request (the
// id query parameter) and checks the request holds its cookie.
func (s *Server) polledAttempt(r *http.Request) (app.OAuthAttempt, bool) {
	id := r.URL.Query().Get("id")
	if _, err := r.Cookie(deviceCookiePrefix + id); id == "" || err != nil {
		return app.OAuthAttempt{}, false
	}
	a, err := s.store.OAuthDeviceAttempt(r.Context(), id)
	if err != nil {
		if app.ErrorCode(err) != app.ENotFound {
			s.logger.ErrorContext(r.Context(), "oauth: read device sign-in", "err", err)
		}
		return app.OAuthAttempt{}, false
	}
	return a, hasCookie(r, deviceCookiePrefix+a.ID, a.PollHash)
}

// attemptPortal is the portal of a guest attempt: its instance, router
// parameters and provider, in the language of the request.
func (s *Server) attemptPortal(r *http.Request, a app.OAuthAttempt) (portalRequest, error) {
	inst, err := s.store.Instance(r.Context(), a.InstanceID)
	if err != nil {
		return portalRequest{}, err
	}
	pr := portalRequest{inst: inst, params: a.RouterParams, lang: portalLanguage(r.Header.Get("Accept-Language"), inst.Locale)}
	if integ, err := s.store.AuthIntegration(r.Context(), inst.AuthIntegrationID); err == nil {
		pr.provider = integ.Type
	}
	return pr, nil
}
