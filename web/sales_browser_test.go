package web_test

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"net/http"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"gatehouse/app"
)

// TestSalesBrowser is a day of selling in a real browser. A front-desk
// clerk opens a shift with a float, sells three codes of two priced plans
// with the sell buttons, voids one from the coupon list (and is refused,
// in words, a void of someone else's sale), closes the shift with the
// cash counted and prints the Z-report; the totals and the head hash the
// page shows are the API's and the ledger's. Then an admin finds the shift
// and the ledger in Sales (verified, paged, filtered, exported), reads the
// reports, and sees the dashboard's charts. Screenshots of the desk, the
// Z-report (58 mm, A4, on paper), Sales, Reports and the charts go to
// $GATEHOUSE_SCREENSHOTS, or to a temporary directory.
func TestSalesBrowser(t *testing.T) {
	chrome := needChromium(t)
	e := newEnv(t, "")
	clerkPW := e.createAdmin("maria", app.RoleFrontdesk)
	bossPW := e.createAdmin("boss", app.RoleAdmin)
	inst := createInstance(t, e, map[string]any{"name": "Seaside Hotel", "strategy": "coupon", "session_ttl": 3600,
		"wifi_name": "Seaside Guest"})["id"].(string)
	coupons := "/captive/instances/" + inst + "/coupons"
	hour := createPlan(t, e, map[string]any{"name": "1 hour", "session_minutes": 60, "price": 200, "currency": "EUR"})["id"].(string)
	day := createPlan(t, e, map[string]any{"name": "1 day, 2 GB", "session_minutes": 1440, "data_limit_mb": 2000,
		"price": 800, "currency": "EUR"})["id"].(string)
	seeded := seedSalesHistory(t, e, inst, map[string]string{hour: "1 hour", day: "1 day, 2 GB"})
	// A sale by someone else (an admin's token, outside any shift).
	var other []map[string]any
	e.admin(http.MethodPost, coupons, map[string]any{"count": 1, "plan_id": hour}).json(t, &other)
	dir := screenshotDir(t)
	browser := newBrowser(t, chrome, e.srv.URL)

	// The clerk: no shift yet, the bar says so.
	ctx := uiTab(t, browser, 1280, 800)
	uiSignIn(t, ctx, "maria", clerkPW)
	uiWait(t, ctx, "h1", "Generate and print coupons")
	uiStep(t, ctx, chromedp.Evaluate[chromedp.Void](`window.print = () => { window.printed = (window.printed || 0) + 1; }`))
	uiWait(t, ctx, ".shift-bar", "No shift open")
	uiLayoutShots(t, ctx, dir, uiShot{name: "desk-no-shift", hash: "#/coupons", ready: ".shift-bar"})

	// Open a shift with €50.00 in the drawer; the currency is the plans'.
	uiClick(t, ctx, "Open shift")
	if got := run(t, ctx, chromedp.Evaluate[string](`document.querySelector("dialog[open] [name=currency]").value`)); got != "EUR" {
		t.Errorf("the open-shift dialog proposes currency %q, want the plans' EUR", got)
	}
	uiSet(t, ctx, "opening_float", "50.005")
	uiDialogOK(t, ctx)
	uiWait(t, ctx, "dialog[open] [name=opening_float] ~ .field-error", "EUR amounts have at most 2 decimal places")
	uiSet(t, ctx, "opening_float", "50")
	uiDialogOK(t, ctx)
	uiWait(t, ctx, ".shift-bar", "Shift open since")
	var open []map[string]any
	e.admin(http.MethodGet, "/captive/shifts?status=open", nil).json(t, &open)
	if len(open) != 1 || open[0]["actor_name"] != "maria" || open[0]["opening_float"] != float64(5000) || open[0]["currency"] != "EUR" {
		t.Fatalf("open shifts after the dialog = %v, want maria's with 5000 EUR", open)
	}
	shiftID := open[0]["id"].(string)

	// Three sales with the sell buttons: each makes a code and prints it.
	for i, plan := range []string{hour, day, day} {
		uiNav(t, ctx, "coupons")
		uiStep(t, ctx, chromedp.Click(chromedp.CSS(`.sell-buttons button[data-plan="`+plan+`"]`)))
		run(t, ctx, chromedp.Poll[bool](`location.hash.startsWith("#/print") && !!document.querySelector(".coupon-card img.cc-qr") && window.printed === `+strconv.Itoa(i+1),
			chromedp.WithPollingTimeout(10*time.Second)))
	}
	uiNav(t, ctx, "coupons")
	uiWait(t, ctx, ".shift-bar", "3 sold")
	if got := uiText(t, ctx, ".shift-bar"); !strings.Contains(got, "€18.00") {
		t.Errorf("the shift bar reads %q, want the takings €18.00", got)
	}
	uiLayoutShots(t, ctx, dir, uiShot{name: "desk-shift", hash: "#/coupons", ready: ".shift-bar"})

	// Void one of the day codes: the dialog says it is a sale's void.
	days := listCoupons(t, e, inst, "plan_id="+day)
	voided := days[len(days)-1]["code"].(string)
	uiStep(t, ctx, chromedp.Click(chromedp.CSS(`button[aria-label="Revoke `+voided+`"]`)), chromedp.WaitVisible(chromedp.CSS(`dialog[open]`)))
	if got := uiText(t, ctx, "dialog[open]"); !strings.Contains(got, "and void its sale") || !strings.Contains(got, "was sold for €8.00 (1 day, 2 GB)") {
		t.Errorf("the revoke dialog reads %q, want it to say it voids a sale of €8.00", got)
	}
	shot(t, ctx, dir, "desk-void", [2]int64{1280, 800})
	uiDialogOK(t, ctx)
	uiWait(t, ctx, "#toast", voided+" revoked: its sale of €8.00 is voided")
	uiWait(t, ctx, ".shift-bar", "1 voided")
	if got := uiText(t, ctx, ".shift-bar"); !strings.Contains(got, "€10.00") {
		t.Errorf("after the void the shift bar reads %q, want the net €10.00", got)
	}

	// Someone else's sale: the API's 403, in words; nothing changes.
	theirs := other[0]["code"].(string)
	uiStep(t, ctx, chromedp.Click(chromedp.CSS(`button[aria-label="Revoke `+theirs+`"]`)), chromedp.WaitVisible(chromedp.CSS(`dialog[open]`)))
	uiDialogOK(t, ctx)
	uiWait(t, ctx, ".alert-error:not([hidden])", "Not allowed: Coupon "+theirs+" was sold by test-admin; only they, an operator or an admin may void it.")
	if n := len(listCoupons(t, e, inst, "status=revoked")); n != 1 {
		t.Errorf("%d revoked coupons after a refused void, want only the clerk's 1", n)
	}

	// Close the shift with €69.00 counted against €60.00 expected.
	uiClick(t, ctx, "Close shift")
	uiWait(t, ctx, "dialog[open]", "Expected in the drawer: €60.00 (float €50.00 + net €10.00)")
	uiSet(t, ctx, "counted_EUR", "69")
	shot(t, ctx, dir, "desk-close", [2]int64{1280, 800})
	uiDialogOK(t, ctx)
	uiWait(t, ctx, ".shift-desk .z-report", "Z-report")
	shown := uiReportTotals(t, ctx, ".shift-desk .z-report")
	uiLayoutShots(t, ctx, dir, uiShot{name: "desk-closed", hash: "#/coupons", ready: ".z-report",
		prep: `document.querySelector(".shift-desk .panel").scrollIntoView()`})

	// The API's Z-report and the ledger agree with what the page showed.
	z := e.admin(http.MethodGet, "/captive/shifts/"+shiftID, nil).object(t)
	total := z["totals"].([]any)[0].(map[string]any)
	for label, key := range map[string]string{"3 sales": "sales_amount", "1 void": "void_amount", "Net": "net",
		"Expected cash": "expected_cash", "Counted cash": "counted_cash", "Difference": "difference"} {
		want := int64(total[key].(float64))
		if key == "void_amount" {
			want = -want
		}
		if got, ok := shown[label]; !ok || got != want {
			t.Errorf("the page's Z-report shows %s = %d (%v), the API %s = %d", label, got, ok, key, want)
		}
	}
	if total["net"] != float64(1000) || total["difference"] != float64(900) {
		t.Errorf("API Z-report totals = %v, want net 1000 and difference 900", total)
	}
	check := e.admin(http.MethodGet, "/captive/ledger/verify", nil).object(t)
	head := check["head"].(string)
	zShift := z["shift"].(map[string]any)
	if check["ok"] != true || check["entries"] != float64(seeded+5) || zShift["head_hash"] != head {
		t.Errorf("ledger check = %v, shift head %v: want ok with %d entries and the shift's head hash the ledger's", check, zShift["head_hash"], seeded+5)
	}
	if got := uiText(t, ctx, ".shift-desk .zr-hash"); got != head {
		t.Errorf("the page's head hash = %q, want the ledger's %q", got, head)
	}

	// Print the Z-report: every layout fits its paper.
	uiClick(t, ctx, "Print Z-report")
	uiWait(t, ctx, ".print-area .z-report", "Z-report")
	if got := uiText(t, ctx, ".print-area .z-report"); !strings.Contains(got, "Seaside Hotel") || !strings.Contains(got, "€10.00") ||
		!strings.Contains(got, "+€9.00 over") || !strings.Contains(got, head) || !strings.Contains(got, "maria") {
		t.Errorf("the printed Z-report reads %q, want the venue, clerk, net, difference and head hash", got)
	}
	for _, layout := range []string{"a4", "58mm", "80mm"} {
		uiReportFits(t, ctx, layout)
	}
	printHash := "#/print-shift?shift=" + shiftID + "&instance=" + inst
	pick := func(layout string) string { return `document.querySelector("input[value='` + layout + `']").click()` }
	uiScreenshots(t, ctx, dir,
		uiShot{name: "zreport-58mm", hash: printHash, ready: ".print-area .z-report", prep: pick("58mm")},
		uiShot{name: "zreport-a4", hash: printHash, ready: ".print-area .z-report", prep: pick("a4")},
		uiShot{name: "zreport-paper-58mm", hash: printHash, ready: ".print-area .z-report", prep: pick("58mm"), print: true},
		uiShot{name: "zreport-paper-a4", hash: printHash, ready: ".print-area .z-report", prep: pick("a4"), print: true})

	// A night clerk ran 20 shifts since: Maria's is on the second page.
	night := e.session("nacht", e.createAdmin("nacht", app.RoleFrontdesk))
	for range 20 {
		r := e.call(http.MethodPost, "/captive/shifts", night, map[string]any{})
		wantStatus(t, r, http.StatusCreated)
		id := r.object(t)["shift"].(map[string]any)["id"].(string)
		wantStatus(t, e.call(http.MethodPost, "/captive/shifts/"+id+"/close", night, map[string]any{}), http.StatusOK)
	}

	// The admin: the shift and the ledger in Sales.
	admin := uiTab(t, browser, 1280, 800)
	uiSignIn(t, admin, "boss", bossPW)
	uiNav(t, admin, "sales")
	uiWait(t, admin, ".panel", "nacht")
	if n := run(t, admin, chromedp.Evaluate[int](`document.querySelector(".panel .table").querySelectorAll("tbody tr").length`)); n != 20 ||
		strings.Contains(uiText(t, admin, ".table"), "maria") {
		t.Errorf("the first page of shifts has %d rows (want 20, all the night clerk's)", n)
	}
	uiClick(t, admin, "Show older shifts")
	uiWait(t, admin, ".panel", "maria")
	if n := run(t, admin, chromedp.Evaluate[int](`document.querySelector(".panel .table").querySelectorAll("tbody tr").length`)); n != 21 {
		t.Errorf("after Show older shifts: %d rows, want 21", n)
	}
	if n := run(t, admin, chromedp.Evaluate[int](`[...document.querySelectorAll("button")].filter((b) => b.textContent.includes("Show older shifts")).length`)); n != 0 {
		t.Errorf("Show older shifts is still offered at the last page")
	}
	if got := uiText(t, admin, ".table"); !strings.Contains(got, "€10.00") || !strings.Contains(got, "+€9.00 over") {
		t.Errorf("the shifts table reads %q, want maria's net €10.00 and +€9.00 over", got)
	}
	uiClick(t, admin, "Verify ledger")
	uiWait(t, admin, ".verify-result", "The ledger is intact.")
	if got := uiText(t, admin, ".verify-result"); !strings.Contains(got, fmt.Sprintf("%d entries", seeded+5)) || !strings.Contains(got, head) {
		t.Errorf("the ledger check reads %q, want %d entries and the head %s", got, seeded+5, head)
	}
	// Newest first: the last sales are on the first page, older ones next.
	entries := seeded + 5
	uiLedgerPage(t, admin, entries, entries-49)
	uiClick(t, admin, "Next page")
	uiLedgerPage(t, admin, entries-50, max(1, entries-99))
	uiClick(t, admin, "Previous page")
	uiLedgerPage(t, admin, entries, entries-49)
	uiPick(t, admin, `.ledger-filters select[name=kind]`, "void")
	uiClick(t, admin, "Show")
	run(t, admin, chromedp.Poll[bool](`(() => { const r = document.querySelectorAll(".ledger-entries tbody tr"); return r.length === 1 && r[0].textContent.includes(`+jsQuote(voided)+`); })()`,
		chromedp.WithPollingTimeout(5*time.Second)))
	downloads := uiDownloads(t, admin)
	uiClick(t, admin, "Export CSV")
	if csv := uiDownloaded(t, downloads, ".csv"); !strings.Contains(csv, voided) || strings.Count(csv, "\n") != 2 {
		t.Errorf("the ledger CSV of voids reads %q, want its header and the one void", csv)
	}
	uiLayoutShots(t, admin, dir, uiShot{name: "sales", hash: "#/sales", ready: ".table"})

	// One shift: its report and its entries, and Print.
	uiStep(t, admin, chromedp.Evaluate[chromedp.Void](`location.hash = "#/sales"`))
	uiStep(t, admin, chromedp.Click(chromedp.CSS(`a[href="#/sales/`+shiftID+`"]`)))
	uiWait(t, admin, "h1", "Shift of maria")
	uiWait(t, admin, ".z-report", head)
	run(t, admin, chromedp.Poll[bool](`document.querySelectorAll("main .table tbody tr").length === 4`, chromedp.WithPollingTimeout(5*time.Second)))
	uiLayoutShots(t, admin, dir, uiShot{name: "shift", hash: "#/sales/" + shiftID, ready: ".z-report"})

	// Reports: sales and use per day, as tables and CSV.
	uiNav(t, admin, "reports")
	uiWait(t, admin, "main", "Total (EUR)")
	tz := run(t, admin, chromedp.Evaluate[string](`Intl.DateTimeFormat().resolvedOptions().timeZone`))
	if got := run(t, admin, chromedp.Evaluate[string](`document.querySelector("form [name=tz]").value`)); got != tz {
		t.Errorf("the reports' time zone is %q, want the browser's %q", got, tz)
	}
	uiClick(t, admin, "Download CSV")
	if csv := uiDownloaded(t, downloads, "sales-"+time.Now().AddDate(0, 0, -29).Format(time.DateOnly)+"-"+time.Now().Format(time.DateOnly)+".csv"); !strings.HasPrefix(csv, "period,plan_id") {
		t.Errorf("the sales CSV starts %q, want its header", csv[:min(40, len(csv))])
	}
	uiLayoutShots(t, admin, dir, uiShot{name: "reports", hash: "#/reports", ready: ".table"})

	// The dashboard's charts: drawn, labelled, nothing overlapping.
	uiNav(t, admin, "dashboard")
	for _, size := range [][2]int64{{1280, 800}, {390, 844}} {
		uiResize(t, admin, size)
		uiChartsReadable(t, admin, size)
	}
	uiResize(t, admin, [2]int64{1280, 800})
	if got := uiText(t, admin, ".chart-key"); !strings.Contains(got, "1 hour") || !strings.Contains(got, "1 day, 2 GB") {
		t.Errorf("the revenue chart's legend reads %q, want both plans", got)
	}
	scroll := `document.querySelector(".chart-grid .panel").scrollIntoView()`
	uiLayoutShots(t, admin, dir, uiShot{name: "charts", hash: "#/dashboard", ready: ".chart-svg", prep: scroll},
		uiShot{name: "charts-online", hash: "#/dashboard", ready: ".chart-svg",
			prep: `document.querySelector(".chart-grid .panel:last-child").scrollIntoView()`})
	uiNamedControls(t, admin, "#/sales", "#/sales/"+shiftID, "#/reports", "#/dashboard", printHash)
}

