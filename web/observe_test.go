package web_test

import (
	"database/sql"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/VictoriaMetrics/metrics"

	"gatehouse/app"
	"gatehouse/db"
	"gatehouse/internal/exposition"
	"gatehouse/scheduler"
	"gatehouse/web"
)

// newObservedEnv is the harness with the server wired for operations as
// main wires it: the store as the readiness check, and one registry that
// holds the HTTP metrics and the scheduler's, served at /metrics.
func newObservedEnv(t *testing.T, allowRemote bool) *env {
	t.Helper()
	e := newEnv(t, "")
	reg := metrics.NewSet()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	if _, err := scheduler.NewMetrics(reg, e.store, logger); err != nil {
		t.Fatal(err)
	}
	s, err := web.New(web.Config{BaseURL: "http://gatehouse.test", TokenKey: e.keys[0], LinkKey: e.keys[1], Version: "test",
		MetricsAllowRemote: allowRemote},
		web.Deps{Store: e.store, Routers: e.reconciler, Runner: e.scheduler, Metrics: reg}, logger)
	if err != nil {
		t.Fatalf("web.New: %v", err)
	}
	e.srv.Close()
	e.srv = httptest.NewServer(s.Handler())
	return e
}

// readiness is the decoded body of /readyz.
type readiness struct {
	Status  string            `json:"status"`
	Checks  map[string]string `json:"checks"`
	Routers []struct {
		SiteID    string  `json:"site_id"`
		Name      string  `json:"name"`
		State     string  `json:"state"`
		LastError *string `json:"last_error"`
	} `json:"routers"`
}

// readyz asks for readiness without a token, as a probe does.
func (e *env) readyz() (response, readiness) {
	e.t.Helper()
	return e.readyzAs("")
}

// readyzAs asks for readiness with the given Authorization header value.
func (e *env) readyzAs(auth string) (response, readiness) {
	e.t.Helper()
	r := e.call(http.MethodGet, "/readyz", auth, nil)
	var body readiness
	r.json(e.t, &body)
	return r, body
}

// deadPort is a loopback port nothing listens on.
func deadPort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	return port
}

func TestLivez(t *testing.T) {
	e := newObservedEnv(t, false)
	r := e.call(http.MethodGet, "/livez", "", nil)
	wantStatus(t, r, http.StatusOK)
	if got := r.object(t); got["status"] != "ok" || got["version"] != "test" {
		t.Fatalf("body = %v, want status ok and version test", got)
	}
}

// TestReadyzListsRoutersWithoutFailing: a site whose router is down is
// reported offline with its error to a caller who may read sites, and
// gatehouse is still ready.
func TestReadyzListsRoutersWithoutFailing(t *testing.T) {
	e := newObservedEnv(t, false)
	admin := "Bearer " + e.tokens[app.RoleAdmin]
	r, body := e.readyzAs(admin)
	wantStatus(t, r, http.StatusOK)
	if body.Status != "ok" || body.Checks["database"] != "ok" || body.Routers == nil || len(body.Routers) != 0 {
		t.Fatalf("readyz with no sites = %s, want ok and an empty router list", r.body)
	}
	created := e.admin(http.MethodPost, "/captive/sites", map[string]any{"name": "Lobby", "host": "127.0.0.1",
		"port": deadPort(t), "username": "api", "password": "x"})
	wantStatus(t, created, http.StatusCreated)
	siteID, _ := created.object(t)["id"].(string)
	deadline := time.Now().Add(10 * time.Second)
	for {
		r, body = e.readyzAs(admin)
		wantStatus(t, r, http.StatusOK)
		if len(body.Routers) == 1 && body.Routers[0].State == app.SiteOffline {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("readyz never showed the router offline: %s", r.body)
		}
		time.Sleep(20 * time.Millisecond)
	}
	got := body.Routers[0]
	if body.Status != "ok" || got.SiteID != siteID || got.Name != "Lobby" || got.LastError == nil || *got.LastError == "" {
		t.Fatalf("readyz with a router down = %s, want ok with the site offline and its error", r.body)
	}
}

