package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"gatehouse/app"
)

// Backups. A backup is a consistent copy of the database written with
// VACUUM INTO while the store is in use: it runs in one read transaction
// on a connection of its own, so writers carry on (WAL). Secrets are in it
// only encrypted, and the key is not in the database: a backup is useless
// without the secret.key that was in use when it was made. Restore is the
// reverse and needs the server stopped.

// stampFormat is the UTC timestamp in the names of kept files.
const stampFormat = "20060102T150405Z"

// DatabaseFile is the path of the database file in dataDir.
func DatabaseFile(dataDir string) string { return filepath.Join(dataDir, dbFileName) }

// KeyFile is the path of the secret key file in dataDir.
func KeyFile(dataDir string) string { return filepath.Join(dataDir, secretFileName) }

// BackupOptions change what BackupWith does.
type BackupOptions struct {
	// Replace replaces existing files instead of failing with EConflict.
	Replace bool
	// WithKey also writes the secret key file to the backup's path plus
	// ".key" (mode 0600), for Restore to find.
	WithKey bool
}

// Backup writes a consistent copy of the database to path, which must not
// exist yet (EConflict) and must not be the database itself (EInvalid).
// The file appears complete or not at all (written to a temporary file
// next to it, synced, then renamed), with mode 0600. Writes go on while it
// runs; cancelling ctx stops it. Other errors are internal.
func (db *DB) Backup(ctx context.Context, path string) error {
	return db.BackupWith(ctx, path, BackupOptions{})
}

// BackupWith is Backup with options: see BackupOptions.
func (db *DB) BackupWith(ctx context.Context, path string, opt BackupOptions) error {
	path, err := filepath.Abs(path)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if live, err := filepath.Abs(db.path); err != nil || path == live {
		return app.Errorf(app.EInvalid, "backup: %s is the live database", path)
	}
	keyPath := path + ".key"
	if !opt.Replace {
		// Fail early; placeFile makes sure.
		if _, err := os.Lstat(path); err == nil {
			return errExists(path)
		}
		if _, err := os.Lstat(keyPath); err == nil && opt.WithKey {
			return errExists(keyPath)
		}
	}
	var key []byte
	if opt.WithKey {
		if key, err = os.ReadFile(filepath.Join(filepath.Dir(db.path), secretFileName)); err != nil {
			return fmt.Errorf("backup: read secret key file: %w", err)
		}
	}
	tmp, err := db.vacuumInto(ctx, path)
	if err != nil {
		return err
	}
	if err := placeFile(tmp, path, opt.Replace); err != nil {
		return errors.Join(err, removeFile(tmp))
	}
	if opt.WithKey {
		if err := writeFileAtomic(keyPath, key, opt.Replace); err != nil {
			return fmt.Errorf("backup written to %s, but not its key file: %w", path, err)
		}
	}
	return nil
}

// vacuumInto writes the copy to a new temporary file next to path and
// returns its name.
func (db *DB) vacuumInto(ctx context.Context, path string) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*") // mode 0600
	if err != nil {
		return "", fmt.Errorf("backup: %w", err)
	}
	tmp := f.Name()
	if err := f.Close(); err != nil {
		return "", errors.Join(fmt.Errorf("backup: %w", err), removeFile(tmp))
	}
	// A connection of its own: the readers are query-only, which VACUUM
	// INTO is not, and the writer must stay free for writes.
	conn, err := sql.Open("sqlite", db.path+"?"+url.Values{"_pragma": {"busy_timeout(10000)"}}.Encode())
	if err == nil {
		// VACUUM INTO fills an empty file; tmp is an absolute path, never
		// read as a URI.
		_, err = conn.ExecContext(ctx, `VACUUM INTO ?`, tmp)
		err = errors.Join(err, conn.Close())
	}
	if err == nil {
		err = syncFile(tmp)
	}
	if err != nil {
		return "", errors.Join(fmt.Errorf("backup to %s: %w", path, err), removeFile(tmp))
	}
	return tmp, nil
}

