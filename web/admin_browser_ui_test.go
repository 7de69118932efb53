package web_test

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Helpers of the admin page browser tests: tabs, sign-in, navigation,
// waiting, uploads, printing and screenshots.

// needChromium returns the Chromium to drive, or skips the test.
func needChromium(t *testing.T) string {
	t.Helper()
	chrome := chromiumPath()
	if chrome == "" {
		t.Skip("no Chromium found (/usr/bin/chromium, chromium-browser, google-chrome or $CHROME_PATH); .ci/run installs it")
	}
	return chrome
}

// uiTab opens the admin page in a new tab of the given size.
func uiTab(t *testing.T, browser context.Context, w, h int64) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser)
	t.Cleanup(cancel)
	opts := []chromedp.EmulateViewportOption{chromedp.EmulateScale(1)}
	if w < 600 {
		opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateTouch)
	}
	// The first action opens the tab and ties it to the context it runs
	// with: ctx itself, not a shorter-lived step context.
	do(t, ctx, chromedp.EmulateViewport(w, h, opts...))
	// A script error on the page fails the test.
	var mu sync.Mutex
	var errs []string
	if err := chromedp.Listen(ctx, func(ev any) {
		if ex, ok := ev.(*runtime.EventExceptionThrown); ok {
			mu.Lock()
			defer mu.Unlock()
			msg := ex.ExceptionDetails.Text
			if ex.ExceptionDetails.Exception != nil && ex.ExceptionDetails.Exception.Description != "" {
				msg = ex.ExceptionDetails.Exception.Description
			}
			errs = append(errs, msg)
		}
	}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		for _, e := range errs {
			t.Errorf("script error on the admin page: %s", e)
		}
	})
	return ctx
}

// uiSignIn opens the page and signs in through the form.
func uiSignIn(t *testing.T, ctx context.Context, user, password string) {
	t.Helper()
	uiStep(t, ctx, chromedp.Navigate(uiURL),
		chromedp.WaitVisible(chromedp.CSS(`input[name=username]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=username]`), user),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), password),
		chromedp.Click(chromedp.CSS(`.signin-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.topbar`)))
}

// uiNav follows a menu link (opening the phone menu first if needed).
func uiNav(t *testing.T, ctx context.Context, route string) {
	t.Helper()
	uiStep(t, ctx, chromedp.Evaluate[chromedp.Void](`(() => {
		const b = document.querySelector(".menu-btn");
		if (b && getComputedStyle(b).display !== "none" && b.getAttribute("aria-expanded") !== "true") b.click();
	})()`), chromedp.Click(chromedp.CSS(`#nav a[data-route="`+route+`"]`)),
		// The old view is gone once the link is marked current.
		chromedp.WaitReady(chromedp.CSS(`#nav a[data-route="`+route+`"][aria-current=page]`)))
}

// uiClick presses the visible button whose text is label.
func uiClick(t *testing.T, ctx context.Context, label string) {
	t.Helper()
	ok := run(t, ctx, chromedp.Poll[bool](`(() => {
		const b = [...document.querySelectorAll("button")].find(b => b.textContent.trim() === `+jsQuote(label)+` && b.offsetParent !== null && !b.disabled);
		if (!b) return false;
		b.click();
		return true;
	})()`, chromedp.WithPollingTimeout(5*time.Second)))
	if !ok {
		t.Fatalf("no button %q", label)
	}
}

// uiSet replaces the value of the input named name as if typed.
func uiSet(t *testing.T, ctx context.Context, name, value string) {
	t.Helper()
	sel := `form [name="` + name + `"]`
	uiStep(t, ctx, chromedp.WaitVisible(chromedp.CSS(sel)),
		chromedp.Evaluate[chromedp.Void](`document.querySelector(`+jsQuote(sel)+`).value = ""`),
		chromedp.SendKeys(chromedp.CSS(sel), value))
}

// uiStep runs browser steps that must finish within 10 seconds; on failure
// it logs what the page shows.
func uiStep(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := chromedp.Do(sctx, steps...); err != nil {
		t.Fatalf("browser: %v\npage: %s", err, uiPageText(ctx))
	}
}

