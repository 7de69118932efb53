package web

import (
	"fmt"
	"math"
	"net/http"
	"time"

	"github.com/julienschmidt/httprouter"
	"golang.org/x/oauth2"

	"gatehouse/app"
)

// Sign-in finished in another browser (see app/oauth_device.go), the
// browser's side. The guest opens GET /oauth2/device (the code filled in
// from the link, or typed into its form) and sees which Wi-Fi the code
// belongs to; confirming (POST /oauth2/device) claims the code, once, and
// starts the provider's sign-in for the mini-browser's attempt. The
// callback lets the guest on and tells this browser to go back to the
// Wi-Fi window: the credentials go to the mini-browser only. Looking at a
// code changes nothing, so link previews cannot spend it.

// deviceView is the page of a browser finishing a mini-browser's sign-in.
type deviceView struct {
	Lang, Nonce string
	T           map[string]string
	Theme       app.Theme
	Step        string // "enter" (type a code), "confirm", "done" or "ended" (an error, nothing to confirm)
	Name        string // the Wi-Fi (instance) of the code; "" before one is known
	Code        string // as typed, or formatted
	Error       string
	Terms       string
	Accepted    bool
	Provider    string
	Identity    string // who signed in ("done")
	Action      string
	FormToken   string // "confirm": the form's copy of the deviceFormCookie
}

// deviceFormCookie holds a secret the confirmation form repeats, so that
// only a form this server showed in this browser can claim a code: a page
// elsewhere cannot post a code of its own and have a browser whose provider
// session consents silently sign in for the attacker's device.
const deviceFormCookie = "gatehouse_device_form"

// deviceEntry serves GET /oauth2/device[?code=…]: the form to type a code,
// or the confirmation of a good one. It changes nothing.
func (s *Server) deviceEntry(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	typed := r.URL.Query().Get("code")
	v := s.deviceView(r, "enter")
	if typed == "" {
		s.renderDevice(w, http.StatusOK, v, "")
		return
	}
	a, pr, ok := s.enteredCode(w, r, v, typed)
	if !ok {
		return
	}
	s.deviceConfirmPage(w, r, v, a, pr, false, "")
}

// deviceConfirm serves POST /oauth2/device: the guest confirmed a code
// (and accepted the terms). The code is claimed by this browser, once,
// and the browser goes to the provider (302).
func (s *Server) deviceConfirm(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	v := s.deviceView(r, "enter")
	if err := r.ParseForm(); err != nil {
		v.Error = v.T["device_code_unknown"]
		s.renderDevice(w, http.StatusBadRequest, v, "")
		return
	}
	typed := r.PostForm.Get("code")
	a, pr, ok := s.enteredCode(w, r, v, typed)
	if !ok {
		return
	}
	accepted := r.PostForm.Get("accept_terms") != ""
	if token := r.PostForm.Get("form_token"); token == "" || !hasCookie(r, deviceFormCookie, browserHash(token)) {
		s.deviceConfirmPage(w, r, v, a, pr, accepted, "") // not our form: ask again
		return
	}
	if pr.inst.Terms(pr.lang) != "" && !accepted {
		s.deviceConfirmPage(w, r, v, a, pr, false, "need_terms")
		return
	}
	client, err := s.oauthClient(r.Context(), a.AuthIntegrationID)
	if err != nil {
		s.logger.WarnContext(r.Context(), "oauth: prepare device sign-in", "instance", pr.inst.ID, "err", err)
		s.deviceConfirmPage(w, r, v, a, pr, accepted, "oauth_unavailable")
		return
	}
	secret := randomToken()
	claim := app.OAuthDeviceClaim{Verifier: oauth2.GenerateVerifier(), Nonce: randomToken(), BrowserHash: browserHash(secret), At: s.now()}
	a, err = s.store.ClaimOAuthDeviceCode(r.Context(), typed, claim)
	if err != nil {
		s.refuseCode(w, r, v, err) // another browser was faster, or the code just expired
		return
	}
	s.sendToProvider(w, r, client, a, secret)
}

