// Command gatehouse is a guest Wi-Fi controller for MikroTik routers: one
// binary with SQLite inside that stores sites, portals and coupons, pushes
// them to routers and serves an Altostrat-compatible HTTP API.
//
// This file and serve.go wire the packages together: they read the
// configuration, open the store, build the HTTP server, and own the order
// of start-up and shutdown. cli.go is the command line: one function per
// verb, each with its own flags and usage.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	_ "time/tzdata" // IANA zones for coupon schedules, even where the OS has none

	"gatehouse/db"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3".
var version = ""

// Names and sizes of the server's secret keys, kept encrypted in the store.
const (
	keyTokens = "jwt-hs256"
	keyLinks  = "link-hmac"
	keySize   = 32
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "gatehouse:", err)
	}
	os.Exit(exitCode(err))
}

// commonFlags are the flags of every command that reads the
// configuration.
type commonFlags struct {
	configPath string
	dataDir    string
}

// configFlags defines -config and -data-dir on fs.
func configFlags(fs *flag.FlagSet) *commonFlags {
	var cf commonFlags
	fs.StringVar(&cf.configPath, "config", "", "configuration `FILE` (TOML)")
	fs.StringVar(&cf.dataDir, "data-dir", "", "the `DIR` that holds the data (overrides storage.data_dir)")
	return &cf
}

// parseArgs parses flags that may come before or after positional
// arguments ("token revoke ID -config F") and returns the positionals.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return positional, nil
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// configure loads the configuration and applies the common flags.
func (cf *commonFlags) configure(getenv func(string) string, override func(*Config)) (Config, error) {
	cfg, err := loadConfig(cf.configPath, getenv)
	if err != nil {
		return cfg, err
	}
	if cf.dataDir != "" {
		cfg.Storage.DataDir = cf.dataDir
	}
	if override != nil {
		override(&cfg)
	}
	return cfg, cfg.finish()
}

func newLogger(cfg LogConfig, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.Level)) // validated by Config.validate
	opts := &slog.HandlerOptions{Level: level}
	if cfg.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// cmdConfig is "gatehouse config": the effective configuration, secrets
// redacted.
func cmdConfig(fs *flag.FlagSet) action {
	cf := configFlags(fs)
	return func(_ context.Context, c console, _ []string) error {
		cfg, err := cf.configure(c.getenv, nil)
		if err != nil {
			return err
		}
		out, err := cfg.redacted()
		if err != nil {
			return err
		}
		_, err = io.WriteString(c.stdout, out)
		return err
	}
}

// cmdVersion is "gatehouse version".
func cmdVersion(*flag.FlagSet) action {
	return func(_ context.Context, c console, _ []string) error {
		_, err := fmt.Fprintln(c.stdout, "gatehouse", buildVersion())
		return err
	}
}

// buildVersion is the -ldflags version, or the module version, or "dev".
func buildVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// openStore opens the store named by the configuration for a CLI command.
func openStore(ctx context.Context, cfg Config, stderr io.Writer) (*db.DB, error) {
	return db.Open(ctx, cfg.Storage.DataDir, newLogger(cfg.Log, stderr))
}

// openStore loads the configuration the flags name and opens its store.
func (cf commonFlags) openStore(ctx context.Context, getenv func(string) string, stderr io.Writer) (*db.DB, error) {
	cfg, err := cf.configure(getenv, nil)
	if err != nil {
		return nil, err
	}
	return openStore(ctx, cfg, stderr)
}
