package db

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"gatehouse/app"
)

// maxCouponSearch bounds the search text of a coupon listing.
const maxCouponSearch = 200

// FindCoupons returns an instance's coupons in q.Status whose code or note
// contains q.Search (all when empty), oldest first, each redeemed one
// with its session end. ENotFound for an unknown instance; EInvalid for an
// unknown status or an over-long search.
func (db *DB) FindCoupons(ctx context.Context, instanceID string, q app.CouponQuery) ([]app.Coupon, error) {
	where, args, err := couponFilter(q.Status, time.Now())
	if err != nil {
		return nil, err
	}
	search := strings.TrimSpace(q.Search)
	if len([]rune(search)) > maxCouponSearch {
		return nil, app.Invalid("q", app.ReasonParameterInvalid, "q must be at most %d characters", maxCouponSearch)
	}
	if search != "" {
		where += ` AND (code LIKE ? ESCAPE '\' OR note LIKE ? ESCAPE '\')`
		args = append(args, likeContains(app.NormalizeCouponCode(search)), likeContains(search))
	}
	if q.PlanID != "" {
		id, _ := canonicalID(q.PlanID) // "" for a malformed id: matches nothing
		where += ` AND plan_id = ?`
		args = append(args, id)
	}
	out := []app.Coupon{}
	err = db.read(ctx, "list coupons", func(tx *sql.Tx) error {
		iid, err := requireInstance(ctx, tx, instanceID)
		if err != nil {
			return err
		}
		ttl, err := instanceTTL(ctx, tx, iid)
		if err != nil {
			return err
		}
		out, err = queryCoupons(ctx, tx, `SELECT `+couponColumns+` FROM coupons
			WHERE instance_id = ? AND `+where+` ORDER BY created_at, id`, append([]any{iid}, args...)...)
		for i := range out {
			setSessionEnd(&out[i], ttl)
		}
		return err
	})
	return out, err
}

// likeContains is a LIKE pattern matching text anywhere, with LIKE's own
// wildcards in text escaped.
func likeContains(text string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(text) + "%"
}

// setSessionEnd fills in a redeemed coupon's SessionEnds.
func setSessionEnd(c *app.Coupon, ttl time.Duration) {
	if c.RedeemedAt != nil {
		end := c.SessionEnd(ttl)
		c.SessionEnds = &end
	}
}

// instanceTTL reads an instance's session length.
func instanceTTL(ctx context.Context, tx *sql.Tx, instanceID string) (time.Duration, error) {
	var ttl int
	err := tx.QueryRowContext(ctx, `SELECT session_ttl FROM instances WHERE id = ?`, instanceID).Scan(&ttl)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, app.NotFound("instance", instanceID)
	}
	return time.Duration(ttl) * time.Second, err
}

// getCoupon loads one coupon of an instance with its session end.
// ENotFound when the instance has no such coupon.
func getCoupon(ctx context.Context, tx *sql.Tx, instanceID, couponID string) (app.Coupon, time.Duration, error) {
	iid, ok1 := canonicalID(instanceID)
	cid, ok2 := canonicalID(couponID)
	if !ok1 || !ok2 {
		return app.Coupon{}, 0, app.NotFound("coupon", couponID)
	}
	list, err := queryCoupons(ctx, tx, `SELECT `+couponColumns+` FROM coupons WHERE id = ? AND instance_id = ?`, cid, iid)
	if err != nil {
		return app.Coupon{}, 0, err
	}
	if len(list) == 0 {
		return app.Coupon{}, 0, app.NotFound("coupon", couponID)
	}
	ttl, err := instanceTTL(ctx, tx, iid)
	setSessionEnd(&list[0], ttl)
	return list[0], ttl, err
}

// SetCouponNote replaces a coupon's note, trimmed; "" clears it.
// ENotFound; EInvalid (param note) for a bad note.
func (db *DB) SetCouponNote(ctx context.Context, instanceID, couponID, note string) (app.Coupon, error) {
	note, err := app.CheckCouponNote(note)
	if err != nil {
		return app.Coupon{}, err
	}
	var c app.Coupon
	err = db.write(ctx, "set coupon note", func(tx *sql.Tx, _ time.Time) error {
		if c, _, err = getCoupon(ctx, tx, instanceID, couponID); err != nil {
			return err
		}
		c.Note = note
		_, err := tx.ExecContext(ctx, `UPDATE coupons SET note = ? WHERE id = ?`, note, c.ID)
		return err
	})
	return c, err
}

// deskConflict is a desk action refused because of the coupon's state.
func deskConflict(key string, pairs ...string) error {
	return app.Refusal(app.EConflict, app.ReasonResourceConflict, app.T(key, pairs...))
}

