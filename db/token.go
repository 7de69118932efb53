package db

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"gatehouse/app"
)

var _ app.TokenStore = (*DB)(nil)

const tokenColumns = `id, name, role, created_at, expires_at, revoked_at, coalesce(admin_id, '')`

// CreateToken validates the request (EInvalid) and stores a new token
// record, created now and expiring after ttl. The name is trimmed.
func (db *DB) CreateToken(ctx context.Context, name string, role app.Role, ttl time.Duration) (app.Token, error) {
	name = strings.TrimSpace(name)
	if err := app.ValidateTokenRequest(name, role, ttl); err != nil {
		return app.Token{}, err
	}
	var out app.Token
	err := db.write(ctx, "create token", func(tx *sql.Tx, now time.Time) error {
		var err error
		out, err = insertToken(ctx, tx, name, role, "", now, ttl)
		return err
	})
	return out, err
}

// insertToken stores a token record created now and expiring after ttl:
// an API token, or with adminID a sign-in session of that account.
func insertToken(ctx context.Context, tx *sql.Tx, name string, role app.Role, adminID string, now time.Time, ttl time.Duration) (app.Token, error) {
	id, err := newID()
	if err != nil {
		return app.Token{}, err
	}
	expires := now.Add(ttl).Truncate(time.Microsecond)
	if _, err := tx.ExecContext(ctx, `INSERT INTO tokens (id, name, role, created_at, expires_at, admin_id)
		VALUES (?, ?, ?, ?, ?, ?)`, id, name, string(role), micros(now), micros(expires), nullString(adminID)); err != nil {
		return app.Token{}, err
	}
	return getToken(ctx, tx, id)
}

// Token returns the token record with the given id. It returns ENotFound
// when there is none.
func (db *DB) Token(ctx context.Context, id string) (app.Token, error) {
	var t app.Token
	err := db.read(ctx, "get token", func(tx *sql.Tx) (err error) {
		t, err = getToken(ctx, tx, id)
		return err
	})
	return t, err
}

// ListTokens returns every API token record, newest first, revoked and
// expired ones included. Sign-in sessions of admin accounts are not API
// tokens and are left out. It returns only internal errors.
func (db *DB) ListTokens(ctx context.Context) ([]app.Token, error) {
	var list []app.Token
	err := db.read(ctx, "list tokens", func(tx *sql.Tx) (err error) {
		list, err = queryAll(ctx, tx, `SELECT `+tokenColumns+` FROM tokens WHERE admin_id IS NULL
			ORDER BY created_at DESC, id DESC`, scanToken)
		return err
	})
	return list, err
}

// RevokeToken marks the token revoked now; revoking it again keeps the
// first time. It returns ENotFound for an unknown id.
func (db *DB) RevokeToken(ctx context.Context, id string) error {
	return db.write(ctx, "revoke token", func(tx *sql.Tx, now time.Time) error {
		cid, ok := canonicalID(id)
		if !ok {
			return app.NotFound("token", id)
		}
		res, err := tx.ExecContext(ctx, `UPDATE tokens SET revoked_at = coalesce(revoked_at, ?)
			WHERE id = ?`, micros(now), cid)
		if err != nil {
			return err
		}
		return mustAffect(res, "token", id)
	})
}

// getToken reads one token in tx; ENotFound when there is none.
func getToken(ctx context.Context, tx *sql.Tx, id string) (app.Token, error) {
	cid, ok := canonicalID(id)
	if !ok {
		return app.Token{}, app.NotFound("token", id)
	}
	t, err := scanToken(tx.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM tokens WHERE id = ?`, cid))
	if errors.Is(err, sql.ErrNoRows) {
		return app.Token{}, app.NotFound("token", id)
	}
	return t, err
}

// scanToken reads a row of tokenColumns.
func scanToken(sc scanner) (app.Token, error) {
	var (
		t                app.Token
		role             string
		created, expires int64
		revoked          sql.NullInt64
	)
	if err := sc.Scan(&t.ID, &t.Name, &role, &created, &expires, &revoked, &t.AdminID); err != nil {
		return app.Token{}, err
	}
	t.Role = app.Role(role)
	t.CreatedAt, t.ExpiresAt, t.RevokedAt = fromMicros(created), fromMicros(expires), fromNullMicros(revoked)
	return t, nil
}
