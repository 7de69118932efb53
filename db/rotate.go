package db

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gatehouse/app"
)

// Key rotation, and the exclusive access it and Restore need.
//
// Exclusive access is SQLite's own file lock: a connection in
// locking_mode EXCLUSIVE takes the database for itself and keeps it until
// it closes. It cannot get the lock while any other connection has the
// database open (a running server keeps its connections open, and each
// holds a shared lock on the file), and while it holds it, anyone else who
// opens the database waits or fails. Nothing else needs to cooperate, no
// lock file can go stale, and it works on every platform SQLite runs on.

// lockWait is how long OpenExclusive and Restore wait for others to let
// go of the database before they refuse.
const lockWait = 2 * time.Second

// errInUse is the refusal to work on a database another process uses.
func errInUse(path string) error {
	return &app.Error{Code: app.EConflict, Reason: app.ReasonResourceConflict, Message: fmt.Sprintf(
		"the database %s is in use by another process: stop gatehouse serve (and any other gatehouse command using this data directory) first", path)}
}

// lockExclusive opens the database file at path (creating an empty one
// when it is missing) on a single connection that holds an exclusive lock
// on it until the returned pool is closed. EConflict when another
// connection keeps the database busy for lockWait.
func lockExclusive(ctx context.Context, path string) (*sql.DB, error) {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", lockWait.Milliseconds()))
	q.Add("_pragma", "locking_mode(EXCLUSIVE)")
	q.Add("_pragma", "foreign_keys(ON)")
	q.Add("_pragma", "synchronous(FULL)") // a commit is on disk before a key file moves
	q.Add("_pragma", "secure_delete(ON)") // replaced ciphertexts are overwritten
	pool, err := sql.Open("sqlite", path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	pool.SetMaxOpenConns(1)
	pool.SetMaxIdleConns(1)
	// An exclusive transaction takes the lock; in this locking mode the
	// connection keeps it after the commit.
	_, err = pool.ExecContext(ctx, `BEGIN EXCLUSIVE`)
	if err == nil {
		_, err = pool.ExecContext(ctx, `COMMIT`)
	}
	switch {
	case isBusy(err):
		return nil, errors.Join(errInUse(path), pool.Close())
	case err != nil:
		return nil, errors.Join(fmt.Errorf("lock database %s: %w", path, err), pool.Close())
	}
	return pool, nil
}

// OpenExclusive opens the existing store in dataDir like Open, but on one
// connection that has the database to itself until Close: for work no
// other process may overlap, such as RotateSecretKey. While it is open,
// other processes that open the database wait, then fail. EConflict when
// another process (a running gatehouse serve) has the database open;
// ENotFound when dataDir holds no database; other errors as Open.
func OpenExclusive(ctx context.Context, dataDir string, logger *slog.Logger) (*DB, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if strings.ContainsRune(dataDir, '?') {
		return nil, fmt.Errorf("data directory %q: the path must not contain '?'", dataDir)
	}
	path := DatabaseFile(dataDir)
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, app.Errorf(app.ENotFound, "no gatehouse database in %s: is the data directory right?", dataDir)
	} else if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	pool, err := lockExclusive(ctx, path)
	if err != nil {
		return nil, err
	}
	db := &DB{writer: pool, reader: pool, logger: logger.With("component", "db"), path: path}
	if err := db.migrate(ctx); err != nil {
		return nil, errors.Join(err, pool.Close())
	}
	if db.secret, err = db.loadSecret(ctx, KeyFile(dataDir)); err != nil {
		return nil, errors.Join(err, pool.Close())
	}
	return db, nil
}

