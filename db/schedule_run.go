package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gatehouse/app"
)

// RunSchedule generates one batch of a schedule for slotKey in one
// transaction: the run record, its coupons, and one outbox delivery per
// channel of the schedule's notification group. A slot that already ran
// returns that run with created false and no coupons, so racing runners
// (cron, run now, a second process) generate it once. ENotFound for an
// unknown schedule; EInvalid (strategy_mismatch) when its instance no
// longer uses coupons.
func (db *DB) RunSchedule(ctx context.Context, scheduleID, slotKey string) (app.ScheduleRun, []app.Coupon, bool, error) {
	var (
		run     app.ScheduleRun
		coupons []app.Coupon
		created bool
	)
	err := db.write(ctx, "run schedule", func(tx *sql.Tx, now time.Time) error {
		sid, ok := canonicalID(scheduleID)
		if !ok {
			return app.NotFound("coupon schedule", scheduleID)
		}
		list, err := querySchedules(ctx, tx, `WHERE id = ?`, sid)
		if err != nil {
			return err
		}
		if len(list) == 0 {
			return app.NotFound("coupon schedule", scheduleID)
		}
		s := list[0]
		var ranAt int64
		err = tx.QueryRowContext(ctx, `SELECT id, ran_at, generated FROM schedule_runs
			WHERE schedule_id = ? AND slot_key = ?`, s.ID, slotKey).Scan(&run.ID, &ranAt, &run.Generated)
		if err == nil {
			run.ScheduleID, run.SlotKey, run.RanAt = s.ID, slotKey, fromMicros(ranAt)
			return nil // already generated
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		in, err := couponInstance(ctx, tx, s.InstanceID)
		if err != nil {
			return err
		}
		runID, err := newID()
		if err != nil {
			return err
		}
		run = app.ScheduleRun{ID: runID, ScheduleID: s.ID, SlotKey: slotKey, RanAt: now, Generated: s.Count, Available: s.Count}
		_, err = tx.ExecContext(ctx, `INSERT INTO schedule_runs (id, schedule_id, slot_key, ran_at, generated)
			VALUES (?, ?, ?, ?, ?)`, run.ID, s.ID, slotKey, micros(now), s.Count)
		if err != nil {
			return err
		}
		b := couponBatch{count: s.Count, minutes: s.ValidForMinutes, scheduleID: s.ID, runID: run.ID}
		if s.PlanID != "" {
			p, err := getPlan(ctx, tx, s.PlanID)
			if err != nil {
				return fmt.Errorf("plan of schedule %s: %w", s.ID, err)
			}
			b.plan = &p
		}
		coupons, err = insertCoupons(ctx, tx, in, b, now)
		if err != nil {
			return err
		}
		// Coupons of a plan with a price are sales, by the schedule.
		seller := app.Actor{ID: "schedule:" + s.ID, Name: "schedule " + s.Name}
		if err := db.recordSales(ctx, tx, seller, b.plan, coupons, now); err != nil {
			return err
		}
		created = true
		return insertDeliveries(ctx, tx, s, run, now)
	})
	return run, coupons, created, err
}

// insertDeliveries queues the notifications of a run: one for the group's
// webhook and one per e-mail address.
func insertDeliveries(ctx context.Context, tx *sql.Tx, s app.Schedule, run app.ScheduleRun, now time.Time) error {
	if s.NotificationGroupID == "" {
		return nil
	}
	var emailsJSON, webhook string
	err := tx.QueryRowContext(ctx, `SELECT emails, webhook_url FROM notification_groups WHERE id = ?`,
		s.NotificationGroupID).Scan(&emailsJSON, &webhook)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // the group was deleted; nobody to tell
	}
	if err != nil {
		return err
	}
	var emails []string
	if err := json.Unmarshal([]byte(emailsJSON), &emails); err != nil {
		return fmt.Errorf("emails of notification group %s: %w", s.NotificationGroupID, err)
	}
	type target struct{ channel, to string }
	var targets []target
	if webhook != "" {
		targets = append(targets, target{app.ChannelWebhook, webhook})
	}
	for _, e := range emails {
		targets = append(targets, target{app.ChannelEmail, e})
	}
	for _, t := range targets {
		id, err := newID()
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO notification_deliveries (id, group_id, channel, target,
			instance_id, schedule_id, run_id, count, ran_at, next_attempt_at, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, s.NotificationGroupID, t.channel, t.to, s.InstanceID, s.ID, run.ID, run.Generated,
			micros(run.RanAt), micros(now), micros(now))
		if err != nil {
			return err
		}
	}
	return nil
}

// ScheduleCoupons returns the valid coupons a schedule generated, oldest
// first; the caller must not modify the slice. ENotFound for an unknown
// schedule. It is the hot path of signed coupon links: answers are cached
// until the next write (see listCache), and a miss is one statement (its
// own snapshot) that tells "no schedule" from "no valid coupons" by a left
// join and reads only the columns a valid coupon needs.
func (db *DB) ScheduleCoupons(ctx context.Context, scheduleID string) ([]app.Coupon, error) {
	sid, ok := canonicalID(scheduleID)
	if !ok {
		return nil, app.NotFound("coupon schedule", scheduleID)
	}
	now := time.Now()
	if list, ok := db.lists.get(sid, now); ok {
		return list, nil
	}
	gen := db.lists.generation()
	list, err := db.queryScheduleCoupons(ctx, sid, now)
	if err != nil {
		if app.ErrorCode(err) == app.ENotFound {
			return nil, app.NotFound("coupon schedule", scheduleID)
		}
		return nil, err
	}
	db.lists.put(sid, gen, list)
	return list, nil
}

