package db

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"gatehouse/app"
)

var _ app.SiteUserStore = (*DB)(nil)

const siteUserColumns = `id, site_id, instance_id, coupon_id, username, identity, ip_address, mac_address,
	login_at, expires_at, logout_at, active, bytes_in, bytes_out,
	(SELECT max(0, c.data_limit_mb * 1000000 - c.bytes_in - c.bytes_out) / 1000000 FROM coupons c
		WHERE c.id = site_users.coupon_id AND c.data_limit_mb IS NOT NULL)`

// RecordSessions records what a site's router reports in
// /ip/hotspot/active at now, in one transaction: the first session of a
// coupon redeems it (redeemed_at is the session's login time, and the
// device's MAC is kept so the router user can be locked to it); every
// session of a gatehouse coupon is a site user whose counters follow; site
// users whose session is gone are logged out, and the number of guests
// online is kept in the site's five-minute sample (the most seen). It
// returns the coupons it redeemed. ENotFound for an unknown site.
func (db *DB) RecordSessions(ctx context.Context, siteID string, sessions []app.HotspotSession, now time.Time) ([]string, error) {
	var redeemed []string
	err := db.write(ctx, "record sessions", func(tx *sql.Tx, _ time.Time) error {
		site, err := db.getSite(ctx, tx, siteID)
		if err != nil {
			return err
		}
		seen := map[string]bool{}
		for _, s := range sessions {
			id, newly, err := recordSession(ctx, tx, site.ID, s, now)
			if err != nil {
				return err
			}
			if id != "" {
				seen[id] = true
			}
			if newly != "" {
				redeemed = append(redeemed, newly)
			}
		}
		if err := sampleOnline(ctx, tx, site.ID, len(seen), now); err != nil {
			return err
		}
		return logoutMissing(ctx, tx, site.ID, seen, now)
	})
	return redeemed, err
}

