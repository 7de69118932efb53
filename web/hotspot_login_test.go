package web_test

import (
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"gatehouse/app"
)

// routerOSVar and routerOSIf match RouterOS servlet page syntax.
var (
	routerOSVar = regexp.MustCompile(`\$\(([a-z-]+)\)`)
	routerOSIf  = regexp.MustCompile(`\$\(if ([a-z-]+)\)(.*?)\$\(endif\)`)
)

// routerOSRender fills a hotspot page the way RouterOS does: $(if name)…
// $(endif) keeps its text when the variable is not empty, $(name) is the
// raw value and $(name-esc) the URL-encoded one (MikroTik's manual: the
// username "123&456=1 2" becomes "123%26456%3D1+2").
func routerOSRender(page string, vars map[string]string) string {
	page = routerOSIf.ReplaceAllStringFunc(page, func(m string) string {
		sub := routerOSIf.FindStringSubmatch(m)
		if vars[sub[1]] == "" {
			return ""
		}
		return sub[2]
	})
	return routerOSVar.ReplaceAllStringFunc(page, func(m string) string {
		name := routerOSVar.FindStringSubmatch(m)[1]
		if base, ok := strings.CutSuffix(name, "-esc"); ok {
			return url.QueryEscape(vars[base])
		}
		return vars[name]
	})
}

// pageLinks parses page as HTML and returns the URL of its meta refresh
// and the href of its links; it fails the test when the page does not
// parse or loads anything (scripts, styles, images, frames).
func pageLinks(t testing.TB, page string) (refresh string, hrefs []string, text string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(page))
	d.Strict = false
	d.AutoClose = xml.HTMLAutoClose
	d.Entity = xml.HTMLEntity
	var open []string
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("page does not parse as HTML: %v\n%s", err, page)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			open = append(open, tok.Name.Local)
			attr := map[string]string{}
			for _, a := range tok.Attr {
				attr[strings.ToLower(a.Name.Local)] = a.Value
			}
			switch tok.Name.Local {
			case "meta":
				if strings.EqualFold(attr["http-equiv"], "refresh") {
					_, refresh, _ = strings.Cut(attr["content"], "url=")
				}
			case "a":
				hrefs = append(hrefs, attr["href"])
			case "script", "link", "img", "iframe", "object", "embed", "style":
				t.Errorf("page has a <%s>: it must be self-contained", tok.Name.Local)
			}
			if attr["src"] != "" {
				t.Errorf("page loads %s", attr["src"])
			}
		case xml.EndElement:
			if len(open) == 0 || open[len(open)-1] != tok.Name.Local {
				t.Fatalf("page has a stray </%s> (open: %v)", tok.Name.Local, open)
			}
			open = open[:len(open)-1]
		case xml.CharData:
			text += string(tok)
		}
	}
	if len(open) != 0 {
		t.Fatalf("page leaves elements open: %v", open)
	}
	return refresh, hrefs, text
}

