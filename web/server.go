// Package web is gatehouse's HTTP adapter: the Altostrat-compatible admin
// API under /captive (with gatehouse's extensions), the admin page
// (web/ui, embedded), the guest portal and OAuth2 sign-in (portal*.go,
// oauth*.go), the public signed links, health, metrics and the OpenAPI
// document.
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
	"strings"
	"time"

	"github.com/VictoriaMetrics/metrics"
	"github.com/julienschmidt/httprouter"

	"gatehouse/app"
)

// Store is the storage the HTTP layer needs: the app stores of every
// area it serves and the readiness check. Package main passes *db.DB; a
// test that needs one piece to fail embeds the real store and overrides
// that method.
type Store interface {
	app.SiteStore
	app.InstanceStore
	app.AuthIntegrationStore
	app.WalledGardenStore
	app.TokenStore
	app.CouponStore
	app.ScheduleStore
	app.PlanStore
	app.LedgerStore
	app.ShiftStore
	app.ReportStore
	app.GuestStore
	app.NotificationStore
	app.SiteUserStore
	app.PortalStore
	app.AuditStore
	app.DashboardStore
	app.AdminStore
	app.OAuthStore
	Health
}

// Deps are the services the HTTP layer calls; all but Metrics are
// required.
type Deps struct {
	Store Store
	// Routers reconciles routers.
	Routers RouterControl
	// Runner runs coupon schedules ("run now") and learns of schedule
	// changes.
	Runner ScheduleRunner
	// Metrics is the set /metrics writes (followed by the Go runtime and
	// process metrics) and the HTTP metrics are counted on; nil means a
	// set of the server's own.
	Metrics *metrics.Set
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
	// MetricsAllowRemote serves /metrics to any client, not only loopback.
	MetricsAllowRemote bool
	// OAuth are the identity providers' endpoints; empty fields mean the
	// public ones (DefaultOAuthEndpoints).
	OAuth OAuthEndpoints
	// AllowLoopbackBaseURL hands out login.html and coupon cards even
	// when BaseURL is a loopback address (the demo); otherwise both are
	// refused then, and the admin page shows a warning.
	AllowLoopbackBaseURL bool
	// DeviceMovesPerDay is how many times in 24 hours a code of one device
	// may move to another device at the portal; 0 means
	// app.DefaultDeviceMoves, a negative number never.
	DeviceMovesPerDay int
}

// deviceMoves resolves Config.DeviceMovesPerDay.
func deviceMoves(n int) int {
	switch {
	case n == 0:
		return app.DefaultDeviceMoves
	case n < 0:
		return 0
	}
	return n
}

// linkFailureLimit is how many bad signed links one source may try per
// minute before it must wait.
const linkFailureLimit = 20

// DefaultBodyLimit caps JSON request bodies.
const DefaultBodyLimit = 1 << 20

// Server serves gatehouse's HTTP API.
type Server struct {
	deps     Deps
	store    Store // deps.Store
	logger   *slog.Logger
	tokenKey []byte
	links    *app.LinkSigner
	version  string
	now      func() time.Time
	handler  http.Handler
	portal   portalLimits
	// deviceMoves is Config.DeviceMovesPerDay resolved (0: never).
	deviceMoves int
	obs         *observer // HTTP metrics and the /metrics handler
	// linkFailures counts bad signatures on public links per source.
	linkFailures *failureLimiter
	// oauth runs the provider side of OAuth2 sign-ins; oauthStarts
	// counts the sign-ins started per device and source.
	oauth         *oauthProviders
	oauthStarts   oauthLimits
	secureCookies bool // the base URL is https
	logins        loginLimits
	cardSheets    chan struct{} // one sheet of coupon cards drawn at a time
	// loopbackBase: the links guests get (login.html, the cards' QR
	// codes) would point at a loopback address no guest's device can
	// open, and this was not allowed on purpose (base_url.go).
	loopbackBase bool
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
	if deps.Store == nil || deps.Routers == nil || deps.Runner == nil {
		return nil, errors.New("web: a store, a router reconciler and a schedule runner are required")
	}
	s := &Server{
		deps:         deps,
		store:        deps.Store,
		logger:       logger.With("component", "web"),
		tokenKey:     cfg.TokenKey,
		links:        &app.LinkSigner{BaseURL: cfg.BaseURL, Key: cfg.LinkKey, Now: cfg.Now},
		version:      cfg.Version,
		deviceMoves:  deviceMoves(cfg.DeviceMovesPerDay),
		now:          cfg.Now,
		portal:       newPortalLimits(),
		linkFailures: newFailureLimiter(linkFailureLimit, failureWindow),
	}
	s.oauth = newOAuthProviders(cfg.OAuth, cfg.BaseURL, cfg.Now)
	s.oauthStarts = newOAuthLimits()
	s.logins = newLoginLimits()
	s.cardSheets = make(chan struct{}, 1)
	s.secureCookies = strings.HasPrefix(cfg.BaseURL, "https://")
	s.loopbackBase = app.IsLoopbackURL(cfg.BaseURL) && !cfg.AllowLoopbackBaseURL
	s.obs = newObserver(deps.Metrics, cfg.MetricsAllowRemote)
	router := httprouter.New()
	router.RedirectTrailingSlash = false
	router.RedirectFixedPath = false // "/a/../b" is not found, not redirected: ids never hold "/"
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
	s.handler = s.recoverPanics(s.logRequests(s.observe(securityHeaders(router))))
	return s, nil
}

// Handler returns the root handler with the whole middleware chain.
func (s *Server) Handler() http.Handler { return s.handler }

// wrap builds the per-route part of the chain: body limit, then, for
// protected routes, authentication (once, naming the caller or no one),
// audit (of writes, refused ones too) and authorization.
func (s *Server) wrap(rt route) http.Handler {
	var h http.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rt.handle(w, r, httprouter.ParamsFromContext(r.Context()))
	})
	if rt.action != "" {
		h = s.authenticate(s.auditWrites(rt, s.authorize(rt.action, h)))
	}
	limit := rt.bodyLimit
	if limit == 0 {
		limit = DefaultBodyLimit
	}
	return limitBody(limit, h)
}
