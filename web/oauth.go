package web

import (
	"context"
	"crypto/rand"
	"fmt"
	"math"
	"net/http"
	"time"

	"github.com/julienschmidt/httprouter"
	"golang.org/x/oauth2"

	"gatehouse/app"
)

// OAuth2 guest sign-in (strategy oauth2). The portal's "Sign in with …"
// button starts an attempt (GET /portal/{id}/oauth/start): gatehouse
// stores it with the router's parameters and a PKCE verifier, binds it to
// the browser with a cookie, and sends the browser to the provider with a
// signed state. The provider sends the browser back to /oauth2/callback:
// gatehouse checks the state, uses the attempt once, exchanges the code,
// verifies who signed in, makes a one-off hotspot user for the guest's
// site, pushes it to the router and hands the browser to the router as the
// coupon login does. An auth integration's test link runs the same flow
// and only shows what the provider said. A captive mini-browser, where
// providers refuse to sign anyone in, gets a code to finish the sign-in in
// another browser instead (oauth_device.go, oauth_device_entry.go).

const (
	oauthCallbackPath = "/oauth2/callback"
	oauthTestPath     = "/oauth2/test/"
	// oauthCookiePrefix names the cookie that binds an attempt to the
	// browser that started it; the attempt id completes the name.
	oauthCookiePrefix = "gatehouse_oauth_"
	// Sign-ins one source address may start per minute: each is a
	// database row. Guests behind the router's NAT share a source address;
	// what the form says about the device is the guest's to forge.
	oauthSourceStarts = 120
	// grantTries bounds the redraws of a one-off user name that is taken.
	grantTries = 3
)

// oauthPageView is the page of a sign-in that cannot go on before its
// instance is known, and the result page of a test sign-in.
type oauthPageView struct {
	Lang, Nonce string
	T           map[string]string
	Theme       app.Theme
	Error       string
	Test        bool
	Integration string // the tested integration's name
	Provider    string
	Identity    app.OAuthIdentity
	Recorded    string
	Claims      []claimRow
}

// claimRow is one claim on the test page; values other than strings are
// shown as JSON.
type claimRow struct{ Name, Value string }

// oauthStart serves GET /portal/{instanceId}/oauth/start: the guest
// pressed "Sign in with …". The router's parameters and the terms
// checkbox come as query parameters. On success the browser goes to the
// provider (302); otherwise the portal page shows why.
func (s *Server) oauthStart(w http.ResponseWriter, r *http.Request, p httprouter.Params) {
	q := r.URL.Query()
	pr, ok := s.loadPortal(w, r, p, q)
	if !ok {
		return
	}
	nonce := newNonce()
	v := s.view(pr, nonce)
	v.TermsAccepted = q.Get("accept_terms") != ""
	if !v.OAuth {
		s.renderPortal(w, http.StatusOK, "portal.html", v, nonce, "")
		return
	}
	client, err := s.oauthClient(r.Context(), pr.inst.AuthIntegrationID)
	formAction := client.formAction()
	again := func(status int, msg string) {
		v.Error = msg
		s.renderPortal(w, status, "portal.html", v, nonce, formAction)
	}
	if err != nil {
		s.logger.WarnContext(r.Context(), "oauth: prepare sign-in", "instance", pr.inst.ID, "err", err)
		again(http.StatusOK, v.T["oauth_unavailable"])
		return
	}
	if pr.inst.Terms(pr.lang) != "" && !v.TermsAccepted {
		again(http.StatusOK, v.T["need_terms"])
		return
	}
	now := s.now()
	siteID, params, wait, key := s.startSignIn(r, pr, now)
	if wait > 0 {
		secs := int(math.Ceil(wait.Seconds()))
		w.Header().Set("Retry-After", fmt.Sprint(secs))
		again(http.StatusTooManyRequests, fmt.Sprintf(v.T["slow_down"], secs))
		return
	}
	if key != "" {
		again(http.StatusOK, v.T[key]) // no router to make the guest's user on
		return
	}
	if v.TermsAccepted {
		params.Set(consentLangParam, pr.lang) // the consent is recorded when the sign-in lets the guest on
	}
	a := app.OAuthAttempt{AuthIntegrationID: client.integ.ID, InstanceID: pr.inst.ID, SiteID: siteID, RouterParams: params,
		CreatedAt: now, ExpiresAt: now.Add(time.Duration(pr.inst.AuthWindowTTL) * time.Second)}
	if err := s.beginSignIn(w, r, client, a); err != nil {
		s.logger.ErrorContext(r.Context(), "oauth: start sign-in", "instance", pr.inst.ID, "err", err)
		again(http.StatusOK, v.T["oauth_unavailable"])
	}
}

