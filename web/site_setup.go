package web

import (
	"context"
	"net/http"
	"net/netip"
	"slices"
	"strings"

	"github.com/julienschmidt/httprouter"

	"gatehouse/app"
)

// SiteSetupControl is what the setup checklist needs of the router
// reconciler: reads of a site's router and the few changes an operator
// asks for. Unknown sites give ENotFound, unreachable routers
// EUnavailable.
type SiteSetupControl interface {
	// HotspotServers lists the hotspot servers of a site's router.
	HotspotServers(ctx context.Context, siteID string) ([]app.HotspotServer, error)
	// RouterFile reads a file of a site's router; ENotFound when missing.
	RouterFile(ctx context.Context, siteID, name string) (app.RouterFile, error)
	// FetchFile makes a site's router download url into dstPath.
	FetchFile(ctx context.Context, siteID, url, dstPath string) (app.RouterFile, error)
	// AddLoginMethod adds a login method to a server profile's login-by.
	AddLoginMethod(ctx context.Context, siteID, profile, method string) error
	// TestLogin creates, tries and removes a one-off hotspot user.
	TestLogin(ctx context.Context, siteID, ip string) (app.TestLogin, error)
	// LastTestLogin is the site's last test login; false when none ran.
	LastTestLogin(siteID string) (app.TestLogin, bool)
}

// setupStepJSON is one step of GET /captive/sites/{siteId}/setup: the
// English words for scripts, and the same as catalogue keys and params
// for the admin page to word in its reader's language.
type setupStepJSON struct {
	ID          string     `json:"id"`
	OK          bool       `json:"ok"`
	Detail      string     `json:"detail"`
	Fix         *string    `json:"fix"`
	DetailParts []app.Text `json:"detail_parts"`
	FixParts    []app.Text `json:"fix_parts"`
	Commands    []string   `json:"commands"`
}

// stepJSON is the JSON of a checklist step.
func stepJSON(st app.SetupStep) setupStepJSON {
	out := setupStepJSON{ID: st.ID, OK: st.OK, Detail: st.DetailEnglish(), Fix: stringPtr(st.FixEnglish()),
		DetailParts: st.Detail, FixParts: st.Fix, Commands: st.Commands}
	if out.FixParts == nil {
		out.FixParts = []app.Text{}
	}
	if out.Commands == nil {
		out.Commands = []string{}
	}
	return out
}

// siteSetupJSON is the checklist of a site.
type siteSetupJSON struct {
	SiteID string          `json:"site_id"`
	OK     bool            `json:"ok"`
	Steps  []setupStepJSON `json:"steps"`
}

// hotspotServerJSON is one of GET /captive/sites/{siteId}/hotspot-servers.
type hotspotServerJSON struct {
	Name          string   `json:"name"`
	Interface     string   `json:"interface"`
	Profile       string   `json:"profile"`
	Disabled      bool     `json:"disabled"`
	HTMLDirectory string   `json:"html_directory"`
	LoginBy       []string `json:"login_by"`
}

// testLoginJSON answers POST /captive/sites/{siteId}/setup/test-login.
type testLoginJSON struct {
	OK      bool   `json:"ok"`
	Summary string `json:"summary"`
	// SummaryParts is Summary as catalogue keys and params.
	SummaryParts []app.Text `json:"summary_parts"`
	User         string     `json:"user"`
	Server       string     `json:"server"`
	Device       *string    `json:"device"`
	Created      bool       `json:"created"`
	Found        bool       `json:"found"`
	LoggedIn     bool       `json:"logged_in"`
	Removed      bool       `json:"removed"`
	Error        *string    `json:"error"`
	At           string     `json:"at"`
}

