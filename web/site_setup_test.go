package web_test

import (
	"io"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"gatehouse/app"
	"gatehouse/routeros/routerostest"
	"gatehouse/web"
)

// newSelfEnv is the harness with server.base_url set to the server's own
// loopback address, so that a fake router can download from it.
func newSelfEnv(t *testing.T) *env {
	t.Helper()
	e := newEnv(t, "")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	s, err := web.New(web.Config{BaseURL: "http://" + ln.Addr().String(), TokenKey: e.keys[0], LinkKey: e.keys[1], Version: "test"},
		web.Deps{Store: e.store, Routers: e.reconciler, Runner: e.scheduler}, logger)
	if err != nil {
		t.Fatalf("web.New: %v", err)
	}
	e.srv.Close()
	e.srv = httptest.NewUnstartedServer(s.Handler())
	e.srv.Listener.Close()
	e.srv.Listener = ln
	e.srv.Start()
	return e
}

// setupStep is a decoded checklist step.
type setupStep struct {
	ID          string     `json:"id"`
	OK          bool       `json:"ok"`
	Detail      string     `json:"detail"`
	Fix         *string    `json:"fix"`
	DetailParts []app.Text `json:"detail_parts"`
	FixParts    []app.Text `json:"fix_parts"`
	Commands    []string   `json:"commands"`
}

// checklist reads a site's checklist as a map by step id, in order.
func checklist(t *testing.T, e *env, site string) (bool, []string, map[string]setupStep) {
	t.Helper()
	var got struct {
		OK    bool        `json:"ok"`
		Steps []setupStep `json:"steps"`
	}
	r := e.as(app.RoleOperator, http.MethodGet, "/captive/sites/"+site+"/setup", nil)
	wantStatus(t, r, http.StatusOK)
	r.json(t, &got)
	var ids []string
	steps := map[string]setupStep{}
	for _, s := range got.Steps {
		ids = append(ids, s.ID)
		steps[s.ID] = s
		if (s.OK && s.Fix != nil && s.ID != "login_method") || (!s.OK && s.Fix == nil) {
			t.Errorf("step %s: ok %v with fix %v; a fix belongs to steps that are not done", s.ID, s.OK, s.Fix)
		}
	}
	return got.OK, ids, steps
}

// tables is every table of the fake but the clock-driven resource row.
func tables(fake *routerostest.Router) map[string][]map[string]string {
	out := map[string][]map[string]string{}
	for _, m := range fake.Menus() {
		if m != "/system/resource" {
			out[m] = fake.Rows(m)
		}
	}
	return out
}

// changedMenus lists the menus whose rows differ.
func changedMenus(before, after map[string][]map[string]string) []string {
	var out []string
	for m := range before {
		if !slices.EqualFunc(before[m], after[m], maps.Equal) {
			out = append(out, m)
		}
	}
	slices.Sort(out)
	return out
}

func fakeSite(t *testing.T, e *env, fake *routerostest.Router) string {
	t.Helper()
	host, port, _ := net.SplitHostPort(fake.Addr())
	p, _ := strconv.Atoi(port)
	return createSite(t, e, map[string]any{"name": "Lobby", "host": host, "port": p, "username": "api", "password": "pw"})["id"].(string)
}

