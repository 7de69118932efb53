package routeros_test

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"gatehouse/app"
	"gatehouse/routeros"
	"gatehouse/routeros/routerostest"
)

func setupRouter(t *testing.T) (*routerostest.Router, *routeros.Router) {
	t.Helper()
	fake := newRouter(t)
	tg := target(t, fake.Addr())
	r := routeros.NewRouter(app.Site{Host: tg.Host, Port: tg.Port, Username: user, Password: pass}, routeros.Config{})
	t.Cleanup(func() { r.Close() })
	return fake, r
}

// TestSetupReads: the hotspot servers with their profiles' login settings,
// and a file by name.
func TestSetupReads(t *testing.T) {
	fake, r := setupRouter(t)
	ctx := t.Context()
	fake.AddRow("/ip/hotspot/profile", map[string]string{"name": "guests", "html-directory": "flash/guests", "login-by": "cookie,http-chap"})
	fake.AddRow("/ip/hotspot", map[string]string{"name": "hs-guests", "interface": "ether3", "profile": "guests", "disabled": "true"})
	got, err := r.HotspotServers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("servers = %+v, want 2", got)
	}
	if s := got[0]; s.Name != "hotspot1" || s.Profile != "hsprof1" || s.HTMLDirectory != "hotspot" ||
		!slices.Equal(s.LoginBy, []string{"cookie", "http-chap", "http-pap"}) || s.Disabled {
		t.Errorf("server 1 = %+v", s)
	}
	if s := got[1]; s.Name != "hs-guests" || s.HTMLDirectory != "flash/guests" || s.LoginPagePath() != "flash/guests/login.html" ||
		!slices.Equal(s.LoginBy, []string{"cookie", "http-chap"}) || !s.Disabled {
		t.Errorf("server 2 = %+v", s)
	}
	f, err := r.File(ctx, "hotspot/login.html")
	if err != nil || f.Size == 0 || f.Type != ".html file" || f.Contents == "" {
		t.Errorf("File(hotspot/login.html) = %+v, %v", f, err)
	}
	if _, err := r.File(ctx, "hotspot/nope.html"); app.ErrorCode(err) != app.ENotFound {
		t.Errorf("File(missing) error = %v, want not_found", err)
	}
}

// TestSetupChanges: fetching a file, adding a login method (kept once),
// and a test login that leaves nothing behind.
func TestSetupChanges(t *testing.T) {
	fake, r := setupRouter(t)
	ctx := t.Context()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("<p>ours</p>")) }))
	t.Cleanup(srv.Close)
	f, err := r.FetchFile(ctx, srv.URL+"/x?a=1&b=2", "hotspot/login.html")
	if err != nil || f.Contents != "<p>ours</p>" || f.Size != 11 {
		t.Fatalf("FetchFile = %+v, %v", f, err)
	}
	if _, err := r.FetchFile(ctx, "http://192.0.2.7/login.html", "hotspot/login.html"); app.ErrorCode(err) != app.EInvalid ||
		!strings.Contains(err.Error(), "loopback") {
		t.Errorf("FetchFile from elsewhere: %v, want the router's refusal", err)
	}

	fake.AddRow("/ip/hotspot/profile", map[string]string{"name": "chap", "login-by": "cookie,http-chap"})
	for range 2 {
		if err := r.AddLoginMethod(ctx, "chap", app.LoginByPAP); err != nil {
			t.Fatal(err)
		}
	}
	if got := fake.Row("/ip/hotspot/profile", "chap")["login-by"]; got != "cookie,http-chap,http-pap" {
		t.Errorf("login-by = %q, want cookie,http-chap,http-pap", got)
	}
	if err := r.AddLoginMethod(ctx, "nope", app.LoginByPAP); app.ErrorCode(err) != app.ENotFound {
		t.Errorf("AddLoginMethod(unknown profile) = %v, want not_found", err)
	}

	users := len(fake.Rows("/ip/hotspot/user"))
	tl, err := r.TestLogin(ctx, "hotspot1", "")
	if err != nil || !tl.OK() || tl.LoggedIn || !strings.HasPrefix(tl.User, "gh-test-") {
		t.Errorf("TestLogin without a device = %+v, %v", tl, err)
	}
	fake.AddRow("/ip/hotspot/host", map[string]string{"address": "10.5.50.9", "mac-address": "AA:BB:CC:00:00:09", "server": "hotspot1"})
	tl, err = r.TestLogin(ctx, "hotspot1", "10.5.50.9")
	if err != nil || !tl.OK() || !tl.LoggedIn {
		t.Errorf("TestLogin with a device = %+v, %v", tl, err)
	}
	tl, err = r.TestLogin(ctx, "hotspot1", "10.5.50.99")
	if err != nil || tl.OK() || tl.LoggedIn || !tl.Removed || tl.Error == "" {
		t.Errorf("TestLogin with an unknown device = %+v, %v, want a failure that still removed the user", tl, err)
	}
	tl, _ = r.TestLogin(ctx, "no-such-server", "")
	if tl.OK() || tl.Created {
		t.Errorf("TestLogin on an unknown server = %+v, want refused", tl)
	}
	if n := len(fake.Rows("/ip/hotspot/user")); n != users {
		t.Errorf("hotspot users after the tests: %d, want %d", n, users)
	}
	if n := len(fake.Rows("/ip/hotspot/active")); n != 0 {
		t.Errorf("active sessions after the tests: %d, want 0", n)
	}
}
