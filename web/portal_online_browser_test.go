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

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// TestPortalBrowserOnline is a guest on a 390×844 phone whose address is
// in the portal's guest subnet: the code field shows an example that does
// not look like a code, the code logs the phone in through the router's
// API, and the online view shows the end time in the phone's time zone,
// a Log out button to the hotspot, and, once the router reported it, the
// data used.
func TestPortalBrowserOnline(t *testing.T) {
	chrome := needChromium(t)
	e := newEnv(t, "")
	fake, site, inst := routerSite(t, e)
	guestSubnet(t, e, inst, site, "127.0.0.0/8") // the browser is a guest
	waitHotspotHost(t, e, site, "10.5.50.1")
	wantStatus(t, e.admin(http.MethodPut, "/captive/instances/"+inst, map[string]any{"name": "Seaside Hotel", "theme": browserTheme}), http.StatusOK)
	var coupons []map[string]any
	e.admin(http.MethodPost, "/captive/instances/"+inst+"/coupons", map[string]any{"count": 1, "minutes_valid": 60}).json(t, &coupons)
	code := coupons[0]["code"].(string)
	const mac = "AA:BB:CC:00:00:20"
	fake.AddRow("/ip/hotspot/host", map[string]string{"address": "127.0.0.1", "mac-address": mac})

	browser := newBrowser(t, chrome, e.srv.URL)
	params := url.Values{"site": {site}, "link-logout": {"http://10.5.50.1/logout"}}
	ctx := openPortal(t, browser, inst, params)
	do(t, ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: "America/New_York"})
		return err
	}))

	// The example in the empty field is styled as a hint, not as a code.
	ph := run(t, ctx, chromedp.Evaluate[string](`(() => { const el = document.getElementById("code"); const s = getComputedStyle(el, "::placeholder");
		return el.placeholder + "|" + s.fontStyle + "|" + s.textTransform; })()`))
	if !strings.HasPrefix(ph, "e.g. ") || !strings.HasSuffix(ph, "|italic|none") {
		t.Errorf("placeholder %q, want an italic, not upper-cased \"e.g. …\"", ph)
	}

	fill(t, ctx, code, false)
	do(t, ctx, chromedp.Click(chromedp.CSS("button[type=submit]")), chromedp.WaitVisible(chromedp.CSS(".online")))
	ends := run(t, ctx, chromedp.Evaluate[string](`document.getElementById("ends-at").textContent`))
	if ends == "" || strings.Contains(ends, "UTC") {
		t.Errorf("end time %q, want it in the phone's time zone", ends)
	}
	logout := run(t, ctx, chromedp.Evaluate[string](`(document.querySelector("a.button.secondary") || {}).href || ""`))
	if logout != "http://10.5.50.1/logout" {
		t.Errorf("Log out goes to %q, want the hotspot's logout", logout)
	}

	// The router reports the session's traffic; the phone opens its status.
	active := fake.Rows("/ip/hotspot/active")
	if len(active) != 1 {
		t.Fatalf("router sessions = %v", active)
	}
	fake.SetRow("/ip/hotspot/active", active[0][".id"], map[string]string{"bytes-in": "21000000", "bytes-out": "187000000"})
	if _, err := e.reconciler.Sync(t.Context(), site); err != nil {
		t.Fatal(err)
	}
	params.Set("mac", mac)
	do(t, ctx, chromedp.Navigate("http://"+browserHost+"/portal/"+inst+"?"+params.Encode()), chromedp.WaitVisible(chromedp.CSS(".online")))
	if got := run(t, ctx, chromedp.Evaluate[string](`document.querySelector(".session").innerText`)); !strings.Contains(got, "Data used") || !strings.Contains(got, "208 MB") {
		t.Errorf("session details %q, want 208 MB used", got)
	}
	if w := run(t, ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 390 {
		t.Errorf("the online page is %d px wide on a 390 px phone", w)
	}
	time.Sleep(200 * time.Millisecond)
	img := run(t, ctx, chromedp.CaptureScreenshot())
	if err := os.WriteFile(filepath.Join(screenshotDir(t), "portal-online-390x844.png"), img, 0o644); err != nil {
		t.Fatal(err)
	}
}
