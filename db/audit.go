package db

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"gatehouse/app"
)

var _ app.AuditStore = (*DB)(nil)

const auditColumns = `id, at, actor_id, actor_name, actor_role, action, resource, remote_addr, status`

// AppendAudit adds e to the audit log, giving it a new id when it has none
// and the current time when its At is zero. The log is append-only: there
// is no method to change or remove an event, and triggers in the schema
// refuse UPDATE, DELETE and replacing inserts. It returns EInvalid for an
// event without an action; an id already used is refused as an internal
// error.
func (db *DB) AppendAudit(ctx context.Context, e app.AuditEvent) error {
	if strings.TrimSpace(e.Action) == "" {
		return app.Missing("action")
	}
	return db.write(ctx, "append audit event", func(tx *sql.Tx, now time.Time) error {
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
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			e.ID, micros(e.At), e.ActorID, e.ActorName, string(e.ActorRole), e.Action,
			nullString(e.Resource), e.RemoteAddr, e.Status)
		return err
	})
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

	list := []app.AuditEvent{}
	err := db.read(ctx, "list audit events", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			e, err := scanAudit(rows)
			if err != nil {
				return err
			}
			list = append(list, e)
		}
		return rows.Err()
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
	)
	if err := sc.Scan(&e.ID, &at, &e.ActorID, &e.ActorName, &role, &e.Action, &resource, &e.RemoteAddr, &e.Status); err != nil {
		return app.AuditEvent{}, err
	}
	e.At, e.ActorRole, e.Resource = fromMicros(at), app.Role(role), resource.String
	return e, nil
}
