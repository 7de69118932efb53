package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"gatehouse/app"
)

// TestAdminI18nBrowser is the front desk's day in German. A clerk whose
// account keeps German (PUT /auth/me) signs in on an English browser and
// gets the page in German: <html lang="de">, the shift bar, a sale with a
// plan's sell button, the card printed, the takings in German money, the
// shift closed and its Z-report; at 1280×800 and 390×844 nothing is wider
// than the screen and no label is cut off. Then an admin who never chose
// switches to French with the header's switch: it is kept for the account
// and survives a reload. Screenshots admin-de-*.png go to
// $GATEHOUSE_SCREENSHOTS, or to a temporary directory.
func TestAdminI18nBrowser(t *testing.T) {
	chrome := needChromium(t)
	e := newEnv(t, "")
	clerkPW := e.createAdmin("lena", app.RoleFrontdesk)
	bossPW := e.createAdmin("chef", app.RoleAdmin)
	inst := createInstance(t, e, map[string]any{"name": "Hotel Alpenblick", "strategy": "coupon", "session_ttl": 3600,
		"wifi_name": "Alpenblick Gäste"})["id"].(string)
	createPlan(t, e, map[string]any{"name": "1 Stunde", "session_minutes": 60, "price": 200, "currency": "EUR"})
	day := createPlan(t, e, map[string]any{"name": "1 Tag, 2 GB", "session_minutes": 1440, "data_limit_mb": 2000,
		"price": 800, "currency": "EUR", "devices": 2})["id"].(string)

	// Lena's account keeps German.
	uiAccountLang(t, e, "lena", clerkPW, "de")
	dir := screenshotDir(t)
	browser := newBrowser(t, chrome, e.srv.URL)

	ctx := uiTab(t, browser, 1280, 800)
	uiSignIn(t, ctx, "lena", clerkPW)
	uiWait(t, ctx, "h1", "Gutscheine erstellen und drucken")
	if got := run(t, ctx, chromedp.Evaluate[string](`document.documentElement.lang`)); got != "de" {
		t.Errorf("<html lang> = %q, want de", got)
	}
	if got := run(t, ctx, chromedp.Evaluate[string](`document.querySelector(".lang-switch").value`)); got != "de" {
		t.Errorf("the language switch shows %q, want de", got)
	}
	uiStep(t, ctx, chromedp.Evaluate[chromedp.Void](`window.print = () => { window.printed = (window.printed || 0) + 1; }`))
	uiWait(t, ctx, ".shift-bar", "Keine Schicht geöffnet.")
	uiLayoutShots(t, ctx, dir, uiShot{name: "de-desk-no-shift", hash: "#/coupons", ready: ".shift-bar"})
	uiNoClipping(t, ctx, "de-desk-no-shift")

	// Open the shift with 50 € in the drawer; a bad amount is refused in German.
	uiClick(t, ctx, "Schicht öffnen")
	uiWait(t, ctx, "dialog[open]", "Wechselgeld zu Beginn")
	uiSet(t, ctx, "opening_float", "50.005")
	uiDialogOK(t, ctx)
	uiWait(t, ctx, "dialog[open] [name=opening_float] ~ .field-error", "Beträge in EUR haben höchstens 2 Nachkommastellen.")
	uiSet(t, ctx, "opening_float", "50")
	uiDialogOK(t, ctx)
	uiWait(t, ctx, ".shift-bar", "Schicht offen seit")

	// Sell a day with its button: the card is printed.
	uiStep(t, ctx, chromedp.Click(chromedp.CSS(`.sell-buttons button[data-plan="`+day+`"]`)))
	run(t, ctx, chromedp.Poll[bool](`location.hash.startsWith("#/print") && !!document.querySelector(".coupon-card img.cc-qr") && window.printed === 1`,
		chromedp.WithPollingTimeout(10*time.Second)))
	uiWait(t, ctx, "h1", "Gutscheine drucken")
	uiWait(t, ctx, ".print-toolbar", "1 Karte für Hotel Alpenblick")
	uiLayoutShots(t, ctx, dir, uiShot{name: "de-print", hash: "#/print?instance=" + inst, ready: ".coupon-card img.cc-qr"})
	uiNoClipping(t, ctx, "de-print")

	// Back at the desk: the takings in German.
	uiNav(t, ctx, "coupons")
	uiWait(t, ctx, ".shift-bar", "1 verkauft")
	if got := uiText(t, ctx, ".shift-bar"); !strings.Contains(got, "8,00\u00a0€") {
		t.Errorf("the shift bar reads %q, want the takings as 8,00 €", got)
	}
	uiWait(t, ctx, ".table-coupons", "Einlösbar bis")
	uiLayoutShots(t, ctx, dir, uiShot{name: "de-desk-shift", hash: "#/coupons", ready: ".shift-bar"})
	uiNoClipping(t, ctx, "de-desk-shift")
	uiResize(t, ctx, [2]int64{390, 844})
	uiNoClipping(t, ctx, "de-desk-shift at 390×844")
	uiResize(t, ctx, [2]int64{1280, 800})

	// Someone else's sale: the API's refusal, in German.
	var theirs []map[string]any
	e.admin(http.MethodPost, "/captive/instances/"+inst+"/coupons", map[string]any{"count": 1, "plan_id": day}).json(t, &theirs)
	code := theirs[0]["code"].(string)
	uiStep(t, ctx, chromedp.Reload())
	uiWait(t, ctx, ".table-coupons", code)
	uiStep(t, ctx, chromedp.Click(chromedp.CSS(`button[aria-label="`+code+` widerrufen"]`)), chromedp.WaitVisible(chromedp.CSS(`dialog[open]`)))
	uiDialogOK(t, ctx)
	uiWait(t, ctx, ".alert-error:not([hidden])", "Nicht erlaubt: Code "+code+" wurde von test-admin verkauft; nur diese Person, ein Operator oder ein Administrator darf den Verkauf stornieren.")

	// Close it with 58 € counted against 58 € expected (German money has a
	// no-break space before the €).
	uiClick(t, ctx, "Schicht schließen")
	uiWait(t, ctx, "dialog[open]", "Erwartet in der Kasse: 58,00\u00a0€")
	uiSet(t, ctx, "counted_EUR", "58")
	shot(t, ctx, dir, "de-desk-close", [2]int64{1280, 800})
	uiDialogOK(t, ctx)
	uiWait(t, ctx, ".shift-desk .z-report", "Z-Bericht")
	if got := uiText(t, ctx, ".shift-desk .z-report"); !strings.Contains(got, "1 Verkauf") || !strings.Contains(got, "0,00\u00a0€, genau") {
		t.Errorf("the Z-report reads %q, want 1 Verkauf and a difference of 0,00 €, genau", got)
	}
	uiLayoutShots(t, ctx, dir, uiShot{name: "de-desk-closed", hash: "#/coupons", ready: ".z-report",
		prep: `document.querySelector(".shift-desk .panel").scrollIntoView()`})
	uiClick(t, ctx, "Z-Bericht drucken")
	uiWait(t, ctx, ".print-area .z-report", "Z-Bericht")
	uiWait(t, ctx, ".print-toolbar", "Z-Bericht von lena")
	uiNoClipping(t, ctx, "de-zreport")
	shot(t, ctx, dir, "de-zreport", [2]int64{1280, 800})

	// The admin never chose: English, then French with the switch, kept.
	admin := uiTab(t, browser, 390, 844)
	uiSignIn(t, admin, "chef", bossPW)
	uiWait(t, admin, "h1", "Dashboard")
	uiPick(t, admin, ".topbar .lang-switch", "fr")
	uiWait(t, admin, `#nav a[data-route="dashboard"]`, "Tableau de bord")
	uiWait(t, admin, `#nav a[data-route="coupons"]`, "Bons")
	if got := run(t, admin, chromedp.Evaluate[string](`document.documentElement.lang`)); got != "fr" {
		t.Errorf("<html lang> after the switch = %q, want fr", got)
	}
	uiNoClipping(t, admin, "fr-dashboard at 390×844")
	if w := run(t, admin, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 390 {
		t.Errorf("the French dashboard at 390×844 is %d px wide", w)
	}
	shot(t, admin, dir, "fr-dashboard", [2]int64{390, 844})
	uiStep(t, admin, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`.topbar`)))
	uiWait(t, admin, `#nav a[data-route="dashboard"]`, "Tableau de bord")
	if got := run(t, admin, chromedp.Evaluate[string](`document.title`)); got != "Tableau de bord · gatehouse" {
		t.Errorf("the title after a reload = %q, want the French one", got)
	}
	boss := e.login("chef", bossPW)
	me := e.call(http.MethodGet, "/auth/me", "Bearer "+boss.object(t)["token"].(string), nil).object(t)
	if me["lang"] != "fr" {
		t.Errorf("the admin's lang after the switch = %v, want fr", me["lang"])
	}
}

