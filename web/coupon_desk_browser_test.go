package web_test

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"gatehouse/app"
)

// pdfMediaBox matches the page size of each page of a Chromium PDF.
var pdfMediaBox = regexp.MustCompile(`/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]`)

// uiPrintJob opens the print view for the given coupons in a layout and
// returns the page length the view fitted the receipts to (mm).
func uiPrintJob(t *testing.T, ctx context.Context, inst, layout string, ids []string) float64 {
	t.Helper()
	job := `{"instance":` + jsQuote(inst) + `,"coupon_ids":[`
	for i, id := range ids {
		if i > 0 {
			job += ","
		}
		job += jsQuote(id)
	}
	job += `]}`
	uiStep(t, ctx, chromedp.Evaluate[chromedp.Void](`localStorage.setItem("gatehouse.printLayout", `+jsQuote(layout)+`);
		sessionStorage.setItem("gatehouse.print", `+jsQuote(job)+`); location.hash = "#/coupons"`))
	uiWait(t, ctx, "h1", "oupons")
	uiStep(t, ctx, chromedp.Evaluate[chromedp.Void](`location.hash = "#/print?instance=`+inst+`"`))
	got := run(t, ctx, chromedp.Poll[string](`(() => { const s = document.querySelector(".print-area[data-page-length]"); return s && s.querySelectorAll(".coupon-card").length === `+strconv.Itoa(len(ids))+` ? s.dataset.pageLength : false; })()`,
		chromedp.WithPollingTimeout(10*time.Second)))
	mm, err := strconv.ParseFloat(got, 64)
	if err != nil {
		t.Fatalf("page length %q: %v", got, err)
	}
	return mm
}

// pdfPageSizes prints the page to PDF with its CSS page size and returns
// each page's width and height in mm.
func pdfPageSizes(t *testing.T, ctx context.Context) [][2]float64 {
	t.Helper()
	pdf := run(t, ctx, chromedp.PrintToPDF(chromedp.PDFPreferCSSPageSize()))
	var out [][2]float64
	for _, m := range pdfMediaBox.FindAllSubmatch(pdf, -1) {
		w, _ := strconv.ParseFloat(string(m[1]), 64)
		h, _ := strconv.ParseFloat(string(m[2]), 64)
		out = append(out, [2]float64{w * 25.4 / 72, h * 25.4 / 72})
	}
	return out
}

// TestRollReceiptPDF prints 58 mm and 80 mm receipts to PDF: each slip is
// a page as long as its content, for one receipt and for five.
func TestRollReceiptPDF(t *testing.T) {
	chrome := needChromium(t)
	e := newEnv(t, "")
	password := e.createAdmin("desk", app.RoleFrontdesk)
	inst := createInstance(t, e, map[string]any{"name": "Lobby", "strategy": "coupon", "session_ttl": 3600, "wifi_name": "Hotel Guest"})["id"].(string)
	var made []map[string]any
	e.as(app.RoleFrontdesk, http.MethodPost, "/captive/instances/"+inst+"/coupons", map[string]any{"count": 5, "minutes_valid": 600}).json(t, &made)
	var ids []string
	for _, c := range made {
		ids = append(ids, c["id"].(string))
	}
	ctx := uiTab(t, newBrowser(t, chrome, e.srv.URL), 1280, 800)
	uiSignIn(t, ctx, "desk", password)
	for _, tc := range []struct {
		layout         string
		width, fallbck float64
	}{{"80mm", 80, 125}, {"58mm", 58, 105}} {
		for _, n := range []int{1, 5} {
			length := uiPrintJob(t, ctx, inst, tc.layout, ids[:n])
			if length < 40 || length >= tc.fallbck {
				t.Errorf("%s ×%d: fitted page length %v mm, want the slip's own length (under the %v mm fallback)", tc.layout, n, length, tc.fallbck)
			}
			pages := pdfPageSizes(t, ctx)
			if len(pages) != n {
				t.Fatalf("%s ×%d: %d PDF pages, want %d (one per slip)", tc.layout, n, len(pages), n)
			}
			for i, p := range pages {
				if math.Abs(p[0]-tc.width) > 0.5 || math.Abs(p[1]-length) > 0.5 {
					t.Errorf("%s ×%d: page %d is %.1f × %.1f mm, want %v × %v mm", tc.layout, n, i+1, p[0], p[1], tc.width, length)
				}
			}
		}
	}
}

