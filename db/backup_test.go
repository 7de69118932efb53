package db

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"gatehouse/app"
)

// copyKeyTo copies the secret key of dataDir into dir, so that a backup
// restored or opened there can decrypt its secrets.
func copyKeyTo(tb testing.TB, dataDir, dir string) {
	tb.Helper()
	b, err := os.ReadFile(KeyFile(dataDir))
	if err != nil {
		tb.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(KeyFile(dir), b, 0o600); err != nil {
		tb.Fatal(err)
	}
}

// backupTo writes a backup of db to a new file in a fresh directory.
func backupTo(tb testing.TB, db *DB, opt BackupOptions) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "copy.db")
	if err := db.BackupWith(tb.Context(), path, opt); err != nil {
		tb.Fatalf("Backup: %v", err)
	}
	return path
}

func TestBackupWhileWriting(t *testing.T) {
	dir := t.TempDir()
	db := openAt(t, dir)
	ctx := t.Context()
	mustCreateSite(t, db, testSite("first"))

	// A writer keeps adding sites while backups are taken.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var writeErr error
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := db.CreateSite(ctx, testSite(fmt.Sprintf("site-%d", i))); err != nil {
				writeErr = err
				return
			}
			time.Sleep(time.Millisecond)
		}
	})
	var paths []string
	for i := range 5 {
		p := filepath.Join(t.TempDir(), fmt.Sprintf("b%d.db", i))
		if err := db.Backup(ctx, p); err != nil {
			t.Fatalf("Backup %d: %v", i, err)
		}
		paths = append(paths, p)
	}
	close(stop)
	wg.Wait()
	if writeErr != nil {
		t.Fatalf("concurrent write: %v", writeErr)
	}
	if n := rawCount(t, db, "sites"); n < 3 {
		t.Fatalf("only %d sites written during the backups", n)
	}

	for _, p := range paths {
		info, err := CheckBackup(ctx, p)
		if err != nil {
			t.Fatalf("CheckBackup(%s): %v", p, err)
		}
		if info.SchemaVersion != SchemaVersion() || info.Secrets < 1 {
			t.Errorf("CheckBackup(%s) = %+v, want schema %d and secrets", p, info, SchemaVersion())
		}
		fi, err := os.Stat(p)
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("backup %s: mode %v, %v; want 0600", p, fi.Mode().Perm(), err)
		}
		// A backup is a data directory's database; with the key it opens
		// and every secret decrypts.
		restoredDir := t.TempDir()
		copyKeyTo(t, dir, restoredDir)
		if err := copyFile(p, DatabaseFile(restoredDir)); err != nil {
			t.Fatal(err)
		}
		got := openAt(t, restoredDir)
		sites, err := got.ListSites(ctx)
		if err != nil || len(sites) == 0 {
			t.Fatalf("sites in %s: %d, %v", p, len(sites), err)
		}
		for _, s := range sites {
			full, err := got.Site(ctx, s.ID)
			if err != nil || full.Password != "pw-"+s.Name {
				t.Fatalf("site %s in backup: password %q, %v", s.Name, full.Password, err)
			}
		}
	}
	leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(paths[0]), ".*tmp-*"))
	if len(leftovers) > 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
}

