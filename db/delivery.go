package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"gatehouse/app"
)

// The notification outbox. Rows of notification_deliveries are written by
// RunSchedule in the run's own transaction; the notifier drains them with
// the methods here. A delivery is pending while delivered_at and
// failed_at are both NULL; the run's notify_error shows the last failure
// while any of its deliveries failed and has not been delivered since.

const deliveryColumns = `id, group_id, channel, target, instance_id, schedule_id, run_id,
	count, ran_at, attempts, next_attempt_at, last_error, delivered_at, failed_at, created_at`

// DueDeliveries returns up to limit pending deliveries whose next attempt
// is due at now, oldest first; limit < 1 means no limit. It returns only
// internal errors.
func (db *DB) DueDeliveries(ctx context.Context, now time.Time, limit int) ([]app.Delivery, error) {
	if limit < 1 {
		limit = -1 // SQLite: no limit
	}
	var list []app.Delivery
	err := db.read(ctx, "list due deliveries", func(tx *sql.Tx) (err error) {
		list, err = queryAll(ctx, tx, `SELECT `+deliveryColumns+` FROM notification_deliveries
			WHERE delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ?
			ORDER BY created_at, id LIMIT ?`, scanDelivery, micros(now), limit)
		return err
	})
	if err != nil {
		return nil, err
	}
	return list, nil
}

// DeliverySucceeded marks a pending delivery delivered at the given time
// and counts the attempt. When no other delivery of the same run is still
// failing, it clears the run's notify_error. It returns ENotFound for an
// unknown id and EConflict when the delivery is no longer pending.
func (db *DB) DeliverySucceeded(ctx context.Context, id string, at time.Time) error {
	return db.write(ctx, "record delivery success", func(tx *sql.Tx, _ time.Time) error {
		runID, err := pendingDelivery(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE notification_deliveries
			SET delivered_at = ?, attempts = attempts + 1 WHERE id = ?`, micros(at), id); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE schedule_runs SET notify_error = ''
			WHERE id = ? AND NOT EXISTS (SELECT 1 FROM notification_deliveries
				WHERE run_id = ? AND delivered_at IS NULL AND last_error != '')`, runID, runID)
		return err
	})
}

// DeliveryFailed records a failed attempt of a pending delivery: it counts
// the attempt, keeps errText as the delivery's last error and as the run's
// notify_error, and schedules the next attempt at next or, when next is
// zero, gives the delivery up at the given time. It returns ENotFound for
// an unknown id and EConflict when the delivery is no longer pending.
func (db *DB) DeliveryFailed(ctx context.Context, id string, at time.Time, errText string, next time.Time) error {
	return db.write(ctx, "record delivery failure", func(tx *sql.Tx, _ time.Time) error {
		runID, err := pendingDelivery(ctx, tx, id)
		if err != nil {
			return err
		}
		if next.IsZero() {
			_, err = tx.ExecContext(ctx, `UPDATE notification_deliveries
				SET attempts = attempts + 1, last_error = ?, failed_at = ? WHERE id = ?`,
				errText, micros(at), id)
		} else {
			_, err = tx.ExecContext(ctx, `UPDATE notification_deliveries
				SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?`,
				errText, micros(next), id)
		}
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE schedule_runs SET notify_error = ? WHERE id = ?`, errText, runID)
		return err
	})
}

// pendingDelivery returns the run of a delivery that is neither delivered
// nor given up: ENotFound when there is no such delivery, EConflict when
// it is no longer pending. Delivery ids are made by the run transaction
// and matched exactly.
func pendingDelivery(ctx context.Context, tx *sql.Tx, id string) (string, error) {
	var (
		runID             string
		delivered, failed sql.NullInt64
	)
	err := tx.QueryRowContext(ctx, `SELECT run_id, delivered_at, failed_at
		FROM notification_deliveries WHERE id = ?`, id).Scan(&runID, &delivered, &failed)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "", app.NotFound("notification delivery", id)
	case err != nil:
		return "", err
	case delivered.Valid || failed.Valid:
		return "", &app.Error{Code: app.EConflict, Reason: app.ReasonResourceConflict,
			Message: fmt.Sprintf("notification delivery %s is already delivered or given up", id)}
	}
	return runID, nil
}

// scanDelivery reads a row of deliveryColumns.
func scanDelivery(sc scanner) (app.Delivery, error) {
	var (
		d                      app.Delivery
		ranAt, nextAt, created int64
		delivered, failed      sql.NullInt64
	)
	err := sc.Scan(&d.ID, &d.GroupID, &d.Channel, &d.Target, &d.InstanceID, &d.ScheduleID, &d.RunID,
		&d.Count, &ranAt, &d.Attempts, &nextAt, &d.LastError, &delivered, &failed, &created)
	if err != nil {
		return app.Delivery{}, err
	}
	d.RanAt, d.NextAttemptAt, d.CreatedAt = fromMicros(ranAt), fromMicros(nextAt), fromMicros(created)
	d.DeliveredAt, d.FailedAt = fromNullMicros(delivered), fromNullMicros(failed)
	return d, nil
}
