package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"gatehouse/app"
)

var _ app.SiteStore = (*DB)(nil)

const siteColumns = `id, name, host, port, username, password, tls, tls_fingerprint,
	hotspot_server, state, last_seen_at, last_sync_at, last_error, identity,
	routeros_version, hotspot_hosts, cpu_load, uptime_seconds, created_at, updated_at, drift_count, last_error_text`

// ListSites returns every site, oldest first, with passwords decrypted.
// It returns only internal errors.
func (db *DB) ListSites(ctx context.Context) ([]app.Site, error) {
	var sites []app.Site
	err := db.read(ctx, "list sites", func(tx *sql.Tx) (err error) {
		sites, err = queryAll(ctx, tx, `SELECT `+siteColumns+` FROM sites ORDER BY created_at, id`, db.scanSite)
		return err
	})
	if err != nil {
		return nil, err
	}
	return sites, nil
}

// Site returns the site with the given id, password decrypted. It returns
// ENotFound when there is none.
func (db *DB) Site(ctx context.Context, id string) (app.Site, error) {
	var s app.Site
	err := db.read(ctx, "get site", func(tx *sql.Tx) (err error) {
		s, err = db.getSite(ctx, tx, id)
		return err
	})
	return s, err
}

// CreateSite normalizes and validates s (EInvalid), stores it with a new
// id and its password encrypted, and returns the stored site.
func (db *DB) CreateSite(ctx context.Context, s app.Site) (app.Site, error) {
	var out app.Site
	err := db.write(ctx, "create site", func(tx *sql.Tx, now time.Time) error {
		s.Normalize()
		if err := s.Validate(); err != nil {
			return err
		}
		id, err := newID()
		if err != nil {
			return err
		}
		s.ID, s.CreatedAt, s.UpdatedAt = id, now, now
		pw, err := db.secret.seal(placeSitePassword(s.ID), []byte(s.Password))
		if err != nil {
			return err
		}
		st := s.Status
		_, err = tx.ExecContext(ctx, `INSERT INTO sites (`+siteColumns+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)`,
			s.ID, s.Name, s.Host, s.Port, s.Username, pw, s.TLS, s.TLSFingerprint,
			s.HotspotServer, st.State, nullMicros(st.LastSeenAt), nullMicros(st.LastSyncAt),
			st.LastError, st.Identity, st.RouterOSVersion, strings.Join(st.HotspotHosts, " "),
			nullInt(st.CPULoad), nullSeconds(st.Uptime), micros(now), micros(now), textJSON(st.LastErrorText))
		if err != nil {
			return err
		}
		out, err = db.getSite(ctx, tx, s.ID)
		return err
	})
	return out, err
}

// UpdateSite loads the site, applies change to it, normalizes and
// validates the result (EInvalid) and stores it, all in one transaction;
// the status is stored as change leaves it. ID and CreatedAt cannot be
// changed. It returns ENotFound for an unknown id, and the error of change
// unchanged (nothing is written then).
func (db *DB) UpdateSite(ctx context.Context, id string, change func(*app.Site) error) (app.Site, error) {
	var out app.Site
	err := db.write(ctx, "update site", func(tx *sql.Tx, now time.Time) error {
		s, err := db.getSite(ctx, tx, id)
		if err != nil {
			return err
		}
		id, created := s.ID, s.CreatedAt
		if err := change(&s); err != nil {
			return &changeError{err}
		}
		s.ID, s.CreatedAt, s.UpdatedAt = id, created, now
		s.Normalize()
		if err := s.Validate(); err != nil {
			return err
		}
		pw, err := db.secret.seal(placeSitePassword(s.ID), []byte(s.Password))
		if err != nil {
			return err
		}
		st := s.Status
		_, err = tx.ExecContext(ctx, `UPDATE sites SET name = ?, host = ?, port = ?,
			username = ?, password = ?, tls = ?, tls_fingerprint = ?, hotspot_server = ?,
			state = ?, last_seen_at = ?, last_sync_at = ?, last_error = ?, last_error_text = ?, identity = ?,
			routeros_version = ?, hotspot_hosts = ?, cpu_load = ?, uptime_seconds = ?, updated_at = ?
			WHERE id = ?`,
			s.Name, s.Host, s.Port, s.Username, pw, s.TLS, s.TLSFingerprint, s.HotspotServer,
			st.State, nullMicros(st.LastSeenAt), nullMicros(st.LastSyncAt), st.LastError, textJSON(st.LastErrorText),
			st.Identity, st.RouterOSVersion, strings.Join(st.HotspotHosts, " "),
			nullInt(st.CPULoad), nullSeconds(st.Uptime), micros(now), s.ID)
		if err != nil {
			return err
		}
		out, err = db.getSite(ctx, tx, s.ID)
		return err
	})
	return out, err
}

// DeleteSite deletes the site and its walled garden entries. It returns
// ENotFound for an unknown id and EConflict when an instance uses the site.
func (db *DB) DeleteSite(ctx context.Context, id string) error {
	return db.write(ctx, "delete site", func(tx *sql.Tx, _ time.Time) error {
		cid, ok := canonicalID(id)
		if !ok {
			return app.NotFound("site", id)
		}
		var name string
		err := tx.QueryRowContext(ctx, `SELECT i.name FROM instance_sites s
			JOIN instances i ON i.id = s.instance_id
			WHERE s.site_id = ? ORDER BY i.created_at, i.id LIMIT 1`, cid).Scan(&name)
		switch {
		case err == nil:
			return &app.Error{Code: app.EConflict, Reason: app.ReasonResourceConflict,
				Message: fmt.Sprintf("site is used by instance %q; remove it from the instance first", name)}
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM sites WHERE id = ?`, cid)
		if err != nil {
			return err
		}
		return mustAffect(res, "site", id)
	})
}

