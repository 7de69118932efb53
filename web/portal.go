package web

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"html/template"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/julienschmidt/httprouter"

	"gatehouse/app"
)

var portalTemplates = template.Must(template.ParseFS(templateFiles, "templates/portal.html", "templates/oauth.html",
	"templates/oauth_device.html", "templates/oauth_device_code.html"))

// previewLinkTTL is how long an instance's preview_url works.
const previewLinkTTL = time.Hour

// routerParams are the variables the router's login.html passes to the
// portal; they travel through the form as hidden fields. They are the
// guest's to forge: where the device is let on is decided by target
// (portal_handoff.go) from what gatehouse trusts.
var routerParams = []string{"site", "mac", "ip", "link-login-only", "link-orig", "link-logout", "chap-id", "chap-challenge", "error"}

// hiddenField is one router parameter carried by the login form.
type hiddenField struct{ Name, Value string }

// portalView is what the portal page shows.
type portalView struct {
	Lang, Nonce, Name, Action string
	T                         map[string]string
	Theme                     app.Theme
	LogoURL, IconURL          string
	Terms                     string
	TermsAccepted             bool
	Numeric, OAuth, Preview   bool
	Error, Code, Placeholder  string
	Hidden                    []hiddenField
	Online                    bool
	Remaining                 string
	LinkOrig                  string
	// EndsAt is when an online guest's session ends (zero when not
	// known), DataUsed what it has moved so far ("" when not known),
	// DataLeft what its coupon's plan has left ("" when unlimited) and
	// LogoutURL the hotspot's logout page ("" when not known): see
	// online.
	EndsAt    time.Time
	DataUsed  string
	DataLeft  string
	LogoutURL string
	// Provider is the identity provider's name on the sign-in button of
	// an oauth2 instance, and OAuthAction where the button goes.
	Provider, OAuthAction string
	// Device, in a captive mini-browser, shows the user code to finish
	// the sign-in in another browser (oauth_device.go).
	Device *portalDevice
}

// portalRequest is one guest request: the instance, the router's
// parameters and the guest's language.
type portalRequest struct {
	inst     app.Instance
	params   url.Values
	lang     string
	provider string // the auth integration's type (oauth2 instances); "" when unknown
}

// loadPortal reads the instance and the router parameters of a portal
// request; false when it answered already (unknown instance).
func (s *Server) loadPortal(w http.ResponseWriter, r *http.Request, p httprouter.Params, params url.Values) (portalRequest, bool) {
	inst, err := s.store.Instance(r.Context(), p.ByName("instanceId"))
	if err != nil {
		if app.ErrorCode(err) != app.ENotFound {
			s.logger.ErrorContext(r.Context(), "portal: load instance", "err", err)
		}
		s.portalNotFound(w)
		return portalRequest{}, false
	}
	kept := url.Values{}
	for _, name := range routerParams {
		if v := strings.TrimSpace(params.Get(name)); v != "" && len(v) <= 2048 {
			kept.Set(name, v)
		}
	}
	pr := portalRequest{inst: inst, params: kept, lang: portalLanguage(r.Header.Get("Accept-Language"), inst.Locale)}
	if inst.Strategy == app.StrategyOAuth2 {
		if a, err := s.store.AuthIntegration(r.Context(), inst.AuthIntegrationID); err == nil {
			pr.provider = a.Type
		} else {
			s.logger.WarnContext(r.Context(), "portal: load auth integration", "instance", inst.ID, "err", err)
		}
	}
	return pr, true
}

// cardCode is the code a coupon card's QR code brought: in the query when
// the portal was opened directly, or inside link-orig when the router
// caught the request first and sent the guest here through login.html.
func cardCode(query url.Values, pr portalRequest) string {
	code := query.Get("code")
	if code == "" {
		if orig, err := url.Parse(pr.params.Get("link-orig")); err == nil && orig.Path == "/portal/"+pr.inst.ID {
			code = orig.Query().Get("code")
		}
	}
	if code = app.NormalizeCouponCode(code); len(code) > app.MaxCouponLength {
		return ""
	}
	return code
}

