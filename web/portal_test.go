package web_test

import (
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gatehouse/app"
	"gatehouse/routeros/routerostest"
	"gatehouse/web"
)

// portalFixture is a coupon instance with terms, a few coupons, and the
// router parameters a login.html would pass.
type portalFixture struct {
	e       *env
	fake    *routerostest.Router
	site    string
	inst    string
	coupons []map[string]any
	params  url.Values
}

// newPortal makes the instance on a site whose router (a fake) has the
// stock hotspot profile, hotspot-address 10.5.50.1, and waits until the
// reconciler has read it: the portal hands browsers only to such hosts.
func newPortal(t *testing.T, terms string) portalFixture {
	t.Helper()
	return newPortalConfig(t, terms, nil)
}

// noMoves is a server whose codes never move to another device.
func noMoves(c *web.Config) { c.DeviceMovesPerDay = -1 }

// newPortalConfig is newPortal with the server's configuration changed by
// configure (when not nil).
func newPortalConfig(t *testing.T, terms string, configure func(*web.Config)) portalFixture {
	t.Helper()
	e := newEnvConfig(t, "", configure)
	fake, site, _ := routerSite(t, e)
	body := map[string]any{"name": "Seaside Hotel", "strategy": "coupon", "session_ttl": 7200,
		"theme": map[string]any{"accent_color": "#aa3300", "background_color": "#102030"},
		"sites": []any{map[string]any{"id": site}}}
	if terms != "" {
		body["terms_text"] = terms
	}
	inst := createInstance(t, e, body)["id"].(string)
	waitHotspotHost(t, e, site, "10.5.50.1")
	var coupons []map[string]any
	e.admin(http.MethodPost, "/captive/instances/"+inst+"/coupons", map[string]any{"count": 5, "minutes_valid": 60}).json(t, &coupons)
	params := url.Values{"mac": {"AA:BB:CC:00:00:01"}, "ip": {"10.5.50.7"}, "link-login-only": {"http://10.5.50.1/login"},
		"link-orig": {"http://example.com/"}}
	return portalFixture{e: e, fake: fake, site: site, inst: inst, coupons: coupons, params: params}
}

