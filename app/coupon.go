package app

import (
	"context"
	"errors"
	"io"
	"strings"
	"time"
)

// Coupon alphabets. Alnum and letters leave out the look-alikes 0/O and
// 1/I/L so a code read off paper is typed right the first time.
const (
	CharsetAlnum   = "alnum"
	CharsetDigits  = "digits"
	CharsetLetters = "letters"

	alnumAlphabet   = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
	digitsAlphabet  = "0123456789"
	lettersAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ"
)

// Coupon limits.
const (
	DefaultCouponLength = 6
	MinCouponLength     = 6
	MaxCouponLength     = 16
	MaxCouponBatch      = 200     // per POST .../coupons
	MaxMinutesValid     = 5256000 // ten years
)

// Coupon states, also the values of the status filter.
const (
	CouponValid    = "valid"
	CouponRedeemed = "redeemed"
	CouponExpired  = "expired"
	CouponRevoked  = "revoked"
	CouponAll      = "all"
)

// ReasonStrategyMismatch is the reason given when coupons are asked of an
// instance that does not use the coupon strategy.
const ReasonStrategyMismatch = "strategy_mismatch"

// Coupon is a one-time access code of an instance. ExpiresAt is the
// redeem-by deadline; the guest's session then lasts the instance's
// session_ttl from RedeemedAt.
type Coupon struct {
	ID         string
	InstanceID string
	ScheduleID string // "" unless a schedule run made it
	RunID      string // "" unless a schedule run made it
	Code       string
	CreatedAt  time.Time
	ExpiresAt  time.Time
	RedeemedAt *time.Time
	RevokedAt  *time.Time
	// RedeemedMAC is the device that redeemed the coupon ("" when unknown
	// or not redeemed); the router user is locked to it.
	RedeemedMAC string
	// Note is the front desk's note (a room number, a guest's name).
	Note string
	// Extra is session time the front desk added to a redeemed coupon.
	Extra time.Duration
	// ReleasedAt is when the front desk last freed the coupon from its
	// device; nil once a new device has logged in with it.
	ReleasedAt *time.Time
	// SessionEnds is when a redeemed coupon's session ends, filled in by
	// listings; nil when not redeemed.
	SessionEnds *time.Time
	// PlanID is the plan the coupon was made with; "" for none.
	PlanID string
	// Price and Currency are the plan's as they were when the coupon was
	// made (a later change of the plan leaves them); Price is nil and
	// Currency "" for a coupon without a plan.
	Price    *int64
	Currency string
	// Session and DataLimitMB are the plan's session length and data
	// allowance as they were when the coupon was made: what the guest
	// bought. Session 0 means the instance's session_ttl; DataLimitMB nil
	// means unlimited.
	Session     time.Duration
	DataLimitMB *int
	// BytesIn and BytesOut are the data the guest has moved with the code
	// (from the guest, to the guest), as routers last counted it.
	BytesIn  int64
	BytesOut int64
	// UsedUpAt is when the guest was found to have used the whole data
	// allowance: the session ended then. nil while data is left.
	UsedUpAt *time.Time
}

// BytesPerMB is the size of a plan's megabyte: 1 MB = 1,000,000 bytes.
const BytesPerMB = 1_000_000

// DataLeftMB is the data the guest still has, in whole MB, rounded down;
// nil when the coupon's data is unlimited.
func (c Coupon) DataLeftMB() *int64 {
	if c.DataLimitMB == nil {
		return nil
	}
	left := max(0, int64(*c.DataLimitMB)*BytesPerMB-c.BytesIn-c.BytesOut) / BytesPerMB
	return &left
}

// Status is the coupon's state at time now: revoked wins over redeemed,
// redeemed over expired.
func (c Coupon) Status(now time.Time) string {
	switch {
	case c.RevokedAt != nil:
		return CouponRevoked
	case c.RedeemedAt != nil:
		return CouponRedeemed
	case !now.Before(c.ExpiresAt):
		return CouponExpired
	}
	return CouponValid
}

