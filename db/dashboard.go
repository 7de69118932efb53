package db

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"gatehouse/app"
)

var _ app.DashboardStore = (*DB)(nil)

// Dashboard queries. Each is answered from an index: coupons_created and
// coupons_redeemed (migration 0009) for the coupon ranges, the partial
// index site_users_active for the guests; sites are few and read whole.
const (
	dashboardCouponsSQL = `SELECT
		(SELECT COUNT(*) FROM coupons WHERE created_at >= ?),
		(SELECT COUNT(*) FROM coupons WHERE redeemed_at >= ?),
		(SELECT COUNT(*) FROM coupons WHERE created_at >= ?),
		(SELECT COUNT(*) FROM coupons WHERE redeemed_at >= ?)`
	dashboardGuestsSQL = `SELECT COUNT(*) FROM site_users WHERE active = 1`
	dashboardSitesSQL  = `SELECT state, COUNT(*) FROM sites GROUP BY state`
	// dashboardPortalsSQL counts each coupon instance's usable codes
	// through coupons_instance.
	dashboardPortalsSQL = `SELECT i.id, i.name, (SELECT COUNT(*) FROM coupons c WHERE c.instance_id = i.id
			AND c.revoked_at IS NULL AND c.redeemed_at IS NULL AND c.expires_at > ?)
		FROM instances i WHERE i.strategy = 'coupon' ORDER BY i.name, i.id`
)

// Dashboard counts, in one snapshot, the sites by state, the guest
// sessions active at the last sync of their site, and the coupons of all
// instances issued and redeemed at or after dayStart and weekStart, and
// each coupon instance's unused codes. It returns only internal errors.
func (db *DB) Dashboard(ctx context.Context, dayStart, weekStart time.Time) (app.Dashboard, error) {
	var d app.Dashboard
	err := db.read(ctx, "read dashboard", func(tx *sql.Tx) error {
		c := &d.Coupons
		err := tx.QueryRowContext(ctx, dashboardCouponsSQL, micros(dayStart), micros(dayStart), micros(weekStart), micros(weekStart)).
			Scan(&c.IssuedToday, &c.RedeemedToday, &c.IssuedWeek, &c.RedeemedWeek)
		if err != nil {
			return fmt.Errorf("count coupons: %w", err)
		}
		if err := tx.QueryRowContext(ctx, dashboardGuestsSQL).Scan(&d.GuestsOnline); err != nil {
			return fmt.Errorf("count guests: %w", err)
		}
		if d.Sites, err = countSites(ctx, tx); err != nil {
			return err
		}
		d.Portals, err = queryAll(ctx, tx, dashboardPortalsSQL, func(sc scanner) (app.PortalCodes, error) {
			var p app.PortalCodes
			err := sc.Scan(&p.ID, &p.Name, &p.Unused)
			return p, err
		}, micros(time.Now()))
		if err != nil {
			return fmt.Errorf("count unused codes: %w", err)
		}
		return nil
	})
	return d, err
}

// countSites counts the sites by their stored state; a state gatehouse
// does not know counts as unknown.
func countSites(ctx context.Context, tx *sql.Tx) (app.SiteCounts, error) {
	var out app.SiteCounts
	err := queryEach(ctx, tx, dashboardSitesSQL, func(sc scanner) error {
		var (
			state string
			n     int
		)
		if err := sc.Scan(&state, &n); err != nil {
			return err
		}
		out.Total += n
		switch state {
		case app.SiteOnline:
			out.Online += n
		case app.SiteOffline:
			out.Offline += n
		default:
			out.Unknown += n
		}
		return nil
	})
	if err != nil {
		return out, fmt.Errorf("count sites: %w", err)
	}
	return out, nil
}
