package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"gatehouse/app"
	"gatehouse/web"
)

// login signs in and returns the response.
func (e *env) login(username, password string) response {
	e.t.Helper()
	return e.call(http.MethodPost, "/auth/login", "", map[string]any{"username": username, "password": password})
}

// session signs in and returns the bearer header value of the session.
func (e *env) session(username, password string) string {
	e.t.Helper()
	r := e.login(username, password)
	if r.status != http.StatusOK {
		e.t.Fatalf("sign in %s: %d %s", username, r.status, r.body)
	}
	return "Bearer " + r.object(e.t)["token"].(string)
}

func TestLoginAndLogout(t *testing.T) {
	e := newEnv(t, "")
	pw := e.createAdmin("Maria", app.RoleOperator)

	r := e.login("maria", pw) // user names match without regard to case
	if r.status != http.StatusOK {
		t.Fatalf("login: %d %s", r.status, r.body)
	}
	got := r.object(t)
	if got["username"] != "Maria" || got["role"] != "operator" {
		t.Fatalf("login answer = %v", got)
	}
	bearer := "Bearer " + got["token"].(string)
	me := e.call(http.MethodGet, "/auth/me", bearer, nil).object(t)
	if me["kind"] != "session" || me["role"] != "operator" || me["username"] != "Maria" {
		t.Fatalf("me = %v", me)
	}
	actions := me["actions"].([]any)
	if !slices.Contains(actions, any("coupons.create")) || slices.Contains(actions, any("tokens.manage")) {
		t.Fatalf("operator actions = %v", actions)
	}
	// The session works on the API like a token of its role, and it is
	// not listed among the API tokens.
	if r := e.call(http.MethodGet, "/captive/instances", bearer, nil); r.status != http.StatusOK {
		t.Fatalf("list instances with a session: %d %s", r.status, r.body)
	}
	var tokens []map[string]any
	e.admin(http.MethodGet, "/captive/tokens", nil).json(t, &tokens)
	for _, tok := range tokens {
		if tok["name"] == "Maria" {
			t.Fatalf("session listed among API tokens: %v", tok)
		}
	}

	if r := e.call(http.MethodPost, "/auth/logout", bearer, nil); r.status != http.StatusNoContent {
		t.Fatalf("logout: %d %s", r.status, r.body)
	}
	if r := e.call(http.MethodGet, "/auth/me", bearer, nil); r.status != http.StatusUnauthorized {
		t.Fatalf("me after logout: %d", r.status)
	}

	// Sign-ins are in the audit log, failed ones too, never with a password.
	e.login("Maria", "not-the-password")
	var events []map[string]any
	e.admin(http.MethodGet, "/captive/audit-events?actor=Maria", nil).json(t, &events)
	var statuses []float64
	for _, ev := range events {
		if ev["action"] == "POST /auth/login" {
			statuses = append(statuses, ev["status"].(float64))
		}
	}
	if !slices.Equal(statuses, []float64{401, 200}) {
		t.Fatalf("sign-in audit statuses (newest first) = %v in %v", statuses, events)
	}
}

func TestLoginRefusals(t *testing.T) {
	e := newEnv(t, "")
	pw := e.createAdmin("desk", app.RoleFrontdesk)
	cases := []struct {
		name   string
		body   any
		status int
		code   string
	}{
		{"wrong password", map[string]any{"username": "desk", "password": pw + "x"}, 401, "invalid_credentials"},
		{"unknown user", map[string]any{"username": "nobody", "password": pw}, 401, "invalid_credentials"},
		{"no user name", map[string]any{"password": pw}, 400, "parameter_missing"},
		{"no password", map[string]any{"username": "desk"}, 400, "parameter_missing"},
		{"unknown field", map[string]any{"username": "desk", "password": pw, "role": "admin"}, 400, "unknown_parameter"},
		{"not JSON", "username=desk", 400, "invalid_json"},
		{"huge user name", map[string]any{"username": strings.Repeat("a", 500), "password": pw}, 401, "invalid_credentials"},
	}
	for _, c := range cases {
		r := e.call(http.MethodPost, "/auth/login", "", c.body)
		if r.status != c.status || r.object(t)["code"] != c.code {
			t.Errorf("%s: %d %s, want %d %s", c.name, r.status, r.body, c.status, c.code)
		}
	}
	// The same words whether the account exists or not.
	a := e.login("desk", "wrong-password").object(t)["message"]
	b := e.login("nobody", "wrong-password").object(t)["message"]
	if a != b {
		t.Errorf("messages differ: %q vs %q", a, b)
	}
}