// seedSalesHistory puts four weeks of history into the database behind
// the server's back, as the API only records the present: sales of the
// plans (id → name) on most of the last 29 days, chained like the server
// chains them; codes of the portal first used at the hours a hotel is
// busy; and guests online every five minutes of the last day, with a gap
// no router reported. It returns the number of ledger entries made.
func seedSalesHistory(t *testing.T, e *env, inst string, plans map[string]string) int {
	t.Helper()
	raw, err := sql.Open("sqlite", filepath.Join(e.dir, "gatehouse.db")+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := raw.Exec(q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	now := time.Now()
	prev, seq := app.GenesisHash, int64(0)
	ids := []string{}
	for id := range plans {
		ids = append(ids, id)
	}
	for d := 29; d >= 1; d-- {
		base := time.Date(now.Year(), now.Month(), now.Day()-d, 9, 0, 0, 0, time.Local)
		for k, id := range ids {
			price := int64(200)
			if strings.Contains(plans[id], "day") {
				price = 800
			}
			for i := range (d*(k+5) + k) % 4 {
				seq++
				en := app.LedgerEntry{Seq: seq, At: base.Add(time.Duration(int(seq%9)+i)*time.Hour + time.Duration(k)*time.Minute).Truncate(time.Microsecond),
					ActorID: "seed", ActorName: "desk", Kind: app.LedgerSale, CouponID: fmt.Sprintf("seed-%d", seq),
					Code: fmt.Sprintf("SEED%02d", seq), PlanID: id, PlanName: plans[id], Amount: price, Currency: "EUR"}
				en.Hash = en.ChainHash(prev)
				prev = en.Hash
				exec(`INSERT INTO ledger (seq, at, actor_id, actor_name, kind, coupon_id, code, plan_id, plan_name, amount, currency, shift_id, hash)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?)`, en.Seq, en.At.UnixMicro(), en.ActorID, en.ActorName, en.Kind,
					en.CouponID, en.Code, en.PlanID, en.PlanName, en.Amount, en.Currency, en.Hash)
			}
		}
	}
	var used []map[string]any
	e.admin(http.MethodPost, "/captive/instances/"+inst+"/coupons", map[string]any{"count": 40, "minutes_valid": 1440}).json(t, &used)
	busy := []int{7, 8, 9, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 18, 19, 19, 19, 20, 20, 21}
	for i, c := range used {
		at := time.Date(now.Year(), now.Month(), now.Day()-1-i%25, busy[i%len(busy)], 10+i, 0, 0, time.Local)
		exec(`UPDATE coupons SET created_at = ?, redeemed_at = ?, expires_at = ? WHERE id = ?`,
			at.Add(-time.Hour).UnixMicro(), at.UnixMicro(), at.Add(23*time.Hour).UnixMicro(), c["id"])
	}
	slot := 5 * time.Minute
	for k := range 24 * 12 {
		at := now.Truncate(slot).Add(-time.Duration(k) * slot)
		if k > 100 && k < 124 {
			continue // two hours no router reported
		}
		h := float64(at.Hour()) + float64(at.Minute())/60
		guests := int(math.Round(3 + 9*math.Max(0, math.Sin((h-7)/24*2*math.Pi)) + 1.5*math.Sin(float64(k)/5)))
		exec(`INSERT INTO online_samples (at, site_id, guests) VALUES (?, 'seed', ?)`, at.UnixMicro(), guests)
	}
	return int(seq)
}

// uiDialogOK presses the confirming button of the open dialog.
func uiDialogOK(t *testing.T, ctx context.Context) {
	t.Helper()
	uiStep(t, ctx, chromedp.Click(chromedp.CSS(`dialog[open] button[value=ok]`)))
}

// uiResize sets the tab's size, as a phone below 600 px.
func uiResize(t *testing.T, ctx context.Context, size [2]int64) {
	t.Helper()
	opts := []chromedp.EmulateViewportOption{chromedp.EmulateScale(1)}
	if size[0] < 600 {
		opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateTouch)
	}
	uiStep(t, ctx, chromedp.EmulateViewport(size[0], size[1], opts...))
}

// amountText matches an amount as the page words it: "€18.00", "-€8.00", "+€9.00 over".
var amountText = regexp.MustCompile(`([+\-−])?[^\d+\-−]*([\d,]+)\.(\d\d)`)

// uiReportTotals reads the totals of the report matching sel as minor
// units by label ("Net", "Counted cash", …).
func uiReportTotals(t *testing.T, ctx context.Context, sel string) map[string]int64 {
	t.Helper()
	rows := run(t, ctx, chromedp.Evaluate[map[string]string](`Object.fromEntries([...document.querySelectorAll(`+jsQuote(sel+" .zr-totals .zr-row")+`)].map(r => [r.querySelector("dt").textContent, r.querySelector("dd").textContent]))`))
	out := map[string]int64{}
	for label, text := range rows {
		m := amountText.FindStringSubmatch(text)
		if m == nil {
			t.Fatalf("the report's %s reads %q, not an amount", label, text)
		}
		n, _ := strconv.ParseInt(strings.ReplaceAll(m[2], ",", "")+m[3], 10, 64)
		if m[1] != "" && m[1] != "+" {
			n = -n
		}
		out[label] = n
	}
	return out
}

// uiReportFits switches the report's print view to layout and fails when,
// on paper, a part of the report sticks out of its page or is cut.
func uiReportFits(t *testing.T, ctx context.Context, layout string) {
	t.Helper()
	uiStep(t, ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector("input[value='`+layout+`']").click()`),
		chromedp.WaitReady(chromedp.CSS(`#print-css[href$="print-`+layout+`.css"]`)))
	uiStep(t, ctx, chromedp.Sleep(200*time.Millisecond))
	uiMedia(t, ctx, "print")
	out := run(t, ctx, chromedp.Evaluate[[]string](`(() => {
		const page = document.querySelector(".print-area .sheet-page");
		const box = page.getBoundingClientRect(), cs = getComputedStyle(page);
		const left = box.left + parseFloat(cs.paddingLeft), right = box.right - parseFloat(cs.paddingRight);
		return [...page.querySelectorAll(".z-report p, .z-report dt, .z-report dd, .z-report h2, .z-report h3")].map(el => {
			const r = el.getBoundingClientRect();
			const what = el.tagName + " " + JSON.stringify(el.textContent) + ": ";
			if (r.left < left - 0.5 || r.right > right + 0.5) return what + "past the page's edge";
			if (el.scrollWidth > el.clientWidth + 1) return what + "cut";
			return "";
		}).filter(Boolean);
	})()`))
	uiMedia(t, ctx, "")
	if len(out) > 0 {
		t.Errorf("%s: %d parts of the report do not fit the paper, e.g. %s", layout, len(out), out[0])
	}
	pages := pdfPageSizes(t, ctx)
	width := map[string]float64{"a4": 210, "58mm": 58, "80mm": 80}[layout]
	if len(pages) != 1 || math.Abs(pages[0][0]-width) > 0.5 {
		t.Errorf("%s: the report prints on %v (mm), want one page %v mm wide", layout, pages, width)
	}
}

// uiLedgerPage waits for the ledger table to show entries first to last.
func uiLedgerPage(t *testing.T, ctx context.Context, first, last int) {
	t.Helper()
	want := fmt.Sprintf("Entries #%d to #%d", first, last)
	uiWait(t, ctx, ".pager", want)
}

// uiChartsReadable checks the dashboard's three charts at size: each
// drawn at its box's width, every label inside the chart, and no two
// labels on top of each other.
func uiChartsReadable(t *testing.T, ctx context.Context, size [2]int64) {
	t.Helper()
	n := run(t, ctx, chromedp.Poll[int](`(() => { const n = document.querySelectorAll(".chart-svg").length; return n === 3 ? n : false; })()`,
		chromedp.WithPollingTimeout(10*time.Second)))
	if n != 3 {
		t.Fatalf("%v: %d charts, want 3", size, n)
	}
	uiStep(t, ctx, chromedp.Sleep(200*time.Millisecond)) // redrawn at the new width
	bad := run(t, ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll(".chart-svg")].flatMap((svg, k) => {
		const out = [];
		const box = svg.getBoundingClientRect(), plot = svg.parentElement.getBoundingClientRect();
		if (Math.abs(box.width - plot.width) > 1) out.push("chart " + k + " is " + box.width + " px wide in a box of " + plot.width);
		const texts = [...svg.querySelectorAll("text")].map(el => ({ el, r: el.getBoundingClientRect() }));
		for (const { el, r } of texts) {
			if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5) {
				out.push("chart " + k + ": " + JSON.stringify(el.textContent) + " is cut off");
			}
		}
		for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++) {
			const a = texts[i].r, b = texts[j].r;
			if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) {
				out.push("chart " + k + ": " + JSON.stringify(texts[i].el.textContent) + " overlaps " + JSON.stringify(texts[j].el.textContent));
			}
		}
		if (!svg.querySelector(".bar, .line, .dot")) out.push("chart " + k + " has nothing drawn");
		return out;
	})`))
	for _, b := range bad {
		t.Errorf("%dx%d: %s", size[0], size[1], b)
	}
}

// TestSalesBrowserEmpty: before anything is sold, the dashboard's charts,
// the Sales view and the reports say so in words, and the front desk,
// with no priced plan, sees no shift bar.
func TestSalesBrowserEmpty(t *testing.T) {
	chrome := needChromium(t)
	e := newEnv(t, "")
	createInstance(t, e, map[string]any{"name": "Lobby", "strategy": "coupon", "session_ttl": 3600})
	browser := newBrowser(t, chrome, e.srv.URL)
	ctx := uiTab(t, browser, 390, 844)
	uiSignIn(t, ctx, "boss", e.createAdmin("boss", app.RoleAdmin))
	uiStep(t, ctx, chromedp.Evaluate[chromedp.Void](`location.hash = "#/dashboard"`))
	for _, want := range []string{"No sales in the last 30 days.", "No codes were used in the last 30 days.",
		"No guest counts in the last 24 hours"} {
		uiWait(t, ctx, ".chart-grid", want)
	}
	uiNav(t, ctx, "sales")
	uiWait(t, ctx, "main", "No shifts yet.")
	uiWait(t, ctx, ".ledger-entries", "No entries match.")
	uiClick(t, ctx, "Verify ledger")
	uiWait(t, ctx, ".verify-result", "The ledger is intact. 0 entries")
	uiNav(t, ctx, "reports")
	uiWait(t, ctx, "main", "No sales in these days.")

	desk := uiTab(t, browser, 390, 844)
	uiSignIn(t, desk, "desk", e.createAdmin("desk", app.RoleFrontdesk))
	uiWait(t, desk, "h1", "Generate and print coupons")
	if n := run(t, desk, chromedp.Evaluate[int](`document.querySelectorAll(".shift-bar:not([hidden])").length`)); n != 0 {
		t.Errorf("%d shift bars shown without priced plans, want none", n)
	}
}
