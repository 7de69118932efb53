package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"gatehouse/app"
)

// TestAdminI18nDeskOtherLanguages is the front desk in Spanish, French and
// Portuguese (German has its own walk-through in TestAdminI18nBrowser): a
// clerk whose account keeps the language has an open shift with a sale;
// the desk (shift bar, sell buttons, coupon list) and the printed card
// fit at 1280×800 and 390×844 with no English on them; after the shift is
// closed its Z-report fits 58 mm, 80 mm and A4 paper, and in Portuguese
// counts and money are Portugal's, like its words.
func TestAdminI18nDeskOtherLanguages(t *testing.T) {
	chrome := needChromium(t)
	e := newEnv(t, "")
	inst := createInstance(t, e, map[string]any{"name": "Hôtel du Lac", "strategy": "coupon", "session_ttl": 3600,
		"wifi_name": "Invités du Lac"})["id"].(string)
	createPlan(t, e, map[string]any{"name": "1 h", "session_minutes": 60, "price": 200, "currency": "EUR"})
	day := createPlan(t, e, map[string]any{"name": "1 jour, 2 Go", "session_minutes": 1440, "data_limit_mb": 2000,
		"price": 800, "currency": "EUR", "devices": 2})["id"].(string)
	dir := screenshotDir(t)
	browser := newBrowser(t, chrome, e.srv.URL)

	for lang, desk := range map[string]string{"es": "Turno abierto desde", "fr": "Service ouvert depuis", "pt": "Turno aberto desde"} {
		t.Run(lang, func(t *testing.T) {
			user := "clerk-" + lang
			password := e.createAdmin(user, app.RoleFrontdesk)
			uiAccountLang(t, e, user, password, lang)
			bearer := "Bearer " + e.login(user, password).object(t)["token"].(string)
			shift := e.call(http.MethodPost, "/captive/shifts", bearer, map[string]any{"opening_float": 5000, "currency": "EUR"}).object(t)
			var sold []map[string]any
			sale := e.call(http.MethodPost, "/captive/instances/"+inst+"/coupons", bearer, map[string]any{"count": 1, "plan_id": day})
			wantStatus(t, sale, http.StatusCreated)
			sale.json(t, &sold)

			ctx := uiTab(t, browser, 1280, 800)
			uiSignIn(t, ctx, user, password)
			uiWait(t, ctx, ".shift-bar", desk)
			// The card of the sale is the print view's job, as the sell button leaves it.
			uiStep(t, ctx, chromedp.Evaluate[chromedp.Void](`sessionStorage.setItem("gatehouse.print", JSON.stringify({instance: `+
				jsQuote(inst)+`, coupon_ids: [`+jsQuote(sold[0]["id"].(string))+`]}))`))
			for _, shot := range []uiShot{
				{name: lang + "-desk-shift", hash: "#/coupons", ready: ".shift-bar:not([hidden])"},
				{name: lang + "-print", hash: "#/print?instance=" + inst, ready: ".coupon-card img.cc-qr"},
			} {
				uiStep(t, ctx, chromedp.Evaluate[chromedp.Void](`location.hash = `+jsQuote(shot.hash)),
					chromedp.WaitVisible(chromedp.CSS(shot.ready)))
				uiPageFits(t, ctx, dir, shot)
				uiNoEnglish(t, ctx, shot, sameInEnglish[lang]...)
			}

			id := shift["shift"].(map[string]any)["id"].(string)
			wantStatus(t, e.call(http.MethodPost, "/captive/shifts/"+id+"/close", bearer,
				map[string]any{"counted_cash": map[string]any{"EUR": 5800}}), http.StatusOK)
			printHash := "#/print-shift?shift=" + id + "&instance=" + inst
			uiStep(t, ctx, chromedp.Evaluate[chromedp.Void](`location.hash = `+jsQuote(printHash)),
				chromedp.WaitVisible(chromedp.CSS(".print-area .z-report")))
			uiNoEnglish(t, ctx, uiShot{name: lang + "-zreport", hash: printHash, ready: ".print-area .z-report"}, sameInEnglish[lang]...)
			if got := uiText(t, ctx, ".print-area .z-report"); lang == "pt" && (!strings.Contains(got, "0 anulações") || !strings.Contains(got, "58,00\u00a0€")) {
				// The words are Portugal's, so are plurals and money (Intl's bare "pt" is Brazil's: "0 anulação", "€ 58,00").
				t.Errorf("the Portuguese Z-report reads %q, want 0 anulações and 58,00 €", got)
			}
			for _, layout := range []string{"a4", "58mm", "80mm"} {
				uiReportFits(t, ctx, layout)
			}
			uiScreenshots(t, ctx, dir, uiShot{name: lang + "-zreport-58mm", hash: printHash, ready: ".print-area .z-report",
				prep: `document.querySelector("input[value='58mm']").click()`, print: true})
		})
	}
}
