// Package db is gatehouse's SQLite adapter: it implements the store
// interfaces of package app over one SQLite file, using modernc.org/sqlite
// (pure Go, no cgo) and raw SQL — one file per area, named like the app
// file it serves (coupon.go, site.go, oauth.go …), plus what only storage
// does: migrations, backups and restore, key rotation, the site state a
// router should hold.
//
// It sits at the edge of the architecture: it imports app and its libraries,
// never another adapter, and package main wires it in. The schema lives in
// numbered, embedded migrations applied at Open. Secrets (router passwords,
// OAuth2 client secrets, keys) are encrypted at rest with a key kept next to
// the database. This is the only package that inspects SQLite driver errors
// (see errors.go); callers see app error codes.
//
// Concurrency: all writes go through a single writer connection, one
// transaction per method call (BEGIN IMMEDIATE, so concurrent processes
// queue on busy_timeout instead of failing); reads use a small pool of
// query-only connections that see a consistent snapshot thanks to WAL.
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gatehouse/app"

	"github.com/google/uuid"
	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

// File names inside the data directory.
const (
	dbFileName     = "gatehouse.db"
	secretFileName = "secret.key"
)

// readerConns is the size of the read-only connection pool.
const readerConns = 4

// DB is the SQLite store. It implements app.SiteStore, app.InstanceStore,
// app.AuthIntegrationStore, app.WalledGardenStore, app.TokenStore,
// app.KeyStore, app.CouponStore, app.ScheduleStore, app.NotificationStore
// and app.SiteUserStore. It is safe for concurrent use; Close it when done.
type DB struct {
	writer *sql.DB // one connection: every write transaction
	reader *sql.DB // query-only pool: every read transaction
	secret *sealer // encrypts secrets at rest
	logger *slog.Logger
	path   string // the database file
	lists  listCache
	ledger ledgerSQL // prepared on the writer (ledger.go)
}

// Open opens the store in dataDir, creating the directory (mode 0700), the
// database file and the secret key file (mode 0600) when they are missing,
// and applies pending migrations. An existing directory and the files that
// hold the database or a key are first brought down to those modes (see
// tightenModes), and each change is logged. It refuses a database whose
// schema is newer than this binary, a malformed secret key file, and a
// missing key file when the database already holds encrypted secrets. Its
// errors are start-up failures with no app code (EInternal), written for
// the operator. A nil logger discards log output.
func Open(ctx context.Context, dataDir string, logger *slog.Logger) (*DB, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	logger = logger.With("component", "db")
	if strings.ContainsRune(dataDir, '?') {
		// The driver reads everything after a '?' as DSN parameters.
		return nil, fmt.Errorf("data directory %q: the path must not contain '?'", dataDir)
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	path := filepath.Join(dataDir, dbFileName)
	db := &DB{logger: logger, path: path}
	db.tightenModes(ctx, dataDir)
	if err := createPrivate(path); err != nil {
		return nil, err
	}

	var err error
	db.writer, err = sql.Open("sqlite", dsn(path, true))
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	db.writer.SetMaxOpenConns(1)
	db.writer.SetMaxIdleConns(1)
	if err := connect(ctx, db.writer); err != nil {
		return nil, errors.Join(fmt.Errorf("open database %s: %w", path, err), db.writer.Close())
	}

	if err := db.migrate(ctx); err != nil {
		return nil, errors.Join(err, db.writer.Close())
	}
	if db.ledger, err = prepareLedgerSQL(ctx, db.writer); err != nil {
		return nil, errors.Join(fmt.Errorf("open database %s: %w", path, err), db.writer.Close())
	}

	db.secret, err = db.loadSecret(ctx, filepath.Join(dataDir, secretFileName))
	if err != nil {
		return nil, errors.Join(err, db.writer.Close())
	}
	if n, err := db.sealOAuthGuestPasswords(ctx); err != nil {
		return nil, errors.Join(fmt.Errorf("encrypt oauth guest passwords: %w", err), db.writer.Close())
	} else if n > 0 {
		db.logger.InfoContext(ctx, "encrypted the hotspot passwords of OAuth2 guests that an older gatehouse stored in plaintext", "count", n)
	}

	db.reader, err = sql.Open("sqlite", dsn(path, false))
	if err != nil {
		return nil, errors.Join(fmt.Errorf("open database %s: %w", path, err), db.writer.Close())
	}
	db.reader.SetMaxOpenConns(readerConns)
	db.reader.SetMaxIdleConns(readerConns)
	if err := db.reader.PingContext(ctx); err != nil {
		return nil, errors.Join(fmt.Errorf("open database %s: %w", path, err), db.reader.Close(), db.writer.Close())
	}
	return db, nil
}

// dsn is the data source name of the writer or of a reader connection.
// The pragmas are per connection, so they belong in the DSN: every
// connection the pool opens gets them.
func dsn(path string, writer bool) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "foreign_keys(ON)")
	q.Add("_pragma", "synchronous(NORMAL)")
	if writer {
		q.Add("_pragma", "journal_mode(WAL)")
		q.Set("_txlock", "immediate")
	} else {
		q.Set("_query_only", "1")
	}
	return path + "?" + q.Encode()
}