// TestLoginRateLimit: failures slow an address down (growing delays) for
// the account it guesses and then for every account, but never lock
// anyone out for longer than the delay.
func TestLoginRateLimit(t *testing.T) {
	e, clock := newLoginEnv(t, nil)
	pw := e.createAdmin("desk", app.RoleFrontdesk)
	other := e.createAdmin("night", app.RoleFrontdesk)
	for i := range 10 {
		wantStatus(t, e.login("desk", fmt.Sprintf("guess-%d", i)), http.StatusUnauthorized)
	}
	// The account is slowed down from this address, even with the right
	// password: a second now...
	r := e.login("desk", pw)
	if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") != "1" {
		t.Fatalf("11th attempt: %d Retry-After %q, want 429 and 1", r.status, r.header.Get("Retry-After"))
	}
	// ...and signs in once it has waited.
	clock.advance(time.Second)
	e.session("desk", pw)
	// Another account from the same address signs in at once...
	e.session("night", other)
	// ...until the address has failed too often for any account.
	for i := range 10 {
		wantStatus(t, e.login(fmt.Sprintf("nobody-%d", i), "guess"), http.StatusUnauthorized)
	}
	if r := e.login("night", other); r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") != "1" {
		t.Fatalf("address over its limit: %d Retry-After %q, want 429 and 1", r.status, r.header.Get("Retry-After"))
	}
	clock.advance(time.Second)
	e.session("night", other)
}

// TestLoginRateLimitParallel: guesses sent at the same time cannot slip
// past the account's limit while earlier ones are still being checked.
func TestLoginRateLimitParallel(t *testing.T) {
	e := newEnv(t, "")
	e.createAdmin("desk", app.RoleFrontdesk)
	var wg sync.WaitGroup
	var mu sync.Mutex
	statuses := map[int]int{}
	for i := range 40 {
		wg.Go(func() {
			body := fmt.Sprintf(`{"username":"desk","password":"guess-%d"}`, i)
			res, err := e.srv.Client().Post(e.srv.URL+"/auth/login", "application/json", strings.NewReader(body))
			if err != nil {
				t.Error(err)
				return
			}
			res.Body.Close()
			mu.Lock()
			statuses[res.StatusCode]++
			mu.Unlock()
		})
	}
	wg.Wait()
	if statuses[http.StatusUnauthorized] > 10 || statuses[http.StatusUnauthorized]+statuses[http.StatusTooManyRequests] != 40 {
		t.Fatalf("40 parallel guesses answered %v; want at most 10 checked (401), the rest 429", statuses)
	}
}

