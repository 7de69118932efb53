package app

import (
	"context"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Front-desk limits.
const (
	MaxCouponNote    = 200    // characters of a coupon's note
	MaxExtendMinutes = 525600 // one extension: at most a year
)

// SessionEnd is when the session of a redeemed coupon ends: its
// redemption plus its session length (SessionLength of the instance's
// ttl) plus the time the front desk added, or when its data ran out if
// that was earlier. The zero time for a coupon not redeemed.
func (c Coupon) SessionEnd(ttl time.Duration) time.Time {
	if c.RedeemedAt == nil {
		return time.Time{}
	}
	end := c.RedeemedAt.Add(c.SessionLength(ttl) + c.Extra)
	if c.UsedUpAt != nil && c.UsedUpAt.Before(end) {
		return *c.UsedUpAt
	}
	return end
}

// SessionLength is how long the coupon's session lasts: its plan's length,
// or ttl (the instance's session_ttl) for a coupon without a plan. Time
// the front desk added is not included.
func (c Coupon) SessionLength(ttl time.Duration) time.Duration {
	if c.Session > 0 {
		return c.Session
	}
	return ttl
}

// CheckCouponNote trims a coupon note (a room number, a guest's name) and
// checks it: at most MaxCouponNote characters of text, no control
// characters. EInvalid (param note) otherwise.
func CheckCouponNote(note string) (string, error) {
	note = strings.TrimSpace(note)
	if !utf8.ValidString(note) {
		return "", Invalid("note", ReasonParameterInvalid, "note must be text")
	}
	if n := utf8.RuneCountInString(note); n > MaxCouponNote {
		return "", Invalid("note", ReasonParameterInvalid, "note must be at most %d characters (got %d)", MaxCouponNote, n)
	}
	if strings.ContainsFunc(note, unicode.IsControl) {
		return "", Invalid("note", ReasonParameterInvalid, "note must be one line of text, without control characters")
	}
	return note, nil
}

// CheckExtendMinutes validates the minutes of one coupon extension.
// EInvalid (param minutes) unless 1..MaxExtendMinutes.
func CheckExtendMinutes(minutes int) error {
	if minutes < 1 || minutes > MaxExtendMinutes {
		return Invalid("minutes", ReasonParameterInvalid, "minutes must be between 1 and %d", MaxExtendMinutes)
	}
	return nil
}

// CouponIssue is a request for a batch of coupons: how many, for how many
// minutes they can be redeemed, an optional note they all carry and an
// optional plan they are sold by. With a plan, MinutesValid 0 means the
// plan's ValidMinutes.
type CouponIssue struct {
	Count        int
	MinutesValid int
	Note         string
	PlanID       string
	// Actor is who makes the coupons: the seller when the plan has a
	// price (each coupon is then a sale in the ledger, in the actor's open
	// shift if any).
	Actor Actor
}

// CouponQuery selects coupons of an instance: a status (CouponValid, ...
// or CouponAll) and, when Search is not empty, only those whose code or
// note contains it (case-insensitively; a code typed with spaces or dashes
// still matches).
type CouponQuery struct {
	Status string
	Search string
	// PlanID keeps the coupons made with that plan; "" keeps all.
	PlanID string
}

// CouponRelease is what freeing a coupon for a new device did: the
// coupon as it now is, the device it was locked to, and the guest
// sessions of that device the router still showed (to be ended there).
type CouponRelease struct {
	Coupon   Coupon
	OldMAC   string
	SiteID   string     // where the coupon was redeemed; "" when unknown
	Sessions []SiteUser // active sessions of the coupon, at any of its sites
}

// CouponDeskStore is what the front desk does to single coupons.
type CouponDeskStore interface {
	// IssueCoupons is CreateCoupons with a note on every coupon and an
	// optional plan, whose valid minutes are the default duration and
	// whose price and currency the coupons keep. Errors as CreateCoupons,
	// and EInvalid for a bad note (param note) or an unknown plan (param
	// plan_id).
	IssueCoupons(ctx context.Context, instanceID string, req CouponIssue) ([]Coupon, error)
	// FindCoupons lists an instance's coupons matching q, oldest first.
	// ENotFound for an unknown instance; EInvalid for a bad status.
	FindCoupons(ctx context.Context, instanceID string, q CouponQuery) ([]Coupon, error)
	// SetCouponNote replaces a coupon's note ("" clears it). ENotFound;
	// EInvalid for a bad note.
	SetCouponNote(ctx context.Context, instanceID, couponID, note string) (Coupon, error)
	// ExtendCoupon gives a coupon more time: an unused coupon can be
	// redeemed for by longer (an expired one for by from now), a redeemed
	// one's session lasts by longer (Coupon.Extra, which the router's
	// limit-uptime and gatehouse's expiry both count). ENotFound;
	// EConflict for a revoked coupon or a session that already ended.
	ExtendCoupon(ctx context.Context, instanceID, couponID string, by time.Duration) (Coupon, error)
	// PlanRelease says what ReleaseCoupon would free, changing nothing:
	// the coupon, its device and the sessions to end on the routers
	// first. Errors as ReleaseCoupon.
	PlanRelease(ctx context.Context, instanceID, couponID string) (CouponRelease, error)
	// ReleaseCoupon frees a redeemed coupon from the device it is locked
	// to, so the guest can log in from another device during the rest of
	// the session; the first device to log in next is locked instead.
	// Releasing twice is fine. ENotFound; EConflict for a coupon that is
	// unused, revoked or whose session ended.
	ReleaseCoupon(ctx context.Context, instanceID, couponID string) (Coupon, error)
}