// uiAccountLang signs user in through the API and keeps lang as the
// account's language (PUT /auth/me).
func uiAccountLang(t *testing.T, e *env, user, password, lang string) {
	t.Helper()
	r := e.login(user, password)
	if r.status != http.StatusOK {
		t.Fatalf("sign in %s: %d %s", user, r.status, r.body)
	}
	bearer := "Bearer " + r.object(t)["token"].(string)
	if me := e.call(http.MethodPut, "/auth/me", bearer, map[string]any{"lang": lang}).object(t); me["lang"] != lang {
		t.Fatalf("PUT /auth/me lang %s answered %v", lang, me)
	}
}

// uiNoClipping fails when a label, button, heading, link, table cell or
// badge of the page is cut off (its text wider than its box while the box
// hides or clips what overflows) or reaches past the right edge of the
// screen.
func uiNoClipping(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	cut := run(t, ctx, chromedp.Evaluate[[]string](`(() => {
		const out = [];
		const vw = document.documentElement.clientWidth;
		const sel = "button, label, legend, h1, h2, h3, th, td, a, .badge, .shift-bar strong, .field .hint, select, .zr-row dt, .zr-row dd, .cc-code, .cc-plan, .cc-meta";
		for (const el of document.querySelectorAll(sel)) {
			if (!el.offsetParent || el.closest("dialog:not([open]), .nav:not(.open), [hidden], .sr-only, .table-wrap")) continue;
			const r = el.getBoundingClientRect();
			if (!r.width || !r.height) continue;
			const style = getComputedStyle(el);
			const clips = style.overflowX !== "visible" || style.textOverflow === "ellipsis";
			if ((clips && el.scrollWidth > el.clientWidth + 1) || r.right > vw + 1) {
				out.push(el.tagName.toLowerCase() + "." + el.className + " “" + el.textContent.trim().slice(0, 60) + "” " + Math.round(r.right) + "/" + vw);
			}
		}
		return out;
	})()`))
	for _, c := range cut {
		t.Errorf("%s: cut off or past the screen's edge: %s", name, c)
	}
}