// TestCouponDeskBrowser is the front desk's day at 1280×800 and 390×844:
// find a code by its note, sell one with "Print one", give a guest more
// time and free their code for a new phone. With GATEHOUSE_SCREENSHOTS set
// it also writes the admin-desk-*.png screenshots.
func TestCouponDeskBrowser(t *testing.T) {
	chrome := needChromium(t)
	e := newEnv(t, "")
	fake, site, inst := routerSite(t, e)
	password := e.createAdmin("desk", app.RoleFrontdesk)
	coupons := "/captive/instances/" + inst + "/coupons"
	var rossi, room []map[string]any
	e.as(app.RoleFrontdesk, http.MethodPost, coupons, map[string]any{"count": 1, "minutes_valid": 1440, "note": "Ms Rossi, room 12"}).json(t, &rossi)
	e.as(app.RoleFrontdesk, http.MethodPost, coupons, map[string]any{"count": 2, "minutes_valid": 1440, "note": "Room 30"}).json(t, &room)
	code := rossi[0]["code"].(string)
	browser := newBrowser(t, chrome, e.srv.URL)

	for i, size := range [][2]int64{{1280, 800}, {390, 844}} {
		// Ms Rossi's phone is online with her code.
		mac := "AA:BB:CC:00:00:0" + strconv.Itoa(i+1)
		fake.AddRow("/ip/hotspot/active", map[string]string{"user": code, "address": "10.5.50.9", "mac-address": mac, "uptime": "1m"})
		for range 2 {
			wantStatus(t, e.admin(http.MethodPost, "/captive/sites/"+site+"/sync", nil), http.StatusOK)
		}

		ctx := uiTab(t, browser, size[0], size[1])
		uiSignIn(t, ctx, "desk", password)
		uiWait(t, ctx, "h1", "Generate and print coupons")
		uiStep(t, ctx, chromedp.Evaluate[chromedp.Void](`window.print = () => { window.printed = (window.printed || 0) + 1; }`))

		// Find her code by her name, among all codes.
		uiStep(t, ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('.segmented input[value="all"]').click()`),
			chromedp.SendKeys(chromedp.CSS(`input[name=q]`), "rossi"))
		got := run(t, ctx, chromedp.Poll[string](`(() => { const r = document.querySelectorAll(".table-coupons tbody tr"); return r.length === 1 ? r[0].textContent : false; })()`,
			chromedp.WithPollingTimeout(5*time.Second)))
		if !regexp.MustCompile(code + `.*Ms Rossi, room 12`).MatchString(got) {
			t.Fatalf("search for rossi shows %q, want %s with its note", got, code)
		}

		// More time: +1 day on her running session.
		uiStep(t, ctx, chromedp.Click(chromedp.CSS(`button[aria-label="More time for `+code+`"]`)),
			chromedp.WaitVisible(chromedp.CSS(`dialog[open]`)))
		if dir := os.Getenv("GATEHOUSE_SCREENSHOTS"); dir != "" {
			shot(t, ctx, dir, "desk-extend", size)
		}
		uiStep(t, ctx, chromedp.Evaluate[chromedp.Void](`[...document.querySelectorAll("dialog[open] label")].find(l => l.textContent === "1 day").click()`),
			chromedp.Click(chromedp.CSS(`dialog[open] button[value=ok]`)))
		uiWait(t, ctx, "#toast", "1 day added to "+code)
		c := listCoupons(t, e, inst, "status=redeemed")[0]
		redeemed, _ := time.Parse(time.RFC3339, c["redeemed_at"].(string))
		ends, _ := time.Parse(time.RFC3339, c["session_ends_at"].(string))
		if want := time.Duration(i+1)*24*time.Hour + time.Hour; ends.Sub(redeemed) != want {
			t.Errorf("session lasts %v after the desk's +1 day, want %v", ends.Sub(redeemed), want)
		}

		// Her new phone: free the code; the old one is logged out.
		uiStep(t, ctx, chromedp.WaitVisible(chromedp.CSS(`button[aria-label="Free for a new device: `+code+`"]`)))
		if dir := os.Getenv("GATEHOUSE_SCREENSHOTS"); dir != "" {
			shot(t, ctx, dir, "desk-coupons", size)
		}
		uiStep(t, ctx, chromedp.Click(chromedp.CSS(`button[aria-label="Free for a new device: `+code+`"]`)),
			chromedp.WaitVisible(chromedp.CSS(`dialog[open]`)),
			chromedp.Click(chromedp.CSS(`dialog[open] button[value=ok]`)))
		uiWait(t, ctx, "#toast", code+" can be used on a new device")
		if n := len(fake.Rows("/ip/hotspot/active")); n != 0 {
			t.Errorf("%d sessions on the router after freeing the code, want 0", n)
		}
		if c := listCoupons(t, e, inst, "status=redeemed")[0]; c["redeemed_mac"] != nil {
			t.Errorf("redeemed_mac after freeing = %v, want null", c["redeemed_mac"])
		}

		// Sell one: one click makes a code and opens the print dialog.
		before := len(listCoupons(t, e, inst, "status=valid"))
		uiClick(t, ctx, "Print one")
		run(t, ctx, chromedp.Poll[bool](`location.hash.startsWith("#/print") && !!document.querySelector(".coupon-card img.cc-qr") && window.printed === 1`,
			chromedp.WithPollingTimeout(10*time.Second)))
		if n := len(listCoupons(t, e, inst, "status=valid")); n != before+1 {
			t.Errorf("%d valid coupons after Print one, want %d", n, before+1)
		}
		if n := run(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll(".coupon-card").length`)); n != 1 {
			t.Errorf("Print one shows %d cards, want 1", n)
		}
		if dir := os.Getenv("GATEHOUSE_SCREENSHOTS"); dir != "" {
			shot(t, ctx, dir, "desk-print-one", size)
		}
	}
}

// shot writes a screenshot admin-<name>-<w>x<h>.png of what the tab shows.
func shot(t *testing.T, ctx context.Context, dir, name string, size [2]int64) {
	t.Helper()
	time.Sleep(300 * time.Millisecond) // images settle
	img := run(t, ctx, chromedp.CaptureScreenshot())
	path := filepath.Join(dir, fmt.Sprintf("admin-%s-%dx%d.png", name, size[0], size[1]))
	if err := os.WriteFile(path, img, 0o644); err != nil {
		t.Fatal(err)
	}
}
