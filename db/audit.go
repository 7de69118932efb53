package db

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"gatehouse/app"
)

var _ app.AuditStore = (*DB)(nil)

const auditColumns = `id, at, actor_id, actor_name, actor_role, action, resource, remote_addr, status, count`

// MinAuditRetention is the youngest an audit event may be to be purged:
// the schema refuses to delete younger ones (migration 0011).
const MinAuditRetention = 30 * 24 * time.Hour

// AppendAudit adds e to the audit log, giving it a new id when it has none
// and the current time when its At is zero. The log is append-only:
// triggers in the schema refuse UPDATE, DELETE and replacing inserts, but
// for raising a tally's count (TallyAudit) and deleting events past the
// retention (PurgeAudit). It returns EInvalid for an event without an
// action; an id already used is refused as an internal error.
func (db *DB) AppendAudit(ctx context.Context, e app.AuditEvent) error {
	if strings.TrimSpace(e.Action) == "" {
		return app.Missing("action")
	}
	return db.write(ctx, "append audit event", func(tx *sql.Tx, now time.Time) error {
		return insertAudit(ctx, tx, e, now)
	})
}

// TallyAudit counts e as one more of the events with its action, status
// and remote address in the minute of e.At (the current time when zero):
// the first of the minute is stored as e with Count 1, later ones only add
// one to its Count, so that a flood of like events (failed sign-ins) makes
// one row a minute. It returns EInvalid for an event without an action.
func (db *DB) TallyAudit(ctx context.Context, e app.AuditEvent) error {
	if strings.TrimSpace(e.Action) == "" {
		return app.Missing("action")
	}
	return db.write(ctx, "tally audit event", func(tx *sql.Tx, now time.Time) error {
		if e.At.IsZero() {
			e.At = now
		}
		minute := e.At.Truncate(time.Minute)
		res, err := tx.ExecContext(ctx, `UPDATE audit_events SET count = count + 1 WHERE seq = (
			SELECT seq FROM audit_events WHERE count IS NOT NULL AND remote_addr = ? AND action = ? AND status = ?
				AND at >= ? AND at < ? ORDER BY at LIMIT 1)`,
			e.RemoteAddr, e.Action, e.Status, micros(minute), micros(minute.Add(time.Minute)))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n > 0 {
			return err
		}
		e.Count = 1
		return insertAudit(ctx, tx, e, now)
	})
}

// insertAudit stores e, with a new id when it has none and at now when
// its At is zero.
func insertAudit(ctx context.Context, tx *sql.Tx, e app.AuditEvent, now time.Time) error {
	if e.ID == "" {
		id, err := newID()
		if err != nil {
			return err
		}
		e.ID = id
	}
	if e.At.IsZero() {
		e.At = now
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO audit_events (`+auditColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.ID, micros(e.At), e.ActorID, e.ActorName, string(e.ActorRole), e.Action,
		nullString(e.Resource), e.RemoteAddr, e.Status, sql.NullInt64{Int64: int64(e.Count), Valid: e.Count > 0})
	return err
}

// PurgeAudit deletes the events older than before and returns how many.
// The schema refuses to delete events younger than MinAuditRetention (by
// the database's clock), so a before later than that fails with an
// internal error and deletes nothing.
func (db *DB) PurgeAudit(ctx context.Context, before time.Time) (int, error) {
	var n int64
	err := db.write(ctx, "purge audit events", func(tx *sql.Tx, _ time.Time) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM audit_events WHERE at < ?`, micros(before))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}

// ListAudit returns the events matching f, newest first: by actor (id or
// name), by resource, at or after Since, at or before Until, at most
// f.Limit of them (app.DefaultAuditLimit when 0). It returns EInvalid for
// a filter that fails f.Validate.
func (db *DB) ListAudit(ctx context.Context, f app.AuditFilter) ([]app.AuditEvent, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	if f.Limit == 0 {
		f.Limit = app.DefaultAuditLimit
	}
	var (
		where []string
		args  []any
	)
	if f.Actor != "" {
		where = append(where, `(actor_id = ? OR actor_name = ?)`)
		args = append(args, f.Actor, f.Actor)
	}
	if f.Resource != "" {
		where = append(where, `resource = ?`)
		args = append(args, f.Resource)
	}
	if !f.Since.IsZero() {
		where = append(where, `at >= ?`)
		args = append(args, micros(f.Since))
	}
	if !f.Until.IsZero() {
		where = append(where, `at <= ?`)
		args = append(args, micros(f.Until))
	}
	query := `SELECT ` + auditColumns + ` FROM audit_events`
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, ` AND `)
	}
	query += ` ORDER BY at DESC, seq DESC LIMIT ?`
	args = append(args, f.Limit)

	var list []app.AuditEvent
	err := db.read(ctx, "list audit events", func(tx *sql.Tx) (err error) {
		list, err = queryAll(ctx, tx, query, scanAudit, args...)
		return err
	})
	if err != nil {
		return nil, err
	}
	return list, nil
}

// scanAudit reads a row of auditColumns.
func scanAudit(sc scanner) (app.AuditEvent, error) {
	var (
		e        app.AuditEvent
		at       int64
		role     string
		resource sql.NullString
		count    sql.NullInt64
	)
	if err := sc.Scan(&e.ID, &at, &e.ActorID, &e.ActorName, &role, &e.Action, &resource, &e.RemoteAddr, &e.Status, &count); err != nil {
		return app.AuditEvent{}, err
	}
	e.At, e.ActorRole, e.Resource, e.Count = fromMicros(at), app.Role(role), resource.String, int(count.Int64)
	return e, nil
}
