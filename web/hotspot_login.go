package web

import (
	"html"
	"net/http"
	"net/url"
	"strings"

	"github.com/julienschmidt/httprouter"

	"gatehouse/app"
)

// hotspotRouterQuery is the part of the portal link that RouterOS fills
// in when it serves login.html: the guest's device and where the router
// wants the login to go. Values that may hold URL metacharacters use the
// $(name-esc) forms, which RouterOS URL-encodes; $(link-logout), which
// has no such form, is the hotspot's own http://<host>/logout (nothing a
// query must escape); $(ip) is a dotted quad
// and $(chap-id)/$(chap-challenge) are octal-escaped (a backslash and
// digits only). CHAP values and the error are only sent when present.
const hotspotRouterQuery = "&mac=$(mac-esc)&ip=$(ip)" +
	"&link-login-only=$(link-login-only-esc)&link-orig=$(link-orig-esc)&link-logout=$(link-logout)" +
	"$(if chap-id)&chap-id=$(chap-id)&chap-challenge=$(chap-challenge)$(endif)" +
	"$(if error)&error=$(error-esc)$(endif)"

// hotspotLoginPage is the file: a redirect by meta refresh (no script
// needed) and a visible Continue link for browsers that do not follow it.
// No external resources; the router serves it from its own flash. {{link}}
// is the HTML-escaped portal link.
const hotspotLoginPage = `<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="pragma" content="no-cache">
<meta http-equiv="expires" content="-1">
<meta http-equiv="refresh" content="0; url={{link}}">
<title>Wi-Fi</title>
</head>
<body style="font-family: sans-serif; text-align: center; margin-top: 4em">
<p><a href="{{link}}" style="display: inline-block; padding: .8em 2em; border-radius: .4em; background: #0396d5; color: #fff; text-decoration: none">Continue</a></p>
</body>
</html>
`

// hotspotLoginHTML serves GET /captive/instances/:instanceId/hotspot/login.html?site=…:
// the login.html an operator puts in the hotspot directory of the site's
// router, sending guests to this instance's portal. site is required
// (EInvalid parameter_missing) and must be one of the instance's sites
// (EInvalid parameter_invalid); ENotFound for an unknown instance;
// EConflict base_url_loopback when the base URL is loopback (base_url.go).
func (s *Server) hotspotLoginHTML(w http.ResponseWriter, r *http.Request, p httprouter.Params) {
	siteID := strings.TrimSpace(r.URL.Query().Get("site"))
	if siteID == "" {
		s.writeError(w, r, app.Missing("site"))
		return
	}
	in, err := s.store.Instance(r.Context(), p.ByName("instanceId"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	site, ok := siteOfInstance(in, siteID)
	if !ok {
		s.writeError(w, r, app.Invalid("site", app.ReasonParameterInvalid, "site %q is not a site of instance %s", siteID, in.ID))
		return
	}
	if err := s.requireGuestBaseURL("refusal.login_page_base_url"); err != nil {
		s.writeError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="login.html"`)
	w.WriteHeader(http.StatusOK)
	w.Write([]byte(hotspotLogin(s.links.BaseURL, in.ID, site))) //nolint:errcheck // the client went away
}

// siteOfInstance returns the stored id of the instance's site id (compared
// without regard to case, as UUIDs are).
func siteOfInstance(in app.Instance, id string) (string, bool) {
	for _, s := range in.Sites {
		if strings.EqualFold(s.ID, id) {
			return s.ID, true
		}
	}
	return "", false
}

// hotspotLogin renders the login.html for an instance at a site.
func hotspotLogin(baseURL, instanceID, siteID string) string {
	link := strings.TrimRight(baseURL, "/") + "/portal/" + url.PathEscape(instanceID) +
		"?site=" + url.QueryEscape(siteID) + hotspotRouterQuery
	return strings.ReplaceAll(hotspotLoginPage, "{{link}}", html.EscapeString(link))
}
