package db

import (
	"context"
	"database/sql"
	"time"

	"gatehouse/app"
)

// EraseGuest implements app.GuestStore: the person's rows found as
// FindGuest finds them are anonymized in one transaction. A person online,
// or whose code's session still runs (its user is locked to the device),
// is refused: the session ends first.
func (db *DB) EraseGuest(ctx context.Context, q app.GuestQuery, now time.Time) (int, error) {
	rec, err := db.FindGuest(ctx, q)
	if err != nil {
		return 0, err
	}
	a, err := db.anonymizer(ctx)
	if err != nil {
		return 0, err
	}
	var n int64
	err = db.write(ctx, "erase guest", func(tx *sql.Tx, _ time.Time) error {
		for _, u := range rec.SiteUsers {
			if u.Active {
				return app.Errorf(app.EConflict, "this guest is online at a site now; disconnect the session first")
			}
		}
		for _, g := range rec.OAuth {
			if g.EndsAt.After(now) {
				return app.Errorf(app.EConflict, "this guest's sign-in session runs until %s; erase after it ends", g.EndsAt.UTC().Format(time.RFC3339))
			}
		}
		for _, c := range rec.Coupons {
			var running bool
			err := tx.QueryRowContext(ctx, `SELECT count(*) > 0 FROM coupons c JOIN instances i ON i.id = c.instance_id
				WHERE c.id = ? AND c.revoked_at IS NULL AND c.used_up_at IS NULL AND c.redeemed_at IS NOT NULL
				AND c.redeemed_at + (`+couponSessionSeconds+`) * 1000000 > ?`, c.ID, micros(now)).Scan(&running)
			if err != nil {
				return err
			}
			if running {
				return app.Errorf(app.EConflict, "code %s of this guest is in use until its session ends; revoke it first", c.Code)
			}
		}
		for _, u := range rec.SiteUsers {
			k, err := anonymizeSiteUser(ctx, tx, a, u.ID, now)
			if err != nil {
				return err
			}
			n += k
		}
		for _, c := range rec.Coupons {
			k, err := affected(tx.ExecContext(ctx, `UPDATE coupons SET redeemed_mac = ? WHERE id = ?`, a.mac(c.MACAddress), c.ID))
			if err != nil {
				return err
			}
			n += k
		}
		for _, m := range rec.DeviceMoves {
			k, err := affected(tx.ExecContext(ctx, `UPDATE device_moves SET from_mac = ?, to_mac = ?
				WHERE coupon_id = ? AND at = ?`, a.mac(m.FromMAC), a.mac(m.ToMAC), m.CouponID, micros(m.At)))
			if err != nil {
				return err
			}
			n += k
		}
		for _, c := range rec.Consents {
			k, err := anonymizeConsent(ctx, tx, a, c.ID, c.MACAddress, c.Identity, now)
			if err != nil {
				return err
			}
			n += k
		}
		return nil
	})
	return int(n), err
}

// anonymizeSiteUser hashes a site user's MAC, IP and identity, and its
// OAuth2 guest's subject and MAC.
func anonymizeSiteUser(ctx context.Context, tx *sql.Tx, a anonymizer, id string, now time.Time) (int64, error) {
	var mac, ip, identity string
	err := tx.QueryRowContext(ctx, `SELECT mac_address, ip_address, identity FROM site_users WHERE id = ?`, id).Scan(&mac, &ip, &identity)
	if err != nil {
		return 0, err
	}
	n, err := affected(tx.ExecContext(ctx, `UPDATE site_users SET mac_address = ?, ip_address = ?, identity = ?,
		anonymized_at = COALESCE(anonymized_at, ?) WHERE id = ?`, a.mac(mac), a.hash(ip), a.identity(identity), micros(now), id))
	if err != nil {
		return 0, err
	}
	var subject, gmac string
	err = tx.QueryRowContext(ctx, `SELECT subject, mac_address FROM oauth_guests WHERE site_user_id = ?`, id).Scan(&subject, &gmac)
	if err == sql.ErrNoRows {
		return n, nil
	}
	if err != nil {
		return 0, err
	}
	k, err := affected(tx.ExecContext(ctx, `UPDATE oauth_guests SET subject = ?, mac_address = ? WHERE site_user_id = ?`,
		a.hash(subject), a.mac(gmac), id))
	return n + k, err
}

