package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"gatehouse/app"
)

var _ app.InstanceStore = (*DB)(nil)

const instanceColumns = `id, name, strategy, session_ttl, auth_window_ttl, auth_integration_id,
	theme_accent_text, theme_accent_color, theme_text_color, theme_secondary_text_color,
	theme_background_color, theme_border_color, theme_box_color, terms_text, locale,
	coupon_length, coupon_charset, wifi_name, terms_translations, created_at, updated_at`

// ListInstances returns every instance, oldest first, each with its sites
// in the order they were given. It returns only internal errors.
func (db *DB) ListInstances(ctx context.Context) ([]app.Instance, error) {
	var list []app.Instance
	err := db.read(ctx, "list instances", func(tx *sql.Tx) (err error) {
		list, err = queryAll(ctx, tx, `SELECT `+instanceColumns+` FROM instances ORDER BY created_at, id`, scanInstance)
		if err != nil {
			return err
		}
		sites, err := instanceSites(ctx, tx, `SELECT instance_id, site_id, subnets
			FROM instance_sites ORDER BY instance_id, position`)
		if err != nil {
			return err
		}
		for i := range list {
			if s := sites[list[i].ID]; s != nil {
				list[i].Sites = s
			}
		}
		return loadImageVersions(ctx, tx, list)
	})
	if err != nil {
		return nil, err
	}
	return list, nil
}

// Instance returns the instance with the given id. It returns ENotFound
// when there is none.
func (db *DB) Instance(ctx context.Context, id string) (app.Instance, error) {
	var in app.Instance
	err := db.read(ctx, "get instance", func(tx *sql.Tx) (err error) {
		in, err = getInstance(ctx, tx, id)
		return err
	})
	return in, err
}

// CreateInstance normalizes and validates in (EInvalid, also when a listed
// site or the auth integration does not exist), stores it with a new id and
// returns the stored instance.
func (db *DB) CreateInstance(ctx context.Context, in app.Instance) (app.Instance, error) {
	var out app.Instance
	err := db.write(ctx, "create instance", func(tx *sql.Tx, now time.Time) error {
		in.Sites = cloneSites(in.Sites)
		if err := checkInstance(ctx, tx, &in); err != nil {
			return err
		}
		id, err := newID()
		if err != nil {
			return err
		}
		in.ID = id
		t := in.Theme
		_, err = tx.ExecContext(ctx, `INSERT INTO instances (`+instanceColumns+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			in.ID, in.Name, in.Strategy, in.SessionTTL, in.AuthWindowTTL, nullString(in.AuthIntegrationID),
			t.AccentText, t.AccentColor, t.TextColor, t.SecondaryTextColor,
			t.BackgroundColor, t.BorderColor, t.BoxColor, in.TermsText, in.Locale,
			in.CouponLength, in.CouponCharset, in.WifiName, termsJSON(in.TermsTranslations), micros(now), micros(now))
		if err != nil {
			return err
		}
		if err := writeInstanceSites(ctx, tx, in); err != nil {
			return err
		}
		out, err = getInstance(ctx, tx, in.ID)
		return err
	})
	return out, err
}

