package web_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"gatehouse/app"
	"gatehouse/db"
	"gatehouse/routeros"
	"gatehouse/scheduler"
	"gatehouse/web"
)

// contract is the parsed web/openapi.yaml with a router for matching
// requests to operations; built once for all tests.
var contract = sync.OnceValues(func() (routers.Router, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(web.OpenAPIDocument())
	if err != nil {
		return nil, err
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, err
	}
	return gorillamux.NewRouter(doc)
})

func init() {
	// Printable pages are checked for their status and content type only.
	openapi3filter.RegisterBodyDecoder("text/html", func(body io.Reader, _ http.Header, _ *openapi3.SchemaRef, _ openapi3filter.EncodingFn) (any, error) {
		b, err := io.ReadAll(body)
		return string(b), err
	})
}

// env is a fully wired gatehouse HTTP server over a real SQLite store in a
// temporary directory, with one token per role.
type env struct {
	t     testing.TB
	dir   string
	store *db.DB
	srv   *httptest.Server
	// scheduler runs "run now" and follows schedule edits; its timers are
	// not started, so nothing runs on its own during a test.
	scheduler *scheduler.Scheduler
	// reconciler pushes to routers; test sites point at loopback only.
	reconciler *scheduler.Reconciler
	tokens     map[app.Role]string
	keys       [2][]byte
	cleanup    func()
}

// newEnv starts the server; dir may be "" for a fresh temporary directory.
func newEnv(t testing.TB, dir string) *env {
	t.Helper()
	return newEnvConfig(t, dir, nil)
}

// newEnvConfig is newEnv with the server's configuration changed by
// configure (when not nil) before it starts.
func newEnvConfig(t testing.TB, dir string, configure func(*web.Config)) *env {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	ctx := context.Background()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	store, err := db.Open(ctx, dir, logger)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	e := &env{t: t, dir: dir, store: store, tokens: map[app.Role]string{}}
	e.scheduler = scheduler.New(store, nil, scheduler.Config{}, logger)
	e.reconciler = scheduler.NewReconciler(store, func(site app.Site) scheduler.Router {
		return routeros.NewRouter(site, routeros.Config{CommandTimeout: time.Second, DialTimeout: time.Second,
			RetryMin: 10 * time.Millisecond, RetryMax: 100 * time.Millisecond})
	}, scheduler.ReconcilerConfig{Interval: time.Hour}, logger)
	if err := e.reconciler.Start(ctx); err != nil {
		t.Fatal(err)
	}
	for i, name := range []string{"jwt-hs256", "link-hmac"} {
		if e.keys[i], err = store.Key(ctx, name, 32); err != nil {
			t.Fatalf("key %s: %v", name, err)
		}
	}
	cfg := web.Config{BaseURL: "http://gatehouse.test", TokenKey: e.keys[0], LinkKey: e.keys[1], Version: "test"}
	if configure != nil {
		configure(&cfg)
	}
	s, err := web.New(cfg,
		web.Deps{Store: store, Routers: e.reconciler, Runner: e.scheduler}, logger)
	if err != nil {
		t.Fatalf("web.New: %v", err)
	}
	e.srv = httptest.NewServer(s.Handler())
	for _, role := range app.Roles {
		e.tokens[role] = e.newToken(role, time.Hour)
	}
	e.cleanup = func() {
		e.srv.Close()
		e.reconciler.Close(context.Background())
		store.Close()
	}
	t.Cleanup(func() {
		if e.cleanup != nil {
			e.cleanup()
		}
	})
	return e
}

// restart closes the server and the store and opens both again on the
// same directory.
func (e *env) restart() *env {
	e.t.Helper()
	e.cleanup()
	e.cleanup = nil
	return newEnv(e.t, e.dir)
}

// createAdmin creates an admin account with the given role and returns its
// (random) password.
func (e *env) createAdmin(username string, role app.Role) string {
	e.t.Helper()
	password := "pw-" + rand.Text()
	hash, err := app.HashPassword(password)
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.store.CreateAdmin(context.Background(), username, role, hash); err != nil {
		e.t.Fatalf("create admin %s: %v", username, err)
	}
	return password
}

// newToken creates a token record and returns its bearer string.
func (e *env) newToken(role app.Role, ttl time.Duration) string {
	e.t.Helper()
	rec, err := e.store.CreateToken(context.Background(), "test-"+string(role), role, ttl)
	if err != nil {
		e.t.Fatalf("create token: %v", err)
	}
	bearer, err := web.SignToken(e.keys[0], rec)
	if err != nil {
		e.t.Fatalf("sign token: %v", err)
	}
	return bearer
}

// response is a decoded answer.
type response struct {
	status int
	header http.Header
	body   []byte
}

