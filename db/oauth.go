package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"gatehouse/app"
)

var _ app.OAuthStore = (*DB)(nil)

// attemptRetention is how long after its expiry an attempt is kept (so
// that a late replay is still told "already used" or "expired"), before
// the next new attempt sweeps it away.
const attemptRetention = time.Hour

const attemptColumns = `id, auth_integration_id, instance_id, site_id, router_params, verifier, nonce,
	browser_hash, created_at, expires_at, used_at, user_code, poll_hash, claimed_at, failed_at, site_user_id, released_at`

// CreateOAuthAttempt stores a new sign-in attempt (a device attempt when
// it has a UserCode) with a new id and returns it; it also deletes
// attempts that expired long ago. A guest attempt's instance must be an
// oauth2 instance using the integration, and its site one of the
// instance's sites; a test attempt cannot be a device attempt (EInvalid).
// Unknown ids give ENotFound, a user code in use EConflict.
func (db *DB) CreateOAuthAttempt(ctx context.Context, a app.OAuthAttempt) (app.OAuthAttempt, error) {
	err := db.write(ctx, "create oauth attempt", func(tx *sql.Tx, _ time.Time) error {
		integ, err := db.getAuthIntegration(ctx, tx, a.AuthIntegrationID)
		if err != nil {
			return err
		}
		a.AuthIntegrationID = integ.ID
		var instance, site sql.NullString
		if a.IsTest() && a.IsDevice() {
			return app.Invalid("user_code", app.ReasonParameterInvalid, "a test sign-in cannot be finished in another browser")
		}
		if !a.IsTest() {
			in, err := getInstance(ctx, tx, a.InstanceID)
			if err != nil {
				return err
			}
			if in.Strategy != app.StrategyOAuth2 || in.AuthIntegrationID != integ.ID {
				return app.Invalid("instance", app.ReasonParameterInvalid, "instance %s does not sign guests in with this integration", in.ID)
			}
			if !instanceHasSite(in, a.SiteID) {
				return app.Invalid("site", app.ReasonParameterInvalid, "site %q is not one of the instance's sites", a.SiteID)
			}
			a.InstanceID, a.SiteID = in.ID, strings.ToLower(a.SiteID)
			instance = sql.NullString{String: in.ID, Valid: true}
			site = sql.NullString{String: a.SiteID, Valid: true}
		}
		if a.ID, err = newID(); err != nil {
			return err
		}
		a.CreatedAt = a.CreatedAt.UTC().Truncate(time.Microsecond)
		a.ExpiresAt = a.ExpiresAt.UTC().Truncate(time.Microsecond)
		if _, err := tx.ExecContext(ctx, `DELETE FROM oauth_attempts WHERE expires_at < ?`,
			micros(a.CreatedAt.Add(-attemptRetention))); err != nil {
			return err
		}
		a.UsedAt, a.ClaimedAt, a.FailedAt, a.ReleasedAt, a.SiteUserID = nil, nil, nil, nil, ""
		_, err = tx.ExecContext(ctx, `INSERT INTO oauth_attempts (`+attemptColumns+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, NULL, NULL, NULL, NULL)`,
			a.ID, a.AuthIntegrationID, instance, site, a.RouterParams.Encode(), a.Verifier, a.Nonce,
			a.BrowserHash, micros(a.CreatedAt), micros(a.ExpiresAt), nullString(a.UserCode), a.PollHash)
		return err
	})
	if err != nil {
		return app.OAuthAttempt{}, err
	}
	return a, nil
}

// instanceHasSite reports whether siteID is one of the instance's sites.
func instanceHasSite(in app.Instance, siteID string) bool {
	for _, s := range in.Sites {
		if strings.EqualFold(s.ID, siteID) {
			return true
		}
	}
	return false
}

// UseOAuthAttempt marks an attempt used and returns it, in one
// transaction: the single writer serializes two callbacks with the same
// state, and only the first gets the attempt. Errors: EForbidden with
// app.ReasonOAuthStateUsed, ReasonOAuthStateExpired (at now) or
// ReasonOAuthStateInvalid (no such attempt, or a device attempt whose
// code no browser entered); nothing changes then.
func (db *DB) UseOAuthAttempt(ctx context.Context, id string, now time.Time) (app.OAuthAttempt, error) {
	var a app.OAuthAttempt
	err := db.write(ctx, "use oauth attempt", func(tx *sql.Tx, _ time.Time) error {
		cid, ok := canonicalID(id)
		if !ok {
			return app.OAuthStateError(app.ReasonOAuthStateInvalid)
		}
		var err error
		a, err = scanAttempt(tx.QueryRowContext(ctx, `SELECT `+attemptColumns+` FROM oauth_attempts WHERE id = ?`, cid))
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return app.OAuthStateError(app.ReasonOAuthStateInvalid)
		case err != nil:
			return err
		case a.IsDevice() && a.ClaimedAt == nil:
			return app.OAuthStateError(app.ReasonOAuthStateInvalid)
		case a.UsedAt != nil:
			return app.OAuthStateError(app.ReasonOAuthStateUsed)
		case !now.Before(a.ExpiresAt):
			return app.OAuthStateError(app.ReasonOAuthStateExpired)
		}
		at := now.UTC().Truncate(time.Microsecond)
		res, err := tx.ExecContext(ctx, `UPDATE oauth_attempts SET used_at = ? WHERE id = ? AND used_at IS NULL`, micros(at), cid)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return app.OAuthStateError(app.ReasonOAuthStateUsed)
		}
		a.UsedAt = &at
		return nil
	})
	if err != nil {
		return app.OAuthAttempt{}, err
	}
	return a, nil
}

func scanAttempt(row *sql.Row) (app.OAuthAttempt, error) {
	var (
		a                               app.OAuthAttempt
		instance, site, code, siteUser  sql.NullString
		params                          string
		created, expires                int64
		used, claimed, failed, released sql.NullInt64
	)
	err := row.Scan(&a.ID, &a.AuthIntegrationID, &instance, &site, &params, &a.Verifier, &a.Nonce,
		&a.BrowserHash, &created, &expires, &used, &code, &a.PollHash, &claimed, &failed, &siteUser, &released)
	if err != nil {
		return a, err
	}
	a.InstanceID, a.SiteID, a.UserCode, a.SiteUserID = instance.String, site.String, code.String, siteUser.String
	a.ClaimedAt, a.FailedAt, a.ReleasedAt = fromNullMicros(claimed), fromNullMicros(failed), fromNullMicros(released)
	if a.RouterParams, err = url.ParseQuery(params); err != nil {
		return a, err
	}
	a.CreatedAt, a.ExpiresAt, a.UsedAt = fromMicros(created), fromMicros(expires), fromNullMicros(used)
	return a, nil
}

// GrantOAuthGuest records, in one transaction, a site user with the
// guest's identity and a one-off hotspot user for the attempt's site that
// the site's router holds until g.At + the instance's session_ttl (see
// SiteState). The site user is not active until the router reports the
// session (RecordSessions). EInvalid for a test attempt; ENotFound when the
// instance or site is gone; EConflict when the user name is taken.
func (db *DB) GrantOAuthGuest(ctx context.Context, g app.OAuthGrant) (app.OAuthGuest, error) {
	var out app.OAuthGuest
	err := db.write(ctx, "grant oauth guest", func(tx *sql.Tx, _ time.Time) error {
		if g.Attempt.IsTest() {
			return app.Invalid("attempt", app.ReasonParameterInvalid, "a test sign-in grants no access")
		}
		in, err := getInstance(ctx, tx, g.Attempt.InstanceID)
		if err != nil {
			return err
		}
		site, err := db.getSite(ctx, tx, g.Attempt.SiteID)
		if err != nil {
			return err
		}
		id, err := newID()
		if err != nil {
			return err
		}
		at := g.At.UTC().Truncate(time.Microsecond)
		ends := at.Add(time.Duration(in.SessionTTL) * time.Second)
		mac := strings.ToUpper(g.Attempt.RouterParams.Get("mac"))
		out = app.OAuthGuest{SiteUserID: id, SiteID: site.ID, InstanceID: in.ID, Provider: g.Identity.Provider,
			Identity: g.Identity.Display(), Username: g.Username, Password: g.Password, MACAddress: mac, EndsAt: ends}
		_, err = tx.ExecContext(ctx, `INSERT INTO site_users (id, site_id, instance_id, username, identity,
			ip_address, mac_address, expires_at, active, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`,
			id, site.ID, in.ID, g.Username, out.Identity, g.Attempt.RouterParams.Get("ip"), mac,
			micros(ends), micros(at), micros(at))
		if err != nil {
			return err
		}
		sealed, err := db.secret.seal(placeOAuthGuestPassword(id), []byte(g.Password))
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO oauth_guests (site_user_id, site_id, instance_id, provider,
			subject, username, password, sealed_password, mac_address, created_at, ends_at)
			VALUES (?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?)`,
			id, site.ID, in.ID, g.Identity.Provider, g.Identity.Subject, g.Username, sealed, mac,
			micros(at), micros(ends))
		return err
	})
	if err != nil {
		return app.OAuthGuest{}, err
	}
	return out, nil
}