// waitHotspotHost waits until a pass of the site's router recorded host
// among its hotspot hosts.
func waitHotspotHost(t *testing.T, e *env, site, host string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		if _, err := e.reconciler.Sync(t.Context(), site); err == nil {
			if s, err := e.store.Site(t.Context(), site); err == nil && slices.Contains(s.Status.HotspotHosts, host) {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the router's hotspot host %s was not recorded", host)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// handedOff returns the query of a hand-off to the hotspot at want (a
// 303 to its login page), or nil.
func handedOff(r response, want string) url.Values {
	if r.status != http.StatusSeeOther {
		return nil
	}
	u, err := url.Parse(r.header.Get("Location"))
	if err != nil || u.Scheme+"://"+u.Host+u.Path != want {
		return nil
	}
	return u.Query()
}

func (f portalFixture) code(i int) string { return f.coupons[i]["code"].(string) }

// submit posts a code with the fixture's router parameters (overridden by extra).
func (f portalFixture) submit(code string, extra url.Values) response {
	f.e.t.Helper()
	form := url.Values{"code": {code}, "accept_terms": {"yes"}}
	for k, v := range f.params {
		form[k] = v
	}
	for k, v := range extra {
		if len(v) == 1 && v[0] == "" {
			delete(form, k)
		} else {
			form[k] = v
		}
	}
	return f.e.form("/portal/"+f.inst+"/login", form, nil)
}

func (f portalFixture) status(i int) string {
	f.e.t.Helper()
	var all []map[string]any
	f.e.admin(http.MethodGet, "/captive/instances/"+f.inst+"/coupons?status=all", nil).json(f.e.t, &all)
	for _, c := range all {
		if c["id"] == f.coupons[i]["id"] {
			return c["status"].(string)
		}
	}
	return "gone"
}

func hidden(body []byte, name string) string {
	m := regexp.MustCompile(`name="` + regexp.QuoteMeta(name) + `" value="([^"]*)"`).FindSubmatch(body)
	if m == nil {
		return ""
	}
	return string(m[1])
}

func TestPortalPage(t *testing.T) {
	f := newPortal(t, "No illegal downloads.")
	r := f.e.call(http.MethodGet, "/portal/"+f.inst+"?"+f.params.Encode(), "", nil)
	wantStatus(t, r, http.StatusOK)
	body := string(r.body)
	for _, want := range []string{"Seaside Hotel", "--accent: #aa3300", "--bg: #102030", "No illegal downloads.", `name="accept_terms"`,
		`name="link-login-only" value="http://10.5.50.1/login"`, `name="mac" value="AA:BB:CC:00:00:01"`} {
		if !strings.Contains(body, want) {
			t.Errorf("portal page lacks %q", want)
		}
	}
	if csp := r.header.Get("Content-Security-Policy"); !strings.Contains(csp, "style-src 'nonce-") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP = %q", csp)
	}
	if len(r.body) > 16<<10 {
		t.Errorf("portal page weighs %d bytes", len(r.body))
	}
	wantStatus(t, f.e.call(http.MethodGet, "/portal/0190c0de-0000-7000-8000-000000000000", "", nil), http.StatusNotFound)
}

func TestPortalLanguage(t *testing.T) {
	for _, tc := range []struct{ accept, locale, want string }{
		{"de-DE,de;q=0.9,en;q=0.8", "en", "de"},
		{"pt-BR", "en", "pt"},
		{"ja,zh;q=0.5", "fr", "fr"},
		{"", "es-MX", "es"},
		{"", "nl", "en"},
	} {
		f := newPortal(t, "")
		if tc.locale != "en" {
			wantStatus(t, f.e.admin(http.MethodPut, "/captive/instances/"+f.inst, map[string]any{"locale": tc.locale}), http.StatusOK)
		}
		// The lang attribute of the page says which catalogue was used.
		got := fetchLang(t, f.e, "/portal/"+f.inst, tc.accept)
		if got != tc.want {
			t.Errorf("Accept-Language %q, locale %q: page in %q, want %q", tc.accept, tc.locale, got, tc.want)
		}
	}
}

func fetchLang(t *testing.T, e *env, path, accept string) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+path, nil)
	if accept != "" {
		req.Header.Set("Accept-Language", accept)
	}
	body := e.send(req).body
	m := regexp.MustCompile(`<html lang="([a-z]+)">`).FindSubmatch(body)
	if m == nil {
		t.Fatalf("no lang in %.200s", body)
	}
	return string(m[1])
}

