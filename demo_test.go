package main

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestDemo runs "gatehouse demo" as a newcomer would: it prints the admin
// URL and credentials, the admin signs in, and the dashboard shows the
// simulated router online with guests on it and coupons issued; on stop
// the temporary data is gone.
func TestDemo(t *testing.T) {
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(t.Context())
	var out, logs syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"demo", "-listen", addr}, strings.NewReader(""), &out, &logs, env(nil))
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("demo returned %v\n%s", err, logs.String())
		}
	}()

	banner := regexp.MustCompile(`Sign in as admin:\s+admin / (\S+)[\s\S]*Data directory:\s+(\S+)`)
	var m []string
	waitFor(t, 15*time.Second, "the demo banner", func() bool {
		m = banner.FindStringSubmatch(out.String())
		return m != nil
	})
	if !strings.Contains(out.String(), "http://"+addr+"/") {
		t.Fatalf("banner does not name the admin URL:\n%s", out.String())
	}
	password, dataDir := m[1], m[2]

	status, login := request(t, http.MethodPost, "http://"+addr+"/auth/login", "",
		`{"username":"admin","password":"`+password+`"}`)
	if status != http.StatusOK {
		t.Fatalf("sign in with the printed credentials: %d %v", status, login)
	}
	token := login["token"].(string)
	var dash map[string]any
	waitFor(t, 15*time.Second, "the simulated router online with 3 guests", func() bool {
		_, dash = request(t, http.MethodGet, "http://"+addr+"/captive/dashboard", token, "")
		sites, _ := dash["sites"].(map[string]any)
		return sites != nil && sites["online"] == 1.0 && dash["guests_online"] == 3.0
	})
	// The three guests redeemed their codes their uptime ago: in the first
	// hour after midnight (UTC) some of that was yesterday.
	_, dash = request(t, http.MethodGet, "http://"+addr+"/captive/dashboard?tz=UTC", token, "")
	now, today := time.Now().UTC(), 0
	for _, g := range demoGuests {
		up, err := time.ParseDuration(g.uptime)
		if err != nil {
			t.Fatal(err)
		}
		if now.Add(-up).Day() == now.Day() {
			today++
		}
	}
	coupons := dash["coupons"].(map[string]any)
	if coupons["issued_today"].(float64) < 20 || coupons["redeemed_today"].(float64) != float64(today) {
		t.Fatalf("dashboard coupons = %v, want %d redeemed today (UTC)", coupons, today)
	}
	demoGuestLinks(t, addr, token)

	cancel()
	if err := <-done; err != nil {
		t.Fatalf("demo returned %v\n%s", err, logs.String())
	}
	done <- nil // for the deferred check
	if _, err := os.Stat(dataDir); !os.IsNotExist(err) {
		t.Fatalf("demo data directory %s is still there: %v", dataDir, err)
	}
}

func TestDemoNeedsAFixedPort(t *testing.T) {
	if err := runErr(t, "demo", "-listen", "127.0.0.1:0"); !strings.Contains(err.Error(), "fixed port") {
		t.Fatalf("demo on port 0: %v", err)
	}
}

// demoGuestLinks: the demo points guests at 127.0.0.1 on purpose, so its
// login.html downloads and no setup warning is shown.
func demoGuestLinks(t *testing.T, addr, token string) {
	t.Helper()
	_, me := request(t, http.MethodGet, "http://"+addr+"/auth/me", token, "")
	if w, _ := me["warnings"].([]any); len(w) != 0 {
		t.Errorf("the demo shows setup warnings %v", w)
	}
	req, err := http.NewRequest(http.MethodGet, "http://"+addr+"/captive/instances", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var list []struct {
		ID    string `json:"id"`
		Sites []struct {
			ID string `json:"id"`
		} `json:"sites"`
	}
	err = json.NewDecoder(res.Body).Decode(&list)
	res.Body.Close()
	if err != nil || len(list) != 1 || len(list[0].Sites) != 1 {
		t.Fatalf("demo instances = %+v (%v)", list, err)
	}
	status, _ := request(t, http.MethodGet, "http://"+addr+"/captive/instances/"+list[0].ID+"/hotspot/login.html?site="+list[0].Sites[0].ID, token, "")
	if status != http.StatusOK {
		t.Fatalf("demo login.html: %d, want 200", status)
	}
}