const oauthGuestColumns = `g.site_user_id, g.site_id, g.instance_id, g.provider, u.identity, g.username,
	g.password, g.sealed_password, g.mac_address, g.ends_at`

// placeOAuthGuestPassword binds a guest's encrypted hotspot password to
// its row.
func placeOAuthGuestPassword(siteUserID string) string { return "oauth_guests.password:" + siteUserID }

// oauthGuestPassword is a guest's hotspot password: the sealed one, or
// the plaintext of a row written before passwords were sealed (which
// sealOAuthGuestPasswords seals at Open).
func (db *DB) oauthGuestPassword(siteUserID, plain string, sealed []byte) (string, error) {
	if sealed == nil {
		return plain, nil
	}
	pw, err := db.secret.openString(placeOAuthGuestPassword(siteUserID), sealed)
	if err != nil {
		return "", fmt.Errorf("oauth guest %s: %w", siteUserID, err)
	}
	return pw, nil
}

// scanOAuthGuest reads a row of oauthGuestColumns.
func (db *DB) scanOAuthGuest(row *sql.Row) (app.OAuthGuest, error) {
	var g app.OAuthGuest
	var plain string
	var sealed []byte
	var ends int64
	if err := row.Scan(&g.SiteUserID, &g.SiteID, &g.InstanceID, &g.Provider, &g.Identity, &g.Username, &plain, &sealed,
		&g.MACAddress, &ends); err != nil {
		return g, err
	}
	g.EndsAt = fromMicros(ends)
	var err error
	g.Password, err = db.oauthGuestPassword(g.SiteUserID, plain, sealed)
	return g, err
}

