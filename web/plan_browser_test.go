package web_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"gatehouse/app"
)

// TestPlanBrowser is an admin selling by plan in a real browser: a plan
// made through the form in a person's units ("1 day", "2 GB", "10 Mbit/s",
// "8.00 EUR") is stored in the API's (1440 minutes, 2000 MB, 10000 kbit/s,
// 800 cents); ten codes of it are generated and printed with the plan's
// name, price and limits on every card, which fit their card or slip in
// every layout; the coupon list filters by the plan; a schedule makes
// codes of it; and deleting a plan that codes use says why it cannot.
// Screenshots of the plans view, the coupons page and the print view go
// to $GATEHOUSE_SCREENSHOTS, or to a temporary directory.
func TestPlanBrowser(t *testing.T) {
	chrome := needChromium(t)
	e := newEnv(t, "")
	password := e.createAdmin("alice", app.RoleAdmin)
	inst := createInstance(t, e, map[string]any{"name": "Seaside Hotel", "strategy": "coupon", "session_ttl": 10800,
		"wifi_name": "Seaside Guest"})["id"].(string)
	wantStatus(t, e.uploadFile(app.RoleAdmin, "/captive/instances/"+inst+"/images/logo", "file", "logo.png", "image/png", wideLogo(t)),
		http.StatusAccepted)
	e.admin(http.MethodPost, "/captive/instances/"+inst+"/coupons", map[string]any{"count": 2, "minutes_valid": 60})
	createPlan(t, e, map[string]any{"name": "1 hour", "session_minutes": 60, "price": 200, "currency": "EUR"})
	ctx := uiTab(t, newBrowser(t, chrome, e.srv.URL), 1280, 800)
	uiSignIn(t, ctx, "alice", password)

	// A plan through the form; the browser's own checks and the form's
	// speak beside the field at fault.
	uiNav(t, ctx, "plans")
	uiClick(t, ctx, "New plan")
	uiSet(t, ctx, "name", "1 day, 2 GB")
	uiSet(t, ctx, "session_minutes", "1")
	uiPick(t, ctx, `form select[name=session_minutes_unit]`, "days")
	uiSet(t, ctx, "devices", "3")
	uiSet(t, ctx, "download_kbps", "10")
	uiSet(t, ctx, "upload_kbps", "2")
	uiSet(t, ctx, "data_limit_mb", "2")
	uiPick(t, ctx, `form select[name=data_limit_mb_unit]`, "GB")
	uiSet(t, ctx, "price", "8.005")
	uiSet(t, ctx, "currency", "eur")
	uiClick(t, ctx, "Create plan")
	uiWait(t, ctx, `[name=price][aria-invalid=true] ~ .field-error`, "EUR prices have at most 2 decimal places")
	uiSet(t, ctx, "price", "8.00")
	uiSet(t, ctx, "upload_kbps", "0.01")
	uiClick(t, ctx, "Create plan")
	uiStep(t, ctx, chromedp.WaitVisible(chromedp.CSS(`[name=upload_kbps][aria-invalid=true] ~ .field-error`)))
	uiSet(t, ctx, "upload_kbps", "2")
	uiClick(t, ctx, "Create plan")
	uiWait(t, ctx, ".table", "1 day, 2 GB")
	var plans []map[string]any
	e.admin(http.MethodGet, "/captive/plans", nil).json(t, &plans)
	if len(plans) != 2 {
		t.Fatalf("plans after the form: %v, want 2", plans)
	}
	plan := plans[1]
	for k, want := range map[string]any{"name": "1 day, 2 GB", "session_minutes": float64(1440), "data_limit_mb": float64(2000),
		"download_kbps": float64(10000), "upload_kbps": float64(2000), "devices": float64(3), "valid_minutes": float64(1440),
		"price": float64(800), "currency": "EUR"} {
		if plan[k] != want {
			t.Errorf("stored plan %s = %v, want %v", k, plan[k], want)
		}
	}
	planID := plan["id"].(string)
	row := run(t, ctx, chromedp.Evaluate[string](`[...document.querySelectorAll(".table tbody tr")].map(r => r.innerText).find(t => t.includes("1 day, 2 GB")) || ""`))
	for _, want := range []string{"1 day", "10 Mb/s", "2 Mb/s", "2 GB", "3", "€8.00"} {
		if !strings.Contains(row, want) {
			t.Errorf("the plan's row reads %q, want %q in it", row, want)
		}
	}
	dir := screenshotDir(t)
	uiLayoutShots(t, ctx, dir, uiShot{name: "plans", hash: "#/plans", ready: ".table"})
	uiStep(t, ctx, chromedp.Evaluate[chromedp.Void](`location.hash = "#/plans"`), chromedp.WaitVisible(chromedp.CSS(`.table`)))
	uiClick(t, ctx, "New plan")
	uiLayoutShots(t, ctx, dir, uiShot{name: "plan-form", hash: "#/plans", ready: ".plan-form",
		prep: `document.querySelector(".plan-form").closest(".panel").scrollIntoView()`})

	// Ten codes of the plan: choosing it fills in its validity.
	uiNav(t, ctx, "coupons")
	uiPick(t, ctx, `form select[name=plan_id]`, planID)
	if got := run(t, ctx, chromedp.Evaluate[string](`document.querySelector("form [name=minutes_valid]").value + " " + document.querySelector("form [name=minutes_valid_unit]").value`)); got != "1 days" {
		t.Errorf("after choosing the plan, the validity reads %q, want the plan's 1 days", got)
	}
	uiSet(t, ctx, "count", "10")
	uiClick(t, ctx, "Generate")
	uiStep(t, ctx, chromedp.WaitVisible(chromedp.CSS(`[data-test=print-batch]`)))
	made := listCoupons(t, e, inst, "plan_id="+planID)
	if len(made) != 10 {
		t.Fatalf("%d coupons of the plan after Generate, want 10", len(made))
	}
	for _, c := range made {
		if c["plan_id"] != planID || c["price"] != float64(800) || c["currency"] != "EUR" {
			t.Fatalf("coupon %v: want plan %s at 800 EUR", c, planID)
		}
	}

	// Printed: every card says what it sells, and fits.
	uiClick(t, ctx, "Print these 10")
	run(t, ctx, chromedp.Poll[bool](`[...document.querySelectorAll(".coupon-card img.cc-qr")].length === 10 && [...document.querySelectorAll(".coupon-card img")].every(i => i.complete && i.naturalWidth > 0)`,
		chromedp.WithPollingTimeout(10*time.Second)))
	cards := run(t, ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll(".print-area .coupon-card")].map(c => c.innerText)`))
	for _, c := range cards {
		for _, want := range []string{"1 day, 2 GB", "€8.00", "1 day of internet", "2 GB", "↓ 10 Mb/s", "↑ 2 Mb/s", "3 devices"} {
			if !strings.Contains(c, want) {
				t.Fatalf("a card reads %q, want %q on it", c, want)
			}
		}
	}
	for _, layout := range []string{"a4", "letter", "58mm", "80mm"} {
		uiCardsFit(t, ctx, layout)
	}
	uiLayoutShots(t, ctx, dir,
		uiShot{name: "plan-cards", hash: "#/print?instance=" + inst, ready: ".coupon-card img.cc-qr",
			prep: `document.querySelector("input[value=a4]").click()`},
		uiShot{name: "plan-paper", hash: "#/print?instance=" + inst, ready: ".coupon-card img.cc-qr",
			prep: `document.querySelector("input[value=a4]").click()`, print: true},
		uiShot{name: "plan-receipt", hash: "#/print?instance=" + inst, ready: ".coupon-card img.cc-qr",
			prep: `document.querySelector("input[value='58mm']").click()`})

	// The list by plan: the plan's ten, each with its name and price.
	uiNav(t, ctx, "coupons")
	uiPick(t, ctx, `.list-filters select[name=plan_id]`, planID)
	rows := run(t, ctx, chromedp.Poll[[]string](`(() => { const r = [...document.querySelectorAll(".table-coupons tbody tr")]; return r.length === 10 ? r.map(x => x.querySelector(".col-plan").innerText) : false; })()`,
		chromedp.WithPollingTimeout(5*time.Second)))
	for _, r := range rows {
		if !strings.Contains(r, "1 day, 2 GB") || !strings.Contains(r, "€8.00") {
			t.Errorf("a row's plan reads %q, want the plan's name and €8.00", r)
		}
	}
	uiLayoutShots(t, ctx, dir, uiShot{name: "plan-coupons", hash: "#/coupons?instance=" + inst + "&plan=" + planID,
		ready: ".table-coupons", prep: `document.querySelector(".table-coupons").closest(".panel").scrollIntoView()`})
	uiPick(t, ctx, `.list-filters select[name=plan_id]`, "")
	run(t, ctx, chromedp.Poll[bool](`document.querySelectorAll(".table-coupons tbody tr").length === 12`,
		chromedp.WithPollingTimeout(5*time.Second)))

	// A schedule of the plan: its codes' validity follows the plan's.
	uiNav(t, ctx, "schedules")
	uiClick(t, ctx, "New schedule")
	uiSet(t, ctx, "name", "Morning day passes")
	uiSet(t, ctx, "valid_for_in_minutes", "3")
	uiPick(t, ctx, `form select[name=plan_id]`, planID)
	uiClick(t, ctx, "Create schedule")
	uiWait(t, ctx, ".schedule", "codes of “1 day, 2 GB”")
	var schedules []map[string]any
	e.admin(http.MethodGet, "/captive/instances/"+inst+"/coupon-schedules", nil).json(t, &schedules)
	if len(schedules) != 1 || schedules[0]["plan_id"] != planID || schedules[0]["valid_for_in_minutes"] != float64(1440) {
		t.Errorf("schedules after the form: %v, want one of the plan, its codes valid the plan's 1440 minutes", schedules)
	}

	// A plan that codes use stays, and the page says why.
	uiNav(t, ctx, "plans")
	uiStep(t, ctx, chromedp.Click(chromedp.CSS(`button[aria-label="Delete 1 day, 2 GB"]`)),
		chromedp.WaitVisible(chromedp.CSS(`dialog[open]`)),
		chromedp.Click(chromedp.CSS(`dialog[open] button[value=ok]`)))
	uiWait(t, ctx, ".alert-error", "Coupons or schedules use this plan")
	wantStatus(t, e.admin(http.MethodGet, "/captive/plans/"+planID, nil), http.StatusOK)

	uiClick(t, ctx, "New plan")
	uiNamedControls(t, ctx, "#/plans", "#/coupons", "#/schedules")
}

// TestPlanBrowserFrontdesk: the front desk sells a plan in one tap (a
// code of that plan, straight to the print dialog) and reads the plans
// without a way to change them.
func TestPlanBrowserFrontdesk(t *testing.T) {
	chrome := needChromium(t)
	e := newEnv(t, "")
	password := e.createAdmin("desk", app.RoleFrontdesk)
	inst := createInstance(t, e, map[string]any{"name": "Lobby", "strategy": "coupon", "session_ttl": 3600})["id"].(string)
	createPlan(t, e, map[string]any{"name": "1 hour", "session_minutes": 60, "price": 300, "currency": "EUR"})
	week := createPlan(t, e, map[string]any{"name": "1 week", "session_minutes": 10080, "download_kbps": 5000,
		"upload_kbps": 1000, "devices": 2, "price": 2500, "currency": "EUR"})["id"].(string)
	browser := newBrowser(t, chrome, e.srv.URL)

	for _, size := range [][2]int64{{1280, 800}, {390, 844}} {
		ctx := uiTab(t, browser, size[0], size[1])
		uiSignIn(t, ctx, "desk", password)
		uiWait(t, ctx, "h1", "Generate and print coupons")
		uiStep(t, ctx, chromedp.Evaluate[chromedp.Void](`window.print = () => { window.printed = (window.printed || 0) + 1; }`))
		if n := run(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll(".sell-buttons button").length`)); n != 2 {
			t.Errorf("%d sell buttons, want one per plan (2)", n)
		}
		before := len(listCoupons(t, e, inst, "plan_id="+week))
		uiSet(t, ctx, "note", "Room 7")
		uiStep(t, ctx, chromedp.Click(chromedp.CSS(`.sell-buttons button[data-plan="`+week+`"]`)))
		run(t, ctx, chromedp.Poll[bool](`location.hash.startsWith("#/print") && !!document.querySelector(".coupon-card img.cc-qr") && window.printed === 1`,
			chromedp.WithPollingTimeout(10*time.Second)))
		sold := listCoupons(t, e, inst, "plan_id="+week)
		if len(sold) != before+1 {
			t.Fatalf("%d coupons of the week plan after one tap, want %d", len(sold), before+1)
		}
		if c := sold[len(sold)-1]; c["price"] != float64(2500) || c["note"] != "Room 7" {
			t.Errorf("the coupon sold = %v, want the plan's price 2500 and the note", c)
		}
		if got := uiText(t, ctx, ".coupon-card"); !strings.Contains(got, "1 week") || !strings.Contains(got, "€25.00") ||
			!strings.Contains(got, "7 days of internet") || !strings.Contains(got, "2 devices") {
			t.Errorf("the card sold reads %q, want the week plan, its price, 7 days and 2 devices", got)
		}

		// The plans, read-only.
		uiNav(t, ctx, "plans")
		uiWait(t, ctx, ".table", "1 week")
		if n := run(t, ctx, chromedp.Evaluate[int](`[...document.querySelectorAll("main button")].filter(b => /New plan|Edit|Delete/.test(b.textContent)).length`)); n != 0 {
			t.Errorf("the front desk's plans page has %d buttons to change plans, want none", n)
		}
	}
	ctx := uiTab(t, browser, 1280, 800)
	uiSignIn(t, ctx, "desk", password)
	uiLayoutShots(t, ctx, screenshotDir(t), uiShot{name: "desk-plans", hash: "#/coupons", ready: ".sell-buttons"})
}