// TestSetupChecklistFreshRouter: a fresh router (RouterOS' own login page,
// CHAP only) shows the right red steps with their fixes; a router that is
// down fails the API step with the commands to paste.
func TestSetupChecklistFreshRouter(t *testing.T) {
	e := newSelfEnv(t)
	fake := routerostest.New(t, routerostest.Options{User: "api", Password: "pw"})
	fake.SetRow("/ip/hotspot/profile", "hsprof1", map[string]string{"login-by": "cookie"})
	site := fakeSite(t, e, fake)
	createInstance(t, e, map[string]any{"name": "Guest", "strategy": "coupon", "session_ttl": 3600,
		"sites": []any{map[string]any{"id": site}}})

	ok, ids, steps := checklist(t, e, site)
	if want := []string{"api", "hotspot_server", "login_page", "login_method", "walled_garden", "test_login"}; !slices.Equal(ids, want) || ok {
		t.Fatalf("steps %v ok %v, want %v and not ok", ids, ok, want)
	}
	if !steps["api"].OK || !steps["hotspot_server"].OK || !strings.Contains(steps["hotspot_server"].Detail, "hotspot1") {
		t.Errorf("api/server steps = %+v %+v, want done", steps["api"], steps["hotspot_server"])
	}
	if s := steps["login_page"]; s.OK || !strings.Contains(s.Detail, "hotspot/login.html is not gatehouse's") || !strings.Contains(*s.Fix, "Install login page") {
		t.Errorf("login_page = %+v, want RouterOS' own page and the install button", s)
	}
	if s := steps["login_method"]; s.OK || !strings.Contains(s.Detail, "hsprof1") || !strings.Contains(*s.Fix, "Enable PAP") {
		t.Errorf("login_method = %+v, want not done with Enable PAP", s)
	}
	if s := steps["test_login"]; s.OK || !strings.Contains(*s.Fix, "Test login") {
		t.Errorf("test_login = %+v, want not run", s)
	}

	// CHAP only works (the portal answers the challenge), PAP is optional.
	fake.SetRow("/ip/hotspot/profile", "hsprof1", map[string]string{"login-by": "cookie,http-chap"})
	if _, _, steps = checklist(t, e, site); !steps["login_method"].OK || !strings.Contains(steps["login_method"].Detail, "http-chap only") {
		t.Errorf("login_method with CHAP = %+v, want done with a note on PAP", steps["login_method"])
	}

	// A site whose server the router does not have.
	fake.AddRow("/ip/hotspot", map[string]string{"name": "hs-pool", "profile": "hsprof1"})
	e.admin(http.MethodPut, "/captive/sites/"+site, map[string]any{"hotspot_server": "gone"})
	if _, _, steps = checklist(t, e, site); steps["hotspot_server"].OK || !strings.Contains(steps["hotspot_server"].Detail, "hotspot1, hs-pool") {
		t.Errorf("hotspot_server for a missing server = %+v", steps["hotspot_server"])
	}
	var servers []map[string]any
	e.as(app.RoleOperator, http.MethodGet, "/captive/sites/"+site+"/hotspot-servers", nil).json(t, &servers)
	if len(servers) != 2 || servers[0]["name"] != "hotspot1" || servers[1]["name"] != "hs-pool" || servers[0]["html_directory"] != "hotspot" {
		t.Errorf("hotspot servers = %v", servers)
	}
	wantError(t, e.admin(http.MethodPost, "/captive/sites/"+site+"/install-login-page", nil), http.StatusConflict, "resource_conflict", "")

	// The router is down: the API step says so and gives the commands.
	fake.Stop()
	ok, _, steps = checklist(t, e, site)
	api := steps["api"]
	if ok || api.OK || api.Fix == nil {
		t.Fatalf("api step with the router down = %+v", api)
	}
	for _, want := range []string{"/user group add name=gatehouse policy=api,read,write,sensitive", "/user add name=api group=gatehouse",
		"/ip service set api address=127.0.0.1/32", "host of server.base_url"} {
		if !strings.Contains(*api.Fix, want) {
			t.Errorf("api fix lacks %q:\n%s", want, *api.Fix)
		}
	}
	// The same for the admin page: keys with params, the commands apart.
	if len(api.DetailParts) != 1 || api.DetailParts[0].Key != "check.api_failed" || api.DetailParts[0].Params["error"] == "" ||
		len(api.FixParts) != 3 || api.FixParts[1].Key != "check.api_fix_address" || api.FixParts[1].Params["address"] != "127.0.0.1" ||
		len(api.Commands) != 3 || api.Commands[2] != "/ip service set api address=127.0.0.1/32 disabled=no" {
		t.Errorf("api step's parts = %+v / %+v / %q", api.DetailParts, api.FixParts, api.Commands)
	}
	if app.EnglishOf(api.DetailParts) != api.Detail {
		t.Errorf("detail %q is not its parts' English %q", api.Detail, app.EnglishOf(api.DetailParts))
	}
	if steps["login_page"].OK || !strings.Contains(steps["login_page"].Detail, "Not checked") {
		t.Errorf("login_page with the router down = %+v, want not checked", steps["login_page"])
	}
	wantError(t, e.admin(http.MethodGet, "/captive/sites/"+site+"/hotspot-servers", nil), http.StatusServiceUnavailable, "router_unavailable", "")
}