// sealOAuthGuestPasswords encrypts, in one transaction, the hotspot
// passwords that rows written before migration 0012 keep in plaintext,
// and empties the plaintext column. The replaced plaintext is overwritten
// in the database file (secure_delete) and the WAL is emptied, so that it
// does not linger in free space. It returns how many it sealed.
func (db *DB) sealOAuthGuestPasswords(ctx context.Context) (int, error) {
	var left int
	if err := db.writer.QueryRowContext(ctx, `SELECT count(*) FROM oauth_guests WHERE password != ''`).Scan(&left); err != nil || left == 0 {
		return 0, err
	}
	n := 0
	err := db.write(ctx, "seal oauth guest passwords", func(tx *sql.Tx, _ time.Time) (err error) {
		if _, err := tx.ExecContext(ctx, `PRAGMA secure_delete = ON`); err != nil {
			return err
		}
		defer func() {
			// The writer's connection is shared: back to the default.
			_, offErr := tx.ExecContext(ctx, `PRAGMA secure_delete = OFF`)
			err = errors.Join(err, offErr)
		}()
		plain := map[string]string{}
		err = queryEach(ctx, tx, `SELECT site_user_id, password FROM oauth_guests WHERE password != ''`, func(sc scanner) error {
			var id, pw string
			if err := sc.Scan(&id, &pw); err != nil {
				return err
			}
			plain[id] = pw
			return nil
		})
		if err != nil {
			return err
		}
		for id, pw := range plain {
			sealed, err := db.secret.seal(placeOAuthGuestPassword(id), []byte(pw))
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE oauth_guests SET sealed_password = ?, password = '' WHERE site_user_id = ?`,
				sealed, id); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	if _, err := db.writer.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return n, fmt.Errorf("checkpoint: %w", err)
	}
	return n, nil
}

// ActiveOAuthGuest finds the newest OAuth2 guest of a device on an
// instance whose session runs at now and whom the router reported logged
// in at its last pass. ENotFound when there is none.
func (db *DB) ActiveOAuthGuest(ctx context.Context, instanceID, mac string, now time.Time) (app.OAuthGuest, error) {
	var g app.OAuthGuest
	err := db.read(ctx, "find active oauth guest", func(tx *sql.Tx) error {
		iid, ok := canonicalID(instanceID)
		if !ok || mac == "" {
			return app.NotFound("session", mac)
		}
		var err error
		g, err = db.scanOAuthGuest(tx.QueryRowContext(ctx, `SELECT `+oauthGuestColumns+` FROM oauth_guests g
			JOIN site_users u ON u.id = g.site_user_id AND u.active = 1
			WHERE g.instance_id = ? AND g.mac_address = ? AND g.ends_at > ?
			ORDER BY g.ends_at DESC LIMIT 1`, iid, strings.ToUpper(mac), micros(now)))
		if errors.Is(err, sql.ErrNoRows) {
			return app.NotFound("session", mac)
		}
		return err
	})
	return g, err
}

// OAuthGuest returns the OAuth2 guest of a site user; ENotFound when the
// site user is not one.
func (db *DB) OAuthGuest(ctx context.Context, siteUserID string) (app.OAuthGuest, error) {
	var g app.OAuthGuest
	err := db.read(ctx, "get oauth guest", func(tx *sql.Tx) error {
		id, ok := canonicalID(siteUserID)
		if !ok {
			return app.NotFound("guest", siteUserID)
		}
		var err error
		g, err = db.scanOAuthGuest(tx.QueryRowContext(ctx, `SELECT `+oauthGuestColumns+` FROM oauth_guests g
			JOIN site_users u ON u.id = g.site_user_id WHERE g.site_user_id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return app.NotFound("guest", siteUserID)
		}
		return err
	})
	return g, err
}

