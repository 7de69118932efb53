package db

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"gatehouse/app"
)

var _ app.GuestStore = (*DB)(nil)

// guestKeyName is the stored key of the anonymizing hash.
const guestKeyName = "guest-anonymize"

// anonymizer hashes personal values with the database's own key: the same
// value always gives the same "anon:…", and nobody without the key can
// tell which value it was.
type anonymizer []byte

func (db *DB) anonymizer(ctx context.Context) (anonymizer, error) {
	key, err := db.Key(ctx, guestKeyName, 32)
	return anonymizer(key), err
}

// hash returns the anonymized form of v; "" and values already hashed
// stay as they are. MACs are hashed in upper case, identities in lower.
func (a anonymizer) hash(v string) string {
	if v == "" || app.IsAnonymized(v) {
		return v
	}
	m := hmac.New(sha256.New, a)
	m.Write([]byte(v))
	return app.AnonPrefix + hex.EncodeToString(m.Sum(nil))[:24]
}

func (a anonymizer) mac(v string) string      { return a.hash(strings.ToUpper(v)) }
func (a anonymizer) identity(v string) string { return a.hash(strings.ToLower(v)) }

// RecordConsent implements app.GuestStore.
func (db *DB) RecordConsent(ctx context.Context, c app.Consent, terms string) error {
	return db.write(ctx, "record consent", func(tx *sql.Tx, now time.Time) error {
		hash := app.TermsHash(terms)
		if _, err := tx.ExecContext(ctx, `INSERT INTO terms_versions (hash, text, first_seen_at) VALUES (?, ?, ?)
			ON CONFLICT (hash) DO NOTHING`, hash, terms, micros(now)); err != nil {
			return err
		}
		id, err := newID()
		if err != nil {
			return err
		}
		if c.At.IsZero() {
			c.At = now
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO consents (id, instance_id, terms_hash, lang, at, site_id, coupon_id,
			username, mac_address, identity) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, c.InstanceID, hash, c.Lang,
			micros(c.At), c.SiteID, c.CouponID, c.Username, strings.ToUpper(c.MACAddress), c.Identity)
		return err
	})
}

const consentColumns = `c.id, c.instance_id, c.terms_hash, c.lang, c.at, c.site_id, c.coupon_id, c.username,
	c.mac_address, c.identity, c.anonymized_at IS NOT NULL,
	COALESCE((SELECT u.id FROM site_users u WHERE u.site_id = c.site_id AND u.username = c.username
		AND u.mac_address = c.mac_address ORDER BY abs(u.login_at - c.at) LIMIT 1), '')`

func scanConsent(sc scanner) (app.Consent, error) {
	var c app.Consent
	var at int64
	err := sc.Scan(&c.ID, &c.InstanceID, &c.TermsHash, &c.Lang, &at, &c.SiteID, &c.CouponID, &c.Username,
		&c.MACAddress, &c.Identity, &c.Anonymized, &c.SiteUserID)
	c.At = fromMicros(at)
	return c, err
}

// ListConsents implements app.GuestStore.
func (db *DB) ListConsents(ctx context.Context, instanceID string, f app.ConsentFilter) ([]app.Consent, error) {
	out := []app.Consent{}
	err := db.read(ctx, "list consents", func(tx *sql.Tx) error {
		iid, err := requireInstance(ctx, tx, instanceID)
		if err != nil {
			return err
		}
		where, args := []string{"c.instance_id = ?"}, []any{iid}
		if !f.Since.IsZero() {
			where, args = append(where, "c.at >= ?"), append(args, micros(f.Since))
		}
		if !f.Until.IsZero() {
			where, args = append(where, "c.at < ?"), append(args, micros(f.Until))
		}
		if f.MAC != "" {
			where, args = append(where, "c.mac_address = ?"), append(args, strings.ToUpper(f.MAC))
		}
		if f.Identity != "" {
			where, args = append(where, "lower(c.identity) = lower(?)"), append(args, f.Identity)
		}
		out, err = queryAll(ctx, tx, `SELECT `+consentColumns+` FROM consents c WHERE `+strings.Join(where, " AND ")+`
			ORDER BY c.at, c.id`, scanConsent, args...)
		return err
	})
	return out, err
}

// TermsVersion implements app.GuestStore.
func (db *DB) TermsVersion(ctx context.Context, hash string) (app.TermsVersion, error) {
	var v app.TermsVersion
	err := db.read(ctx, "read terms version", func(tx *sql.Tx) error {
		var at int64
		err := tx.QueryRowContext(ctx, `SELECT hash, text, first_seen_at FROM terms_versions WHERE hash = ?`,
			strings.ToLower(hash)).Scan(&v.Hash, &v.Text, &at)
		if errors.Is(err, sql.ErrNoRows) {
			return app.NotFound("terms version", hash)
		}
		v.FirstSeenAt = fromMicros(at)
		return err
	})
	return v, err
}

// guestMatch is the SQL that finds a person's rows: the values that name
// them, plain and anonymized.
type guestMatch struct {
	values []any // the MAC or identity, and its hash
}

func matchOf(a anonymizer, q app.GuestQuery) guestMatch {
	if q.MAC != "" {
		return guestMatch{values: []any{q.MAC, a.mac(q.MAC)}}
	}
	return guestMatch{values: []any{strings.ToLower(q.Identity), a.identity(q.Identity)}}
}

