package web

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/julienschmidt/httprouter"

	"gatehouse/app"
)

// RouterControl is what the HTTP layer needs of the router reconciler.
type RouterControl interface {
	// Sync reconciles a site's router now and reports what changed.
	Sync(ctx context.Context, siteID string) (app.SyncResult, error)
	// DryRun reads a site's router and returns the changes a pass would
	// make, changing nothing.
	DryRun(ctx context.Context, siteID string) ([]app.SyncChange, error)
	// Disconnect ends a site user's session on the router; EUnavailable
	// when the router cannot be reached (and then nothing changed).
	Disconnect(ctx context.Context, siteID, userID string) (app.SiteUser, error)
	// Kick asks every router for a pass soon: what they should hold changed.
	Kick()
	// SitesChanged tells the reconciler a site was added, edited or removed.
	SitesChanged()
	// LoginGuest logs a guest's device in through a site's router API.
	LoginGuest(ctx context.Context, siteID, user, password, ip, mac string) error
	// HostMAC returns the MAC address of the device with address ip on a
	// site's hotspot; ENotFound when the hotspot does not know it.
	HostMAC(ctx context.Context, siteID, ip string) (string, error)
	// EndGuestSession ends the sessions of a hotspot user on one device
	// (by MAC) at a site, without a site user record: a login the portal
	// let through and then could not record.
	EndGuestSession(ctx context.Context, siteID, user, mac string) error
	// SiteSetupControl reads and prepares a site's router for the setup
	// checklist.
	SiteSetupControl
}

// changed tells the reconciler that what routers should hold changed.
func (s *Server) changed() { s.deps.Routers.Kick() }

// sitesChanged tells the reconciler that the set of routers changed.
func (s *Server) sitesChanged() { s.deps.Routers.SitesChanged() }

// siteUserJSON is the contract's SiteUser.
type siteUserJSON struct {
	ID         string  `json:"id"`
	SiteID     string  `json:"site_id"`
	InstanceID *string `json:"instance_id"`
	CouponID   *string `json:"coupon_id"`
	Username   string  `json:"username"`
	Identity   *string `json:"identity"`
	IPAddress  *string `json:"ip_address"`
	MACAddress *string `json:"mac_address"`
	LoginAt    *string `json:"login_at"`
	ExpiresAt  *string `json:"expires_at"`
	LogoutAt   *string `json:"logout_at"`
	Active     bool    `json:"active"`
	BytesIn    int64   `json:"bytes_in"`
	BytesOut   int64   `json:"bytes_out"`
	// DataLeftMB is what the coupon's plan has left of its data (an
	// extension); null when unlimited or not a coupon.
	DataLeftMB *int64 `json:"data_left_mb"`
	// DeviceMoves are the moves of the guest's code between devices (an
	// extension), oldest first.
	DeviceMoves []deviceMoveJSON `json:"device_moves"`
}

type deviceMoveJSON struct {
	At      string `json:"at"`
	FromMAC string `json:"from_mac"`
	ToMAC   string `json:"to_mac"`
}

func siteUserToJSON(u app.SiteUser) siteUserJSON {
	out := siteUserJSON{
		ID: u.ID, SiteID: u.SiteID, InstanceID: stringPtr(u.InstanceID), CouponID: stringPtr(u.CouponID),
		Username: u.Username, Identity: stringPtr(u.Identity), IPAddress: stringPtr(u.IPAddress),
		MACAddress: stringPtr(u.MACAddress), LoginAt: timePtr(u.LoginAt), ExpiresAt: timePtr(u.ExpiresAt),
		LogoutAt: timePtr(u.LogoutAt), Active: u.Active, BytesIn: u.BytesIn, BytesOut: u.BytesOut,
		DataLeftMB: u.DataLeftMB, DeviceMoves: []deviceMoveJSON{},
	}
	for _, m := range u.DeviceMoves {
		out.DeviceMoves = append(out.DeviceMoves, deviceMoveJSON{At: timeString(m.At), FromMAC: m.FromMAC, ToMAC: m.ToMAC})
	}
	return out
}

// queryBool reads an optional true/false query parameter.
func queryBool(r *http.Request, name string) (bool, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, app.Invalid(name, app.ReasonParameterInvalid, "%s must be true or false", name)
	}
	return b, nil
}

