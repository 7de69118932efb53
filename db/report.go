package db

import (
	"context"
	"database/sql"
	"time"

	"gatehouse/app"
)

var _ app.ReportStore = (*DB)(nil)

// onlineSlot is the length of one guests-online sample.
const onlineSlot = 5 * time.Minute

// sampleOnline keeps the most guests seen online at a site in the slot of
// now.
func sampleOnline(ctx context.Context, tx *sql.Tx, siteID string, guests int, now time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO online_samples (at, site_id, guests) VALUES (?, ?, ?)
		ON CONFLICT (at, site_id) DO UPDATE SET guests = max(guests, excluded.guests)`,
		micros(now.Truncate(onlineSlot)), siteID, guests)
	return err
}

// OnlineSeries implements app.ReportStore.
func (db *DB) OnlineSeries(ctx context.Context, from, to time.Time) ([]app.OnlineSample, error) {
	out := []app.OnlineSample{}
	err := db.read(ctx, "read guests online", func(tx *sql.Tx) (err error) {
		out, err = queryAll(ctx, tx, `SELECT at, sum(guests) FROM online_samples WHERE at >= ? AND at < ?
			GROUP BY at ORDER BY at`, func(sc scanner) (app.OnlineSample, error) {
			var s app.OnlineSample
			var at int64
			err := sc.Scan(&at, &s.Guests)
			s.At = fromMicros(at)
			return s, err
		}, micros(from.Truncate(onlineSlot)), micros(to))
		return err
	})
	return out, err
}

// PurgeOnlineSamples deletes the samples older than before.
func (db *DB) PurgeOnlineSamples(ctx context.Context, before time.Time) (int, error) {
	var n int64
	err := db.write(ctx, "purge guests online", func(tx *sql.Tx, _ time.Time) (err error) {
		n, err = affected(tx.ExecContext(ctx, `DELETE FROM online_samples WHERE at < ?`, micros(before)))
		return err
	})
	return int(n), err
}

// CouponEvents implements app.ReportStore: the coupons still stored (purged
// ones are gone) whose creation, redemption or expiry falls in [from, to).
func (db *DB) CouponEvents(ctx context.Context, from, to time.Time, fn func(app.CouponEvent) error) error {
	return db.read(ctx, "read coupon events", func(tx *sql.Tx) error {
		return queryEach(ctx, tx, `SELECT created_at, redeemed_at, expires_at, revoked_at, data_limit_mb, bytes_in + bytes_out
			FROM coupons WHERE (created_at >= ? AND created_at < ?) OR (redeemed_at >= ? AND redeemed_at < ?)
			OR (expires_at >= ? AND expires_at < ?)`, func(sc scanner) error {
			var (
				created, expires  int64
				redeemed, revoked sql.NullInt64
				limit             sql.NullInt64
				bytes             int64
			)
			if err := sc.Scan(&created, &redeemed, &expires, &revoked, &limit, &bytes); err != nil {
				return err
			}
			e := app.CouponEvent{CreatedAt: fromMicros(created), RedeemedAt: fromNullMicros(redeemed),
				ExpiresAt: fromMicros(expires), Revoked: revoked.Valid, Quota: limit.Valid, Bytes: bytes}
			return fn(e)
		}, micros(from), micros(to), micros(from), micros(to), micros(from), micros(to))
	})
}
