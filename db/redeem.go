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

var _ app.PortalStore = (*DB)(nil)

// Redeem uses a coupon for a guest's device in one transaction. Two
// guests submitting the same code at once are serialized by the single
// writer: exactly one redeems it, the other is told it is used. Errors:
// EInvalid with app.ReasonCoupon* reasons (nothing changes), ENotFound for
// an unknown instance.
func (db *DB) Redeem(ctx context.Context, req app.RedeemRequest) (app.Redemption, error) {
	var out app.Redemption
	err := db.write(ctx, "redeem coupon", func(tx *sql.Tx, _ time.Time) error {
		red, err := redeemable(ctx, tx, req)
		if err == nil && red.MovedFrom != "" {
			err = moveDevice(ctx, tx, &red, req)
			out = red
			return err
		}
		if err == nil && red.Resumed && red.Coupon.ReleasedAt != nil && red.Coupon.RedeemedMAC == "" {
			// A coupon the desk freed: this device is the guest's new one.
			red.Coupon.RedeemedMAC, red.Coupon.ReleasedAt = strings.ToUpper(req.MAC), nil
			_, err = tx.ExecContext(ctx, `UPDATE coupons SET redeemed_mac = ?, released_at = NULL WHERE id = ?`,
				red.Coupon.RedeemedMAC, red.Coupon.ID)
		}
		if err != nil || red.Resumed {
			out = red
			return err
		}
		c := red.Coupon
		var site sql.NullString
		if id, ok := canonicalID(req.SiteID); ok {
			site = sql.NullString{String: id, Valid: true}
		}
		res, err := tx.ExecContext(ctx, `UPDATE coupons SET redeemed_at = ?, redeemed_site_id = ?, redeemed_mac = ?
			WHERE id = ? AND redeemed_at IS NULL AND revoked_at IS NULL`, micros(req.At), site, strings.ToUpper(req.MAC), c.ID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return refuse(app.ReasonCouponUsed, "this code has already been used")
		}
		at := req.At.UTC().Truncate(time.Microsecond)
		c.RedeemedAt = &at
		out = app.Redemption{Coupon: c, SessionEnds: red.SessionEnds}
		return nil
	})
	return out, err
}

// CheckRedeem says what Redeem would do now, changing nothing: the
// redemption (SessionEnds counted from req.At for an unused coupon) or the
// same errors.
func (db *DB) CheckRedeem(ctx context.Context, req app.RedeemRequest) (app.Redemption, error) {
	var out app.Redemption
	err := db.read(ctx, "check coupon", func(tx *sql.Tx) error {
		var err error
		out, err = redeemable(ctx, tx, req)
		return err
	})
	return out, err
}

// redeemable finds the coupon of a redeem request and decides: usable
// (SessionEnds from req.At), resumed (the same device during its session,
// any device once the desk freed the coupon from its old one, or another
// device of a plan for several), or refused with a reason.
func redeemable(ctx context.Context, tx *sql.Tx, req app.RedeemRequest) (app.Redemption, error) {
	in, err := getInstance(ctx, tx, req.InstanceID)
	if err != nil {
		return app.Redemption{}, err
	}
	ttl := time.Duration(in.SessionTTL) * time.Second
	code := app.NormalizeCouponCode(req.Code)
	list, err := queryCoupons(ctx, tx, `SELECT `+couponColumns+` FROM coupons WHERE instance_id = ? AND code = ?`, in.ID, code)
	if err != nil {
		return app.Redemption{}, err
	}
	if code == "" || len(list) == 0 {
		return app.Redemption{}, refuse(app.ReasonCouponUnknown, "this code is not known")
	}
	c := list[0]
	mac := strings.ToUpper(req.MAC)
	switch c.Status(req.At) {
	case app.CouponRevoked:
		return app.Redemption{}, refuse(app.ReasonCouponRevoked, "this code has been withdrawn")
	case app.CouponExpired:
		return app.Redemption{}, refuse(app.ReasonCouponExpired, "this code has expired")
	case app.CouponRedeemed:
		if c.UsedUpAt != nil {
			return app.Redemption{}, refuse(app.ReasonCouponUsedUp, "this code's data allowance is used up")
		}
		ends := c.SessionEnd(ttl)
		released := c.ReleasedAt != nil && c.RedeemedMAC == ""
		shared, err := sharedCoupon(ctx, tx, c)
		if err != nil {
			return app.Redemption{}, err
		}
		if mac != "" && (c.RedeemedMAC == mac || released || shared) && req.At.Before(ends) {
			return app.Redemption{Coupon: c, SessionEnds: ends, Resumed: true}, nil
		}
		if mac != "" && c.RedeemedMAC != "" && req.MovesPerDay > 0 && req.At.Before(ends) {
			return movable(ctx, tx, c, ends, req)
		}
		return app.Redemption{}, refuse(app.ReasonCouponUsed, "this code has already been used")
	}
	return app.Redemption{Coupon: c, SessionEnds: req.At.UTC().Truncate(time.Microsecond).Add(c.SessionLength(ttl))}, nil
}