// TestSetupChecklistGreen: installing the login page, enabling PAP, a sync
// and a test login turn every step green, and each button changes only
// what it says on the router.
func TestSetupChecklistGreen(t *testing.T) {
	e := newSelfEnv(t)
	fake := routerostest.New(t, routerostest.Options{User: "api", Password: "pw"})
	fake.SetRow("/ip/hotspot/profile", "hsprof1", map[string]string{"login-by": "cookie,http-chap"})
	site := fakeSite(t, e, fake)
	inst := createInstance(t, e, map[string]any{"name": "Guest", "strategy": "coupon", "session_ttl": 3600,
		"sites": []any{map[string]any{"id": site}}})["id"].(string)
	wantStatus(t, e.admin(http.MethodPost, "/captive/sites/"+site+"/sync", nil), http.StatusOK)

	for _, ep := range []struct{ method, path string }{
		{http.MethodGet, "/setup"}, {http.MethodPost, "/setup/test-login"}, {http.MethodGet, "/hotspot-servers"},
		{http.MethodPost, "/install-login-page"}, {http.MethodPost, "/enable-pap"},
	} {
		wantError(t, e.as(app.RoleFrontdesk, ep.method, "/captive/sites/"+site+ep.path, nil), http.StatusForbidden, "permission_denied", "")
	}

	// Install: only hotspot/login.html changes, and it is the page the
	// download button gives.
	before := tables(fake)
	var inst1 struct {
		InstanceID string `json:"instance_id"`
		Files      []struct {
			Name string `json:"name"`
			Size int    `json:"size"`
		} `json:"files"`
	}
	r := e.as(app.RoleOperator, http.MethodPost, "/captive/sites/"+site+"/install-login-page", nil)
	wantStatus(t, r, http.StatusOK)
	r.json(t, &inst1)
	if inst1.InstanceID != inst || len(inst1.Files) != 1 || inst1.Files[0].Name != "hotspot/login.html" {
		t.Fatalf("install = %s", r.body)
	}
	after := tables(fake)
	if got := changedMenus(before, after); !slices.Equal(got, []string{"/file"}) {
		t.Errorf("install changed %v, want /file only", got)
	}
	// The page as gatehouse serves it to routers (the signed link).
	signer := &app.LinkSigner{BaseURL: e.srv.URL, Key: e.keys[1], Now: time.Now}
	link := signer.URL(http.MethodGet, "/portal/"+inst+"/login.html", url.Values{"site": {site}}, time.Minute)
	page := e.call(http.MethodGet, strings.TrimPrefix(link, e.srv.URL), "", nil)
	wantStatus(t, page, http.StatusOK)
	if !strings.Contains(string(page.body), app.LoginPageMarker(e.srv.URL, inst, site)+"&amp;mac=$(mac-esc)") {
		t.Errorf("login.html does not send guests to the portal: %s", page.body)
	}
	var file map[string]string
	for _, f := range after["/file"] {
		if f["name"] == "hotspot/login.html" {
			file = f
		}
	}
	if file["contents"] != string(page.body) || file["size"] != strconv.Itoa(len(page.body)) {
		t.Errorf("router's login.html = %q, want the generated page %q", file["contents"], page.body)
	}
	if len(before["/file"]) != len(after["/file"]) {
		t.Errorf("files before %d, after %d: want the page replaced in place", len(before["/file"]), len(after["/file"]))
	}
	_, _, steps := checklist(t, e, site)
	if !steps["login_page"].OK {
		t.Errorf("login_page after install = %+v", steps["login_page"])
	}

	// Enable PAP: only the profile's login-by changes.
	before = tables(fake)
	var servers []map[string]any
	r = e.admin(http.MethodPost, "/captive/sites/"+site+"/enable-pap", nil)
	wantStatus(t, r, http.StatusOK)
	r.json(t, &servers)
	after = tables(fake)
	if got := changedMenus(before, after); !slices.Equal(got, []string{"/ip/hotspot/profile"}) {
		t.Errorf("enable-pap changed %v, want /ip/hotspot/profile only", got)
	}
	if got := fake.Row("/ip/hotspot/profile", "hsprof1")["login-by"]; got != "cookie,http-chap,http-pap" {
		t.Errorf("login-by = %q, want cookie,http-chap,http-pap", got)
	}
	if len(servers) != 1 || !slices.Contains(servers[0]["login_by"].([]any), any("http-pap")) {
		t.Errorf("enable-pap answered %s", r.body)
	}

	// A test login leaves the router as it was.
	before = tables(fake)
	var tl map[string]any
	r = e.as(app.RoleOperator, http.MethodPost, "/captive/sites/"+site+"/setup/test-login", nil)
	wantStatus(t, r, http.StatusOK)
	r.json(t, &tl)
	if tl["ok"] != true || tl["removed"] != true || !strings.HasPrefix(tl["user"].(string), "gh-test-") {
		t.Errorf("test login = %s", r.body)
	}
	if got := changedMenus(before, tables(fake)); len(got) != 0 {
		t.Errorf("test login left changes in %v", got)
	}
	// With a device, which is logged in and out again.
	fake.AddRow("/ip/hotspot/host", map[string]string{"address": "10.5.50.9", "mac-address": "AA:BB:CC:00:00:09", "server": "hotspot1"})
	r = e.admin(http.MethodPost, "/captive/sites/"+site+"/setup/test-login", map[string]any{"ip": "10.5.50.9"})
	r.json(t, &tl)
	if tl["ok"] != true || tl["logged_in"] != true || len(fake.Rows("/ip/hotspot/active")) != 0 {
		t.Errorf("test login with a device = %s", r.body)
	}
	wantError(t, e.admin(http.MethodPost, "/captive/sites/"+site+"/setup/test-login", map[string]any{"ip": "nope"}), http.StatusBadRequest, "parameter_invalid", "ip")

	ok, _, steps := checklist(t, e, site)
	if !ok {
		t.Errorf("checklist after install, PAP, sync and a test login is not all done: %+v", steps)
	}

	// The router's download link is signed: changed, it is refused.
	wantStatus(t, e.call(http.MethodGet, "/portal/"+inst+"/login.html?site="+site+"&expires=9999999999&signature=x", "", nil), http.StatusForbidden)
}
