package web

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"sort"
	"time"

	"gatehouse/app"
)

// The pages and helpers of OAuth2 sign-in: what a guest sees when a
// sign-in cannot go on, the hand-off to the router, and the result page
// of an integration's test link.

// guestCallback is the portal of a callback: the attempt's instance, its
// router parameters and the guest's language.
type guestCallback struct {
	s          *Server
	r          *http.Request
	pr         portalRequest
	known      bool // the instance could be read (false for test attempts)
	formAction string
	// newCode, for a captive mini-browser's device attempt, is the portal
	// page that gives a new code: failures offer it instead of the
	// sign-in button, which would not work there.
	newCode string
}

// guestPage reads the portal of an attempt, for its language and theme.
func (s *Server) guestPage(ctx context.Context, r *http.Request, a app.OAuthAttempt, c *oauthClient) guestCallback {
	g := guestCallback{s: s, r: r, formAction: c.formAction()}
	if a.IsTest() {
		return g
	}
	inst, err := s.store.Instance(ctx, a.InstanceID)
	if err != nil {
		return g
	}
	g.pr = portalRequest{inst: inst, params: a.RouterParams, lang: portalLanguage(r.Header.Get("Accept-Language"), inst.Locale)}
	if c != nil {
		g.pr.provider = c.integ.Type
	}
	g.known = true
	return g
}

// fail shows why a sign-in did not let the guest on: the portal page with
// the message and the sign-in button (to try again), or the plain page
// when the instance is not known.
func (g guestCallback) fail(w http.ResponseWriter, status int, key string) {
	if !g.known {
		g.s.oauthPage(w, g.r, status, key)
		return
	}
	nonce := newNonce()
	v := g.s.view(g.pr, nonce)
	v.Error = v.T[key]
	if g.newCode != "" {
		v.Device = &portalDevice{NewCodeURL: g.newCode}
	}
	g.s.renderPortal(w, status, "portal.html", v, nonce, g.formAction)
}

// oauthHandOff lets a signed-in guest's device on, the way a coupon login
// does (portal_handoff.go): a redirect to the site's own hotspot login page
// with the one-off credentials, or a login through the router's API for the
// address this request comes from, under the MAC the router knows it by,
// and only at the site the sign-in was started for. Whoever started the
// sign-in cannot have someone else's device, or another site, let on. It
// reports false when the guest could not be let on (and the page says so).
func (s *Server) oauthHandOff(w http.ResponseWriter, r *http.Request, g guestCallback, guest app.OAuthGuest) bool {
	t, key, err := s.target(r.Context(), r, g.pr, true)
	switch {
	case key != "":
		g.fail(w, http.StatusOK, key)
		return false
	case t.site != guest.SiteID:
		s.logger.WarnContext(r.Context(), "oauth: sign-in finished at another site than it started", "site", guest.SiteID)
		g.fail(w, http.StatusOK, "no_router")
		return false
	case t.login != nil:
		s.redirectToHotspot(w, r, t, g.pr, guest.Username, guest.Password)
		return true
	}
	if err = s.deps.Routers.LoginGuest(r.Context(), guest.SiteID, guest.Username, guest.Password, t.ip, t.mac); err != nil {
		s.logger.WarnContext(r.Context(), "oauth: router login", "site", guest.SiteID, "err", err)
		g.fail(w, http.StatusOK, "router_failed")
		return false
	}
	s.changed() // record the new session soon
	nonce := newNonce()
	v := s.view(g.pr, nonce)
	v.Online, v.Remaining = true, formatRemaining(guest.Remaining(s.now()))
	s.renderPortal(w, http.StatusOK, "portal.html", v, nonce, "")
	return true
}