// TestReadyzHidesRoutersFromThePublic: the finding was that anyone could
// read every site's id, name and last error (which names the router's
// address) from /readyz. Without a token, with a bad one or with a role
// that may not read sites, the answer is the overall state only; a role
// that may read sites still gets the details.
func TestReadyzHidesRoutersFromThePublic(t *testing.T) {
	e := newObservedEnv(t, false)
	port := deadPort(t)
	created := e.admin(http.MethodPost, "/captive/sites", map[string]any{"name": "Secret Lobby", "host": "127.0.0.1",
		"port": port, "username": "api", "password": "x"})
	wantStatus(t, created, http.StatusCreated)
	siteID, _ := created.object(t)["id"].(string)
	// Wait until the reconciler has recorded the router's error, so that
	// there is something to leak.
	deadline := time.Now().Add(10 * time.Second)
	for {
		r, body := e.readyzAs("Bearer " + e.tokens[app.RoleOperator])
		wantStatus(t, r, http.StatusOK)
		if len(body.Routers) == 1 && body.Routers[0].SiteID == siteID && body.Routers[0].LastError != nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("readyz for an operator never showed the router's error: %s", r.body)
		}
		time.Sleep(20 * time.Millisecond)
	}
	for name, auth := range map[string]string{
		"no token":        "",
		"bad token":       "Bearer not-a-token",
		"frontdesk token": "Bearer " + e.tokens[app.RoleFrontdesk],
	} {
		r, body := e.readyzAs(auth)
		wantStatus(t, r, http.StatusOK)
		if body.Status != "ok" {
			t.Errorf("%s: status = %q, want ok", name, body.Status)
		}
		for _, secret := range []string{siteID, "Secret Lobby", "127.0.0.1", strconv.Itoa(port), "routers"} {
			if strings.Contains(string(r.body), secret) {
				t.Errorf("%s: readyz = %s, holds %q", name, r.body, secret)
			}
		}
	}
}

func TestReadyzWhenTheDatabaseIsClosed(t *testing.T) {
	e := newObservedEnv(t, false)
	e.reconciler.Close(t.Context()) // nothing else may use the store
	if err := e.store.Close(); err != nil {
		t.Fatal(err)
	}
	r, body := e.readyz()
	wantStatus(t, r, http.StatusServiceUnavailable)
	if body.Status != "unavailable" || body.Checks["database"] != "database is not writable" {
		t.Fatalf("readyz with the store closed = %s", r.body)
	}
	// Liveness checks nothing: the process still serves.
	wantStatus(t, e.call(http.MethodGet, "/livez", "", nil), http.StatusOK)
}

