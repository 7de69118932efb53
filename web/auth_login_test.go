package web_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

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

func TestLoginRateLimit(t *testing.T) {
	e := newEnv(t, "")
	pw := e.createAdmin("desk", app.RoleFrontdesk)
	other := e.createAdmin("night", app.RoleFrontdesk)
	for i := 0; i < 10; i++ {
		if r := e.login("desk", "guess-"+string(rune('a'+i))); r.status != http.StatusUnauthorized {
			t.Fatalf("guess %d: %d", i, r.status)
		}
	}
	// The account is now locked for a while, even with the right password.
	r := e.login("desk", pw)
	if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") == "" {
		t.Fatalf("11th attempt: %d %v", r.status, r.header)
	}
	// Another account from the same address still signs in...
	e.session("night", other)
	// ...until the address has failed too often.
	for i := 0; i < 10; i++ {
		e.login("nobody-"+string(rune('a'+i)), "guess")
	}
	if r := e.login("night", other); r.status != http.StatusTooManyRequests {
		t.Fatalf("address over its limit: %d", r.status)
	}
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
// call: hand out and print coupons, read schedules and their links, see
// who is online, and its own session.
var frontdeskMay = map[string]bool{
	"GET /auth/me": true, "POST /auth/logout": true,
	"GET /captive/instances/{instanceId}/coupons":                                    true,
	"POST /captive/instances/{instanceId}/coupons":                                   true,
	"POST /captive/instances/{instanceId}/coupons/cards":                             true,
	"GET /captive/instances/{instanceId}/coupon-schedules":                           true,
	"GET /captive/instances/{instanceId}/coupon-schedules/{scheduleId}":              true,
	"GET /captive/instances/{instanceId}/coupon-schedules/{scheduleId}/generate_url": true,
	"GET /captive/instances/{instanceId}/coupon-schedules/{scheduleId}/runs":         true,
	"GET /captive/sites/{siteId}/users":                                              true,
}

// TestFrontdeskCannotReachAdminCalls signs in as a front-desk clerk and
// calls every authenticated operation of the API document: all but
// frontdeskMay answer 403 and change nothing.
func TestFrontdeskCannotReachAdminCalls(t *testing.T) {
	e := newEnv(t, "")
	desk := e.session("desk", e.createAdmin("desk", app.RoleFrontdesk))
	inst := createInstance(t, e, map[string]any{"name": "Lobby", "strategy": "coupon", "session_ttl": 3600})["id"].(string)
	doc, err := openapi3.NewLoader().LoadFromData(web.OpenAPIDocument)
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