func TestBackupRefusesToOverwrite(t *testing.T) {
	dir := t.TempDir()
	db := openAt(t, dir)
	ctx := t.Context()
	path := backupTo(t, db, BackupOptions{})
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	wantCode(t, db.Backup(ctx, path), app.EConflict, "")
	after, err := os.ReadFile(path)
	if err != nil || string(after) != string(before) {
		t.Fatalf("refused backup changed the existing file: %v", err)
	}
	wantCode(t, db.Backup(ctx, DatabaseFile(dir)), app.EInvalid, "")

	mustCreateSite(t, db, testSite("later"))
	if err := db.BackupWith(ctx, path, BackupOptions{Replace: true, WithKey: true}); err != nil {
		t.Fatalf("Backup with Replace: %v", err)
	}
	info, err := CheckBackup(ctx, path)
	if err != nil || info.Secrets != 1 {
		t.Fatalf("replaced backup: %+v, %v; want the new site's secret in it", info, err)
	}
	key, err := os.ReadFile(path + ".key")
	if err != nil {
		t.Fatal(err)
	}
	want, _ := os.ReadFile(KeyFile(dir))
	if string(key) != string(want) {
		t.Errorf("backup key file differs from secret.key")
	}
	if fi, _ := os.Stat(path + ".key"); fi.Mode().Perm() != 0o600 {
		t.Errorf("backup key file mode %v, want 0600", fi.Mode().Perm())
	}
	if err := db.Backup(ctx, filepath.Join(filepath.Dir(path), "other.db")); err != nil {
		t.Errorf("Backup to a new name next to existing ones: %v", err)
	}
}

// setUserVersion sets the schema version recorded in the database file.
func setUserVersion(tb testing.TB, path string, v int) {
	tb.Helper()
	pool, err := sql.Open("sqlite", path)
	if err != nil {
		tb.Fatal(err)
	}
	defer pool.Close()
	if _, err := pool.ExecContext(tb.Context(), fmt.Sprintf("PRAGMA user_version = %d", v)); err != nil {
		tb.Fatal(err)
	}
}

// damage overwrites part of the file's second half with a pattern.
func damage(tb testing.TB, path string) {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	for i := len(b) / 2; i < len(b)/2+4096 && i < len(b); i++ {
		b[i] = 0x5a
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		tb.Fatal(err)
	}
}

func TestCheckBackupRejects(t *testing.T) {
	db := openTest(t)
	for i := range 40 {
		mustCreateSite(t, db, testSite(fmt.Sprintf("s%d", i)))
	}
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	newer := backupTo(t, db, BackupOptions{})
	setUserVersion(t, newer, SchemaVersion()+1)
	damaged := backupTo(t, db, BackupOptions{})
	damage(t, damaged)
	other := filepath.Join(dir, "other.db")
	setUserVersion(t, other, 0) // creates an empty SQLite database
	pool, _ := sql.Open("sqlite", other)
	if _, err := pool.Exec(`CREATE TABLE t (x)`); err != nil {
		t.Fatal(err)
	}
	pool.Close()

	for _, tc := range []struct {
		name, path, code, msg string
	}{
		{"missing", filepath.Join(dir, "nope.db"), app.ENotFound, "does not exist"},
		{"empty", write("empty.db", ""), app.EInvalid, "is empty"},
		{"garbage", write("garbage.db", strings.Repeat("not a database ", 1000)), app.EInvalid, "not a readable SQLite database"},
		{"damaged", damaged, app.EInvalid, "damaged"},
		{"newer", newer, app.EInvalid, "newer than this gatehouse"},
		{"not gatehouse", other, app.EInvalid, "not a gatehouse one"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := CheckBackup(t.Context(), tc.path)
			wantCode(t, err, tc.code, "")
			if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error %q does not say %q", err, tc.msg)
			}
		})
	}
}

