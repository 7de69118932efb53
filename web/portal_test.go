package web_test

import (
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"gatehouse/app"
	"gatehouse/routeros/routerostest"
)

// portalFixture is a coupon instance with terms, a few coupons, and the
// router parameters a login.html would pass.
type portalFixture struct {
	e       *env
	inst    string
	coupons []map[string]any
	params  url.Values
}

func newPortal(t *testing.T, terms string) portalFixture {
	t.Helper()
	e := newEnv(t, "")
	body := map[string]any{"name": "Seaside Hotel", "strategy": "coupon", "session_ttl": 7200,
		"theme": map[string]any{"accent_color": "#aa3300", "background_color": "#102030"}}
	if terms != "" {
		body["terms_text"] = terms
	}
	inst := createInstance(t, e, body)["id"].(string)
	var coupons []map[string]any
	e.admin(http.MethodPost, "/captive/instances/"+inst+"/coupons", map[string]any{"count": 5, "minutes_valid": 60}).json(t, &coupons)
	params := url.Values{"mac": {"AA:BB:CC:00:00:01"}, "ip": {"10.5.50.7"}, "link-login-only": {"http://10.5.50.1/login"},
		"link-orig": {"http://example.com/"}}
	return portalFixture{e: e, inst: inst, coupons: coupons, params: params}
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
	res, err := e.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`<html lang="([a-z]+)">`).FindSubmatch(body)
	if m == nil {
		t.Fatalf("no lang in %.200s", body)
	}
	return string(m[1])
}