// siteSetup serves GET /captive/sites/:siteId/setup: the site's checklist,
// read from the router now. A router that cannot be read fails the API
// step (with the commands to let gatehouse in), not the request.
func (s *Server) siteSetup(w http.ResponseWriter, r *http.Request, p httprouter.Params) {
	ctx := r.Context()
	site, err := s.store.Site(ctx, p.ByName("siteId"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	f := app.SetupFacts{Site: site, BaseURL: s.links.BaseURL, LoginPages: map[string]app.RouterFile{}}
	if f.Instances, err = s.instancesOfSite(ctx, site.ID); err != nil {
		s.writeError(w, r, err)
		return
	}
	f.Servers, f.RouterErr = s.deps.Routers.HotspotServers(ctx, site.ID)
	if f.RouterErr == nil {
		for _, path := range app.LoginPagePaths(app.ServersInUse(site, f.Servers)) {
			file, err := s.deps.Routers.RouterFile(ctx, site.ID, path)
			if err == nil {
				f.LoginPages[path] = file
			} else if app.ErrorCode(err) != app.ENotFound {
				f.RouterErr = err
				break
			}
		}
	}
	if t, ok := s.deps.Routers.LastTestLogin(site.ID); ok {
		f.TestLogin = &t
	}
	if site, err = s.store.Site(ctx, site.ID); err == nil { // the reads may have changed its status
		f.Site = site
	}
	out := siteSetupJSON{SiteID: site.ID, OK: true, Steps: []setupStepJSON{}}
	for _, st := range app.SetupChecklist(f) {
		out.OK = out.OK && st.OK
		out.Steps = append(out.Steps, stepJSON(st))
	}
	writeJSON(w, http.StatusOK, out)
}

// instancesOfSite returns the ids of the instances that use a site.
func (s *Server) instancesOfSite(ctx context.Context, siteID string) ([]string, error) {
	list, err := s.store.ListInstances(ctx)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, in := range list {
		if _, ok := siteOfInstance(in, siteID); ok {
			out = append(out, in.ID)
		}
	}
	return out, nil
}

// listHotspotServers serves GET /captive/sites/:siteId/hotspot-servers,
// read from the router.
func (s *Server) listHotspotServers(w http.ResponseWriter, r *http.Request, p httprouter.Params) {
	servers, err := s.deps.Routers.HotspotServers(r.Context(), p.ByName("siteId"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, hotspotServersToJSON(servers))
}

func hotspotServersToJSON(servers []app.HotspotServer) []hotspotServerJSON {
	out := make([]hotspotServerJSON, 0, len(servers))
	for _, h := range servers {
		login := h.LoginBy
		if login == nil {
			login = []string{}
		}
		out = append(out, hotspotServerJSON{Name: h.Name, Interface: h.Interface, Profile: h.Profile,
			Disabled: h.Disabled, HTMLDirectory: h.HTMLDirectory, LoginBy: login})
	}
	return out
}

// testLoginRequest is the optional body of a test login.
type testLoginRequest struct {
	// IP is a device on the hotspot to log in with the test code.
	IP *string `json:"ip"`
}

// testLogin serves POST /captive/sites/:siteId/setup/test-login: a
// one-off test code is created on the router, checked (and used to log
// in the device with address ip, when given) and removed again. The
// answer says what happened; only an unreachable router is an error.
func (s *Server) testLogin(w http.ResponseWriter, r *http.Request, p httprouter.Params) {
	var req testLoginRequest
	if r.ContentLength != 0 {
		if err := decodeJSON(r, &req); err != nil {
			s.writeError(w, r, err)
			return
		}
	}
	ip := ""
	if req.IP != nil && strings.TrimSpace(*req.IP) != "" {
		a, err := netip.ParseAddr(strings.TrimSpace(*req.IP))
		if err != nil || !a.Is4() {
			s.writeError(w, r, app.Invalid("ip", app.ReasonParameterInvalid, "ip must be an IPv4 address of a device on the hotspot"))
			return
		}
		ip = a.String()
	}
	t, err := s.deps.Routers.TestLogin(r.Context(), p.ByName("siteId"), ip)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, testLoginJSON{OK: t.OK(), Summary: app.EnglishOf(t.Summary()), SummaryParts: t.Summary(), User: t.User, Server: t.Server,
		Device: stringPtr(t.Device), Created: t.Created, Found: t.Found, LoggedIn: t.LoggedIn, Removed: t.Removed,
		Error: stringPtr(t.Error), At: timeString(t.At)})
}

// enablePAP serves POST /captive/sites/:siteId/enable-pap: http-pap is
// added to the login-by of the server profiles the site's hotspot servers
// use, keeping the methods they have. Nothing else changes. It answers the
// servers as read afterwards.
func (s *Server) enablePAP(w http.ResponseWriter, r *http.Request, p httprouter.Params) {
	ctx := r.Context()
	site, servers, err := s.siteServers(ctx, p.ByName("siteId"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var done []string
	for _, h := range servers {
		if slices.Contains(done, h.Profile) {
			continue
		}
		done = append(done, h.Profile)
		if err := s.deps.Routers.AddLoginMethod(ctx, site.ID, h.Profile, app.LoginByPAP); err != nil {
			s.writeError(w, r, err)
			return
		}
	}
	after, err := s.deps.Routers.HotspotServers(ctx, site.ID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, hotspotServersToJSON(app.ServersInUse(site, after)))
}

// siteServers returns a stored site and the hotspot servers it uses;
// EConflict when the router has none of them.
func (s *Server) siteServers(ctx context.Context, siteID string) (app.Site, []app.HotspotServer, error) {
	site, err := s.store.Site(ctx, siteID)
	if err != nil {
		return site, nil, err
	}
	all, err := s.deps.Routers.HotspotServers(ctx, site.ID)
	if err != nil {
		return site, nil, err
	}
	inUse := app.ServersInUse(site, all)
	if len(inUse) == 0 {
		if site.HotspotServer == "all" {
			return site, nil, app.Errorf(app.EConflict, "the router has no hotspot server; set one up first")
		}
		return site, nil, app.Errorf(app.EConflict, "the router has no hotspot server %q; choose one of its servers in the site's settings", site.HotspotServer)
	}
	return site, inUse, nil
}