func TestPortalLoginOutcomes(t *testing.T) {
	f := newPortalConfig(t, "Be nice.", noMoves) // moves: TestPortalMovesCodeToNewDevice
	e := f.e
	// Revoke coupon 2, expire coupon 3 (by a store write in the past).
	wantStatus(t, e.admin(http.MethodDelete, "/captive/instances/"+f.inst+"/coupons/"+f.coupons[2]["id"].(string), nil), http.StatusNoContent)

	// Terms not accepted: refused, nothing redeemed.
	r := f.submit(f.code(0), url.Values{"accept_terms": {""}})
	wantStatus(t, r, http.StatusOK)
	if !strings.Contains(string(r.body), "accept the terms") || f.status(0) != "valid" {
		t.Fatalf("terms not accepted: %s / status %s", r.body, f.status(0))
	}
	// No router parameters at all: nowhere to send the guest, nothing used;
	// the guest is told what to do instead.
	r = f.submit(f.code(0), url.Values{"link-login-only": {""}})
	if !strings.Contains(string(r.body), "Join the guest Wi-Fi, open any web page, and type your code on the page that appears.") || f.status(0) != "valid" {
		t.Fatalf("no router: %s / status %s", r.body, f.status(0))
	}

	// A good code, typed sloppily: a 303 to the router's login page with
	// PAP credentials (a GET the hotspot accepts; no mixed-form warning).
	typed := strings.ToLower(f.code(0)[:3]) + " - " + f.code(0)[3:]
	r = f.submit(typed, nil)
	q := handedOff(r, "http://10.5.50.1/login")
	if q == nil || q.Get("username") != f.code(0) || q.Get("password") != f.code(0) || q.Get("dst") != "http://example.com/" {
		t.Fatalf("hand-off: %d %v %s", r.status, r.header, r.body)
	}
	if f.status(0) != "redeemed" {
		t.Fatalf("coupon 0 status = %s, want redeemed", f.status(0))
	}
	// The same device comes back: it is let on again.
	if q := handedOff(f.submit(f.code(0), nil), "http://10.5.50.1/login"); q == nil {
		t.Fatal("the same device was not let on again")
	}

	for _, tc := range []struct {
		name, code string
		extra      url.Values
		want       string
	}{
		{"used by another device", f.code(0), url.Values{"mac": {"AA:BB:CC:00:00:02"}, "ip": {"10.5.50.8"}}, "already been used"},
		{"revoked", f.code(2), url.Values{"mac": {"AA:BB:CC:00:00:03"}}, "withdrawn"},
		{"unknown", "ZZZZZZ", url.Values{"mac": {"AA:BB:CC:00:00:04"}}, "not valid"},
		{"empty", "  ", url.Values{"mac": {"AA:BB:CC:00:00:05"}}, "type your access code"},
	} {
		r := f.submit(tc.code, tc.extra)
		if r.status != http.StatusOK || !strings.Contains(string(r.body), tc.want) {
			t.Errorf("%s: %d %s", tc.name, r.status, r.body)
		}
	}
	if f.status(1) != "valid" || f.status(2) != "revoked" {
		t.Fatalf("refusals changed coupons: %s %s", f.status(1), f.status(2))
	}
}

func TestPortalCHAP(t *testing.T) {
	f := newPortal(t, "")
	id, challenge := `\357`, `\022\100\377\000abc`
	r := f.submit(f.code(1), url.Values{"chap-id": {id}, "chap-challenge": {challenge}})
	sum := md5.Sum(append(append([]byte{0o357}, []byte(f.code(1))...), 0o22, 0o100, 0o377, 0, 'a', 'b', 'c'))
	q := handedOff(r, "http://10.5.50.1/login")
	if got, want := q.Get("password"), hex.EncodeToString(sum[:]); got != want || q.Get("username") != f.code(1) {
		t.Fatalf("CHAP hand-off %v: password %q, want %q", q, got, want)
	}
}

// TestPortalRateLimit: the first wrong codes from an address cost
// nothing; then every attempt waits a growing delay, even a good code,
// and nothing is redeemed meanwhile. What the form says about the device
// changes nothing: the limits go by the connection.
func TestPortalRateLimit(t *testing.T) {
	f := newPortal(t, "")
	for i := range 30 {
		dev := url.Values{"mac": {fmt.Sprintf("AA:BB:CC:00:01:%02X", i)}, "ip": {fmt.Sprintf("10.5.50.%d", 100+i)}}
		if r := f.submit(fmt.Sprintf("WRONG%d", i), dev); r.status != http.StatusOK {
			t.Fatalf("attempt %d: %d", i, r.status)
		}
	}
	r := f.submit(f.code(4), url.Values{"mac": {"AA:BB:CC:00:00:0A"}, "ip": {"10.5.50.10"}}) // even a good code waits now
	if r.status != http.StatusTooManyRequests || !strings.Contains(string(r.body), "Try again in") {
		t.Fatalf("attempt 31: %d %s", r.status, r.body)
	}
	if wait, _ := strconv.Atoi(r.header.Get("Retry-After")); wait < 1 || wait > 30 {
		t.Fatalf("Retry-After = %q, want a short delay, not a block", r.header.Get("Retry-After"))
	}
	if f.status(4) != "valid" {
		t.Fatal("a delayed attempt redeemed a coupon")
	}
}

