package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// freeAddr returns a loopback address with a port nobody listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// cli runs one gatehouse subcommand and returns its stdout.
func cli(t *testing.T, args ...string) string {
	t.Helper()
	var out, errOut bytes.Buffer
	if err := run(t.Context(), args, strings.NewReader(""), &out, &errOut, env(nil)); err != nil {
		t.Fatalf("gatehouse %s: %v\n%s", strings.Join(args, " "), err, errOut.String())
	}
	return out.String()
}

// serve runs "gatehouse serve" until the returned stop is called.
func serve(t *testing.T, dataDir, addr string) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	var logs bytes.Buffer
	go func() {
		done <- run(ctx, []string{"serve", "-data-dir", dataDir, "-listen", addr}, strings.NewReader(""), &logs, &logs, env(nil))
	}()
	deadline := time.Now().Add(10 * time.Second)
	for {
		res, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			res.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("server did not start: %v\n%s", <-done, logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	return func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve returned %v", err)
		}
	}
}

func request(t *testing.T, method, url, token, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var m map[string]any
	_ = json.NewDecoder(res.Body).Decode(&m) // some answers have no body
	return res.StatusCode, m
}

// TestReadmeFlow is the README's first minutes: serve, create a token with
// the CLI, add a site with it, stop, start again, find the site.
func TestReadmeFlow(t *testing.T) {
	dir := t.TempDir()
	addr := freeAddr(t)
	stop := serve(t, dir, addr)

	out := cli(t, "token", "create", "-name", "ops", "-role", "admin", "-data-dir", dir)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	token := lines[len(lines)-1]
	if strings.Count(token, ".") != 2 {
		t.Fatalf("last line of token create is not a JWT: %q", out)
	}
	status, site := request(t, http.MethodPost, "http://"+addr+"/captive/sites", token,
		`{"name":"Lobby","host":"127.0.0.1","username":"api","password":"s3cret"}`)
	if status != http.StatusCreated {
		t.Fatalf("create site: %d %v", status, site)
	}
	stop()

	stop = serve(t, dir, addr)
	defer stop()
	status, got := request(t, http.MethodGet, "http://"+addr+"/captive/sites/"+site["id"].(string), token, "")
	if status != http.StatusOK || got["name"] != "Lobby" {
		t.Fatalf("after restart: %d %v", status, got)
	}

	list := cli(t, "token", "list", "-data-dir", dir)
	id := strings.Fields(lines[0])[2]
	if !strings.Contains(list, id) || !strings.Contains(list, "active") {
		t.Fatalf("token list does not show %s as active:\n%s", id, list)
	}
	cli(t, "token", "revoke", id, "-data-dir", dir)
	if status, _ := request(t, http.MethodGet, "http://"+addr+"/captive/sites", token, ""); status != http.StatusUnauthorized {
		t.Fatalf("revoked token answered %d, want 401", status)
	}
}

func TestCLIErrors(t *testing.T) {
	dir := t.TempDir()
	cases := [][]string{
		{},
		{"launch"},
		{"token"},
		{"token", "create", "-name", "", "-data-dir", dir},
		{"token", "create", "-name", "x", "-role", "root", "-data-dir", dir},
		{"token", "revoke", "-data-dir", dir},
		{"token", "revoke", "0190c0de-0000-7000-8000-000000000000", "-data-dir", dir},
		{"serve", "-listen", "nonsense", "-data-dir", dir},
	}
	for _, args := range cases {
		var out, errOut bytes.Buffer
		if err := run(t.Context(), args, strings.NewReader(""), &out, &errOut, env(nil)); err == nil {
			t.Errorf("gatehouse %q succeeded, want an error", args)
		}
	}
	out := cli(t, "config", "-data-dir", dir)
	if !strings.Contains(out, fmt.Sprintf("data_dir = %q", dir)) {
		t.Fatalf("config output lacks the data dir:\n%s", out)
	}
	if v := cli(t, "version"); !strings.HasPrefix(v, "gatehouse ") {
		t.Fatalf("version = %q", v)
	}
}

// TestDependencyRule enforces docs/design.md: app imports no project package,
// and the adapters (db, notify, routeros, scheduler, web) import only app.
func TestDependencyRule(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Imports " "}}`, "./...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	adapters := map[string]bool{"db": true, "notify": true, "routeros": true, "scheduler": true, "web": true}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg := topDir(fields[0])
		for _, imp := range fields[1:] {
			if !strings.HasPrefix(imp, "gatehouse/") {
				continue
			}
			dep := topDir(imp)
			switch {
			case dep == pkg:
			case pkg == "app":
				t.Errorf("%s imports %s: app must not import project packages", fields[0], imp)
			case adapters[pkg] && dep != "app":
				t.Errorf("%s imports %s: adapters import only app", fields[0], imp)
			}
		}
	}
}

// topDir is the first path element of a package below the module.
func topDir(pkg string) string {
	rest, ok := strings.CutPrefix(pkg, "gatehouse/")
	if !ok {
		return ""
	}
	top, _, _ := strings.Cut(rest, "/")
	return top
}