// uiPageText is what the page shows, for failure messages.
func uiPageText(ctx context.Context) string {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.hash + "\n" + document.body.innerText`))
	if err != nil {
		return "(unavailable: " + err.Error() + ")"
	}
	return s
}

// uiWait waits until the element matching sel contains want.
func uiWait(t *testing.T, ctx context.Context, sel, want string) {
	t.Helper()
	ok, err := chromedp.Run(ctx, chromedp.Poll[bool](`(() => { const el = document.querySelector(`+jsQuote(sel)+`); return !!el && el.textContent.includes(`+jsQuote(want)+`); })()`,
		chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil || !ok {
		t.Fatalf("%s never contained %q: %v\npage: %s", sel, want, err, uiPageText(ctx))
	}
}

// uiText is the text of the first element matching sel ("" when none).
func uiText(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	return run(t, ctx, chromedp.Evaluate[string](`(document.querySelector(`+jsQuote(sel)+`) || {}).textContent || ""`))
}

// jsQuote quotes s as a JavaScript string literal.
func jsQuote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + `"`
}

// uiActiveUsers counts a site's active guests through the API.
func uiActiveUsers(t *testing.T, e *env, site string) int {
	t.Helper()
	var users []map[string]any
	r := e.admin(http.MethodGet, "/captive/sites/"+site+"/users?active=true", nil)
	wantStatus(t, r, http.StatusOK)
	r.json(t, &users)
	return len(users)
}

