package routeros

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"gatehouse/app"
)

// Menus gatehouse writes to.
const (
	menuProfile   = "/ip/hotspot/user/profile"
	menuUser      = "/ip/hotspot/user"
	menuGardenIP  = "/ip/hotspot/walled-garden/ip"
	menuGarden    = "/ip/hotspot/walled-garden"
	menuActive    = "/ip/hotspot/active"
	menuCookie    = "/ip/hotspot/cookie"
	maxSyncErrors = 20
)

// Router is the hotspot of one router, as the reconciler uses it: who is
// online, what gatehouse owns, and making that match the database. It
// implements scheduler.Router.
type Router struct {
	c    *Client
	host string

	mu     sync.Mutex
	pushed map[string]memory // menu → what the last clean pass wanted (see hotspot_drift.go)
}

// NewRouter returns the Router of a site; it connects on first use.
func NewRouter(site app.Site, cfg Config) *Router {
	t := Target{Host: site.Host, Port: site.Port, Username: site.Username, Password: site.Password,
		TLS: site.TLS, Fingerprint: site.TLSFingerprint}
	return &Router{c: New(t, cfg), host: t.Addr()}
}

// Close drops the router's connections.
func (r *Router) Close() error { return r.c.Close() }

// Info reads the router's identity, RouterOS version and the hosts of its
// hotspot login pages.
func (r *Router) Info(ctx context.Context) (app.RouterInfo, error) {
	res := r.c.RunAll(ctx, [][]string{
		{"/system/identity/print"},
		{"/system/resource/print", "=.proplist=version,cpu-load,uptime"},
		{"/ip/hotspot/profile/print", "=.proplist=hotspot-address,dns-name"},
	})
	for _, x := range res {
		if x.Err != nil {
			return app.RouterInfo{}, fmt.Errorf("read router info of %s: %w", r.host, x.Err)
		}
	}
	var info app.RouterInfo
	if rows := res[0].Reply.Rows; len(rows) > 0 {
		info.Identity = rows[0]["name"]
	}
	info.CPULoad = -1
	if rows := res[1].Reply.Rows; len(rows) > 0 {
		info.Version = rows[0]["version"]
		if n, err := strconv.Atoi(rows[0]["cpu-load"]); err == nil {
			info.CPULoad = n
		}
		info.Uptime, _ = parseDuration(rows[0]["uptime"])
	}
	for _, row := range res[2].Reply.Rows {
		for _, k := range []string{"hotspot-address", "dns-name"} {
			if h := strings.ToLower(strings.TrimSuffix(row[k], ".")); h != "" && !slices.Contains(info.HotspotHosts, h) {
				info.HotspotHosts = append(info.HotspotHosts, h)
			}
		}
	}
	return info, nil
}

// Sessions lists the hotspot's active sessions.
func (r *Router) Sessions(ctx context.Context) ([]app.HotspotSession, error) {
	rep, err := r.c.Run(ctx, menuActive+"/print", "=.proplist=.id,user,address,mac-address,uptime,bytes-in,bytes-out")
	if err != nil {
		return nil, fmt.Errorf("read active sessions of %s: %w", r.host, err)
	}
	out := make([]app.HotspotSession, 0, len(rep.Rows))
	for _, row := range rep.Rows {
		uptime, _ := parseDuration(row["uptime"])
		in, _ := strconv.ParseInt(row["bytes-in"], 10, 64)
		bytesOut, _ := strconv.ParseInt(row["bytes-out"], 10, 64)
		out = append(out, app.HotspotSession{RouterID: row[".id"], User: row["user"], Address: row["address"],
			MACAddress: strings.ToUpper(row["mac-address"]), Uptime: uptime, BytesIn: in, BytesOut: bytesOut})
	}
	return out, nil
}

// Disconnect ends the active sessions of a hotspot user (only the
// device mac when it is not "") and removes the user's cookies, so the
// device does not log straight back in.
func (r *Router) Disconnect(ctx context.Context, user, mac string) error {
	return r.endSessions(ctx, map[string]bool{user: true}, mac)
}

// endSessions removes the active sessions and cookies of the given users.
func (r *Router) endSessions(ctx context.Context, users map[string]bool, mac string) error {
	res := r.c.RunAll(ctx, [][]string{
		{menuActive + "/print", "=.proplist=.id,user,mac-address"},
		{menuCookie + "/print", "=.proplist=.id,user,mac-address"},
	})
	var cmds [][]string
	for i, menu := range []string{menuActive, menuCookie} {
		if res[i].Err != nil {
			return fmt.Errorf("read %s of %s: %w", menu, r.host, res[i].Err)
		}
		for _, row := range res[i].Reply.Rows {
			if users[row["user"]] && (mac == "" || strings.EqualFold(row["mac-address"], mac)) {
				cmds = append(cmds, []string{menu + "/remove", "=.id=" + row[".id"]})
			}
		}
	}
	for _, x := range r.c.RunAll(ctx, cmds) {
		if x.Err != nil && app.ErrorCode(x.Err) != app.ENotFound { // already gone is fine
			return fmt.Errorf("end sessions on %s: %w", r.host, x.Err)
		}
	}
	return nil
}

// HostMAC returns the MAC address (upper case) of the hotspot host with
// address ip: the device behind a guest's address. ENotFound when the
// hotspot does not know the address.
func (r *Router) HostMAC(ctx context.Context, ip string) (string, error) {
	h, err := r.findHost(ctx, ip)
	return h.mac, err
}

// hotspotHost is a device the hotspot sees (/ip/hotspot/host).
type hotspotHost struct {
	address string // the device's own address
	mac     string // upper case
}

// findHost finds the hotspot host that has address ip, either as its own
// address or, behind the hotspot's address translation, as the to-address
// it was given (docs/routeros.md §6): a portal reached without NAT sees
// the latter. ENotFound when the hotspot does not know it.
func (r *Router) findHost(ctx context.Context, ip string) (hotspotHost, error) {
	rep, err := r.c.Run(ctx, "/ip/hotspot/host/print",
		"?address="+ip, "?to-address="+ip, "?#|", "=.proplist=address,to-address,mac-address")
	if err != nil {
		return hotspotHost{}, fmt.Errorf("find hotspot host %s on %s: %w", ip, r.host, err)
	}
	for _, row := range rep.Rows {
		if row["mac-address"] != "" && (row["address"] == ip || row["to-address"] == ip) {
			return hotspotHost{address: row["address"], mac: strings.ToUpper(row["mac-address"])}, nil
		}
	}
	return hotspotHost{}, app.Errorf(app.ENotFound, "the hotspot does not know a device with address %s", ip)
}

// LoginGuest logs a guest's device in without the router's login page
// (/ip/hotspot/active/login), for portals opened without the router's
// parameters. When mac is "" the device is looked up by ip among the
// hotspot's hosts (by its own or its translated address) and logged in
// under the address the hotspot knows it by. ENotFound when the hotspot
// does not know the device; EInvalid with the router's reason when it
// refuses the login.
func (r *Router) LoginGuest(ctx context.Context, user, password, ip, mac string) error {
	if mac == "" {
		h, err := r.findHost(ctx, ip)
		if err != nil {
			return err
		}
		ip, mac = h.address, h.mac
	}
	_, err := r.c.Run(ctx, menuActive+"/login", "=user="+user, "=password="+password, "=ip="+ip, "=mac-address="+mac)
	if err != nil {
		return fmt.Errorf("log in %s at %s: %w", ip, r.host, err)
	}
	return nil
}
