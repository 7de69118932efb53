package db

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"gatehouse/app"
)

var _ app.AdminStore = (*DB)(nil)

const adminColumns = `id, username, role, created_at, updated_at, last_login_at, lang`

// CreateAdmin stores a new admin account. EInvalid for a bad user name or
// role; EConflict when the user name is taken, whatever its case.
func (db *DB) CreateAdmin(ctx context.Context, username string, role app.Role, passwordHash string) (app.Admin, error) {
	if err := app.ValidateUsername(username); err != nil {
		return app.Admin{}, err
	}
	if !role.Valid() {
		return app.Admin{}, app.Invalid("role", app.ReasonParameterInvalid, "role must be admin, operator or frontdesk")
	}
	if passwordHash == "" {
		return app.Admin{}, app.Missing("password")
	}
	var out app.Admin
	err := db.write(ctx, "create admin", func(tx *sql.Tx, now time.Time) error {
		switch _, _, err := getAdmin(ctx, tx, username); {
		case err == nil:
			return &app.Error{Code: app.EConflict, Reason: app.ReasonResourceConflict,
				Message: "an admin named " + username + " exists already"}
		case app.ErrorCode(err) != app.ENotFound:
			return err
		}
		id, err := newID()
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO admins (id, username, role, password_hash, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?)`, id, username, string(role), passwordHash, micros(now), micros(now)); err != nil {
			return err
		}
		out, _, err = getAdmin(ctx, tx, username)
		return err
	})
	return out, err
}

// AdminCredentials returns the account named username (any case) and its
// password hash. ENotFound when there is none.
func (db *DB) AdminCredentials(ctx context.Context, username string) (app.Admin, string, error) {
	var (
		a    app.Admin
		hash string
	)
	err := db.read(ctx, "get admin", func(tx *sql.Tx) (err error) {
		a, hash, err = getAdmin(ctx, tx, username)
		return err
	})
	return a, hash, err
}

// ListAdmins returns every account ordered by user name.
func (db *DB) ListAdmins(ctx context.Context) ([]app.Admin, error) {
	var list []app.Admin
	err := db.read(ctx, "list admins", func(tx *sql.Tx) (err error) {
		list, err = queryAll(ctx, tx, `SELECT `+adminColumns+` FROM admins ORDER BY username`, scanAdmin)
		return err
	})
	return list, err
}

// SetAdminPassword replaces the account's password hash and revokes its
// sessions in the same transaction.
func (db *DB) SetAdminPassword(ctx context.Context, username, passwordHash string) error {
	if passwordHash == "" {
		return app.Missing("password")
	}
	return db.write(ctx, "set admin password", func(tx *sql.Tx, now time.Time) error {
		a, _, err := getAdmin(ctx, tx, username)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE admins SET password_hash = ?, updated_at = ? WHERE id = ?`,
			passwordHash, micros(now), a.ID); err != nil {
			return err
		}
		return revokeSessions(ctx, tx, a.ID, now)
	})
}

// DeleteAdmin revokes the account's sessions and deletes it.
func (db *DB) DeleteAdmin(ctx context.Context, username string) error {
	return db.write(ctx, "delete admin", func(tx *sql.Tx, now time.Time) error {
		a, _, err := getAdmin(ctx, tx, username)
		if err != nil {
			return err
		}
		if err := revokeSessions(ctx, tx, a.ID, now); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM admins WHERE id = ?`, a.ID)
		return err
	})
}

// StartSession records a sign-in of the account and creates its session
// token record, named after the account and carrying its role.
func (db *DB) StartSession(ctx context.Context, adminID string, ttl time.Duration) (app.Token, error) {
	var out app.Token
	err := db.write(ctx, "start admin session", func(tx *sql.Tx, now time.Time) error {
		var username, role string
		err := tx.QueryRowContext(ctx, `SELECT username, role FROM admins WHERE id = ?`, adminID).Scan(&username, &role)
		if errors.Is(err, sql.ErrNoRows) {
			return app.NotFound("admin", adminID)
		} else if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE admins SET last_login_at = ? WHERE id = ?`, micros(now), adminID); err != nil {
			return err
		}
		out, err = insertToken(ctx, tx, username, app.Role(role), adminID, now, ttl)
		return err
	})
	return out, err
}

// revokeSessions revokes every open session of an account.
func revokeSessions(ctx context.Context, tx *sql.Tx, adminID string, now time.Time) error {
	_, err := tx.ExecContext(ctx, `UPDATE tokens SET revoked_at = ? WHERE admin_id = ? AND revoked_at IS NULL`,
		micros(now), adminID)
	return err
}

// getAdmin reads one account and its hash by user name; ENotFound when
// there is none.
func getAdmin(ctx context.Context, tx *sql.Tx, username string) (app.Admin, string, error) {
	var hash string
	row := tx.QueryRowContext(ctx, `SELECT `+adminColumns+`, password_hash FROM admins WHERE username = ?`, username)
	a, err := scanAdmin(scanWith(row, &hash))
	if errors.Is(err, sql.ErrNoRows) {
		return app.Admin{}, "", &app.Error{Code: app.ENotFound, Reason: app.ReasonResourceMissing,
			Message: "no admin named " + username}
	}
	return a, hash, err
}

// scanAdmin reads a row of adminColumns.
func scanAdmin(sc scanner) (app.Admin, error) {
	var (
		a                app.Admin
		role             string
		created, updated int64
		lastLogin        sql.NullInt64
	)
	if err := sc.Scan(&a.ID, &a.Username, &role, &created, &updated, &lastLogin, &a.Lang); err != nil {
		return app.Admin{}, err
	}
	a.Role = app.Role(role)
	a.CreatedAt, a.UpdatedAt, a.LastLoginAt = fromMicros(created), fromMicros(updated), fromNullMicros(lastLogin)
	return a, nil
}

// extraScanner scans a row's leading columns with the wrapped scanner's
// caller and its trailing columns into extra.
type extraScanner struct {
	sc    scanner
	extra []any
}

func (e extraScanner) Scan(dest ...any) error { return e.sc.Scan(append(dest, e.extra...)...) }

// scanWith returns a scanner that also fills extra from the columns after
// the ones the caller scans.
func scanWith(sc scanner, extra ...any) scanner { return extraScanner{sc, extra} }

// AdminLang implements app.AdminStore.
func (db *DB) AdminLang(ctx context.Context, adminID string) (string, error) {
	var lang string
	err := db.read(ctx, "read admin language", func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT lang FROM admins WHERE id = ?`, adminID).Scan(&lang)
		if errors.Is(err, sql.ErrNoRows) {
			return app.NotFound("admin", adminID)
		}
		return err
	})
	return lang, err
}

// SetAdminLang implements app.AdminStore.
func (db *DB) SetAdminLang(ctx context.Context, adminID, lang string) error {
	if err := app.CheckAdminLang(lang); err != nil {
		return err
	}
	return db.write(ctx, "set admin language", func(tx *sql.Tx, now time.Time) error {
		res, err := tx.ExecContext(ctx, `UPDATE admins SET lang = ?, updated_at = ? WHERE id = ?`, lang, micros(now), adminID)
		if err != nil {
			return err
		}
		return mustAffect(res, "admin", adminID)
	})
}