// listSiteUsers serves GET /captive/sites/:siteId/users: the guest sessions
// seen at the site, only the active ones when active=true.
func (s *Server) listSiteUsers(w http.ResponseWriter, r *http.Request, p httprouter.Params) {
	active, err := queryBool(r, "active")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	list, err := s.store.ListSiteUsers(r.Context(), p.ByName("siteId"), active)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := make([]siteUserJSON, 0, len(list))
	for _, u := range list {
		out = append(out, siteUserToJSON(u))
	}
	writeJSON(w, http.StatusOK, out)
}

// disconnectSiteUser ends a guest's session; ?revoke=true also keeps the
// guest from logging in again: a coupon guest's coupon is revoked, and an
// OAuth2 guest's one-off user ends now instead of at the end of its
// session (the router drops it at its next pass).
func (s *Server) disconnectSiteUser(w http.ResponseWriter, r *http.Request, p httprouter.Params) {
	revoke, err := queryBool(r, "revoke")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	u, err := s.deps.Routers.Disconnect(r.Context(), p.ByName("siteId"), p.ByName("userId"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	switch {
	case !revoke:
	case u.CouponID != "" && u.InstanceID != "":
		if err := s.store.RevokeCoupon(r.Context(), u.InstanceID, u.CouponID, actorFrom(r.Context())); err != nil {
			s.writeError(w, r, err)
			return
		}
		s.changed()
	default:
		err := s.store.EndOAuthGuest(r.Context(), u.SiteID, u.ID, s.now())
		if err != nil && app.ErrorCode(err) != app.ENotFound { // ENotFound: not an OAuth2 guest
			s.writeError(w, r, err)
			return
		}
		if err == nil {
			s.changed()
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

// syncResultJSON is the contract's SyncResult.
type syncResultJSON struct {
	SiteID     string   `json:"site_id"`
	StartedAt  string   `json:"started_at"`
	FinishedAt string   `json:"finished_at"`
	Added      int      `json:"added"`
	Updated    int      `json:"updated"`
	Removed    int      `json:"removed"`
	Errors     []string `json:"errors"`
	// DryRun and Changes: a dry run's changes, in words.
	DryRun  bool              `json:"dry_run"`
	Changes *[]syncChangeJSON `json:"changes,omitempty"` // present, maybe empty, in a dry run
}

type syncChangeJSON struct {
	Menu       string              `json:"menu"`
	Action     string              `json:"action"`
	Item       string              `json:"item"`
	Comment    *string             `json:"comment"`
	Attributes []syncAttributeJSON `json:"attributes"`
}

type syncAttributeJSON struct {
	Name   string  `json:"name"`
	Router *string `json:"router"`
	Want   string  `json:"want"`
}

// dryRunToJSON words a dry run's changes as a SyncResult.
func dryRunToJSON(siteID string, started, finished time.Time, changes []app.SyncChange) syncResultJSON {
	out := syncResultJSON{SiteID: siteID, StartedAt: timeString(started), FinishedAt: timeString(finished),
		Errors: []string{}, DryRun: true}
	list := make([]syncChangeJSON, len(changes))
	out.Changes = &list
	for i, c := range changes {
		switch c.Action {
		case app.SyncAdd:
			out.Added++
		case app.SyncSet:
			out.Updated++
		case app.SyncRemove:
			out.Removed++
		}
		attrs := make([]syncAttributeJSON, len(c.Attributes))
		for j, a := range c.Attributes {
			attrs[j] = syncAttributeJSON{Name: a.Name, Router: stringPtr(a.Router), Want: a.Want}
		}
		list[i] = syncChangeJSON{Menu: c.Menu, Action: c.Action, Item: c.Item, Comment: stringPtr(c.Comment), Attributes: attrs}
	}
	return out
}

// syncSite serves POST /captive/sites/:siteId/sync: the site's router is
// reconciled now, and the answer counts what was added, updated and
// removed; with ?dry_run=true it only says what a pass would change.
func (s *Server) syncSite(w http.ResponseWriter, r *http.Request, p httprouter.Params) {
	dry, err := queryBool(r, "dry_run")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if dry {
		started := s.now()
		changes, err := s.deps.Routers.DryRun(r.Context(), p.ByName("siteId"))
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, dryRunToJSON(p.ByName("siteId"), started, s.now(), changes))
		return
	}
	res, err := s.deps.Routers.Sync(r.Context(), p.ByName("siteId"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	errs := res.Errors
	if errs == nil {
		errs = []string{}
	}
	writeJSON(w, http.StatusOK, syncResultJSON{SiteID: res.SiteID, StartedAt: timeString(res.StartedAt),
		FinishedAt: timeString(res.FinishedAt), Added: res.Added, Updated: res.Updated, Removed: res.Removed, Errors: errs})
}
