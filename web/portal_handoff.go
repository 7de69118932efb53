package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"gatehouse/app"
)

// Where a guest's device is let on, decided only from what gatehouse
// trusts. The guest's browser and every parameter it sends (site, ip, mac,
// link-login-only) are the attacker's to choose; the connection's own
// address, the router's answers and gatehouse's records are not. So:
//
//   - A browser hand-off goes only to one of the sites' own hotspot login
//     pages: the host of link-login-only must be a hotspot-address or
//     dns-name that the router itself reported (app.SiteStatus.HotspotHosts).
//     The hotspot then logs in whichever device's browser arrives, so a
//     forged ip or mac cannot log in another device; the form's mac is only
//     a hint for locking the coupon, which the router enforces anyway.
//   - A login through the router's API is for the connection's own address
//     only, when it lies in a guest subnet of one of the instance's sites,
//     under the MAC address the router knows that address by.
//
// Anything else has nowhere safe to go: the guest is asked to open the
// page from the Wi-Fi's login page, and nothing is spent.

// guestTarget is where a guest's device is let on.
type guestTarget struct {
	site  string
	login *url.URL // browser hand-off: the hotspot's login page; nil for an API login
	ip    string   // API login: the connection's own address
	mac   string   // API login: from the router; browser hand-off: the form's, a lock hint
}

// target decides where the guest of a portal request is let on. key is
// the portal message to show when there is no safe place ("no_router"),
// or "router_failed" with err when the router could not say which device
// the connection's address is (only when lookup asks it).
func (s *Server) target(ctx context.Context, r *http.Request, pr portalRequest, lookup bool) (t guestTarget, key string, err error) {
	if raw := pr.params.Get("link-login-only"); raw != "" {
		site, login := s.hotspotLogin(ctx, pr.inst, raw, pr.params.Get("site"))
		if login == nil {
			s.logger.WarnContext(ctx, "portal: refused a hand-off to a host that is no hotspot of the instance's sites",
				"instance", pr.inst.ID, "link", raw)
			return guestTarget{}, "no_router", nil
		}
		return guestTarget{site: site, login: login, mac: normalizeMAC(pr.params.Get("mac"))}, "", nil
	}
	t.ip = clientIP(r)
	if t.site = siteOfAddress(pr.inst, t.ip); t.site == "" {
		return guestTarget{}, "no_router", nil
	}
	if lookup {
		if t.mac, err = s.deps.Routers.HostMAC(ctx, t.site, t.ip); err != nil {
			s.logger.WarnContext(ctx, "portal: find the guest's device", "site", t.site, "ip", t.ip, "err", err)
			return guestTarget{}, "router_failed", err
		}
	}
	return t, "", nil
}

// hotspotLogin checks a link-login-only: an http(s) URL, without user
// information, whose host (any port) is a hotspot host of one of the
// instance's sites. It returns that site (the form's site when several
// share the host) and the URL without query or fragment; nil when the
// link goes anywhere else.
func (s *Server) hotspotLogin(ctx context.Context, inst app.Instance, raw, formSite string) (string, *url.URL) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return "", nil
	}
	host := strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
	var match []string
	for _, is := range inst.Sites {
		site, err := s.store.Site(ctx, is.ID)
		if err != nil {
			continue
		}
		if slices.Contains(site.Status.HotspotHosts, host) {
			match = append(match, site.ID)
		}
	}
	if len(match) == 0 {
		return "", nil
	}
	site := match[0]
	for _, id := range match {
		if strings.EqualFold(id, formSite) {
			site = id
		}
	}
	return site, &url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}
}

// codeFormAction is the form-action policy of a coupon page: its own
// origin and, when link-login-only is one of the sites' hotspots, that
// hotspot's origin, where a good code's submission is redirected (a
// browser applies form-action to the redirects of a submission too).
func (s *Server) codeFormAction(ctx context.Context, pr portalRequest) string {
	raw := pr.params.Get("link-login-only")
	if raw == "" {
		return "'self'"
	}
	if _, login := s.hotspotLogin(ctx, pr.inst, raw, ""); login != nil {
		return "'self' " + login.Scheme + "://" + login.Host
	}
	return "'self'"
}

// redirectToHotspot hands the browser to the hotspot's login page with a
// 303 to link-login-only?username=…&password=…&dst=…, which the hotspot
// accepts as a GET. A redirect, unlike a form posted from an https portal
// to an http hotspot, raises no mixed-form warning (docs/routeros.md §5).
// With CHAP the password is the hash the router's challenge asks for.
func (s *Server) redirectToHotspot(w http.ResponseWriter, r *http.Request, t guestTarget, pr portalRequest, user, password string) {
	if id, challenge := pr.params.Get("chap-id"), pr.params.Get("chap-challenge"); id != "" && challenge != "" {
		password = chapPassword(id, password, challenge)
	}
	q := url.Values{"username": {user}, "password": {password}}
	if dst := safeLink(pr.params.Get("link-orig")); dst != "" {
		q.Set("dst", dst)
	}
	u := *t.login
	u.RawQuery = q.Encode()
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	http.Redirect(w, r, u.String(), http.StatusSeeOther)
}

// normalizeMAC returns a MAC address in RouterOS' form (upper case, colon
// separated), or "" when s is not one.
func normalizeMAC(s string) string {
	s = strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(s), "-", ":"))
	if len(s) != 17 {
		return ""
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if i%3 == 2 {
			if c != ':' {
				return ""
			}
		} else if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'F') {
			return ""
		}
	}
	return s
}
