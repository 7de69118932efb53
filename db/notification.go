package db

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"gatehouse/app"

	"github.com/google/uuid"
)

var _ app.NotificationStore = (*DB)(nil)

// Notification group ids are "ng_" and the 32 lower-case hex digits of a
// UUIDv7, so they sort by creation and never look like another resource's.
const groupIDPrefix = "ng_"

// webhookSecretBytes is the size of a generated webhook secret, before
// hex encoding.
const webhookSecretBytes = 32

const groupColumns = `id, name, emails, webhook_url, webhook_secret, created_at, updated_at`

// placeWebhookSecret binds a group's encrypted webhook secret to its row.
func placeWebhookSecret(id string) string { return "notification_groups.webhook_secret:" + id }

// ListNotificationGroups returns every notification group, oldest first,
// with webhook secrets decrypted. It returns only internal errors.
func (db *DB) ListNotificationGroups(ctx context.Context) ([]app.NotificationGroup, error) {
	var groups []app.NotificationGroup
	err := db.read(ctx, "list notification groups", func(tx *sql.Tx) (err error) {
		groups, err = queryAll(ctx, tx, `SELECT `+groupColumns+` FROM notification_groups ORDER BY created_at, id`, db.scanGroup)
		return err
	})
	if err != nil {
		return nil, err
	}
	return groups, nil
}

// NotificationGroup returns the group with the given id, its webhook secret
// decrypted. It returns ENotFound when there is none.
func (db *DB) NotificationGroup(ctx context.Context, id string) (app.NotificationGroup, error) {
	var g app.NotificationGroup
	err := db.read(ctx, "get notification group", func(tx *sql.Tx) (err error) {
		g, err = db.getGroup(ctx, tx, id)
		return err
	})
	return g, err
}

// CreateNotificationGroup normalizes and validates g (EInvalid), stores it
// with a new id and its webhook secret encrypted, and returns the stored
// group. An empty WebhookSecret is replaced by 32 random bytes in hex.
func (db *DB) CreateNotificationGroup(ctx context.Context, g app.NotificationGroup) (app.NotificationGroup, error) {
	var out app.NotificationGroup
	err := db.write(ctx, "create notification group", func(tx *sql.Tx, now time.Time) error {
		g.Normalize()
		if err := g.Validate(); err != nil {
			return err
		}
		id, err := newGroupID()
		if err != nil {
			return err
		}
		g.ID, g.CreatedAt, g.UpdatedAt = id, now, now
		if g.WebhookSecret == "" {
			if g.WebhookSecret, err = newWebhookSecret(); err != nil {
				return err
			}
		}
		emails, secret, err := db.groupValues(g)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO notification_groups (`+groupColumns+`)
			VALUES (?, ?, ?, ?, ?, ?, ?)`,
			g.ID, g.Name, emails, g.WebhookURL, secret, micros(now), micros(now))
		if err != nil {
			return err
		}
		out, err = db.getGroup(ctx, tx, g.ID)
		return err
	})
	return out, err
}

// UpdateNotificationGroup loads the group, applies change to it, normalizes
// and validates the result (EInvalid) and stores it, all in one
// transaction. ID and CreatedAt cannot be changed; an empty WebhookSecret
// keeps the stored one. It returns ENotFound for an unknown id, and the
// error of change unchanged (nothing is written then).
func (db *DB) UpdateNotificationGroup(ctx context.Context, id string, change func(*app.NotificationGroup) error) (app.NotificationGroup, error) {
	var out app.NotificationGroup
	err := db.write(ctx, "update notification group", func(tx *sql.Tx, now time.Time) error {
		g, err := db.getGroup(ctx, tx, id)
		if err != nil {
			return err
		}
		id, created, secret := g.ID, g.CreatedAt, g.WebhookSecret
		if err := change(&g); err != nil {
			return &changeError{err}
		}
		g.ID, g.CreatedAt, g.UpdatedAt = id, created, now
		if g.WebhookSecret == "" {
			g.WebhookSecret = secret
		}
		g.Normalize()
		if err := g.Validate(); err != nil {
			return err
		}
		emails, sealed, err := db.groupValues(g)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE notification_groups SET name = ?, emails = ?,
			webhook_url = ?, webhook_secret = ?, updated_at = ?
			WHERE id = ?`,
			g.Name, emails, g.WebhookURL, sealed, micros(now), g.ID)
		if err != nil {
			return err
		}
		out, err = db.getGroup(ctx, tx, g.ID)
		return err
	})
	return out, err
}

