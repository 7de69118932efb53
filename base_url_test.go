package main

import (
	"bytes"
	"log/slog"
	"net/http"
	"strings"
	"testing"
)

// TestLoopbackBaseURLWarning: serve warns at start when the base URL
// guests are sent to is loopback while it listens elsewhere, naming the
// setting to change; not when it listens on loopback only or base_url is
// set. (Tests listen on loopback only, so the warning is checked on the
// configuration serve builds from -listen 0.0.0.0:8080.)
func TestLoopbackBaseURLWarning(t *testing.T) {
	for _, tc := range []struct {
		name, listen, baseURL string
		warn                  bool
	}{
		{"all addresses, base_url derived", "0.0.0.0:8080", "", true},
		{"unspecified host, base_url derived", ":8080", "", true},
		{"all addresses, localhost base_url", "0.0.0.0:8080", "http://localhost:8080", true},
		{"all addresses, base_url set", "0.0.0.0:8080", "http://192.168.88.10:8080", false},
		{"loopback only", "127.0.0.1:8080", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var cf commonFlags
			getenv := env(map[string]string{"GATEHOUSE_SERVER_BASE_URL": tc.baseURL})
			cfg, err := cf.configure(getenv, func(c *Config) { c.Server.Listen = tc.listen })
			if err != nil {
				t.Fatal(err)
			}
			var logs bytes.Buffer
			warnBaseURL(cfg, slog.New(slog.NewTextHandler(&logs, nil)))
			got := logs.String()
			if !tc.warn {
				if got != "" {
					t.Fatalf("got warning %q, want none", got)
				}
				return
			}
			for _, want := range []string{"level=WARN", "[server] base_url", "GATEHOUSE_SERVER_BASE_URL", "listen=" + tc.listen} {
				if !strings.Contains(got, want) {
					t.Errorf("warning %q does not say %q", got, want)
				}
			}
		})
	}
}

// TestServeLoopbackBaseURLRefusesGuestLinks: a real serve with the default
// (loopback) base_url refuses login.html with 409 and reports the problem
// on /auth/me for the admin page's banner.
func TestServeLoopbackBaseURLRefusesGuestLinks(t *testing.T) {
	dir, addr := t.TempDir(), freeAddr(t)
	stop := serve(t, dir, addr)
	defer stop()
	lines := strings.Split(strings.TrimSpace(cli(t, "token", "create", "-name", "t", "-role", "admin", "-data-dir", dir)), "\n")
	token := lines[len(lines)-1]
	status, me := request(t, http.MethodGet, "http://"+addr+"/auth/me", token, "")
	if status != http.StatusOK {
		t.Fatalf("GET /auth/me: %d %v", status, me)
	}
	warnings, _ := me["warnings"].([]any)
	if len(warnings) != 1 || warnings[0].(map[string]any)["code"] != "base_url_loopback" {
		t.Fatalf("warnings = %v, want one base_url_loopback", me["warnings"])
	}
}
