package app

import (
	"context"
	"time"
)

// Dashboard is the admin page's overview: how the routers are, how many
// guests are on, and how many coupons were issued and redeemed lately.
type Dashboard struct {
	Sites        SiteCounts
	GuestsOnline int // site users whose session was active at their site's last sync
	Coupons      CouponCounts
	// Portals are the coupon instances, by name, with their unused codes.
	Portals []PortalCodes
}

// PortalCodes is how many codes of a coupon instance are left to hand
// out: unused, unexpired and not revoked.
type PortalCodes struct {
	ID, Name string
	Unused   int
}

// SiteCounts counts sites by their last known state (SiteOnline,
// SiteOffline, SiteUnknown).
type SiteCounts struct {
	Total, Online, Offline, Unknown int
}

// CouponCounts counts the coupons of every instance created (issued) and
// first used (redeemed) since the start of the day and of the week.
type CouponCounts struct {
	IssuedToday, RedeemedToday int
	IssuedWeek, RedeemedWeek   int
}

// DayStart is midnight at the start of t's calendar day, in t's location.
func DayStart(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

// WeekStart is midnight at the start of the Monday of t's ISO week, in t's
// location.
func WeekStart(t time.Time) time.Time {
	back := (int(t.Weekday()) + 6) % 7 // days since Monday
	y, m, d := t.Date()
	return time.Date(y, m, d-back, 0, 0, 0, 0, t.Location())
}

// DashboardStore reads the figures of the dashboard.
type DashboardStore interface {
	// Dashboard counts sites by state and active guest sessions now, and
	// the coupons issued and redeemed at or after dayStart and weekStart,
	// and each coupon instance's unused codes. It returns only internal
	// errors.
	Dashboard(ctx context.Context, dayStart, weekStart time.Time) (Dashboard, error)
}