// recordSession records one router session; it returns the site user's id
// ("" when the session is neither a gatehouse coupon's nor an OAuth2
// guest's) and the coupon id if this session redeemed it.
func recordSession(ctx context.Context, tx *sql.Tx, siteID string, s app.HotspotSession, now time.Time) (string, string, error) {
	var (
		couponID, instanceID, mac string
		ttl, extra                int
		redeemedAt, releasedAt    sql.NullInt64
	)
	err := tx.QueryRowContext(ctx, `SELECT c.id, c.instance_id, COALESCE(c.session_seconds, i.session_ttl), c.redeemed_at, c.extra_seconds,
		c.redeemed_mac, c.released_at FROM coupons c
		JOIN instances i ON i.id = c.instance_id
		JOIN instance_sites x ON x.instance_id = i.id AND x.site_id = ?
		WHERE c.code = ? AND c.revoked_at IS NULL`, siteID, s.User).Scan(&couponID, &instanceID, &ttl, &redeemedAt, &extra, &mac, &releasedAt)
	if errors.Is(err, sql.ErrNoRows) {
		id, err := recordOAuthSession(ctx, tx, siteID, s, now) // "" for someone else's hotspot user
		return id, "", err
	}
	if err != nil {
		return "", "", err
	}
	loginAt := now.Add(-s.Uptime)
	newly := ""
	if !redeemedAt.Valid {
		_, err := tx.ExecContext(ctx, `UPDATE coupons SET redeemed_at = ?, redeemed_site_id = ?, redeemed_mac = ?
			WHERE id = ? AND redeemed_at IS NULL`, micros(loginAt), siteID, s.MACAddress, couponID)
		if err != nil {
			return "", "", err
		}
		redeemedAt = sql.NullInt64{Int64: micros(loginAt), Valid: true}
		newly = couponID
	} else if releasedAt.Valid && mac == "" && s.MACAddress != "" {
		// The desk freed the coupon from its device: lock it to this one.
		_, err := tx.ExecContext(ctx, `UPDATE coupons SET redeemed_mac = ?, released_at = NULL
			WHERE id = ? AND redeemed_mac = ''`, s.MACAddress, couponID)
		if err != nil {
			return "", "", err
		}
	}
	expires := fromMicros(redeemedAt.Int64).Add(time.Duration(ttl+extra) * time.Second)

	var id string
	err = tx.QueryRowContext(ctx, `SELECT id FROM site_users WHERE site_id = ? AND active = 1
		AND username = ? AND mac_address = ?`, siteID, s.User, s.MACAddress).Scan(&id)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if id, err = newID(); err != nil {
			return "", "", err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO site_users (id, site_id, instance_id, coupon_id, username,
			ip_address, mac_address, router_session, login_at, expires_at, active, bytes_in, bytes_out, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)`,
			id, siteID, instanceID, couponID, s.User, s.Address, s.MACAddress, s.RouterID,
			micros(loginAt), micros(expires), s.BytesIn, s.BytesOut, micros(now), micros(now))
	case err == nil:
		_, err = tx.ExecContext(ctx, `UPDATE site_users SET ip_address = ?, router_session = ?, bytes_in = ?,
			bytes_out = ?, updated_at = ? WHERE id = ?`, s.Address, s.RouterID, s.BytesIn, s.BytesOut, micros(now), id)
	}
	return id, newly, err
}

// logoutMissing ends the site users of a site whose session is gone.
func logoutMissing(ctx context.Context, tx *sql.Tx, siteID string, seen map[string]bool, now time.Time) error {
	var gone []string
	err := queryEach(ctx, tx, `SELECT id FROM site_users WHERE site_id = ? AND active = 1`, func(sc scanner) error {
		var id string
		if err := sc.Scan(&id); err != nil {
			return err
		}
		if !seen[id] {
			gone = append(gone, id)
		}
		return nil
	}, siteID)
	if err != nil {
		return err
	}
	for _, id := range gone {
		if err := endSiteUser(ctx, tx, id, now); err != nil {
			return err
		}
	}
	return nil
}

func endSiteUser(ctx context.Context, tx *sql.Tx, id string, now time.Time) error {
	_, err := tx.ExecContext(ctx, `UPDATE site_users SET active = 0, logout_at = ?, router_session = '',
		updated_at = ? WHERE id = ? AND active = 1`, micros(now), micros(now), id)
	return err
}

// EndSiteUser marks a site user logged out (after a disconnect); ending
// one that already ended is fine. ENotFound when the site has no such user.
func (db *DB) EndSiteUser(ctx context.Context, siteID, id string) error {
	return db.write(ctx, "end site user", func(tx *sql.Tx, now time.Time) error {
		u, err := getSiteUser(ctx, tx, siteID, id)
		if err != nil {
			return err
		}
		return endSiteUser(ctx, tx, u.ID, now)
	})
}

// ListSiteUsers returns a site's users, newest first; activeOnly keeps
// those with a session. ENotFound for an unknown site.
func (db *DB) ListSiteUsers(ctx context.Context, siteID string, activeOnly bool) ([]app.SiteUser, error) {
	var out []app.SiteUser
	err := db.read(ctx, "list site users", func(tx *sql.Tx) error {
		site, err := db.getSite(ctx, tx, siteID)
		if err != nil {
			return err
		}
		where := `site_id = ?`
		if activeOnly {
			where += ` AND active = 1`
		}
		out, err = querySiteUsers(ctx, tx, `SELECT `+siteUserColumns+` FROM site_users WHERE `+where+`
			ORDER BY created_at DESC, id DESC LIMIT 1000`, site.ID)
		return err
	})
	return out, err
}

// SiteUser returns one user of a site. ENotFound.
func (db *DB) SiteUser(ctx context.Context, siteID, id string) (app.SiteUser, error) {
	var u app.SiteUser
	err := db.read(ctx, "get site user", func(tx *sql.Tx) (err error) {
		u, err = getSiteUser(ctx, tx, siteID, id)
		return err
	})
	return u, err
}

func getSiteUser(ctx context.Context, tx *sql.Tx, siteID, id string) (app.SiteUser, error) {
	sid, ok1 := canonicalID(siteID)
	uid, ok2 := canonicalID(id)
	if !ok1 || !ok2 {
		return app.SiteUser{}, app.NotFound("site user", id)
	}
	list, err := querySiteUsers(ctx, tx, `SELECT `+siteUserColumns+` FROM site_users WHERE site_id = ? AND id = ?`, sid, uid)
	if err != nil {
		return app.SiteUser{}, err
	}
	if len(list) == 0 {
		return app.SiteUser{}, app.NotFound("site user", id)
	}
	return list[0], nil
}

// querySiteUsers runs a SELECT of siteUserColumns and adds to each user
// the device moves of its coupon.
func querySiteUsers(ctx context.Context, tx *sql.Tx, query string, args ...any) ([]app.SiteUser, error) {
	users, err := queryAll(ctx, tx, query, scanSiteUser, args...)
	if err != nil {
		return nil, err
	}
	byCoupon := map[string][]int{}
	var ids []any
	for i, u := range users {
		if u.CouponID == "" {
			continue
		}
		if byCoupon[u.CouponID] == nil {
			ids = append(ids, u.CouponID)
		}
		byCoupon[u.CouponID] = append(byCoupon[u.CouponID], i)
	}
	if len(ids) == 0 {
		return users, nil
	}
	err = queryEach(ctx, tx, `SELECT coupon_id, at, from_mac, to_mac, site_id FROM device_moves
		WHERE coupon_id IN (`+placeholders(len(ids))+`) ORDER BY at`, func(sc scanner) error {
		var m app.DeviceMove
		var at int64
		if err := sc.Scan(&m.CouponID, &at, &m.FromMAC, &m.ToMAC, &m.SiteID); err != nil {
			return err
		}
		m.At = fromMicros(at)
		for _, i := range byCoupon[m.CouponID] {
			users[i].DeviceMoves = append(users[i].DeviceMoves, m)
		}
		return nil
	}, ids...)
	return users, err
}

// scanSiteUser reads a row of siteUserColumns.
func scanSiteUser(sc scanner) (app.SiteUser, error) {
	var (
		u                      app.SiteUser
		instance, coupon       sql.NullString
		login, expires, logout sql.NullInt64
		active                 int
		left                   sql.NullInt64
	)
	err := sc.Scan(&u.ID, &u.SiteID, &instance, &coupon, &u.Username, &u.Identity, &u.IPAddress, &u.MACAddress,
		&login, &expires, &logout, &active, &u.BytesIn, &u.BytesOut, &left)
	if left.Valid {
		u.DataLeftMB = &left.Int64
	}
	u.InstanceID, u.CouponID = instance.String, coupon.String
	u.LoginAt, u.ExpiresAt, u.LogoutAt = fromNullMicros(login), fromNullMicros(expires), fromNullMicros(logout)
	u.Active = active == 1
	return u, err
}