// connect opens the writer's connection. Its DSN turns a new database to
// WAL mode; when two processes create the database at the same moment,
// SQLite may refuse one of them at once with SQLITE_BUSY rather than let
// them deadlock, so connect tries again for a while.
func connect(ctx context.Context, pool *sql.DB) error {
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := pool.PingContext(ctx)
		if err == nil || !isBusy(err) || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// Close closes both connection pools; the store must not be used
// afterwards. Its error, if any, has no app code (EInternal).
func (db *DB) Close() error {
	var errs []error
	db.ledger.close()
	if db.reader != nil {
		errs = append(errs, db.reader.Close())
	}
	if db.writer != nil {
		errs = append(errs, db.writer.Close())
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("close database: %w", err)
	}
	return nil
}

// write runs fn in one write transaction on the writer connection and
// commits when fn returns nil. Errors of fn are passed through mapError
// with op as context, so app errors and errors of change funcs come back
// unchanged.
func (db *DB) write(ctx context.Context, op string, fn func(tx *sql.Tx, now time.Time) error) error {
	tx, err := db.writer.BeginTx(ctx, nil)
	if err != nil {
		return mapError(op, err)
	}
	defer rollbackOnPanic(tx)
	now := time.Now().UTC().Truncate(time.Microsecond)
	if err := fn(tx, now); err != nil {
		return rollback(tx, mapError(op, err))
	}
	if err := tx.Commit(); err != nil {
		return mapError(op, err)
	}
	db.lists.invalidate()
	return nil
}

// read runs fn in one read-only transaction on the reader pool, so that the
// queries of one call see one snapshot of the database.
func (db *DB) read(ctx context.Context, op string, fn func(tx *sql.Tx) error) error {
	tx, err := db.reader.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return mapError(op, err)
	}
	defer rollbackOnPanic(tx)
	if err := fn(tx); err != nil {
		return rollback(tx, mapError(op, err))
	}
	if err := tx.Commit(); err != nil {
		return mapError(op, err)
	}
	return nil
}

// rollback rolls tx back after the failure err and returns err itself,
// joined with the rollback's own error only if that fails too (a
// transaction already ended, say by a cancelled context, is not a failure).
func rollback(tx *sql.Tx, err error) error {
	if rerr := tx.Rollback(); rerr != nil && !errors.Is(rerr, sql.ErrTxDone) {
		return errors.Join(err, fmt.Errorf("rollback: %w", rerr))
	}
	return err
}

// rollbackOnPanic rolls tx back when fn (or a caller's change func)
// panics, so that the single writer connection is not left inside an open
// transaction for ever; the panic goes on.
func rollbackOnPanic(tx *sql.Tx) {
	if p := recover(); p != nil {
		tx.Rollback() //nolint:errcheck // the panic is the error worth reporting
		panic(p)
	}
}

// newID returns a new time-ordered UUID (version 7) in canonical form.
func newID() (string, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return "", fmt.Errorf("new id: %w", err)
	}
	return id.String(), nil
}

// canonicalID returns id in the canonical form the store keeps ids in, and
// false when id is not a UUID (and so cannot name anything stored).
func canonicalID(id string) (string, bool) {
	u, err := uuid.Parse(id)
	if err != nil {
		return "", false
	}
	return u.String(), true
}

// micros is the stored form of a timestamp: unix microseconds.
func micros(t time.Time) int64 { return t.UnixMicro() }

// fromMicros turns a stored timestamp back into a UTC time.
func fromMicros(v int64) time.Time { return time.UnixMicro(v).UTC() }

// nullMicros is the stored form of an optional timestamp.
func nullMicros(t *time.Time) sql.NullInt64 {
	if t == nil {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: micros(*t), Valid: true}
}

// fromNullMicros turns a stored optional timestamp back into a UTC time.
func fromNullMicros(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := fromMicros(v.Int64)
	return &t
}

// nullString stores "" as NULL.
func nullString(s string) sql.NullString {
	return sql.NullString{String: s, Valid: s != ""}
}

// exists runs query, which selects by one id, and reports whether it
// found a row. An id that is not a UUID names nothing.
func exists(ctx context.Context, tx *sql.Tx, query, id string) (bool, error) {
	cid, ok := canonicalID(id)
	if !ok {
		return false, nil
	}
	var one int
	err := tx.QueryRowContext(ctx, query, cid).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// mustAffect turns an UPDATE or DELETE that matched no row into ENotFound
// for the given kind and id.
func mustAffect(res sql.Result, kind, id string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return app.NotFound(kind, id)
	}
	return nil
}

// queryAll runs query and turns every row into a T with scan. It
// returns an empty, not nil, slice when no row matches.
func queryAll[T any](ctx context.Context, q rowsQuerier, query string, scan func(scanner) (T, error), args ...any) ([]T, error) {
	out := []T{}
	err := queryEach(ctx, q, query, func(sc scanner) error {
		v, err := scan(sc)
		if err != nil {
			return err
		}
		out = append(out, v)
		return nil
	}, args...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// queryEach runs query and calls fn with every row in order, stopping at
// the first error. It is for rows that do not map one to one onto a slice
// (a map, a count, several values a row). The rows are closed when it
// returns, so the transaction can write again.
func queryEach(ctx context.Context, q rowsQuerier, query string, fn func(scanner) error, args ...any) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// scanner is what *sql.Row and *sql.Rows have in common.
type scanner interface {
	Scan(dest ...any) error
}
