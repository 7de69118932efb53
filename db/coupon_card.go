package db

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"gatehouse/app"
)

var _ app.CouponCardStore = (*DB)(nil)

// CouponsByID returns the coupons of an instance named by ids, in the
// order given, each once. ENotFound for an unknown instance; EInvalid
// (param coupon_ids) when some ids, counted once each, are not coupons of
// this instance (malformed ids included).
func (db *DB) CouponsByID(ctx context.Context, instanceID string, ids []string) ([]app.Coupon, error) {
	if err := app.CheckCouponIDs(ids); err != nil {
		return nil, err
	}
	var out []app.Coupon
	err := db.read(ctx, "read coupons by id", func(tx *sql.Tx) error {
		iid, err := requireInstance(ctx, tx, instanceID)
		if err != nil {
			return err
		}
		wanted, malformed := uniqueIDs(ids)
		byID := make(map[string]app.Coupon, len(wanted))
		if len(wanted) > 0 {
			args := []any{iid}
			for _, id := range wanted {
				args = append(args, id)
			}
			found, err := queryCoupons(ctx, tx, `SELECT `+couponColumns+` FROM coupons
				WHERE instance_id = ? AND id IN (`+placeholders(len(wanted))+`)`, args...)
			if err != nil {
				return err
			}
			for _, c := range found {
				byID[c.ID] = c
			}
		}
		out = make([]app.Coupon, 0, len(wanted))
		for _, id := range wanted {
			if c, ok := byID[id]; ok {
				out = append(out, c)
			}
		}
		if missing := len(wanted) - len(out) + malformed; missing > 0 {
			return app.Invalid("coupon_ids", app.ReasonParameterInvalid,
				"%d of the %d coupon ids are not coupons of this instance", missing, len(wanted)+malformed)
		}
		return nil
	})
	return out, err
}

// uniqueIDs returns the well-formed ids in canonical form, in order and
// without repeats, and how many distinct malformed ids there were.
func uniqueIDs(ids []string) (wanted []string, malformed int) {
	seen := make(map[string]bool, len(ids))
	for _, raw := range ids {
		id, ok := canonicalID(raw)
		if !ok {
			id = "malformed:" + raw
		}
		if seen[id] {
			continue
		}
		seen[id] = true
		if ok {
			wanted = append(wanted, id)
		} else {
			malformed++
		}
	}
	return wanted, malformed
}

// RunCoupons returns the coupons a schedule run of an instance made,
// oldest first. ENotFound for an unknown instance, and for a run that is
// neither a run of one of the instance's schedules nor named by one of its
// coupons (runs of a deleted schedule are gone, their coupons are not).
func (db *DB) RunCoupons(ctx context.Context, instanceID, runID string) ([]app.Coupon, error) {
	var out []app.Coupon
	err := db.read(ctx, "read run coupons", func(tx *sql.Tx) error {
		iid, err := requireInstance(ctx, tx, instanceID)
		if err != nil {
			return err
		}
		rid, ok := canonicalID(runID)
		if !ok {
			return app.NotFound("schedule run", runID)
		}
		out, err = queryCoupons(ctx, tx, `SELECT `+couponColumns+` FROM coupons
			WHERE run_id = ? AND instance_id = ? ORDER BY created_at, id`, rid, iid)
		if err != nil || len(out) > 0 {
			return err
		}
		var one int
		err = tx.QueryRowContext(ctx, `SELECT 1 FROM schedule_runs r
			JOIN coupon_schedules s ON s.id = r.schedule_id
			WHERE r.id = ? AND s.instance_id = ?`, rid, iid).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return app.NotFound("schedule run", runID)
		}
		return err
	})
	return out, err
}

// placeholders returns n comma-separated SQL parameters: "?, ?, ?".
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}
