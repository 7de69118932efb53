package app

import (
	"context"
	"strings"
	"time"
)

// Comments that mark hotspot users and walled-garden rows as gatehouse's.
// Items without the prefix belong to someone else and are never changed or
// removed.
const (
	CommentPrefix       = "gatehouse:"
	couponCommentPrefix = CommentPrefix + "c="
	gardenCommentPrefix = CommentPrefix + "w="
	PortalComment       = CommentPrefix + "portal"
)

// ProfilePrefix starts the name of every hotspot user profile gatehouse
// owns. User profiles have no comment property (docs/routeros.md §2), so
// they are owned by name: the prefix is reserved to gatehouse, and a
// profile whose name does not start with it is never changed or removed.
const ProfilePrefix = "gatehouse-"

// CouponComment marks the hotspot user of a coupon.
func CouponComment(couponID string) string { return couponCommentPrefix + couponID }

// WalledGardenComment marks the router rule of a walled garden entry.
func WalledGardenComment(entryID string) string { return gardenCommentPrefix + entryID }

// CouponIDFromComment returns the coupon id of a hotspot user comment.
func CouponIDFromComment(comment string) (string, bool) {
	return strings.CutPrefix(comment, couponCommentPrefix)
}

// ProfileName is the hotspot user profile of an instance on every router:
// "gatehouse-" and the last 8 hex digits of its id (the random part of a
// UUIDv7, so instances made in the same minute still differ).
func ProfileName(instanceID string) string {
	hex := strings.ReplaceAll(instanceID, "-", "")
	if len(hex) > 8 {
		hex = hex[len(hex)-8:]
	}
	return ProfilePrefix + hex
}

// RouterProfile is a hotspot user profile gatehouse wants on a router,
// identified by its Name (which starts with ProfilePrefix).
type RouterProfile struct {
	Name           string
	SessionTimeout time.Duration
	SharedUsers    int
	// RateLimit is the profile's rate-limit, "" for none (see
	// Plan.RateLimit).
	RateLimit string
}

// PlanProfileName is the hotspot user profile of an instance's coupons of
// one plan: ProfileName of the instance, "-" and the last 8 hex digits of
// the plan's id.
func PlanProfileName(instanceID, planID string) string {
	return ProfileName(instanceID) + "-" + strings.TrimPrefix(ProfileName(planID), ProfilePrefix)
}

// RouterUser is a hotspot user gatehouse wants on a router (one per
// provisioned coupon). MACAddress locks it to the first device once the
// coupon is redeemed; "" means not locked.
type RouterUser struct {
	Name        string
	Password    string
	Profile     string
	Server      string
	LimitUptime time.Duration
	// LimitBytesTotal is the data the user may move, up and down
	// together, in bytes; 0 means no limit.
	LimitBytesTotal int64
	MACAddress      string
	Comment         string
}

// CouponUsage is the traffic a router counted for a hotspot user named
// Code (a coupon's code, when it is one): its finished sessions (the
// user's counters) and its running ones. BytesIn is from the guest,
// BytesOut to the guest.
type CouponUsage struct {
	Code     string
	BytesIn  int64
	BytesOut int64
}

// RouterGardenRule is a walled garden rule gatehouse wants on a router:
// an IP rule (DstAddress, /ip/hotspot/walled-garden/ip) or a host rule
// (DstHost: by name for plain HTTP, /ip/hotspot/walled-garden, and, unless
// it has a wildcard, resolved by the router at the IP level for HTTPS).
// HTTPSOnly limits the IP-level rule to TCP port 443, as for the sign-in
// hosts of identity providers (docs/routeros.md §5).
type RouterGardenRule struct {
	DstAddress string
	DstHost    string
	HTTPSOnly  bool
	Comment    string
}

// RouterState is everything gatehouse wants one router to hold. Users and
// walled-garden rules are identified by their comment, profiles by name.
type RouterState struct {
	Profiles []RouterProfile
	Users    []RouterUser
	Garden   []RouterGardenRule
}

