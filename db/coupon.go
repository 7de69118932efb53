package db

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"time"

	"gatehouse/app"
)

var _ app.CouponStore = (*DB)(nil)

// maxCodeAttempts bounds the draws for one coupon when codes collide; only
// an almost full code space (very short numeric codes) gets near it.
const maxCodeAttempts = 50

const couponColumns = `id, instance_id, schedule_id, run_id, code, created_at, expires_at, redeemed_at, revoked_at, redeemed_mac,
	note, extra_seconds, released_at, plan_id, price, currency, session_seconds, data_limit_mb, bytes_in, bytes_out, used_up_at`

// couponSessionSeconds is, in SQL over coupons c joined with their
// instance i, how many seconds a redeemed coupon's session lasts: its
// plan's length (or the instance's session_ttl) plus the front desk's
// extra time. A session that ran out of data (used_up_at) ended earlier.
const couponSessionSeconds = `COALESCE(c.session_seconds, i.session_ttl) + c.extra_seconds`

// couponFilter is the WHERE clause and arguments of a status filter at
// time now. EInvalid for an unknown status.
func couponFilter(status string, now time.Time) (string, []any, error) {
	switch status {
	case app.CouponValid:
		return `revoked_at IS NULL AND redeemed_at IS NULL AND expires_at > ?`, []any{micros(now)}, nil
	case app.CouponRedeemed:
		return `revoked_at IS NULL AND redeemed_at IS NOT NULL`, nil, nil
	case app.CouponExpired:
		return `revoked_at IS NULL AND redeemed_at IS NULL AND expires_at <= ?`, []any{micros(now)}, nil
	case app.CouponRevoked:
		return `revoked_at IS NOT NULL`, nil, nil
	case app.CouponAll:
		return `1`, nil, nil
	}
	_, err := app.CheckCouponStatus(status)
	return "", nil, err
}

// CreateCoupons issues count coupons of a coupon-strategy instance, valid
// for minutesValid minutes, in one transaction. ENotFound for an unknown
// instance; EInvalid for a bad count or duration or (strategy_mismatch) a
// non-coupon instance.
func (db *DB) CreateCoupons(ctx context.Context, instanceID string, count, minutesValid int) ([]app.Coupon, error) {
	return db.IssueCoupons(ctx, instanceID, app.CouponIssue{Count: count, MinutesValid: minutesValid})
}

// IssueCoupons is CreateCoupons with a note on every coupon and an
// optional plan: MinutesValid 0 then means the plan's valid minutes, and
// the coupons keep the plan's price and currency as they are now. Errors
// as CreateCoupons, and EInvalid for a bad note (param note) or an
// unknown plan (param plan_id).
func (db *DB) IssueCoupons(ctx context.Context, instanceID string, req app.CouponIssue) ([]app.Coupon, error) {
	note, err := app.CheckCouponNote(req.Note)
	if err != nil {
		return nil, err
	}
	var out []app.Coupon
	err = db.write(ctx, "create coupons", func(tx *sql.Tx, now time.Time) error {
		in, err := couponInstance(ctx, tx, instanceID)
		if err != nil {
			return err
		}
		b := couponBatch{count: req.Count, minutes: req.MinutesValid, note: note}
		if req.PlanID != "" {
			p, err := refPlan(ctx, tx, req.PlanID)
			if err != nil {
				return err
			}
			b.plan = &p
			if b.minutes == 0 {
				b.minutes = p.ValidMinutes
			}
		}
		if err := app.CheckCouponBatch(b.count, b.minutes, app.MaxCouponBatch); err != nil {
			return err
		}
		if out, err = insertCoupons(ctx, tx, in, b, now); err != nil {
			return err
		}
		return db.recordSales(ctx, tx, req.Actor, b.plan, out, now)
	})
	return out, err
}

// couponInstance loads an instance that must use the coupon strategy.
func couponInstance(ctx context.Context, tx *sql.Tx, instanceID string) (app.Instance, error) {
	in, err := getInstance(ctx, tx, instanceID)
	if err != nil {
		return in, err
	}
	if in.Strategy != app.StrategyCoupon {
		return in, app.Invalid("", app.ReasonStrategyMismatch,
			"instance %q uses the %s strategy; coupons belong to coupon instances", in.Name, in.Strategy)
	}
	return in, nil
}

// couponBatch describes coupons to insert.
type couponBatch struct {
	count, minutes    int
	scheduleID, runID string
	note              string
	plan              *app.Plan // nil for coupons without a plan
}