// TestLoginLockoutIsPerSource: someone guessing a clerk's password from
// one address (a guest on the same network) does not lock the clerk out
// at another.
func TestLoginLockoutIsPerSource(t *testing.T) {
	e := newEnv(t, "")
	pw := e.createAdmin("desk", app.RoleFrontdesk)
	for i := range 12 {
		e.login("desk", fmt.Sprintf("guess-%d", i))
	}
	if r := e.login("desk", pw); r.status != http.StatusTooManyRequests {
		t.Fatalf("guessing address: %d, want 429", r.status)
	}
	other := &http.Client{Transport: &http.Transport{DialContext: (&net.Dialer{
		LocalAddr: &net.TCPAddr{IP: net.ParseIP("127.0.0.2")}}).DialContext}}
	res, err := other.Post(e.srv.URL+"/auth/login", "application/json",
		strings.NewReader(`{"username":"desk","password":"`+pw+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("the clerk at another address: %d, want 200", res.StatusCode)
	}
}

func TestPasswordChangeAndDeleteEndSessions(t *testing.T) {
	e := newEnv(t, "")
	pw := e.createAdmin("desk", app.RoleFrontdesk)
	first, second := e.session("desk", pw), e.session("desk", pw)
	hash, err := app.HashPassword("a-new-password-1")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.store.SetAdminPassword(context.Background(), "DESK", hash); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{first, second} {
		if r := e.call(http.MethodGet, "/auth/me", s, nil); r.status != http.StatusUnauthorized {
			t.Fatalf("session after password change: %d", r.status)
		}
	}
	if r := e.login("desk", pw); r.status != http.StatusUnauthorized {
		t.Fatalf("old password: %d", r.status)
	}
	third := e.session("desk", "a-new-password-1")
	if err := e.store.DeleteAdmin(context.Background(), "desk"); err != nil {
		t.Fatal(err)
	}
	if r := e.call(http.MethodGet, "/auth/me", third, nil); r.status != http.StatusUnauthorized {
		t.Fatalf("session after delete: %d", r.status)
	}
	if r := e.login("desk", "a-new-password-1"); r.status != http.StatusUnauthorized {
		t.Fatalf("deleted account signs in: %d", r.status)
	}
}

// frontdeskMay is every authenticated operation a front-desk session may
// call: hand out and print coupons and look after them (note, extend,
// revoke, free for a new device), read schedules and their links and the
// plans, run its own shift, see who is online and disconnect a guest, and
// its own session.
var frontdeskMay = map[string]bool{
	"GET /auth/me": true, "PUT /auth/me": true, "POST /auth/logout": true,
	"PUT /captive/instances/{instanceId}/coupons/{couponId}":                         true,
	"DELETE /captive/instances/{instanceId}/coupons/{couponId}":                      true,
	"POST /captive/instances/{instanceId}/coupon-actions/{couponId}/extend":          true,
	"POST /captive/instances/{instanceId}/coupon-actions/{couponId}/release":         true,
	"DELETE /captive/sites/{siteId}/users/{userId}":                                  true,
	"GET /captive/instances/{instanceId}/coupons":                                    true,
	"POST /captive/instances/{instanceId}/coupons":                                   true,
	"POST /captive/instances/{instanceId}/coupons/cards":                             true,
	"GET /captive/instances/{instanceId}/coupon-schedules":                           true,
	"GET /captive/instances/{instanceId}/coupon-schedules/{scheduleId}":              true,
	"GET /captive/instances/{instanceId}/coupon-schedules/{scheduleId}/generate_url": true,
	"GET /captive/instances/{instanceId}/coupon-schedules/{scheduleId}/runs":         true,
	"GET /captive/sites/{siteId}/users":                                              true,
	"GET /captive/plans":                                                             true,
	"GET /captive/plans/{planId}":                                                    true,
	"GET /captive/shifts":                                                            true,
	"POST /captive/shifts":                                                           true,
	"GET /captive/shifts/{shiftId}":                                                  true,
	"POST /captive/shifts/{shiftId}/close":                                           true,
}

// TestFrontdeskCannotReachAdminCalls signs in as a front-desk clerk and
// calls every authenticated operation of the API document: all but
// frontdeskMay answer 403 and change nothing.
func TestFrontdeskCannotReachAdminCalls(t *testing.T) {
	e := newEnv(t, "")
	desk := e.session("desk", e.createAdmin("desk", app.RoleFrontdesk))
	inst := createInstance(t, e, map[string]any{"name": "Lobby", "strategy": "coupon", "session_ttl": 3600})["id"].(string)
	doc, err := openapi3.NewLoader().LoadFromData(web.OpenAPIDocument())
	if err != nil {
		t.Fatal(err)
	}
	// The stored instances, without their signed links (which carry a
	// fresh expiry on every read).
	unsigned := regexp.MustCompile(`\?expires=[^"]*`)
	instances := func() string {
		return unsigned.ReplaceAllString(string(e.admin(http.MethodGet, "/captive/instances", nil).body), "")
	}
	before := instances()
	ids := regexp.MustCompile(`\{(\w+)\}`)
	checked := 0
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if (op.Security != nil && len(*op.Security) == 0) || path == "/auth/logout" {
				continue // public, or would end the session under test
			}
			concrete := ids.ReplaceAllStringFunc(path, func(p string) string {
				if p == "{instanceId}" {
					return inst
				}
				if p == "{type}" {
					return "logo"
				}
				return "0190c0de-0000-7000-8000-000000000000"
			})
			r := e.call(method, concrete, desk, "{}")
			key := method + " " + path
			if frontdeskMay[key] {
				if r.status == http.StatusForbidden || r.status == http.StatusUnauthorized {
					t.Errorf("%s: %d, want it allowed for frontdesk", key, r.status)
				}
			} else if r.status != http.StatusForbidden {
				t.Errorf("%s: %d %s, want 403", key, r.status, r.body)
			}
			checked++
		}
	}
	if after := instances(); after != before {
		t.Errorf("instances changed by frontdesk calls:\n%s\n%s", before, after)
	}
	t.Logf("%d operations checked", checked)
}