// anonymizeConsent hashes a consent's MAC and identity.
func anonymizeConsent(ctx context.Context, tx *sql.Tx, a anonymizer, id, mac, identity string, now time.Time) (int64, error) {
	return affected(tx.ExecContext(ctx, `UPDATE consents SET mac_address = ?, identity = ?,
		anonymized_at = COALESCE(anonymized_at, ?) WHERE id = ?`, a.mac(mac), a.identity(identity), micros(now), id))
}

// AnonymizeGuests implements app.GuestStore: site users whose session
// ended before before (and their OAuth2 guests), the MACs of coupons whose
// session ended before it, device moves and consents made before it; and
// sign-in attempts made before attemptsBefore are deleted.
func (db *DB) AnonymizeGuests(ctx context.Context, before, attemptsBefore time.Time) (int, error) {
	a, err := db.anonymizer(ctx)
	if err != nil {
		return 0, err
	}
	var n int64
	err = db.write(ctx, "anonymize guests", func(tx *sql.Tx, now time.Time) error {
		users, err := queryAll(ctx, tx, `SELECT id FROM site_users WHERE anonymized_at IS NULL AND active = 0
			AND COALESCE(logout_at, updated_at) < ?`, func(sc scanner) (string, error) {
			var id string
			return id, sc.Scan(&id)
		}, micros(before))
		if err != nil {
			return err
		}
		for _, id := range users {
			k, err := anonymizeSiteUser(ctx, tx, a, id, now)
			if err != nil {
				return err
			}
			n += k
		}
		type lock struct{ id, mac string }
		coupons, err := queryAll(ctx, tx, `SELECT c.id, c.redeemed_mac FROM coupons c JOIN instances i ON i.id = c.instance_id
			WHERE c.redeemed_mac != '' AND c.redeemed_mac NOT LIKE 'anon:%'
			AND COALESCE(c.revoked_at, c.used_up_at, c.redeemed_at + (`+couponSessionSeconds+`) * 1000000) < ?`,
			func(sc scanner) (lock, error) {
				var l lock
				return l, sc.Scan(&l.id, &l.mac)
			}, micros(before))
		if err != nil {
			return err
		}
		for _, c := range coupons {
			k, err := affected(tx.ExecContext(ctx, `UPDATE coupons SET redeemed_mac = ? WHERE id = ?`, a.mac(c.mac), c.id))
			if err != nil {
				return err
			}
			n += k
		}
		k, err := anonymizeOld(ctx, tx, a, before, now)
		if err != nil {
			return err
		}
		n += k
		k, err = affected(tx.ExecContext(ctx, `DELETE FROM oauth_attempts WHERE created_at < ?`, micros(attemptsBefore)))
		n += k
		return err
	})
	return int(n), err
}

// anonymizeOld hashes the MACs of device moves and the MACs and
// identities of consents made before before.
func anonymizeOld(ctx context.Context, tx *sql.Tx, a anonymizer, before, now time.Time) (int64, error) {
	var n int64
	type move struct {
		rowid    int64
		from, to string
	}
	moves, err := queryAll(ctx, tx, `SELECT rowid, from_mac, to_mac FROM device_moves WHERE at < ?
		AND (from_mac NOT LIKE 'anon:%' OR to_mac NOT LIKE 'anon:%')`, func(sc scanner) (move, error) {
		var m move
		return m, sc.Scan(&m.rowid, &m.from, &m.to)
	}, micros(before))
	if err != nil {
		return 0, err
	}
	for _, m := range moves {
		k, err := affected(tx.ExecContext(ctx, `UPDATE device_moves SET from_mac = ?, to_mac = ? WHERE rowid = ?`,
			a.mac(m.from), a.mac(m.to), m.rowid))
		if err != nil {
			return 0, err
		}
		n += k
	}
	type consent struct{ id, mac, identity string }
	consents, err := queryAll(ctx, tx, `SELECT id, mac_address, identity FROM consents WHERE anonymized_at IS NULL AND at < ?`,
		func(sc scanner) (consent, error) {
			var c consent
			return c, sc.Scan(&c.id, &c.mac, &c.identity)
		}, micros(before))
	if err != nil {
		return 0, err
	}
	for _, c := range consents {
		k, err := anonymizeConsent(ctx, tx, a, c.id, c.mac, c.identity, now)
		if err != nil {
			return 0, err
		}
		n += k
	}
	return n, nil
}
