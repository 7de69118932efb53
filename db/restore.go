package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"gatehouse/app"

	"modernc.org/sqlite"
)

// RestoreOptions change what Restore does.
type RestoreOptions struct {
	// KeyFile is the secret key file that belongs to the backup. Empty
	// means the backup's path plus ".key" when that file exists (see
	// BackupOptions.WithKey), and otherwise the data directory's own
	// secret.key.
	KeyFile string
}

// Restored reports what Restore did.
type Restored struct {
	Backup       BackupInfo
	KeyFile      string // the key the backup's secrets were checked with; "" for none
	KeyInstalled bool   // KeyFile was copied to the data directory's secret.key
	PreviousDB   string // copy of the replaced database; "" when there was none
	PreviousKey  string // copy of the replaced secret.key; "" when it stayed
}

// Restore replaces the database in dataDir (created when missing) with
// the backup at file. Nothing changes unless every check passes: the file
// passes CheckBackup, and every secret in it decrypts with the key (see
// RestoreOptions.KeyFile). Then Restore takes the live database for itself
// (EConflict while another process, such as gatehouse serve, has it open),
// keeps a copy of it as gatehouse.db.before-restore-<UTC time>, removes
// its WAL and shared-memory files, and copies the backup into it with
// SQLite's backup API in one transaction: the database is the old one or
// the new one, whatever happens. Last, a key file that differs from
// secret.key replaces it, the old one kept as
// secret.key.before-restore-<time>. An interrupted Restore can simply be
// run again. Errors: those of CheckBackup, EInvalid when the key does not
// fit, EConflict, and internal ones.
func Restore(ctx context.Context, dataDir, file string, opt RestoreOptions) (Restored, error) {
	var res Restored
	live, err := filepath.Abs(DatabaseFile(dataDir))
	if err != nil {
		return res, err
	}
	if abs, err := filepath.Abs(file); err == nil && abs == live {
		return res, app.Errorf(app.EInvalid, "%s is the live database, not a backup", file)
	}
	info, err := CheckBackup(ctx, file)
	res.Backup = info
	if err != nil {
		return res, err
	}
	key, err := restoreKey(ctx, dataDir, info, opt.KeyFile, &res)
	if err != nil {
		return res, err
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return res, fmt.Errorf("create data directory: %w", err)
	}
	fi, err := os.Stat(live)
	existed := err == nil && fi.Size() > 0
	pool, err := lockExclusive(ctx, live)
	if err != nil {
		return res, err
	}
	err = restoreLocked(ctx, pool, live, existed, info, &res)
	if cerr := pool.Close(); cerr != nil && err == nil {
		err = fmt.Errorf("close database: %w", cerr)
	}
	if err != nil {
		return res, err
	}
	if key != nil && res.KeyFile != KeyFile(dataDir) {
		err = installKey(KeyFile(dataDir), key, &res)
	}
	return res, err
}

// restoreLocked is the part of Restore that holds the lock.
func restoreLocked(ctx context.Context, pool *sql.DB, live string, existed bool, info BackupInfo, res *Restored) error {
	conn, err := pool.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	// Fold the WAL into the file: the file alone is then the whole
	// database, and no WAL of the old database can meet the new one.
	var mode string
	if err := conn.QueryRowContext(ctx, `PRAGMA journal_mode = DELETE`).Scan(&mode); err != nil || mode != "delete" {
		return fmt.Errorf("cannot read the database %s (journal mode %q: %w); if it is damaged beyond opening, stop gatehouse, move it and its -wal and -shm files out of the data directory, and restore again",
			live, mode, err)
	}
	if existed {
		b, err := os.ReadFile(live)
		if err == nil {
			res.PreviousDB, err = keepCopy(live+".before-restore-", b)
		}
		if err != nil {
			return fmt.Errorf("keep the replaced database: %w", err)
		}
	}
	for _, stale := range []string{live + "-wal", live + "-shm"} {
		if err := removeFile(stale); err != nil {
			return fmt.Errorf("remove stale %s: %w", stale, err)
		}
	}
	err = conn.Raw(func(dc any) error {
		r, ok := dc.(interface {
			NewRestore(string) (*sqlite.Backup, error)
		})
		if !ok {
			return errors.New("the SQLite driver has no backup API")
		}
		b, err := r.NewRestore(readOnlyURI(info.Path))
		if err != nil {
			return err
		}
		_, err = b.Step(-1)
		return errors.Join(err, b.Finish())
	})
	if err != nil {
		return fmt.Errorf("restore %s into %s: %w", info.Path, live, err)
	}
	v, err := userVersion(ctx, conn)
	if err == nil && v != info.SchemaVersion {
		err = fmt.Errorf("schema version %d after the restore, want %d", v, info.SchemaVersion)
	}
	if err != nil {
		return fmt.Errorf("check the restored database: %w", err)
	}
	return nil
}

// restoreKey finds the key for the backup, checks that every secret in it
// decrypts, and returns the key file's content (nil when there is no key,
// which only a backup without secrets may lack).
func restoreKey(ctx context.Context, dataDir string, info BackupInfo, keyFile string, res *Restored) ([]byte, error) {
	path := keyFile
	if path == "" {
		path = info.Path + ".key"
		if _, err := os.Stat(path); err != nil {
			path = KeyFile(dataDir)
		}
	}
	b, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist) && keyFile == "":
		if info.Secrets > 0 {
			return nil, app.Errorf(app.EInvalid, "backup %s holds %d encrypted secrets but there is no key for them: put the secret.key that was in use when it was made next to it as %s.key, or name it (-key)",
				info.Path, info.Secrets, info.Path)
		}
		return nil, nil
	case err != nil:
		return nil, app.Errorf(app.EInvalid, "key file %s: %v", path, err)
	}
	k, err := parseKey(b)
	if err != nil {
		return nil, app.Errorf(app.EInvalid, "key file %s: %v", path, err)
	}
	s, err := newSealer(k)
	if err != nil {
		return nil, err
	}
	pool, err := openReadOnly(info.Path)
	if err != nil {
		return nil, err
	}
	defer pool.Close()
	if _, err := verifySealed(ctx, pool, s); errors.Is(err, errDecrypt) {
		return nil, app.Errorf(app.EInvalid, "the secrets in backup %s do not decrypt with the key %s: use the secret.key that was in use when the backup was made (-key)", info.Path, path)
	} else if err != nil {
		return nil, fmt.Errorf("check backup %s: %w", info.Path, err)
	}
	if res.KeyFile, err = filepath.Abs(path); err != nil {
		return nil, err
	}
	return b, nil
}

// installKey makes key the content of the key file at path, keeping a
// different earlier one.
func installKey(path string, key []byte, res *Restored) error {
	cur, err := os.ReadFile(path)
	switch {
	case err == nil && strings.TrimSpace(string(cur)) == strings.TrimSpace(string(key)):
		return nil
	case err == nil:
		if res.PreviousKey, err = keepCopy(path+".before-restore-", cur); err != nil {
			return fmt.Errorf("keep the replaced secret key: %w", err)
		}
	case !errors.Is(err, fs.ErrNotExist):
		return err
	}
	if err := writeFileAtomic(path, key, true); err != nil {
		return fmt.Errorf("install the secret key: %w", err)
	}
	res.KeyInstalled = true
	return nil
}