// liveFiles lists the names of the data directory's files.
func liveFiles(tb testing.TB, dir string) []string {
	tb.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		tb.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestRestoreRoundTrip(t *testing.T) {
	dir := t.TempDir()
	ctx := t.Context()
	db, err := Open(ctx, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	kept := mustCreateSite(t, db, testSite("kept"))
	group := mustCreateGroup(t, db, testGroup("desk"))
	jwt, err := db.Key(ctx, "jwt", 32)
	if err != nil {
		t.Fatal(err)
	}
	backup := backupTo(t, db, BackupOptions{})
	later := mustCreateSite(t, db, testSite("later"))
	if err := db.DeleteSite(ctx, kept.ID); err != nil {
		t.Fatal(err)
	}
	db.Close()

	res, err := Restore(ctx, dir, backup, RestoreOptions{})
	if err != nil {
		t.Fatalf("Restore: %v", err)
	}
	if res.KeyFile != KeyFile(dir) || res.KeyInstalled || res.PreviousKey != "" || res.Backup.SchemaVersion != SchemaVersion() {
		t.Errorf("Restore = %+v; want the data directory's own key, unchanged", res)
	}
	for _, name := range liveFiles(t, dir) {
		if strings.HasSuffix(name, "-wal") || strings.HasSuffix(name, "-shm") || strings.HasSuffix(name, "-journal") {
			t.Errorf("stale %s left after restore", name)
		}
	}

	got := openAt(t, dir)
	s, err := got.Site(ctx, kept.ID)
	if err != nil || s.Password != kept.Password {
		t.Fatalf("restored site: %+v, %v; want password %q", s, err, kept.Password)
	}
	if _, err := got.Site(ctx, later.ID); app.ErrorCode(err) != app.ENotFound {
		t.Errorf("site created after the backup: %v, want not found", err)
	}
	g, err := got.NotificationGroup(ctx, group.ID)
	if err != nil || g.WebhookSecret != group.WebhookSecret {
		t.Errorf("restored webhook secret: %v", err)
	}
	if k, err := got.Key(ctx, "jwt", 32); err != nil || string(k) != string(jwt) {
		t.Errorf("restored key differs: %v", err)
	}

	// The replaced database is kept, whole, with what came after the backup.
	if !strings.HasPrefix(res.PreviousDB, DatabaseFile(dir)+".before-restore-") {
		t.Fatalf("PreviousDB = %q", res.PreviousDB)
	}
	prevDir := t.TempDir()
	copyKeyTo(t, dir, prevDir)
	if err := copyFile(res.PreviousDB, DatabaseFile(prevDir)); err != nil {
		t.Fatal(err)
	}
	prev := openAt(t, prevDir)
	if _, err := prev.Site(ctx, later.ID); err != nil {
		t.Errorf("the kept database lacks the later site: %v", err)
	}
}

func TestRestoreRefusesRunningServer(t *testing.T) {
	dir := t.TempDir()
	ctx := t.Context()
	db := openAt(t, dir)
	site := mustCreateSite(t, db, testSite("live"))
	backup := backupTo(t, db, BackupOptions{})
	if err := db.DeleteSite(ctx, site.ID); err != nil {
		t.Fatal(err)
	}

	start := time.Now()
	_, err := Restore(ctx, dir, backup, RestoreOptions{})
	wantCode(t, err, app.EConflict, "")
	if !strings.Contains(err.Error(), "in use by another process") {
		t.Errorf("error %q does not say the database is in use", err)
	}
	if d := time.Since(start); d > lockWait+5*time.Second {
		t.Errorf("refusal took %v", d)
	}
	// Nothing changed, and the store still works.
	if _, err := db.Site(ctx, site.ID); app.ErrorCode(err) != app.ENotFound {
		t.Errorf("after the refused restore: %v, want the site still deleted", err)
	}
	mustCreateSite(t, db, testSite("after"))
	if matches, _ := filepath.Glob(DatabaseFile(dir) + ".before-restore-*"); len(matches) > 0 {
		t.Errorf("refused restore left %v", matches)
	}

	// While a restore holds the database, others cannot read it.
	db.Close()
	pool, err := lockExclusive(ctx, DatabaseFile(dir))
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	other, err := sql.Open("sqlite", DatabaseFile(dir)+"?_pragma=busy_timeout(100)")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	var n int
	if err := other.QueryRowContext(ctx, `SELECT count(*) FROM sites`).Scan(&n); !isBusy(err) {
		t.Fatalf("read while the database was locked: %v, want busy", err)
	}
}

func TestRestoreRefusesBadBackups(t *testing.T) {
	dir := t.TempDir()
	ctx := t.Context()
	db := openAt(t, dir)
	for i := range 40 {
		mustCreateSite(t, db, testSite(fmt.Sprintf("s%d", i)))
	}
	newer := backupTo(t, db, BackupOptions{})
	setUserVersion(t, newer, SchemaVersion()+1)
	damaged := backupTo(t, db, BackupOptions{})
	damage(t, damaged)
	garbage := filepath.Join(t.TempDir(), "garbage.db")
	if err := os.WriteFile(garbage, []byte(strings.Repeat("garbage", 2000)), 0o600); err != nil {
		t.Fatal(err)
	}
	good := backupTo(t, db, BackupOptions{})
	wrongKey := filepath.Join(t.TempDir(), "wrong.key")
	if err := os.WriteFile(wrongKey, []byte(strings.Repeat("ab", secretKeySize)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	db.Close()
	before, err := os.ReadFile(DatabaseFile(dir))
	if err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name, file, key, msg string
	}{
		{"garbage", garbage, "", "not a readable SQLite database"},
		{"damaged", damaged, "", "damaged"},
		{"newer schema", newer, "", "newer than this gatehouse"},
		{"wrong key", good, wrongKey, "do not decrypt with the key"},
		{"missing key file", good, wrongKey + ".nope", "key file"},
		{"live database", DatabaseFile(dir), "", "live database"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Restore(ctx, dir, tc.file, RestoreOptions{KeyFile: tc.key})
			wantCode(t, err, app.EInvalid, "")
			if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error %q does not say %q", err, tc.msg)
			}
		})
	}
	after, err := os.ReadFile(DatabaseFile(dir))
	if err != nil || string(after) != string(before) {
		t.Errorf("a refused restore changed the database: %v", err)
	}
	if names := liveFiles(t, dir); len(names) != 2 {
		t.Errorf("data directory after refused restores: %v, want only the database and the key", names)
	}
}

func TestRestoreInstallsBackupKey(t *testing.T) {
	src := t.TempDir()
	ctx := t.Context()
	db := openAt(t, src)
	site := mustCreateSite(t, db, testSite("moved"))
	backup := backupTo(t, db, BackupOptions{WithKey: true})

	// A new machine: no data directory at all. The key comes from the
	// file next to the backup.
	dir := filepath.Join(t.TempDir(), "data")
	res, err := Restore(ctx, dir, backup, RestoreOptions{})
	if err != nil {
		t.Fatalf("Restore: %v", err)
	}
	if !res.KeyInstalled || res.PreviousDB != "" || res.PreviousKey != "" {
		t.Errorf("Restore = %+v; want the key installed and nothing kept", res)
	}
	if fi, err := os.Stat(KeyFile(dir)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("installed key: %v", err)
	}
	got := openAt(t, dir)
	if s, err := got.Site(ctx, site.ID); err != nil || s.Password != site.Password {
		t.Fatalf("site after restore on a new machine: %v", err)
	}
	got.Close()

	// Restoring it over a data directory with another key keeps that key.
	other := t.TempDir()
	openAt(t, other).Close()
	res, err = Restore(ctx, other, backup, RestoreOptions{})
	if err != nil {
		t.Fatalf("Restore over another key: %v", err)
	}
	if !res.KeyInstalled || !strings.HasPrefix(res.PreviousKey, KeyFile(other)+".before-restore-") {
		t.Errorf("Restore = %+v; want the old key kept", res)
	}
	if s, err := openAt(t, other).Site(ctx, site.ID); err != nil || s.Password != site.Password {
		t.Fatalf("site after restore over another key: %v", err)
	}

	// Without the key file, a data directory with another key is refused.
	if err := os.Remove(backup + ".key"); err != nil {
		t.Fatal(err)
	}
	third := t.TempDir()
	openAt(t, third).Close()
	_, err = Restore(ctx, third, backup, RestoreOptions{})
	wantCode(t, err, app.EInvalid, "")
	// And with no key anywhere it says what is missing.
	_, err = Restore(ctx, filepath.Join(t.TempDir(), "empty"), backup, RestoreOptions{})
	if app.ErrorCode(err) != app.EInvalid || !strings.Contains(err.Error(), "no key") {
		t.Errorf("restore without any key: %v", err)
	}
}

// copyFile copies the file src to the new file dst.
func copyFile(src, dst string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, b, 0o600)
}
