package db

import (
	"context"
	"database/sql"
	"fmt"

	"gatehouse/app"
)

// This file answers the operator's questions about the store itself: is
// it ready to serve (the readiness probe) and what it holds in figures
// (the metrics scrape).

// Ready reports whether the store can serve requests: the writer
// connection takes the write lock and writes (in a transaction rolled
// back, so nothing changes), the schema is at SchemaVersion (migrations
// applied, and no newer binary migrated the file underneath), and a
// reader connection answers. It returns EUnavailable otherwise; the
// message is fit for an unauthenticated caller, the wrapped cause is for
// the log.
func (db *DB) Ready(ctx context.Context) error {
	v, err := db.probeWrite(ctx)
	if err != nil {
		return unavailable("database is not writable", err)
	}
	if v != SchemaVersion() {
		return app.Errorf(app.EUnavailable, "database schema version is %d, this binary needs %d", v, SchemaVersion())
	}
	if err := db.reader.PingContext(ctx); err != nil {
		return unavailable("database is not readable", err)
	}
	return nil
}

// probeWrite opens a write transaction (BEGIN IMMEDIATE: it must get the
// write lock), rewrites the schema version it reads with the same value
// (a real write to the database header, needing a writable file and
// journal), and rolls back. It returns the schema version.
func (db *DB) probeWrite(ctx context.Context) (int, error) {
	tx, err := db.writer.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer rollbackOnPanic(tx)
	v, err := userVersion(ctx, tx)
	if err != nil {
		return 0, rollback(tx, err)
	}
	// PRAGMA takes no parameters; v is an int read just above.
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v)); err != nil {
		return 0, rollback(tx, fmt.Errorf("write probe: %w", err))
	}
	if err := tx.Rollback(); err != nil {
		return 0, fmt.Errorf("write probe: rollback: %w", err)
	}
	return v, nil
}

// unavailable is an EUnavailable error with a public message that still
// wraps its cause for the log.
func unavailable(msg string, cause error) error {
	return fmt.Errorf("%w: %w", app.Errorf(app.EUnavailable, "%s", msg), cause)
}

// CouponTotals counts the coupons the store holds (issued and not yet
// purged) and how many of them were redeemed, for the metrics scrape. It
// reads one snapshot; its errors have no app code (EInternal).
func (db *DB) CouponTotals(ctx context.Context) (issued, redeemed int64, err error) {
	err = db.read(ctx, "count coupons", func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `SELECT count(*), count(redeemed_at) FROM coupons`).Scan(&issued, &redeemed)
	})
	return issued, redeemed, err
}
