package db

import (
	"context"
	"database/sql"
	"time"

	"gatehouse/app"
)

var _ app.CouponUsageStore = (*DB)(nil)

// RecordCouponUsage implements app.CouponUsageStore. Keeping the largest
// count seen means a router that lost its counters gives no data back; the
// next pass removes a used-up coupon's user.
func (db *DB) RecordCouponUsage(ctx context.Context, siteID string, usage []app.CouponUsage, now time.Time) ([]string, error) {
	var usedUp []string
	if len(usage) == 0 {
		return nil, nil
	}
	err := db.write(ctx, "record coupon usage", func(tx *sql.Tx, _ time.Time) error {
		site, err := db.getSite(ctx, tx, siteID)
		if err != nil {
			return err
		}
		find, err := tx.PrepareContext(ctx, `SELECT c.id FROM coupons c
			JOIN instance_sites s ON s.instance_id = c.instance_id AND s.site_id = ?
			WHERE c.code = ?`)
		if err != nil {
			return err
		}
		defer find.Close()
		grow, err := tx.PrepareContext(ctx, `UPDATE coupons SET bytes_in = max(bytes_in, ?), bytes_out = max(bytes_out, ?)
			WHERE id = ? AND (bytes_in < ? OR bytes_out < ?)`)
		if err != nil {
			return err
		}
		defer grow.Close()
		for _, u := range usage {
			var id string
			switch err := find.QueryRowContext(ctx, site.ID, u.Code).Scan(&id); {
			case err == sql.ErrNoRows:
				continue // someone else's hotspot user, or a guest signed in with OAuth2
			case err != nil:
				return err
			}
			grown, err := affected(grow.ExecContext(ctx, u.BytesIn, u.BytesOut, id, u.BytesIn, u.BytesOut))
			if err != nil {
				return err
			}
			if grown == 0 {
				continue // nothing new
			}
			ran, err := affected(tx.ExecContext(ctx, `UPDATE coupons SET used_up_at = ? WHERE id = ? AND used_up_at IS NULL
				AND data_limit_mb IS NOT NULL AND bytes_in + bytes_out >= data_limit_mb * ?`, micros(now), id, app.BytesPerMB))
			if err != nil {
				return err
			}
			if ran == 1 {
				usedUp = append(usedUp, id)
			}
		}
		return nil
	})
	return usedUp, err
}

// affected returns the rows an Exec changed.
func affected(res sql.Result, err error) (int64, error) {
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
