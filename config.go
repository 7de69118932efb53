package main

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"os"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"gatehouse/app"
	"gatehouse/db"
)

// Config is gatehouse's configuration: built-in defaults, overlaid by the
// TOML file, then by GATEHOUSE_<SECTION>_<KEY> environment variables, then
// by command-line flags. Fields tagged redact:"true" are secrets and are
// never printed.
type Config struct {
	Server   ServerConfig   `toml:"server"`
	Storage  StorageConfig  `toml:"storage"`
	Log      LogConfig      `toml:"log"`
	Coupons  CouponsConfig  `toml:"coupons"`
	Audit    AuditConfig    `toml:"audit"`
	SMTP     SMTPConfig     `toml:"smtp"`
	RouterOS RouterOSConfig `toml:"routeros"`
	Backup   BackupConfig   `toml:"backup"`
	Metrics  MetricsConfig  `toml:"metrics"`
	OAuth    OAuthConfig    `toml:"oauth"`
	Notify   NotifyConfig   `toml:"notify"`
	Portal   PortalConfig   `toml:"portal"`
	Guests   GuestsConfig   `toml:"guests"`
}

// GuestsConfig is [guests]: guests' personal data.
type GuestsConfig struct {
	// Retention is how long a guest's MAC and IP addresses and sign-in
	// identity are kept after their session; then they become a keyed
	// hash (counts and times stay).
	Retention Duration `toml:"retention"`
}

// PortalConfig is [portal]: the guest portal.
type PortalConfig struct {
	// DeviceMovesPerDay is how many times in 24 hours a code of one
	// device may move to another device (a phone that changed its private
	// MAC address); 0 never.
	DeviceMovesPerDay int `toml:"device_moves_per_day"`
}

// NotifyConfig is the [notify] section: how schedule notifications are sent.
type NotifyConfig struct {
	// AllowPrivateWebhooks lets webhooks reach loopback, private, link-local
	// and CGNAT addresses (a PMS on the LAN); cloud metadata addresses stay
	// refused.
	AllowPrivateWebhooks bool `toml:"allow_private_webhooks"`
}

// OAuthConfig is the [oauth] section: the identity providers' endpoints
// for OAuth2 guest sign-in. The defaults are the public ones; override
// them for a self-hosted identity provider or in tests.
type OAuthConfig struct {
	GoogleIssuer   string `toml:"google_issuer"`
	AzureAuthority string `toml:"azure_authority"`
	GitHubAuthURL  string `toml:"github_auth_url"`
	GitHubTokenURL string `toml:"github_token_url"`
	GitHubAPIURL   string `toml:"github_api_url"`
}

// BackupConfig is the [backup] section: scheduled backups into the data
// directory's backups folder.
type BackupConfig struct {
	Interval Duration `toml:"interval"`
	Keep     int      `toml:"keep"`
}

// MetricsConfig is the [metrics] section.
type MetricsConfig struct {
	// AllowRemote serves /metrics to any address, not only loopback.
	AllowRemote bool `toml:"allow_remote"`
}

// RouterOSConfig is the [routeros] section: how gatehouse talks to routers.
type RouterOSConfig struct {
	SyncInterval   Duration `toml:"sync_interval"`
	DialTimeout    Duration `toml:"dial_timeout"`
	CommandTimeout Duration `toml:"command_timeout"`
	Connections    int      `toml:"connections"`
}

// ServerConfig is the [server] section.
type ServerConfig struct {
	Listen  string `toml:"listen"`
	BaseURL string `toml:"base_url"`
	// AllowLoopbackBaseURL hands out login.html and coupon cards even when
	// base_url is a loopback address (the demo does, on purpose); otherwise
	// both are refused then and the admin page shows a warning.
	AllowLoopbackBaseURL bool `toml:"allow_loopback_base_url"`
}

// StorageConfig is the [storage] section.
type StorageConfig struct {
	DataDir string `toml:"data_dir"`
}

// LogConfig is the [log] section.
type LogConfig struct {
	Level  string `toml:"level"`
	Format string `toml:"format"`
}

// CouponsConfig is the [coupons] section.
type CouponsConfig struct {
	Retention Duration `toml:"retention"`
}

// AuditConfig is the [audit] section.
type AuditConfig struct {
	// Retention is how long audit events are kept; 0 keeps them for ever.
	Retention Duration `toml:"retention"`
}

// SMTPConfig is the [smtp] section: the mail server that sends schedule
// notifications. Empty host means e-mail notifications wait until it is set.
type SMTPConfig struct {
	Host     string `toml:"host"`
	Port     int    `toml:"port"`
	Username string `toml:"username"`
	Password string `toml:"password" redact:"true"`
	From     string `toml:"from"`
	TLS      string `toml:"tls"`
}

// Duration is a time.Duration written as "30s" or "720h" in TOML and
// environment variables.
type Duration struct{ time.Duration }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("%q is not a duration such as 30s or 24h", b)
	}
	d.Duration = v
	return nil
}