// stepClock is a server clock that stands still until a test moves it.
type stepClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *stepClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *stepClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// newLoginEnv replaces the harness's server by one whose clock stands at
// the start of a minute until the test moves it, over store (nil: the
// harness's store).
func newLoginEnv(t *testing.T, store web.Store) (*env, *stepClock) {
	t.Helper()
	e := newEnv(t, "")
	if store == nil {
		store = e.store
	}
	clock := &stepClock{now: time.Now().UTC().Truncate(time.Minute)}
	s, err := web.New(web.Config{BaseURL: "http://gatehouse.test", TokenKey: e.keys[0], LinkKey: e.keys[1], Version: "test", Now: clock.Now},
		web.Deps{Store: store, Routers: e.reconciler, Runner: e.scheduler},
		slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatalf("web.New: %v", err)
	}
	e.srv.Close()
	e.srv = httptest.NewServer(s.Handler()) // closed by the harness's cleanup
	return e, clock
}

// loginFrom signs in from the client address ip: over a real connection
// from that address for an IPv4 loopback address (all of 127.0.0.0/8 is
// local), and for others (IPv6 beyond ::1) through the server's handler
// with the request's RemoteAddr set to it.
func (e *env) loginFrom(ip, username, password string) response {
	e.t.Helper()
	body := fmt.Sprintf(`{"username":%q,"password":%q}`, username, password)
	var r response
	if a := net.ParseIP(ip); a.To4() != nil && a.IsLoopback() {
		client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true,
			DialContext: (&net.Dialer{LocalAddr: &net.TCPAddr{IP: a}}).DialContext}}
		res, err := client.Post(e.srv.URL+"/auth/login", "application/json", strings.NewReader(body))
		if err != nil {
			e.t.Fatalf("sign in from %s: %v", ip, err)
		}
		defer res.Body.Close()
		data, err := io.ReadAll(res.Body)
		if err != nil {
			e.t.Fatal(err)
		}
		r = response{status: res.StatusCode, header: res.Header, body: data}
	} else {
		req := httptest.NewRequest(http.MethodPost, "/auth/login", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.RemoteAddr = net.JoinHostPort(ip, "40000")
		rec := httptest.NewRecorder()
		e.srv.Config.Handler.ServeHTTP(rec, req)
		r = response{status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}
	}
	checkContract(e.t, http.MethodPost, "/auth/login", r)
	return r
}

