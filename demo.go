package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"gatehouse/app"
	"gatehouse/db"
	"gatehouse/routeros/routerostest"
)

// demoGuests are the devices the simulated router shows online.
var demoGuests = []struct{ address, mac, uptime string }{
	{"10.5.50.11", "3C:22:FB:10:20:31", "42m10s"},
	{"10.5.50.12", "F0:18:98:44:55:66", "1h5m"},
	{"10.5.50.13", "A4:83:E7:0A:0B:0C", "7m30s"},
}

// cmdDemo runs "gatehouse demo": the whole appliance over a temporary data
// directory, with a simulated MikroTik router registered as a site, a
// coupon portal, a schedule and a few guests online, so a newcomer sees
// everything work in one command. Everything is deleted on exit.
func cmdDemo(fs *flag.FlagSet) action {
	listen := fs.String("listen", "127.0.0.1:8080", "the `ADDR` of the admin page and portal")
	keep := fs.Bool("keep", false, "keep the temporary data directory on exit")
	return func(ctx context.Context, c console, _ []string) error {
		return runDemo(ctx, *listen, *keep, c.stdout, c.stderr)
	}
}

// runDemo runs the demo on listen over a new temporary data directory,
// which is kept after with keep.
func runDemo(ctx context.Context, listen string, keep bool, stdout, stderr io.Writer) error {
	dir, err := os.MkdirTemp("", "gatehouse-demo-")
	if err != nil {
		return fmt.Errorf("demo: temporary data directory: %w", err)
	}
	if !keep {
		defer os.RemoveAll(dir)
	}
	if _, port, err := net.SplitHostPort(listen); err == nil && port == "0" {
		return usageErrorf("demo: -listen needs a fixed port (the printed links name it), e.g. 127.0.0.1:8081")
	}
	cfg := defaultConfig()
	cfg.Server.Listen = listen
	cfg.Storage.DataDir = dir
	// The demo's guests are simulated on this computer: its login.html
	// and cards may point at 127.0.0.1.
	cfg.Server.AllowLoopbackBaseURL = true
	cfg.RouterOS.SyncInterval.Duration = 10 * time.Second
	cfg.Backup.Interval.Duration = 0
	if err := cfg.finish(); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	logger := newLogger(LogConfig{Level: "warn", Format: "text"}, stderr)

	routerPassword := rand.Text()
	router, err := routerostest.Listen("127.0.0.1:0", routerostest.Options{User: "gatehouse", Password: routerPassword,
		Identity: "Demo-Hotel-hAP"})
	if err != nil {
		return fmt.Errorf("demo: simulated router: %w", err)
	}
	defer router.Close()

	store, err := db.Open(ctx, dir, logger)
	if err != nil {
		return err
	}
	defer store.Close()
	creds, err := seedDemo(ctx, store, router, routerPassword)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	err = runServer(ctx, cfg, store, logger, func(net.Addr) {
		fmt.Fprintf(stdout, `gatehouse demo — everything here is temporary and is deleted when you stop it (Ctrl+C).

  Admin page:        %s/
  Sign in as admin:  admin / %s
  Front desk:        frontdesk / %s
  Guest portal:      %s/portal/%s
  Simulated router:  %s (RouterOS API, user gatehouse)
  Data directory:    %s

`, cfg.Server.BaseURL, creds.admin, creds.frontdesk, cfg.Server.BaseURL, creds.instanceID, router.Addr(), dir)
	})
	if errors.Is(err, syscall.EADDRINUSE) {
		return fmt.Errorf("demo: %w; is gatehouse already running? Choose another address with -listen 127.0.0.1:8081", err)
	}
	return err
}

type demoCredentials struct {
	admin, frontdesk, instanceID string
}

// seedDemo fills a fresh store: two accounts, the simulated router as a
// site, a coupon portal with a schedule that has run once, and three of
// its coupons in use by guests the router reports online.
func seedDemo(ctx context.Context, store *db.DB, router *routerostest.Router, routerPassword string) (demoCredentials, error) {
	var creds demoCredentials
	for _, acct := range []struct {
		name string
		role app.Role
		pw   *string
	}{{"admin", app.RoleAdmin, &creds.admin}, {"frontdesk", app.RoleFrontdesk, &creds.frontdesk}} {
		*acct.pw = strings.ToLower(rand.Text()[:12])
		hash, err := app.HashPassword(*acct.pw)
		if err != nil {
			return creds, err
		}
		if _, err := store.CreateAdmin(ctx, acct.name, acct.role, hash); err != nil {
			return creds, err
		}
	}
	host, portText, _ := net.SplitHostPort(router.Addr())
	port, _ := strconv.Atoi(portText)
	site, err := store.CreateSite(ctx, app.Site{Name: "Demo Hotel (simulated router)", Host: host, Port: port,
		Username: "gatehouse", Password: routerPassword})
	if err != nil {
		return creds, err
	}
	theme := app.DefaultTheme()
	theme.AccentColor = "#0f766e"
	inst, err := store.CreateInstance(ctx, app.Instance{Name: "Demo Hotel", Strategy: app.StrategyCoupon,
		SessionTTL: 4 * 3600, Theme: theme, WifiName: "DemoHotel-Guest", Sites: []app.InstanceSite{{ID: site.ID}},
		TermsText: "Be kind to other guests. No illegal activity."})
	if err != nil {
		return creds, err
	}
	creds.instanceID = inst.ID
	plans, err := demoPlans(ctx, store)
	if err != nil {
		return creds, err
	}
	sch, err := store.CreateSchedule(ctx, app.Schedule{InstanceID: inst.ID, Name: "Daily front-desk batch", Count: 20,
		Recurrence: app.RecurDaily, ValidForMinutes: 24 * 60, Timezone: "UTC", RunAt: "06:00", PlanID: plans[1].ID})
	if err != nil {
		return creds, err
	}
	_, coupons, _, err := store.RunSchedule(ctx, sch.ID, app.ManualSlotPrefix+"demo")
	if err != nil {
		return creds, err
	}
	if len(coupons) < len(demoGuests) {
		return creds, errors.New("the demo schedule made too few coupons")
	}
	for i, g := range demoGuests {
		router.AddRow("/ip/hotspot/active", map[string]string{"user": coupons[i].Code, "address": g.address,
			"mac-address": g.mac, "uptime": g.uptime, "bytes-in": strconv.Itoa(2_000_000 * (i + 3)),
			"bytes-out": strconv.Itoa(40_000_000 * (i + 1)), "server": "hotspot1"})
		router.AddRow("/ip/hotspot/host", map[string]string{"address": g.address, "mac-address": g.mac})
	}
	return creds, nil
}

// demoPlans adds two plans a hotel might sell: an hour on one device and
// a day with a data allowance for a family's devices.
func demoPlans(ctx context.Context, store *db.DB) ([]app.Plan, error) {
	hour, day := app.NewPlan(), app.NewPlan()
	down, up := 5000, 1000
	hour.Name, hour.SessionMinutes, hour.DownloadKbps, hour.UploadKbps = "1 hour", 60, &down, &up
	hour.Price, hour.Currency = 200, "EUR"
	data, dayDown, dayUp := 2000, 10000, 2000
	day.Name, day.SessionMinutes, day.DataLimitMB, day.Devices = "1 day, 2 GB", 1440, &data, 3
	day.DownloadKbps, day.UploadKbps, day.Price, day.Currency = &dayDown, &dayUp, 800, "EUR"
	var out []app.Plan
	for _, p := range []app.Plan{hour, day} {
		p, err := store.CreatePlan(ctx, p)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}