// EndOAuthGuest ends an OAuth2 guest's session at now: its one-off user
// is no longer part of what the site's router should hold, so the next
// pass removes it. A session that already ended stays as it is. ENotFound
// when the site has no such OAuth2 guest.
func (db *DB) EndOAuthGuest(ctx context.Context, siteID, siteUserID string, now time.Time) error {
	return db.write(ctx, "end oauth guest", func(tx *sql.Tx, _ time.Time) error {
		sid, ok1 := canonicalID(siteID)
		id, ok2 := canonicalID(siteUserID)
		if !ok1 || !ok2 {
			return app.NotFound("guest", siteUserID)
		}
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM oauth_guests WHERE site_user_id = ? AND site_id = ?`, id, sid).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return app.NotFound("guest", siteUserID)
		}
		if err != nil {
			return err
		}
		at := micros(now)
		if _, err := tx.ExecContext(ctx, `UPDATE oauth_guests SET ends_at = ? WHERE site_user_id = ? AND ends_at > ?`, at, id, at); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE site_users SET expires_at = ?, updated_at = ? WHERE id = ? AND (expires_at IS NULL OR expires_at > ?)`,
			at, at, id, at)
		return err
	})
}

// recordOAuthSession records a router session of an OAuth2 guest's
// hotspot user: the guest's site user becomes active (at its first
// session, or again after a logout) and follows the session's address and
// counters. It returns the site user's id, or "" when the session is not
// an OAuth2 guest's.
func recordOAuthSession(ctx context.Context, tx *sql.Tx, siteID string, s app.HotspotSession, now time.Time) (string, error) {
	var id string
	var active int
	err := tx.QueryRowContext(ctx, `SELECT u.id, u.active FROM oauth_guests g JOIN site_users u ON u.id = g.site_user_id
		WHERE g.site_id = ? AND g.username = ?`, siteID, s.User).Scan(&id, &active)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	if active == 1 {
		_, err = tx.ExecContext(ctx, `UPDATE site_users SET ip_address = ?, router_session = ?, bytes_in = ?,
			bytes_out = ?, updated_at = ? WHERE id = ?`, s.Address, s.RouterID, s.BytesIn, s.BytesOut, micros(now), id)
		return id, err
	}
	_, err = tx.ExecContext(ctx, `UPDATE site_users SET active = 1, login_at = COALESCE(login_at, ?), logout_at = NULL,
		ip_address = ?, mac_address = ?, router_session = ?, bytes_in = ?, bytes_out = ?, updated_at = ? WHERE id = ?`,
		micros(now.Add(-s.Uptime)), s.Address, s.MACAddress, s.RouterID, s.BytesIn, s.BytesOut, micros(now), id)
	return id, err
}

