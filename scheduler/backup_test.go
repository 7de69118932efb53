package scheduler_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"gatehouse/db"
	"gatehouse/scheduler"
)

// stepClock is a clock that moves on by step at every reading, so that
// every backup gets its own name.
type stepClock struct {
	mu   sync.Mutex
	now  time.Time
	step time.Duration
}

func (c *stepClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(c.step)
	return c.now
}

func openStore(t *testing.T) *db.DB {
	t.Helper()
	store, err := db.Open(t.Context(), t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	return store
}

// backupFiles lists the names in dir.
func backupFiles(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestBackupJobKeepsNewest(t *testing.T) {
	store := openStore(t)
	dir := filepath.Join(t.TempDir(), "backups")
	clock := &stepClock{now: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), step: time.Hour}
	job := scheduler.NewBackupJob(store, scheduler.BackupConfig{Dir: dir, Interval: time.Hour, Keep: 3, Now: clock.Now},
		slog.New(slog.DiscardHandler))
	// Files that are not scheduled backups are left alone.
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"manual.db", "gatehouse-old.db"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}

	var written []string
	for range 5 {
		path, err := job.RunOnce(t.Context())
		if err != nil {
			t.Fatalf("RunOnce: %v", err)
		}
		written = append(written, filepath.Base(path))
	}
	got := backupFiles(t, dir)
	want := append([]string{"gatehouse-old.db"}, written[2:]...)
	want = append(want, "manual.db")
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("files after 5 backups with keep 3:\n got %v\nwant %v", got, want)
	}
	if written[0] != "gatehouse-20260301T010000Z.db" {
		t.Errorf("first backup named %s", written[0])
	}
	for _, name := range written[2:] {
		info, err := db.CheckBackup(t.Context(), filepath.Join(dir, name))
		if err != nil || info.SchemaVersion != db.SchemaVersion() {
			t.Errorf("backup %s: %+v, %v", name, info, err)
		}
	}
}

func TestBackupJobRunsOnItsTimer(t *testing.T) {
	store := openStore(t)
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	dir := filepath.Join(t.TempDir(), "backups")
	clock := &stepClock{now: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), step: time.Minute}
	job := scheduler.NewBackupJob(store, scheduler.BackupConfig{Dir: dir, Interval: 20 * time.Millisecond, Keep: 2, Now: clock.Now},
		slog.New(slog.DiscardHandler))
	job.Start()
	deadline := time.Now().Add(10 * time.Second)
	for {
		// Pruning keeps two; the clock shows how many were written.
		clock.mu.Lock()
		runs := clock.now.Sub(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)) / time.Minute
		clock.mu.Unlock()
		if runs >= 8 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("only %d clock readings in 10s", runs)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := job.Close(t.Context()); err != nil {
		t.Fatalf("Close: %v", err)
	}
	got := backupFiles(t, dir)
	if len(got) != 2 {
		t.Fatalf("backups after Close: %v, want exactly 2", got)
	}
	for _, name := range got {
		if !strings.HasPrefix(name, "gatehouse-") {
			t.Errorf("unexpected file %s (a temporary file left behind?)", name)
		}
	}
}

func TestBackupJobWaitsForTheNextDueTime(t *testing.T) {
	store := openStore(t)
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	dir := t.TempDir()
	now := time.Now().UTC()
	recent := "gatehouse-" + now.Add(-time.Minute).Format("20060102T150405Z") + ".db"
	if err := store.Backup(t.Context(), filepath.Join(dir, recent)); err != nil {
		t.Fatal(err)
	}
	// The newest backup is a minute old and one is due every hour: none
	// is written at start.
	job := scheduler.NewBackupJob(store, scheduler.BackupConfig{Dir: dir, Interval: time.Hour, Keep: 5}, slog.New(slog.DiscardHandler))
	job.Start()
	time.Sleep(100 * time.Millisecond)
	if err := job.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := backupFiles(t, dir); len(got) != 1 {
		t.Fatalf("backups: %v, want only the recent one", got)
	}

	// A day old: overdue, so one is written at once.
	if err := os.Rename(filepath.Join(dir, recent),
		filepath.Join(dir, "gatehouse-"+now.Add(-24*time.Hour).Format("20060102T150405Z")+".db")); err != nil {
		t.Fatal(err)
	}
	job = scheduler.NewBackupJob(store, scheduler.BackupConfig{Dir: dir, Interval: time.Hour, Keep: 5}, slog.New(slog.DiscardHandler))
	job.Start()
	defer func() {
		if err := job.Close(context.Background()); err != nil {
			t.Error(err)
		}
	}()
	deadline := time.Now().Add(10 * time.Second)
	for len(backupFiles(t, dir)) < 2 {
		if time.Now().After(deadline) {
			t.Fatal("no backup written for an overdue schedule")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestBackupJobFailureIsLogged(t *testing.T) {
	store := openStore(t)
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	// The backup directory cannot be created: a file is in the way.
	blocker := filepath.Join(t.TempDir(), "backups")
	if err := os.WriteFile(blocker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(lockedWriter{&mu, &logs}, nil))
	job := scheduler.NewBackupJob(store, scheduler.BackupConfig{Dir: blocker, Interval: 10 * time.Millisecond, Keep: 1}, logger)
	job.Start()
	deadline := time.Now().Add(10 * time.Second)
	for {
		mu.Lock()
		n := strings.Count(logs.String(), "scheduled backup failed")
		mu.Unlock()
		if n >= 2 { // it failed, and tried again
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no repeated failure logged:\n%s", logs.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := job.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
}

func TestBackupJobOff(t *testing.T) {
	store := openStore(t)
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	dir := filepath.Join(t.TempDir(), "backups")
	job := scheduler.NewBackupJob(store, scheduler.BackupConfig{Dir: dir, Interval: 0, Keep: 7}, slog.New(slog.DiscardHandler))
	job.Start()
	time.Sleep(50 * time.Millisecond)
	if err := job.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("backup directory with backups off: %v", err)
	}
}

// lockedWriter serialises writes to w.
type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
