package web

import (
	"bytes"
	"context"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/VictoriaMetrics/metrics"
	"github.com/julienschmidt/httprouter"

	"gatehouse/app"
)

// This file is how operators watch gatehouse: liveness, readiness and
// the Prometheus metrics, with the middleware that counts every request.

// Health is what readiness needs of the store.
type Health interface {
	// Ready returns nil when the store can serve reads and writes at the
	// schema this binary expects, and EUnavailable otherwise.
	Ready(ctx context.Context) error
}

// readyTimeout bounds the readiness checks, so that a probe gets an
// answer even when the database is locked.
const readyTimeout = 2 * time.Second

// unmatchedRoute labels requests that match no route, so that scanners
// cannot make a series per path they try.
const unmatchedRoute = "unmatched"

// The HTTP metrics. The exposition carries no help texts, so each one's
// meaning is said here (and in README, "Watching it").
const (
	// metricRequests (counter, labels code, method, route): HTTP requests
	// by method, route pattern and status code.
	metricRequests = "gatehouse_http_requests_total"
	// metricDuration (histogram, labels method, route): time to answer
	// HTTP requests, by method and route pattern.
	metricDuration = "gatehouse_http_request_duration_seconds"
)

// durationBuckets are the upper bounds (le) of
// gatehouse_http_request_duration_seconds: Prometheus' default buckets.
var durationBuckets = []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}

// observer holds the HTTP metrics and serves /metrics.
type observer struct {
	set         *metrics.Set // what /metrics writes, before the process metrics
	allowRemote bool
}

// newObserver counts the HTTP metrics on set; nil set means a set of the
// server's own. Two servers on one set count into the same series.
func newObserver(set *metrics.Set, allowRemote bool) *observer {
	if set == nil {
		set = metrics.NewSet()
	}
	// TYPE lines, so that scrapers know counters from gauges; the setting
	// is the package's, for every set.
	metrics.ExposeMetadata(true)
	return &observer{set: set, allowRemote: allowRemote}
}

// count records one answered request.
func (o *observer) count(method, route string, status int, took time.Duration) {
	m, r := `method=`+quoteLabel(method), `route=`+quoteLabel(route)
	o.set.GetOrCreateCounter(metricRequests + `{code="` + strconv.Itoa(status) + `",` + m + `,` + r + `}`).Inc()
	o.set.GetOrCreatePrometheusHistogramExt(metricDuration+`{`+m+`,`+r+`}`, durationBuckets).Update(took.Seconds())
}

// write writes the Prometheus text exposition: the set (the HTTP metrics,
// and whatever else main registered on it: the scheduler's, the figures
// read from the store), then the Go runtime and process metrics.
func (o *observer) write(w http.ResponseWriter) {
	var buf bytes.Buffer
	o.set.WritePrometheus(&buf)
	metrics.WriteProcessMetrics(&buf)
	metrics.WriteFDMetrics(&buf)
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	w.Write(buf.Bytes())
}

// labelEscaper escapes a label value as the text exposition wants.
var labelEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)

// quoteLabel is a label value in double quotes, escaped.
func quoteLabel(v string) string {
	return `"` + labelEscaper.Replace(v) + `"`
}

// observe is the metrics middleware: it counts and times every request,
// labelled with the pattern of the route it matched (never the raw path).
func (s *Server) observe(next http.Handler) http.Handler {
	routes := newRouteTable(s.routes())
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		done := false
		defer func() {
			status := rec.status
			if status == 0 && done {
				status = http.StatusOK // nothing written: net/http sends 200
			} else if status == 0 {
				status = http.StatusInternalServerError // panicked: recoverPanics answers 500
			}
			method, route := methodLabel(r.Method), routes.match(r.Method, r.URL.Path)
			s.obs.count(method, route, status, time.Since(start))
		}()
		next.ServeHTTP(rec, r)
		done = true
	})
}

// methodLabel keeps the method label to a fixed set.
func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions:
		return m
	}
	return "OTHER"
}

// routeTable finds which route of the table a request path matches, the
// way httprouter does: a ":name" segment matches any one non-empty
// segment, a "*name" segment the rest of the path. httprouter refuses
// tables where a static and a parameter segment compete, so at most one
// route per method matches.
type routeTable []routePattern

type routePattern struct {
	method, path string
	segments     []string
}

func newRouteTable(routes []route) routeTable {
	t := make(routeTable, len(routes))
	for i, rt := range routes {
		t[i] = routePattern{method: rt.method, path: rt.path, segments: strings.Split(rt.path, "/")}
	}
	return t
}