// oauthTest serves an auth integration's signed test_url: an admin signs
// in with the integration and sees what gatehouse received. No router,
// no instance, no access granted.
func (s *Server) oauthTest(w http.ResponseWriter, r *http.Request, p httprouter.Params) {
	id := p.ByName("authIntegrationId")
	if err := s.verifyPublicLink(w, r, oauthTestPath+id); err != nil {
		s.writeError(w, r, err)
		return
	}
	client, err := s.oauthClient(r.Context(), id)
	if err != nil {
		if app.ErrorCode(err) == app.ENotFound {
			s.writeError(w, r, err)
			return
		}
		s.logger.WarnContext(r.Context(), "oauth: prepare test sign-in", "integration", id, "err", err)
		s.oauthPage(w, r, http.StatusBadGateway, "oauth_unavailable")
		return
	}
	now := s.now()
	a := app.OAuthAttempt{AuthIntegrationID: client.integ.ID, CreatedAt: now, ExpiresAt: now.Add(app.OAuthTestWindow)}
	if err := s.beginSignIn(w, r, client, a); err != nil {
		s.writeError(w, r, err)
	}
}

// beginSignIn stores an attempt (with a fresh PKCE verifier, nonce and
// browser secret), sets the browser's cookie and sends it to the provider.
func (s *Server) beginSignIn(w http.ResponseWriter, r *http.Request, c *oauthClient, a app.OAuthAttempt) error {
	secret := randomToken()
	a.Verifier, a.Nonce, a.BrowserHash = oauth2.GenerateVerifier(), randomToken(), browserHash(secret)
	a, err := s.store.CreateOAuthAttempt(r.Context(), a)
	if err != nil {
		return err
	}
	s.sendToProvider(w, r, c, a, secret)
	return nil
}

