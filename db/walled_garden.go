package db

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"gatehouse/app"
)

var _ app.WalledGardenStore = (*DB)(nil)

const walledGardenColumns = `id, site_id, name, type, ip_address, host, created_at, updated_at`

// ListWalledGarden returns the walled garden entries of a site, oldest
// first. It returns ENotFound when the site does not exist.
func (db *DB) ListWalledGarden(ctx context.Context, siteID string) ([]app.WalledGardenEntry, error) {
	var list []app.WalledGardenEntry
	err := db.read(ctx, "list walled garden", func(tx *sql.Tx) (err error) {
		cid, err := siteExists(ctx, tx, siteID)
		if err != nil {
			return err
		}
		list, err = queryAll(ctx, tx, `SELECT `+walledGardenColumns+` FROM walled_garden
			WHERE site_id = ? ORDER BY created_at, id`, scanWalledGarden, cid)
		return err
	})
	if err != nil {
		return nil, err
	}
	return list, nil
}

// WalledGardenEntry returns one entry of a site. It returns ENotFound when
// the site does not exist or has no entry with that id.
func (db *DB) WalledGardenEntry(ctx context.Context, siteID, id string) (app.WalledGardenEntry, error) {
	var w app.WalledGardenEntry
	err := db.read(ctx, "get walled garden entry", func(tx *sql.Tx) error {
		cid, err := siteExists(ctx, tx, siteID)
		if err != nil {
			return err
		}
		w, err = getWalledGarden(ctx, tx, cid, id)
		return err
	})
	return w, err
}

// CreateWalledGardenEntry normalizes and validates w (EInvalid), stores it
// with a new id under w.SiteID and returns the stored entry. It returns
// ENotFound when the site does not exist.
func (db *DB) CreateWalledGardenEntry(ctx context.Context, w app.WalledGardenEntry) (app.WalledGardenEntry, error) {
	var out app.WalledGardenEntry
	err := db.write(ctx, "create walled garden entry", func(tx *sql.Tx, now time.Time) error {
		cid, err := siteExists(ctx, tx, w.SiteID)
		if err != nil {
			return err
		}
		w.Normalize()
		if err := w.Validate(); err != nil {
			return err
		}
		if w.ID, err = newID(); err != nil {
			return err
		}
		w.SiteID = cid
		_, err = tx.ExecContext(ctx, `INSERT INTO walled_garden (`+walledGardenColumns+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			w.ID, w.SiteID, w.Name, w.Type, w.IPAddress, w.Host, micros(now), micros(now))
		if err != nil {
			return err
		}
		out, err = getWalledGarden(ctx, tx, cid, w.ID)
		return err
	})
	return out, err
}

// UpdateWalledGardenEntry loads the entry, applies change to it, normalizes
// and validates the result (EInvalid) and stores it, all in one
// transaction. ID, SiteID and CreatedAt cannot be changed. It returns
// ENotFound when the site or the entry within it does not exist, and the
// error of change unchanged (nothing is written then).
func (db *DB) UpdateWalledGardenEntry(ctx context.Context, siteID, id string, change func(*app.WalledGardenEntry) error) (app.WalledGardenEntry, error) {
	var out app.WalledGardenEntry
	err := db.write(ctx, "update walled garden entry", func(tx *sql.Tx, now time.Time) error {
		cid, err := siteExists(ctx, tx, siteID)
		if err != nil {
			return err
		}
		w, err := getWalledGarden(ctx, tx, cid, id)
		if err != nil {
			return err
		}
		id, site, created := w.ID, w.SiteID, w.CreatedAt
		if err := change(&w); err != nil {
			return &changeError{err}
		}
		w.ID, w.SiteID, w.CreatedAt = id, site, created
		w.Normalize()
		if err := w.Validate(); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE walled_garden SET name = ?, type = ?,
			ip_address = ?, host = ?, updated_at = ?
			WHERE id = ?`,
			w.Name, w.Type, w.IPAddress, w.Host, micros(now), w.ID)
		if err != nil {
			return err
		}
		out, err = getWalledGarden(ctx, tx, cid, w.ID)
		return err
	})
	return out, err
}

// DeleteWalledGardenEntry deletes one entry of a site. It returns
// ENotFound when the site or the entry within it does not exist.
func (db *DB) DeleteWalledGardenEntry(ctx context.Context, siteID, id string) error {
	return db.write(ctx, "delete walled garden entry", func(tx *sql.Tx, _ time.Time) error {
		cid, err := siteExists(ctx, tx, siteID)
		if err != nil {
			return err
		}
		eid, ok := canonicalID(id)
		if !ok {
			return app.NotFound("walled garden entry", id)
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM walled_garden WHERE site_id = ? AND id = ?`, cid, eid)
		if err != nil {
			return err
		}
		return mustAffect(res, "walled garden entry", id)
	})
}

// siteExists returns the canonical id of the site, or ENotFound.
func siteExists(ctx context.Context, tx *sql.Tx, siteID string) (string, error) {
	cid, ok := canonicalID(siteID)
	if !ok {
		return "", app.NotFound("site", siteID)
	}
	found, err := exists(ctx, tx, `SELECT 1 FROM sites WHERE id = ?`, cid)
	if err != nil {
		return "", err
	}
	if !found {
		return "", app.NotFound("site", siteID)
	}
	return cid, nil
}

// getWalledGarden reads the entry id of site siteID (canonical) in tx;
// ENotFound when the site has no such entry.
func getWalledGarden(ctx context.Context, tx *sql.Tx, siteID, id string) (app.WalledGardenEntry, error) {
	eid, ok := canonicalID(id)
	if !ok {
		return app.WalledGardenEntry{}, app.NotFound("walled garden entry", id)
	}
	w, err := scanWalledGarden(tx.QueryRowContext(ctx, `SELECT `+walledGardenColumns+`
		FROM walled_garden WHERE site_id = ? AND id = ?`, siteID, eid))
	if errors.Is(err, sql.ErrNoRows) {
		return app.WalledGardenEntry{}, app.NotFound("walled garden entry", id)
	}
	return w, err
}

// scanWalledGarden reads a row of walledGardenColumns.
func scanWalledGarden(sc scanner) (app.WalledGardenEntry, error) {
	var (
		w                app.WalledGardenEntry
		created, updated int64
	)
	if err := sc.Scan(&w.ID, &w.SiteID, &w.Name, &w.Type, &w.IPAddress, &w.Host, &created, &updated); err != nil {
		return app.WalledGardenEntry{}, err
	}
	w.CreatedAt, w.UpdatedAt = fromMicros(created), fromMicros(updated)
	return w, nil
}
