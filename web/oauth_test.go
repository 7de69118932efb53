package web_test

import (
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"gatehouse/app"
	"gatehouse/routeros/routerostest"
	"gatehouse/web"
)

// testClock is the server's clock; tests move it forward.
type testClock struct {
	mu  sync.Mutex
	off time.Duration
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.off)
}

func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.off += d
}

// oauthEnv is the wired server with OAuth2 sign-in pointed at a local
// provider, a site on a fake router and an oauth2 instance on it.
type oauthEnv struct {
	*env
	idp   *testIdP
	clock *testClock
	fake  *routerostest.Router
	site  string
	integ string
	inst  string
	base  string // the server's base URL (callbacks come back here)
}

// newOAuthEnv replaces the harness's server by one whose base URL is its
// real address and whose providers are the local test provider. provider
// is google, azure or github; tenant is Azure's.
func newOAuthEnv(t *testing.T, provider, tenant string) *oauthEnv {
	t.Helper()
	e := newEnv(t, "")
	o := &oauthEnv{env: e, idp: newTestIdP(t), clock: &testClock{}}
	srv := httptest.NewUnstartedServer(nil)
	o.base = "http://" + srv.Listener.Addr().String()
	idp := o.idp.URL()
	s, err := web.New(web.Config{BaseURL: o.base, TokenKey: e.keys[0], LinkKey: e.keys[1], Version: "test", Now: o.clock.Now,
		OAuth: web.OAuthEndpoints{GoogleIssuer: idp + "/google", AzureAuthority: idp + "/azure",
			GitHubAuthURL: idp + "/github/login/oauth/authorize", GitHubTokenURL: idp + "/github/login/oauth/access_token",
			GitHubAPIURL: idp + "/github/api"}},
		web.Deps{Store: e.store, Routers: e.reconciler, Runner: e.scheduler},
		slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatalf("web.New: %v", err)
	}
	srv.Config.Handler = s.Handler()
	srv.Start()
	e.srv.Close()
	e.srv = srv // closed by the harness's cleanup

	o.fake = routerostest.New(t, routerostest.Options{User: "api", Password: "pw"})
	host, port, _ := net.SplitHostPort(o.fake.Addr())
	p, _ := strconv.Atoi(port)
	o.site = createSite(t, e, map[string]any{"name": "Office", "host": host, "port": p, "username": "api", "password": "pw"})["id"].(string)
	cfg := map[string]any{"client_id": o.idp.ClientID, "client_secret": o.idp.ClientSecret}
	if tenant != "" {
		cfg["tenant"] = tenant
	}
	r := e.admin(http.MethodPost, "/captive/auth-integrations", map[string]any{"name": "Staff " + provider, "type": provider, "config": cfg})
	wantStatus(t, r, http.StatusCreated)
	o.integ = r.object(t)["id"].(string)
	o.inst = createInstance(t, e, map[string]any{"name": "Office Wi-Fi", "strategy": "oauth2", "session_ttl": 3600,
		"auth_window_ttl": 120, "auth_integration_id": o.integ, "terms_text": "Be nice.",
		"sites": []any{map[string]any{"id": o.site}}})["id"].(string)
	waitHotspotHost(t, e, o.site, "10.5.50.1")
	return o
}

// guestBrowser is a guest's browser: it keeps cookies and does not follow
// redirects, so each step can be checked.
type guestBrowser struct {
	t      testing.TB
	client *http.Client
}