// RotateKey replaces the named key (see Key) with size new random bytes,
// whether or not it existed, so that nothing signed with the old one
// verifies any more. A process that read the key before, such as a
// running server, keeps the old one until it restarts. EInvalid for an
// empty name or a size outside 1..1024.
func (db *DB) RotateKey(ctx context.Context, name string, size int) error {
	if name == "" {
		return app.Missing("name")
	}
	if size < 1 || size > maxKeySize {
		return app.Invalid("size", app.ReasonParameterInvalid, "size must be between 1 and %d bytes", maxKeySize)
	}
	return db.write(ctx, "rotate key", func(tx *sql.Tx, now time.Time) error {
		key := make([]byte, size)
		if _, err := rand.Read(key); err != nil {
			return err
		}
		v, err := db.secret.seal(placeKey(name), key)
		clear(key)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO keys (name, value, created_at) VALUES (?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET value = excluded.value, created_at = excluded.created_at`, name, v, micros(now))
		return err
	})
}

// SecretRotation reports what RotateSecretKey did.
type SecretRotation struct {
	Secrets    int    // values re-encrypted
	KeyFile    string // secret.key, now holding the new key
	OldKeyFile string // the previous key, kept: backups made before need it
}

// RotateSecretKey re-encrypts every secret in the database under a new
// random key, in one transaction, and replaces secret.key with it. The
// previous key is kept as secret.key.old-<UTC time> (mode 0600): backups
// made before the rotation need it. The store must come from OpenExclusive
// (EConflict otherwise): a running server would go on using the old key.
//
// Crash safety: before the transaction, the new key is written and synced
// to secret.key.new-<time> and the old one copied to secret.key.old-<time>;
// after the commit, the new file is renamed to secret.key. A crash before
// the commit leaves the database on the old key, which secret.key still
// holds; a crash between the commit and the rename leaves it on the key in
// secret.key.new-<time>, which must be renamed to secret.key. The next
// RotateSecretKey finds out which: it removes a leftover new key file that
// the database does not use, and refuses with the rename to do otherwise.
func (db *DB) RotateSecretKey(ctx context.Context) (SecretRotation, error) {
	var mode string
	if err := db.writer.QueryRowContext(ctx, `PRAGMA locking_mode`).Scan(&mode); err != nil {
		return SecretRotation{}, fmt.Errorf("rotate secret key: %w", err)
	}
	if mode != "exclusive" {
		return SecretRotation{}, app.Errorf(app.EConflict, "rotating the secret key needs the database to itself: open it with OpenExclusive")
	}
	dir := filepath.Dir(db.path)
	res := SecretRotation{KeyFile: filepath.Join(dir, secretFileName)}
	if err := db.checkLeftoverKeys(ctx, res.KeyFile); err != nil {
		return res, err
	}
	old, err := os.ReadFile(res.KeyFile)
	if err != nil {
		return res, fmt.Errorf("rotate secret key: %w", err)
	}
	key := make([]byte, secretKeySize)
	if _, err := rand.Read(key); err != nil {
		return res, fmt.Errorf("rotate secret key: %w", err)
	}
	next, err := newSealer(key)
	if err != nil {
		return res, err
	}
	if res.OldKeyFile, err = keepCopy(res.KeyFile+".old-", old); err != nil {
		return res, fmt.Errorf("keep the old secret key: %w", err)
	}
	newFile, err := keepCopy(res.KeyFile+".new-", []byte(hex.EncodeToString(key)+"\n"))
	clear(key)
	if err != nil {
		return res, fmt.Errorf("write the new secret key: %w", err)
	}

	err = db.write(ctx, "re-encrypt secrets", func(tx *sql.Tx, _ time.Time) (err error) {
		res.Secrets, err = reseal(ctx, tx, db.secret, next)
		return err
	})
	if err != nil {
		// Normally rolled back; make sure before dropping the new key.
		if _, verr := verifySealed(ctx, db.writer, db.secret); verr != nil {
			return res, errors.Join(err, fmt.Errorf("the database may now need the key in %s: check before starting gatehouse", newFile))
		}
		return res, errors.Join(err, removeFile(newFile))
	}
	if err := os.Rename(newFile, res.KeyFile); err != nil {
		return res, fmt.Errorf("the secrets are now encrypted with the key in %s, but it could not be renamed to %s; rename it by hand before starting gatehouse: %w",
			newFile, res.KeyFile, err)
	}
	db.secret = next
	if err := syncDir(dir); err != nil {
		return res, err
	}
	db.scrub(ctx)
	return res, nil
}

// scrub rewrites the database so that the replaced ciphertexts are no
// longer in its free pages or in the WAL. It only logs failures: the
// rotation is done by then.
func (db *DB) scrub(ctx context.Context) {
	_, err := db.writer.ExecContext(ctx, `VACUUM`)
	if err == nil {
		_, err = db.writer.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	}
	if err != nil {
		db.logger.WarnContext(ctx, "could not compact the database after the key rotation", "err", err)
	}
}

// checkLeftoverKeys looks for new key files of an interrupted rotation
// next to keyPath: see RotateSecretKey.
func (db *DB) checkLeftoverKeys(ctx context.Context, keyPath string) error {
	entries, err := os.ReadDir(filepath.Dir(keyPath))
	if err != nil {
		return fmt.Errorf("rotate secret key: %w", err)
	}
	var left []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), secretFileName+".new-") {
			left = append(left, filepath.Join(filepath.Dir(keyPath), e.Name()))
		}
	}
	if len(left) == 0 {
		return nil
	}
	if _, err := verifySealed(ctx, db.writer, db.secret); err == nil {
		for _, p := range left { // never used: the rotation stopped before its commit
			if err := removeFile(p); err != nil {
				return fmt.Errorf("remove key file of an interrupted rotation: %w", err)
			}
			db.logger.InfoContext(ctx, "removed the unused key file of an interrupted key rotation", "path", p)
		}
		return nil
	}
	for _, p := range left {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		k, err := parseKey(b)
		if err != nil {
			continue
		}
		if s, err := newSealer(k); err == nil {
			if _, err := verifySealed(ctx, db.writer, s); err == nil {
				return app.Errorf(app.EConflict, "a key rotation was interrupted after the database switched to the key in %s: rename that file to %s, then start gatehouse (or rotate again)", p, keyPath)
			}
		}
	}
	return fmt.Errorf("rotate secret key: %w", errDecrypt)
}

// sealedColumn is a column of encrypted values, with the column that
// names the row and the additional data each value is bound to.
type sealedColumn struct {
	table, key, column string
	place              func(key string) string
}

// sealedColumns lists every encrypted column; countSecrets counts the same.
// A migration that adds an encrypted column must add it here too.
var sealedColumns = []sealedColumn{
	{"sites", "id", "password", placeSitePassword},
	{"auth_integrations", "id", "client_secret", placeClientSecret},
	{"notification_groups", "id", "webhook_secret", placeWebhookSecret},
	{"keys", "name", "value", placeKey},
	{"oauth_guests", "site_user_id", "sealed_password", placeOAuthGuestPassword},
}

// eachSealed calls fn for every encrypted value in the database behind q,
// skipping columns an older schema does not have yet.
func eachSealed(ctx context.Context, q rowsQuerier, fn func(c sealedColumn, key string, blob []byte) error) error {
	type value struct {
		key  string
		blob []byte
	}
	for _, c := range sealedColumns {
		var n int
		err := q.QueryRowContext(ctx, `SELECT count(*) FROM pragma_table_info(?) WHERE name = ?`, c.table, c.column).Scan(&n)
		if err != nil {
			return fmt.Errorf("read %s.%s: %w", c.table, c.column, err)
		}
		if n == 0 {
			continue
		}
		// The names are constants of this file, never input.
		values, err := queryAll(ctx, q, fmt.Sprintf(`SELECT %s, %s FROM %s WHERE %[2]s IS NOT NULL`, c.key, c.column, c.table),
			func(sc scanner) (value, error) {
				var v value
				err := sc.Scan(&v.key, &v.blob)
				return v, err
			})
		if err != nil {
			return fmt.Errorf("read %s.%s: %w", c.table, c.column, err)
		}
		for _, v := range values {
			if err := fn(c, v.key, v.blob); err != nil {
				return err
			}
		}
	}
	return nil
}

// countSealed counts the encrypted values.
func countSealed(ctx context.Context, q rowsQuerier) (int, error) {
	n := 0
	err := eachSealed(ctx, q, func(sealedColumn, string, []byte) error { n++; return nil })
	return n, err
}

// verifySealed checks that every encrypted value decrypts with s, and
// counts them.
func verifySealed(ctx context.Context, q rowsQuerier, s *sealer) (int, error) {
	n := 0
	err := eachSealed(ctx, q, func(c sealedColumn, key string, blob []byte) error {
		plain, err := s.open(c.place(key), blob)
		if err != nil {
			return fmt.Errorf("%s.%s of %q: %w", c.table, c.column, key, err)
		}
		clear(plain)
		n++
		return nil
	})
	return n, err
}

// reseal re-encrypts every value in tx from one key to the other.
func reseal(ctx context.Context, tx *sql.Tx, from, to *sealer) (int, error) {
	n := 0
	err := eachSealed(ctx, tx, func(c sealedColumn, key string, blob []byte) error {
		plain, err := from.open(c.place(key), blob)
		if err != nil {
			return fmt.Errorf("%s.%s of %q: %w", c.table, c.column, key, err)
		}
		v, err := to.seal(c.place(key), plain)
		clear(plain)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf(`UPDATE %s SET %s = ? WHERE %s = ?`, c.table, c.column, c.key), v, key); err != nil {
			return fmt.Errorf("write %s.%s of %q: %w", c.table, c.column, key, err)
		}
		n++
		return nil
	})
	return n, err
}