// TestPortalGuessBurst: a burst of wrong codes sent at once gets no more
// checks than the free attempts: each is counted before it is checked.
func TestPortalGuessBurst(t *testing.T) {
	f := newPortal(t, "")
	var wg sync.WaitGroup
	var checked, delayed atomic.Int32
	start := time.Now()
	for i := range 300 {
		wg.Go(func() {
			r := f.submit(fmt.Sprintf("BURST%03d", i), nil)
			switch r.status {
			case http.StatusOK:
				checked.Add(1)
			case http.StatusTooManyRequests:
				delayed.Add(1)
			}
		})
	}
	wg.Wait()
	// Past the 30 free attempts the next one waits 1 s, then 2 s, …: a
	// burst that takes longer than a second on a busy machine may see one
	// or two of those delays end, never more than one per second.
	allowed := 30 + int(time.Since(start)/time.Second)
	if int(checked.Load()) > allowed || checked.Load()+delayed.Load() != 300 {
		t.Fatalf("%d codes checked and %d delayed of 300 sent at once; want at most %d checked", checked.Load(), delayed.Load(), allowed)
	}
}

// TestPortalInstanceCeiling: many addresses guessing together meet the
// instance's ceiling, and then every address waits, briefly.
func TestPortalInstanceCeiling(t *testing.T) {
	f := newPortal(t, "")
	h := f.e.srv.Config.Handler
	post := func(src, code string) *httptest.ResponseRecorder {
		form := url.Values{"code": {code}, "link-login-only": {"http://10.5.50.1/login"}}
		req := httptest.NewRequest(http.MethodPost, "/portal/"+f.inst+"/login", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.RemoteAddr = src + ":40000"
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	for i := range 600 { // 30 addresses, 20 wrong codes each: within each address's free attempts
		if rec := post(fmt.Sprintf("192.0.2.%d", i%30+1), fmt.Sprintf("CEIL%03d", i)); rec.Code != http.StatusOK {
			t.Fatalf("guess %d: %d", i, rec.Code)
		}
	}
	rec := post("198.51.100.7", "CEIL999") // a fresh address
	if rec.Code != http.StatusTooManyRequests {
		t.Fatalf("after 600 wrong codes on the instance, a fresh address got %d, want 429", rec.Code)
	}
	if wait, _ := strconv.Atoi(rec.Header().Get("Retry-After")); wait < 1 || wait > 10 {
		t.Fatalf("Retry-After = %q, want at most 10 s", rec.Header().Get("Retry-After"))
	}
}

// TestPortalHandOffOnlyToTheHotspot: a link-login-only that is not one of
// the site's hotspot hosts gets the error page, no redirect, and the code
// is not spent; the hotspot's dns-name works as well as its address.
func TestPortalHandOffOnlyToTheHotspot(t *testing.T) {
	f := newPortal(t, "")
	for _, link := range []string{"https://evil.example/steal", "http://10.5.50.1.evil.example/login",
		"http://user@10.5.50.1/login", "javascript:alert(1)", "http://10.5.50.2/login"} {
		r := f.submit(f.code(0), url.Values{"link-login-only": {link}})
		if r.status != http.StatusOK || r.header.Get("Location") != "" || !strings.Contains(string(r.body), "open any web page") {
			t.Fatalf("hand-off to %s: %d %v %s", link, r.status, r.header, r.body)
		}
	}
	if f.status(0) != "valid" {
		t.Fatalf("a refused hand-off spent the code: %s", f.status(0))
	}
	// Another port of the hotspot's own address is the hotspot.
	if q := handedOff(f.submit(f.code(0), url.Values{"link-login-only": {"https://10.5.50.1:8443/login"}}), "https://10.5.50.1:8443/login"); q == nil {
		t.Fatal("https on the hotspot's own address was refused")
	}
	// The router gets a DNS name for its login page; the next pass learns it.
	f.fake.SetRow("/ip/hotspot/profile", "hsprof1", map[string]string{"dns-name": "Login.Seaside.example"})
	waitHotspotHost(t, f.e, f.site, "login.seaside.example")
	if q := handedOff(f.submit(f.code(1), url.Values{"link-login-only": {"http://login.seaside.example/login"}}), "http://login.seaside.example/login"); q == nil {
		t.Fatal("the hotspot's dns-name was refused")
	}
}

// TestPortalStatusOnlyForTheDevice: the time left of a session is shown
// to the device itself, not to anyone who types its MAC address.
func TestPortalStatusOnlyForTheDevice(t *testing.T) {
	f := newPortal(t, "")
	if q := handedOff(f.submit(f.code(0), nil), "http://10.5.50.1/login"); q == nil {
		t.Fatal("no hand-off")
	}
	page := f.e.call(http.MethodGet, "/portal/"+f.inst+"?"+f.params.Encode(), "", nil)
	if strings.Contains(string(page.body), "You are online") {
		t.Fatalf("a stranger typing the MAC sees the session: %s", page.body)
	}
	guestSubnet(t, f.e, f.inst, f.site, "127.0.0.0/8") // the test client is now a guest of the site
	host := f.fake.AddRow("/ip/hotspot/host", map[string]string{"address": "127.0.0.1", "mac-address": "AA:BB:CC:00:00:02"})
	page = f.e.call(http.MethodGet, "/portal/"+f.inst+"?"+f.params.Encode(), "", nil)
	if strings.Contains(string(page.body), "You are online") {
		t.Fatalf("another device of the site sees the session: %s", page.body)
	}
	f.fake.SetRow("/ip/hotspot/host", host, map[string]string{"mac-address": "AA:BB:CC:00:00:01"})
	page = f.e.call(http.MethodGet, "/portal/"+f.inst+"?"+f.params.Encode(), "", nil)
	if !strings.Contains(string(page.body), "You are online") {
		t.Fatalf("the device itself does not see its session: %s", page.body)
	}
}

// TestPortalSameCodeTwiceAtOnce: eight phones submit one code at the same
// moment; exactly one gets on, or, where codes move between devices, one
// and then as many as may move it in a day (each logging the one before
// out).
func TestPortalSameCodeTwiceAtOnce(t *testing.T) {
	for _, tc := range []struct {
		name      string
		configure func(*web.Config)
		want      int
	}{{"no moves", noMoves, 1}, {"three moves a day", nil, 1 + app.DefaultDeviceMoves}} {
		t.Run(tc.name, func(t *testing.T) {
			f := newPortalConfig(t, "", tc.configure)
			var wg sync.WaitGroup
			results := make([]response, 8)
			for i := range results {
				wg.Go(func() {
					results[i] = f.submit(f.code(3), url.Values{"mac": {"AA:BB:CC:00:01:0" + string(rune('0'+i))}, "ip": {"10.5.51." + string(rune('1'+i))}})
				})
			}
			wg.Wait()
			handoffs := 0
			for _, r := range results {
				if handedOff(r, "http://10.5.50.1/login") != nil {
					handoffs++
				}
			}
			if handoffs != tc.want {
				t.Fatalf("%d devices got on with one code, want %d", handoffs, tc.want)
			}
		})
	}
}

func TestPortalPreview(t *testing.T) {
	f := newPortal(t, "")
	inst := f.e.admin(http.MethodGet, "/captive/instances/"+f.inst, nil).object(t)
	preview, ok := inst["preview_url"].(string)
	if !ok {
		t.Fatalf("preview_url = %v", inst["preview_url"])
	}
	u, _ := url.Parse(preview)
	r := f.e.call(http.MethodGet, u.RequestURI(), "", nil)
	wantStatus(t, r, http.StatusOK)
	if !strings.Contains(string(r.body), "Preview") || !strings.Contains(string(r.body), "disabled") {
		t.Fatalf("preview page: %s", r.body)
	}
	q := u.Query()
	q.Set("expires", "1")
	wantError(t, f.e.call(http.MethodGet, u.Path+"?"+q.Encode(), "", nil), http.StatusForbidden, app.ReasonSignatureInvalid, "")
}

// TestPortalAPILogin: without link-login-only, the portal logs in the
// device at the connection's own address, in a guest subnet, under the MAC
// the router knows it by; what the form says about site, address and MAC
// is ignored.
func TestPortalAPILogin(t *testing.T) {
	e := newEnv(t, "")
	fake, site, inst := routerSite(t, e)
	guestSubnet(t, e, inst, site, "127.0.0.0/8") // the test client is a guest
	var coupons []map[string]any
	e.admin(http.MethodPost, "/captive/instances/"+inst+"/coupons", map[string]any{"count": 1, "minutes_valid": 60}).json(t, &coupons)
	code := coupons[0]["code"].(string)
	fake.AddRow("/ip/hotspot/host", map[string]string{"address": "127.0.0.1", "mac-address": "AA:BB:CC:00:00:20"})
	fake.AddRow("/ip/hotspot/host", map[string]string{"address": "10.5.50.66", "mac-address": "AA:AA:AA:AA:AA:66"})
	r := e.form("/portal/"+inst+"/login", url.Values{"code": {code}, "site": {site}, "ip": {"10.5.50.66"}, "mac": {"AA:AA:AA:AA:AA:66"}}, nil)
	if r.status != http.StatusOK || !strings.Contains(string(r.body), "You are online") {
		t.Fatalf("API login: %d %s", r.status, r.body)
	}
	active := fake.Rows("/ip/hotspot/active")
	if len(active) != 1 || active[0]["user"] != code || active[0]["address"] != "127.0.0.1" ||
		!strings.EqualFold(active[0]["mac-address"], "AA:BB:CC:00:00:20") {
		t.Fatalf("router sessions = %v, want the connection's own device", active)
	}
}

// TestPortalForgedDeviceOutsideTheSubnets: a form naming a site, an address
// and a MAC, sent from outside every guest subnet, makes gatehouse ask the
// router nothing and log nobody in, and the code is not spent.
func TestPortalForgedDeviceOutsideTheSubnets(t *testing.T) {
	e := newEnv(t, "")
	fake, site, inst := routerSite(t, e)
	guestSubnet(t, e, inst, site, "10.5.50.0/24")
	var coupons []map[string]any
	e.admin(http.MethodPost, "/captive/instances/"+inst+"/coupons", map[string]any{"count": 1, "minutes_valid": 60}).json(t, &coupons)
	code := coupons[0]["code"].(string)
	fake.AddRow("/ip/hotspot/host", map[string]string{"address": "10.5.50.20", "mac-address": "AA:BB:CC:00:00:20"})
	logins := fake.Commands("/ip/hotspot/active/login")
	r := e.form("/portal/"+inst+"/login", url.Values{"code": {code}, "site": {site}, "ip": {"10.5.50.20"}, "mac": {"AA:BB:CC:00:00:20"}}, nil)
	if !strings.Contains(string(r.body), "open any web page, and type your code") {
		t.Fatalf("forged device: %d %s", r.status, r.body)
	}
	if n := fake.Commands("/ip/hotspot/active/login") - logins; n != 0 || len(fake.Rows("/ip/hotspot/active")) != 0 {
		t.Fatalf("the router was asked to log in a forged device (%d logins)", n)
	}
	var all []map[string]any
	e.admin(http.MethodGet, "/captive/instances/"+inst+"/coupons?status=all", nil).json(t, &all)
	if all[0]["status"] != "valid" {
		t.Fatalf("coupon status = %v, want valid", all[0]["status"])
	}
}

// TestPortalOpenedFromQRCode: a coupon card's QR code opens the portal
// directly, with the code but without the router's parameters. A guest
// whose address is in a guest subnet of the instance's site is logged in
// through that router; anyone else is told to start from the Wi-Fi.
func TestPortalOpenedFromQRCode(t *testing.T) {
	e := newEnv(t, "")
	fake, site, inst := routerSite(t, e)
	var coupons []map[string]any
	e.admin(http.MethodPost, "/captive/instances/"+inst+"/coupons", map[string]any{"count": 2, "minutes_valid": 60}).json(t, &coupons)
	code := coupons[0]["code"].(string)

	// Outside every guest subnet: the page shows the code but will not spend it.
	page := e.call(http.MethodGet, "/portal/"+inst+"?code="+strings.ToLower(code), "", nil)
	if !strings.Contains(string(page.body), `value="`+code+`"`) {
		t.Fatalf("page without a guest subnet: %s", page.body)
	}
	// Caught by the router first: the code comes back inside link-orig.
	orig := url.Values{"mac": {"AA:BB:CC:00:00:09"}, "link-login-only": {"http://10.5.50.1/login"},
		"link-orig": {e.srv.URL + "/portal/" + inst + "?code=" + code}}
	if page := e.call(http.MethodGet, "/portal/"+inst+"?"+orig.Encode(), "", nil); !strings.Contains(string(page.body), `value="`+code+`"`) {
		t.Fatalf("page reached through the router does not show the card's code: %s", page.body)
	}
	r := e.form("/portal/"+inst+"/login", url.Values{"code": {code}}, nil)
	if strings.Contains(string(r.body), "You are online") || len(fake.Rows("/ip/hotspot/active")) != 0 {
		t.Fatalf("logged in without knowing the router: %s", r.body)
	}

	// The test client (loopback) is a guest of the site.
	if r := e.admin(http.MethodPut, "/captive/instances/"+inst, map[string]any{
		"sites": []any{map[string]any{"id": site, "subnets": []any{"127.0.0.0/8"}}}}); r.status != http.StatusOK {
		t.Fatalf("set guest subnet: %d %s", r.status, r.body)
	}
	fake.AddRow("/ip/hotspot/host", map[string]string{"address": "127.0.0.1", "mac-address": "AA:BB:CC:00:00:31"})
	r = e.form("/portal/"+inst+"/login", url.Values{"code": {code}}, nil)
	if !strings.Contains(string(r.body), "You are online") {
		t.Fatalf("login from the QR code: %d %s", r.status, r.body)
	}
	if active := fake.Rows("/ip/hotspot/active"); len(active) != 1 || active[0]["user"] != code {
		t.Fatalf("router sessions = %v", active)
	}
}

// TestPortalAPILoginKeepsTheCodeOnFailure: opened directly (a card's QR
// code), a code is spent only once the router knows the guest's device,
// and a login the router then refuses can be tried again with the same code.
func TestPortalAPILoginKeepsTheCodeOnFailure(t *testing.T) {
	e := newEnv(t, "")
	fake, site, inst := routerSite(t, e)
	guestSubnet(t, e, inst, site, "127.0.0.0/8") // the test client is a guest
	var coupons []map[string]any
	e.admin(http.MethodPost, "/captive/instances/"+inst+"/coupons", map[string]any{"count": 1, "minutes_valid": 60}).json(t, &coupons)
	code := coupons[0]["code"].(string)
	status := func() string {
		var all []map[string]any
		e.admin(http.MethodGet, "/captive/instances/"+inst+"/coupons?status=all", nil).json(t, &all)
		return all[0]["status"].(string)
	}
	login := func() response { return e.form("/portal/"+inst+"/login", url.Values{"code": {code}}, nil) }

	// The hotspot does not know the address: nothing is spent.
	if r := login(); !strings.Contains(string(r.body), "could not be logged in") || status() != "valid" {
		t.Fatalf("unknown device: %s (coupon %s)", r.body, status())
	}

	// The router knows the device but refuses the login once.
	fake.AddRow("/ip/hotspot/host", map[string]string{"address": "127.0.0.1", "mac-address": "aa:bb:cc:00:00:30"})
	fake.FailWhen(func(cmd string, _ map[string]string) *routerostest.Trap {
		if cmd == "/ip/hotspot/active/login" {
			return &routerostest.Trap{Message: "simulated failure"}
		}
		return nil
	})
	if r := login(); strings.Contains(string(r.body), "You are online") {
		t.Fatalf("login through a failing router: %s", r.body)
	}
	fake.FailWhen(nil)
	if r := login(); !strings.Contains(string(r.body), "You are online") {
		t.Fatalf("second try with the same code on the same device: %s", r.body)
	}
	if active := fake.Rows("/ip/hotspot/active"); len(active) != 1 || !strings.EqualFold(active[0]["mac-address"], "AA:BB:CC:00:00:30") {
		t.Fatalf("router sessions = %v", active)
	}
}

// TestPortalForgedSiteAndAddress: a form that names a site and an address
// it does not come from makes the portal ask the router nothing, and
// failed lookups count like wrong codes.
func TestPortalForgedSiteAndAddress(t *testing.T) {
	e := newEnv(t, "")
	fake, site, inst := routerSite(t, e)
	guestSubnet(t, e, inst, site, "10.5.50.0/24") // the test client (loopback) is not in it
	var lookups atomic.Int32
	fake.FailWhen(func(cmd string, _ map[string]string) *routerostest.Trap {
		if cmd == "/ip/hotspot/host/print" {
			lookups.Add(1)
		}
		return nil
	})
	for i := range 10 {
		r := e.form("/portal/"+inst+"/login", url.Values{"code": {"ABCDEF"}, "site": {site}, "ip": {fmt.Sprintf("10.5.50.%d", i+2)}}, nil)
		if !strings.Contains(string(r.body), "open any web page, and type your code") {
			t.Fatalf("forged address %d: %s", i, r.body)
		}
	}
	if n := lookups.Load(); n != 0 {
		t.Fatalf("the router was asked %d times about addresses the guest does not have", n)
	}

	// From inside the subnet each lookup that finds nothing is a failure.
	guestSubnet(t, e, inst, site, "127.0.0.0/8")
	var last response
	for range 40 {
		last = e.form("/portal/"+inst+"/login", url.Values{"code": {"ABCDEF"}}, nil)
	}
	if last.status != http.StatusTooManyRequests || lookups.Load() > 31 {
		t.Fatalf("after 40 lookups: %d, %d router lookups; want 429 and at most 31", last.status, lookups.Load())
	}
}

// guestSubnet makes subnet the only guest subnet of site for inst.
func guestSubnet(t *testing.T, e *env, inst, site, subnet string) {
	t.Helper()
	wantStatus(t, e.admin(http.MethodPut, "/captive/instances/"+inst, map[string]any{
		"sites": []any{map[string]any{"id": site, "subnets": []any{subnet}}}}), http.StatusOK)
}

// TestPortalUnreadableForm: a browser's form that cannot be read gets the
// portal's page in the guest's language, not the API's JSON, and nothing
// is spent or counted.
func TestPortalUnreadableForm(t *testing.T) {
	f := newPortal(t, "")
	post := func(path string) response {
		t.Helper()
		req, err := http.NewRequest(http.MethodPost, f.e.srv.URL+path, strings.NewReader("code="+f.code(0)+"&mac=%zz"))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept-Language", "de")
		return f.e.send(req)
	}
	r := post("/portal/" + f.inst + "/login")
	if r.status != http.StatusBadRequest || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
		t.Fatalf("unreadable form: got %d %s, want 400 text/html", r.status, r.header.Get("Content-Type"))
	}
	if want := "nicht gelesen werden konnte"; !strings.Contains(string(r.body), want) {
		t.Errorf("unreadable form: the page does not say %q: %s", want, r.body)
	}
	if !strings.Contains(string(r.body), `name="code"`) {
		t.Errorf("unreadable form: got no code form to try again: %s", r.body)
	}
	if f.status(0) != "valid" {
		t.Errorf("coupon 0: got status %s, want valid", f.status(0))
	}
	if r := post("/portal/01900000-0000-7000-8000-000000000000/login"); r.status != http.StatusNotFound {
		t.Errorf("unreadable form to an unknown portal: got %d, want 404", r.status)
	}
}
