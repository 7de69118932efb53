package db

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gatehouse/app"
)

// secretsFixture is a store holding one secret of every kind.
type secretsFixture struct {
	site        app.Site
	integration app.AuthIntegration
	group       app.NotificationGroup
	key         []byte
}

func newSecretsFixture(tb testing.TB, db *DB) secretsFixture {
	tb.Helper()
	f := secretsFixture{
		site:        mustCreateSite(tb, db, testSite("vault")),
		integration: mustCreateIntegration(tb, db, testIntegration("okta")),
		group:       mustCreateGroup(tb, db, testGroup("hooks")),
	}
	var err error
	if f.key, err = db.Key(tb.Context(), "jwt", 32); err != nil {
		tb.Fatal(err)
	}
	return f
}

// check fails unless every secret of f reads back from db.
func (f secretsFixture) check(tb testing.TB, db *DB) {
	tb.Helper()
	ctx := tb.Context()
	s, err := db.Site(ctx, f.site.ID)
	if err != nil || s.Password != f.site.Password {
		tb.Errorf("site password: %q, %v; want %q", s.Password, err, f.site.Password)
	}
	a, err := db.AuthIntegration(ctx, f.integration.ID)
	if err != nil || a.ClientSecret != f.integration.ClientSecret {
		tb.Errorf("client secret: %v", err)
	}
	g, err := db.NotificationGroup(ctx, f.group.ID)
	if err != nil || g.WebhookSecret == "" || g.WebhookSecret != f.group.WebhookSecret {
		tb.Errorf("webhook secret: %v", err)
	}
	k, err := db.Key(ctx, "jwt", 32)
	if err != nil || !bytes.Equal(k, f.key) {
		tb.Errorf("named key: %v", err)
	}
}