// enteredCode checks a typed code: rate limited per source, and refused
// with a page (false) unless a browser may still claim it.
func (s *Server) enteredCode(w http.ResponseWriter, r *http.Request, v deviceView, typed string) (app.OAuthAttempt, portalRequest, bool) {
	v.Code = typed
	now := s.now()
	src := "src:" + clientIP(r)
	if wait := s.oauthStarts.codes.blocked(src, now); wait > 0 {
		w.Header().Set("Retry-After", fmt.Sprint(int(math.Ceil(wait.Seconds()))))
		v.Error = slowDown(v.T, wait)
		s.renderDevice(w, http.StatusTooManyRequests, v, "")
		return app.OAuthAttempt{}, portalRequest{}, false
	}
	a, err := s.store.OAuthDeviceCode(r.Context(), typed, now)
	var pr portalRequest
	if err == nil {
		pr, err = s.attemptPortal(r, a)
	}
	if err != nil {
		if app.ErrorCode(err) == app.EForbidden || app.ErrorCode(err) == app.ENotFound {
			s.oauthStarts.codes.fail(src, now)
		}
		s.refuseCode(w, r, v, err)
		return app.OAuthAttempt{}, portalRequest{}, false
	}
	return a, pr, true
}

// refuseCode shows why a code cannot be used: a wrong code gets the form
// again; an expired or used one a page saying to get a new one.
func (s *Server) refuseCode(w http.ResponseWriter, r *http.Request, v deviceView, err error) {
	switch app.ErrorReason(err) {
	case app.ReasonDeviceCodeExpired:
		v.Step, v.Error = "ended", v.T["device_code_expired"]
	case app.ReasonDeviceCodeUsed:
		v.Step, v.Error = "ended", v.T["device_code_used"]
	default:
		if app.ErrorCode(err) != app.EForbidden && app.ErrorCode(err) != app.ENotFound {
			s.logger.ErrorContext(r.Context(), "oauth: device code", "err", err)
			v.Step, v.Error = "ended", v.T["oauth_unavailable"]
			s.renderDevice(w, http.StatusInternalServerError, v, "")
			return
		}
		v.Step, v.Error = "enter", v.T["device_code_unknown"]
	}
	s.renderDevice(w, http.StatusOK, v, "")
}

// deviceConfirmPage asks the guest to confirm the Wi-Fi of a code (and its
// terms) before signing in; errKey, if set, names the message.
func (s *Server) deviceConfirmPage(w http.ResponseWriter, r *http.Request, v deviceView, a app.OAuthAttempt, pr portalRequest, accepted bool, errKey string) {
	v.Step, v.Name, v.Theme = "confirm", pr.inst.Name, pr.inst.Theme
	v.Code, v.Terms, v.Accepted, v.Provider = app.FormatDeviceCode(a.UserCode), pr.inst.Terms(pr.lang), accepted, app.ProviderName(pr.provider)
	if errKey != "" {
		v.Error = v.T[errKey]
	}
	v.FormToken = randomToken()
	http.SetCookie(w, &http.Cookie{Name: deviceFormCookie, Value: v.FormToken, Path: deviceEntryPath, MaxAge: 3600,
		HttpOnly: true, Secure: s.secureCookies, SameSite: http.SameSiteLaxMode})
	// The form is redirected to the provider: allow it.
	c, err := s.oauthClient(r.Context(), a.AuthIntegrationID)
	if err != nil {
		s.logger.WarnContext(r.Context(), "oauth: prepare device sign-in", "instance", pr.inst.ID, "err", err)
	}
	s.renderDevice(w, http.StatusOK, v, c.formAction())
}