// siteOfAddress returns the site of inst whose guest subnets hold ip, or "".
// A subnet is the only proof gatehouse has that an address is a guest of a
// router (and not translated on its way here).
func siteOfAddress(inst app.Instance, ip string) string {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return ""
	}
	for _, site := range inst.Sites {
		for _, subnet := range site.Subnets {
			if p, err := netip.ParsePrefix(subnet); err == nil && p.Contains(addr.Unmap()) {
				return site.ID
			}
		}
	}
	return ""
}

func (s *Server) portalNotFound(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusNotFound)
	fmt.Fprint(w, "<!doctype html><title>Not found</title><p>This Wi-Fi login page does not exist.</p>")
}

// view builds the page of a portal request.
func (s *Server) view(pr portalRequest, nonce string) portalView {
	v := portalView{
		Lang: pr.lang, Nonce: nonce, Name: pr.inst.Name, Action: "/portal/" + pr.inst.ID + "/login",
		T: portalLanguages[pr.lang], Theme: pr.inst.Theme, Terms: pr.inst.Terms(pr.lang),
		Numeric: pr.inst.CouponCharset == app.CharsetDigits, OAuth: pr.inst.Strategy == app.StrategyOAuth2,
		LinkOrig:    safeLink(pr.params.Get("link-orig")),
		Placeholder: fmt.Sprintf(portalLanguages[pr.lang]["code_example"], codePlaceholder(pr.inst)),
	}
	v.LogoURL, v.IconURL = s.imageURLs(pr.inst)
	if v.OAuth {
		v.Provider, v.OAuthAction = app.ProviderName(pr.provider), "/portal/"+pr.inst.ID+"/oauth/start"
	}
	for _, name := range routerParams {
		if val := pr.params.Get(name); val != "" {
			v.Hidden = append(v.Hidden, hiddenField{name, val})
		}
	}
	if msg := pr.params.Get("error"); msg != "" {
		v.Error = routerErrorText(v.T, msg)
	}
	return v
}

// portalPage serves GET /portal/{instanceId}: the login form (or, for an
// oauth2 instance, the sign-in button; in a captive mini-browser, a code
// to sign in in another browser), or the time left when the device is
// already online.
func (s *Server) portalPage(w http.ResponseWriter, r *http.Request, p httprouter.Params) {
	pr, ok := s.loadPortal(w, r, p, r.URL.Query())
	if !ok {
		return
	}
	nonce := newNonce()
	v := s.view(pr, nonce)
	v.Code = cardCode(r.URL.Query(), pr)

	formAction := ""
	if mac := normalizeMAC(pr.params.Get("mac")); mac != "" {
		// A session's time left is shown only to the device itself: the
		// mac parameter is anyone's to type.
		var left time.Duration
		var ends time.Time
		var user string
		var err error
		switch {
		case v.OAuth:
			// An OAuth2 guest is online once the router reported the
			// session; a router that sends the guest back with an error
			// says otherwise.
			if pr.params.Get("error") != "" {
				break
			}
			var g app.OAuthGuest
			if g, err = s.store.ActiveOAuthGuest(r.Context(), pr.inst.ID, mac, s.now()); err == nil {
				left, ends, user = g.Remaining(s.now()), g.EndsAt, g.Username
			}
		default:
			var red app.Redemption
			if red, err = s.store.ActiveRedemption(r.Context(), pr.inst.ID, mac, s.now()); err == nil {
				left, ends, user = red.Remaining(s.now()), red.SessionEnds, red.Coupon.Code
				v.DataLeft = dataLeft(red.Coupon)
			}
		}
		if site := s.ownDeviceSite(r, pr.inst, mac); left > 0 && site != "" {
			s.online(r.Context(), &v, pr, site, ends)
			v.DataUsed = s.dataUsed(r.Context(), site, user, mac)
		}
	}
	if v.OAuth && !v.Online && isMiniBrowser(r.UserAgent()) {
		s.startDevice(w, r, pr, &v) // the provider may refuse this browser: offer another
	}
	if v.OAuth && !v.Online {
		// The sign-in form is redirected to the provider: allow it.
		c, err := s.oauthClient(r.Context(), pr.inst.AuthIntegrationID)
		if err != nil {
			s.logger.WarnContext(r.Context(), "portal: prepare sign-in", "instance", pr.inst.ID, "err", err)
		}
		formAction = c.formAction()
	} else if !v.OAuth {
		formAction = s.codeFormAction(r.Context(), pr)
	}
	s.renderPortal(w, http.StatusOK, "portal.html", v, nonce, formAction)
}