// UpdateInstance loads the instance, applies change to it, normalizes and
// validates the result (EInvalid, as for CreateInstance) and stores it, all
// in one transaction. ID and CreatedAt cannot be changed. It returns
// ENotFound for an unknown id, and the error of change unchanged (nothing
// is written then).
func (db *DB) UpdateInstance(ctx context.Context, id string, change func(*app.Instance) error) (app.Instance, error) {
	var out app.Instance
	err := db.write(ctx, "update instance", func(tx *sql.Tx, now time.Time) error {
		in, err := getInstance(ctx, tx, id)
		if err != nil {
			return err
		}
		id, created := in.ID, in.CreatedAt
		if err := change(&in); err != nil {
			return &changeError{err}
		}
		in.ID, in.CreatedAt = id, created
		in.Sites = cloneSites(in.Sites)
		if err := checkInstance(ctx, tx, &in); err != nil {
			return err
		}
		t := in.Theme
		_, err = tx.ExecContext(ctx, `UPDATE instances SET name = ?, strategy = ?,
			session_ttl = ?, auth_window_ttl = ?, auth_integration_id = ?,
			theme_accent_text = ?, theme_accent_color = ?, theme_text_color = ?,
			theme_secondary_text_color = ?, theme_background_color = ?,
			theme_border_color = ?, theme_box_color = ?, terms_text = ?, locale = ?,
			coupon_length = ?, coupon_charset = ?, wifi_name = ?, terms_translations = ?, updated_at = ?
			WHERE id = ?`,
			in.Name, in.Strategy, in.SessionTTL, in.AuthWindowTTL, nullString(in.AuthIntegrationID),
			t.AccentText, t.AccentColor, t.TextColor, t.SecondaryTextColor,
			t.BackgroundColor, t.BorderColor, t.BoxColor, in.TermsText, in.Locale,
			in.CouponLength, in.CouponCharset, in.WifiName, termsJSON(in.TermsTranslations), micros(now), in.ID)
		if err != nil {
			return err
		}
		if err := writeInstanceSites(ctx, tx, in); err != nil {
			return err
		}
		out, err = getInstance(ctx, tx, in.ID)
		return err
	})
	return out, err
}

// DeleteInstance deletes the instance (its sites stay). It returns
// ENotFound for an unknown id.
func (db *DB) DeleteInstance(ctx context.Context, id string) error {
	return db.write(ctx, "delete instance", func(tx *sql.Tx, _ time.Time) error {
		cid, ok := canonicalID(id)
		if !ok {
			return app.NotFound("instance", id)
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM instances WHERE id = ?`, cid)
		if err != nil {
			return err
		}
		return mustAffect(res, "instance", id)
	})
}

// checkInstance normalizes and validates in, then checks in tx that the
// sites and auth integration it refers to exist. Ids that are UUIDs are
// put in canonical form first, so one site cannot be listed twice under
// two spellings.
// requireInstance returns the canonical id of an instance; ENotFound when
// there is none.
func requireInstance(ctx context.Context, tx *sql.Tx, instanceID string) (string, error) {
	iid, ok := canonicalID(instanceID)
	if !ok {
		return "", app.NotFound("instance", instanceID)
	}
	found, err := exists(ctx, tx, `SELECT 1 FROM instances WHERE id = ?`, iid)
	if err != nil {
		return "", fmt.Errorf("look up instance: %w", err)
	}
	if !found {
		return "", app.NotFound("instance", instanceID)
	}
	return iid, nil
}

func checkInstance(ctx context.Context, tx *sql.Tx, in *app.Instance) error {
	in.Normalize()
	if id, ok := canonicalID(in.AuthIntegrationID); ok {
		in.AuthIntegrationID = id
	}
	for i := range in.Sites {
		if id, ok := canonicalID(in.Sites[i].ID); ok {
			in.Sites[i].ID = id
		}
	}
	if err := in.Validate(); err != nil {
		return err
	}
	if id := in.AuthIntegrationID; id != "" {
		ok, err := exists(ctx, tx, `SELECT 1 FROM auth_integrations WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if !ok {
			return app.Invalid("auth_integration_id", app.ReasonParameterInvalid, "no auth integration with id %q", id)
		}
	}
	for i, s := range in.Sites {
		ok, err := exists(ctx, tx, `SELECT 1 FROM sites WHERE id = ?`, s.ID)
		if err != nil {
			return err
		}
		if !ok {
			return app.Invalid(fmt.Sprintf("sites[%d].id", i), app.ReasonParameterInvalid, "no site with id %q", s.ID)
		}
	}
	return nil
}

// writeInstanceSites replaces the site rows of in.
func writeInstanceSites(ctx context.Context, tx *sql.Tx, in app.Instance) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM instance_sites WHERE instance_id = ?`, in.ID); err != nil {
		return err
	}
	for i, s := range in.Sites {
		subnets, err := json.Marshal(s.Subnets)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO instance_sites (instance_id, site_id, position, subnets)
			VALUES (?, ?, ?, ?)`, in.ID, s.ID, i, string(subnets))
		if err != nil {
			return err
		}
	}
	return nil
}