// queryScheduleCoupons reads the valid coupons of schedule sid at now.
func (db *DB) queryScheduleCoupons(ctx context.Context, sid string, now time.Time) ([]app.Coupon, error) {
	found := false
	out := []app.Coupon{}
	err := queryEach(ctx, db.reader, `SELECT s.instance_id, c.id, c.code, c.created_at, c.expires_at
		FROM coupon_schedules s LEFT JOIN coupons c ON c.schedule_id = s.id
			AND c.revoked_at IS NULL AND c.redeemed_at IS NULL AND c.expires_at > ?
		WHERE s.id = ? ORDER BY c.created_at, c.id`, func(sc scanner) error {
		found = true
		var (
			instanceID       string
			id, code         sql.NullString
			created, expires sql.NullInt64
		)
		if err := sc.Scan(&instanceID, &id, &code, &created, &expires); err != nil {
			return err
		}
		if !id.Valid {
			return nil // the schedule exists but has no valid coupons
		}
		out = append(out, app.Coupon{ID: id.String, InstanceID: instanceID, ScheduleID: sid, Code: code.String,
			CreatedAt: fromMicros(created.Int64), ExpiresAt: fromMicros(expires.Int64)})
		return nil
	}, micros(now), sid)
	if err != nil {
		return nil, mapError("list schedule coupons", err)
	}
	if !found {
		return nil, app.NotFound("coupon schedule", sid)
	}
	return out, nil
}

// ScheduleRuns returns the latest limit runs of a schedule of an instance,
// newest first, each with its coupon counts now and its notification
// deliveries. ENotFound when the instance or the schedule is unknown;
// EInvalid (param limit) for a limit outside 1..app.MaxRunHistory.
func (db *DB) ScheduleRuns(ctx context.Context, instanceID, scheduleID string, limit int) ([]app.ScheduleRun, error) {
	if err := app.CheckRunLimit(limit); err != nil {
		return nil, err
	}
	var runs []app.ScheduleRun
	err := db.read(ctx, "list schedule runs", func(tx *sql.Tx) error {
		s, err := getSchedule(ctx, tx, instanceID, scheduleID)
		if err != nil {
			return err
		}
		if runs, err = queryRuns(ctx, tx, s.ID, limit, time.Now()); err != nil {
			return err
		}
		return loadDeliveries(ctx, tx, runs)
	})
	return runs, err
}

// queryRuns reads the latest limit runs of a schedule, newest first, with
// their coupons used (redeemed) and available (still valid at now).
func queryRuns(ctx context.Context, tx *sql.Tx, scheduleID string, limit int, now time.Time) ([]app.ScheduleRun, error) {
	return queryAll(ctx, tx, `SELECT r.id, r.schedule_id, r.slot_key, r.ran_at, r.generated, r.notify_error,
			(SELECT COUNT(*) FROM coupons c WHERE c.run_id = r.id AND c.redeemed_at IS NOT NULL),
			(SELECT COUNT(*) FROM coupons c WHERE c.run_id = r.id
				AND c.redeemed_at IS NULL AND c.revoked_at IS NULL AND c.expires_at > ?)
		FROM schedule_runs r WHERE r.schedule_id = ? ORDER BY r.ran_at DESC, r.id DESC LIMIT ?`,
		func(sc scanner) (app.ScheduleRun, error) {
			var (
				r     app.ScheduleRun
				ranAt int64
			)
			err := sc.Scan(&r.ID, &r.ScheduleID, &r.SlotKey, &ranAt, &r.Generated, &r.NotifyError, &r.Used, &r.Available)
			r.RanAt = fromMicros(ranAt)
			return r, err
		}, micros(now), scheduleID, limit)
}

// loadDeliveries fills the Deliveries of runs, oldest first within a run.
func loadDeliveries(ctx context.Context, tx *sql.Tx, runs []app.ScheduleRun) error {
	if len(runs) == 0 {
		return nil
	}
	byRun := make(map[string]*app.ScheduleRun, len(runs))
	args := make([]any, 0, len(runs))
	for i := range runs {
		runs[i].Deliveries = []app.Delivery{}
		byRun[runs[i].ID] = &runs[i]
		args = append(args, runs[i].ID)
	}
	list, err := queryAll(ctx, tx, `SELECT `+deliveryColumns+` FROM notification_deliveries
		WHERE run_id IN (`+placeholders(len(runs))+`) ORDER BY created_at, id`, scanDelivery, args...)
	if err != nil {
		return fmt.Errorf("read deliveries: %w", err)
	}
	for _, d := range list {
		if r := byRun[d.RunID]; r != nil {
			r.Deliveries = append(r.Deliveries, d)
		}
	}
	return nil
}
