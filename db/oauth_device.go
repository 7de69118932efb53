package db

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"gatehouse/app"
)

// Device attempts: OAuth2 sign-ins shown as a user code in a captive
// mini-browser and finished in another browser (see app/oauth_device.go).
// They are rows of oauth_attempts with a user_code.

// OAuthDeviceCode finds the attempt of a user code that a browser may
// still claim at now. EForbidden with app.ReasonDeviceCodeInvalid,
// ReasonDeviceCodeExpired or ReasonDeviceCodeUsed.
func (db *DB) OAuthDeviceCode(ctx context.Context, userCode string, now time.Time) (app.OAuthAttempt, error) {
	var a app.OAuthAttempt
	err := db.read(ctx, "find oauth device code", func(tx *sql.Tx) error {
		var err error
		a, err = claimableCode(ctx, tx, userCode, now)
		return err
	})
	return a, err
}

// claimableCode reads the attempt of a user code and checks that it can
// be claimed at now.
func claimableCode(ctx context.Context, tx *sql.Tx, userCode string, now time.Time) (app.OAuthAttempt, error) {
	code, ok := app.NormalizeDeviceCode(userCode)
	if !ok {
		return app.OAuthAttempt{}, app.DeviceCodeError(app.ReasonDeviceCodeInvalid)
	}
	a, err := scanAttempt(tx.QueryRowContext(ctx, `SELECT `+attemptColumns+` FROM oauth_attempts WHERE user_code = ?`, code))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return a, app.DeviceCodeError(app.ReasonDeviceCodeInvalid)
	case err != nil:
		return a, err
	case a.ClaimedAt != nil || a.UsedAt != nil:
		return a, app.DeviceCodeError(app.ReasonDeviceCodeUsed)
	case !now.Before(a.ExpiresAt):
		return a, app.DeviceCodeError(app.ReasonDeviceCodeExpired)
	}
	return a, nil
}

// ClaimOAuthDeviceCode binds the attempt of a user code to the browser
// that entered it, once: the single writer serializes two browsers
// entering the same code, and only the first gets the attempt. The
// attempt takes the claim's verifier, nonce and browser hash, and expires
// the instance's auth_window_ttl after c.At. Errors as OAuthDeviceCode;
// nothing changes then.
func (db *DB) ClaimOAuthDeviceCode(ctx context.Context, userCode string, c app.OAuthDeviceClaim) (app.OAuthAttempt, error) {
	var a app.OAuthAttempt
	err := db.write(ctx, "claim oauth device code", func(tx *sql.Tx, _ time.Time) error {
		var err error
		if a, err = claimableCode(ctx, tx, userCode, c.At); err != nil {
			return err
		}
		var window int
		err = tx.QueryRowContext(ctx, `SELECT auth_window_ttl FROM instances WHERE id = ?`, a.InstanceID).Scan(&window)
		if errors.Is(err, sql.ErrNoRows) {
			return app.DeviceCodeError(app.ReasonDeviceCodeInvalid)
		}
		if err != nil {
			return err
		}
		at := c.At.UTC().Truncate(time.Microsecond)
		expires := at.Add(time.Duration(window) * time.Second)
		res, err := tx.ExecContext(ctx, `UPDATE oauth_attempts SET verifier = ?, nonce = ?, browser_hash = ?, claimed_at = ?,
			expires_at = ? WHERE id = ? AND claimed_at IS NULL`, c.Verifier, c.Nonce, c.BrowserHash, micros(at), micros(expires), a.ID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return app.DeviceCodeError(app.ReasonDeviceCodeUsed)
		}
		a.Verifier, a.Nonce, a.BrowserHash, a.ClaimedAt, a.ExpiresAt = c.Verifier, c.Nonce, c.BrowserHash, &at, expires
		return nil
	})
	if err != nil {
		return app.OAuthAttempt{}, err
	}
	return a, nil
}

// OAuthDeviceAttempt returns a device attempt; ENotFound.
func (db *DB) OAuthDeviceAttempt(ctx context.Context, id string) (app.OAuthAttempt, error) {
	var a app.OAuthAttempt
	err := db.read(ctx, "get oauth device attempt", func(tx *sql.Tx) error {
		var err error
		a, err = deviceAttempt(ctx, tx, id)
		return err
	})
	return a, err
}

func deviceAttempt(ctx context.Context, tx *sql.Tx, id string) (app.OAuthAttempt, error) {
	cid, ok := canonicalID(id)
	if !ok {
		return app.OAuthAttempt{}, app.NotFound("sign-in", id)
	}
	a, err := scanAttempt(tx.QueryRowContext(ctx, `SELECT `+attemptColumns+` FROM oauth_attempts
		WHERE id = ? AND user_code IS NOT NULL`, cid))
	if errors.Is(err, sql.ErrNoRows) {
		return a, app.NotFound("sign-in", id)
	}
	return a, err
}

// FinishOAuthDevice records the end of a device attempt's sign-in at now:
// the guest it let on, or siteUserID "" when it let nobody on. Only the
// first end counts; later ones change nothing. ENotFound.
func (db *DB) FinishOAuthDevice(ctx context.Context, id, siteUserID string, now time.Time) error {
	return db.write(ctx, "finish oauth device attempt", func(tx *sql.Tx, _ time.Time) error {
		a, err := deviceAttempt(ctx, tx, id)
		if err != nil {
			return err
		}
		if siteUserID == "" {
			_, err = tx.ExecContext(ctx, `UPDATE oauth_attempts SET failed_at = ?
				WHERE id = ? AND site_user_id IS NULL AND failed_at IS NULL`, micros(now), a.ID)
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE oauth_attempts SET site_user_id = ?
			WHERE id = ? AND site_user_id IS NULL AND failed_at IS NULL`, siteUserID, a.ID)
		return err
	})
}

// ReleaseOAuthDevice records that the mini-browser of a device attempt
// received the hand-off, and reports whether this was the first time.
// ENotFound.
func (db *DB) ReleaseOAuthDevice(ctx context.Context, id string, now time.Time) (bool, error) {
	first := false
	err := db.write(ctx, "release oauth device attempt", func(tx *sql.Tx, _ time.Time) error {
		a, err := deviceAttempt(ctx, tx, id)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE oauth_attempts SET released_at = ? WHERE id = ? AND released_at IS NULL`,
			micros(now), a.ID)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		first = n == 1
		return err
	})
	return first, err
}