// otherProcess opens the environment's database as another gatehouse
// process would.
func otherProcess(t *testing.T, e *env) *sql.DB {
	t.Helper()
	other, err := sql.Open("sqlite", filepath.Join(e.dir, "gatehouse.db")+"?_pragma=busy_timeout(10000)&_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	return other
}

// TestReadyzWhenTheSchemaDiffers: another process (a newer gatehouse)
// moved the schema on; this binary must not take traffic.
func TestReadyzWhenTheSchemaDiffers(t *testing.T) {
	e := newObservedEnv(t, false)
	other := otherProcess(t, e)
	if _, err := other.ExecContext(t.Context(), "PRAGMA user_version = "+strconv.Itoa(db.SchemaVersion()+1)); err != nil {
		t.Fatal(err)
	}
	r, body := e.readyz()
	wantStatus(t, r, http.StatusServiceUnavailable)
	if body.Status != "unavailable" || !strings.Contains(body.Checks["database"], "schema version") {
		t.Fatalf("readyz with a newer schema = %s", r.body)
	}
	if _, err := other.ExecContext(t.Context(), "PRAGMA user_version = "+strconv.Itoa(db.SchemaVersion())); err != nil {
		t.Fatal(err)
	}
	r, _ = e.readyz()
	wantStatus(t, r, http.StatusOK)
}

// TestReadyzWhenTheDatabaseIsNotWritable: another process holds the
// write lock; the probe answers 503 within its deadline instead of
// hanging, and 200 once the lock is gone.
func TestReadyzWhenTheDatabaseIsNotWritable(t *testing.T) {
	e := newObservedEnv(t, false)
	e.reconciler.Close(t.Context()) // its passes would queue behind the lock too
	lock, err := otherProcess(t, e).BeginTx(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	r, body := e.readyz()
	wantStatus(t, r, http.StatusServiceUnavailable)
	if body.Checks["database"] != "database is not writable" {
		t.Fatalf("readyz with the write lock taken = %s", r.body)
	}
	if d := time.Since(start); d > 8*time.Second {
		t.Fatalf("readyz took %s", d)
	}
	if err := lock.Rollback(); err != nil {
		t.Fatal(err)
	}
	r, _ = e.readyz()
	wantStatus(t, r, http.StatusOK)
}

// TestMetricsFromLoopback: the exposition.Exposition counts requests by route
// pattern (never the raw path) and status, and holds the scheduler's
// figures from the same registry.
func TestMetricsFromLoopback(t *testing.T) {
	e := newObservedEnv(t, false)
	for range 3 {
		wantStatus(t, e.admin(http.MethodGet, "/captive/sites", nil), http.StatusOK)
	}
	for _, id := range []string{"0190b2a4-0000-7000-8000-000000000001", "0190b2a4-0000-7000-8000-000000000002"} {
		wantStatus(t, e.admin(http.MethodGet, "/captive/sites/"+id, nil), http.StatusNotFound)
	}
	wantStatus(t, e.call(http.MethodPost, "/livez", "", nil), http.StatusMethodNotAllowed)
	wantStatus(t, e.call(http.MethodGet, "/no/such/thing", "", nil), http.StatusNotFound)
	created := e.admin(http.MethodPost, "/captive/sites", map[string]any{"name": "Lobby", "host": "127.0.0.1",
		"port": deadPort(t), "username": "api", "password": "x"})
	wantStatus(t, created, http.StatusCreated)
	siteID, _ := created.object(t)["id"].(string)

	r := e.call(http.MethodGet, "/metrics", "", nil)
	wantStatus(t, r, http.StatusOK)
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Fatalf("Content-Type = %q, want text/plain", ct)
	}
	got := parseMetrics(t, r)
	for key, want := range map[string]float64{
		`gatehouse_http_requests_total{code="200",method="GET",route="/captive/sites"}`:              3,
		`gatehouse_http_requests_total{code="404",method="GET",route="/captive/sites/:siteId"}`:      2,
		`gatehouse_http_requests_total{code="405",method="POST",route="/livez"}`:                     1,
		`gatehouse_http_requests_total{code="404",method="GET",route="unmatched"}`:                   1,
		`gatehouse_http_requests_total{code="201",method="POST",route="/captive/sites"}`:             1,
		`gatehouse_http_request_duration_seconds_count{method="GET",route="/captive/sites"}`:         3,
		`gatehouse_http_request_duration_seconds_count{method="GET",route="/captive/sites/:siteId"}`: 2,
		`gatehouse_coupons_issued`:          0,
		`gatehouse_coupons_redeemed`:        0,
		`gatehouse_schedule_runs_total`:     0,
		`gatehouse_schedule_failures_total`: 0,
	} {
		wantSample(t, got.Samples, key, want)
	}
	exposition.WantBuckets(t, got, "gatehouse_http_request_duration_seconds", []string{`method="GET"`, `route="/captive/sites"`},
		[]float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10})
	// The site's figures, read from the store: one state of three is
	// the current one.
	states := 0.0
	for _, st := range []string{app.SiteUnknown, app.SiteOnline, app.SiteOffline} {
		key := `gatehouse_site_state{site="` + siteID + `",state="` + st + `"}`
		v, ok := got.Samples[key]
		if !ok {
			t.Errorf("/metrics lacks %s", key)
		}
		states += v
	}
	if states != 1 {
		t.Errorf("gatehouse_site_state of the site sums to %v over its states, want 1", states)
	}
	for _, key := range []string{`gatehouse_reconcile_lag_seconds{site="` + siteID + `"}`,
		`gatehouse_router_drift_total{site="` + siteID + `"}`} {
		if _, ok := got.Samples[key]; !ok {
			t.Errorf("/metrics lacks %s", key)
		}
	}
	for family, kind := range map[string]string{
		"gatehouse_http_requests_total":           "counter",
		"gatehouse_http_request_duration_seconds": "histogram",
		"gatehouse_schedule_runs_total":           "counter",
		"gatehouse_schedule_failures_total":       "counter",
		"gatehouse_site_state":                    "gauge",
		"gatehouse_reconcile_lag_seconds":         "gauge",
		"gatehouse_router_drift_total":            "counter",
		"gatehouse_coupons_issued":                "gauge",
		"gatehouse_coupons_redeemed":              "gauge",
	} {
		if got.Types[family] != kind {
			t.Errorf("# TYPE %s = %q, want %s", family, got.Types[family], kind)
		}
	}
	// The Go runtime and process metrics follow.
	for _, key := range []string{"go_goroutines", "go_memstats_heap_alloc_bytes", "process_cpu_seconds_total",
		"process_resident_memory_bytes", "process_open_fds"} {
		if _, ok := got.Samples[key]; !ok {
			t.Errorf("/metrics lacks %s", key)
		}
	}
	if strings.Contains(string(r.body), "0190b2a4-0000-7000-8000-000000000001") {
		t.Errorf("/metrics holds a raw path:\n%s", r.body)
	}

	// The scrape itself was counted, under its own pattern.
	r = e.call(http.MethodGet, "/metrics", "", nil)
	wantSample(t, parseMetrics(t, r).Samples, `gatehouse_http_requests_total{code="200",method="GET",route="/metrics"}`, 1)
}

