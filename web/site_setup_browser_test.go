package web_test

import (
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"gatehouse/app"
	"gatehouse/routeros/routerostest"
)

// TestSetupChecklistBrowser: on a fresh router the site's checklist shows
// what is left to do; the Install login page, Enable PAP and Test login
// buttons turn it green, and the router then holds gatehouse's login.html.
// With GATEHOUSE_SCREENSHOTS set it writes admin-site-setup-todo-* and
// admin-site-setup-done-* at 1280×800 and 390×844.
func TestSetupChecklistBrowser(t *testing.T) {
	chrome := needChromium(t)
	e := newSelfEnv(t)
	password := e.createAdmin("alice", app.RoleAdmin)
	fake := routerostest.New(t, routerostest.Options{User: "api", Password: "pw", Identity: "Lobby-hAP"})
	fake.SetRow("/ip/hotspot/profile", "hsprof1", map[string]string{"login-by": "cookie"})
	site := fakeSite(t, e, fake)
	inst := createInstance(t, e, map[string]any{"name": "Seaside Hotel", "strategy": "coupon", "session_ttl": 3600,
		"sites": []any{map[string]any{"id": site}}})["id"].(string)
	wantStatus(t, e.admin(http.MethodPost, "/captive/sites/"+site+"/sync", nil), http.StatusOK)

	browser := newBrowser(t, chrome, e.srv.URL)
	ctx := uiTab(t, browser, 1280, 800)
	uiSignIn(t, ctx, "alice", password)
	uiStep(t, ctx, chromedp.Evaluate[chromedp.Void](`location.hash = "#/sites/`+site+`"`),
		chromedp.WaitVisible(chromedp.CSS(`.setup-step[data-step=test_login]`)))
	uiWait(t, ctx, ".setup-status", "3 of 6 steps done")
	for _, id := range []string{"login_page", "login_method", "test_login"} {
		if got := uiText(t, ctx, `.setup-step[data-step=`+id+`] .badge`); got != "to do" {
			t.Errorf("step %s shows %q, want to do", id, got)
		}
	}
	if got := uiText(t, ctx, `.setup-step[data-step=login_page]`); !strings.Contains(got, "not gatehouse's") {
		t.Errorf("login page step says %q", got)
	}
	// The hotspot server is chosen from the router's list.
	uiWait(t, ctx, `select[name=hotspot_server]`, "hotspot1 (bridge)")
	dir := os.Getenv("GATEHOUSE_SCREENSHOTS")
	if dir != "" {
		uiScreenshots(t, ctx, dir, uiShot{name: "site-setup-todo", hash: "#/sites/" + site, ready: ".setup-list",
			prep: `(document.querySelector(".setup").parentElement).scrollIntoView()`})
	}

	uiClick(t, ctx, "Install login page")
	uiWait(t, ctx, `.setup-step[data-step=login_page] .badge`, "done")
	uiClick(t, ctx, "Enable PAP")
	uiWait(t, ctx, `.setup-step[data-step=login_method] .badge`, "done")
	// The test login also logs a device on the hotspot in and out.
	fake.AddRow("/ip/hotspot/host", map[string]string{"address": "10.5.50.9", "mac-address": "AA:BB:CC:00:00:09", "server": "hotspot1"})
	uiStep(t, ctx, chromedp.SendKeys(chromedp.CSS(`input[name=test_ip]`), "10.5.50.9"))
	uiClick(t, ctx, "Test login")
	uiWait(t, ctx, `.setup-step[data-step=test_login] .badge`, "done")
	uiWait(t, ctx, `.setup-step[data-step=test_login]`, "logged in device 10.5.50.9")
	if n := len(fake.Rows("/ip/hotspot/active")); n != 0 {
		t.Errorf("sessions after the test login: %d, want 0", n)
	}
	uiWait(t, ctx, ".setup-status", "Every step is done")

	file := fake.Row("/file", "hotspot/login.html")
	if !strings.Contains(file["contents"], app.LoginPageMarker(e.srv.URL, inst, site)) {
		t.Errorf("router's login.html = %q, want gatehouse's", file["contents"])
	}
	if got := fake.Row("/ip/hotspot/profile", "hsprof1")["login-by"]; got != "cookie,http-pap" {
		t.Errorf("login-by = %q, want cookie,http-pap", got)
	}
	if dir != "" {
		uiScreenshots(t, ctx, dir, uiShot{name: "site-setup-done", hash: "#/sites/" + site, ready: ".setup-step.is-done",
			prep: `(document.querySelector(".setup").parentElement).scrollIntoView()`})
	}
}
