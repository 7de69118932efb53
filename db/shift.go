package db

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strings"
	"time"

	"gatehouse/app"
)

var _ app.ShiftStore = (*DB)(nil)

const shiftColumns = `id, actor_id, actor_name, opened_at, opening_float, currency, closed_at, closed_by, counted_cash,
	head_seq, head_hash, open_seq`

func scanShift(sc scanner) (app.Shift, error) {
	var (
		s       app.Shift
		opened  int64
		closed  sql.NullInt64
		counted string
	)
	err := sc.Scan(&s.ID, &s.ActorID, &s.ActorName, &opened, &s.OpeningFloat, &s.Currency, &closed, &s.ClosedBy,
		&counted, &s.HeadSeq, &s.HeadHash, &s.OpenSeq)
	if err != nil {
		return s, err
	}
	s.OpenedAt, s.ClosedAt = fromMicros(opened), fromNullMicros(closed)
	if s.ClosedAt != nil {
		s.CountedCash = map[string]int64{}
		if err := json.Unmarshal([]byte(counted), &s.CountedCash); err != nil {
			return s, err
		}
	}
	return s, nil
}

// getShift reads one shift in tx. ENotFound.
func getShift(ctx context.Context, tx *sql.Tx, id string) (app.Shift, error) {
	sid, ok := canonicalID(id)
	if !ok {
		return app.Shift{}, app.NotFound("shift", id)
	}
	s, err := scanShift(tx.QueryRowContext(ctx, `SELECT `+shiftColumns+` FROM shifts WHERE id = ?`, sid))
	if errors.Is(err, sql.ErrNoRows) {
		return s, app.NotFound("shift", id)
	}
	return s, err
}

// OpenShift implements app.ShiftStore.
func (db *DB) OpenShift(ctx context.Context, actor app.Actor, o app.ShiftOpening) (app.Shift, error) {
	if err := o.Validate(); err != nil {
		return app.Shift{}, err
	}
	var s app.Shift
	err := db.write(ctx, "open shift", func(tx *sql.Tx, now time.Time) error {
		open, err := db.openShiftID(ctx, tx, actor.ID)
		if err != nil {
			return err
		}
		if open != "" {
			return app.Refusal(app.EConflict, app.ReasonResourceConflict, app.T("refusal.shift_open", "name", actor.Name, "shift", open))
		}
		id, err := newID()
		if err != nil {
			return err
		}
		head, _, err := db.ledgerHead(ctx, tx)
		if err != nil {
			return err
		}
		s = app.Shift{ID: id, ActorID: actor.ID, ActorName: actor.Name, OpenedAt: now,
			OpeningFloat: o.OpeningFloat, Currency: o.Currency, OpenSeq: head}
		_, err = tx.ExecContext(ctx, `INSERT INTO shifts (id, actor_id, actor_name, opened_at, opening_float, currency, open_seq)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, s.ID, s.ActorID, s.ActorName, micros(now), s.OpeningFloat, s.Currency, head)
		return err
	})
	return s, err
}

// CloseShift implements app.ShiftStore.
func (db *DB) CloseShift(ctx context.Context, actor app.Actor, id string, counted map[string]int64) (app.ZReport, error) {
	counted, err := app.CheckCountedCash(counted)
	if err != nil {
		return app.ZReport{}, err
	}
	var rep app.ZReport
	err = db.write(ctx, "close shift", func(tx *sql.Tx, now time.Time) error {
		s, err := getShift(ctx, tx, id)
		if err != nil {
			return err
		}
		if actor.Role == app.RoleFrontdesk && s.ActorID != actor.ID {
			return app.Refusal(app.EForbidden, app.ReasonPermissionDenied, app.T("refusal.shift_not_yours", "name", s.ActorName))
		}
		if !s.Open() {
			return app.Refusal(app.EConflict, app.ReasonResourceConflict, app.T("refusal.shift_closed", "at", s.ClosedAt.UTC().Format(time.RFC3339)))
		}
		seq, head, err := db.ledgerHead(ctx, tx)
		if err != nil {
			return err
		}
		cash, err := json.Marshal(counted)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE shifts SET closed_at = ?, closed_by = ?, counted_cash = ?,
			head_seq = ?, head_hash = ? WHERE id = ?`, micros(now), actor.Name, string(cash), seq, head, s.ID); err != nil {
			return err
		}
		s.ClosedAt, s.ClosedBy, s.CountedCash, s.HeadSeq, s.HeadHash = &now, actor.Name, counted, seq, head
		rep, err = shiftReport(ctx, tx, s)
		return err
	})
	return rep, err
}