// wideLogo is a PNG logo three times as wide as tall (a sun by the sea),
// which a card shows as tall as it lets a logo be.
func wideLogo(t *testing.T) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, 240, 80))
	sun, sea := color.NRGBA{0xe8, 0x9f, 0x2e, 0xff}, color.NRGBA{0x1f, 0x4e, 0x79, 0xff}
	for y := range 80 {
		for x := range 240 {
			if dx, dy := x-40, y-40; dx*dx+dy*dy < 30*30 {
				img.Set(x, y, sun)
			} else if x > 80 && y > 30 && y < 50 {
				img.Set(x, y, sea)
			}
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// uiPick chooses value in the select matching sel, as a person would.
func uiPick(t *testing.T, ctx context.Context, sel, value string) {
	t.Helper()
	uiStep(t, ctx, chromedp.WaitVisible(chromedp.CSS(sel)), chromedp.Evaluate[chromedp.Void](`(() => {
		const s = document.querySelector(`+jsQuote(sel)+`);
		s.value = `+jsQuote(value)+`;
		s.dispatchEvent(new Event("change", {bubbles: true}));
	})()`))
}

// uiCardsFit switches the print view to layout and fails when, on paper,
// a card's content reaches into its bottom margin (or past it, where it is
// cut off) or sticks out at a side.
func uiCardsFit(t *testing.T, ctx context.Context, layout string) {
	t.Helper()
	uiStep(t, ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector("input[value='`+layout+`']").click()`),
		chromedp.WaitReady(chromedp.CSS(`#print-css[href$="print-`+layout+`.css"]`)))
	uiStep(t, ctx, chromedp.Sleep(200*time.Millisecond))
	uiMedia(t, ctx, "print")
	defer uiMedia(t, ctx, "")
	cut := run(t, ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll(".print-area .coupon-card")].flatMap(c => {
		const box = c.getBoundingClientRect();
		const bottom = box.bottom - parseFloat(getComputedStyle(c).paddingBottom);
		const mm = (px) => (px * 25.4 / 96).toFixed(1) + " mm";
		return [...c.querySelectorAll("p, img")].map(el => {
			const r = el.getBoundingClientRect();
			const what = el.className + " " + JSON.stringify(el.textContent) + ": ";
			if (r.height === 0) return "";
			if (r.bottom > bottom + 0.5) return what + mm(r.bottom - bottom) + " too low";
			if (r.left < box.left - 0.5) return what + mm(box.left - r.left) + " past the left edge";
			if (r.right > box.right + 0.5 || el.scrollWidth > el.clientWidth + 1) return what + "past the right edge";
			return "";
		}).filter(Boolean);
	})`))
	if len(cut) > 0 {
		t.Errorf("%s: on paper, %d parts of cards do not fit their card, e.g. %s", layout, len(cut), cut[0])
	}
}

// uiLayoutShots takes the screenshots (uiScreenshots) and fails when, at
// a phone's width, a view is wider than the screen.
func uiLayoutShots(t *testing.T, ctx context.Context, dir string, shots ...uiShot) {
	t.Helper()
	uiScreenshots(t, ctx, dir, shots...)
	uiStep(t, ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(1), chromedp.EmulateMobile, chromedp.EmulateTouch))
	defer uiStep(t, ctx, chromedp.EmulateViewport(1280, 800, chromedp.EmulateScale(1)))
	for _, s := range shots {
		if s.print {
			continue
		}
		uiStep(t, ctx, chromedp.Evaluate[chromedp.Void](`location.hash = `+jsQuote(s.hash)), chromedp.WaitVisible(chromedp.CSS(s.ready)))
		if s.prep != "" {
			uiStep(t, ctx, chromedp.Evaluate[chromedp.Void](s.prep))
		}
		if w := run(t, ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 390 {
			t.Errorf("%s at 390×844 is %d px wide, wider than the screen", s.name, w)
		}
	}
}