// movable decides a code of one device typed on another while its session
// runs: it moves, unless it moved req.MovesPerDay times in the last 24
// hours.
func movable(ctx context.Context, tx *sql.Tx, c app.Coupon, ends time.Time, req app.RedeemRequest) (app.Redemption, error) {
	var moves int
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM device_moves WHERE coupon_id = ? AND at > ?`,
		c.ID, micros(req.At.Add(-24*time.Hour))).Scan(&moves)
	if err != nil {
		return app.Redemption{}, err
	}
	if moves >= req.MovesPerDay {
		return app.Redemption{}, refuse(app.ReasonCouponMovesUsed, fmt.Sprintf(
			"this code moved to a new device %d times in the last 24 hours; the front desk can free it", moves))
	}
	return app.Redemption{Coupon: c, SessionEnds: ends, Resumed: true, MovedFrom: c.RedeemedMAC}, nil
}

// moveDevice locks a coupon to the new device and records the move.
func moveDevice(ctx context.Context, tx *sql.Tx, red *app.Redemption, req app.RedeemRequest) error {
	mac := strings.ToUpper(req.MAC)
	res, err := tx.ExecContext(ctx, `UPDATE coupons SET redeemed_mac = ? WHERE id = ? AND redeemed_mac = ?`,
		mac, red.Coupon.ID, red.MovedFrom)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return refuse(app.ReasonCouponUsed, "this code has already been used")
	}
	site, _ := canonicalID(req.SiteID)
	if _, err := tx.ExecContext(ctx, `INSERT INTO device_moves (coupon_id, at, from_mac, to_mac, site_id) VALUES (?, ?, ?, ?, ?)`,
		red.Coupon.ID, micros(req.At), red.MovedFrom, mac, site); err != nil {
		return err
	}
	red.Coupon.RedeemedMAC = mac
	return nil
}

// sharedCoupon reports whether a coupon's plan lets several devices use
// it at once (the router counts them: shared-users).
func sharedCoupon(ctx context.Context, tx *sql.Tx, c app.Coupon) (bool, error) {
	if c.PlanID == "" {
		return false, nil
	}
	var devices int
	err := tx.QueryRowContext(ctx, `SELECT devices FROM plans WHERE id = ?`, c.PlanID).Scan(&devices)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return devices > 1, err
}

func refuse(reason, msg string) error {
	return &app.Error{Code: app.EInvalid, Reason: reason, Param: "code", Message: msg}
}

// ActiveRedemption finds the coupon a device is using on an instance
// whose session is still running at now. ENotFound when there is none.
func (db *DB) ActiveRedemption(ctx context.Context, instanceID, mac string, now time.Time) (app.Redemption, error) {
	var out app.Redemption
	err := db.read(ctx, "find active redemption", func(tx *sql.Tx) error {
		iid, ok := canonicalID(instanceID)
		if !ok || mac == "" {
			return app.NotFound("session", mac)
		}
		var ttl int
		err := tx.QueryRowContext(ctx, `SELECT session_ttl FROM instances WHERE id = ?`, iid).Scan(&ttl)
		if errors.Is(err, sql.ErrNoRows) {
			return app.NotFound("instance", instanceID)
		}
		if err != nil {
			return err
		}
		list, err := queryCoupons(ctx, tx, `SELECT `+couponColumns+` FROM coupons
			WHERE instance_id = ? AND redeemed_mac = ? AND revoked_at IS NULL AND used_up_at IS NULL
			AND redeemed_at + (COALESCE(session_seconds, ?) + extra_seconds) * 1000000 > ?
			ORDER BY redeemed_at DESC LIMIT 1`, iid, strings.ToUpper(mac), ttl, micros(now))
		if err != nil {
			return err
		}
		if len(list) == 0 {
			return app.NotFound("session", mac)
		}
		out = app.Redemption{Coupon: list[0], SessionEnds: list[0].SessionEnd(time.Duration(ttl) * time.Second)}
		return nil
	})
	return out, err
}
