package app

import (
	"context"
	"time"
)

// Reasons a guest's coupon is refused at the portal. They are EInvalid
// errors; the portal turns them into a message in the guest's language.
const (
	ReasonCouponUnknown = "coupon_unknown"
	ReasonCouponExpired = "coupon_expired"
	ReasonCouponUsed    = "coupon_used"
	ReasonCouponRevoked = "coupon_revoked"
	// ReasonCouponUsedUp: the code's data allowance is used up.
	ReasonCouponUsedUp = "coupon_used_up"
	// ReasonCouponMovesUsed: the code moved to new devices as often as a
	// day allows.
	ReasonCouponMovesUsed = "coupon_moves_used"
)

// DefaultDeviceMoves is how many times a day a code of one device may move
// to another ([portal] device_moves_per_day).
const DefaultDeviceMoves = 3

// DeviceMove is a code moving from one device to another at the portal: a
// phone that changed its private MAC address, a guest's second browser.
type DeviceMove struct {
	CouponID string
	At       time.Time
	FromMAC  string
	ToMAC    string
	SiteID   string
}

// Redemption is a coupon in use by a guest's device.
type Redemption struct {
	Coupon      Coupon
	SessionEnds time.Time
	// Resumed is true when the same device had already redeemed the coupon
	// and its session is still running: it is let back on.
	Resumed bool
	// MovedFrom is the device the code moves away from ("" when it does
	// not move): a code of one device, in use, typed on another device,
	// with time and data left. Redeem moves the lock to the new device;
	// the old device's session is to be ended.
	MovedFrom string
}

// Remaining is how much of the session is left at now.
func (r Redemption) Remaining(now time.Time) time.Duration {
	return max(r.SessionEnds.Sub(now), 0)
}

// RedeemRequest is a guest's attempt to use a code at the portal.
type RedeemRequest struct {
	InstanceID string
	Code       string // as typed; normalized by the store
	SiteID     string // "" when unknown
	MAC        string // "" when unknown
	At         time.Time
	// MovesPerDay is how many times in 24 hours a code of one device may
	// move to another; 0 means never.
	MovesPerDay int
}

// PortalStore is what the guest portal needs of the database.
type PortalStore interface {
	// Redeem uses a coupon in one transaction: a valid code is marked
	// redeemed by this device; the same device may come back during its
	// session (Resumed), and a code of one device moves to another
	// (MovedFrom, the move recorded) at most req.MovesPerDay times in 24
	// hours. Errors: EInvalid with ReasonCouponUnknown,
	// ReasonCouponExpired, ReasonCouponUsed, ReasonCouponRevoked,
	// ReasonCouponUsedUp or ReasonCouponMovesUsed, and nothing changes;
	// ENotFound for an unknown instance.
	Redeem(ctx context.Context, req RedeemRequest) (Redemption, error)
	// CheckRedeem says what Redeem would do now and changes nothing, so
	// the router can be asked to let the device on before the code is
	// spent. Same errors as Redeem.
	CheckRedeem(ctx context.Context, req RedeemRequest) (Redemption, error)
	// ActiveRedemption finds the running session of a device on an
	// instance; ENotFound when there is none.
	ActiveRedemption(ctx context.Context, instanceID, mac string, now time.Time) (Redemption, error)
}