// SetSiteStatus records what gatehouse last learned about a router. It
// leaves the site's configuration and UpdatedAt alone. An empty state
// means app.SiteUnknown; another unknown state gives EInvalid. It returns
// ENotFound for an unknown id.
func (db *DB) SetSiteStatus(ctx context.Context, id string, st app.SiteStatus) error {
	if st.State == "" {
		st.State = app.SiteUnknown
	}
	switch st.State {
	case app.SiteUnknown, app.SiteOnline, app.SiteOffline:
	default:
		return app.Invalid("state", app.ReasonParameterInvalid, "state must be unknown, online or offline")
	}
	return db.write(ctx, "set site status", func(tx *sql.Tx, _ time.Time) error {
		cid, ok := canonicalID(id)
		if !ok {
			return app.NotFound("site", id)
		}
		res, err := tx.ExecContext(ctx, `UPDATE sites SET state = ?, last_seen_at = ?,
			last_sync_at = ?, last_error = ?, last_error_text = ?, identity = ?, routeros_version = ?, hotspot_hosts = ?,
			cpu_load = ?, uptime_seconds = ?
			WHERE id = ?`,
			st.State, nullMicros(st.LastSeenAt), nullMicros(st.LastSyncAt), st.LastError, textJSON(st.LastErrorText),
			st.Identity, st.RouterOSVersion, strings.Join(st.HotspotHosts, " "),
			nullInt(st.CPULoad), nullSeconds(st.Uptime), cid)
		if err != nil {
			return err
		}
		return mustAffect(res, "site", id)
	})
}

// getSite reads one site in tx; ENotFound when there is none.
func (db *DB) getSite(ctx context.Context, tx *sql.Tx, id string) (app.Site, error) {
	cid, ok := canonicalID(id)
	if !ok {
		return app.Site{}, app.NotFound("site", id)
	}
	s, err := db.scanSite(tx.QueryRowContext(ctx, `SELECT `+siteColumns+` FROM sites WHERE id = ?`, cid))
	if errors.Is(err, sql.ErrNoRows) {
		return app.Site{}, app.NotFound("site", id)
	}
	return s, err
}

// scanSite reads a row of siteColumns and decrypts the password.
func (db *DB) scanSite(sc scanner) (app.Site, error) {
	var (
		s                app.Site
		pw               []byte
		seen, synced     sql.NullInt64
		created, updated int64
		hosts, errText   string
		load, uptime     sql.NullInt64
	)
	err := sc.Scan(&s.ID, &s.Name, &s.Host, &s.Port, &s.Username, &pw, &s.TLS,
		&s.TLSFingerprint, &s.HotspotServer, &s.Status.State, &seen, &synced,
		&s.Status.LastError, &s.Status.Identity, &s.Status.RouterOSVersion, &hosts, &load, &uptime, &created, &updated,
		&s.Status.DriftCount, &errText)
	if err != nil {
		return app.Site{}, err
	}
	if errText != "" {
		var t app.Text
		if json.Unmarshal([]byte(errText), &t) == nil {
			s.Status.LastErrorText = &t
		}
	}
	if hosts != "" {
		s.Status.HotspotHosts = strings.Fields(hosts)
	}
	if load.Valid {
		n := int(load.Int64)
		s.Status.CPULoad = &n
	}
	if uptime.Valid {
		d := time.Duration(uptime.Int64) * time.Second
		s.Status.Uptime = &d
	}
	s.Status.LastSeenAt, s.Status.LastSyncAt = fromNullMicros(seen), fromNullMicros(synced)
	s.CreatedAt, s.UpdatedAt = fromMicros(created), fromMicros(updated)
	if s.Password, err = db.secret.openString(placeSitePassword(s.ID), pw); err != nil {
		return app.Site{}, fmt.Errorf("password of site %s: %w", s.ID, err)
	}
	return s, nil
}

// textJSON stores an optional Text as JSON, ” for none.
func textJSON(t *app.Text) string {
	if t == nil {
		return ""
	}
	data, _ := json.Marshal(t)
	return string(data)
}

// nullSeconds stores an optional duration in whole seconds.
func nullSeconds(d *time.Duration) sql.NullInt64 {
	if d == nil {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: int64(*d / time.Second), Valid: true}
}
