package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"gatehouse/app"
)

var _ app.LedgerStore = (*DB)(nil)

const ledgerColumns = `seq, at, actor_id, actor_name, kind, coupon_id, code, plan_id, plan_name, amount, currency, shift_id, hash`

// scanLedgerEntry reads a row of ledgerColumns.
func scanLedgerEntry(sc scanner) (app.LedgerEntry, error) {
	var e app.LedgerEntry
	var at int64
	err := sc.Scan(&e.Seq, &at, &e.ActorID, &e.ActorName, &e.Kind, &e.CouponID, &e.Code, &e.PlanID, &e.PlanName,
		&e.Amount, &e.Currency, &e.ShiftID, &e.Hash)
	e.At = fromMicros(at)
	return e, err
}

// ledgerWhere is the WHERE clause of a filter.
func ledgerWhere(f app.LedgerFilter) (string, []any) {
	where, args := []string{"seq > ?"}, []any{f.AfterSeq}
	if f.BeforeSeq > 0 {
		where, args = append(where, "seq < ?"), append(args, f.BeforeSeq)
	}
	if !f.Since.IsZero() {
		where, args = append(where, "at >= ?"), append(args, micros(f.Since))
	}
	if !f.Until.IsZero() {
		where, args = append(where, "at < ?"), append(args, micros(f.Until))
	}
	if f.Actor != "" {
		where, args = append(where, "(actor_id = ? OR actor_name = ?)"), append(args, f.Actor, f.Actor)
	}
	if f.ShiftID != "" {
		id, _ := canonicalID(f.ShiftID)
		where, args = append(where, "shift_id = ?"), append(args, id)
	}
	if f.Kind != "" {
		where, args = append(where, "kind = ?"), append(args, f.Kind)
	}
	return strings.Join(where, " AND "), args
}

// ListLedger implements app.LedgerStore.
func (db *DB) ListLedger(ctx context.Context, f app.LedgerFilter) ([]app.LedgerEntry, error) {
	if f.Limit == 0 {
		f.Limit = app.DefaultLedgerLimit
	}
	out := []app.LedgerEntry{}
	err := db.EachLedgerEntry(ctx, f, func(e app.LedgerEntry) error {
		out = append(out, e)
		return nil
	})
	return out, err
}