// ExtendCoupon gives a coupon by more time. An unused coupon can be
// redeemed by longer (an expired one for by from now: it works again); a
// redeemed coupon's session lasts by longer, as do the records of its
// guests online. ENotFound; EInvalid for by outside 1 minute to
// MaxExtendMinutes; EConflict for a revoked coupon or an ended session.
func (db *DB) ExtendCoupon(ctx context.Context, instanceID, couponID string, by time.Duration) (app.Coupon, error) {
	if err := app.CheckExtendMinutes(int(by / time.Minute)); err != nil {
		return app.Coupon{}, err
	}
	var c app.Coupon
	err := db.write(ctx, "extend coupon", func(tx *sql.Tx, now time.Time) error {
		var (
			ttl time.Duration
			err error
		)
		if c, ttl, err = getCoupon(ctx, tx, instanceID, couponID); err != nil {
			return err
		}
		switch c.Status(now) {
		case app.CouponRevoked:
			return deskConflict("refusal.extend_revoked", "code", c.Code)
		case app.CouponValid, app.CouponExpired:
			c.ExpiresAt = later(c.ExpiresAt, now).Add(by)
			_, err = tx.ExecContext(ctx, `UPDATE coupons SET expires_at = ? WHERE id = ?`, micros(c.ExpiresAt), c.ID)
			return err
		}
		if !c.SessionEnd(ttl).After(now) {
			return deskConflict("refusal.extend_ended", "code", c.Code, "at", c.SessionEnd(ttl).UTC().Format(time.RFC3339))
		}
		c.Extra += by
		setSessionEnd(&c, ttl)
		if _, err := tx.ExecContext(ctx, `UPDATE coupons SET extra_seconds = ? WHERE id = ?`, int64(c.Extra/time.Second), c.ID); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE site_users SET expires_at = ?, updated_at = ? WHERE coupon_id = ? AND active = 1`,
			micros(*c.SessionEnds), micros(now), c.ID)
		return err
	})
	return c, err
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// PlanRelease says what ReleaseCoupon would free, changing nothing.
// Errors as ReleaseCoupon.
func (db *DB) PlanRelease(ctx context.Context, instanceID, couponID string) (app.CouponRelease, error) {
	var out app.CouponRelease
	err := db.read(ctx, "plan coupon release", func(tx *sql.Tx) error {
		c, err := releasable(ctx, tx, instanceID, couponID, time.Now())
		if err != nil {
			return err
		}
		out = app.CouponRelease{Coupon: c, OldMAC: c.RedeemedMAC}
		var site sql.NullString
		if err := tx.QueryRowContext(ctx, `SELECT redeemed_site_id FROM coupons WHERE id = ?`, c.ID).Scan(&site); err != nil {
			return err
		}
		out.SiteID = site.String
		out.Sessions, err = querySiteUsers(ctx, tx, `SELECT `+siteUserColumns+` FROM site_users
			WHERE coupon_id = ? AND active = 1 ORDER BY created_at, id`, c.ID)
		return err
	})
	return out, err
}

// ReleaseCoupon frees a redeemed coupon from its device: redeemed_mac is
// cleared (routers then let any device log in with it, one at a time) and
// released_at set, so the next device to log in is locked instead.
// ENotFound; EConflict for a coupon that is unused, revoked or whose
// session ended.
func (db *DB) ReleaseCoupon(ctx context.Context, instanceID, couponID string) (app.Coupon, error) {
	var c app.Coupon
	err := db.write(ctx, "release coupon", func(tx *sql.Tx, now time.Time) error {
		var err error
		if c, err = releasable(ctx, tx, instanceID, couponID, now); err != nil {
			return err
		}
		c.RedeemedMAC = ""
		at := now.UTC().Truncate(time.Microsecond)
		c.ReleasedAt = &at
		_, err = tx.ExecContext(ctx, `UPDATE coupons SET redeemed_mac = '', released_at = ? WHERE id = ?`, micros(now), c.ID)
		return err
	})
	return c, err
}

// releasable loads a coupon that can be freed from its device at now.
func releasable(ctx context.Context, tx *sql.Tx, instanceID, couponID string, now time.Time) (app.Coupon, error) {
	c, ttl, err := getCoupon(ctx, tx, instanceID, couponID)
	if err != nil {
		return c, err
	}
	switch c.Status(now) {
	case app.CouponRevoked:
		return c, deskConflict("refusal.release_revoked", "code", c.Code)
	case app.CouponValid, app.CouponExpired:
		return c, deskConflict("refusal.release_unused", "code", c.Code)
	}
	if !c.SessionEnd(ttl).After(now) {
		return c, deskConflict("refusal.release_ended", "code", c.Code)
	}
	return c, nil
}
