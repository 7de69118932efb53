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
	"runtime"
	"runtime/debug"
	"strings"
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

// cmdVersion is "gatehouse version": the version, then the commit, its
// time and the toolchain, as far as the build recorded them.
func cmdVersion(*flag.FlagSet) action {
	return func(_ context.Context, c console, _ []string) error {
		bi, _ := debug.ReadBuildInfo()
		_, err := io.WriteString(c.stdout, readBuild(bi, version).String())
		return err
	}
}

// buildVersion is the version /healthz, the log and "gatehouse version"
// report: the -ldflags version, or the main module's version (go build
// takes it from the VCS tag or commit, with +dirty for a modified tree),
// or "dev".
func buildVersion() string {
	bi, _ := debug.ReadBuildInfo()
	return readBuild(bi, version).version
}

// buildDetails is what a binary knows of its build.
type buildDetails struct {
	version  string
	commit   string // vcs.revision, "" when built without VCS stamping
	time     string // vcs.time: the commit's time (builds are reproducible, so no build clock is stamped)
	modified bool   // vcs.modified: the tree had changes not committed
	goVer    string
	platform string
}

// readBuild reads bi (nil when the binary has no build info); an -ldflags
// version, when set, wins over the module version.
func readBuild(bi *debug.BuildInfo, ldflagsVersion string) buildDetails {
	d := buildDetails{version: ldflagsVersion, goVer: runtime.Version(), platform: runtime.GOOS + "/" + runtime.GOARCH}
	if bi != nil {
		if d.version == "" && bi.Main.Version != "(devel)" {
			d.version = bi.Main.Version
		}
		if bi.GoVersion != "" {
			d.goVer = bi.GoVersion
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				d.commit = s.Value
			case "vcs.time":
				d.time = s.Value
			case "vcs.modified":
				d.modified = s.Value == "true"
			case "GOARM":
				d.platform += "/v" + s.Value
			}
		}
	}
	if d.version == "" {
		d.version = "dev"
	}
	return d
}

// String is the text of "gatehouse version".
func (d buildDetails) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "gatehouse %s\n", d.version)
	if d.commit == "" {
		b.WriteString("commit: unknown (built without VCS information)\n")
	} else {
		mod := ""
		if d.modified {
			mod = " (modified)"
		}
		fmt.Fprintf(&b, "commit: %s%s\n", d.commit, mod)
	}
	if d.time != "" {
		fmt.Fprintf(&b, "commit time: %s\n", d.time)
	}
	fmt.Fprintf(&b, "go: %s %s\n", d.goVer, d.platform)
	return b.String()
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
