package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"gatehouse/app"
)

var _ app.PlanStore = (*DB)(nil)

const planColumns = `id, name, session_minutes, data_limit_mb, download_kbps, upload_kbps, devices,
	valid_minutes, price, currency, created_at`

// ListPlans returns every plan, oldest first.
func (db *DB) ListPlans(ctx context.Context) ([]app.Plan, error) {
	var out []app.Plan
	err := db.read(ctx, "list plans", func(tx *sql.Tx) (err error) {
		out, err = queryAll(ctx, tx, `SELECT `+planColumns+` FROM plans ORDER BY created_at, id`, scanPlan)
		return err
	})
	return out, err
}

// Plan returns one plan. ENotFound for an unknown id.
func (db *DB) Plan(ctx context.Context, id string) (app.Plan, error) {
	var p app.Plan
	err := db.read(ctx, "get plan", func(tx *sql.Tx) (err error) {
		p, err = getPlan(ctx, tx, id)
		return err
	})
	return p, err
}

// CreatePlan normalizes and validates p (EInvalid) and stores it with a
// new id and creation time.
func (db *DB) CreatePlan(ctx context.Context, p app.Plan) (app.Plan, error) {
	var out app.Plan
	err := db.write(ctx, "create plan", func(tx *sql.Tx, now time.Time) error {
		p.Normalize()
		if err := p.Validate(); err != nil {
			return err
		}
		id, err := newID()
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO plans (`+planColumns+`, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, p.Name, p.SessionMinutes, nullInt(p.DataLimitMB), nullInt(p.DownloadKbps), nullInt(p.UploadKbps),
			p.Devices, p.ValidMinutes, p.Price, p.Currency, micros(now), micros(now))
		if err != nil {
			return err
		}
		out, err = getPlan(ctx, tx, id)
		return err
	})
	return out, err
}

// UpdatePlan applies change to a plan, normalizes and validates the
// result (EInvalid) and stores it in one transaction; the id and creation
// time cannot change and coupons already made keep their price. ENotFound
// for an unknown id; the error of change unchanged (nothing is written).
func (db *DB) UpdatePlan(ctx context.Context, id string, change func(*app.Plan) error) (app.Plan, error) {
	var out app.Plan
	err := db.write(ctx, "update plan", func(tx *sql.Tx, now time.Time) error {
		p, err := getPlan(ctx, tx, id)
		if err != nil {
			return err
		}
		keepID, keepCreated := p.ID, p.CreatedAt
		if err := change(&p); err != nil {
			return &changeError{err}
		}
		p.ID, p.CreatedAt = keepID, keepCreated
		p.Normalize()
		if err := p.Validate(); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE plans SET name = ?, session_minutes = ?, data_limit_mb = ?,
			download_kbps = ?, upload_kbps = ?, devices = ?, valid_minutes = ?, price = ?, currency = ?,
			updated_at = ? WHERE id = ?`,
			p.Name, p.SessionMinutes, nullInt(p.DataLimitMB), nullInt(p.DownloadKbps), nullInt(p.UploadKbps),
			p.Devices, p.ValidMinutes, p.Price, p.Currency, micros(now), p.ID)
		if err != nil {
			return err
		}
		out, err = getPlan(ctx, tx, p.ID)
		return err
	})
	return out, err
}

// DeletePlan deletes a plan. ENotFound for an unknown id; EConflict while
// a coupon or a coupon schedule uses it.
func (db *DB) DeletePlan(ctx context.Context, id string) error {
	return db.write(ctx, "delete plan", func(tx *sql.Tx, _ time.Time) error {
		p, err := getPlan(ctx, tx, id)
		if err != nil {
			return err
		}
		var name string
		err = tx.QueryRowContext(ctx, `SELECT name FROM coupon_schedules
			WHERE plan_id = ? ORDER BY created_at, id LIMIT 1`, p.ID).Scan(&name)
		switch {
		case err == nil:
			return planInUse("plan %q is used by coupon schedule %q; change the schedule first", p.Name, name)
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM coupons WHERE plan_id = ?`, p.ID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return planInUse("plan %q is used by %d coupons; it can be deleted once they are purged", p.Name, n)
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM plans WHERE id = ?`, p.ID)
		return err
	})
}

// planInUse is the EConflict of deleting a plan still in use.
func planInUse(format string, args ...any) error {
	return &app.Error{Code: app.EConflict, Reason: app.ReasonResourceConflict, Message: fmt.Sprintf(format, args...)}
}

// getPlan reads one plan in tx; ENotFound for an unknown id.
func getPlan(ctx context.Context, tx *sql.Tx, id string) (app.Plan, error) {
	cid, ok := canonicalID(id)
	if !ok {
		return app.Plan{}, app.NotFound("plan", id)
	}
	p, err := scanPlan(tx.QueryRowContext(ctx, `SELECT `+planColumns+` FROM plans WHERE id = ?`, cid))
	if errors.Is(err, sql.ErrNoRows) {
		return app.Plan{}, app.NotFound("plan", id)
	}
	return p, err
}

// refPlan reads the plan a coupon batch or a schedule names by planID:
// EInvalid (param plan_id) when there is no such plan.
func refPlan(ctx context.Context, tx *sql.Tx, planID string) (app.Plan, error) {
	p, err := getPlan(ctx, tx, planID)
	if app.ErrorCode(err) == app.ENotFound {
		return p, app.Invalid("plan_id", app.ReasonParameterInvalid, "no plan with id %q", planID)
	}
	return p, err
}

// scanPlan reads a row of planColumns.
func scanPlan(sc scanner) (app.Plan, error) {
	var (
		p              app.Plan
		data, down, up sql.NullInt64
		created        int64
	)
	err := sc.Scan(&p.ID, &p.Name, &p.SessionMinutes, &data, &down, &up, &p.Devices,
		&p.ValidMinutes, &p.Price, &p.Currency, &created)
	if err != nil {
		return app.Plan{}, err
	}
	p.DataLimitMB, p.DownloadKbps, p.UploadKbps = intPtr(data), intPtr(down), intPtr(up)
	p.CreatedAt = fromMicros(created)
	return p, nil
}
