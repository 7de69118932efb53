package db

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"gatehouse/app"
)

var _ app.DriftStore = (*DB)(nil)

// driftNamed is how many items one drift audit event names.
const driftNamed = 10

// RecordDrift implements app.DriftStore. The audit events are the
// reconciler's: actor "reconciler", action "router drift <menu>", the
// site as resource.
func (db *DB) RecordDrift(ctx context.Context, siteID string, items []app.DriftItem, at time.Time) error {
	if len(items) == 0 {
		return nil
	}
	return db.write(ctx, "record drift", func(tx *sql.Tx, _ time.Time) error {
		site, err := db.getSite(ctx, tx, siteID)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE sites SET drift_count = drift_count + ? WHERE id = ?`, len(items), site.ID); err != nil {
			return err
		}
		byMenu := map[string][]string{}
		var menus []string
		for _, it := range items {
			what := it.Item + " removed"
			if !it.Removed {
				what = it.Item + " changed (" + strings.Join(it.Attributes, ", ") + ")"
			}
			if byMenu[it.Menu] == nil {
				menus = append(menus, it.Menu)
			}
			byMenu[it.Menu] = append(byMenu[it.Menu], what)
		}
		for _, menu := range menus {
			named := byMenu[menu]
			text := strings.Join(named[:min(len(named), driftNamed)], "; ")
			if len(named) > driftNamed {
				text += fmt.Sprintf("; and %d more", len(named)-driftNamed)
			}
			e := app.AuditEvent{At: at, ActorID: "reconciler", ActorName: "reconciler",
				Action: "router drift " + menu + ": " + text, Resource: site.ID, Status: 200}
			if err := insertAudit(ctx, tx, e, at); err != nil {
				return err
			}
		}
		return nil
	})
}