// parseMetrics parses a /metrics answer, failing on anything a scraper
// would refuse.
func parseMetrics(t *testing.T, r response) exposition.Exposition {
	t.Helper()
	e, err := exposition.Parse(string(r.body))
	if err != nil {
		t.Fatalf("/metrics: %v\n%s", err, r.body)
	}
	return e
}

// wantSample fails unless the sample named key has the value want.
func wantSample(t testing.TB, got map[string]float64, key string, want float64) {
	t.Helper()
	v, ok := got[key]
	if !ok {
		t.Fatalf("%s: missing from the scrape", key)
	}
	if v != want {
		t.Fatalf("%s = %v, want %v", key, v, want)
	}
}

// The exposition.Exposition parser is the same as scheduler/metrics_test.go's.

// scrapeFrom asks for /metrics straight from the handler, as a client at
// remoteAddr, and checks the answer against the contract.
func scrapeFrom(t *testing.T, e *env, remoteAddr string) response {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
	req.RemoteAddr = remoteAddr
	rec := httptest.NewRecorder()
	e.srv.Config.Handler.ServeHTTP(rec, req)
	r := response{status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}
	checkContract(t, http.MethodGet, "/metrics", r)
	if r.status == http.StatusOK {
		parseMetrics(t, r)
	}
	return r
}

func TestMetricsOnlyForLoopbackClients(t *testing.T) {
	e := newObservedEnv(t, false)
	for _, addr := range []string{"203.0.113.7:40000", "[2001:db8::1]:40000", "10.0.0.8:40000", "not-an-address"} {
		wantError(t, scrapeFrom(t, e, addr), http.StatusForbidden, "permission_denied", "")
	}
	for _, addr := range []string{"127.0.0.1:40000", "127.8.9.10:40000", "[::1]:40000", "[::ffff:127.0.0.1]:40000"} {
		if r := scrapeFrom(t, e, addr); r.status != http.StatusOK || !strings.Contains(string(r.body), "gatehouse_http_requests_total") {
			t.Fatalf("scrape from %s: status %d, body %.200s", addr, r.status, r.body)
		}
	}
}

func TestMetricsAllowRemote(t *testing.T) {
	e := newObservedEnv(t, true)
	wantStatus(t, scrapeFrom(t, e, "203.0.113.7:40000"), http.StatusOK)
}

// TestWithoutRegistry: a server wired without a set still serves its
// HTTP metrics (and the process metrics).
func TestWithoutRegistry(t *testing.T) {
	e := newEnv(t, "")
	e.readyz()
	r := e.call(http.MethodGet, "/metrics", "", nil)
	wantStatus(t, r, http.StatusOK)
	got := parseMetrics(t, r)
	wantSample(t, got.Samples, `gatehouse_http_requests_total{code="200",method="GET",route="/readyz"}`, 1)
	if _, ok := got.Samples["process_resident_memory_bytes"]; !ok {
		t.Fatalf("/metrics without a set lacks the process metrics:\n%s", r.body)
	}
}