// CheckCouponStatus validates a status filter; "" means valid.
func CheckCouponStatus(s string) (string, error) {
	switch s {
	case "":
		return CouponValid, nil
	case CouponValid, CouponRedeemed, CouponExpired, CouponRevoked, CouponAll:
		return s, nil
	}
	return "", Invalid("status", ReasonParameterInvalid, "status must be valid, redeemed, expired, revoked or all")
}

// CheckCouponBatch validates the size and validity of a batch of at most
// max coupons. Params are named as in the coupon request.
func CheckCouponBatch(count, minutesValid, max int) error {
	if count < 1 || count > max {
		return Invalid("count", ReasonParameterInvalid, "count must be between 1 and %d", max)
	}
	if minutesValid < 1 || minutesValid > MaxMinutesValid {
		return Invalid("minutes_valid", ReasonParameterInvalid, "minutes_valid must be between 1 and %d", MaxMinutesValid)
	}
	return nil
}

// alphabet returns the characters of a coupon charset.
func alphabet(charset string) (string, error) {
	switch charset {
	case CharsetAlnum, "":
		return alnumAlphabet, nil
	case CharsetDigits:
		return digitsAlphabet, nil
	case CharsetLetters:
		return lettersAlphabet, nil
	}
	return "", Invalid("coupon_charset", ReasonParameterInvalid, "coupon_charset must be alnum, digits or letters")
}

// NewCouponCode draws a code of the given length and charset from random
// (crypto/rand in production), uniformly: bytes that would bias the draw
// are thrown away.
func NewCouponCode(random io.Reader, length int, charset string) (string, error) {
	chars, err := alphabet(charset)
	if err != nil {
		return "", err
	}
	if length < MinCouponLength || length > MaxCouponLength {
		return "", errors.New("coupon length out of range")
	}
	limit := 256 - 256%len(chars) // largest multiple of len(chars) that fits a byte
	code := make([]byte, 0, length)
	buf := make([]byte, 2*length)
	for len(code) < length {
		if _, err := io.ReadFull(random, buf); err != nil {
			return "", err
		}
		for _, b := range buf {
			if int(b) < limit && len(code) < length {
				code = append(code, chars[int(b)%len(chars)])
			}
		}
	}
	return string(code), nil
}

// NormalizeCouponCode turns what a guest typed into the stored form:
// upper case, without spaces and dashes.
func NormalizeCouponCode(typed string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '-', '\t':
			return -1
		}
		if r >= 'a' && r <= 'z' {
			return r - 'a' + 'A'
		}
		return r
	}, typed)
}

// CouponStore keeps coupons.
type CouponStore interface {
	// CreateCoupons issues count coupons of an instance valid for
	// minutesValid minutes, all in one transaction. ENotFound for an
	// unknown instance; EInvalid for a bad count or duration, and with
	// ReasonStrategyMismatch for a non-coupon instance.
	CreateCoupons(ctx context.Context, instanceID string, count, minutesValid int) ([]Coupon, error)
	// ListCoupons returns an instance's coupons in the given status
	// (CouponValid, ... or CouponAll), oldest first. ENotFound for an
	// unknown instance.
	ListCoupons(ctx context.Context, instanceID, status string) ([]Coupon, error)
	// RevokeCoupon revokes a coupon of an instance; revoking twice is
	// fine. A coupon sold and not yet used is voided in the same
	// transaction: a void entry in the sales ledger, made by actor, who
	// must be allowed to (app.CheckVoid: EForbidden, and nothing changes).
	// ENotFound for an unknown instance or coupon.
	RevokeCoupon(ctx context.Context, instanceID, couponID string, by Actor) error
	// PurgeCoupons deletes coupons that ended before the given time and
	// returns how many it deleted.
	PurgeCoupons(ctx context.Context, endedBefore time.Time) (int, error)
	// CouponCardStore reads coupons to print.
	CouponCardStore
	// CouponDeskStore notes, finds, extends and releases coupons.
	CouponDeskStore
}