// MarshalText implements encoding.TextMarshaler.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// defaultConfig is the configuration with no file, environment or flags.
func defaultConfig() Config {
	return Config{
		Server:  ServerConfig{Listen: "127.0.0.1:8080"},
		Storage: StorageConfig{DataDir: "gatehouse-data"},
		Log:     LogConfig{Level: "info", Format: "text"},
		Coupons: CouponsConfig{Retention: Duration{30 * 24 * time.Hour}},
		Audit:   AuditConfig{Retention: Duration{400 * 24 * time.Hour}},
		Portal:  PortalConfig{DeviceMovesPerDay: app.DefaultDeviceMoves},
		Guests:  GuestsConfig{Retention: Duration{app.DefaultGuestRetention}},
		SMTP:    SMTPConfig{Port: 587, From: "gatehouse@localhost", TLS: "starttls"},
		RouterOS: RouterOSConfig{SyncInterval: Duration{30 * time.Second}, DialTimeout: Duration{5 * time.Second},
			CommandTimeout: Duration{10 * time.Second}, Connections: 2},
		Backup: BackupConfig{Interval: Duration{24 * time.Hour}, Keep: 7},
		OAuth: OAuthConfig{GoogleIssuer: "https://accounts.google.com", AzureAuthority: "https://login.microsoftonline.com",
			GitHubAuthURL: "https://github.com/login/oauth/authorize", GitHubTokenURL: "https://github.com/login/oauth/access_token",
			GitHubAPIURL: "https://api.github.com"},
	}
}

// loadConfig builds the effective configuration from the file at path (if
// not empty), the environment (getenv) and finally validates it. Errors name
// the offending key.
func loadConfig(path string, getenv func(string) string) (Config, error) {
	cfg := defaultConfig()
	if path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			return cfg, fmt.Errorf("read config: %w", err)
		}
		md, err := toml.Decode(string(data), &cfg)
		if err != nil {
			return cfg, fmt.Errorf("config file %s: %w", path, err)
		}
		if undecoded := md.Undecoded(); len(undecoded) > 0 {
			return cfg, fmt.Errorf("config file %s: unknown key %s", path, undecoded[0])
		}
	}
	if err := applyEnv(&cfg, getenv); err != nil {
		return cfg, err
	}
	return cfg, nil
}

// finish fills derived defaults and validates; call it after flags are applied.
func (c *Config) finish() error {
	if c.Server.BaseURL == "" {
		c.Server.BaseURL = "http://" + publicHostPort(c.Server.Listen)
	}
	c.Server.BaseURL = strings.TrimRight(c.Server.BaseURL, "/")
	return c.validate()
}

// publicHostPort turns a listen address into something a browser can use:
// an unspecified host (":8080", "0.0.0.0:8080") becomes 127.0.0.1.
func publicHostPort(listen string) string {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return listen
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}

// loopbackWarning is the warning serve logs when guests are sent to a
// loopback base_url while gatehouse listens on other addresses too; ""
// when there is nothing to warn about.
func (c *Config) loopbackWarning() string {
	host, _, err := net.SplitHostPort(c.Server.Listen)
	if err != nil || !app.IsLoopbackURL(c.Server.BaseURL) || app.IsLoopbackHost(host) {
		return ""
	}
	return "server.base_url " + c.Server.BaseURL + " is a loopback address, but gatehouse listens on " + c.Server.Listen +
		": guests' devices cannot open it, so login.html and coupon cards are refused. Set [server] base_url " +
		"(or GATEHOUSE_SERVER_BASE_URL) to the address guests reach gatehouse at, for example http://192.168.88.10:8080"
}

