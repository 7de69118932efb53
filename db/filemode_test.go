package db

import (
	"bytes"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// syncBuffer is a log destination safe for the store's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// openLogged opens the store in dir with a logger writing to the returned
// buffer, and makes a write, so that the WAL and shared-memory files
// exist. The store is closed when the test ends.
func openLogged(t *testing.T, dir string) *syncBuffer {
	t.Helper()
	logs := &syncBuffer{}
	store, err := Open(t.Context(), dir, slog.New(slog.NewTextHandler(logs, nil)))
	if err != nil {
		t.Fatalf("Open(%s): %v", dir, err)
	}
	t.Cleanup(func() { store.Close() })
	if _, err := store.Key(t.Context(), "test", 32); err != nil {
		t.Fatal(err)
	}
	return logs
}

// wantModes fails unless each path has its mode.
func wantModes(t *testing.T, want map[string]fs.FileMode) {
	t.Helper()
	for path, mode := range want {
		fi, err := os.Lstat(path)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		if got := fi.Mode().Perm(); got != mode {
			t.Errorf("mode of %s: got %04o, want %04o", filepath.Base(path), got, mode)
		}
	}
}

// TestOpenTightensModes: the finding was that an existing data directory
// kept its permissions (gatehouse.db 0644 under a 0755 directory), so
// every local user could copy the database. Open brings the directory,
// the database files, the secret key, the copies kept beside them and
// the backups down to 0700 and 0600, logs each change, and leaves other
// files alone.
func TestOpenTightensModes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	// The store stays open, as a running server would keep it, so that
	// its WAL and shared-memory files stay too.
	if logs := openLogged(t, dir).String(); strings.Contains(logs, "permissions") {
		t.Errorf("a new data directory logged permission changes:\n%s", logs)
	}
	// Everything is private from the start, the WAL included.
	db, key := filepath.Join(dir, dbFileName), filepath.Join(dir, secretFileName)
	wantModes(t, map[string]fs.FileMode{dir: 0o700, db: 0o600, db + "-wal": 0o600, db + "-shm": 0o600, key: 0o600})

	// An installation made by hand, or before this check existed.
	backups := filepath.Join(dir, backupsDirName)
	if err := os.Mkdir(backups, 0o755); err != nil {
		t.Fatal(err)
	}
	loose := map[string]fs.FileMode{
		dir:                                     0o755,
		db:                                      0o644,
		db + "-wal":                             0o644,
		db + "-shm":                             0o666,
		key:                                     0o640,
		key + ".old-20250101T000000Z":           0o644,
		db + ".before-restore-20250101T000000Z": 0o644,
		backups:                                 0o755,
		filepath.Join(backups, "gatehouse-2025.db"): 0o644,
		filepath.Join(dir, "notes.txt"):             0o644,
	}
	for path, mode := range loose {
		if _, err := os.Stat(path); os.IsNotExist(err) {
			if err := os.WriteFile(path, []byte("x"), mode); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.Chmod(path, mode); err != nil {
			t.Fatal(err)
		}
	}
	logs := openLogged(t, dir).String()
	want := map[string]fs.FileMode{}
	for path, mode := range loose {
		switch {
		case path == filepath.Join(dir, "notes.txt"):
			want[path] = mode // not gatehouse's
		case mode.Perm()&0o111 != 0:
			want[path] = 0o700
		default:
			want[path] = mode & 0o600
		}
		if want[path] != mode && !strings.Contains(logs, "path="+path+" from="+modeString(mode)) {
			t.Errorf("no log of the change of %s:\n%s", path, logs)
		}
	}
	wantModes(t, want)
	if strings.Contains(logs, "notes.txt") {
		t.Errorf("a file that is not gatehouse's was touched:\n%s", logs)
	}

	// Nothing left to change: nothing logged.
	if logs := openLogged(t, dir).String(); strings.Contains(logs, "permissions") {
		t.Errorf("a second start logged permission changes:\n%s", logs)
	}
}

// modeString is a mode as the log writes it (0644).
func modeString(m fs.FileMode) string {
	const digits = "01234567"
	p := m.Perm()
	return "0" + string(digits[p>>6&7]) + string(digits[p>>3&7]) + string(digits[p&7])
}