// EachLedgerEntry implements app.LedgerStore.
func (db *DB) EachLedgerEntry(ctx context.Context, f app.LedgerFilter, fn func(app.LedgerEntry) error) error {
	if err := f.Validate(); err != nil {
		return err
	}
	where, args := ledgerWhere(f)
	query := `SELECT ` + ledgerColumns + ` FROM ledger WHERE ` + where + ` ORDER BY seq`
	if f.Newest {
		query += ` DESC`
	}
	if f.Limit > 0 {
		query += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	return db.read(ctx, "read ledger", func(tx *sql.Tx) error {
		return queryEach(ctx, tx, query, func(sc scanner) error {
			e, err := scanLedgerEntry(sc)
			if err != nil {
				return err
			}
			return fn(e)
		}, args...)
	})
}

// VerifyLedger implements app.LedgerStore: it reads every entry in
// sequence order in one snapshot and recomputes the chain.
func (db *DB) VerifyLedger(ctx context.Context) (app.LedgerCheck, error) {
	v := app.NewLedgerVerifier()
	err := db.read(ctx, "verify ledger", func(tx *sql.Tx) error {
		return queryEach(ctx, tx, `SELECT `+ledgerColumns+` FROM ledger ORDER BY seq`, func(sc scanner) error {
			e, err := scanLedgerEntry(sc)
			v.Add(e)
			return err
		})
	})
	return v.Result(), err
}

// ledgerSQL are the statements every sale runs, prepared once on the
// writer when the database opens: modernc's SQLite compiles a statement
// each time one is prepared, which cost a sale more than the rows it
// writes (BenchmarkSale). Tx.StmtContext then runs them on the
// transaction's connection, the writer's one, without compiling again.
type ledgerSQL struct {
	head, openShift, insert *sql.Stmt
}

func prepareLedgerSQL(ctx context.Context, writer *sql.DB) (ledgerSQL, error) {
	var l ledgerSQL
	for _, p := range []struct {
		dst   **sql.Stmt
		query string
	}{
		{&l.head, `SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1`},
		{&l.openShift, `SELECT id FROM shifts WHERE actor_id = ? AND closed_at IS NULL`},
		{&l.insert, `INSERT INTO ledger (` + ledgerColumns + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`},
	} {
		s, err := writer.PrepareContext(ctx, p.query)
		if err != nil {
			l.close()
			return ledgerSQL{}, fmt.Errorf("prepare %q: %w", p.query, err)
		}
		*p.dst = s
	}
	return l, nil
}

func (l ledgerSQL) close() {
	for _, s := range []*sql.Stmt{l.head, l.openShift, l.insert} {
		if s != nil {
			s.Close()
		}
	}
}

// ledgerHead returns the last entry's sequence number and hash (0 and
// app.GenesisHash for an empty ledger).
func (db *DB) ledgerHead(ctx context.Context, tx *sql.Tx) (int64, string, error) {
	var seq int64
	var hash string
	err := tx.StmtContext(ctx, db.ledger.head).QueryRowContext(ctx).Scan(&seq, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, app.GenesisHash, nil
	}
	return seq, hash, err
}

// appendLedger appends entries in tx, giving each the next sequence number
// and its chain hash, and the time at. The single writer makes the head
// read here the head the entries follow.
func (db *DB) appendLedger(ctx context.Context, tx *sql.Tx, at time.Time, entries []app.LedgerEntry) error {
	if len(entries) == 0 {
		return nil
	}
	seq, prev, err := db.ledgerHead(ctx, tx)
	if err != nil {
		return err
	}
	stmt := tx.StmtContext(ctx, db.ledger.insert)
	for _, e := range entries {
		seq++
		e.Seq, e.At = seq, at
		e.Hash = e.ChainHash(prev)
		prev = e.Hash
		if _, err := stmt.ExecContext(ctx, e.Seq, micros(e.At), e.ActorID, e.ActorName, e.Kind, e.CouponID, e.Code,
			e.PlanID, e.PlanName, e.Amount, e.Currency, e.ShiftID, e.Hash); err != nil {
			return err
		}
	}
	return nil
}

// openShiftID returns the id of actorID's open shift, "" when none.
func (db *DB) openShiftID(ctx context.Context, tx *sql.Tx, actorID string) (string, error) {
	if actorID == "" {
		return "", nil
	}
	var id string
	err := tx.StmtContext(ctx, db.ledger.openShift).QueryRowContext(ctx, actorID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return id, err
}

// recordSales appends a sale for each coupon of a plan with a price, made
// by actor (in the actor's open shift, if any).
func (db *DB) recordSales(ctx context.Context, tx *sql.Tx, actor app.Actor, plan *app.Plan, coupons []app.Coupon, at time.Time) error {
	if plan == nil || plan.Price <= 0 || len(coupons) == 0 {
		return nil
	}
	shift, err := db.openShiftID(ctx, tx, actor.ID)
	if err != nil {
		return err
	}
	entries := make([]app.LedgerEntry, len(coupons))
	for i, c := range coupons {
		entries[i] = app.LedgerEntry{ActorID: actor.ID, ActorName: actor.Name, Kind: app.LedgerSale, CouponID: c.ID,
			Code: c.Code, PlanID: plan.ID, PlanName: plan.Name, Amount: plan.Price, Currency: plan.Currency, ShiftID: shift}
	}
	return db.appendLedger(ctx, tx, at, entries)
}

// recordVoid appends the void of a sold, unused coupon when actor may
// void it (app.CheckVoid); a coupon with no sale in the ledger needs no
// void. The void goes into the actor's open shift, else the sale's shift
// while that is open.
func (db *DB) recordVoid(ctx context.Context, tx *sql.Tx, actor app.Actor, c app.Coupon, at time.Time) error {
	if c.Price == nil || *c.Price <= 0 || c.RedeemedAt != nil || c.RevokedAt != nil {
		return nil
	}
	sale, err := scanLedgerEntry(tx.QueryRowContext(ctx, `SELECT `+ledgerColumns+` FROM ledger
		WHERE coupon_id = ? AND kind = 'sale' ORDER BY seq LIMIT 1`, c.ID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil // sold before the ledger existed
	}
	if err != nil {
		return err
	}
	var saleShift *app.Shift
	if sale.ShiftID != "" {
		s, err := getShift(ctx, tx, sale.ShiftID)
		if err != nil && app.ErrorCode(err) != app.ENotFound {
			return err
		}
		if err == nil {
			saleShift = &s
		}
	}
	if err := app.CheckVoid(actor, sale, saleShift); err != nil {
		return err
	}
	shift, err := db.openShiftID(ctx, tx, actor.ID)
	if err != nil {
		return err
	}
	if shift == "" && saleShift != nil && saleShift.Open() {
		shift = saleShift.ID
	}
	void := sale
	void.ActorID, void.ActorName, void.Kind, void.ShiftID = actor.ID, actor.Name, app.LedgerVoid, shift
	return db.appendLedger(ctx, tx, at, []app.LedgerEntry{void})
}
