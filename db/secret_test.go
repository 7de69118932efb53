package db

import (
	"bytes"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"gatehouse/app"
)

func TestSecretsNotStoredInClear(t *testing.T) {
	dir := t.TempDir()
	db := openAt(t, dir)
	ctx := t.Context()
	const sitePW, clientSecret = "s3cret-router-pw", "oauth-client-s3cret-value"
	s := testSite("lobby")
	s.Password = sitePW
	mustCreateSite(t, db, s)
	a := testIntegration("google")
	a.ClientSecret = clientSecret
	mustCreateIntegration(t, db, a)
	key, err := db.Key(ctx, "jwt", 32)
	if err != nil {
		t.Fatal(err)
	}

	files := []string{filepath.Join(dir, dbFileName), filepath.Join(dir, dbFileName+"-wal")}
	check := func(when string) {
		t.Helper()
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil && !errors.Is(err, os.ErrNotExist) {
				t.Fatal(err)
			}
			for _, secret := range [][]byte{[]byte(sitePW), []byte(clientSecret), key} {
				if bytes.Contains(b, secret) {
					t.Errorf("%s: %s holds a secret in clear (%q)", when, filepath.Base(f), secret)
				}
			}
		}
	}
	check("before checkpoint")
	var busy, logged, done int
	if err := db.writer.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logged, &done); err != nil || busy != 0 {
		t.Fatalf("checkpoint: busy %d, %v", busy, err)
	}
	check("after checkpoint")
	// The database does hold the other fields, so the file read is real.
	b, err := os.ReadFile(files[0])
	if err != nil || !bytes.Contains(b, []byte("client-google")) {
		t.Fatalf("database file does not hold the client id after checkpoint: %v", err)
	}

	fi, err := os.Stat(filepath.Join(dir, secretFileName))
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != 0o600 {
		t.Errorf("secret.key mode: got %04o, want 0600", got)
	}
}

func TestCiphertextBoundToRow(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	a := mustCreateSite(t, db, testSite("a"))
	b := mustCreateSite(t, db, testSite("b"))
	if _, err := db.writer.ExecContext(ctx,
		`UPDATE sites SET password = (SELECT password FROM sites WHERE id = ?) WHERE id = ?`, a.ID, b.ID); err != nil {
		t.Fatal(err)
	}
	got, err := db.Site(ctx, b.ID)
	if err == nil {
		t.Fatalf("Site with a copied password: got %+v, want an error", got)
	}
	if !errors.Is(err, errDecrypt) || app.ErrorCode(err) != app.EInternal {
		t.Errorf("error: got %v, want internal errDecrypt", err)
	}
	if strings.Contains(err.Error(), "pw-a") {
		t.Errorf("error %q quotes the password", err)
	}
	if _, err := db.ListSites(ctx); !errors.Is(err, errDecrypt) {
		t.Errorf("ListSites: got %v, want errDecrypt", err)
	}
	if got, err := db.Site(ctx, a.ID); err != nil || got.Password != "pw-a" {
		t.Errorf("site a: got %q, %v, want its own password", got.Password, err)
	}
}

func TestSealer(t *testing.T) {
	s, err := newSealer(bytes.Repeat([]byte{7}, secretKeySize))
	if err != nil {
		t.Fatal(err)
	}
	if v, err := s.seal("p", nil); v != nil || err != nil {
		t.Errorf("seal(empty): got %x, %v, want nil (NULL)", v, err)
	}
	if v, err := s.open("p", nil); v != nil || err != nil {
		t.Errorf("open(NULL): got %x, %v, want nil", v, err)
	}
	c1, _ := s.seal("p", []byte("x"))
	c2, _ := s.seal("p", []byte("x"))
	if bytes.Equal(c1, c2) {
		t.Error("two seals of one value are equal: nonce reused")
	}
	for _, tc := range []struct {
		name  string
		place string
		blob  []byte
	}{
		{"other place", "q", c1},
		{"short", "p", c1[:10]},
		{"flipped bit", "p", append(bytes.Clone(c1[:len(c1)-1]), c1[len(c1)-1]^1)},
	} {
		if _, err := s.open(tc.place, tc.blob); !errors.Is(err, errDecrypt) {
			t.Errorf("open(%s): got %v, want errDecrypt", tc.name, err)
		}
	}
}