// deviceCallback ends the sign-in of a device attempt (the state checked,
// the attempt used and bound to this browser): the guest is let on and
// this browser is told to go back to the Wi-Fi window, where the
// mini-browser hands off; or the attempt is recorded as failed, which the
// mini-browser shows too. This browser never gets the credentials.
func (s *Server) deviceCallback(w http.ResponseWriter, r *http.Request, a app.OAuthAttempt, client *oauthClient, now time.Time) {
	ctx := r.Context()
	q := r.URL.Query()
	v := s.deviceView(r, "ended")
	pr, err := s.attemptPortal(r, a)
	if err == nil {
		v.Name, v.Theme = pr.inst.Name, pr.inst.Theme
	}
	fail := func(status int, key string) {
		if err := s.store.FinishOAuthDevice(ctx, a.ID, "", s.now()); err != nil {
			s.logger.ErrorContext(ctx, "oauth: record failed device sign-in", "attempt", a.ID, "err", err)
		}
		v.Error = v.T[key]
		s.renderDevice(w, status, v, "")
	}
	switch perr := q.Get("error"); {
	case err != nil:
		s.logger.WarnContext(ctx, "oauth: device callback", "attempt", a.ID, "err", err)
		fail(http.StatusOK, "router_failed")
		return
	case perr == "access_denied":
		fail(http.StatusOK, "device_denied")
		return
	case perr != "":
		s.logger.WarnContext(ctx, "oauth: provider refused", "attempt", a.ID, "error", perr, "description", q.Get("error_description"))
		fail(http.StatusBadGateway, "device_sign_in_failed")
		return
	case client == nil || q.Get("code") == "":
		fail(http.StatusBadGateway, "device_sign_in_failed")
		return
	}
	ident, err := s.oauth.identify(ctx, client, q.Get("code"), a.Verifier, a.Nonce)
	if err != nil {
		s.logger.WarnContext(ctx, "oauth: sign-in not accepted", "attempt", a.ID, "provider", client.integ.Type, "err", err)
		fail(http.StatusBadGateway, "device_sign_in_failed")
		return
	}
	guest, err := s.grantGuest(ctx, a, ident, now)
	if err != nil {
		s.logger.ErrorContext(ctx, "oauth: grant guest", "attempt", a.ID, "err", err)
		fail(http.StatusOK, "router_failed")
		return
	}
	s.logger.InfoContext(ctx, "oauth: guest signed in in another browser", "site", guest.SiteID, "site_user", guest.SiteUserID,
		"provider", guest.Provider)
	// The router must hold the user before the mini-browser logs in with
	// it: the mini-browser learns of the guest only afterwards.
	if _, err := s.deps.Routers.Sync(ctx, guest.SiteID); err != nil {
		s.logger.WarnContext(ctx, "oauth: push guest to router", "site", guest.SiteID, "err", err)
		fail(http.StatusOK, "router_failed")
		return
	}
	if err := s.store.FinishOAuthDevice(ctx, a.ID, guest.SiteUserID, s.now()); err != nil {
		s.logger.ErrorContext(ctx, "oauth: record device sign-in", "attempt", a.ID, "err", err)
		fail(http.StatusOK, "router_failed")
		return
	}
	v.Step, v.Identity = "done", guest.Identity
	s.renderDevice(w, http.StatusOK, v, "")
}

func (s *Server) deviceView(r *http.Request, step string) deviceView {
	lang := portalLanguage(r.Header.Get("Accept-Language"), app.DefaultLocale)
	return deviceView{Lang: lang, Nonce: newNonce(), T: portalLanguages[lang], Theme: app.DefaultTheme(), Step: step, Action: deviceEntryPath}
}

// renderDevice writes the device sign-in page (oauth_device.html) of v with
// status; a formAction that is not empty replaces 'self' as the page's CSP
// form-action.
func (s *Server) renderDevice(w http.ResponseWriter, status int, v deviceView, formAction string) {
	s.renderPortal(w, status, "oauth_device.html", v, v.Nonce, formAction)
}

// slowDown words a rate-limit wait.
func slowDown(t map[string]string, wait time.Duration) string {
	return fmt.Sprintf(t["slow_down"], int(math.Ceil(wait.Seconds())))
}
