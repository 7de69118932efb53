package web

import (
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/julienschmidt/httprouter"

	"gatehouse/app"
)

// routerLoginLinkTTL is how long the signed link works that a router
// downloads its login.html from: the install waits for the download.
const routerLoginLinkTTL = 10 * time.Minute

// installedFileJSON is one login.html the router holds after an install.
type installedFileJSON struct {
	Name string `json:"name"`
	Size int64  `json:"size"`
	Type string `json:"type"`
}

// installLoginJSON answers POST /captive/sites/{siteId}/install-login-page.
type installLoginJSON struct {
	SiteID     string              `json:"site_id"`
	InstanceID string              `json:"instance_id"`
	Files      []installedFileJSON `json:"files"`
}

// installLoginPage serves POST /captive/sites/:siteId/install-login-page
// [?instance_id=…]: the router downloads the instance's login.html from
// gatehouse (a signed link, /tool/fetch) into the html directory of every
// hotspot server the site uses, and gatehouse reads each file back. It
// changes nothing else on the router. The instance defaults to the site's
// only one (EInvalid when there are several, EConflict when there is
// none); a download the router refuses or a file that arrives different
// is EInvalid with the router's reason.
func (s *Server) installLoginPage(w http.ResponseWriter, r *http.Request, p httprouter.Params) {
	ctx := r.Context()
	site, servers, err := s.siteServers(ctx, p.ByName("siteId"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	inst, err := s.loginPageInstance(r, site.ID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if loopbackHost(s.links.BaseURL) && !loopbackHost("http://"+site.Host) {
		s.writeError(w, r, app.Errorf(app.EConflict, "server.base_url (%s) is a loopback address: the router would download from itself, and guests would be sent there too. Set server.base_url to the address the router and guests reach gatehouse at, then install again", s.links.BaseURL))
		return
	}
	want := hotspotLogin(s.links.BaseURL, inst, site.ID)
	link := s.routerLoginURL(inst, site.ID)
	out := installLoginJSON{SiteID: site.ID, InstanceID: inst, Files: []installedFileJSON{}}
	for _, path := range app.LoginPagePaths(servers) {
		f, err := s.deps.Routers.FetchFile(ctx, site.ID, link, path)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		if f.Size != int64(len(want)) || (f.Contents != "" && f.Contents != want) {
			s.writeError(w, r, app.Errorf(app.EInvalid, "the router saved %s, but it is not the login page gatehouse sent (%d bytes, want %d)", path, f.Size, len(want)))
			return
		}
		out.Files = append(out.Files, installedFileJSON{Name: f.Name, Size: f.Size, Type: f.Type})
	}
	writeJSON(w, http.StatusOK, out)
}

// loginPageInstance picks the instance whose login page to install: the
// instance_id query parameter, or the site's only instance.
func (s *Server) loginPageInstance(r *http.Request, siteID string) (string, error) {
	ids, err := s.instancesOfSite(r.Context(), siteID)
	if err != nil {
		return "", err
	}
	if want := strings.TrimSpace(r.URL.Query().Get("instance_id")); want != "" {
		for _, id := range ids {
			if strings.EqualFold(id, want) {
				return id, nil
			}
		}
		return "", app.Invalid("instance_id", app.ReasonParameterInvalid, "instance %q does not use site %s", want, siteID)
	}
	switch len(ids) {
	case 0:
		return "", app.Errorf(app.EConflict, "no portal uses this site yet; create one and tick the site first")
	case 1:
		return ids[0], nil
	}
	return "", app.Invalid("instance_id", app.ReasonParameterMissing, "several portals use this site; name one with instance_id")
}

// routerLoginURL is the signed link a router downloads an instance's
// login.html for a site from; it needs no token and works for
// routerLoginLinkTTL.
func (s *Server) routerLoginURL(instanceID, siteID string) string {
	return s.links.URL(http.MethodGet, "/portal/"+instanceID+"/login.html", url.Values{"site": {siteID}}, routerLoginLinkTTL)
}

// routerLoginHTML serves the signed GET /portal/:instanceId/login.html?site=…:
// the instance's login.html for a site, as the router downloads it when
// gatehouse installs it. Errors as for the signed links (EForbidden,
// ETooMany), ENotFound for an unknown instance, EInvalid for a site the
// instance does not use.
func (s *Server) routerLoginHTML(w http.ResponseWriter, r *http.Request, p httprouter.Params) {
	id := p.ByName("instanceId")
	if err := s.verifyPublicLink(w, r, "/portal/"+id+"/login.html", "site"); err != nil {
		s.writeError(w, r, err)
		return
	}
	in, err := s.store.Instance(r.Context(), id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	site, ok := siteOfInstance(in, r.URL.Query().Get("site"))
	if !ok {
		s.writeError(w, r, app.Invalid("site", app.ReasonParameterInvalid, "site %q is not a site of instance %s", r.URL.Query().Get("site"), in.ID))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	w.Write([]byte(hotspotLogin(s.links.BaseURL, in.ID, site))) //nolint:errcheck // the router went away
}

// loopbackHost reports whether the host of a URL is a loopback address or
// "localhost".
func loopbackHost(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	h := u.Hostname()
	if strings.EqualFold(h, "localhost") {
		return true
	}
	a, err := netip.ParseAddr(h)
	return err == nil && a.IsLoopback()
}
