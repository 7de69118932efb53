package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/julienschmidt/httprouter"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

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

// observer holds the HTTP metrics and serves /metrics.
type observer struct {
	requests    *prometheus.CounterVec
	duration    *prometheus.HistogramVec
	handler     http.Handler // the Prometheus exposition of the registry
	allowRemote bool
}

// newObserver registers the HTTP metrics on reg; nil reg means a
// registry of the server's own, holding only those.
func newObserver(reg *prometheus.Registry, allowRemote bool, logger *slog.Logger) (*observer, error) {
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	o := &observer{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gatehouse_http_requests_total",
			Help: "HTTP requests by method, route pattern and status code.",
		}, []string{"method", "route", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "gatehouse_http_request_duration_seconds",
			Help:    "Time to answer HTTP requests, by method and route pattern.",
			Buckets: prometheus.DefBuckets,
		}, []string{"method", "route"}),
		allowRemote: allowRemote,
	}
	for _, c := range []prometheus.Collector{o.requests, o.duration} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("web: register metrics: %w", err)
		}
	}
	o.handler = promhttp.HandlerFor(reg, promhttp.HandlerOpts{
		// A collector that fails (the store is down) costs its own
		// figures only; the error is logged.
		ErrorHandling: promhttp.ContinueOnError,
		ErrorLog:      slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	})
	return o, nil
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
			s.obs.requests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
			s.obs.duration.WithLabelValues(method, route).Observe(time.Since(start).Seconds())
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
	s.obs.handler.ServeHTTP(w, r)
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
