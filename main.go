// Command gatehouse is a guest Wi-Fi controller for MikroTik routers: one
// binary with SQLite inside that stores sites, portals and coupons, pushes
// them to routers and serves an Altostrat-compatible HTTP API.
//
// This file wires the packages together: it parses subcommands and
// configuration, opens the store, builds the HTTP server, and owns the
// order of start-up and shutdown.
package main

import (
	"context"
	"errors"
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

const usage = `gatehouse — guest Wi-Fi controller for MikroTik routers

Usage:
  gatehouse serve   [-config FILE] [-listen ADDR] [-data-dir DIR]
  gatehouse token create -name NAME [-role admin|operator|frontdesk] [-ttl 720h] [-config FILE]
  gatehouse token list   [-config FILE]
  gatehouse token revoke ID [-config FILE]
  gatehouse admin create -username NAME [-role admin|operator|frontdesk] [-password-stdin]
  gatehouse admin password -username NAME [-password-stdin]
  gatehouse admin list | admin delete -username NAME
  gatehouse demo    [-listen ADDR]    try gatehouse with a simulated router (temporary data)
  gatehouse config  [-config FILE]    print the effective configuration (secrets redacted)
  gatehouse backup FILE [-force] [-with-key] [-config FILE]   consistent copy of the database, while serve runs
  gatehouse restore FILE [-key KEYFILE] [-config FILE]        replace the database with a backup (serve stopped)
  gatehouse keys rotate [-jwt] [-links] [-secrets] [-config FILE]
  gatehouse version

Every key of the configuration file can be overridden with an environment
variable GATEHOUSE_<SECTION>_<KEY>, e.g. GATEHOUSE_SERVER_LISTEN=0.0.0.0:8080.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stop()
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gatehouse:", err)
		os.Exit(1)
	}
}

// run executes one subcommand. It is main without the process: tests call it.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("missing subcommand")
	}
	switch args[0] {
	case "serve":
		return cmdServe(ctx, args[1:], stderr, getenv)
	case "token":
		return cmdToken(ctx, args[1:], stdout, stderr, getenv)
	case "demo":
		return cmdDemo(ctx, args[1:], stdout, stderr)
	case "admin":
		return cmdAdmin(ctx, args[1:], stdin, stdout, stderr, getenv)
	case "config":
		return cmdConfig(args[1:], stdout, stderr, getenv)
	case "backup":
		return cmdBackup(ctx, args[1:], stdout, stderr, getenv)
	case "restore":
		return cmdRestore(ctx, args[1:], stdout, stderr, getenv)
	case "keys":
		return cmdKeys(ctx, args[1:], stdout, stderr, getenv)
	case "version":
		fmt.Fprintln(stdout, "gatehouse", buildVersion())
		return nil
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown subcommand %q", args[0])
}

// commonFlags are the flags every subcommand takes.
type commonFlags struct {
	configPath string
	dataDir    string
}

func newFlagSet(name string, stderr io.Writer, cf *commonFlags) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cf.configPath, "config", "", "configuration file (TOML)")
	fs.StringVar(&cf.dataDir, "data-dir", "", "data directory (overrides storage.data_dir)")
	return fs
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

func cmdConfig(args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	var cf commonFlags
	fs := newFlagSet("config", stderr, &cf)
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, err := cf.configure(getenv, nil)
	if err != nil {
		return err
	}
	out, err := cfg.redacted()
	if err != nil {
		return err
	}
	_, err = io.WriteString(stdout, out)
	return err
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
