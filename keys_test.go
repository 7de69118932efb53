package main

import (
	"bytes"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gatehouse/db"
)

// TestKeysRotate rotates each key and checks that what it signed or
// encrypted before behaves as the output says.
func TestKeysRotate(t *testing.T) {
	dir := t.TempDir()
	addr := freeAddr(t)
	base := "http://" + addr
	stop := serve(t, dir, addr)
	token := newToken(t, dir)
	status, site := request(t, http.MethodPost, base+"/captive/sites", token,
		`{"name":"Lobby","host":"127.0.0.1","username":"api","password":"s3cret"}`)
	if status != http.StatusCreated {
		t.Fatalf("create site: %d %v", status, site)
	}
	status, instance := request(t, http.MethodPost, base+"/captive/instances", token,
		`{"name":"Guest WiFi","strategy":"coupon","session_ttl":3600}`)
	if status != http.StatusCreated {
		t.Fatalf("create instance: %d %v", status, instance)
	}
	schedules := base + "/captive/instances/" + instance["id"].(string) + "/coupon-schedules"
	status, schedule := request(t, http.MethodPost, schedules, token,
		`{"name":"Daily","count":5,"recurrence_type":"daily","valid_for_in_minutes":480,"timezone":"UTC","run_at":"08:00"}`)
	if status != http.StatusCreated {
		t.Fatalf("create schedule: %d %v", status, schedule)
	}
	status, link := request(t, http.MethodGet, schedules+"/"+schedule["id"].(string)+"/generate_url", token, "")
	if status != http.StatusOK {
		t.Fatalf("generate_url: %d %v", status, link)
	}
	signedURL := link["signed_url"].(string)
	if status, _ := request(t, http.MethodGet, signedURL, "", ""); status != http.StatusOK {
		t.Fatalf("signed link before rotation: %d", status)
	}

	// The signing keys rotate under a running server; the token records
	// are revoked at once.
	out := cli(t, "keys", "rotate", "-jwt", "-data-dir", dir)
	for _, want := range []string{"every API token stops working", "gatehouse token create", "restart"} {
		if !strings.Contains(out, want) {
			t.Errorf("keys rotate -jwt output lacks %q:\n%s", want, out)
		}
	}
	if status, _ := request(t, http.MethodGet, base+"/captive/sites", token, ""); status != http.StatusUnauthorized {
		t.Errorf("old token after rotate -jwt: %d, want 401", status)
	}
	// The secret key does not, and nothing changes.
	oldKey, err := os.ReadFile(db.KeyFile(dir))
	if err != nil {
		t.Fatal(err)
	}
	if err := runErr(t, "keys", "rotate", "-data-dir", dir); !strings.Contains(err.Error(), "in use") {
		t.Errorf("keys rotate while serving: %v, want in use", err)
	}
	if key, _ := os.ReadFile(db.KeyFile(dir)); !bytes.Equal(key, oldKey) {
		t.Fatal("a refused rotation changed secret.key")
	}
	stop()

	out = cli(t, "keys", "rotate", "-data-dir", dir)
	for _, want := range []string{"every API token stops working", "links handed out before now no longer work",
		"re-encrypted", db.KeyFile(dir) + ".old-", "restart"} {
		if !strings.Contains(out, want) {
			t.Errorf("keys rotate output lacks %q:\n%s", want, out)
		}
	}
	if key, _ := os.ReadFile(db.KeyFile(dir)); bytes.Equal(key, oldKey) {
		t.Fatal("secret.key did not change")
	}
	if old, _ := filepath.Glob(db.KeyFile(dir) + ".old-*"); len(old) != 1 {
		t.Errorf("old key files: %v, want one", old)
	}
	if pw := sitePassword(t, dir, site["id"].(string)); pw != "s3cret" {
		t.Errorf("site password after rotation: %q", pw)
	}

	stop = serve(t, dir, addr)
	defer stop()
	if status, _ := request(t, http.MethodGet, signedURL, "", ""); status != http.StatusForbidden {
		t.Errorf("signed link after rotate -links: %d, want 403", status)
	}
	if status, _ := request(t, http.MethodGet, base+"/captive/sites", token, ""); status != http.StatusUnauthorized {
		t.Errorf("old token after restart: %d, want 401", status)
	}
	fresh := newToken(t, dir)
	if status, got := request(t, http.MethodGet, base+"/captive/sites/"+site["id"].(string), fresh, ""); status != http.StatusOK {
		t.Errorf("new token after rotation: %d %v", status, got)
	}
}

func TestKeysErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"keys"}, "want rotate"},
		{[]string{"keys", "list"}, "want rotate"},
		{[]string{"keys", "rotate", "now", "-data-dir", dir}, "unexpected argument"},
		{[]string{"keys", "rotate", "-jwt", "-data-dir", dir}, "no gatehouse database"},
		{[]string{"keys", "rotate", "-secrets", "-data-dir", dir}, "no gatehouse database"},
	} {
		if err := runErr(t, tc.args...); !strings.Contains(err.Error(), tc.want) {
			t.Errorf("gatehouse %v: %v, want it to say %q", tc.args, err, tc.want)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) > 0 {
		t.Errorf("failed key rotations left files in an empty data directory: %v", entries)
	}
}