// sendToProvider binds a stored attempt to the browser with the cookie
// holding secret (whose hash the attempt keeps) and sends the browser to
// the provider with the attempt's signed state.
func (s *Server) sendToProvider(w http.ResponseWriter, r *http.Request, c *oauthClient, a app.OAuthAttempt, secret string) {
	http.SetCookie(w, &http.Cookie{Name: oauthCookiePrefix + a.ID, Value: secret, Path: oauthCallbackPath,
		MaxAge: int(a.ExpiresAt.Sub(s.now()) / time.Second), HttpOnly: true, Secure: s.secureCookies, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, c.authCodeURL(app.SignOAuthState(s.links.Key, a.ID, a.ExpiresAt), a.Verifier, a.Nonce), http.StatusFound)
}

// oauthCallback serves GET /oauth2/callback, where the provider sends the
// browser back: verify the callback, then complete the sign-in.
func (s *Server) oauthCallback(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	now := s.now()
	a, ok := s.verifyCallback(w, r, now)
	if !ok {
		return
	}
	s.completeSignIn(w, r, a, now)
}

// verifyCallback checks that the callback r continues a sign-in this
// browser started: the state is checked before any database read (bad
// ones count against the source), the attempt is used once (a replay is
// refused), and its cookie must come back. It answers the browser itself
// and reports false when the callback is refused. From a true answer on
// the attempt is spent, and its cookie is cleared.
func (s *Server) verifyCallback(w http.ResponseWriter, r *http.Request, now time.Time) (app.OAuthAttempt, bool) {
	ctx := r.Context()
	src := "src:" + clientIP(r)
	if wait := s.linkFailures.blocked(src, now); wait > 0 {
		secs := int(math.Ceil(wait.Seconds()))
		w.Header().Set("Retry-After", fmt.Sprint(secs))
		v := s.oauthView(r)
		v.Error = fmt.Sprintf(v.T["slow_down"], secs)
		s.renderOAuth(w, http.StatusTooManyRequests, v)
		return app.OAuthAttempt{}, false
	}
	id, err := app.VerifyOAuthState(s.links.Key, r.URL.Query().Get("state"), now)
	if err != nil {
		if app.ErrorReason(err) == app.ReasonOAuthStateInvalid {
			s.linkFailures.fail(src, now)
		}
		s.oauthPage(w, r, http.StatusForbidden, app.ErrorReason(err))
		return app.OAuthAttempt{}, false
	}
	a, err := s.store.UseOAuthAttempt(ctx, id, now)
	if err != nil {
		if app.ErrorCode(err) != app.EForbidden {
			s.logger.ErrorContext(ctx, "oauth: use attempt", "err", err)
			s.oauthPage(w, r, http.StatusInternalServerError, "oauth_failed")
			return app.OAuthAttempt{}, false
		}
		s.oauthPage(w, r, http.StatusForbidden, app.ErrorReason(err))
		return app.OAuthAttempt{}, false
	}
	// From here on the attempt is spent, whatever happens.
	if !sameBrowser(r, a) {
		s.logger.WarnContext(ctx, "oauth: callback in a browser that did not start the sign-in", "attempt", a.ID)
		s.oauthPage(w, r, http.StatusForbidden, app.ReasonOAuthStateInvalid)
		return app.OAuthAttempt{}, false
	}
	http.SetCookie(w, &http.Cookie{Name: oauthCookiePrefix + a.ID, Path: oauthCallbackPath, MaxAge: -1, HttpOnly: true,
		Secure: s.secureCookies, SameSite: http.SameSiteLaxMode})
	return a, true
}

// completeSignIn finishes the verified sign-in a: a device's goes on in
// deviceCallback; for a guest, only an identity the provider vouched for
// lets the guest on (a test sign-in shows the identity instead), and the
// router learns of the guest before the browser is handed to it.
func (s *Server) completeSignIn(w http.ResponseWriter, r *http.Request, a app.OAuthAttempt, now time.Time) {
	ctx := r.Context()
	client, err := s.oauthClient(ctx, a.AuthIntegrationID)
	if err != nil {
		s.logger.WarnContext(ctx, "oauth: prepare callback", "attempt", a.ID, "err", err)
	}
	if a.IsDevice() {
		s.deviceCallback(w, r, a, client, now)
		return
	}
	g := s.guestPage(ctx, r, a, client)
	ident, ok := s.providerIdentity(w, r, g, a, client)
	if !ok {
		return
	}
	if a.IsTest() {
		s.oauthTestResult(w, r, client.integ, ident)
		return
	}
	guest, err := s.grantGuest(ctx, a, ident, now)
	if err != nil {
		s.logger.ErrorContext(ctx, "oauth: grant guest", "attempt", a.ID, "err", err)
		g.fail(w, http.StatusOK, "router_failed")
		return
	}
	s.logger.InfoContext(ctx, "oauth: guest signed in", "site", guest.SiteID, "site_user", guest.SiteUserID, "provider", guest.Provider)
	// The router must hold the user before the browser logs in with it.
	if _, err := s.deps.Routers.Sync(ctx, guest.SiteID); err != nil {
		s.logger.WarnContext(ctx, "oauth: push guest to router", "site", guest.SiteID, "err", err)
		g.fail(w, http.StatusOK, "router_failed")
		return
	}
	s.oauthHandOff(w, r, g, guest)
}

// providerIdentity reads who signed in from the provider's answer in the
// callback's query: the code is exchanged and the identity verified. A
// refusal (access_denied is the guest's own choice) or an answer that
// cannot be used shows the failure on the guest's page g and reports
// false.
func (s *Server) providerIdentity(w http.ResponseWriter, r *http.Request, g guestCallback, a app.OAuthAttempt, client *oauthClient) (app.OAuthIdentity, bool) {
	ctx := r.Context()
	q := r.URL.Query()
	if perr := q.Get("error"); perr != "" {
		if perr == "access_denied" {
			g.fail(w, http.StatusOK, "oauth_denied")
			return app.OAuthIdentity{}, false
		}
		s.logger.WarnContext(ctx, "oauth: provider refused", "attempt", a.ID, "error", perr, "description", q.Get("error_description"))
		g.fail(w, http.StatusBadGateway, "oauth_failed")
		return app.OAuthIdentity{}, false
	}
	if client == nil || q.Get("code") == "" {
		g.fail(w, http.StatusBadGateway, "oauth_failed")
		return app.OAuthIdentity{}, false
	}
	ident, err := s.oauth.identify(ctx, client, q.Get("code"), a.Verifier, a.Nonce)
	if err != nil {
		s.logger.WarnContext(ctx, "oauth: sign-in not accepted", "attempt", a.ID, "provider", client.integ.Type, "err", err)
		g.fail(w, http.StatusBadGateway, "oauth_failed")
		return app.OAuthIdentity{}, false
	}
	return ident, true
}

// grantGuest lets a signed-in guest on, drawing new credentials when the
// user name is taken.
func (s *Server) grantGuest(ctx context.Context, a app.OAuthAttempt, ident app.OAuthIdentity, now time.Time) (app.OAuthGuest, error) {
	var err error
	for range grantTries {
		var user, password string
		if user, password, err = app.NewGuestCredentials(rand.Reader); err != nil {
			return app.OAuthGuest{}, err
		}
		var g app.OAuthGuest
		g, err = s.store.GrantOAuthGuest(ctx, app.OAuthGrant{Attempt: a, Identity: ident, Username: user, Password: password, At: now})
		if err == nil {
			s.consentOAuth(ctx, a, g)
		}
		if app.ErrorCode(err) != app.EConflict {
			return g, err
		}
	}
	return app.OAuthGuest{}, err
}

// oauthLimits count the sign-ins started per source, and the user codes
// refused per source.
type oauthLimits struct {
	source, codes *failureLimiter
}

func newOAuthLimits() oauthLimits {
	return oauthLimits{source: newFailureLimiter(oauthSourceStarts, failureWindow),
		codes: newFailureLimiter(deviceCodeFailures, failureWindow)}
}
