package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"time"

	"github.com/VictoriaMetrics/metrics"

	"gatehouse/app"
	"gatehouse/db"
	"gatehouse/notify"
	"gatehouse/routeros"
	"gatehouse/scheduler"
	"gatehouse/web"
)

// shutdownTimeout bounds the graceful stop of each component.
const shutdownTimeout = 15 * time.Second

// cmdServe is "gatehouse serve": the appliance until SIGINT or SIGTERM.
func cmdServe(fs *flag.FlagSet) action {
	cf := configFlags(fs)
	listen := fs.String("listen", "", "the `ADDR` to listen on (overrides server.listen)")
	return func(ctx context.Context, c console, _ []string) error {
		cfg, err := cf.configure(c.getenv, func(cfg *Config) {
			if *listen != "" {
				cfg.Server.Listen = *listen
			}
		})
		if err != nil {
			return err
		}
		logger := newLogger(cfg.Log, c.stderr)
		store, err := db.Open(ctx, cfg.Storage.DataDir, logger)
		if err != nil {
			return err
		}
		defer store.Close()
		if err := firstAdminFromEnv(ctx, c.getenv, store, logger); err != nil {
			return err
		}
		return runServer(ctx, cfg, store, logger, func(net.Addr) {})
	}
}

// runServer runs the appliance over store until ctx ends: the HTTP server
// and the background workers, stopped in order. ready is called once the
// server accepts connections.
func runServer(ctx context.Context, cfg Config, store *db.DB, logger *slog.Logger, ready func(net.Addr)) error {
	sys, err := wire(ctx, cfg, store, logger)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Server.Listen)
	if err != nil {
		return fmt.Errorf("listen on %s (server.listen): %w", cfg.Server.Listen, err)
	}
	srv := &http.Server{
		Handler:           sys.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	sys.notifier.Start()
	if err := sys.scheduler.Start(ctx); err != nil {
		return errors.Join(err, sys.notifier.Close(context.Background()))
	}
	if err := sys.reconciler.Start(ctx); err != nil {
		return errors.Join(err, sys.scheduler.Close(context.Background()), sys.notifier.Close(context.Background()))
	}
	sys.backups.Start()
	logger.Info("gatehouse started", "version", buildVersion(), "listen", ln.Addr().String(),
		"base_url", cfg.Server.BaseURL, "data_dir", cfg.Storage.DataDir)
	warnBaseURL(cfg, logger)

	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	if err := notifySystemd("READY=1"); err != nil {
		logger.Warn("tell systemd we are ready", "err", err)
	}
	ready(ln.Addr())
	select {
	case err = <-serveErr:
		err = fmt.Errorf("http server: %w", err)
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	_ = notifySystemd("STOPPING=1") // best effort: systemd also sees the process exit
	sys.stop(srv, logger)
	logger.Info("stopped")
	return err
}

// system is the running appliance: the HTTP handler and the background
// workers, all over one store.
type system struct {
	handler    http.Handler
	scheduler  *scheduler.Scheduler
	notifier   *notify.Notifier
	reconciler *scheduler.Reconciler
	backups    *scheduler.BackupJob
}

// kickers tells several workers that something changed.
type kickers []interface{ Kick() }

// Kick implements scheduler.Notifier.
func (ks kickers) Kick() {
	for _, k := range ks {
		k.Kick()
	}
}

// wire builds the components over store.
func wire(ctx context.Context, cfg Config, store *db.DB, logger *slog.Logger) (*system, error) {
	tokenKey, err := store.Key(ctx, keyTokens, keySize)
	if err != nil {
		return nil, err
	}
	linkKey, err := store.Key(ctx, keyLinks, keySize)
	if err != nil {
		return nil, err
	}
	links := &app.LinkSigner{BaseURL: cfg.Server.BaseURL, Key: linkKey, Now: time.Now}
	smtp := notify.SMTPConfig{Host: cfg.SMTP.Host, Port: cfg.SMTP.Port, Username: cfg.SMTP.Username,
		Password: cfg.SMTP.Password, From: cfg.SMTP.From, TLS: cfg.SMTP.TLS}
	if err := smtp.Validate(); err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	notifier := notify.New(notify.Config{SMTP: smtp, Links: links, AllowPrivateWebhooks: cfg.Notify.AllowPrivateWebhooks}, store, logger)
	rcfg := routeros.Config{DialTimeout: cfg.RouterOS.DialTimeout.Duration, CommandTimeout: cfg.RouterOS.CommandTimeout.Duration,
		Conns: cfg.RouterOS.Connections, Logger: logger}
	// One set for /metrics: the HTTP metrics and the scheduler's (the
	// handler adds the Go runtime and process metrics).
	metricSet := metrics.NewSet()
	schedMetrics, err := scheduler.NewMetrics(metricSet, store, logger)
	if err != nil {
		return nil, err
	}
	reconciler := scheduler.NewReconciler(store, schedMetrics.Dialer(func(site app.Site) scheduler.Router { return routeros.NewRouter(site, rcfg) }),
		scheduler.ReconcilerConfig{Interval: cfg.RouterOS.SyncInterval.Duration, PortalHost: portalHost(cfg.Server.BaseURL)}, logger)
	// A schedule run tells the notifier (e-mails, webhooks) and the
	// routers (new coupons to push).
	sched := scheduler.New(store, kickers{notifier, reconciler}, scheduler.Config{Retention: cfg.Coupons.Retention.Duration,
		AuditRetention: cfg.Audit.Retention.Duration, GuestRetention: cfg.Guests.Retention.Duration, Metrics: schedMetrics}, logger)
	srv, err := web.New(web.Config{
		BaseURL:  cfg.Server.BaseURL,
		TokenKey: tokenKey,
		LinkKey:  linkKey,
		Version:  buildVersion(),

		MetricsAllowRemote:   cfg.Metrics.AllowRemote,
		AllowLoopbackBaseURL: cfg.Server.AllowLoopbackBaseURL,
		DeviceMovesPerDay:    movesPerDay(cfg.Portal.DeviceMovesPerDay),
		OAuth: web.OAuthEndpoints{GoogleIssuer: cfg.OAuth.GoogleIssuer, AzureAuthority: cfg.OAuth.AzureAuthority,
			GitHubAuthURL: cfg.OAuth.GitHubAuthURL, GitHubTokenURL: cfg.OAuth.GitHubTokenURL, GitHubAPIURL: cfg.OAuth.GitHubAPIURL},
	}, web.Deps{Store: store, Metrics: metricSet, Routers: reconciler, Runner: sched}, logger)
	if err != nil {
		return nil, err
	}
	backups := scheduler.NewBackupJob(store, scheduler.BackupConfig{Dir: filepath.Join(cfg.Storage.DataDir, backupsDir),
		Interval: cfg.Backup.Interval.Duration, Keep: cfg.Backup.Keep}, logger)
	return &system{handler: srv.Handler(), scheduler: sched, notifier: notifier, reconciler: reconciler, backups: backups}, nil
}

// stop shuts the system down in order: no new requests, then no new
// runs, then the notifier (a send cut short goes out after the next
// start: the outbox keeps it); the store closes after.
func (sys *system) stop(srv *http.Server, logger *slog.Logger) {
	for _, step := range []struct {
		name string
		stop func(context.Context) error
	}{
		{"http server", srv.Shutdown},
		{"scheduler", sys.scheduler.Close},
		{"backups", sys.backups.Close},
		{"reconciler", sys.reconciler.Close},
		{"notifier", sys.notifier.Close},
	} {
		ctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
		if err := step.stop(ctx); err != nil {
			logger.Warn("stop incomplete", "component", step.name, "err", err)
		}
		cancel()
	}
}

// warnBaseURL logs a warning when guests are sent to a loopback base_url
// while gatehouse listens on other addresses (see Config.loopbackWarning).
func warnBaseURL(cfg Config, logger *slog.Logger) {
	if msg := cfg.loopbackWarning(); msg != "" {
		logger.Warn(msg, "base_url", cfg.Server.BaseURL, "listen", cfg.Server.Listen)
	}
}

// portalHost is the host part of the base URL guests reach the portal at.
func portalHost(baseURL string) string {
	u, err := url.Parse(baseURL)
	if err != nil {
		return ""
	}
	return u.Hostname()
}

// movesPerDay turns [portal] device_moves_per_day into web.Config's
// terms, where 0 means the default: none at all is -1 there.
func movesPerDay(n int) int {
	if n <= 0 {
		return -1
	}
	return n
}
