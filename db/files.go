package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"gatehouse/app"
)

// errExists is the refusal to overwrite a file.
func errExists(path string) error {
	return &app.Error{Code: app.EConflict, Reason: app.ReasonResourceConflict,
		Message: fmt.Sprintf("%s exists already: choose another name or replace it (-force)", path)}
}

// placeFile moves the finished temporary file tmp to path in the same
// directory, replacing a file there only when replace is true (EConflict
// otherwise), and syncs the directory.
func placeFile(tmp, path string, replace bool) error {
	if !replace {
		// Claim the name, then rename over the claim: portable, and
		// unlike a hard link it works on every file system.
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			return errExists(path)
		}
		if err != nil {
			return fmt.Errorf("create %s: %w", path, err)
		}
		if err := f.Close(); err != nil {
			return errors.Join(fmt.Errorf("create %s: %w", path, err), removeFile(path))
		}
	}
	if err := os.Rename(tmp, path); err != nil {
		err = fmt.Errorf("move %s into place: %w", path, err)
		if !replace {
			err = errors.Join(err, removeFile(path))
		}
		return err
	}
	return syncDir(filepath.Dir(path))
}

// writeFileAtomic writes data to path (mode 0600): to a temporary file
// next to it, synced, then moved into place with placeFile.
func writeFileAtomic(path string, data []byte, replace bool) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*") // mode 0600
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	err = errors.Join(err, f.Close())
	if err == nil {
		err = placeFile(f.Name(), path, replace)
	}
	if err != nil {
		return errors.Join(fmt.Errorf("write %s: %w", path, err), removeFile(f.Name()))
	}
	return nil
}

// keepCopy writes data to a new file (mode 0600) named prefix plus the
// UTC time, and a counter when that name is taken, and returns its name.
func keepCopy(prefix string, data []byte) (string, error) {
	name := prefix + time.Now().UTC().Format(stampFormat)
	for i := 2; ; i++ {
		err := writeFileAtomic(name, data, false)
		if app.ErrorCode(err) != app.EConflict || i > 100 {
			return name, err
		}
		name = fmt.Sprintf("%s%s-%d", prefix, time.Now().UTC().Format(stampFormat), i)
	}
}

// syncFile flushes the file at path to disk.
func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	return errors.Join(f.Sync(), f.Close())
}

// syncDir makes the entries of directory dir durable (after a rename).
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("sync directory: %w", err)
	}
	if err := errors.Join(d.Sync(), d.Close()); err != nil {
		return fmt.Errorf("sync directory %s: %w", dir, err)
	}
	return nil
}

// removeFile removes path; a file that is already gone is no error.
func removeFile(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// rowsQuerier is what *sql.DB, *sql.Conn and *sql.Tx have in common for
// queries.
type rowsQuerier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}
