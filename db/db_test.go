package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"gatehouse/app"
)

// openAt opens the store in dir and closes it when the test ends.
func openAt(tb testing.TB, dir string) *DB {
	tb.Helper()
	db, err := Open(tb.Context(), dir, slog.New(slog.NewTextHandler(tb.Output(), nil)))
	if err != nil {
		tb.Fatalf("Open(%s): %v", dir, err)
	}
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Errorf("Close: %v", err)
		}
	})
	return db
}

// openTest opens a store in a fresh temporary directory.
func openTest(tb testing.TB) *DB {
	tb.Helper()
	return openAt(tb, tb.TempDir())
}

// wantCode fails the test unless err carries the app error code want
// (and, when param is not empty, names that param).
func wantCode(tb testing.TB, err error, want, param string) {
	tb.Helper()
	if got := app.ErrorCode(err); got != want {
		tb.Fatalf("error code: got %q (%v), want %q", got, err, want)
	}
	if param == "" {
		return
	}
	e, _ := errors.AsType[*app.Error](err)
	if e.Param != param {
		tb.Fatalf("error param: got %q (%v), want %q", e.Param, err, param)
	}
}

// rawCount counts the rows of a table through the writer connection.
func rawCount(tb testing.TB, db *DB, table string) int {
	tb.Helper()
	var n int
	if err := db.writer.QueryRowContext(tb.Context(), "SELECT count(*) FROM "+table).Scan(&n); err != nil {
		tb.Fatalf("count %s: %v", table, err)
	}
	return n
}

// unknownID is a well-formed id that names nothing.
const unknownID = "01900000-0000-7000-8000-000000000000"

func TestOpenCreatesFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	openAt(t, dir)
	for _, tc := range []struct {
		path string
		mode os.FileMode
	}{
		{dir, 0o700 | os.ModeDir},
		{filepath.Join(dir, secretFileName), 0o600},
	} {
		fi, err := os.Stat(tc.path)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode(); got != tc.mode {
			t.Errorf("mode of %s: got %v, want %v", tc.path, got, tc.mode)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, dbFileName)); err != nil {
		t.Errorf("database file: %v", err)
	}
}

func TestPragmas(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	for _, tc := range []struct {
		pool   *sql.DB
		pragma string
		want   string
	}{
		{db.writer, "journal_mode", "wal"},
		{db.writer, "foreign_keys", "1"},
		{db.writer, "busy_timeout", "10000"},
		{db.writer, "synchronous", "1"},
		{db.writer, "user_version", fmt.Sprint(SchemaVersion())},
		{db.reader, "query_only", "1"},
		{db.reader, "busy_timeout", "10000"},
		{db.reader, "journal_mode", "wal"},
	} {
		var got string
		if err := tc.pool.QueryRowContext(ctx, "PRAGMA "+tc.pragma).Scan(&got); err != nil {
			t.Fatalf("PRAGMA %s: %v", tc.pragma, err)
		}
		if got != tc.want {
			t.Errorf("PRAGMA %s: got %q, want %q", tc.pragma, got, tc.want)
		}
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	dir := t.TempDir()
	db, err := Open(t.Context(), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite", filepath.Join(dir, dbFileName))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.ExecContext(t.Context(), fmt.Sprintf("PRAGMA user_version = %d", SchemaVersion()+1)); err != nil {
		t.Fatal(err)
	}
	if err := raw.Close(); err != nil {
		t.Fatal(err)
	}

	db, err = Open(t.Context(), dir, nil)
	if err == nil {
		db.Close()
		t.Fatal("Open of a newer database: got no error")
	}
	want := fmt.Sprintf("database schema version %d is newer than this gatehouse binary understands (%d): upgrade gatehouse or restore a backup",
		SchemaVersion()+1, SchemaVersion())
	if err.Error() != want {
		t.Errorf("Open error:\n got %q\nwant %q", err, want)
	}
}

func TestReopenKeepsSchema(t *testing.T) {
	dir := t.TempDir()
	for range 3 {
		db, err := Open(t.Context(), dir, nil)
		if err != nil {
			t.Fatal(err)
		}
		v, err := userVersion(t.Context(), db.writer)
		if err != nil {
			t.Fatal(err)
		}
		if v != SchemaVersion() {
			t.Errorf("user_version: got %d, want %d", v, SchemaVersion())
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestLoadMigrations(t *testing.T) {
	sqlFile := &fstest.MapFile{Data: []byte("CREATE TABLE t (x);")}
	tests := []struct {
		name    string
		files   fstest.MapFS
		wantErr bool
	}{
		{"two in order", fstest.MapFS{"migrations/0001_a.sql": sqlFile, "migrations/0002_b.sql": sqlFile}, false},
		{"gap", fstest.MapFS{"migrations/0001_a.sql": sqlFile, "migrations/0003_c.sql": sqlFile}, true},
		{"starts at two", fstest.MapFS{"migrations/0002_b.sql": sqlFile}, true},
		{"bad name", fstest.MapFS{"migrations/1_a.sql": sqlFile}, true},
		{"stray file", fstest.MapFS{"migrations/0001_a.sql": sqlFile, "migrations/README": sqlFile}, true},
		{"none", fstest.MapFS{"migrations": &fstest.MapFile{Mode: fs.ModeDir}}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ms, err := loadMigrations(tc.files)
			if gotErr := err != nil; gotErr != tc.wantErr {
				t.Fatalf("error: got %v, want error %v", err, tc.wantErr)
			}
			if err == nil && len(ms) != 2 {
				t.Errorf("migrations: got %d, want 2", len(ms))
			}
		})
	}
	if len(migrations) == 0 || migrations[0].version != 1 {
		t.Errorf("embedded migrations: got %+v, want version 1 first", migrations)
	}
}

func TestChangeFuncPanicReleasesWriter(t *testing.T) {
	db := openTest(t)
	s := mustCreateSite(t, db, testSite("a"))
	func() {
		defer func() {
			if recover() == nil {
				t.Fatal("got no panic, want the change func's panic")
			}
		}()
		db.UpdateSite(t.Context(), s.ID, func(*app.Site) error { panic("boom") })
	}()
	// The writer connection must be free again.
	if _, err := db.CreateSite(t.Context(), testSite("b")); err != nil {
		t.Fatalf("CreateSite after panic: %v", err)
	}
}

func TestCancelledContext(t *testing.T) {
	db := openTest(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := db.CreateSite(ctx, testSite("a"))
	if !errors.Is(err, context.Canceled) {
		t.Errorf("CreateSite with cancelled context: got %v, want context.Canceled", err)
	}
	if _, err := db.ListSites(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("ListSites with cancelled context: got %v, want context.Canceled", err)
	}
}