// signInTallies returns the audit events of failed sign-ins, newest first.
func (e *env) signInTallies() []map[string]any {
	e.t.Helper()
	var events, out []map[string]any
	e.admin(http.MethodGet, "/captive/audit-events?limit=1000", nil).json(e.t, &events)
	for _, ev := range events {
		if ev["action"] == "POST /auth/login" && ev["status"] == float64(http.StatusUnauthorized) {
			out = append(out, ev)
		}
	}
	return out
}

// TestLoginGuessesFromManyAddresses: ten wrong passwords from each of five
// addresses do not lock the clerk out: from an address that has not
// failed, the right password signs in at once.
func TestLoginGuessesFromManyAddresses(t *testing.T) {
	e, _ := newLoginEnv(t, nil)
	pw := e.createAdmin("desk", app.RoleFrontdesk)
	for a := 2; a <= 6; a++ {
		for i := range 10 {
			r := e.loginFrom(fmt.Sprintf("127.0.0.%d", a), "desk", fmt.Sprintf("guess-%d", i))
			if r.status != http.StatusUnauthorized && r.status != http.StatusTooManyRequests {
				t.Fatalf("guess %d from 127.0.0.%d: %d %s", i, a, r.status, r.body)
			}
		}
	}
	if r := e.loginFrom("127.0.0.10", "desk", pw); r.status != http.StatusOK {
		t.Fatalf("the clerk at a fresh address: %d %s, want 200", r.status, r.body)
	}
	// A guesser that keeps going from the failing addresses is slowed to
	// the account-wide delays.
	r := e.loginFrom("127.0.0.2", "desk", "guess-x")
	if r.status != http.StatusTooManyRequests {
		t.Fatalf("another guess from a failing address: %d, want 429", r.status)
	}
}

// TestLoginSharedAddress: twenty failures from an address guests share
// (a NAT) slow that address down but lock no one out: another account's
// owner signs in at once from elsewhere, and from the shared address
// after a delay of seconds, not a quarter of an hour.
func TestLoginSharedAddress(t *testing.T) {
	e, clock := newLoginEnv(t, nil)
	e.createAdmin("desk", app.RoleFrontdesk)
	night := e.createAdmin("night", app.RoleFrontdesk)
	for i := range 20 {
		wantStatus(t, e.loginFrom("127.0.0.2", fmt.Sprintf("user-%d", i%3), "guess"), http.StatusUnauthorized)
	}
	if r := e.loginFrom("127.0.0.3", "night", night); r.status != http.StatusOK {
		t.Fatalf("night from another address: %d %s, want 200", r.status, r.body)
	}
	r := e.loginFrom("127.0.0.2", "night", night)
	wait, _ := strconv.Atoi(r.header.Get("Retry-After"))
	if r.status != http.StatusTooManyRequests || wait < 1 || wait > 60 {
		t.Fatalf("night from the shared address: %d Retry-After %q, want 429 and at most a minute", r.status, r.header.Get("Retry-After"))
	}
	clock.advance(time.Duration(wait) * time.Second)
	wantStatus(t, e.loginFrom("127.0.0.2", "night", night), http.StatusOK)
}

