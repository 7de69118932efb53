package web_test

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"gatehouse/app"
	"gatehouse/web"
)

// TestAdminBrowserLoopbackBanner: with a loopback base_url every admin
// page shows a banner naming the setting to change, and downloading
// login.html says why it is refused. On a phone the portal page (with a
// long "Download login.html for …" button) does not overflow sideways.
func TestAdminBrowserLoopbackBanner(t *testing.T) {
	chrome := needChromium(t)
	e := newEnvConfig(t, "", func(c *web.Config) { c.BaseURL = "http://127.0.0.1:8080" })
	password := e.createAdmin("alice", app.RoleAdmin)
	site := createSite(t, e, map[string]any{"name": "Seaside Hotel east wing router (hAP ax3)", "host": "192.0.2.1", "username": "api"})["id"].(string)
	inst := createInstance(t, e, map[string]any{"name": "Seaside Hotel", "strategy": "coupon", "session_ttl": 7200,
		"sites": []any{map[string]any{"id": site}}})["id"].(string)
	browser := newBrowser(t, chrome, e.srv.URL)
	ctx := uiTab(t, browser, 1280, 800)
	uiSignIn(t, ctx, "alice", password)

	uiWait(t, ctx, `.setup-banner [data-warning="base_url_loopback"]`, "[server] base_url")
	uiWait(t, ctx, ".setup-banner", "GATEHOUSE_SERVER_BASE_URL")
	uiNav(t, ctx, "instances")
	uiWait(t, ctx, ".setup-banner", "http://127.0.0.1:8080") // on every page
	uiStep(t, ctx, chromedp.Evaluate[chromedp.Void](`location.hash = "#/instances/`+inst+`"`))
	uiClick(t, ctx, "Download login.html for Seaside Hotel east wing router (hAP ax3)")
	uiWait(t, ctx, "#toast", "[server] base_url")

	dir := screenshotDir(t)
	uiScreenshots(t, ctx, dir, uiShot{name: "base-url-banner", hash: "#/instances/" + inst, ready: ".setup-banner"})
	for _, size := range []string{"1280x800", "390x844"} {
		if _, err := os.Stat(filepath.Join(dir, "admin-base-url-banner-"+size+".png")); err != nil {
			t.Errorf("screenshot %s: %v", size, err)
		}
	}

	// A phone: the portal page and its look fit the screen's width.
	phone := uiTab(t, browser, 390, 844)
	uiSignIn(t, phone, "alice", password)
	uiStep(t, phone, chromedp.Evaluate[chromedp.Void](`location.hash = "#/instances/`+inst+`"`))
	uiWait(t, phone, "main", "Download login.html for Seaside Hotel east wing")
	uiWait(t, phone, "main", "Look")
	if w := run(t, phone, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 390 {
		wide := run(t, phone, chromedp.Evaluate[string](`[...document.querySelectorAll("main *")].filter(el => el.getBoundingClientRect().right > 391).slice(0, 5).map(el => el.tagName + "." + el.className + " " + Math.round(el.getBoundingClientRect().width)).join(", ")`))
		t.Errorf("the portal page is %d px wide on a 390 px phone; too wide: %s", w, wide)
	}
	if r := e.admin(http.MethodGet, "/auth/me", nil); !strings.Contains(string(r.body), "base_url_loopback") {
		t.Errorf("/auth/me: %s", r.body)
	}

	// In the account's language, with the address and the names filled in.
	uiAccountLang(t, e, "alice", password, "fr")
	fr := uiTab(t, browser, 1280, 800)
	uiSignIn(t, fr, "alice", password)
	for _, w := range []string{"Les clients ne peuvent pas joindre gatehouse", "vers http://127.0.0.1:8080,",
		"Réglez [server] base_url dans le fichier de configuration (ou la variable d'environnement GATEHOUSE_SERVER_BASE_URL)"} {
		uiWait(t, fr, ".setup-banner", w)
	}
}
