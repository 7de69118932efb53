package web_test

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/device"
)

// TestOAuthDeviceBrowser is the captive mini-browser's hand-off in a real
// browser: tab 1, with the user agent of iOS's captive sheet, opens the
// portal of a Google instance and reads the code; tab 2, a normal browser,
// opens the link, accepts the terms and signs in at the local identity
// provider (which consents at once); tab 1, polling, ends on the hand-off
// to a stand-in for the router's link-login-only, which receives the
// one-off user. Everything is on loopback; each tab has a deadline.
func TestOAuthDeviceBrowser(t *testing.T) {
	chrome := chromiumPath()
	if chrome == "" {
		t.Skip("no Chromium found (/usr/bin/chromium, chromium-browser, google-chrome or $CHROME_PATH); .ci/run installs it")
	}
	start := time.Now()
	o := newOAuthEnv(t, "google", "")
	// The site's router says its hotspot login page is on 127.0.0.1, where
	// the stand-in answers for it.
	o.fake.SetRow("/ip/hotspot/profile", "hsprof1", map[string]string{"hotspot-address": "127.0.0.1"})
	waitHotspotHost(t, o.env, o.site, "127.0.0.1")
	router := newStandInRouter(t)
	browser := newBrowser(t, chrome, o.base)
	params := url.Values{"site": {o.site}, "mac": {"AA:BB:CC:00:20:01"}, "ip": {"10.5.50.81"},
		"link-login-only": {router.srv.URL + "/login"}, "link-orig": {"http://example.com/news"}}

	// Tab 1: the mini-browser shows a code, no Google button, and polls.
	mini := newTab(t, browser, chromedp.WithNewBrowserContext())
	do(t, mini,
		chromedp.Emulate(device.Info{Name: "iPhone captive sheet", UserAgent: cnaAgent, Width: 390, Height: 844, Scale: 1, Mobile: true, Touch: true}),
		chromedp.Navigate(o.base+"/portal/"+o.inst+"?"+params.Encode()),
		chromedp.WaitVisible(chromedp.CSS("#device-code")),
	)
	if ua := run(t, mini, chromedp.Evaluate[string](`navigator.userAgent`)); ua != cnaAgent {
		t.Fatalf("tab 1 user agent = %q, want the captive sheet's", ua)
	}
	code := run(t, mini, chromedp.Text(chromedp.CSS("#device-code")))
	link := run(t, mini, chromedp.Text(chromedp.CSS("#device-link")))
	if !deviceCodeRE.MatchString(`id="device-code">`+code+`<`) || link != o.base+"/oauth2/device?code="+code {
		t.Fatalf("tab 1 shows code %q and link %q", code, link)
	}
	if n := run(t, mini, chromedp.Evaluate[int](`document.querySelectorAll("form[action$='/oauth/start']").length`)); n != 0 {
		t.Fatalf("the mini-browser is offered Google's sign-in, which Google refuses there")
	}
	shot := run(t, mini, chromedp.FullScreenshot(90))
	if err := os.WriteFile(filepath.Join(screenshotDir(t), "portal-device-390x844.png"), shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("set-up and tab 1 took %v", time.Since(start).Round(time.Millisecond))

	// Tab 2: a normal browser (its own cookies, as Safari's are not the
	// captive sheet's) opens the link and signs in.
	real := newTab(t, browser, chromedp.WithNewBrowserContext())
	do(t, real,
		chromedp.Navigate(link),
		chromedp.WaitVisible(chromedp.CSS("input[name=accept_terms]")),
	)
	if got := run(t, real, chromedp.Text(chromedp.CSS("#code"))); got != code {
		t.Fatalf("tab 2 confirms code %q, want %q", got, code)
	}
	do(t, real,
		chromedp.Click(chromedp.CSS("input[name=accept_terms]")),
		chromedp.Click(chromedp.CSS("button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#done")),
	)
	users := o.guestUsers()
	if len(users) != 1 {
		t.Fatalf("router guest users = %v", users)
	}
	html := run(t, real, chromedp.Evaluate[string](`document.documentElement.outerHTML`))
	if strings.Contains(html, users[0]["password"]) || strings.Contains(html, users[0]["name"]) {
		t.Fatalf("the real browser's page holds the credentials:\n%s", html)
	}

	// Tab 1 notices and hands off to the router by itself.
	var form url.Values
	select {
	case form = <-router.forms:
	case <-mini.Done():
		t.Fatalf("the router never received the mini-browser's login: %v", mini.Err())
	}
	want := map[string]string{"username": users[0]["name"], "password": users[0]["password"], "dst": "http://example.com/news"}
	for k, v := range want {
		if got := form.Get(k); got != v {
			t.Errorf("router got %s = %q, want %q", k, got, v)
		}
	}
	// The tab is between pages now; a script in the page going away fails,
	// so ask again until the router's page answers.
	for title := ""; title != "Router login"; title, _ = chromedp.Run(mini, chromedp.Title()) {
		select {
		case <-mini.Done():
			t.Fatalf("tab 1 never showed the router's page (title %q): %v", title, mini.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
	select {
	case extra := <-router.forms:
		t.Errorf("the router received a second login: %v", extra)
	default:
	}
	var su []map[string]any
	o.admin(http.MethodGet, "/captive/sites/"+o.site+"/users", nil).json(t, &su)
	if len(su) != 1 || su[0]["identity"] != "alice@example.com" || su[0]["mac_address"] != "AA:BB:CC:00:20:01" {
		t.Errorf("site users = %v", su)
	}
	t.Logf("whole run took %v", time.Since(start).Round(time.Millisecond))
}

// newTab opens a tab of the browser with a 20-second deadline.
func newTab(t *testing.T, browser context.Context, opts ...chromedp.ContextOption) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser, opts...)
	t.Cleanup(cancel)
	ctx, cancelStep := context.WithTimeout(ctx, 20*time.Second)
	t.Cleanup(cancelStep)
	return ctx
}