// json decodes the body into v, failing the test on error.
func (r response) json(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

// object decodes the body as a JSON object.
func (r response) object(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	r.json(t, &m)
	return m
}

// call sends a request with the given Authorization header value (raw, may
// be "") and body (a string is sent verbatim, anything else as JSON), and
// checks the response against the OpenAPI document.
func (e *env) call(method, path, auth string, body any) response {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			e.t.Fatalf("marshal: %v", err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	if err != nil {
		e.t.Fatalf("request: %v", err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return e.send(req)
}

// send sends a request to the server without following redirects (a
// redirect is the answer under test, and a hand-off's target is no test
// host to visit), reads the answer and checks it against the OpenAPI
// document.
func (e *env) send(req *http.Request) response {
	e.t.Helper()
	client := *e.srv.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	res, err := client.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatalf("read body: %v", err)
	}
	r := response{status: res.StatusCode, header: res.Header, body: data}
	checkContract(e.t, req.Method, req.URL.RequestURI(), r)
	return r
}

// form posts an HTML form as a browser would (no token), with extra
// headers, and checks the response against the OpenAPI document.
func (e *env) form(path string, values url.Values, header http.Header) response {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.srv.URL+path, strings.NewReader(values.Encode()))
	if err != nil {
		e.t.Fatalf("request: %v", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range header {
		req.Header[k] = v
	}
	return e.send(req)
}

// as calls with the bearer token of role.
func (e *env) as(role app.Role, method, path string, body any) response {
	e.t.Helper()
	return e.call(method, path, "Bearer "+e.tokens[role], body)
}

// admin calls as admin.
func (e *env) admin(method, path string, body any) response {
	e.t.Helper()
	return e.as(app.RoleAdmin, method, path, body)
}

// checkContract validates a response against web/openapi.yaml: status
// documented, body matching the schema, and errors in the Error shape.
func checkContract(t testing.TB, method, path string, r response) {
	t.Helper()
	router, err := contract()
	if err != nil {
		t.Fatalf("load openapi.yaml: %v", err)
	}
	req, _ := http.NewRequest(method, "http://127.0.0.1:8080"+path, nil)
	route, params, err := router.FindRoute(req)
	if err != nil {
		if r.status == http.StatusNotFound || r.status == http.StatusMethodNotAllowed {
			checkErrorShape(t, r)
			return // an undocumented path correctly refused
		}
		t.Fatalf("%s %s is not in openapi.yaml but answered %d", method, path, r.status)
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 r.status,
		Header:                 r.header,
		Body:                   io.NopCloser(bytes.NewReader(r.body)),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		t.Fatalf("%s %s → %d does not match the contract: %v\nbody: %s", method, path, r.status, err, r.body)
	}
	if r.status >= 400 && strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
		checkErrorShape(t, r)
	}
}

// checkErrorShape asserts an error response has type, code and message.
func checkErrorShape(t testing.TB, r response) {
	t.Helper()
	var e struct{ Type, Code, Message string }
	if err := json.Unmarshal(r.body, &e); err != nil || e.Type == "" || e.Code == "" || e.Message == "" {
		t.Fatalf("status %d body %s is not an Error with type, code and message", r.status, r.body)
	}
}

// wantStatus fails unless r has the status want.
func wantStatus(t testing.TB, r response, want int) {
	t.Helper()
	if r.status != want {
		t.Fatalf("status = %d, want %d; body %s", r.status, want, r.body)
	}
}

// wantError fails unless r is an error with the status, code and (when
// not "") param.
func wantError(t testing.TB, r response, status int, code, param string) {
	t.Helper()
	wantStatus(t, r, status)
	var e struct {
		Code  string
		Param *string
	}
	r.json(t, &e)
	if e.Code != code {
		t.Fatalf("code = %q, want %q; body %s", e.Code, code, r.body)
	}
	if param != "" && (e.Param == nil || *e.Param != param) {
		t.Fatalf("param = %v, want %q; body %s", e.Param, param, r.body)
	}
}

// hotspotSite gives an instance a site whose router reported its hotspot
// login page on 10.5.50.1, as a reconcile pass records it. The site is
// stored directly, so no reconciler worker runs for it.
func (e *env) hotspotSite(inst string) string {
	e.t.Helper()
	site, err := e.store.CreateSite(e.t.Context(), app.Site{Name: "Lobby router", Host: "192.0.2.1", Username: "api"})
	if err != nil {
		e.t.Fatal(err)
	}
	if err := e.store.SetSiteStatus(e.t.Context(), site.ID, app.SiteStatus{State: app.SiteOnline, HotspotHosts: []string{"10.5.50.1"}}); err != nil {
		e.t.Fatal(err)
	}
	r := e.admin(http.MethodPut, "/captive/instances/"+inst, map[string]any{"sites": []any{map[string]any{"id": site.ID}}})
	if r.status != http.StatusOK {
		e.t.Fatalf("add site to instance: %d %s", r.status, r.body)
	}
	return site.ID
}