func newGuestBrowser(t testing.TB) *guestBrowser {
	jar, _ := cookiejar.New(nil)
	return &guestBrowser{t: t, client: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// get fetches a URL; answers of gatehouse (base) are checked against the
// OpenAPI document.
func (b *guestBrowser) get(rawURL, base string) response {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, rawURL, nil)
	req.Header.Set("Accept-Language", "en")
	res, err := b.client.Do(req)
	if err != nil {
		b.t.Fatalf("GET %s: %v", rawURL, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	r := response{status: res.StatusCode, header: res.Header, body: body}
	if strings.HasPrefix(rawURL, base) {
		u, _ := url.Parse(rawURL)
		checkContract(b.t, http.MethodGet, u.RequestURI(), r)
	}
	return r
}

// routerParams are what the router's login.html passes to the portal.
func (o *oauthEnv) routerParams() url.Values {
	return url.Values{"site": {o.site}, "mac": {"AA:BB:CC:00:00:01"}, "ip": {"10.5.50.7"},
		"link-login-only": {"http://10.5.50.1/login"}, "link-orig": {"http://example.com/"}}
}

// signIn goes from the portal's button to the provider and back: it
// returns the callback URL and gatehouse's answer to it. beforeCallback,
// if not nil, runs when the browser is about to return to gatehouse.
func (o *oauthEnv) signIn(b *guestBrowser, params url.Values, beforeCallback func()) (string, response) {
	o.t.Helper()
	q := url.Values{"accept_terms": {"yes"}}
	for k, v := range params {
		q[k] = v
	}
	start := b.get(o.base+"/portal/"+o.inst+"/oauth/start?"+q.Encode(), o.base)
	if start.status != http.StatusFound {
		o.t.Fatalf("start: %d %s", start.status, start.body)
	}
	atIdP := b.get(start.header.Get("Location"), o.base)
	if atIdP.status != http.StatusFound {
		o.t.Fatalf("provider: %d %s", atIdP.status, atIdP.body)
	}
	callback := atIdP.header.Get("Location")
	if !strings.HasPrefix(callback, o.base+"/oauth2/callback?") {
		o.t.Fatalf("provider sent the browser to %s", callback)
	}
	if beforeCallback != nil {
		beforeCallback()
	}
	return callback, b.get(callback, o.base)
}

// sync reconciles the site now.
func (o *oauthEnv) sync() {
	o.t.Helper()
	wantStatus(o.t, o.admin(http.MethodPost, "/captive/sites/"+o.site+"/sync", nil), http.StatusOK)
}

// guestUsers are the router's hotspot users made for OAuth2 guests.
func (o *oauthEnv) guestUsers() []map[string]string {
	var out []map[string]string
	for _, u := range o.fake.Rows("/ip/hotspot/user") {
		if strings.HasPrefix(u["comment"], "gatehouse:o=") {
			out = append(out, u)
		}
	}
	return out
}

func (o *oauthEnv) siteUsers() []map[string]any {
	var users []map[string]any
	o.admin(http.MethodGet, "/captive/sites/"+o.site+"/users", nil).json(o.t, &users)
	return users
}

// nothingGranted fails if any guest got a router user or a site user.
func (o *oauthEnv) nothingGranted() {
	o.t.Helper()
	o.sync()
	if u := o.guestUsers(); len(u) != 0 {
		o.t.Fatalf("router users granted: %v", u)
	}
	if u := o.siteUsers(); len(u) != 0 {
		o.t.Fatalf("site users recorded: %v", u)
	}
}

func wantBody(t testing.TB, r response, status int, want ...string) {
	t.Helper()
	wantStatus(t, r, status)
	for _, w := range want {
		if !strings.Contains(string(r.body), w) {
			t.Fatalf("page lacks %q:\n%s", w, r.body)
		}
	}
}

// wantHandOff checks a hand-off to the fixture's hotspot (a 303 to its
// login page) and returns the credentials it carries.
func wantHandOff(t testing.TB, r response) url.Values {
	t.Helper()
	q := handedOff(r, "http://10.5.50.1/login")
	if q == nil {
		t.Fatalf("no hand-off to the hotspot: %d %v\n%s", r.status, r.header, r.body)
	}
	return q
}

func TestOAuthGoogleSignIn(t *testing.T) {
	o := newOAuthEnv(t, "google", "")
	b := newGuestBrowser(t)
	params := o.routerParams()

	// The portal shows one button, in the guest's language, carrying the
	// router's parameters; the form may be redirected to the provider.
	page := b.get(o.base+"/portal/"+o.inst+"?"+params.Encode(), o.base)
	wantBody(t, page, http.StatusOK, "Sign in with Google", `action="/portal/`+o.inst+`/oauth/start"`,
		`name="link-login-only" value="http://10.5.50.1/login"`, `name="accept_terms"`)
	if csp := page.header.Get("Content-Security-Policy"); !strings.Contains(csp, "form-action 'self' "+o.idp.URL()) {
		t.Fatalf("portal CSP = %q, want the provider as a form action", csp)
	}
	req, _ := http.NewRequest(http.MethodGet, o.base+"/portal/"+o.inst, nil)
	req.Header.Set("Accept-Language", "de")
	if res, err := http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	} else {
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if !strings.Contains(string(body), "Mit Google anmelden") {
			t.Fatalf("German page lacks its button:\n%s", body)
		}
	}
	// Terms not accepted: no attempt, no redirect.
	wantBody(t, b.get(o.base+"/portal/"+o.inst+"/oauth/start?"+params.Encode(), o.base), http.StatusOK, "accept the terms")

	var authorize url.Values
	callback, res := o.signIn(b, params, func() {
		o.idp.mu.Lock()
		authorize = o.idp.authorize[len(o.idp.authorize)-1]
		o.idp.mu.Unlock()
	})
	// The provider was asked for the code flow with PKCE S256 and a nonce;
	// the verifier never left gatehouse (the provider checked it at the
	// token endpoint).
	if authorize.Get("redirect_uri") != o.base+"/oauth2/callback" || authorize.Get("code_challenge_method") != "S256" ||
		authorize.Has("code_verifier") || authorize.Get("nonce") == "" || !strings.Contains(authorize.Get("scope"), "email") {
		t.Fatalf("authorization request = %v", authorize)
	}

	// The hand-off redirects the browser to the router's login with the
	// one-off user.
	q := wantHandOff(t, res)
	user, password := q.Get("username"), q.Get("password")
	if !strings.HasPrefix(user, "g-") || len(user) != 10 || len(password) < 16 || q.Get("dst") != "http://example.com/" {
		t.Fatalf("hand-off credentials %q / %q", user, password)
	}
	// The router already holds the user, locked to the device.
	users := o.guestUsers()
	if len(users) != 1 {
		t.Fatalf("router guest users = %v", users)
	}
	ru := users[0]
	if ru["name"] != user || ru["password"] != password || ru["limit-uptime"] != "1h" || ru["mac-address"] != "AA:BB:CC:00:00:01" ||
		!strings.HasPrefix(ru["profile"], "gatehouse-") {
		t.Fatalf("router user = %v", ru)
	}
	// The site user records the identity; it is active once the router
	// reports the session.
	su := o.siteUsers()
	if len(su) != 1 || su[0]["identity"] != "alice@example.com" || su[0]["username"] != user || ru["comment"] != "gatehouse:o="+su[0]["id"].(string) {
		t.Fatalf("site users = %v (router comment %s)", su, ru["comment"])
	}
	o.fake.AddRow("/ip/hotspot/active", map[string]string{"user": user, "address": "10.5.50.7", "mac-address": "AA:BB:CC:00:00:01", "uptime": "5s"})
	o.sync()
	if su = o.siteUsers(); su[0]["active"] != true || su[0]["login_at"] == nil || su[0]["identity"] != "alice@example.com" {
		t.Fatalf("site user after login = %v", su)
	}
	// The provider's sign-in hosts are in the walled garden (HTTP and, for
	// HTTPS, IP level).
	if !hasGardenHost(o.fake.Rows("/ip/hotspot/walled-garden"), "accounts.google.com", "gatehouse:idp-google:accounts.google.com") ||
		!hasGardenHost(o.fake.Rows("/ip/hotspot/walled-garden/ip"), "accounts.google.com", "gatehouse:idp-google:accounts.google.com/host") {
		t.Fatalf("walled garden lacks Google: %v", o.fake.Rows("/ip/hotspot/walled-garden"))
	}
	// Back at the portal, the device sees it is online; anyone else who
	// types its MAC address does not.
	if r := b.get(o.base+"/portal/"+o.inst+"?"+params.Encode(), o.base); strings.Contains(string(r.body), "You are online") {
		t.Fatalf("a stranger with the device's MAC sees its session:\n%s", r.body)
	}
	guestSubnet(t, o.env, o.inst, o.site, "127.0.0.0/8")
	o.fake.AddRow("/ip/hotspot/host", map[string]string{"address": "127.0.0.1", "mac-address": "AA:BB:CC:00:00:01"})
	wantBody(t, b.get(o.base+"/portal/"+o.inst+"?"+params.Encode(), o.base), http.StatusOK, "You are online")

	// The callback again (replayed): refused, nothing more granted.
	wantBody(t, b.get(callback, o.base), http.StatusForbidden, "already been used")
	if len(o.guestUsers()) != 1 || len(o.siteUsers()) != 1 {
		t.Fatalf("replay granted more: %v", o.guestUsers())
	}
	// The terms the guest accepted before signing in: one receipt, with
	// the identity the provider gave.
	var consents []map[string]any
	o.env.admin(http.MethodGet, "/captive/instances/"+o.inst+"/consents", nil).json(t, &consents)
	if len(consents) != 1 || consents[0]["identity"] != "alice@example.com" || consents[0]["lang"] != "en" ||
		consents[0]["site_user_id"] != su[0]["id"] {
		t.Errorf("consents = %v", consents)
	}
}

func hasGardenHost(rows []map[string]string, host, comment string) bool {
	for _, r := range rows {
		if r["dst-host"] == host && r["comment"] == comment {
			return true
		}
	}
	return false
}

func TestOAuthRefusals(t *testing.T) {
	o := newOAuthEnv(t, "google", "")
	params := o.routerParams()

	t.Run("denied consent", func(t *testing.T) {
		o.idp.set(func(p *testIdP) { p.deny = true })
		defer o.idp.set(func(p *testIdP) { p.deny = false })
		_, res := o.signIn(newGuestBrowser(t), params, nil)
		// The guest is told, and may try again from the same page.
		wantBody(t, res, http.StatusOK, "You cancelled the sign-in", "Sign in with Google", `name="mac" value="AA:BB:CC:00:00:01"`)
		o.nothingGranted()
	})
	t.Run("wrong state", func(t *testing.T) {
		// The provider's redirect back with the state's signature changed.
		b := newGuestBrowser(t)
		callback, _ := o.startOnly(b, params)
		u, _ := url.Parse(callback)
		q := u.Query()
		st := q.Get("state")
		q.Set("state", st[:len(st)-2]+flip(st[len(st)-2:]))
		u.RawQuery = q.Encode()
		wantBody(t, b.get(u.String(), o.base), http.StatusForbidden, "not valid")
		// A well-signed state of an attempt that does not exist.
		forged := app.SignOAuthState(o.keys[1], "0190c0de-0000-7000-8000-000000000000", time.Now().Add(time.Minute))
		wantBody(t, b.get(o.base+"/oauth2/callback?code=x&state="+url.QueryEscape(forged), o.base), http.StatusForbidden, "not valid")
		wantBody(t, b.get(o.base+"/oauth2/callback?code=x", o.base), http.StatusForbidden, "not valid")
		o.nothingGranted()
	})
	t.Run("expired state", func(t *testing.T) {
		_, res := o.signIn(newGuestBrowser(t), params, func() { o.clock.advance(121 * time.Second) })
		wantBody(t, res, http.StatusForbidden, "took too long")
		o.nothingGranted()
	})
	t.Run("another browser", func(t *testing.T) {
		// Someone sends the callback link of their sign-in to another
		// device: it is refused there, and the attempt is spent.
		b := newGuestBrowser(t)
		callback, _ := o.startOnly(b, params)
		wantBody(t, newGuestBrowser(t).get(callback, o.base), http.StatusForbidden, "not valid")
		wantBody(t, b.get(callback, o.base), http.StatusForbidden, "already been used")
		o.nothingGranted()
	})
	for _, tc := range []struct {
		name string
		knob func(p *testIdP)
	}{
		{"wrong audience", func(p *testIdP) { p.audience = "someone-else" }},
		{"bad signature", func(p *testIdP) { p.rogue = true }},
		{"wrong issuer", func(p *testIdP) { p.issuer = "https://accounts.example.net" }},
		{"nonce of another sign-in", func(p *testIdP) { p.nonce = "another-sign-in" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o.idp.set(tc.knob)
			defer o.idp.set(func(p *testIdP) { p.audience, p.rogue, p.issuer, p.nonce = "", false, "", "" })
			_, res := o.signIn(newGuestBrowser(t), params, nil)
			wantBody(t, res, http.StatusBadGateway, "could not be completed", "Sign in with Google")
			o.nothingGranted()
		})
	}
}

// startOnly runs the sign-in up to the provider's redirect back and
// returns the callback URL without following it.
func (o *oauthEnv) startOnly(b *guestBrowser, params url.Values) (string, response) {
	o.t.Helper()
	var callback string
	q := url.Values{"accept_terms": {"yes"}}
	for k, v := range params {
		q[k] = v
	}
	start := b.get(o.base+"/portal/"+o.inst+"/oauth/start?"+q.Encode(), o.base)
	wantStatus(o.t, start, http.StatusFound)
	atIdP := b.get(start.header.Get("Location"), o.base)
	callback = atIdP.header.Get("Location")
	return callback, atIdP
}

// flip changes a base64url text into another of the same length.
func flip(s string) string {
	out := []byte(s)
	for i := range out {
		if out[i] == 'A' {
			out[i] = 'B'
		} else {
			out[i] = 'A'
		}
	}
	return string(out)
}

func TestOAuthStartChecks(t *testing.T) {
	o := newOAuthEnv(t, "google", "")
	b := newGuestBrowser(t)
	start := func(params url.Values) response {
		return b.get(o.base+"/portal/"+o.inst+"/oauth/start?"+params.Encode(), o.base)
	}
	// A login page that is not the site's hotspot: there is no router to
	// hand the guest to, whatever site the form names.
	params := o.routerParams()
	params.Set("link-login-only", "https://evil.example/collect")
	params.Set("accept_terms", "yes")
	wantBody(t, start(params), http.StatusOK, "open this page from the Wi-Fi network")
	// The site's own hotspot: the site follows from it, not from the form.
	params = o.routerParams()
	params.Set("accept_terms", "yes")
	params.Set("site", "0190c0de-0000-7000-8000-000000000000")
	wantStatus(t, start(params), http.StatusFound)

	// One address may start many sign-ins a minute (guests share it), then
	// must wait.
	for i := 1; ; i++ {
		r := start(params)
		if r.status == http.StatusTooManyRequests {
			if i < 5 || r.header.Get("Retry-After") == "" || !strings.Contains(string(r.body), "Too many attempts") {
				t.Fatalf("start %d: %d %s", i, r.status, r.body)
			}
			break
		}
		wantStatus(t, r, http.StatusFound)
		if i > 200 {
			t.Fatal("sign-in starts are not limited")
		}
	}
}
