package app

import (
	"context"
	"time"
)

// A shift is a clerk's time at the counter: opened with the cash in the
// drawer (the float), closed with the cash counted. Closing it makes its
// Z-report from the ledger: what was sold and voided, by plan and per
// currency, the cash expected against the cash counted, and the ledger's
// head hash at that moment. A closed shift never changes.

// MaxShiftCash bounds a float or a counted amount (minor units): a
// hundred million in any currency.
const MaxShiftCash = 10_000_000_000

// Shift is one clerk's shift.
type Shift struct {
	ID        string
	ActorID   string
	ActorName string
	OpenedAt  time.Time
	// OpeningFloat is the cash in the drawer at the start, in Currency
	// (minor units); Currency is "" when the float is 0 and none was
	// named.
	OpeningFloat int64
	Currency     string
	ClosedAt     *time.Time
	ClosedBy     string // the actor name of who closed it
	// CountedCash is the cash counted at the close, per currency.
	CountedCash map[string]int64
	// HeadSeq and HeadHash are the ledger's last entry when the shift
	// closed (0 and GenesisHash for an empty ledger).
	HeadSeq  int64
	HeadHash string
	// OpenSeq is the ledger's last entry when the shift opened: its own
	// entries all come after it.
	OpenSeq int64
}

// ShiftFilter selects shifts; zero fields select every shift.
type ShiftFilter struct {
	ActorID string // only this actor's shifts
	Status  string // ShiftOpen, ShiftClosed or ""
	// Before is a shift's id: only shifts older than it (the next page
	// after it, newest first).
	Before string
	Limit  int // at most this many; 0: all
}

// Shift statuses of a ShiftFilter.
const (
	ShiftOpen   = "open"
	ShiftClosed = "closed"
)

// MaxShiftLimit is the largest page of shifts.
const MaxShiftLimit = 200

// Validate checks f; its errors are EInvalid naming the query parameter.
func (f ShiftFilter) Validate() error {
	switch f.Status {
	case "", ShiftOpen, ShiftClosed:
	default:
		return Invalid("status", ReasonParameterInvalid, "status must be open or closed")
	}
	if f.Limit < 0 || f.Limit > MaxShiftLimit {
		return Invalid("limit", ReasonParameterInvalid, "limit must be between 1 and %d", MaxShiftLimit)
	}
	return nil
}

// Open reports whether the shift is still open.
func (s Shift) Open() bool { return s.ClosedAt == nil }

// Tally counts sales and voids (amounts in one currency's minor units).
type Tally struct {
	Sales       int
	SalesAmount int64
	Voids       int
	VoidAmount  int64
}

// Add counts one ledger entry.
func (t *Tally) Add(e LedgerEntry) {
	if e.Kind == LedgerVoid {
		t.Voids, t.VoidAmount = t.Voids+1, t.VoidAmount+e.Amount
		return
	}
	t.Sales, t.SalesAmount = t.Sales+1, t.SalesAmount+e.Amount
}

// Net is what the sales brought in, less what voids gave back.
func (t Tally) Net() int64 { return t.SalesAmount - t.VoidAmount }

// ZLine is one plan's sales and voids in a Z-report.
type ZLine struct {
	PlanID, PlanName string
	Currency         string
	Tally
}

// ZTotal is one currency's totals in a Z-report, with the cash expected
// in the drawer (float plus sales minus voids) and, once closed, counted.
type ZTotal struct {
	Currency string
	Tally
	ExpectedCash int64
	CountedCash  *int64
	Difference   *int64 // counted minus expected
}

// ZReport is a shift's report: open shifts get one too (an X-report, what
// the drawer should hold now).
type ZReport struct {
	Shift    Shift
	Lines    []ZLine  // by plan, then currency
	Totals   []ZTotal // by currency
	Entries  int      // ledger entries of the shift
	FirstSeq int64    // 0 when the shift has no entries
	LastSeq  int64
}

