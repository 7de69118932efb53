package scheduler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sync"
	"time"
)

// Backuper writes a consistent copy of the database to a new file at path
// and fails if path exists. Package db's store implements it.
type Backuper interface {
	Backup(ctx context.Context, path string) error
}

// BackupConfig tunes the backup job.
type BackupConfig struct {
	// Dir is where the backups go, <data_dir>/backups; created (0700)
	// when missing.
	Dir string
	// Interval is the time between two backups; 0 turns the job off.
	Interval time.Duration
	// Keep is how many backups are kept, newest first; older ones are
	// deleted after each backup. Less than 1 means 1.
	Keep int
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// backupName is the name of a scheduled backup: gatehouse-<UTC time>.db.
// The time sorts as text, and the job touches no other file.
var backupName = regexp.MustCompile(`^gatehouse-(\d{8}T\d{6}Z)\.db$`)

const backupStamp = "20060102T150405Z"

// BackupJob writes a backup of the database every Interval into Dir and
// deletes all but the newest Keep. The first backup after a start comes
// one Interval after the newest one in Dir (at once when that is
// overdue), so restarts do not put backups off. A failed backup is
// logged and tried again at the next interval. Start it, then Close it.
type BackupJob struct {
	store  Backuper
	cfg    BackupConfig
	logger *slog.Logger

	ctx    context.Context // cancelled by Close: ends a backup in flight
	cancel context.CancelFunc
	wg     sync.WaitGroup
	mu     sync.Mutex // one backup at a time
}

// NewBackupJob returns the job; it does nothing until Start.
func NewBackupJob(store Backuper, cfg BackupConfig, logger *slog.Logger) *BackupJob {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	cfg.Keep = max(cfg.Keep, 1)
	ctx, cancel := context.WithCancel(context.Background())
	return &BackupJob{store: store, cfg: cfg, logger: logger.With("component", "backup"), ctx: ctx, cancel: cancel}
}

// Start starts the timer, once; with Interval 0 it only logs that backups
// are off.
func (j *BackupJob) Start() {
	if j.cfg.Interval <= 0 {
		j.logger.Info("scheduled backups are off (backup.interval = 0)")
		return
	}
	wait := j.firstWait()
	j.logger.Info("scheduled backups on", "dir", j.cfg.Dir, "interval", j.cfg.Interval, "keep", j.cfg.Keep,
		"next", j.cfg.Now().Add(wait).UTC().Format(time.RFC3339))
	j.wg.Add(1)
	go j.loop(wait)
}

// Close stops the timer and waits for a backup in flight, which it
// cancels (its temporary file is removed), or until ctx ends.
func (j *BackupJob) Close(ctx context.Context) error {
	j.cancel()
	done := make(chan struct{})
	go func() { j.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return errors.New("backup: still running at shutdown")
	}
}

func (j *BackupJob) loop(wait time.Duration) {
	defer j.wg.Done()
	timer := time.NewTimer(wait)
	defer timer.Stop()
	for {
		select {
		case <-j.ctx.Done():
			return
		case <-timer.C:
		}
		if _, err := j.RunOnce(j.ctx); err != nil && j.ctx.Err() == nil {
			j.logger.Error("scheduled backup failed; trying again at the next interval", "err", err)
		}
		timer.Reset(j.cfg.Interval)
	}
}

// RunOnce writes one backup now, named after the current time, then
// deletes all but the newest Keep backups, and returns the new file's
// path. When the backup fails, nothing is deleted. Its errors are those
// of Backuper.Backup (EConflict when a backup of that second exists) or
// internal ones.
func (j *BackupJob) RunOnce(ctx context.Context) (string, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if err := os.MkdirAll(j.cfg.Dir, 0o700); err != nil {
		return "", fmt.Errorf("backup directory: %w", err)
	}
	path := filepath.Join(j.cfg.Dir, "gatehouse-"+j.cfg.Now().UTC().Format(backupStamp)+".db")
	start := time.Now()
	if err := j.store.Backup(ctx, path); err != nil {
		return "", fmt.Errorf("backup to %s: %w", path, err)
	}
	removed, err := j.prune()
	j.logger.Info("backup written", "path", path, "took", time.Since(start).Round(time.Millisecond), "removed", removed)
	return path, err
}

// backups lists the scheduled backups in Dir, oldest first.
func (j *BackupJob) backups() ([]string, error) {
	entries, err := os.ReadDir(j.cfg.Dir)
	if err != nil {
		return nil, fmt.Errorf("list backups: %w", err)
	}
	var names []string
	for _, e := range entries {
		if e.Type().IsRegular() && backupName.MatchString(e.Name()) {
			names = append(names, e.Name())
		}
	}
	slices.Sort(names)
	return names, nil
}

// prune deletes all but the newest Keep backups and counts them.
func (j *BackupJob) prune() (int, error) {
	names, err := j.backups()
	if err != nil {
		return 0, err
	}
	var errs []error
	removed := 0
	for _, name := range names[:max(len(names)-j.cfg.Keep, 0)] {
		if err := os.Remove(filepath.Join(j.cfg.Dir, name)); err != nil {
			errs = append(errs, fmt.Errorf("delete old backup: %w", err))
			continue
		}
		removed++
	}
	return removed, errors.Join(errs...)
}

// firstWait is how long after Start the first backup is due: one Interval
// after the newest backup in Dir, at most one Interval from now.
func (j *BackupJob) firstWait() time.Duration {
	names, err := j.backups()
	if err != nil || len(names) == 0 {
		return 0
	}
	newest, err := time.Parse(backupStamp, backupName.FindStringSubmatch(names[len(names)-1])[1])
	if err != nil {
		return 0
	}
	return min(max(newest.Add(j.cfg.Interval).Sub(j.cfg.Now()), 0), j.cfg.Interval)
}
