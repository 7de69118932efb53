package web

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gatehouse/app"
)

// The "You are online" view: the time left, when the session ends, the
// data used and a way to log out. It is shown only to the device itself
// (ownDeviceSite, or right after an API login of the connection's own
// address), so what it shows is that device's own session.

// online fills the online view of a guest at site whose session ends at
// ends. The Log out button goes to the router's $(link-logout) that
// login.html passed, only when it is the hotspot of one of the
// instance's sites (hotspotLogin, as for link-login-only).
func (s *Server) online(ctx context.Context, v *portalView, pr portalRequest, site string, ends time.Time) {
	v.Online, v.Remaining, v.EndsAt = true, formatRemaining(max(ends.Sub(s.now()), 0)), ends.UTC()
	if raw := pr.params.Get("link-logout"); raw != "" {
		if _, logout := s.hotspotLogin(ctx, pr.inst, raw, site); logout != nil {
			v.LogoutURL = logout.String()
		} else {
			s.logger.WarnContext(ctx, "portal: dropped a logout link to a host that is no hotspot of the instance's sites",
				"instance", pr.inst.ID, "link", raw)
		}
	}
}

// dataUsed is what the guest user on the device mac at site moved in its
// current session (upload and download), as the router last reported it
// to the reconcile loop; "" when the router has not reported the session
// yet.
func (s *Server) dataUsed(ctx context.Context, site, user, mac string) string {
	if user == "" {
		return ""
	}
	users, err := s.store.ListSiteUsers(ctx, site, true)
	if err != nil {
		s.logger.WarnContext(ctx, "portal: read the guest's session", "site", site, "err", err)
		return ""
	}
	for _, u := range users {
		if u.Active && strings.EqualFold(u.Username, user) && strings.EqualFold(u.MACAddress, mac) {
			return formatBytes(u.BytesIn + u.BytesOut)
		}
	}
	return ""
}

// dataLeft is what a coupon has left of its plan's data, as the routers
// last counted it; "" when its data is unlimited.
func dataLeft(c app.Coupon) string {
	if c.DataLimitMB == nil {
		return ""
	}
	return formatBytes(max(0, int64(*c.DataLimitMB)*app.BytesPerMB-c.BytesIn-c.BytesOut))
}

// formatBytes writes a byte count in decimal units: "512 B", "3.4 MB".
func formatBytes(n int64) string {
	if n < 1000 {
		return fmt.Sprintf("%d B", max(n, 0))
	}
	f, units := float64(n), []string{"kB", "MB", "GB", "TB"}
	for i, u := range units {
		f /= 1000
		if f < 999.95 || i == len(units)-1 {
			if f < 10 {
				return fmt.Sprintf("%.1f %s", f, u)
			}
			return fmt.Sprintf("%.0f %s", f, u)
		}
	}
	return ""
}
