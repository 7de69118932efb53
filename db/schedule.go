package db

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"gatehouse/app"
)

var _ app.ScheduleStore = (*DB)(nil)

const scheduleColumns = `id, instance_id, name, count, recurrence, day_of_week, day_of_month,
	valid_for_minutes, timezone, run_at, notification_group_id, created_at, updated_at, plan_id`

// ListSchedules returns an instance's schedules, oldest first, each with
// its last run. ENotFound for an unknown instance.
func (db *DB) ListSchedules(ctx context.Context, instanceID string) ([]app.Schedule, error) {
	var out []app.Schedule
	err := db.read(ctx, "list schedules", func(tx *sql.Tx) error {
		cid, err := requireInstance(ctx, tx, instanceID)
		if err != nil {
			return err
		}
		out, err = querySchedules(ctx, tx, `WHERE instance_id = ?`, cid)
		return err
	})
	return out, err
}

// AllSchedules returns every schedule, oldest first, with its last run.
func (db *DB) AllSchedules(ctx context.Context) ([]app.Schedule, error) {
	var out []app.Schedule
	err := db.read(ctx, "list all schedules", func(tx *sql.Tx) (err error) {
		out, err = querySchedules(ctx, tx, ``)
		return err
	})
	return out, err
}

// Schedule returns one schedule of an instance. ENotFound when the
// instance has no such schedule.
func (db *DB) Schedule(ctx context.Context, instanceID, id string) (app.Schedule, error) {
	var s app.Schedule
	err := db.read(ctx, "get schedule", func(tx *sql.Tx) (err error) {
		s, err = getSchedule(ctx, tx, instanceID, id)
		return err
	})
	return s, err
}

// CreateSchedule validates s (EInvalid, strategy_mismatch for a non-coupon
// instance, an unknown notification group or plan) and stores it. ENotFound for an
// unknown instance.
func (db *DB) CreateSchedule(ctx context.Context, s app.Schedule) (app.Schedule, error) {
	var out app.Schedule
	err := db.write(ctx, "create schedule", func(tx *sql.Tx, now time.Time) error {
		if err := checkSchedule(ctx, tx, &s); err != nil {
			return err
		}
		id, err := newID()
		if err != nil {
			return err
		}
		s.ID, s.CreatedAt, s.UpdatedAt = id, now, now
		_, err = tx.ExecContext(ctx, `INSERT INTO coupon_schedules (`+scheduleColumns+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, scheduleArgs(s)...)
		if err != nil {
			return err
		}
		out, err = getSchedule(ctx, tx, s.InstanceID, s.ID)
		return err
	})
	return out, err
}

// UpdateSchedule applies change to a schedule of an instance in one
// transaction and validates the result as CreateSchedule does. The id,
// instance and creation time cannot change.
func (db *DB) UpdateSchedule(ctx context.Context, instanceID, id string, change func(*app.Schedule) error) (app.Schedule, error) {
	var out app.Schedule
	err := db.write(ctx, "update schedule", func(tx *sql.Tx, now time.Time) error {
		s, err := getSchedule(ctx, tx, instanceID, id)
		if err != nil {
			return err
		}
		keepID, keepInstance, keepCreated := s.ID, s.InstanceID, s.CreatedAt
		if err := change(&s); err != nil {
			return &changeError{err}
		}
		s.ID, s.InstanceID, s.CreatedAt, s.UpdatedAt = keepID, keepInstance, keepCreated, now
		if err := checkSchedule(ctx, tx, &s); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE coupon_schedules SET name = ?, count = ?, recurrence = ?,
			day_of_week = ?, day_of_month = ?, valid_for_minutes = ?, timezone = ?, run_at = ?,
			notification_group_id = ?, plan_id = ?, updated_at = ? WHERE id = ?`,
			s.Name, s.Count, s.Recurrence, nullInt(s.DayOfWeek), nullInt(s.DayOfMonth), s.ValidForMinutes,
			s.Timezone, s.RunAt, nullString(s.NotificationGroupID), nullString(s.PlanID), micros(now), s.ID)
		if err != nil {
			return err
		}
		out, err = getSchedule(ctx, tx, s.InstanceID, s.ID)
		return err
	})
	return out, err
}

// DeleteSchedule deletes a schedule of an instance and its run history;
// its coupons are kept. ENotFound when there is no such schedule.
func (db *DB) DeleteSchedule(ctx context.Context, instanceID, id string) error {
	return db.write(ctx, "delete schedule", func(tx *sql.Tx, _ time.Time) error {
		s, err := getSchedule(ctx, tx, instanceID, id)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM coupon_schedules WHERE id = ?`, s.ID)
		return err
	})
}