// siteOAuthUsers are the one-off hotspot users of the OAuth2 guests of a
// site whose session has not ended at now, for instances that still sign
// guests in with OAuth2 and still apply to the site.
func (db *DB) siteOAuthUsers(ctx context.Context, tx *sql.Tx, site app.Site, now time.Time) ([]app.RouterUser, error) {
	return queryAll(ctx, tx, `SELECT g.site_user_id, g.username, g.password, g.sealed_password, g.instance_id, i.session_ttl, g.mac_address
		FROM oauth_guests g
		JOIN instances i ON i.id = g.instance_id AND i.strategy = 'oauth2'
		JOIN instance_sites s ON s.instance_id = i.id AND s.site_id = g.site_id
		WHERE g.site_id = ? AND g.ends_at > ?
		ORDER BY g.created_at, g.site_user_id`,
		func(sc scanner) (app.RouterUser, error) {
			var id, user, plain, instanceID, mac string
			var sealed []byte
			var ttl int
			if err := sc.Scan(&id, &user, &plain, &sealed, &instanceID, &ttl, &mac); err != nil {
				return app.RouterUser{}, err
			}
			password, err := db.oauthGuestPassword(id, plain, sealed)
			return app.RouterUser{Name: user, Password: password, Profile: app.ProfileName(instanceID),
				Server: site.HotspotServer, LimitUptime: time.Duration(ttl) * time.Second, MACAddress: mac,
				Comment: app.OAuthGuestComment(id)}, err
		}, site.ID, micros(now))
}

// siteProviderRules open the walled garden of a site to the sign-in hosts
// of the providers its oauth2 instances use; none when no instance needs
// them.
func siteProviderRules(ctx context.Context, tx *sql.Tx, siteID string) ([]app.RouterGardenRule, error) {
	var out []app.RouterGardenRule
	err := queryEach(ctx, tx, `SELECT DISTINCT a.type FROM instances i
		JOIN instance_sites s ON s.instance_id = i.id AND s.site_id = ?
		JOIN auth_integrations a ON a.id = i.auth_integration_id
		WHERE i.strategy = 'oauth2' ORDER BY a.type`, func(sc scanner) error {
		var provider string
		if err := sc.Scan(&provider); err != nil {
			return err
		}
		for _, h := range app.ProviderSignInHosts(provider) {
			out = append(out, app.RouterGardenRule{DstHost: h, HTTPSOnly: true,
				Comment: app.ProviderGardenComment(provider, h)})
		}
		return nil
	}, siteID)
	if err != nil {
		return nil, err
	}
	return out, nil
}