func TestHotspotLoginHTML(t *testing.T) {
	e := newEnv(t, "")
	lobby := createSite(t, e, map[string]any{"name": "Lobby", "host": "127.0.0.1", "username": "api"})["id"].(string)
	id := createInstance(t, e, map[string]any{"name": "Guest WiFi", "strategy": "coupon", "session_ttl": 3600,
		"sites": []any{map[string]any{"id": lobby}}})["id"].(string)
	path := "/captive/instances/" + id + "/hotspot/login.html"

	r := e.as(app.RoleOperator, http.MethodGet, path+"?site="+strings.ToUpper(lobby), nil)
	wantStatus(t, r, http.StatusOK)
	if got := r.header.Get("Content-Type"); got != "text/html; charset=utf-8" {
		t.Errorf("Content-Type: got %q, want text/html", got)
	}
	if got := r.header.Get("Content-Disposition"); got != `attachment; filename="login.html"` {
		t.Errorf("Content-Disposition: got %q", got)
	}
	page := string(r.body)
	if len(page) > 2048 {
		t.Errorf("login.html is %d bytes, want a tiny page", len(page))
	}
	portal := "http://gatehouse.test/portal/" + id + "?site=" + lobby
	for _, want := range []string{portal, "$(mac-esc)", "$(ip)", "$(link-login-only-esc)", "$(link-orig-esc)",
		"$(link-logout)", "$(if chap-id)", "$(chap-id)", "$(chap-challenge)", "$(error-esc)", ">Continue</a>"} {
		if !strings.Contains(page, want) {
			t.Errorf("login.html lacks %q:\n%s", want, page)
		}
	}

	// The file as stored parses, and so does what the router makes of it.
	refresh, hrefs, text := pageLinks(t, page)
	if !strings.HasPrefix(refresh, portal+"&mac=") || len(hrefs) != 1 || hrefs[0] != refresh || !strings.Contains(text, "Continue") {
		t.Fatalf("want a meta refresh to %s… and one Continue link to the same place; got refresh %q, links %q", portal, refresh, hrefs)
	}

	vars := map[string]string{
		"mac": "AA:BB:CC:DD:EE:FF", "ip": "10.5.50.7",
		"link-login-only": "http://10.5.50.1/login",
		"link-logout":     "http://10.5.50.1/logout",
		"link-orig":       "http://example.com/a b?x=1&y=\"2\"#frag",
		"chap-id":         `\371`, "chap-challenge": `\357\015\330\013\021\234\145\245`,
		"error": `invalid username ("a&b=c"): <try again>`,
	}
	refresh, hrefs, _ = pageLinks(t, routerOSRender(page, vars))
	if len(hrefs) != 1 || hrefs[0] != refresh {
		t.Fatalf("rendered page: refresh %q and links %q differ", refresh, hrefs)
	}
	u, err := url.Parse(refresh)
	if err != nil {
		t.Fatalf("rendered link %q: %v", refresh, err)
	}
	if u.Scheme+"://"+u.Host+u.Path != "http://gatehouse.test/portal/"+id {
		t.Errorf("rendered link goes to %s", refresh)
	}
	got := u.Query()
	want := url.Values{"site": {lobby}}
	for k, v := range vars {
		want.Set(k, v)
	}
	if got.Encode() != want.Encode() {
		t.Errorf("the portal would read\n %v\nwant\n %v", got, want)
	}

	// Without CHAP and error, those parameters are left out.
	refresh, _, _ = pageLinks(t, routerOSRender(page, map[string]string{"mac": "AA:BB:CC:DD:EE:FF", "ip": "10.5.50.7"}))
	if u, _ := url.Parse(refresh); u.Query().Has("chap-id") || u.Query().Has("error") || u.Query().Get("mac") != "AA:BB:CC:DD:EE:FF" {
		t.Errorf("without chap-id and error: %s", refresh)
	}
}

func TestHotspotLoginHTMLRefused(t *testing.T) {
	e := newEnv(t, "")
	lobby := createSite(t, e, map[string]any{"name": "Lobby", "host": "127.0.0.1", "username": "api"})["id"].(string)
	pool := createSite(t, e, map[string]any{"name": "Pool", "host": "127.0.0.1", "username": "api"})["id"].(string)
	id := createInstance(t, e, map[string]any{"name": "Guest WiFi", "strategy": "coupon", "session_ttl": 3600,
		"sites": []any{map[string]any{"id": lobby}}})["id"].(string)
	path := "/captive/instances/" + id + "/hotspot/login.html"
	cases := []struct {
		name, path  string
		role        app.Role
		status      int
		code, param string
	}{
		{"no site", path, app.RoleAdmin, 400, "parameter_missing", "site"},
		{"empty site", path + "?site=", app.RoleAdmin, 400, "parameter_missing", "site"},
		{"site of no instance", path + "?site=" + pool, app.RoleAdmin, 400, "parameter_invalid", "site"},
		{"unknown site", path + "?site=0190c0de-0000-7000-8000-000000000000", app.RoleAdmin, 400, "parameter_invalid", "site"},
		{"not a uuid", path + "?site=lobby", app.RoleAdmin, 400, "parameter_invalid", "site"},
		{"unknown instance", "/captive/instances/0190c0de-0000-7000-8000-000000000000/hotspot/login.html?site=" + lobby, app.RoleAdmin, 404, "resource_missing", ""},
		{"frontdesk", path + "?site=" + lobby, app.RoleFrontdesk, 403, "permission_denied", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wantError(t, e.as(tc.role, http.MethodGet, tc.path, nil), tc.status, tc.code, tc.param)
		})
	}
	wantError(t, e.call(http.MethodGet, path+"?site="+lobby, "", nil), 401, "authentication_required", "")
}
