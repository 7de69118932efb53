package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"gatehouse/app"
)

var _ app.AuthIntegrationStore = (*DB)(nil)

const authIntegrationColumns = `id, name, type, client_id, client_secret, tenant, created_at, updated_at`

// ListAuthIntegrations returns every auth integration, oldest first, with
// client secrets decrypted. It returns only internal errors.
func (db *DB) ListAuthIntegrations(ctx context.Context) ([]app.AuthIntegration, error) {
	var list []app.AuthIntegration
	err := db.read(ctx, "list auth integrations", func(tx *sql.Tx) (err error) {
		list, err = queryAll(ctx, tx, `SELECT `+authIntegrationColumns+`
			FROM auth_integrations ORDER BY created_at, id`, db.scanAuthIntegration)
		return err
	})
	if err != nil {
		return nil, err
	}
	return list, nil
}

// AuthIntegration returns the auth integration with the given id, client
// secret decrypted. It returns ENotFound when there is none.
func (db *DB) AuthIntegration(ctx context.Context, id string) (app.AuthIntegration, error) {
	var a app.AuthIntegration
	err := db.read(ctx, "get auth integration", func(tx *sql.Tx) (err error) {
		a, err = db.getAuthIntegration(ctx, tx, id)
		return err
	})
	return a, err
}

// CreateAuthIntegration normalizes and validates a (EInvalid), stores it
// with a new id and its client secret encrypted, and returns the stored
// integration.
func (db *DB) CreateAuthIntegration(ctx context.Context, a app.AuthIntegration) (app.AuthIntegration, error) {
	var out app.AuthIntegration
	err := db.write(ctx, "create auth integration", func(tx *sql.Tx, now time.Time) error {
		a.Normalize()
		if err := a.Validate(); err != nil {
			return err
		}
		id, err := newID()
		if err != nil {
			return err
		}
		a.ID = id
		secret, err := db.secret.seal(placeClientSecret(a.ID), []byte(a.ClientSecret))
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO auth_integrations (`+authIntegrationColumns+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			a.ID, a.Name, a.Type, a.ClientID, secret, a.Tenant, micros(now), micros(now))
		if err != nil {
			return err
		}
		out, err = db.getAuthIntegration(ctx, tx, a.ID)
		return err
	})
	return out, err
}

// UpdateAuthIntegration loads the integration, applies change to it,
// normalizes and validates the result (EInvalid) and stores it, all in one
// transaction. ID and CreatedAt cannot be changed. It returns ENotFound for
// an unknown id, and the error of change unchanged (nothing is written
// then).
func (db *DB) UpdateAuthIntegration(ctx context.Context, id string, change func(*app.AuthIntegration) error) (app.AuthIntegration, error) {
	var out app.AuthIntegration
	err := db.write(ctx, "update auth integration", func(tx *sql.Tx, now time.Time) error {
		a, err := db.getAuthIntegration(ctx, tx, id)
		if err != nil {
			return err
		}
		id, created := a.ID, a.CreatedAt
		if err := change(&a); err != nil {
			return &changeError{err}
		}
		a.ID, a.CreatedAt, a.UpdatedAt = id, created, now
		a.Normalize()
		if err := a.Validate(); err != nil {
			return err
		}
		secret, err := db.secret.seal(placeClientSecret(a.ID), []byte(a.ClientSecret))
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE auth_integrations SET name = ?, type = ?,
			client_id = ?, client_secret = ?, tenant = ?, updated_at = ?
			WHERE id = ?`,
			a.Name, a.Type, a.ClientID, secret, a.Tenant, micros(now), a.ID)
		if err != nil {
			return err
		}
		out, err = db.getAuthIntegration(ctx, tx, a.ID)
		return err
	})
	return out, err
}

// DeleteAuthIntegration deletes the integration. It returns ENotFound for
// an unknown id and EConflict when an instance uses it.
func (db *DB) DeleteAuthIntegration(ctx context.Context, id string) error {
	return db.write(ctx, "delete auth integration", func(tx *sql.Tx, _ time.Time) error {
		cid, ok := canonicalID(id)
		if !ok {
			return app.NotFound("auth integration", id)
		}
		var name string
		err := tx.QueryRowContext(ctx, `SELECT name FROM instances WHERE auth_integration_id = ?
			ORDER BY created_at, id LIMIT 1`, cid).Scan(&name)
		switch {
		case err == nil:
			return &app.Error{Code: app.EConflict, Reason: app.ReasonResourceConflict,
				Message: fmt.Sprintf("auth integration is used by instance %q; remove it from the instance first", name)}
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM auth_integrations WHERE id = ?`, cid)
		if err != nil {
			return err
		}
		return mustAffect(res, "auth integration", id)
	})
}

// getAuthIntegration reads one integration in tx; ENotFound when there is
// none.
func (db *DB) getAuthIntegration(ctx context.Context, tx *sql.Tx, id string) (app.AuthIntegration, error) {
	cid, ok := canonicalID(id)
	if !ok {
		return app.AuthIntegration{}, app.NotFound("auth integration", id)
	}
	a, err := db.scanAuthIntegration(tx.QueryRowContext(ctx, `SELECT `+authIntegrationColumns+`
		FROM auth_integrations WHERE id = ?`, cid))
	if errors.Is(err, sql.ErrNoRows) {
		return app.AuthIntegration{}, app.NotFound("auth integration", id)
	}
	return a, err
}

// scanAuthIntegration reads a row of authIntegrationColumns and decrypts
// the client secret.
func (db *DB) scanAuthIntegration(sc scanner) (app.AuthIntegration, error) {
	var (
		a                app.AuthIntegration
		secret           []byte
		created, updated int64
	)
	if err := sc.Scan(&a.ID, &a.Name, &a.Type, &a.ClientID, &secret, &a.Tenant, &created, &updated); err != nil {
		return app.AuthIntegration{}, err
	}
	a.CreatedAt, a.UpdatedAt = fromMicros(created), fromMicros(updated)
	var err error
	if a.ClientSecret, err = db.secret.openString(placeClientSecret(a.ID), secret); err != nil {
		return app.AuthIntegration{}, fmt.Errorf("client secret of auth integration %s: %w", a.ID, err)
	}
	return a, nil
}