// match returns the pattern of the route for method and path; a path
// served under another method gives that route's pattern (the request
// was answered 405), and a path nothing serves gives unmatchedRoute.
func (t routeTable) match(method, path string) string {
	segments := strings.Split(path, "/")
	other := ""
	for _, p := range t {
		if !p.matches(segments) {
			continue
		}
		if p.method == method {
			return p.path
		}
		if other == "" {
			other = p.path
		}
	}
	if other != "" {
		return other
	}
	return unmatchedRoute
}

func (p routePattern) matches(segments []string) bool {
	for i, want := range p.segments {
		if strings.HasPrefix(want, "*") {
			return true
		}
		if i >= len(segments) {
			return false
		}
		got := segments[i]
		if strings.HasPrefix(want, ":") {
			if got == "" {
				return false
			}
		} else if got != want {
			return false
		}
	}
	return len(segments) == len(p.segments)
}

// livez answers 200 while the process serves HTTP; it checks nothing else.
func (s *Server) livez(w http.ResponseWriter, _ *http.Request, _ httprouter.Params) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "version": s.version})
}

// readiness is the contract's Readiness schema. When not ready it also
// carries the Error fields (type, code, message), like every other error
// answer of the API, so clients that read any 4xx/5xx as an Error work.
type readiness struct {
	Status  string            `json:"status"`
	Checks  map[string]string `json:"checks"`
	Routers []routerReadiness `json:"routers,omitzero"`
	Type    string            `json:"type,omitempty"`
	Code    string            `json:"code,omitempty"`
	Message string            `json:"message,omitempty"`
}

type routerReadiness struct {
	SiteID    string  `json:"site_id"`
	Name      string  `json:"name"`
	State     string  `json:"state"`
	LastError *string `json:"last_error"`
}

// readyz answers 200 when the database is writable at the expected
// schema and 503 otherwise. A caller whose bearer token may read sites
// also gets every router with its state and last error; anyone else gets
// the overall state only, since site names and router errors (which hold
// router addresses) are not for the public. A router that is down never
// makes gatehouse unready (the API still serves, and the router catches
// up later). A missing or unusable token never changes the status code,
// so that probes keep working.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
	defer cancel()
	body := readiness{Status: "ok", Checks: map[string]string{"database": "ok"}}
	status := http.StatusOK
	if err := s.checkDatabase(ctx); err != nil {
		s.logger.WarnContext(ctx, "not ready", "check", "database", "err", err)
		msg := publicMessage(err)
		kind := errorKind[app.EUnavailable]
		body.Status, body.Checks["database"], status = "unavailable", msg, kind.status
		body.Type, body.Code, body.Message = kind.typ, kind.reason, "not ready: "+msg
	}
	if s.mayReadRouters(ctx, r) {
		body.Routers = []routerReadiness{}
		sites, err := s.store.ListSites(ctx)
		if err != nil {
			s.logger.WarnContext(ctx, "readiness: list routers", "err", err)
		}
		for _, site := range sites {
			rr := routerReadiness{SiteID: site.ID, Name: site.Name, State: site.Status.State}
			if site.Status.LastError != "" {
				rr.LastError = &site.Status.LastError
			}
			body.Routers = append(body.Routers, rr)
		}
	}
	writeJSON(w, status, body)
}

// mayReadRouters reports whether r carries a bearer token whose role may
// read sites, the right that the router details of /readyz need.
func (s *Server) mayReadRouters(ctx context.Context, r *http.Request) bool {
	if r.Header.Get("Authorization") == "" {
		return false
	}
	p, err := s.verifyBearer(r.WithContext(ctx))
	return err == nil && p.Role.Can(app.ActReadSites)
}

// checkDatabase runs the store's readiness check.
func (s *Server) checkDatabase(ctx context.Context) error {
	return s.store.Ready(ctx)
}

// publicMessage is what an unauthenticated caller may see of err: the
// message of an app error, or a generic word.
func publicMessage(err error) string {
	if msg := app.ErrorMessage(err); msg != "" {
		return msg
	}
	return "unavailable"
}

// metrics serves the Prometheus text exposition to loopback clients, or
// to anyone when [metrics] allow_remote is set; others get 403. The
// address is the connection's: a reverse proxy on the same host makes
// every client look local, so such a proxy must not forward /metrics.
func (s *Server) metrics(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	if !s.obs.allowRemote && !isLoopback(r.RemoteAddr) {
		s.writeError(w, r, &app.Error{Code: app.EForbidden, Reason: app.ReasonPermissionDenied,
			Message: "metrics are served to loopback clients only; see [metrics] allow_remote"})
		return
	}
	s.obs.write(w)
}

// isLoopback reports whether a connection's remote address (host:port) is
// in 127.0.0.0/8 or is ::1, IPv4-mapped forms included.
func isLoopback(remoteAddr string) bool {
	ap, err := netip.ParseAddrPort(remoteAddr)
	if err != nil {
		return false
	}
	return ap.Addr().Unmap().IsLoopback()
}