// BackupInfo describes a backup file that passed CheckBackup.
type BackupInfo struct {
	Path          string // absolute
	Size          int64  // bytes
	SchemaVersion int    // PRAGMA user_version; at most SchemaVersion()
	Secrets       int    // encrypted values in it
}

// CheckBackup opens the file at path read-only and checks that it is a
// whole gatehouse database this binary can use: PRAGMA integrity_check
// says "ok", and its schema version is between 1 and SchemaVersion (an
// older one is fine: migrations run at the next start). ENotFound when
// there is no file; EInvalid, naming the problem, when it fails a check.
func CheckBackup(ctx context.Context, path string) (BackupInfo, error) {
	info := BackupInfo{Path: path}
	abs, err := filepath.Abs(path)
	if err != nil {
		return info, fmt.Errorf("check backup: %w", err)
	}
	info.Path = abs
	fi, err := os.Stat(abs)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return info, app.Errorf(app.ENotFound, "backup file %s does not exist", path)
	case err != nil:
		return info, fmt.Errorf("check backup: %w", err)
	case !fi.Mode().IsRegular():
		return info, app.Errorf(app.EInvalid, "backup file %s is not a regular file", path)
	case fi.Size() == 0:
		return info, app.Errorf(app.EInvalid, "backup file %s is empty", path)
	}
	info.Size = fi.Size()
	pool, err := openReadOnly(abs)
	if err != nil {
		return info, err
	}
	defer pool.Close()
	if err := integrityCheck(ctx, pool, path); err != nil {
		return info, err
	}
	if info.SchemaVersion, err = userVersion(ctx, pool); err != nil {
		return info, fmt.Errorf("check backup %s: %w", path, err)
	}
	if err := isGatehouse(ctx, pool, path, info.SchemaVersion); err != nil {
		return info, err
	}
	if info.SchemaVersion > SchemaVersion() {
		return info, app.Errorf(app.EInvalid, "backup %s has schema version %d, newer than this gatehouse binary understands (%d): restore it with the gatehouse version that made it, or a newer one",
			path, info.SchemaVersion, SchemaVersion())
	}
	if info.Secrets, err = countSealed(ctx, pool); err != nil {
		return info, fmt.Errorf("check backup %s: %w", path, err)
	}
	return info, nil
}

// openReadOnly opens the database file at the absolute path read-only.
func openReadOnly(path string) (*sql.DB, error) {
	pool, err := sql.Open("sqlite", readOnlyURI(path))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	pool.SetMaxOpenConns(1)
	return pool, nil
}

// readOnlyURI names the database file at the absolute path, read-only,
// as a URI so that no character of the path is taken for a parameter.
func readOnlyURI(path string) string {
	p := filepath.ToSlash(path)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // a Windows drive letter
	}
	u := url.URL{Scheme: "file", Path: p, RawQuery: "mode=ro"}
	return u.String()
}

// integrityCheck runs PRAGMA integrity_check and turns anything but "ok"
// into EInvalid quoting the first problems.
func integrityCheck(ctx context.Context, q rowsQuerier, name string) error {
	rows, err := q.QueryContext(ctx, `PRAGMA integrity_check(5)`)
	if err != nil {
		return app.Errorf(app.EInvalid, "%s is not a readable SQLite database: %v", name, err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return app.Errorf(app.EInvalid, "%s is not a readable SQLite database: %v", name, err)
		}
		problems = append(problems, s)
	}
	if err := rows.Err(); err != nil {
		return app.Errorf(app.EInvalid, "%s is damaged: %v", name, err)
	}
	if len(problems) != 1 || problems[0] != "ok" {
		return app.Errorf(app.EInvalid, "%s is damaged: integrity check says: %s", name, strings.Join(problems, "; "))
	}
	return nil
}

// isGatehouse tells a gatehouse database from another SQLite file.
func isGatehouse(ctx context.Context, q rowsQuerier, name string, version int) error {
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('keys', 'tokens', 'sites')`).Scan(&n)
	if err != nil {
		return fmt.Errorf("check %s: %w", name, err)
	}
	if version < 1 || n != 3 {
		return app.Errorf(app.EInvalid, "%s is an SQLite database but not a gatehouse one (schema version %d)", name, version)
	}
	return nil
}