// ListShifts implements app.ShiftStore. Each shift's report reads its own
// range of the ledger's primary key, so a page of shifts costs what their
// entries do.
func (db *DB) ListShifts(ctx context.Context, f app.ShiftFilter) ([]app.ZReport, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	where, args := []string{"1 = 1"}, []any{}
	if f.ActorID != "" {
		where, args = append(where, "actor_id = ?"), append(args, f.ActorID)
	}
	switch f.Status {
	case app.ShiftOpen:
		where = append(where, "closed_at IS NULL")
	case app.ShiftClosed:
		where = append(where, "closed_at IS NOT NULL")
	}
	query := `SELECT ` + shiftColumns + ` FROM shifts WHERE `
	out := []app.ZReport{}
	err := db.read(ctx, "list shifts", func(tx *sql.Tx) error {
		if f.Before != "" {
			before, err := getShift(ctx, tx, f.Before)
			if err != nil {
				return app.Invalid("before", app.ReasonParameterInvalid, "before must be the id of a shift (the last of the page before)")
			}
			where = append(where, "(opened_at < ? OR (opened_at = ? AND id < ?))")
			args = append(args, micros(before.OpenedAt), micros(before.OpenedAt), before.ID)
		}
		q := query + strings.Join(where, " AND ") + ` ORDER BY opened_at DESC, id DESC`
		if f.Limit > 0 {
			q += ` LIMIT ?`
			args = append(args, f.Limit)
		}
		list, err := queryAll(ctx, tx, q, scanShift, args...)
		if err != nil {
			return err
		}
		for _, s := range list {
			rep, err := shiftReport(ctx, tx, s)
			if err != nil {
				return err
			}
			out = append(out, rep)
		}
		return nil
	})
	return out, err
}

// OpenShiftOf implements app.ShiftStore.
func (db *DB) OpenShiftOf(ctx context.Context, actorID string) (app.Shift, error) {
	var s app.Shift
	err := db.read(ctx, "read open shift", func(tx *sql.Tx) error {
		id, err := db.openShiftID(ctx, tx, actorID)
		if err != nil {
			return err
		}
		if id == "" {
			return app.NotFound("open shift", actorID)
		}
		s, err = getShift(ctx, tx, id)
		return err
	})
	return s, err
}

// ShiftReport implements app.ShiftStore.
func (db *DB) ShiftReport(ctx context.Context, id string) (app.ZReport, error) {
	var rep app.ZReport
	err := db.read(ctx, "read shift report", func(tx *sql.Tx) error {
		s, err := getShift(ctx, tx, id)
		if err != nil {
			return err
		}
		rep, err = shiftReport(ctx, tx, s)
		return err
	})
	return rep, err
}

// shiftReport adds up a shift's ledger entries: by plan and currency, then
// per currency with the cash expected (the float in its currency, plus
// sales, minus voids) and, once closed, the cash counted.
func shiftReport(ctx context.Context, tx *sql.Tx, s app.Shift) (app.ZReport, error) {
	rep := app.ZReport{Shift: s, Lines: []app.ZLine{}, Totals: []app.ZTotal{}}
	lines := map[[2]string]*app.ZLine{}
	totals := map[string]*app.ZTotal{}
	total := func(cur string) *app.ZTotal {
		if totals[cur] == nil {
			totals[cur] = &app.ZTotal{Currency: cur}
		}
		return totals[cur]
	}
	last := int64(math.MaxInt64) // an open shift: up to now
	if !s.Open() {
		last = s.HeadSeq
	}
	// A shift's entries come after the ledger's head when it opened and
	// not after its head when it closed: a range of the primary key.
	err := queryEach(ctx, tx, `SELECT `+ledgerColumns+` FROM ledger WHERE seq > ? AND seq <= ? AND shift_id = ?
		ORDER BY seq`, func(sc scanner) error {
		e, err := scanLedgerEntry(sc)
		if err != nil {
			return err
		}
		rep.Entries++
		if rep.FirstSeq == 0 {
			rep.FirstSeq = e.Seq
		}
		rep.LastSeq = e.Seq
		key := [2]string{e.PlanID, e.Currency}
		l := lines[key]
		if l == nil {
			l = &app.ZLine{PlanID: e.PlanID, PlanName: e.PlanName, Currency: e.Currency}
			lines[key] = l
		}
		l.Add(e)
		total(e.Currency).Add(e)
		return nil
	}, s.OpenSeq, last, s.ID)
	if err != nil {
		return rep, err
	}
	if s.Currency != "" {
		total(s.Currency)
	}
	for cur := range s.CountedCash {
		total(cur)
	}
	for _, l := range lines {
		rep.Lines = append(rep.Lines, *l)
	}
	slices.SortFunc(rep.Lines, func(a, b app.ZLine) int {
		return cmp.Or(cmp.Compare(a.PlanName, b.PlanName), cmp.Compare(a.PlanID, b.PlanID), cmp.Compare(a.Currency, b.Currency))
	})
	for _, t := range totals {
		t.ExpectedCash = t.Net()
		if t.Currency == s.Currency {
			t.ExpectedCash += s.OpeningFloat
		}
		if s.ClosedAt != nil {
			counted := s.CountedCash[t.Currency]
			diff := counted - t.ExpectedCash
			t.CountedCash, t.Difference = &counted, &diff
		}
		rep.Totals = append(rep.Totals, *t)
	}
	slices.SortFunc(rep.Totals, func(a, b app.ZTotal) int { return cmp.Compare(a.Currency, b.Currency) })
	return rep, nil
}
