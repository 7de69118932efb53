package app

import (
	"context"
	"strings"
	"time"
)

// Comments that mark router items as gatehouse's. Items without the
// prefix belong to someone else and are never changed or removed.
const (
	CommentPrefix        = "gatehouse:"
	couponCommentPrefix  = CommentPrefix + "c="
	profileCommentPrefix = CommentPrefix + "p="
	gardenCommentPrefix  = CommentPrefix + "w="
	PortalComment        = CommentPrefix + "portal"
)

// CouponComment marks the hotspot user of a coupon.
func CouponComment(couponID string) string { return couponCommentPrefix + couponID }

// ProfileComment marks the hotspot user profile of an instance.
func ProfileComment(instanceID string) string { return profileCommentPrefix + instanceID }

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
	return "gatehouse-" + hex
}

// RouterProfile is a hotspot user profile gatehouse wants on a router.
type RouterProfile struct {
	Name           string
	SessionTimeout time.Duration
	SharedUsers    int
	Comment        string
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
	MACAddress  string
	Comment     string
}

// RouterGardenRule is a walled garden rule gatehouse wants on a router:
// an IP rule (DstAddress, /ip/hotspot/walled-garden/ip) or a host rule
// (DstHost, /ip/hotspot/walled-garden).
type RouterGardenRule struct {
	DstAddress string
	DstHost    string
	Comment    string
}

// RouterState is everything gatehouse wants one router to hold. Items are
// identified by their comment.
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
	BytesIn    int64
	BytesOut   int64
}

// SiteUserStore keeps the guests seen at sites.
type SiteUserStore interface {
	// ListSiteUsers returns a site's users, newest first; activeOnly keeps
	// those with a session. ENotFound for an unknown site.
	ListSiteUsers(ctx context.Context, siteID string, activeOnly bool) ([]SiteUser, error)
	// SiteUser returns one user of a site. ENotFound.
	SiteUser(ctx context.Context, siteID, id string) (SiteUser, error)
}