// SyncResult is what one reconciliation of a router changed.
type SyncResult struct {
	SiteID     string
	StartedAt  time.Time
	FinishedAt time.Time
	Added      int
	Updated    int
	Removed    int
	Errors     []string
	// Usage is the traffic of every coupon user that has moved data.
	Usage []CouponUsage
	// Drift lists items gatehouse owns that someone changed or removed
	// on the router since the pass before (which this pass repaired).
	Drift []DriftItem
}

// Sync change actions.
const (
	SyncAdd    = "add"
	SyncSet    = "set"
	SyncRemove = "remove"
)

// SyncChange is one change a pass would make on a router: to a menu's
// item (its name, code or address, and gatehouse's comment), with the
// attributes that differ (for add: the attributes it would get).
type SyncChange struct {
	Menu       string
	Action     string // SyncAdd, SyncSet or SyncRemove
	Item       string
	Comment    string
	Attributes []SyncAttribute
}

// SyncAttribute is one attribute of a SyncChange: what the router has
// ("" when absent) and what gatehouse wants. Passwords are never shown.
type SyncAttribute struct {
	Name   string
	Router string
	Want   string
}

// DriftItem is an item gatehouse owns that someone else changed (the
// attributes named) or removed on the router.
type DriftItem struct {
	Menu       string
	Item       string
	Removed    bool
	Attributes []string
}

// HotspotSession is a guest logged in on a router (/ip/hotspot/active).
type HotspotSession struct {
	RouterID   string // the router's .id of the session
	User       string
	Address    string
	MACAddress string
	Uptime     time.Duration
	BytesIn    int64
	BytesOut   int64
}

// RouterInfo is what a router says about itself.
type RouterInfo struct {
	Identity string
	Version  string
	// HotspotHosts are the hotspot-address and dns-name values of its
	// /ip/hotspot/profile rows, lower case, without duplicates.
	HotspotHosts []string
	// CPULoad (percent) and Uptime are from /system/resource; CPULoad is
	// -1 when the router did not say.
	CPULoad int
	Uptime  time.Duration
}

// SiteUser is one guest session seen at a site.
type SiteUser struct {
	ID         string
	SiteID     string
	InstanceID string
	CouponID   string
	Username   string
	Identity   string
	IPAddress  string
	MACAddress string
	LoginAt    *time.Time
	ExpiresAt  *time.Time
	LogoutAt   *time.Time
	Active     bool
	// BytesIn and BytesOut are this session's traffic, from and to the
	// guest.
	BytesIn  int64
	BytesOut int64
	// DataLeftMB is what the guest's coupon has left of its plan's data
	// (all its sessions together), in whole MB; nil when unlimited or not
	// a coupon.
	DataLeftMB *int64
	// DeviceMoves are the moves of the guest's code from one device to
	// another, oldest first: the devices it was used on before.
	DeviceMoves []DeviceMove
}

// CouponUsageStore keeps what routers count of the coupons' traffic.
type CouponUsageStore interface {
	// RecordCouponUsage stores the traffic a site's router counted for
	// its hotspot users: each code that is a coupon of an instance of the
	// site keeps the largest count seen. A coupon whose data allowance is
	// then used up is marked so at now (UsedUpAt: its session has ended).
	// It returns the ids of the coupons used up by this call. ENotFound
	// for an unknown site.
	RecordCouponUsage(ctx context.Context, siteID string, usage []CouponUsage, now time.Time) ([]string, error)
}

// DriftStore records drift: items gatehouse owns that someone else
// changed or removed on a site's router.
type DriftStore interface {
	// RecordDrift adds the items to the site's DriftCount and writes an
	// audit event per menu naming them (the first ten). ENotFound for an
	// unknown site.
	RecordDrift(ctx context.Context, siteID string, items []DriftItem, at time.Time) error
}

// SiteUserStore keeps the guests seen at sites.
type SiteUserStore interface {
	// ListSiteUsers returns a site's users, newest first; activeOnly keeps
	// those with a session. ENotFound for an unknown site.
	ListSiteUsers(ctx context.Context, siteID string, activeOnly bool) ([]SiteUser, error)
	// SiteUser returns one user of a site. ENotFound.
	SiteUser(ctx context.Context, siteID, id string) (SiteUser, error)
}
