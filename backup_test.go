package main

import (
	"bytes"
	"database/sql"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gatehouse/db"
)

// runErr runs one gatehouse subcommand that must fail and returns its error.
func runErr(t *testing.T, args ...string) error {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(t.Context(), args, strings.NewReader(""), &out, &errOut, env(nil))
	if err == nil {
		t.Fatalf("gatehouse %s succeeded, want an error:\n%s", strings.Join(args, " "), out.String())
	}
	return err
}

// newToken creates an admin token with the CLI and returns the bearer.
func newToken(t *testing.T, dir string) string {
	t.Helper()
	out := strings.TrimSpace(cli(t, "token", "create", "-name", "test", "-data-dir", dir))
	return out[strings.LastIndex(out, "\n")+1:]
}

// sitePassword reads a site's stored password straight from the store.
func sitePassword(t *testing.T, dir, id string) string {
	t.Helper()
	store, err := db.Open(t.Context(), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	s, err := store.Site(t.Context(), id)
	if err != nil {
		t.Fatalf("site %s: %v", id, err)
	}
	return s.Password
}

// TestBackupAndRestore is the README's Backups section: a backup while
// serve runs, a restore after it stopped.
func TestBackupAndRestore(t *testing.T) {
	dir := t.TempDir()
	addr := freeAddr(t)
	stop := serve(t, dir, addr)
	token := newToken(t, dir)
	status, site := request(t, http.MethodPost, "http://"+addr+"/captive/sites", token,
		`{"name":"Lobby","host":"127.0.0.1","username":"api","password":"s3cret"}`)
	if status != http.StatusCreated {
		t.Fatalf("create site: %d %v", status, site)
	}
	siteID := site["id"].(string)

	file := filepath.Join(t.TempDir(), "gatehouse.backup")
	out := cli(t, "backup", file, "-data-dir", dir)
	for _, want := range []string{"wrote " + file, fmt.Sprintf("schema version %d", db.SchemaVersion()), "integrity ok", db.KeyFile(dir)} {
		if !strings.Contains(out, want) {
			t.Errorf("backup output lacks %q:\n%s", want, out)
		}
	}
	if err := runErr(t, "backup", file, "-data-dir", dir); !strings.Contains(err.Error(), "exists") {
		t.Errorf("second backup to the same file: %v, want a refusal to overwrite", err)
	}
	out = cli(t, "backup", "-force", "-with-key", file, "-data-dir", dir)
	if !strings.Contains(out, file+".key") {
		t.Errorf("backup -with-key output lacks the key file:\n%s", out)
	}
	if fi, err := os.Stat(file + ".key"); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file next to the backup: %v", err)
	}

	// Restore refuses while serve runs, and changes nothing.
	if err := runErr(t, "restore", file, "-data-dir", dir); !strings.Contains(err.Error(), "in use") {
		t.Errorf("restore while serving: %v, want in use", err)
	}
	status, later := request(t, http.MethodPost, "http://"+addr+"/captive/sites", token,
		`{"name":"Later","host":"127.0.0.2","username":"api","password":"later"}`)
	if status != http.StatusCreated {
		t.Fatalf("create site after the refused restore: %d %v", status, later)
	}
	stop()

	out = cli(t, "restore", file, "-data-dir", dir)
	for _, want := range []string{"integrity ok", "kept the replaced database as " + db.DatabaseFile(dir) + ".before-restore-", "restored"} {
		if !strings.Contains(out, want) {
			t.Errorf("restore output lacks %q:\n%s", want, out)
		}
	}
	if pw := sitePassword(t, dir, siteID); pw != "s3cret" {
		t.Errorf("restored site password %q, want s3cret", pw)
	}

	stop = serve(t, dir, addr)
	defer stop()
	if status, got := request(t, http.MethodGet, "http://"+addr+"/captive/sites/"+siteID, token, ""); status != http.StatusOK || got["name"] != "Lobby" {
		t.Errorf("site after restore: %d %v", status, got)
	}
	if status, _ := request(t, http.MethodGet, "http://"+addr+"/captive/sites/"+later["id"].(string), token, ""); status != http.StatusNotFound {
		t.Errorf("site created after the backup: %d, want 404", status)
	}
}

func TestRestoreRefusesBadFiles(t *testing.T) {
	dir := t.TempDir()
	cli(t, "token", "create", "-name", "seed", "-data-dir", dir)
	good := filepath.Join(t.TempDir(), "good.db")
	cli(t, "backup", good, "-data-dir", dir)

	garbage := filepath.Join(t.TempDir(), "garbage.db")
	if err := os.WriteFile(garbage, bytes.Repeat([]byte("garbage!"), 1024), 0o600); err != nil {
		t.Fatal(err)
	}
	newer := filepath.Join(t.TempDir(), "newer.db")
	cli(t, "backup", newer, "-data-dir", dir)
	pool, err := sql.Open("sqlite", newer)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(fmt.Sprintf("PRAGMA user_version = %d", db.SchemaVersion()+1)); err != nil {
		t.Fatal(err)
	}
	pool.Close()
	before, err := os.ReadFile(db.DatabaseFile(dir))
	if err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"restore", garbage}, "not a readable SQLite database"},
		{[]string{"restore", newer}, "newer than this gatehouse"},
		{[]string{"restore", filepath.Join(dir, "missing.db")}, "does not exist"},
		{[]string{"restore", good, "-key", garbage}, "key file"},
		{[]string{"restore"}, "want exactly one"},
		{[]string{"backup"}, "want exactly one"},
		{[]string{"backup", filepath.Join(t.TempDir(), "x.db"), "-data-dir", filepath.Join(dir, "nowhere")}, "no gatehouse database"},
	} {
		args := tc.args
		if !strings.Contains(strings.Join(args, " "), "-data-dir") {
			args = append(args, "-data-dir", dir)
		}
		if err := runErr(t, args...); !strings.Contains(err.Error(), tc.want) {
			t.Errorf("gatehouse %v: %v, want it to say %q", tc.args, err, tc.want)
		}
	}
	after, err := os.ReadFile(db.DatabaseFile(dir))
	if err != nil || !bytes.Equal(before, after) {
		t.Errorf("a refused restore changed the database: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "nowhere")); !os.IsNotExist(err) {
		t.Errorf("backup with a wrong data directory created it: %v", err)
	}
}