// TestLoginDelaysGrow: a guesser past the limits waits longer after every
// further failure, up to a minute; the owner elsewhere is not slowed.
func TestLoginDelaysGrow(t *testing.T) {
	e, clock := newLoginEnv(t, nil)
	pw := e.createAdmin("desk", app.RoleFrontdesk)
	for i := range 10 {
		wantStatus(t, e.loginFrom("127.0.0.2", "desk", fmt.Sprintf("guess-%d", i)), http.StatusUnauthorized)
	}
	var waits []int
	for i := range 8 {
		r := e.loginFrom("127.0.0.2", "desk", "guess")
		wait, _ := strconv.Atoi(r.header.Get("Retry-After"))
		if r.status != http.StatusTooManyRequests {
			t.Fatalf("guess %d past the limit: %d, want 429", i, r.status)
		}
		waits = append(waits, wait)
		clock.advance(time.Duration(wait-1)*time.Second + 500*time.Millisecond)
		if r := e.loginFrom("127.0.0.2", "desk", "guess"); r.status != http.StatusTooManyRequests {
			t.Fatalf("guess %d before Retry-After is over: %d, want 429", i, r.status)
		}
		clock.advance(500 * time.Millisecond)
		wantStatus(t, e.loginFrom("127.0.0.2", "desk", "guess"), http.StatusUnauthorized)
	}
	if want := []int{1, 2, 4, 8, 16, 32, 60, 60}; !slices.Equal(waits, want) {
		t.Errorf("Retry-After of successive guesses: got %v, want %v", waits, want)
	}
	wantStatus(t, e.loginFrom("127.0.0.3", "desk", pw), http.StatusOK)
}

// TestLoginIPv6CountsBySlash64: addresses of one /64 (one subscriber's
// network) are one source; another /64 is not slowed by it.
func TestLoginIPv6CountsBySlash64(t *testing.T) {
	e, _ := newLoginEnv(t, nil)
	pw := e.createAdmin("desk", app.RoleFrontdesk)
	for i := 1; i <= 10; i++ {
		wantStatus(t, e.loginFrom(fmt.Sprintf("2001:db8:1:2::%x", i), "desk", "guess"), http.StatusUnauthorized)
	}
	if r := e.loginFrom("2001:db8:1:2:ffff:ffff:ffff:fffe", "desk", pw); r.status != http.StatusTooManyRequests {
		t.Fatalf("11th attempt from the same /64: %d, want 429", r.status)
	}
	wantStatus(t, e.loginFrom("2001:db8:1:3::1", "desk", pw), http.StatusOK)
	tallies := e.signInTallies()
	if len(tallies) != 1 || tallies[0]["remote_addr"] != "2001:db8:1:2::/64" || tallies[0]["count"] != float64(11) {
		t.Fatalf("failed sign-in events: %v, want one for 2001:db8:1:2::/64 counting 11", tallies)
	}
}

// TestLoginFailuresTallied: a thousand failed sign-ins from one address
// in one minute make one audit event counting them, which names the
// attacked account only because it exists: the other user names (chosen
// by the attacker) are stored nowhere.
func TestLoginFailuresTallied(t *testing.T) {
	e, clock := newLoginEnv(t, nil)
	e.createAdmin("desk", app.RoleFrontdesk)
	wantStatus(t, e.login("desk", "guess"), http.StatusUnauthorized)
	for i := 1; i < 1000; i++ {
		r := e.login(fmt.Sprintf("=cmd|evil-%d", i), "guess")
		if r.status != http.StatusUnauthorized && r.status != http.StatusTooManyRequests {
			t.Fatalf("guess %d: %d %s", i, r.status, r.body)
		}
	}
	tallies := e.signInTallies()
	if len(tallies) != 1 || tallies[0]["count"] != float64(1000) || tallies[0]["remote_addr"] != "127.0.0.1" ||
		tallies[0]["actor_name"] != "desk" {
		t.Fatalf("failed sign-in events: %d, newest %v; want one from 127.0.0.1 counting 1000 naming desk", len(tallies), tallies[:min(len(tallies), 1)])
	}
	// The next minute starts a new event.
	clock.advance(time.Minute)
	e.login("desk", "guess")
	if tallies := e.signInTallies(); len(tallies) != 2 || tallies[0]["count"] != float64(1) {
		t.Fatalf("failed sign-in events a minute later: %v, want a new one counting 1", tallies)
	}
	var list []map[string]any
	e.admin(http.MethodGet, "/captive/audit-events?limit=1000", nil).json(t, &list)
	if dump := fmt.Sprint(list); strings.Contains(dump, "evil") {
		t.Errorf("the audit log holds an attacker's user name: %s", dump)
	}
}