// DeleteNotificationGroup deletes the group. It returns ENotFound for an
// unknown id and EConflict while a coupon schedule uses the group.
// Deliveries already queued for it stay in the outbox.
func (db *DB) DeleteNotificationGroup(ctx context.Context, id string) error {
	return db.write(ctx, "delete notification group", func(tx *sql.Tx, _ time.Time) error {
		cid, ok := canonicalGroupID(id)
		if !ok {
			return app.NotFound("notification group", id)
		}
		var name string
		err := tx.QueryRowContext(ctx, `SELECT name FROM coupon_schedules
			WHERE notification_group_id = ? ORDER BY created_at, id LIMIT 1`, cid).Scan(&name)
		switch {
		case err == nil:
			return &app.Error{Code: app.EConflict, Reason: app.ReasonResourceConflict,
				Message: fmt.Sprintf("notification group is used by coupon schedule %q; change the schedule first", name)}
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM notification_groups WHERE id = ?`, cid)
		if err != nil {
			return err
		}
		return mustAffect(res, "notification group", id)
	})
}

// newGroupID returns a new notification group id.
func newGroupID() (string, error) {
	u, err := uuid.NewV7()
	if err != nil {
		return "", fmt.Errorf("new id: %w", err)
	}
	return groupIDPrefix + hex.EncodeToString(u[:]), nil
}

// canonicalGroupID returns id unchanged and true when it has the shape of
// a group id ("ng_" and 32 lower-case hex digits), and false when it cannot
// name a stored group.
func canonicalGroupID(id string) (string, bool) {
	digits, ok := strings.CutPrefix(id, groupIDPrefix)
	if !ok || len(digits) != 32 {
		return "", false
	}
	for _, c := range digits {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return "", false
		}
	}
	return id, true
}

// newWebhookSecret returns a new random webhook signing secret.
func newWebhookSecret() (string, error) {
	b := make([]byte, webhookSecretBytes)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("new webhook secret: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// groupValues are the stored forms of a group's e-mail list (JSON) and
// webhook secret (encrypted for the group's row).
func (db *DB) groupValues(g app.NotificationGroup) (emails string, secret []byte, err error) {
	list := g.Emails
	if list == nil {
		list = []string{}
	}
	b, err := json.Marshal(list)
	if err != nil {
		return "", nil, fmt.Errorf("encode emails: %w", err)
	}
	secret, err = db.secret.seal(placeWebhookSecret(g.ID), []byte(g.WebhookSecret))
	if err != nil {
		return "", nil, err
	}
	return string(b), secret, nil
}

// getGroup reads one group in tx; ENotFound when there is none.
func (db *DB) getGroup(ctx context.Context, tx *sql.Tx, id string) (app.NotificationGroup, error) {
	cid, ok := canonicalGroupID(id)
	if !ok {
		return app.NotificationGroup{}, app.NotFound("notification group", id)
	}
	g, err := db.scanGroup(tx.QueryRowContext(ctx, `SELECT `+groupColumns+` FROM notification_groups WHERE id = ?`, cid))
	if errors.Is(err, sql.ErrNoRows) {
		return app.NotificationGroup{}, app.NotFound("notification group", id)
	}
	return g, err
}

// scanGroup reads a row of groupColumns, decodes the e-mail list and
// decrypts the webhook secret.
func (db *DB) scanGroup(sc scanner) (app.NotificationGroup, error) {
	var (
		g                app.NotificationGroup
		emails           string
		secret           []byte
		created, updated int64
	)
	if err := sc.Scan(&g.ID, &g.Name, &emails, &g.WebhookURL, &secret, &created, &updated); err != nil {
		return app.NotificationGroup{}, err
	}
	if err := json.Unmarshal([]byte(emails), &g.Emails); err != nil {
		return app.NotificationGroup{}, fmt.Errorf("emails of notification group %s: %w", g.ID, err)
	}
	if g.Emails == nil {
		g.Emails = []string{}
	}
	g.CreatedAt, g.UpdatedAt = fromMicros(created), fromMicros(updated)
	var err error
	if g.WebhookSecret, err = db.secret.openString(placeWebhookSecret(g.ID), secret); err != nil {
		return app.NotificationGroup{}, fmt.Errorf("webhook secret of notification group %s: %w", g.ID, err)
	}
	return g, nil
}