// sealedValues returns every encrypted value in db.
func sealedValues(tb testing.TB, db *DB) [][]byte {
	tb.Helper()
	var out [][]byte
	err := eachSealed(tb.Context(), db.writer, func(_ sealedColumn, _ string, blob []byte) error {
		out = append(out, bytes.Clone(blob))
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

func TestSealedColumnsAreAllSecrets(t *testing.T) {
	db := openTest(t)
	newSecretsFixture(t, db)
	n, err := countSealed(t.Context(), db.writer)
	if err != nil {
		t.Fatal(err)
	}
	want, err := db.countSecrets(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if n != want || n != 4 {
		t.Fatalf("sealedColumns see %d secrets, countSecrets %d, want 4 each: keep the two lists in step", n, want)
	}
}

func TestRotateSecretKey(t *testing.T) {
	dir := t.TempDir()
	ctx := t.Context()
	db := openAt(t, dir)
	// A deleted row's ciphertext lingers in free space until rewritten.
	gone := mustCreateSite(t, db, testSite("gone"))
	f := newSecretsFixture(t, db)
	oldCiphertexts := sealedValues(t, db)
	if err := db.DeleteSite(ctx, gone.ID); err != nil {
		t.Fatal(err)
	}
	oldKey, err := os.ReadFile(KeyFile(dir))
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	ex, err := OpenExclusive(ctx, dir, nil)
	if err != nil {
		t.Fatalf("OpenExclusive: %v", err)
	}
	res, err := ex.RotateSecretKey(ctx)
	if err != nil {
		t.Fatalf("RotateSecretKey: %v", err)
	}
	f.check(t, ex) // the store goes on with the new key
	if err := ex.Close(); err != nil {
		t.Fatal(err)
	}
	if res.Secrets != 4 || res.KeyFile != KeyFile(dir) || !strings.HasPrefix(res.OldKeyFile, KeyFile(dir)+".old-") {
		t.Errorf("RotateSecretKey = %+v", res)
	}

	newKey, err := os.ReadFile(KeyFile(dir))
	if err != nil || bytes.Equal(newKey, oldKey) {
		t.Fatalf("secret.key did not change: %v", err)
	}
	for _, p := range []string{KeyFile(dir), res.OldKeyFile} {
		if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v, want mode 0600", p, err)
		}
	}
	if kept, _ := os.ReadFile(res.OldKeyFile); !bytes.Equal(kept, oldKey) {
		t.Errorf("the kept old key differs from the old secret.key")
	}
	if left, _ := filepath.Glob(KeyFile(dir) + ".new-*"); len(left) > 0 {
		t.Errorf("left over: %v", left)
	}

	// The raw files hold neither the old ciphertexts nor any plaintext.
	var raw []byte
	for _, name := range []string{dbFileName, dbFileName + "-wal", dbFileName + "-journal"} {
		b, _ := os.ReadFile(filepath.Join(dir, name))
		raw = append(raw, b...)
	}
	if !bytes.Contains(raw, []byte(f.integration.ClientID)) {
		t.Fatal("the raw database does not hold the client id: the check reads the wrong thing")
	}
	for i, c := range oldCiphertexts {
		if bytes.Contains(raw, c) {
			t.Errorf("old ciphertext %d is still in the database files", i)
		}
	}
	for _, p := range [][]byte{[]byte(f.site.Password), []byte(f.integration.ClientSecret), []byte(f.group.WebhookSecret), f.key} {
		if bytes.Contains(raw, p) {
			t.Errorf("plaintext %q in the database files", p)
		}
	}

	// Everything decrypts with the new key, and the old one fits no more.
	got := openAt(t, dir)
	f.check(t, got)
	old, err := parseKey(oldKey)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := newSealer(old)
	if _, err := verifySealed(ctx, got.writer, s); err == nil {
		t.Error("the old key still decrypts the secrets")
	}
}

func TestRotateSecretKeyNeedsTheDatabaseToItself(t *testing.T) {
	dir := t.TempDir()
	ctx := t.Context()
	db := openAt(t, dir)
	newSecretsFixture(t, db)
	oldKey, _ := os.ReadFile(KeyFile(dir))

	_, err := OpenExclusive(ctx, dir, nil)
	wantCode(t, err, app.EConflict, "")
	_, err = db.RotateSecretKey(ctx)
	wantCode(t, err, app.EConflict, "")
	if key, _ := os.ReadFile(KeyFile(dir)); !bytes.Equal(key, oldKey) {
		t.Error("a refused rotation changed secret.key")
	}
	if names := liveFiles(t, dir); len(names) != 4 { // db, -wal, -shm, key
		t.Errorf("a refused rotation left files: %v", names)
	}
	_, err = OpenExclusive(ctx, t.TempDir(), nil)
	wantCode(t, err, app.ENotFound, "")
}

func TestRotateSecretKeyAfterInterruption(t *testing.T) {
	dir := t.TempDir()
	ctx := t.Context()
	db, err := Open(ctx, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	f := newSecretsFixture(t, db)
	db.Close()
	rotate := func() (SecretRotation, error) {
		t.Helper()
		ex, err := OpenExclusive(ctx, dir, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer ex.Close()
		return ex.RotateSecretKey(ctx)
	}

	// A rotation that stopped before its commit left a new key file that
	// nothing uses: the next one removes it and goes on.
	stale := KeyFile(dir) + ".new-20200101T000000Z"
	if err := os.WriteFile(stale, []byte(strings.Repeat("cd", secretKeySize)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	res, err := rotate()
	if err != nil {
		t.Fatalf("rotate with a stale new key file: %v", err)
	}
	if _, err := os.Stat(stale); err == nil {
		t.Error("the stale new key file is still there")
	}

	// A rotation that stopped between its commit and the rename: the
	// database is on the key in the new file, secret.key is the old one.
	pending := KeyFile(dir) + ".new-20300101T000000Z"
	if err := os.Rename(KeyFile(dir), pending); err != nil {
		t.Fatal(err)
	}
	if err := copyFile(res.OldKeyFile, KeyFile(dir)); err != nil {
		t.Fatal(err)
	}
	_, err = rotate()
	wantCode(t, err, app.EConflict, "")
	if !strings.Contains(err.Error(), "rename that file to") || !strings.Contains(err.Error(), pending) {
		t.Errorf("error %q does not say to rename %s", err, pending)
	}
	// Following the advice recovers everything.
	if err := os.Rename(pending, KeyFile(dir)); err != nil {
		t.Fatal(err)
	}
	f.check(t, openAt(t, dir))
}

func TestRotateKey(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	before, err := db.Key(ctx, "link-hmac", 32)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.RotateKey(ctx, "link-hmac", 32); err != nil {
		t.Fatalf("RotateKey: %v", err)
	}
	after, err := db.Key(ctx, "link-hmac", 32)
	if err != nil || len(after) != 32 || bytes.Equal(after, before) {
		t.Fatalf("key after rotation: %x, %v; want 32 new bytes", after, err)
	}
	// A key that did not exist yet is simply created.
	if err := db.RotateKey(ctx, "fresh", 16); err != nil {
		t.Fatal(err)
	}
	if k, err := db.Key(ctx, "fresh", 16); err != nil || len(k) != 16 {
		t.Fatalf("fresh key: %v", err)
	}
	wantCode(t, db.RotateKey(ctx, "", 32), app.EInvalid, "name")
	wantCode(t, db.RotateKey(ctx, "x", 0), app.EInvalid, "size")
}