// gatedAdmins is the real store whose credential look-ups wait for the
// gate to open, so that a test can hold the hashing slots busy.
type gatedAdmins struct {
	web.Store
	entered chan struct{}
	gate    chan struct{}
}

func (g gatedAdmins) AdminCredentials(ctx context.Context, username string) (app.Admin, string, error) {
	g.entered <- struct{}{}
	<-g.gate
	return g.Store.AdminCredentials(ctx, username)
}

// TestLoginHashingQueueIsBounded: while every hashing slot is busy and
// the queue behind them is full, further sign-ins are refused at once with
// 503 and Retry-After instead of waiting in an unbounded line; the queued
// ones finish when the slots free up.
func TestLoginHashingQueueIsBounded(t *testing.T) {
	g := gatedAdmins{entered: make(chan struct{}, 100), gate: make(chan struct{})}
	e, _ := newLoginEnv(t, &g)
	g.Store = e.store
	var once sync.Once
	open := func() { once.Do(func() { close(g.gate) }) }
	t.Cleanup(open)
	results := make(chan response, 50)
	send := func(from, n int) {
		for i := range n {
			go func() { results <- e.loginFrom(fmt.Sprintf("127.0.1.%d", from+i), "desk", "guess") }()
		}
	}
	send(1, 4) // they take the 4 hashing slots
	for range 4 {
		select {
		case <-g.entered:
		case <-time.After(10 * time.Second):
			t.Fatal("the first sign-ins did not reach the store")
		}
	}
	send(10, 40) // 16 wait for a slot; 24 find the queue full
	for i := range 24 {
		select {
		case r := <-results:
			if r.status != http.StatusServiceUnavailable || r.header.Get("Retry-After") == "" {
				t.Fatalf("sign-in %d beyond the queue: %d Retry-After %q, want 503 with Retry-After", i, r.status, r.header.Get("Retry-After"))
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("only %d sign-ins refused beyond the queue, want 24", i)
		}
	}
	open()
	for range 20 {
		if r := <-results; r.status != http.StatusUnauthorized {
			t.Fatalf("queued sign-in: %d %s, want 401", r.status, r.body)
		}
	}
}

// An account keeps its admin page language across sign-ins; an API token
// has no account to keep one.
func TestAccountLanguage(t *testing.T) {
	e := newEnv(t, "")
	pw := e.createAdmin("lena", app.RoleFrontdesk)
	s := e.session("lena", pw)
	if me := e.call(http.MethodGet, "/auth/me", s, nil).object(t); me["lang"] != "" {
		t.Fatalf("a new account's lang = %v, want empty", me["lang"])
	}
	r := e.call(http.MethodPut, "/auth/me", s, map[string]any{"lang": "de"})
	wantStatus(t, r, http.StatusOK)
	if r.object(t)["lang"] != "de" {
		t.Fatalf("PUT /auth/me = %s", r.body)
	}
	again := e.session("lena", pw)
	if me := e.call(http.MethodGet, "/auth/me", again, nil).object(t); me["lang"] != "de" {
		t.Errorf("after a new sign-in lang = %v, want de", me["lang"])
	}
	wantError(t, e.call(http.MethodPut, "/auth/me", s, map[string]any{"lang": "xx"}), http.StatusBadRequest, "parameter_invalid", "lang")
	wantError(t, e.call(http.MethodPut, "/auth/me", s, map[string]any{}), http.StatusBadRequest, "parameter_missing", "lang")
	wantError(t, e.admin(http.MethodPut, "/auth/me", map[string]any{"lang": "fr"}), http.StatusBadRequest, "parameter_invalid", "lang")
	wantStatus(t, e.call(http.MethodPut, "/auth/me", s, map[string]any{"lang": ""}), http.StatusOK)
	if me := e.call(http.MethodGet, "/auth/me", s, nil).object(t); me["lang"] != "" {
		t.Errorf("after clearing lang = %v", me["lang"])
	}
}