// ownDeviceSite returns the site of the device with MAC address mac when
// the request comes from it: from an address in a guest subnet of one of
// the instance's sites that the router knows by that MAC; "" otherwise.
func (s *Server) ownDeviceSite(r *http.Request, inst app.Instance, mac string) string {
	ip := clientIP(r)
	site := siteOfAddress(inst, ip)
	if site == "" {
		return ""
	}
	if got, err := s.deps.Routers.HostMAC(r.Context(), site, ip); err != nil || got != mac {
		return ""
	}
	return site
}

// portalPreview serves the signed preview_url: the page as a guest sees
// it, with nothing to redeem.
func (s *Server) portalPreview(w http.ResponseWriter, r *http.Request, p httprouter.Params) {
	if err := s.verifyPublicLink(w, r, "/portal/"+p.ByName("instanceId")+"/preview"); err != nil {
		s.writeError(w, r, err)
		return
	}
	pr, ok := s.loadPortal(w, r, p, url.Values{})
	if !ok {
		return
	}
	nonce := newNonce()
	v := s.view(pr, nonce)
	v.Preview = true
	s.renderPortalFramed(w, http.StatusOK, "portal.html", v, nonce, "", "'self'")
}

// previewURL is the signed preview link of an instance.
func (s *Server) previewURL(instanceID string) string {
	return s.links.URL(http.MethodGet, "/portal/"+instanceID+"/preview", nil, previewLinkTTL)
}

// renderPortal writes a portal template with a CSP that allows only its
// own nonce'd style and script, its images, requests to its own origin (a
// mini-browser's page polls), and forms to formAction.
func (s *Server) renderPortal(w http.ResponseWriter, status int, name string, data any, nonce, formAction string) {
	s.renderPortalFramed(w, status, name, data, nonce, formAction, "'none'")
}

// renderPortalFramed is renderPortal with the given frame-ancestors: the
// preview may be framed by the admin page of the same origin.
func (s *Server) renderPortalFramed(w http.ResponseWriter, status int, name string, data any, nonce, formAction, ancestors string) {
	if formAction == "" {
		formAction = "'self'"
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", "default-src 'none'; img-src 'self'; style-src 'nonce-"+nonce+"'; script-src 'nonce-"+nonce+
		"'; connect-src 'self'; form-action "+formAction+"; frame-ancestors "+ancestors+"; base-uri 'none'")
	if ancestors == "'self'" {
		h.Set("X-Frame-Options", "SAMEORIGIN")
	}
	w.WriteHeader(status)
	if err := portalTemplates.ExecuteTemplate(w, name, data); err != nil {
		s.logger.Warn("render portal", "template", name, "err", err)
	}
}

// newNonce returns a fresh CSP nonce.
func newNonce() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand never fails on supported platforms
	return base64.RawStdEncoding.EncodeToString(b)
}

// safeLink keeps an http(s) URL and drops anything else.
func safeLink(v string) string {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.String()
}

// formatRemaining writes a duration as "2h 05m" (or "45m").
func formatRemaining(d time.Duration) string {
	m := int(d.Round(time.Minute) / time.Minute)
	if m >= 60 {
		return fmt.Sprintf("%dh %02dm", m/60, m%60)
	}
	return fmt.Sprintf("%dm", m)
}

// clientIP is the address a request came from, without the port.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// codePlaceholder shows the shape of the instance's codes: "ABC123".
func codePlaceholder(inst app.Instance) string {
	sample := map[string]string{app.CharsetDigits: "0123456789012345", app.CharsetLetters: "ABCDEFGHJKMNPQRS"}[inst.CouponCharset]
	if sample == "" {
		sample = "AB3CD7EF9GH2JK4M"
	}
	return sample[:min(max(inst.CouponLength, app.MinCouponLength), len(sample))]
}

// routerErrorText words an error the router sent back for a guest: the
// usual "invalid username or password" means the code was not accepted.
func routerErrorText(t map[string]string, msg string) string {
	if strings.Contains(strings.ToLower(msg), "invalid username or password") {
		return t["coupon_unknown"]
	}
	return fmt.Sprintf(t["router_error"], msg)
}