// ShiftOpening is what opening a shift takes.
type ShiftOpening struct {
	OpeningFloat int64
	Currency     string
}

// Validate checks an opening (Currency normalized to upper case first);
// errors are EInvalid naming the JSON field.
func (o *ShiftOpening) Validate() error {
	o.Currency = upperTrim(o.Currency)
	if o.OpeningFloat < 0 || o.OpeningFloat > MaxShiftCash {
		return Invalid("opening_float", ReasonParameterInvalid, "opening_float must be between 0 and %d (minor units)", int64(MaxShiftCash))
	}
	if o.Currency == "" {
		if o.OpeningFloat > 0 {
			return Invalid("currency", ReasonParameterMissing, "currency (ISO 4217, such as EUR) is required with an opening_float")
		}
		return nil
	}
	if !isCurrencyCode(o.Currency) {
		return Invalid("currency", ReasonParameterInvalid, "currency must be an ISO 4217 code of three letters, such as EUR, got %q", o.Currency)
	}
	return nil
}

// CheckCountedCash validates the cash counted at a close: currency codes
// of three letters, amounts between 0 and MaxShiftCash. It returns the
// map with the codes in upper case.
func CheckCountedCash(counted map[string]int64) (map[string]int64, error) {
	out := make(map[string]int64, len(counted))
	for cur, n := range counted {
		code := upperTrim(cur)
		if !isCurrencyCode(code) {
			return nil, Invalid("counted_cash", ReasonParameterInvalid, "counted_cash keys must be ISO 4217 codes such as EUR, got %q", cur)
		}
		if n < 0 || n > MaxShiftCash {
			return nil, Invalid("counted_cash", ReasonParameterInvalid, "counted_cash[%s] must be between 0 and %d (minor units)", code, int64(MaxShiftCash))
		}
		out[code] += n
	}
	return out, nil
}

// CheckVoid decides whether actor may void a sale. Admins and operators
// may void any sold coupon not yet used; a front-desk clerk only a sale
// of their own, made in a shift of theirs that is still open (saleShift,
// nil when the sale was made outside a shift). EForbidden otherwise.
func CheckVoid(actor Actor, sale LedgerEntry, saleShift *Shift) error {
	if actor.Role == RoleAdmin || actor.Role == RoleOperator {
		return nil
	}
	switch {
	case sale.ActorID != actor.ID:
		return Refusal(EForbidden, ReasonPermissionDenied, T("refusal.void_not_seller", "code", sale.Code, "seller", sale.ActorName))
	case saleShift == nil:
		return Refusal(EForbidden, ReasonPermissionDenied, T("refusal.void_no_shift", "code", sale.Code))
	case !saleShift.Open():
		return Refusal(EForbidden, ReasonPermissionDenied, T("refusal.void_shift_closed", "code", sale.Code))
	}
	return nil
}

// ShiftStore keeps the shifts and makes their reports.
type ShiftStore interface {
	// OpenShift opens a shift for actor. EInvalid for a bad opening;
	// EConflict while the actor has an open shift (the message names it).
	OpenShift(ctx context.Context, actor Actor, o ShiftOpening) (Shift, error)
	// CloseShift closes an open shift with the cash counted and returns
	// its Z-report. Only its owner, an operator or an admin may close it
	// (EForbidden); ENotFound; EConflict when it is already closed.
	CloseShift(ctx context.Context, actor Actor, id string, counted map[string]int64) (ZReport, error)
	// ListShifts returns the shifts f selects, newest first, each as its
	// report (its totals so far while open). EInvalid for an unknown
	// f.Before.
	ListShifts(ctx context.Context, f ShiftFilter) ([]ZReport, error)
	// ShiftReport returns a shift's report (a Z-report once closed).
	// ENotFound.
	ShiftReport(ctx context.Context, id string) (ZReport, error)
	// OpenShiftOf returns actorID's open shift; ENotFound when none.
	OpenShiftOf(ctx context.Context, actorID string) (Shift, error)
}
