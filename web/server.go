// Package web is gatehouse's HTTP adapter: the Altostrat-compatible admin
// API under /captive, the public signed links, health and the OpenAPI
// document (and, in later issues, the guest portal and the admin page).
//
// Every route is registered in one place (routes.go). A request passes one
// visible chain: recover → log → security headers → body limit →
// authenticate → authorize, then a handler that decodes, calls an app
// interface and encodes. Only this package maps app error codes to HTTP
// statuses and the contract's Error JSON.
package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/julienschmidt/httprouter"

	"gatehouse/app"
)

// Deps are the services the HTTP layer calls; package main passes the
// concrete store.
type Deps struct {
	Sites            app.SiteStore
	Instances        app.InstanceStore
	AuthIntegrations app.AuthIntegrationStore
	WalledGarden     app.WalledGardenStore
	Tokens           app.TokenStore
	Coupons          app.CouponStore
	Schedules        app.ScheduleStore
	Notifications    app.NotificationStore
	SiteUsers        app.SiteUserStore
	Portal           app.PortalStore
	// Routers reconciles routers; nil in tests that need no router.
	Routers RouterControl
	// Runner runs coupon schedules ("run now") and learns of schedule
	// changes; nil disables both (tests of other resources).
	Runner ScheduleRunner
}

// ScheduleRunner is what the HTTP layer needs of the scheduler.
type ScheduleRunner interface {
	// RunNow generates one batch of the schedule immediately.
	RunNow(ctx context.Context, scheduleID string) ([]app.Coupon, error)
	// ScheduleChanged tells the scheduler to (re)load or drop a schedule.
	ScheduleChanged(scheduleID string)
}

// Config is what the HTTP layer needs to know about its deployment.
type Config struct {
	// BaseURL is the external address of gatehouse, used for every link
	// it hands out (for example "http://127.0.0.1:8080").
	BaseURL string
	// TokenKey signs and verifies API bearer tokens (HS256).
	TokenKey []byte
	// LinkKey signs public links (signed coupon URLs, test links).
	LinkKey []byte
	// Version is reported by /healthz.
	Version string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// DefaultBodyLimit caps JSON request bodies.
const DefaultBodyLimit = 1 << 20

// Server serves gatehouse's HTTP API.
type Server struct {
	deps     Deps
	logger   *slog.Logger
	tokenKey []byte
	links    *app.LinkSigner
	version  string
	now      func() time.Time
	handler  http.Handler
	portal   portalLimits
}

// New builds the server and its routes. It returns an error when the
// configuration cannot work (missing keys or base URL).
func New(cfg Config, deps Deps, logger *slog.Logger) (*Server, error) {
	if len(cfg.TokenKey) < 32 || len(cfg.LinkKey) < 32 {
		return nil, errors.New("web: token and link keys must be at least 32 bytes")
	}
	if cfg.BaseURL == "" {
		return nil, errors.New("web: base URL is required")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Server{
		deps:     deps,
		logger:   logger.With("component", "web"),
		tokenKey: cfg.TokenKey,
		links:    &app.LinkSigner{BaseURL: cfg.BaseURL, Key: cfg.LinkKey, Now: cfg.Now},
		version:  cfg.Version,
		now:      cfg.Now,
		portal:   newPortalLimits(),
	}
	router := httprouter.New()
	router.RedirectTrailingSlash = false
	router.HandleMethodNotAllowed = true
	router.NotFound = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.writeError(w, r, &app.Error{Code: app.ENotFound, Reason: app.ReasonResourceMissing, Message: "no such endpoint: " + r.URL.Path})
	})
	router.MethodNotAllowed = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusMethodNotAllowed, errorBody{Type: "invalid_request_error", Code: "method_not_allowed",
			Message: r.Method + " is not allowed on " + r.URL.Path + "; allowed: " + w.Header().Get("Allow")})
	})
	router.PanicHandler = nil // recoverPanics owns panics
	for _, rt := range s.routes() {
		router.Handler(rt.method, rt.path, s.wrap(rt))
	}
	s.handler = s.recoverPanics(s.logRequests(securityHeaders(router)))
	return s, nil
}

// Handler returns the root handler with the whole middleware chain.
func (s *Server) Handler() http.Handler { return s.handler }

// wrap builds the per-route part of the chain: body limit, then
// authentication and authorization for protected routes.
func (s *Server) wrap(rt route) http.Handler {
	var h http.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rt.handle(w, r, httprouter.ParamsFromContext(r.Context()))
	})
	if rt.action != "" {
		h = s.requireAction(rt.action, h)
	}
	limit := rt.bodyLimit
	if limit == 0 {
		limit = DefaultBodyLimit
	}
	return limitBody(limit, h)
}

var errPanic = &app.Error{Code: app.EInternal, Message: "internal error"}