// insertCoupons draws and inserts a batch of the instance's coupons in tx.
// A code that collides with a stored one is drawn again.
func insertCoupons(ctx context.Context, tx *sql.Tx, in app.Instance, b couponBatch, now time.Time) ([]app.Coupon, error) {
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO coupons (`+couponColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL, '', ?, 0, NULL, ?, ?, ?, ?, ?, 0, 0, NULL) ON CONFLICT (code) DO NOTHING`)
	if err != nil {
		return nil, err
	}
	defer stmt.Close()
	expires := now.Add(time.Duration(b.minutes) * time.Minute)
	var (
		planID, currency string
		price            *int64
		session          time.Duration
		dataLimit        *int
		sessionSeconds   sql.NullInt64
	)
	if p := b.plan; p != nil {
		planID, currency, price = p.ID, p.Currency, &p.Price
		session, dataLimit = time.Duration(p.SessionMinutes)*time.Minute, p.DataLimitMB
		sessionSeconds = sql.NullInt64{Int64: int64(session / time.Second), Valid: true}
	}
	out := make([]app.Coupon, 0, b.count)
	for range b.count {
		id, err := newID()
		if err != nil {
			return nil, err
		}
		c := app.Coupon{ID: id, InstanceID: in.ID, ScheduleID: b.scheduleID, RunID: b.runID, CreatedAt: now, ExpiresAt: expires, Note: b.note,
			PlanID: planID, Price: price, Currency: currency, Session: session, DataLimitMB: dataLimit}
		for attempt := 0; ; attempt++ {
			if attempt == maxCodeAttempts {
				return nil, app.Invalid("coupon_length", app.ReasonParameterInvalid,
					"no unused %d-character %s codes are left; make codes longer", in.CouponLength, in.CouponCharset)
			}
			if c.Code, err = app.NewCouponCode(rand.Reader, in.CouponLength, in.CouponCharset); err != nil {
				return nil, fmt.Errorf("draw coupon code: %w", err)
			}
			res, err := stmt.ExecContext(ctx, c.ID, c.InstanceID, nullString(c.ScheduleID), nullString(c.RunID),
				c.Code, micros(now), micros(expires), b.note, nullString(planID), nullInt64(price), nullString(currency),
				sessionSeconds, nullInt(dataLimit))
			if err != nil {
				return nil, err
			}
			if n, err := res.RowsAffected(); err != nil {
				return nil, err
			} else if n == 1 {
				break
			}
		}
		out = append(out, c)
	}
	return out, nil
}

// ListCoupons returns an instance's coupons in the given status (or all),
// oldest first. ENotFound for an unknown instance; EInvalid for an unknown
// status.
func (db *DB) ListCoupons(ctx context.Context, instanceID, status string) ([]app.Coupon, error) {
	return db.FindCoupons(ctx, instanceID, app.CouponQuery{Status: status})
}

// queryCoupons runs a SELECT of couponColumns.
func queryCoupons(ctx context.Context, tx *sql.Tx, query string, args ...any) ([]app.Coupon, error) {
	return queryAll(ctx, tx, query, scanCoupon, args...)
}

// scanCoupon reads a row of couponColumns.
func scanCoupon(sc scanner) (app.Coupon, error) {
	var (
		c                 app.Coupon
		schedule, run     sql.NullString
		created, expires  int64
		redeemed, revoked sql.NullInt64
		released, price   sql.NullInt64
		extra             int64
		plan, currency    sql.NullString
		session, limit    sql.NullInt64
		usedUp            sql.NullInt64
	)
	err := sc.Scan(&c.ID, &c.InstanceID, &schedule, &run, &c.Code, &created, &expires, &redeemed, &revoked, &c.RedeemedMAC,
		&c.Note, &extra, &released, &plan, &price, &currency, &session, &limit, &c.BytesIn, &c.BytesOut, &usedUp)
	c.Session, c.UsedUpAt = time.Duration(session.Int64)*time.Second, fromNullMicros(usedUp)
	if limit.Valid {
		mb := int(limit.Int64)
		c.DataLimitMB = &mb
	}
	c.ScheduleID, c.RunID = schedule.String, run.String
	c.PlanID, c.Currency = plan.String, currency.String
	if price.Valid {
		c.Price = &price.Int64
	}
	c.Extra, c.ReleasedAt = time.Duration(extra)*time.Second, fromNullMicros(released)
	c.CreatedAt, c.ExpiresAt = fromMicros(created), fromMicros(expires)
	c.RedeemedAt, c.RevokedAt = fromNullMicros(redeemed), fromNullMicros(revoked)
	return c, err
}

// RevokeCoupon implements app.CouponStore: the first revocation time is
// kept, and a sold, unused coupon is voided in the same transaction.
func (db *DB) RevokeCoupon(ctx context.Context, instanceID, couponID string, by app.Actor) error {
	return db.write(ctx, "revoke coupon", func(tx *sql.Tx, now time.Time) error {
		iid, ok1 := canonicalID(instanceID)
		cid, ok2 := canonicalID(couponID)
		if !ok1 || !ok2 {
			return app.NotFound("coupon", couponID)
		}
		list, err := queryCoupons(ctx, tx, `SELECT `+couponColumns+` FROM coupons WHERE id = ? AND instance_id = ?`, cid, iid)
		if err != nil {
			return err
		}
		if len(list) == 0 {
			return app.NotFound("coupon", couponID)
		}
		if err := db.recordVoid(ctx, tx, by, list[0], now); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE coupons SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?`, micros(now), cid)
		return err
	})
}

// nullInt64 stores a nil *int64 as NULL.
func nullInt64(p *int64) sql.NullInt64 {
	if p == nil {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: *p, Valid: true}
}

// PurgeCoupons deletes the coupons that ended before endedBefore: revoked,
// expired unredeemed, or redeemed and past their session.
func (db *DB) PurgeCoupons(ctx context.Context, endedBefore time.Time) (int, error) {
	var n int64
	err := db.write(ctx, "purge coupons", func(tx *sql.Tx, _ time.Time) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM coupons WHERE id IN (
			SELECT c.id FROM coupons c JOIN instances i ON i.id = c.instance_id
			WHERE COALESCE(c.revoked_at, c.used_up_at,
				CASE WHEN c.redeemed_at IS NULL THEN c.expires_at
				     ELSE c.redeemed_at + (`+couponSessionSeconds+`) * 1000000 END) < ?)`, micros(endedBefore))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}
