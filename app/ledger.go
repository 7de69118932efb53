package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"strconv"
	"time"
)

// The sales ledger: an append-only, hash-chained record of every sale and
// void, so that an owner can prove the record was not edited afterwards.
//
// Entry n's Hash is SHA-256 over the previous entry's hash (GenesisHash
// for the first) and entry n's canonical encoding (Canonical): every field
// but the hash, each written as its length, a colon, the value and a
// comma, so no two entries encode alike. Changing, removing or inserting
// an entry breaks the chain at that entry; a paper copy of the head hash
// (printed on every Z-report) anchors everything before it.

// Ledger entry kinds.
const (
	LedgerSale = "sale" // a coupon made with a price above 0
	LedgerVoid = "void" // a sold coupon withdrawn before it was used
)

// GenesisHash is the "previous hash" of the first entry.
const GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// Limits of one ledger listing.
const (
	DefaultLedgerLimit = 1000
	MaxLedgerLimit     = 10000
)

// Actor is who does something: an admin account (signed in to the admin
// page) or an API token, or the system itself (a coupon schedule).
type Actor struct {
	ID   string // admin account id, token id, or "schedule:<id>"
	Name string
	Role Role
}

// LedgerEntry is one sale or void. Names (code, plan) are copied in, so
// the entry reads the same after the coupon is purged or the plan renamed.
type LedgerEntry struct {
	Seq       int64
	At        time.Time
	ActorID   string
	ActorName string
	Kind      string // LedgerSale or LedgerVoid
	CouponID  string
	Code      string
	PlanID    string
	PlanName  string
	Amount    int64 // minor units, always ≥ 0; a void gives Amount back
	Currency  string
	ShiftID   string // "" when the actor had no open shift
	Hash      string // hex SHA-256, see ChainHash
}

// Canonical writes the entry's fields, all but Hash, in a fixed order and
// an unambiguous form: what ChainHash hashes.
func (e LedgerEntry) Canonical(w io.Writer) {
	var buf []byte
	field := func(v string) {
		buf = strconv.AppendInt(buf, int64(len(v)), 10)
		buf = append(buf, ':')
		buf = append(buf, v...)
		buf = append(buf, ',')
	}
	field(strconv.FormatInt(e.Seq, 10))
	field(strconv.FormatInt(e.At.UnixMicro(), 10))
	for _, v := range []string{e.ActorID, e.ActorName, e.Kind, e.CouponID, e.Code, e.PlanID, e.PlanName} {
		field(v)
	}
	field(strconv.FormatInt(e.Amount, 10))
	field(e.Currency)
	field(e.ShiftID)
	_, _ = w.Write(buf)
}

// ChainHash is the entry's hash after an entry whose hash is prev.
func (e LedgerEntry) ChainHash(prev string) string {
	h := sha256.New()
	_, _ = io.WriteString(h, prev)
	_, _ = io.WriteString(h, "\n")
	e.Canonical(h)
	return hex.EncodeToString(h.Sum(nil))
}

// LedgerVerifier checks a chain one entry at a time, in sequence order.
type LedgerVerifier struct {
	entries  int64
	head     string
	firstBad int64
}

// NewLedgerVerifier starts a check at the first entry.
func NewLedgerVerifier() *LedgerVerifier { return &LedgerVerifier{head: GenesisHash} }

// Add takes the next entry as stored. The first entry whose sequence
// number is not the next one, or whose stored hash is not the chain's,
// is the first bad one; checking goes on from its stored hash.
func (v *LedgerVerifier) Add(e LedgerEntry) {
	v.entries++
	if v.firstBad == 0 {
		switch {
		case e.Seq != v.entries:
			v.firstBad = min(e.Seq, v.entries) // an entry went missing (or came in) here
		case e.ChainHash(v.head) != e.Hash:
			v.firstBad = e.Seq
		}
	}
	v.head = e.Hash
}

// Result is the outcome of the entries added so far.
func (v *LedgerVerifier) Result() LedgerCheck {
	c := LedgerCheck{OK: v.firstBad == 0, Entries: v.entries, Head: v.head}
	if v.firstBad != 0 {
		bad := v.firstBad
		c.FirstBadSeq = &bad
	}
	return c
}

// LedgerCheck is the outcome of verifying the ledger.
type LedgerCheck struct {
	OK          bool
	Entries     int64
	Head        string // the last entry's stored hash; GenesisHash when empty
	FirstBadSeq *int64 // nil when OK
}

// LedgerFilter selects ledger entries; zero fields select everything.
type LedgerFilter struct {
	Since, Until time.Time // At in [Since, Until)
	Actor        string    // actor id or name
	ShiftID      string
	Kind         string // LedgerSale, LedgerVoid or ""
	AfterSeq     int64  // entries after this sequence number (paging forward)
	BeforeSeq    int64  // entries before this sequence number (paging back); 0: no bound
	Newest       bool   // newest first (descending sequence) instead of oldest first
	Limit        int    // 0: DefaultLedgerLimit; at most MaxLedgerLimit; -1: no limit (exports)
}

// Validate checks f; its errors are EInvalid naming the query parameter.
func (f LedgerFilter) Validate() error {
	switch f.Kind {
	case "", LedgerSale, LedgerVoid:
	default:
		return Invalid("kind", ReasonParameterInvalid, "kind must be sale or void")
	}
	if f.Limit < -1 || f.Limit > MaxLedgerLimit {
		return Invalid("limit", ReasonParameterInvalid, "limit must be between 1 and %d", MaxLedgerLimit)
	}
	if f.AfterSeq < 0 {
		return Invalid("after", ReasonParameterInvalid, "after must be a sequence number (0 or more)")
	}
	if f.BeforeSeq < 0 {
		return Invalid("before", ReasonParameterInvalid, "before must be a sequence number (1 or more)")
	}
	if !f.Since.IsZero() && !f.Until.IsZero() && f.Until.Before(f.Since) {
		return Invalid("until", ReasonParameterInvalid, "until must not be before since")
	}
	return nil
}

// LedgerStore reads the sales ledger. Entries are appended only by the
// operations that sell and void (IssueCoupons, RevokeCoupon); nothing
// changes or removes one.
type LedgerStore interface {
	// ListLedger returns matching entries in sequence order. EInvalid for
	// a filter that fails Validate.
	ListLedger(ctx context.Context, f LedgerFilter) ([]LedgerEntry, error)
	// EachLedgerEntry calls fn for every matching entry in sequence
	// order, without holding them all (exports); fn's error stops it.
	EachLedgerEntry(ctx context.Context, f LedgerFilter, fn func(LedgerEntry) error) error
	// VerifyLedger recomputes the whole chain.
	VerifyLedger(ctx context.Context) (LedgerCheck, error)
}