// getInstance reads one instance and its sites in tx; ENotFound when there
// is none.
func getInstance(ctx context.Context, tx *sql.Tx, id string) (app.Instance, error) {
	cid, ok := canonicalID(id)
	if !ok {
		return app.Instance{}, app.NotFound("instance", id)
	}
	in, err := scanInstance(tx.QueryRowContext(ctx, `SELECT `+instanceColumns+` FROM instances WHERE id = ?`, cid))
	if errors.Is(err, sql.ErrNoRows) {
		return app.Instance{}, app.NotFound("instance", id)
	}
	if err != nil {
		return app.Instance{}, err
	}
	sites, err := instanceSites(ctx, tx, `SELECT instance_id, site_id, subnets
		FROM instance_sites WHERE instance_id = ? ORDER BY position`, cid)
	if err != nil {
		return app.Instance{}, err
	}
	if s := sites[cid]; s != nil {
		in.Sites = s
	}
	one := []app.Instance{in}
	if err := loadImageVersions(ctx, tx, one); err != nil {
		return app.Instance{}, err
	}
	return one[0], nil
}

// instanceSites runs query, which selects instance_id, site_id and subnets
// in order, and groups the rows by instance id.
func instanceSites(ctx context.Context, tx *sql.Tx, query string, args ...any) (map[string][]app.InstanceSite, error) {
	m := map[string][]app.InstanceSite{}
	err := queryEach(ctx, tx, query, func(sc scanner) error {
		var instanceID, subnets string
		var s app.InstanceSite
		if err := sc.Scan(&instanceID, &s.ID, &subnets); err != nil {
			return err
		}
		if err := json.Unmarshal([]byte(subnets), &s.Subnets); err != nil {
			return fmt.Errorf("subnets of site %s in instance %s: %w", s.ID, instanceID, err)
		}
		if s.Subnets == nil {
			s.Subnets = []string{}
		}
		m[instanceID] = append(m[instanceID], s)
		return nil
	}, args...)
	if err != nil {
		return nil, err
	}
	return m, nil
}

// scanInstance reads a row of instanceColumns. Sites start empty.
func scanInstance(sc scanner) (app.Instance, error) {
	var (
		in               app.Instance
		integration      sql.NullString
		terms            string
		created, updated int64
	)
	t := &in.Theme
	err := sc.Scan(&in.ID, &in.Name, &in.Strategy, &in.SessionTTL, &in.AuthWindowTTL, &integration,
		&t.AccentText, &t.AccentColor, &t.TextColor, &t.SecondaryTextColor,
		&t.BackgroundColor, &t.BorderColor, &t.BoxColor, &in.TermsText, &in.Locale,
		&in.CouponLength, &in.CouponCharset, &in.WifiName, &terms, &created, &updated)
	if err != nil {
		return app.Instance{}, err
	}
	in.AuthIntegrationID = integration.String
	if err := json.Unmarshal([]byte(terms), &in.TermsTranslations); err != nil {
		return app.Instance{}, fmt.Errorf("terms_translations of instance %s: %w", in.ID, err)
	}
	if in.TermsTranslations == nil {
		in.TermsTranslations = map[string]string{}
	}
	in.Sites = []app.InstanceSite{}
	in.CreatedAt, in.UpdatedAt = fromMicros(created), fromMicros(updated)
	return in, nil
}

// termsJSON is the stored form of an instance's terms translations.
func termsJSON(terms map[string]string) string {
	if len(terms) == 0 {
		return "{}"
	}
	b, err := json.Marshal(terms)
	if err != nil { // a map of strings always marshals
		return "{}"
	}
	return string(b)
}

// cloneSites copies sites deeply, so that normalizing them does not write
// into the caller's slices.
func cloneSites(sites []app.InstanceSite) []app.InstanceSite {
	out := make([]app.InstanceSite, len(sites))
	for i, s := range sites {
		out[i] = app.InstanceSite{ID: s.ID, Subnets: slices.Clone(s.Subnets)}
	}
	return out
}