// in is "column IN (the values)", comparing identities without case.
func (m guestMatch) in(column string, identity bool) string {
	if identity {
		column = "lower(" + column + ")"
	}
	return column + " IN (?, ?)"
}

// FindGuest implements app.GuestStore.
func (db *DB) FindGuest(ctx context.Context, q app.GuestQuery) (app.GuestRecord, error) {
	if err := q.Check(); err != nil {
		return app.GuestRecord{}, err
	}
	a, err := db.anonymizer(ctx)
	if err != nil {
		return app.GuestRecord{}, err
	}
	rec := app.GuestRecord{Query: q}
	m := matchOf(a, q)
	err = db.read(ctx, "find guest", func(tx *sql.Tx) error {
		users, err := guestSiteUsers(ctx, tx, m, q)
		if err != nil {
			return err
		}
		rec.SiteUsers = users
		coupons, err := guestCoupons(ctx, tx, m, q, users)
		if err != nil {
			return err
		}
		rec.Coupons = coupons
		if rec.DeviceMoves, err = guestMoves(ctx, tx, m, q, coupons); err != nil {
			return err
		}
		consentWhere := m.in("c.mac_address", false)
		if q.Identity != "" {
			consentWhere = m.in("c.identity", true)
		}
		if rec.Consents, err = queryAll(ctx, tx, `SELECT `+consentColumns+` FROM consents c WHERE `+consentWhere+`
			ORDER BY c.at`, scanConsent, m.values...); err != nil {
			return err
		}
		rec.OAuth, err = guestOAuth(ctx, tx, m, q, users)
		return err
	})
	return rec, err
}

func guestSiteUsers(ctx context.Context, tx *sql.Tx, m guestMatch, q app.GuestQuery) ([]app.SiteUser, error) {
	where := m.in("mac_address", false)
	if q.Identity != "" {
		where = m.in("identity", true)
	}
	return querySiteUsers(ctx, tx, `SELECT `+siteUserColumns+` FROM site_users WHERE `+where+`
		ORDER BY created_at DESC, id DESC`, m.values...)
}

func guestCoupons(ctx context.Context, tx *sql.Tx, m guestMatch, q app.GuestQuery, users []app.SiteUser) ([]app.GuestCoupon, error) {
	where, args := m.in("redeemed_mac", false), m.values
	if q.Identity != "" {
		ids := []any{}
		for _, u := range users {
			if u.CouponID != "" {
				ids = append(ids, u.CouponID)
			}
		}
		if len(ids) == 0 {
			return []app.GuestCoupon{}, nil
		}
		where, args = "id IN ("+placeholders(len(ids))+")", ids
	}
	return queryAll(ctx, tx, `SELECT id, instance_id, code, redeemed_at, redeemed_mac FROM coupons WHERE `+where+`
		ORDER BY redeemed_at`, func(sc scanner) (app.GuestCoupon, error) {
		var c app.GuestCoupon
		var at sql.NullInt64
		err := sc.Scan(&c.ID, &c.InstanceID, &c.Code, &at, &c.MACAddress)
		c.RedeemedAt = fromNullMicros(at)
		return c, err
	}, args...)
}

func guestMoves(ctx context.Context, tx *sql.Tx, m guestMatch, q app.GuestQuery, coupons []app.GuestCoupon) ([]app.DeviceMove, error) {
	where, args := "from_mac IN (?, ?) OR to_mac IN (?, ?)", append(append([]any{}, m.values...), m.values...)
	if q.Identity != "" {
		if len(coupons) == 0 {
			return []app.DeviceMove{}, nil
		}
		ids := make([]any, len(coupons))
		for i, c := range coupons {
			ids[i] = c.ID
		}
		where, args = "coupon_id IN ("+placeholders(len(ids))+")", ids
	}
	return queryAll(ctx, tx, `SELECT coupon_id, at, from_mac, to_mac, site_id FROM device_moves WHERE `+where+` ORDER BY at`,
		func(sc scanner) (app.DeviceMove, error) {
			var mv app.DeviceMove
			var at int64
			err := sc.Scan(&mv.CouponID, &at, &mv.FromMAC, &mv.ToMAC, &mv.SiteID)
			mv.At = fromMicros(at)
			return mv, err
		}, args...)
}

func guestOAuth(ctx context.Context, tx *sql.Tx, m guestMatch, q app.GuestQuery, users []app.SiteUser) ([]app.GuestOAuth, error) {
	where, args := m.in("mac_address", false), m.values
	if q.Identity != "" {
		ids := []any{}
		for _, u := range users {
			ids = append(ids, u.ID)
		}
		if len(ids) == 0 {
			return []app.GuestOAuth{}, nil
		}
		where, args = "site_user_id IN ("+placeholders(len(ids))+")", ids
	}
	return queryAll(ctx, tx, `SELECT site_user_id, site_id, instance_id, provider, subject, username, mac_address,
		created_at, ends_at FROM oauth_guests WHERE `+where+` ORDER BY created_at`, func(sc scanner) (app.GuestOAuth, error) {
		var g app.GuestOAuth
		var created, ends int64
		err := sc.Scan(&g.SiteUserID, &g.SiteID, &g.InstanceID, &g.Provider, &g.Subject, &g.Username, &g.MACAddress, &created, &ends)
		g.CreatedAt, g.EndsAt = fromMicros(created), fromMicros(ends)
		return g, err
	}, args...)
}
