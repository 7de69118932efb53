package db

import (
	"context"
	"database/sql"
	"time"

	"gatehouse/app"
)

// SiteState returns what the router of a site should hold at now: a user
// profile per instance that applies to the site and per (instance, plan)
// of the coupons it holds, a hotspot user per coupon
// of those instances that can still be used (unused and unexpired, or
// redeemed and within its session, data left), a one-off hotspot user per OAuth2
// guest whose session runs, and the site's walled garden plus the sign-in
// hosts of the identity providers its oauth2 instances use.
// ENotFound for an unknown site.
func (db *DB) SiteState(ctx context.Context, siteID string, now time.Time) (app.RouterState, error) {
	var st app.RouterState
	err := db.read(ctx, "read site state", func(tx *sql.Tx) error {
		site, err := db.getSite(ctx, tx, siteID)
		if err != nil {
			return err
		}
		if st.Profiles, err = siteProfiles(ctx, tx, site.ID); err != nil {
			return err
		}
		users, planProfiles, err := siteCouponUsers(ctx, tx, site, now)
		if err != nil {
			return err
		}
		st.Users, st.Profiles = users, append(st.Profiles, planProfiles...)
		guests, err := db.siteOAuthUsers(ctx, tx, site, now)
		if err != nil {
			return err
		}
		st.Users = append(st.Users, guests...)
		if st.Garden, err = siteGardenRules(ctx, tx, site.ID); err != nil {
			return err
		}
		providers, err := siteProviderRules(ctx, tx, site.ID)
		st.Garden = append(st.Garden, providers...)
		return err
	})
	return st, err
}

func siteProfiles(ctx context.Context, tx *sql.Tx, siteID string) ([]app.RouterProfile, error) {
	return queryAll(ctx, tx, `SELECT i.id, i.session_ttl FROM instances i
		JOIN instance_sites s ON s.instance_id = i.id WHERE s.site_id = ? ORDER BY i.id`,
		func(sc scanner) (app.RouterProfile, error) {
			var id string
			var ttl int
			err := sc.Scan(&id, &ttl)
			return app.RouterProfile{Name: app.ProfileName(id), SessionTimeout: time.Duration(ttl) * time.Second,
				SharedUsers: 1}, err
		}, siteID)
}

// siteCouponUsers returns the hotspot users of the site's usable coupons
// and the user profiles of the plans they were made with: one per
// (instance, plan), with the plan's devices as shared-users, its speed as
// rate-limit and its session length as session-timeout. A coupon keeps
// the session length and data it was sold with; its user is locked to
// the device that redeemed it unless the plan allows several devices.
func siteCouponUsers(ctx context.Context, tx *sql.Tx, site app.Site, now time.Time) ([]app.RouterUser, []app.RouterProfile, error) {
	profiles := map[string]string{} // instance or instance+plan → profile name, one string for all its users
	var planProfiles []app.RouterProfile
	users, err := queryAll(ctx, tx, `SELECT c.id, c.code, c.instance_id, `+couponSessionSeconds+`, c.redeemed_mac,
			c.data_limit_mb, p.id, p.session_minutes, p.devices, p.download_kbps, p.upload_kbps
		FROM coupons c
		JOIN instances i ON i.id = c.instance_id AND i.strategy = 'coupon'
		JOIN instance_sites s ON s.instance_id = i.id AND s.site_id = ?
		LEFT JOIN plans p ON p.id = c.plan_id
		WHERE c.revoked_at IS NULL AND c.used_up_at IS NULL AND (
			(c.redeemed_at IS NULL AND c.expires_at > ?) OR
			(c.redeemed_at IS NOT NULL AND c.redeemed_at + (`+couponSessionSeconds+`) * 1000000 > ?))
		ORDER BY c.created_at, c.id`,
		func(sc scanner) (app.RouterUser, error) {
			var (
				id, code, instanceID, mac string
				seconds                   int
				dataMB, minutes, devices  sql.NullInt64
				planID                    sql.NullString
				down, up                  sql.NullInt64
			)
			err := sc.Scan(&id, &code, &instanceID, &seconds, &mac, &dataMB, &planID, &minutes, &devices, &down, &up)
			key := instanceID + "/" + planID.String
			profile, ok := profiles[key]
			switch {
			case ok:
			case planID.Valid:
				profile = app.PlanProfileName(instanceID, planID.String)
				plan := app.Plan{DownloadKbps: intPtr(down), UploadKbps: intPtr(up)}
				planProfiles = append(planProfiles, app.RouterProfile{Name: profile,
					SessionTimeout: time.Duration(minutes.Int64) * time.Minute,
					SharedUsers:    int(devices.Int64), RateLimit: plan.RateLimit()})
			default:
				profile = app.ProfileName(instanceID)
			}
			profiles[key] = profile
			if devices.Int64 > 1 {
				mac = "" // shared by several devices: no MAC lock
			}
			return app.RouterUser{Name: code, Password: code, Profile: profile,
				Server: site.HotspotServer, LimitUptime: time.Duration(seconds) * time.Second,
				LimitBytesTotal: dataMB.Int64 * app.BytesPerMB, MACAddress: mac,
				Comment: app.CouponComment(id)}, err
		}, site.ID, micros(now), micros(now))
	return users, planProfiles, err
}

func siteGardenRules(ctx context.Context, tx *sql.Tx, siteID string) ([]app.RouterGardenRule, error) {
	out := []app.RouterGardenRule{}
	err := queryEach(ctx, tx, `SELECT id, ip_address, host FROM walled_garden
		WHERE site_id = ? ORDER BY created_at, id`, func(sc scanner) error {
		var id, ip, host string
		if err := sc.Scan(&id, &ip, &host); err != nil {
			return err
		}
		if ip != "" {
			out = append(out, app.RouterGardenRule{DstAddress: ip, Comment: app.WalledGardenComment(id)})
		}
		if host != "" {
			out = append(out, app.RouterGardenRule{DstHost: host, Comment: app.WalledGardenComment(id)})
		}
		return nil
	}, siteID)
	if err != nil {
		return nil, err
	}
	return out, nil
}