// checkSchedule normalizes and validates s and checks its references.
func checkSchedule(ctx context.Context, tx *sql.Tx, s *app.Schedule) error {
	in, err := couponInstance(ctx, tx, s.InstanceID)
	if err != nil {
		return err
	}
	s.InstanceID = in.ID
	s.Normalize()
	if err := s.Validate(); err != nil {
		return err
	}
	if g := s.NotificationGroupID; g != "" {
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM notification_groups WHERE id = ?`, g).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return app.Invalid("notification_group_id", app.ReasonParameterInvalid, "no notification group with id %q", g)
		}
		if err != nil {
			return err
		}
	}
	if s.PlanID != "" {
		p, err := refPlan(ctx, tx, s.PlanID)
		if err != nil {
			return err
		}
		s.PlanID = p.ID
	}
	return nil
}

func scheduleArgs(s app.Schedule) []any {
	return []any{s.ID, s.InstanceID, s.Name, s.Count, s.Recurrence, nullInt(s.DayOfWeek), nullInt(s.DayOfMonth),
		s.ValidForMinutes, s.Timezone, s.RunAt, nullString(s.NotificationGroupID), micros(s.CreatedAt), micros(s.UpdatedAt),
		nullString(s.PlanID)}
}

// getSchedule reads one schedule of an instance with its last run.
func getSchedule(ctx context.Context, tx *sql.Tx, instanceID, id string) (app.Schedule, error) {
	iid, ok1 := canonicalID(instanceID)
	sid, ok2 := canonicalID(id)
	if !ok1 || !ok2 {
		return app.Schedule{}, app.NotFound("coupon schedule", id)
	}
	list, err := querySchedules(ctx, tx, `WHERE instance_id = ? AND id = ?`, iid, sid)
	if err != nil {
		return app.Schedule{}, err
	}
	if len(list) == 0 {
		// Tell an unknown instance from an unknown schedule.
		if _, err := requireInstance(ctx, tx, iid); err != nil {
			return app.Schedule{}, err
		}
		return app.Schedule{}, app.NotFound("coupon schedule", id)
	}
	return list[0], nil
}

// querySchedules selects schedules with the given WHERE clause, each with
// its latest run and that run's coupon counts at the current time.
func querySchedules(ctx context.Context, tx *sql.Tx, where string, args ...any) ([]app.Schedule, error) {
	out, err := queryAll(ctx, tx, `SELECT `+scheduleColumns+` FROM coupon_schedules `+where+` ORDER BY created_at, id`,
		scanSchedule, args...)
	if err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].LastRun, err = lastRun(ctx, tx, out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// scanSchedule reads a row of scheduleColumns. LastRun starts nil.
func scanSchedule(sc scanner) (app.Schedule, error) {
	var (
		s                app.Schedule
		dow, dom         sql.NullInt64
		group, plan      sql.NullString
		created, updated int64
	)
	err := sc.Scan(&s.ID, &s.InstanceID, &s.Name, &s.Count, &s.Recurrence, &dow, &dom,
		&s.ValidForMinutes, &s.Timezone, &s.RunAt, &group, &created, &updated, &plan)
	if err != nil {
		return app.Schedule{}, err
	}
	s.DayOfWeek, s.DayOfMonth = intPtr(dow), intPtr(dom)
	s.NotificationGroupID, s.PlanID = group.String, plan.String
	s.CreatedAt, s.UpdatedAt = fromMicros(created), fromMicros(updated)
	return s, nil
}

// lastRun returns the latest run of a schedule with its counts, or nil.
func lastRun(ctx context.Context, tx *sql.Tx, scheduleID string) (*app.ScheduleRun, error) {
	runs, err := queryRuns(ctx, tx, scheduleID, 1, time.Now())
	if err != nil || len(runs) == 0 {
		return nil, err
	}
	return &runs[0], nil
}

// nullInt stores a nil *int as NULL.
func nullInt(p *int) sql.NullInt64 {
	if p == nil {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: int64(*p), Valid: true}
}

// intPtr reads a nullable integer column.
func intPtr(v sql.NullInt64) *int {
	if !v.Valid {
		return nil
	}
	n := int(v.Int64)
	return &n
}