func TestPortalLoginOutcomes(t *testing.T) {
	f := newPortal(t, "Be nice.")
	e := f.e
	// Revoke coupon 2, expire coupon 3 (by a store write in the past).
	wantStatus(t, e.admin(http.MethodDelete, "/captive/instances/"+f.inst+"/coupons/"+f.coupons[2]["id"].(string), nil), http.StatusNoContent)

	// Terms not accepted: refused, nothing redeemed.
	r := f.submit(f.code(0), url.Values{"accept_terms": {""}})
	wantStatus(t, r, http.StatusOK)
	if !strings.Contains(string(r.body), "accept the terms") || f.status(0) != "valid" {
		t.Fatalf("terms not accepted: %s / status %s", r.body, f.status(0))
	}
	// No router parameters at all: nowhere to send the guest, nothing used.
	r = f.submit(f.code(0), url.Values{"link-login-only": {""}})
	if !strings.Contains(string(r.body), "Wi-Fi network&#39;s login page") || f.status(0) != "valid" {
		t.Fatalf("no router: %s / status %s", r.body, f.status(0))
	}

	// A good code, typed sloppily: hand-off to the router with PAP.
	typed := strings.ToLower(f.code(0)[:3]) + " - " + f.code(0)[3:]
	r = f.submit(typed, nil)
	wantStatus(t, r, http.StatusOK)
	if !strings.Contains(string(r.body), `action="http://10.5.50.1/login"`) || hidden(r.body, "username") != f.code(0) ||
		hidden(r.body, "password") != f.code(0) || hidden(r.body, "dst") != "http://example.com/" {
		t.Fatalf("hand-off page: %s", r.body)
	}
	if csp := r.header.Get("Content-Security-Policy"); !strings.Contains(csp, "form-action http://10.5.50.1") {
		t.Errorf("hand-off CSP = %q, want the router as form action", csp)
	}
	if f.status(0) != "redeemed" {
		t.Fatalf("coupon 0 status = %s, want redeemed", f.status(0))
	}
	// The same device comes back: it is let on again; the page shows its time.
	wantStatus(t, f.submit(f.code(0), nil), http.StatusOK)
	page := e.call(http.MethodGet, "/portal/"+f.inst+"?"+f.params.Encode(), "", nil)
	if !strings.Contains(string(page.body), "You are online") || !strings.Contains(string(page.body), "2h 00m") && !strings.Contains(string(page.body), "1h 59m") {
		t.Fatalf("returning guest page: %s", page.body)
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
		if r.status != http.StatusOK || !strings.Contains(string(r.body), tc.want) || strings.Contains(string(r.body), `id="handoff"`) {
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
	if got, want := hidden(r.body, "password"), hex.EncodeToString(sum[:]); got != want {
		t.Fatalf("CHAP password = %q, want %q", got, want)
	}
}

func TestPortalRateLimit(t *testing.T) {
	f := newPortal(t, "")
	dev := url.Values{"mac": {"AA:BB:CC:00:00:09"}, "ip": {"10.5.50.9"}}
	for i := range 5 {
		if r := f.submit("WRONG"+string(rune('A'+i)), dev); r.status != http.StatusOK {
			t.Fatalf("attempt %d: %d", i, r.status)
		}
	}
	r := f.submit(f.code(4), dev) // even a good code waits now
	if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") == "" || !strings.Contains(string(r.body), "Try again in") {
		t.Fatalf("sixth attempt: %d %q %s", r.status, r.header.Get("Retry-After"), r.body)
	}
	if f.status(4) != "valid" {
		t.Fatal("a blocked attempt redeemed a coupon")
	}
	// Another device behind the same NAT address is not blocked.
	if r := f.submit(f.code(4), url.Values{"mac": {"AA:BB:CC:00:00:0A"}, "ip": {"10.5.50.10"}}); r.status != http.StatusOK || hidden(r.body, "username") != f.code(4) {
		t.Fatalf("other device: %d %s", r.status, r.body)
	}
}

// TestPortalSameCodeTwiceAtOnce: two phones submit one code at the same
// moment; exactly one gets on.
func TestPortalSameCodeTwiceAtOnce(t *testing.T) {
	f := newPortal(t, "")
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
		if strings.Contains(string(r.body), `id="handoff"`) {
			handoffs++
		}
	}
	if handoffs != 1 {
		t.Fatalf("%d devices got on with one code, want exactly 1", handoffs)
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

// TestPortalAPILogin: without link-login-only, the portal logs the device
// in through the router's API, finding its MAC in the hotspot's hosts.
func TestPortalAPILogin(t *testing.T) {
	e := newEnv(t, "")
	fake, site, inst := routerSite(t, e)
	var coupons []map[string]any
	e.admin(http.MethodPost, "/captive/instances/"+inst+"/coupons", map[string]any{"count": 1, "minutes_valid": 60}).json(t, &coupons)
	code := coupons[0]["code"].(string)
	fake.AddRow("/ip/hotspot/host", map[string]string{"address": "10.5.50.20", "mac-address": "AA:BB:CC:00:00:20"})
	// The router passed the device (no link-login-only): no lookup needed.
	r := e.form("/portal/"+inst+"/login", url.Values{"code": {code}, "site": {site}, "ip": {"10.5.50.20"}, "mac": {"AA:BB:CC:00:00:20"}}, nil)
	if r.status != http.StatusOK || !strings.Contains(string(r.body), "You are online") {
		t.Fatalf("API login: %d %s", r.status, r.body)
	}
	active := fake.Rows("/ip/hotspot/active")
	if len(active) != 1 || active[0]["user"] != code || !strings.EqualFold(active[0]["mac-address"], "AA:BB:CC:00:00:20") {
		t.Fatalf("router sessions = %v", active)
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
	if !strings.Contains(string(page.body), `value="`+code+`"`) || hidden(page.body, "site") != "" {
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
	page = e.call(http.MethodGet, "/portal/"+inst+"?code="+code, "", nil)
	if hidden(page.body, "site") != site || hidden(page.body, "ip") != "127.0.0.1" {
		t.Fatalf("page for a guest of the site: %s", page.body)
	}
	r = e.form("/portal/"+inst+"/login", url.Values{"code": {code}, "site": {site}, "ip": {"127.0.0.1"}}, nil)
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
		if !strings.Contains(string(r.body), "open this page from the Wi-Fi") {
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
