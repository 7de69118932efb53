package db

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"gatehouse/app"
)

var _ app.KeyStore = (*DB)(nil)

// maxKeySize bounds the size of a named key, in bytes.
const maxKeySize = 1024

// Key returns the named secret key, creating it from size random bytes on
// first use. Creation is atomic: concurrent callers, in this process or
// another one on the same data directory, all get the same key. A name
// that is empty or a size outside 1..1024 gives EInvalid; a stored key of
// another size is an internal error (the caller's size changed).
func (db *DB) Key(ctx context.Context, name string, size int) ([]byte, error) {
	if name == "" {
		return nil, app.Missing("name")
	}
	if size < 1 || size > maxKeySize {
		return nil, app.Invalid("size", app.ReasonParameterInvalid, "size must be between 1 and %d bytes", maxKeySize)
	}
	var sealed []byte
	err := db.read(ctx, "get key", func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT value FROM keys WHERE name = ?`, name).Scan(&sealed)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if sealed == nil {
		if sealed, err = db.createKey(ctx, name, size); err != nil {
			return nil, err
		}
	}
	key, err := db.secret.open(placeKey(name), sealed)
	if err != nil {
		return nil, fmt.Errorf("key %q: %w", name, err)
	}
	if len(key) != size {
		return nil, fmt.Errorf("key %q holds %d bytes, want %d", name, len(key), size)
	}
	return key, nil
}

// createKey stores a new random key under name unless one exists already,
// and returns whichever key is stored, still sealed.
func (db *DB) createKey(ctx context.Context, name string, size int) ([]byte, error) {
	var sealed []byte
	err := db.write(ctx, "create key", func(tx *sql.Tx, now time.Time) error {
		key := make([]byte, size)
		if _, err := rand.Read(key); err != nil {
			return err
		}
		v, err := db.secret.seal(placeKey(name), key)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO keys (name, value, created_at) VALUES (?, ?, ?)
			ON CONFLICT (name) DO NOTHING`, name, v, micros(now))
		if err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT value FROM keys WHERE name = ?`, name).Scan(&sealed)
	})
	return sealed, err
}