func TestSecretKeyFile(t *testing.T) {
	tests := []struct {
		name    string
		content string
		wantErr string
	}{
		{"not hex", strings.Repeat("zz", 32), "malformed"},
		{"too short", strings.Repeat("ab", 16), "malformed"},
		{"empty", "", "malformed"},
		{"hex with newline", strings.Repeat("ab", 32) + "\n", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, secretFileName), []byte(tc.content), 0o600); err != nil {
				t.Fatal(err)
			}
			db, err := Open(t.Context(), dir, nil)
			if err == nil {
				db.Close()
			}
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("Open: got %v, want no error", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("Open: got %v, want an error containing %q", err, tc.wantErr)
			case err != nil && tc.content != "" && strings.Contains(err.Error(), tc.content[:8]):
				t.Errorf("Open error %q quotes the key file", err)
			}
		})
	}
}

func TestMissingKeyFileWithSecrets(t *testing.T) {
	dir := t.TempDir()
	db, err := Open(t.Context(), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	mustCreateSite(t, db, testSite("a"))
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(dir, secretFileName)
	if err := os.Remove(keyFile); err != nil {
		t.Fatal(err)
	}
	db, err = Open(t.Context(), dir, nil)
	if err == nil {
		db.Close()
		t.Fatal("Open without the key file of a database with secrets: got no error")
	}
	if !strings.Contains(err.Error(), "restore secret.key") {
		t.Errorf("Open error: got %q, want advice to restore secret.key", err)
	}
	if _, err := os.Stat(keyFile); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("key file after refused Open: got %v, want it still missing", err)
	}
}

func TestLooseKeyFileWarns(t *testing.T) {
	dir := t.TempDir()
	db, err := Open(t.Context(), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if err := os.Chmod(filepath.Join(dir, secretFileName), 0o644); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	db, err = Open(t.Context(), dir, slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if !strings.Contains(logs.String(), "level=WARN") || !strings.Contains(logs.String(), "0644") {
		t.Errorf("log: got %q, want a warning about mode 0644", logs.String())
	}
}

func TestRestart(t *testing.T) {
	dir := t.TempDir()
	ctx := t.Context()
	db, err := Open(ctx, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	site := mustCreateSite(t, db, testSite("lobby"))
	seen := time.Now().UTC().Truncate(time.Microsecond)
	if err := db.SetSiteStatus(ctx, site.ID, app.SiteStatus{State: app.SiteOnline, LastSeenAt: &seen}); err != nil {
		t.Fatal(err)
	}
	site, _ = db.Site(ctx, site.ID)
	integ := mustCreateIntegration(t, db, testIntegration("google"))
	in := testInstance("guests", site.ID)
	in.Strategy, in.AuthIntegrationID = app.StrategyOAuth2, integ.ID
	inst := mustCreateInstance(t, db, in)
	entry := mustCreateEntry(t, db, site.ID, "google", "", "accounts.google.com")
	tok, err := db.CreateToken(ctx, "ci", app.RoleAdmin, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	key, err := db.Key(ctx, "jwt", 32)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	db = openAt(t, dir)
	for _, c := range []struct {
		name string
		get  func() (any, error)
		want any
	}{
		{"site", func() (any, error) { return db.Site(ctx, site.ID) }, site},
		{"auth integration", func() (any, error) { return db.AuthIntegration(ctx, integ.ID) }, integ},
		{"instance", func() (any, error) { return db.Instance(ctx, inst.ID) }, inst},
		{"walled garden entry", func() (any, error) { return db.WalledGardenEntry(ctx, site.ID, entry.ID) }, entry},
		{"token", func() (any, error) { return db.Token(ctx, tok.ID) }, tok},
		{"key", func() (any, error) { return db.Key(ctx, "jwt", 32) }, key},
	} {
		got, err := c.get()
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s after restart:\n got %+v, %v\nwant %+v", c.name, got, err, c.want)
		}
	}
}