// validate checks every key and names the first bad one.
func (c *Config) validate() error {
	bad := func(key, format string, args ...any) error {
		return fmt.Errorf("config: %s: %s", key, fmt.Sprintf(format, args...))
	}
	if _, port, err := net.SplitHostPort(c.Server.Listen); err != nil || port == "" {
		return bad("server.listen", "%q must be host:port, for example 127.0.0.1:8080", c.Server.Listen)
	}
	u, err := url.Parse(c.Server.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return bad("server.base_url", "%q must be an absolute http or https URL such as https://wifi.example.com", c.Server.BaseURL)
	}
	if strings.TrimSpace(c.Storage.DataDir) == "" {
		return bad("storage.data_dir", "must not be empty")
	}
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		return bad("log.level", "%q must be debug, info, warn or error", c.Log.Level)
	}
	switch c.Log.Format {
	case "text", "json":
	default:
		return bad("log.format", "%q must be text or json", c.Log.Format)
	}
	if c.Coupons.Retention.Duration < time.Hour {
		return bad("coupons.retention", "%s must be at least 1h", c.Coupons.Retention)
	}
	if r := c.Audit.Retention.Duration; r != 0 && r < db.MinAuditRetention {
		return bad("audit.retention", "%s must be 0 (keep for ever) or at least %s", c.Audit.Retention, db.MinAuditRetention)
	}
	if c.SMTP.Port < 1 || c.SMTP.Port > 65535 {
		return bad("smtp.port", "%d must be between 1 and 65535", c.SMTP.Port)
	}
	switch c.SMTP.TLS {
	case "starttls", "tls", "none":
	default:
		return bad("smtp.tls", "%q must be starttls, tls or none", c.SMTP.TLS)
	}
	for _, d := range []struct {
		key string
		v   time.Duration
	}{{"routeros.sync_interval", c.RouterOS.SyncInterval.Duration}, {"routeros.dial_timeout", c.RouterOS.DialTimeout.Duration},
		{"routeros.command_timeout", c.RouterOS.CommandTimeout.Duration}} {
		if d.v < time.Second {
			return bad(d.key, "%s must be at least 1s", d.v)
		}
	}
	if c.Backup.Interval.Duration != 0 && c.Backup.Interval.Duration < time.Minute {
		return bad("backup.interval", "%s must be 0 (off) or at least 1m", c.Backup.Interval)
	}
	if c.Backup.Keep < 1 || c.Backup.Keep > 1000 {
		return bad("backup.keep", "%d must be between 1 and 1000", c.Backup.Keep)
	}
	for _, o := range []struct{ key, v string }{{"oauth.google_issuer", c.OAuth.GoogleIssuer},
		{"oauth.azure_authority", c.OAuth.AzureAuthority}, {"oauth.github_auth_url", c.OAuth.GitHubAuthURL},
		{"oauth.github_token_url", c.OAuth.GitHubTokenURL}, {"oauth.github_api_url", c.OAuth.GitHubAPIURL}} {
		u, err := url.Parse(o.v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			return bad(o.key, "%q must be an absolute http or https URL without query", o.v)
		}
	}
	if r := c.Guests.Retention.Duration; r < app.MinGuestRetention {
		return bad("guests.retention", "%s must be at least %s", c.Guests.Retention, app.MinGuestRetention)
	}
	if n := c.Portal.DeviceMovesPerDay; n < 0 || n > 100 {
		return bad("portal.device_moves_per_day", "%d must be between 0 (never) and 100", n)
	}
	if c.RouterOS.Connections < 1 || c.RouterOS.Connections > 16 {
		return bad("routeros.connections", "%d must be between 1 and 16", c.RouterOS.Connections)
	}
	if c.SMTP.Host != "" {
		if _, err := mail.ParseAddress(c.SMTP.From); err != nil {
			return bad("smtp.from", "%q is not an e-mail address", c.SMTP.From)
		}
	}
	return nil
}

// applyEnv overrides every key for which GATEHOUSE_<SECTION>_<KEY> is set.
func applyEnv(cfg *Config, getenv func(string) string) error {
	return eachKey(cfg, func(section, key string, v reflect.Value, _ reflect.StructField) error {
		name := "GATEHOUSE_" + strings.ToUpper(section+"_"+key)
		raw := getenv(name)
		if raw == "" {
			return nil
		}
		if err := setValue(v, raw); err != nil {
			return fmt.Errorf("environment %s (%s.%s): %w", name, section, key, err)
		}
		return nil
	})
}

// eachKey calls fn for every section.key of cfg.
func eachKey(cfg *Config, fn func(section, key string, v reflect.Value, f reflect.StructField) error) error {
	root := reflect.ValueOf(cfg).Elem()
	for i := 0; i < root.NumField(); i++ {
		section := root.Type().Field(i).Tag.Get("toml")
		sv := root.Field(i)
		for j := 0; j < sv.NumField(); j++ {
			f := sv.Type().Field(j)
			if err := fn(section, f.Tag.Get("toml"), sv.Field(j), f); err != nil {
				return err
			}
		}
	}
	return nil
}

// setValue parses raw into v according to v's type.
func setValue(v reflect.Value, raw string) error {
	if u, ok := v.Addr().Interface().(interface{ UnmarshalText([]byte) error }); ok {
		return u.UnmarshalText([]byte(raw))
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(raw)
	case reflect.Int, reflect.Int64:
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return fmt.Errorf("%q is not a whole number", raw)
		}
		v.SetInt(n)
	case reflect.Bool:
		b, err := strconv.ParseBool(raw)
		if err != nil {
			return fmt.Errorf("%q is not true or false", raw)
		}
		v.SetBool(b)
	default:
		return errors.New("unsupported type")
	}
	return nil
}

// redacted returns the configuration as TOML with secrets replaced.
func (c Config) redacted() (string, error) {
	cp := c
	redactValue(reflect.ValueOf(&cp).Elem())
	var buf bytes.Buffer
	if err := toml.NewEncoder(&buf).Encode(cp); err != nil {
		return "", err
	}
	return buf.String(), nil
}

// redactValue replaces every non-empty string field tagged redact:"true"
// in the struct v (and its nested structs) with "<redacted>".
func redactValue(v reflect.Value) {
	for i := 0; i < v.NumField(); i++ {
		f, fv := v.Type().Field(i), v.Field(i)
		switch {
		case fv.Kind() == reflect.Struct:
			redactValue(fv)
		case f.Tag.Get("redact") == "true" && fv.Kind() == reflect.String && fv.String() != "":
			fv.SetString("<redacted>")
		}
	}
}
