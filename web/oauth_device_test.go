package web_test

import (
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// Sign-in finished in another browser: a captive mini-browser shows a
// code, a real browser signs in with it, the mini-browser hands off.

// cnaAgent is iOS's captive sheet as the issue describes it.
const cnaAgent = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 CaptiveNetworkSupport-481.0.1 wispr"

// send is guestBrowser.get with a user agent and, for a POST, a form.
func (b *guestBrowser) send(method, rawURL, base, agent string, form url.Values) response {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, rawURL, body)
	req.Header.Set("Accept-Language", "en")
	if agent != "" {
		req.Header.Set("User-Agent", agent)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res, err := b.client.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", method, rawURL, err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	r := response{status: res.StatusCode, header: res.Header, body: data}
	if strings.HasPrefix(rawURL, base) {
		u, _ := url.Parse(rawURL)
		checkContract(b.t, method, u.RequestURI(), r)
	}
	return r
}

var (
	deviceCodeRE = regexp.MustCompile(`id="device-code">([A-Z0-9]{4}-[A-Z0-9]{4})<`)
	deviceWaitRE = regexp.MustCompile(`/oauth2/device/wait\?id=([0-9a-f-]{36})`)
)

// showCode opens the portal in a mini-browser and returns the attempt id,
// the code and the page.
func (o *oauthEnv) showCode(mini *guestBrowser, params url.Values) (id, code string, page response) {
	o.t.Helper()
	page = mini.send(http.MethodGet, o.base+"/portal/"+o.inst+"?"+params.Encode(), o.base, cnaAgent, nil)
	wantStatus(o.t, page, http.StatusOK)
	c, w := deviceCodeRE.FindSubmatch(page.body), deviceWaitRE.FindSubmatch(page.body)
	if c == nil || w == nil {
		o.t.Fatalf("mini-browser page lacks the code or its wait link:\n%s", page.body)
	}
	return string(w[1]), string(c[1]), page
}

// status polls as the page's script does.
func (o *oauthEnv) status(b *guestBrowser, id string) string {
	o.t.Helper()
	r := b.send(http.MethodGet, o.base+"/oauth2/device/status?id="+id, o.base, cnaAgent, nil)
	if r.status != http.StatusOK {
		return "http " + http.StatusText(r.status)
	}
	var s struct{ Status string }
	if err := json.Unmarshal(r.body, &s); err != nil {
		o.t.Fatalf("status %s: %v", r.body, err)
	}
	return s.Status
}

// wait loads the mini-browser's page of an attempt.
func (o *oauthEnv) wait(b *guestBrowser, id string) response {
	o.t.Helper()
	return b.send(http.MethodGet, o.base+"/oauth2/device/wait?id="+id, o.base, cnaAgent, nil)
}

// confirm opens the confirmation of code in a browser and submits it, as
// its form does.
func (o *oauthEnv) confirm(b *guestBrowser, code string, acceptTerms bool) response {
	o.t.Helper()
	page := b.get(o.base+"/oauth2/device?code="+url.QueryEscape(code), o.base)
	form := url.Values{"code": {code}, "form_token": {hidden(page.body, "form_token")}}
	if acceptTerms {
		form.Set("accept_terms", "yes")
	}
	return b.send(http.MethodPost, o.base+"/oauth2/device", o.base, "", form)
}

// finishElsewhere enters code in another browser, accepts the terms, and
// signs in at the provider; beforeCallback runs just before the provider
// sends the browser back. It returns gatehouse's answer to the callback.
func (o *oauthEnv) finishElsewhere(b *guestBrowser, code string, beforeCallback func()) (string, response) {
	o.t.Helper()
	post := o.confirm(b, code, true)
	if post.status != http.StatusFound {
		o.t.Fatalf("confirm: %d %s", post.status, post.body)
	}
	atIdP := b.get(post.header.Get("Location"), o.base)
	callback := atIdP.header.Get("Location")
	if atIdP.status != http.StatusFound || !strings.HasPrefix(callback, o.base+"/oauth2/callback?") {
		o.t.Fatalf("provider: %d to %q %s", atIdP.status, callback, atIdP.body)
	}
	if beforeCallback != nil {
		beforeCallback()
	}
	return callback, b.get(callback, o.base)
}

func TestOAuthDeviceDetection(t *testing.T) {
	o := newOAuthEnv(t, "google", "")
	for i, tc := range []struct {
		name, agent string
		mini        bool
	}{
		{"iOS captive sheet, as in the issue", cnaAgent, true},
		{"iOS captive sheet", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148", true},
		{"iPadOS captive sheet", "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148", true},
		{"macOS Captive Network Assistant", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)", true},
		{"Apple captive probe", "CaptiveNetworkSupport-481.0.1 wispr", true},
		{"Android captive portal login (WebView)", "Mozilla/5.0 (Linux; Android 13; Pixel 7 Build/TQ3A.230805.001; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/120.0.6099.144 Mobile Safari/537.36", true},
		{"Android WebView, reduced agent", "Mozilla/5.0 (Linux; Android 10; K; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/125.0.0.0 Mobile Safari/537.36", true},
		{"Android tablet WebView", "Mozilla/5.0 (Linux; Android 13; SM-X700 Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/120.0.6099.144 Safari/537.36", true},
		{"iOS Safari", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1", false},
		{"iOS Chrome", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/122.0.6261.89 Mobile/15E148 Safari/604.1", false},
		{"macOS Safari", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15", false},
		{"Android Chrome", "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Mobile Safari/537.36", false},
		{"Samsung Internet", "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36", false},
		{"Firefox for Android", "Mozilla/5.0 (Android 14; Mobile; rv:123.0) Gecko/123.0 Firefox/123.0", false},
		{"desktop Chrome", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36", false},
		{"no agent", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			params := o.routerParams()
			params.Set("mac", "AA:BB:CC:00:01:"+strings.ToUpper(hex.EncodeToString([]byte{byte(i)})))
			b := newGuestBrowser(t)
			page := b.send(http.MethodGet, o.base+"/portal/"+o.inst+"?"+params.Encode(), o.base, tc.agent, nil)
			wantStatus(t, page, http.StatusOK)
			body := string(page.body)
			gotCode := deviceCodeRE.MatchString(body)
			gotButton := strings.Contains(body, "Sign in with Google")
			if gotCode != tc.mini || gotButton == tc.mini {
				t.Fatalf("code shown = %v, sign-in button = %v; want code %v and button %v:\n%s", gotCode, gotButton, tc.mini, !tc.mini, body)
			}
			cookie := strings.Contains(page.header.Get("Set-Cookie"), "gatehouse_device_")
			if cookie != tc.mini {
				t.Fatalf("device cookie set = %v, want %v (%q)", cookie, tc.mini, page.header.Get("Set-Cookie"))
			}
			if tc.mini {
				c := page.header.Get("Set-Cookie")
				if !strings.Contains(c, "HttpOnly") || !strings.Contains(c, "Path=/oauth2/device/;") || !strings.Contains(c, "SameSite=Lax") {
					t.Fatalf("device cookie %q, want HttpOnly, Path=/oauth2/device/, SameSite=Lax", c)
				}
				if !strings.Contains(body, o.base+"/oauth2/device?code=") || !strings.Contains(body, `http-equiv="refresh"`) {
					t.Fatalf("mini-browser page lacks the link or the refresh:\n%s", body)
				}
				if csp := page.header.Get("Content-Security-Policy"); !strings.Contains(csp, "connect-src 'self'") {
					t.Fatalf("CSP %q does not let the page poll", csp)
				}
			}
		})
	}
	o.nothingGranted()
}

func TestOAuthDeviceSignIn(t *testing.T) {
	o := newOAuthEnv(t, "google", "")
	mini, real := newGuestBrowser(t), newGuestBrowser(t)
	params := o.routerParams()
	params.Set("chap-id", `\357`)
	params.Set("chap-challenge", `\022\100\377abc`)
	id, code, _ := o.showCode(mini, params)
	if got := o.status(mini, id); got != "waiting" {
		t.Fatalf("status before anything = %q, want waiting", got)
	}

	// The real browser: the bare link shows a form; the code (typed
	// sloppily) shows which Wi-Fi it is for, and changes nothing.
	wantBody(t, real.get(o.base+"/oauth2/device", o.base), http.StatusOK, `name="code"`, "Enter the code")
	typed := strings.ToLower(strings.ReplaceAll(code, "-", " "))
	confirm := real.get(o.base+"/oauth2/device?code="+url.QueryEscape(typed), o.base)
	wantBody(t, confirm, http.StatusOK, "Office Wi-Fi", code, "Be nice.", `name="accept_terms"`, "Sign in with Google")
	if csp := confirm.header.Get("Content-Security-Policy"); !strings.Contains(csp, "form-action 'self' "+o.idp.URL()) {
		t.Fatalf("confirm CSP = %q, want the provider as a form action", csp)
	}
	if got := o.status(mini, id); got != "waiting" {
		t.Fatalf("status after looking at the code = %q, want waiting", got)
	}
	// Terms not accepted: nothing claimed.
	wantBody(t, o.confirm(real, code, false), http.StatusOK, "accept the terms")
	// A form posted from elsewhere (no token, or not this browser's): the
	// confirmation again, nothing claimed.
	for _, b := range []*guestBrowser{real, newGuestBrowser(t)} {
		token := hidden(confirm.body, "form_token")
		r := b.send(http.MethodPost, o.base+"/oauth2/device", o.base, "", url.Values{"code": {code}, "accept_terms": {"yes"}})
		wantBody(t, r, http.StatusOK, "Office Wi-Fi", `name="form_token"`)
		if b != real {
			r = b.send(http.MethodPost, o.base+"/oauth2/device", o.base, "", url.Values{"code": {code}, "accept_terms": {"yes"}, "form_token": {token}})
			wantBody(t, r, http.StatusOK, "Office Wi-Fi", `name="form_token"`)
		}
	}
	if got := o.status(mini, id); got != "waiting" {
		t.Fatalf("status after forms from elsewhere = %q, want waiting", got)
	}

	var during string
	callback, res := o.finishElsewhere(real, typed, func() { during = o.status(mini, id) })
	if during != "signing_in" {
		t.Fatalf("status while at the provider = %q, want signing_in", during)
	}
	// The real browser is told to go back, and gets no credentials.
	wantBody(t, res, http.StatusOK, "go back to the Wi-Fi window", "alice@example.com")
	users := o.guestUsers()
	if len(users) != 1 {
		t.Fatalf("router guest users = %v", users)
	}
	ru := users[0]
	for _, secret := range []string{ru["name"], ru["password"]} {
		if strings.Contains(string(res.body), secret) {
			t.Fatalf("the real browser's page holds %q:\n%s", secret, res.body)
		}
	}
	if handedOff(res, "http://10.5.50.1/login") != nil {
		t.Fatalf("the real browser was handed off: %v", res.header)
	}
	if ru["mac-address"] != "AA:BB:CC:00:00:01" || ru["limit-uptime"] != "1h" {
		t.Fatalf("router user = %v", ru)
	}

	// Only the mini-browser learns the outcome and gets the hand-off.
	if got := o.status(real, id); got != "http Not Found" {
		t.Fatalf("status for the real browser = %q, want 404", got)
	}
	r := o.wait(real, id)
	wantStatus(t, r, http.StatusNotFound)
	if strings.Contains(string(r.body), ru["password"]) || strings.Contains(string(r.body), ru["name"]) {
		t.Fatalf("wait page without the cookie holds credentials:\n%s", r.body)
	}
	if got := o.status(mini, id); got != "done" {
		t.Fatalf("status after the sign-in = %q, want done", got)
	}
	hand := wantHandOff(t, o.wait(mini, id))
	msg := append([]byte{0o357}, ru["password"]...)
	msg = append(msg, 0o22, 0o100, 0o377, 'a', 'b', 'c')
	sum := md5.Sum(msg)
	if hand.Get("username") != ru["name"] || hand.Get("password") != hex.EncodeToString(sum[:]) ||
		hand.Get("dst") != "http://example.com/" {
		t.Fatalf("hand-off %v, router user %v", hand, ru)
	}
	su := o.siteUsers()
	if len(su) != 1 || su[0]["identity"] != "alice@example.com" || su[0]["username"] != ru["name"] {
		t.Fatalf("site users = %v", su)
	}

	// Single use: the callback and the code again are refused.
	wantBody(t, real.get(callback, o.base), http.StatusForbidden, "already been used")
	wantBody(t, real.get(o.base+"/oauth2/device?code="+code, o.base), http.StatusOK, "already been used")
	wantBody(t, real.send(http.MethodPost, o.base+"/oauth2/device", o.base, "", url.Values{"code": {code}, "accept_terms": {"yes"},
		"form_token": {hidden(confirm.body, "form_token")}}), http.StatusOK, "already been used")
	if len(o.guestUsers()) != 1 || len(o.siteUsers()) != 1 {
		t.Fatalf("replays granted more: %v", o.guestUsers())
	}

	// Revoked by an admin: the one-off user leaves the router early.
	o.fake.AddRow("/ip/hotspot/active", map[string]string{"user": ru["name"], "address": "10.5.50.7", "mac-address": "AA:BB:CC:00:00:01", "uptime": "5s"})
	o.sync()
	wantStatus(t, o.admin(http.MethodDelete, "/captive/sites/"+o.site+"/users/"+su[0]["id"].(string)+"?revoke=true", nil), http.StatusNoContent)
	o.sync()
	if u := o.guestUsers(); len(u) != 0 {
		t.Fatalf("router still holds the revoked guest: %v", u)
	}
	if a := o.fake.Rows("/ip/hotspot/active"); len(a) != 0 {
		t.Fatalf("router still has sessions: %v", a)
	}
	if got := o.status(mini, id); got != "expired" {
		t.Fatalf("status after the revocation = %q, want expired", got)
	}
	wantBody(t, o.wait(mini, id), http.StatusOK, "Get a new code")
}

func TestOAuthDeviceAPILogin(t *testing.T) {
	o := newOAuthEnv(t, "github", "")
	guestSubnet(t, o.env, o.inst, o.site, "127.0.0.0/8") // the mini-browser is a guest of the site
	mini := newGuestBrowser(t)
	params := url.Values{"site": {o.site}, "mac": {"AA:BB:CC:00:00:09"}, "ip": {"10.5.50.9"}}
	id, code, page := o.showCode(mini, params)
	// GitHub lets mini-browsers sign in: its button is offered too.
	wantBody(t, page, http.StatusOK, "Sign in with GitHub", "Or sign in in this window")
	_, res := o.finishElsewhere(newGuestBrowser(t), code, nil)
	wantBody(t, res, http.StatusOK, "go back to the Wi-Fi window")
	if a := o.fake.Rows("/ip/hotspot/active"); len(a) != 0 {
		t.Fatalf("logged in before the mini-browser asked: %v", a)
	}
	// The router does not know the device yet: the page says so, and
	// trying again logs in once it does.
	wantBody(t, o.wait(mini, id), http.StatusOK, "could not be logged in", "Get a new code")
	o.fake.AddRow("/ip/hotspot/host", map[string]string{"address": "127.0.0.1", "mac-address": "AA:BB:CC:00:00:09", "server": "hotspot1"})
	// The mini-browser's page logs its device in through the router's API.
	wantBody(t, o.wait(mini, id), http.StatusOK, "You are online", "1h 00m")
	active, users := o.fake.Rows("/ip/hotspot/active"), o.guestUsers()
	if len(active) != 1 || len(users) != 1 || active[0]["user"] != users[0]["name"] || active[0]["address"] != "127.0.0.1" {
		t.Fatalf("router sessions %v, users %v", active, users)
	}
	// Again: the time left, not a second login.
	wantBody(t, o.wait(mini, id), http.StatusOK, "You are online")
	if su := o.siteUsers(); len(su) != 1 || su[0]["identity"] != "alice@example.com" {
		t.Fatalf("site users = %v", su)
	}
}

func TestOAuthDeviceCodes(t *testing.T) {
	o := newOAuthEnv(t, "google", "")
	mini := newGuestBrowser(t)
	id, code, _ := o.showCode(mini, o.routerParams())
	real := newGuestBrowser(t)

	// A wrong or malformed code: the form again.
	for _, bad := range []string{"ABCD-EFGH", "ABCD-EFG", "0000-0000", "<script>", strings.Repeat("A", 500)} {
		r := real.get(o.base+"/oauth2/device?code="+url.QueryEscape(bad), o.base)
		wantBody(t, r, http.StatusOK, "not valid", `name="code"`)
		if strings.Contains(string(r.body), "<script>") {
			t.Fatalf("typed code not escaped:\n%s", r.body)
		}
	}
	// Expired: a clear page; the mini-browser offers a new code.
	o.clock.advance(121 * time.Second)
	wantBody(t, real.get(o.base+"/oauth2/device?code="+code, o.base), http.StatusOK, "That code has expired", "Go back to the Wi-Fi window")
	if got := o.status(mini, id); got != "expired" {
		t.Fatalf("status = %q, want expired", got)
	}
	page := o.wait(mini, id)
	wantBody(t, page, http.StatusOK, "The code has expired", "Get a new code", `href="/portal/`+o.inst+`?`)
	if deviceCodeRE.Match(page.body) || strings.Contains(string(page.body), `http-equiv="refresh"`) {
		t.Fatalf("an expired attempt still shows its code or polls:\n%s", page.body)
	}
	// Wrong codes from one source are limited.
	for i := 1; ; i++ {
		r := real.get(o.base+"/oauth2/device?code=ZZZZ-ZZZ"+string(rune('A'+i%20)), o.base)
		if r.status == http.StatusTooManyRequests {
			if i < 10 || r.header.Get("Retry-After") == "" || !strings.Contains(string(r.body), "Too many attempts") {
				t.Fatalf("code %d: %d %s", i, r.status, r.body)
			}
			break
		}
		wantBody(t, r, http.StatusOK, "not valid")
		if i > 40 {
			t.Fatal("wrong codes are not limited")
		}
	}
	// Even a good code waits now.
	_, fresh, _ := o.showCode(newGuestBrowser(t), o.routerParams())
	wantStatus(t, real.get(o.base+"/oauth2/device?code="+fresh, o.base), http.StatusTooManyRequests)
	o.nothingGranted()
}

func TestOAuthDeviceRefusals(t *testing.T) {
	o := newOAuthEnv(t, "google", "")
	t.Run("denied consent", func(t *testing.T) {
		o.idp.set(func(p *testIdP) { p.deny = true })
		defer o.idp.set(func(p *testIdP) { p.deny = false })
		mini := newGuestBrowser(t)
		id, code, _ := o.showCode(mini, o.routerParams())
		_, res := o.finishElsewhere(newGuestBrowser(t), code, nil)
		wantBody(t, res, http.StatusOK, "You cancelled the sign-in", "get a new code")
		if strings.Contains(string(res.body), "Sign in with Google") {
			t.Fatalf("the real browser is offered the portal's sign-in:\n%s", res.body)
		}
		if got := o.status(mini, id); got != "failed" {
			t.Fatalf("status = %q, want failed", got)
		}
		wantBody(t, o.wait(mini, id), http.StatusOK, "did not complete", "Get a new code")
		o.nothingGranted()
	})
	t.Run("bad signature", func(t *testing.T) {
		o.idp.set(func(p *testIdP) { p.rogue = true })
		defer o.idp.set(func(p *testIdP) { p.rogue = false })
		mini := newGuestBrowser(t)
		id, code, _ := o.showCode(mini, o.routerParams())
		_, res := o.finishElsewhere(newGuestBrowser(t), code, nil)
		wantBody(t, res, http.StatusBadGateway, "could not be completed")
		if got := o.status(mini, id); got != "failed" {
			t.Fatalf("status = %q, want failed", got)
		}
		o.nothingGranted()
	})
	t.Run("callback in a third browser", func(t *testing.T) {
		mini, real := newGuestBrowser(t), newGuestBrowser(t)
		id, code, _ := o.showCode(mini, o.routerParams())
		post := o.confirm(real, code, true)
		wantStatus(t, post, http.StatusFound)
		callback := real.get(post.header.Get("Location"), o.base).header.Get("Location")
		wantBody(t, newGuestBrowser(t).get(callback, o.base), http.StatusForbidden, "not valid")
		if got := o.status(mini, id); got != "signing_in" {
			t.Fatalf("status = %q, want signing_in (until it expires)", got)
		}
		o.nothingGranted()
	})
	t.Run("expired sign-in", func(t *testing.T) {
		mini := newGuestBrowser(t)
		id, code, _ := o.showCode(mini, o.routerParams())
		_, res := o.finishElsewhere(newGuestBrowser(t), code, func() { o.clock.advance(121 * time.Second) })
		wantBody(t, res, http.StatusForbidden, "took too long")
		if got := o.status(mini, id); got != "expired" {
			t.Fatalf("status = %q, want expired", got)
		}
		o.nothingGranted()
	})
	t.Run("no cookie, another attempt's cookie", func(t *testing.T) {
		a, b := newGuestBrowser(t), newGuestBrowser(t)
		idA, _, _ := o.showCode(a, o.routerParams())
		idB, _, _ := o.showCode(b, o.routerParams())
		if got := o.status(b, idA); got != "http Not Found" {
			t.Fatalf("status of another attempt = %q, want 404", got)
		}
		wantStatus(t, o.wait(a, idB), http.StatusNotFound)
		wantStatus(t, o.wait(a, "not-an-id"), http.StatusNotFound)
		wantStatus(t, newGuestBrowser(t).get(o.base+"/oauth2/device/status", o.base), http.StatusNotFound)
	})
}