// startSignIn counts the start of a sign-in under the source address and
// decides the guest's site from what gatehouse trusts (target). It returns
// the router parameters to keep with the attempt, or how long to wait, or
// the portal message when there is no router to let the guest on at.
func (s *Server) startSignIn(r *http.Request, pr portalRequest, now time.Time) (site string, params url.Values, wait time.Duration, key string) {
	if _, wait = reserveAll([]limitKey{{s.oauthStarts.source, sourceKey(clientIP(r))}}, now); wait > 0 {
		return "", nil, wait, "" // every start counts: each is a database row
	}
	t, key, _ := s.target(r.Context(), r, pr, false)
	if key != "" {
		return "", nil, 0, key
	}
	params = url.Values{"site": {t.site}}
	if t.login != nil {
		// The hotspot logs in the browser that arrives; the form's mac is
		// kept only to lock the guest's user, which the router enforces.
		params.Set("link-login-only", t.login.String())
		if t.mac != "" {
			params.Set("mac", t.mac)
		}
	}
	for _, k := range []string{"link-orig", "chap-id", "chap-challenge"} {
		if v := pr.params.Get(k); v != "" {
			params.Set(k, v)
		}
	}
	return t.site, params, 0, ""
}

// oauthClient loads an integration and prepares it for a sign-in.
func (s *Server) oauthClient(ctx context.Context, integrationID string) (*oauthClient, error) {
	integ, err := s.store.AuthIntegration(ctx, integrationID)
	if err != nil {
		return nil, err
	}
	return s.oauth.clientFor(ctx, integ)
}

// formAction is the portal page's form-action policy: its own origin and
// the provider's authorization endpoint, where the sign-in form is
// redirected.
func (c *oauthClient) formAction() string {
	if c == nil {
		return "'self'"
	}
	if o := c.authOrigin(); o != "" {
		return "'self' " + o
	}
	return "'self'"
}

// oauthTestResult shows a test sign-in's identity and claims.
func (s *Server) oauthTestResult(w http.ResponseWriter, r *http.Request, integ app.AuthIntegration, ident app.OAuthIdentity) {
	v := s.oauthView(r)
	v.Test, v.Integration, v.Provider = true, integ.Name, app.ProviderName(integ.Type)
	v.Identity, v.Recorded = ident, ident.Display()
	v.Claims = claimRows(ident.Claims)
	s.renderOAuth(w, http.StatusOK, v)
}

// oauthPage shows a sign-in that cannot go on; key names the message
// (a state refusal reason or a catalogue key).
func (s *Server) oauthPage(w http.ResponseWriter, r *http.Request, status int, key string) {
	v := s.oauthView(r)
	v.Error = v.T[key]
	if v.Error == "" {
		v.Error = v.T["oauth_failed"]
	}
	s.renderOAuth(w, status, v)
}

func (s *Server) oauthView(r *http.Request) oauthPageView {
	lang := portalLanguage(r.Header.Get("Accept-Language"), app.DefaultLocale)
	return oauthPageView{Lang: lang, Nonce: newNonce(), T: portalLanguages[lang], Theme: app.DefaultTheme()}
}

// renderOAuth writes the OAuth2 sign-in page (oauth.html) of v with status.
func (s *Server) renderOAuth(w http.ResponseWriter, status int, v oauthPageView) {
	s.renderPortal(w, status, "oauth.html", v, v.Nonce, "")
}

// sameBrowser reports whether the callback comes from the browser that
// started the attempt: it holds the cookie whose hash the attempt keeps.
// This stops someone from having another person finish a sign-in they
// started (and so get online as that person).
func sameBrowser(r *http.Request, a app.OAuthAttempt) bool {
	return hasCookie(r, oauthCookiePrefix+a.ID, a.BrowserHash)
}

// hasCookie reports whether the request holds the cookie name whose
// value's hash is hash (compared in constant time).
func hasCookie(r *http.Request, name, hash string) bool {
	c, err := r.Cookie(name)
	if err != nil || hash == "" {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(browserHash(c.Value)), []byte(hash)) == 1
}

func browserHash(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// randomToken returns 32 random bytes, URL-safe base64.
func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b)
}

// claimRows lists claims by name; values other than strings are shown as
// JSON.
func claimRows(claims map[string]any) []claimRow {
	names := make([]string, 0, len(claims))
	for k := range claims {
		names = append(names, k)
	}
	sort.Strings(names)
	rows := make([]claimRow, 0, len(names))
	for _, k := range names {
		val, ok := claims[k].(string)
		if !ok {
			b, err := json.Marshal(claims[k])
			if err != nil {
				continue
			}
			val = string(b)
		}
		rows = append(rows, claimRow{k, val})
	}
	return rows
}