// uiCheckPreview changes the accent colour and checks the framed
// portal preview follows before anything is saved.
func uiCheckPreview(t *testing.T, ctx context.Context) {
	t.Helper()
	run(t, ctx, chromedp.Poll[bool](`(() => { const f = document.querySelector(".preview-frame"); return !!f && !!f.contentDocument && !!f.contentDocument.querySelector("main"); })()`,
		chromedp.WithPollingTimeout(5*time.Second)))
	uiStep(t, ctx, chromedp.Evaluate[chromedp.Void](`(() => {
		const i = document.querySelector('input[name="accent_color"]');
		i.value = "#aa3300";
		i.dispatchEvent(new Event("input", {bubbles: true}));
	})()`))
	got := run(t, ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector(".preview-frame").contentDocument.querySelector("button")).backgroundColor`))
	if got != "rgb(170, 51, 0)" {
		t.Errorf("preview button background = %q after the accent input changed, want rgb(170, 51, 0)", got)
	}
}

// uiUploadLogo picks a generated PNG (a sun over the sea) in the logo's
// file input and waits for the uploaded logo to show.
func uiUploadLogo(t *testing.T, ctx context.Context) {
	t.Helper()
	const w, h = 240, 120
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	sun, sea := color.NRGBA{0xe8, 0x9f, 0x2e, 0xff}, color.NRGBA{0x1f, 0x4e, 0x79, 0xff}
	for y := range h {
		for x := range w {
			dx, dy := float64(x-120), float64(y-62)
			wave := 70 + 6*math.Sin(float64(x)/14)
			switch {
			case float64(y) > wave && (int(float64(y)-wave)/9)%2 == 0:
				img.Set(x, y, sea)
			case float64(y) <= wave && dx*dx+dy*dy < 42*42:
				img.Set(x, y, sun)
			}
		}
	}
	path := filepath.Join(t.TempDir(), "logo.png")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	f.Close()
	uiStep(t, ctx, chromedp.SetUploadFiles(chromedp.CSS(`.image-logo ~ input[type=file]`), []string{path}))
	run(t, ctx, chromedp.Poll[bool](`(() => { const i = document.querySelector(".image-logo img"); return !!i && i.complete && i.naturalWidth === 240; })()`,
		chromedp.WithPollingTimeout(5*time.Second)))
}

// uiPDFPages prints the page to PDF (with the CSS page size) and counts
// its pages.
func uiPDFPages(t *testing.T, ctx context.Context) int {
	t.Helper()
	pdf := run(t, ctx, chromedp.PrintToPDF(chromedp.PDFPreferCSSPageSize()))
	return len(pdfPage.FindAll(pdf, -1))
}

// pdfPage matches a page object of an uncompressed PDF dictionary.
var pdfPage = regexp.MustCompile(`/Type\s*/Page[^s]`)

// uiShot is one screenshot of the admin page, taken at 1280×800 and
// 390×844 (print media: 1280×800 only).
type uiShot struct {
	name, hash string
	ready      string // CSS selector to wait for
	prep       string // script to run first, "" for none
	print      bool   // emulate print media
}

// uiScreenshots writes docs-style screenshots admin-<name>-<w>x<h>.png to
// dir, then puts the tab back to 1280×800.
func uiScreenshots(t *testing.T, ctx context.Context, dir string, shots ...uiShot) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	defer uiStep(t, ctx, chromedp.EmulateViewport(1280, 800, chromedp.EmulateScale(1)))
	for _, size := range [][2]int64{{1280, 800}, {390, 844}} {
		w, h := size[0], size[1]
		opts := []chromedp.EmulateViewportOption{chromedp.EmulateScale(1)}
		if w < 600 {
			opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateTouch)
		}
		uiStep(t, ctx, chromedp.EmulateViewport(w, h, opts...))
		for _, s := range shots {
			if s.print && w < 600 {
				continue
			}
			uiStep(t, ctx, chromedp.Evaluate[chromedp.Void](`location.hash = `+jsQuote(s.hash)), chromedp.WaitVisible(chromedp.CSS(s.ready)))
			time.Sleep(300 * time.Millisecond) // images and the preview frame settle
			// No toast from earlier steps and no hover state in the picture.
			uiStep(t, ctx, chromedp.Evaluate[chromedp.Void](`document.getElementById("toast").textContent = ""`),
				chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, 1, float64(h-1)))
			if s.prep != "" {
				uiStep(t, ctx, chromedp.Evaluate[chromedp.Void](s.prep))
			}
			if s.print {
				uiMedia(t, ctx, "print")
			}
			img := run(t, ctx, chromedp.CaptureScreenshot())
			if s.print {
				uiMedia(t, ctx, "")
			}
			path := filepath.Join(dir, fmt.Sprintf("admin-%s-%dx%d.png", s.name, w, h))
			if err := os.WriteFile(path, img, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// uiMedia emulates a CSS media type ("" for none).
func uiMedia(t *testing.T, ctx context.Context, media string) {
	t.Helper()
	uiStep(t, ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: media})
		return err
	}))
}

// uiNamedControls opens each view and checks that every visible control
// can take the focus and has a name a screen reader can say.
func uiNamedControls(t *testing.T, ctx context.Context, hashes ...string) {
	t.Helper()
	for _, hash := range hashes {
		uiStep(t, ctx, chromedp.Evaluate[chromedp.Void](`location.hash = "`+hash+`"`))
		uiStep(t, ctx, chromedp.Sleep(300*time.Millisecond))
		unnamed := run(t, ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("a[href], button, input, select, textarea")]
			.filter(el => el.offsetParent !== null)
			.filter(el => el.tabIndex < 0 || !((el.getAttribute("aria-label") || "").trim() || (el.labels && [...el.labels].some(l => l.textContent.trim()))
				|| (el.type !== "checkbox" && el.textContent.trim()) || (el.getAttribute("title") || "").trim()))
			.map(el => el.outerHTML.slice(0, 120))`))
		if len(unnamed) > 0 {
			t.Errorf("%s: controls without focus or a name: %v", hash, unnamed)
		}
		if n := run(t, ctx, chromedp.Evaluate[int](`[...document.querySelectorAll("main a[href], main button, main input, main select")].filter(el => el.offsetParent !== null).length`)); n < 1 {
			t.Errorf("%s: only %d controls on the page; the check looked at nothing", hash, n)
		}
	}
}

// uiDownloads makes the tab save downloads into a new directory and
// returns it.
func uiDownloads(t *testing.T, ctx context.Context) string {
	t.Helper()
	dir := t.TempDir()
	uiStep(t, ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, browser.SetDownloadBehavior,
			browser.SetDownloadBehaviorParams{Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir})
		return err
	}))
	return dir
}

// uiDownloaded waits for a finished download whose name ends in suffix
// and returns its content.
func uiDownloaded(t *testing.T, dir, suffix string) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		entries, _ := os.ReadDir(dir)
		for _, en := range entries {
			if strings.HasSuffix(en.Name(), suffix) {
				data, err := os.ReadFile(filepath.Join(dir, en.Name()))
				if err == nil && len(data) > 0 {
					return string(data)
				}
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no %s file was downloaded to %s", suffix, dir)
	return ""
}
