package app

import "context"

// MaxCouponCards is the most coupons one request for printable cards may
// name.
const MaxCouponCards = 500

// CheckCouponIDs validates the coupon ids of a card request: 1 to
// MaxCouponCards of them. Whether they exist is the store's to check.
func CheckCouponIDs(ids []string) error {
	if len(ids) < 1 || len(ids) > MaxCouponCards {
		return Invalid("coupon_ids", ReasonParameterInvalid, "coupon_ids must list between 1 and %d coupons", MaxCouponCards)
	}
	return nil
}

// CouponCardStore reads the coupons to print on cards.
type CouponCardStore interface {
	// CouponsByID returns coupons of an instance in the order of ids; an
	// id given twice is returned once, where it first appears. ENotFound
	// for an unknown instance; EInvalid (param coupon_ids) saying how
	// many ids are not coupons of the instance.
	CouponsByID(ctx context.Context, instanceID string, ids []string) ([]Coupon, error)
	// RunCoupons returns the coupons a schedule run of the instance made,
	// oldest first. ENotFound for an unknown instance, or a run that is
	// neither stored for one of the instance's schedules nor named by any
	// of its coupons (a deleted schedule keeps its coupons).
	RunCoupons(ctx context.Context, instanceID, runID string) ([]Coupon, error)
}
