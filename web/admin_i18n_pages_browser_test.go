package web_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"gatehouse/app"
	"gatehouse/routeros/routerostest"
)

// i18nPages is what the admin pages of the language tests show: an admin
// "marta", a fake router's site, a portal with terms, a schedule, four
// codes with a guest online on the first, an operator token, a priced
// plan with one code sold, a notification group, a sign-in provider and a
// second site whose router is down.
type i18nPages struct {
	e                          *env
	password, site, inst, code string
}

// newI18nPages sets up the pages' data.
func newI18nPages(t *testing.T) i18nPages {
	t.Helper()
	e := newSelfEnv(t)
	password := e.createAdmin("marta", app.RoleAdmin)
	fake := routerostest.New(t, routerostest.Options{User: "api", Password: "pw", Identity: "Empfang-hAP"})
	fake.SetRow("/ip/hotspot/profile", "hsprof1", map[string]string{"login-by": "cookie"})
	site := fakeSite(t, e, fake)
	inst := createInstance(t, e, map[string]any{"name": "Hotel Alpenblick", "strategy": "coupon", "session_ttl": 3600,
		"terms_text": "Bitte nutzen Sie das WLAN fair.", "sites": []any{map[string]any{"id": site}}})["id"].(string)
	createSchedule(t, e, inst, map[string]any{"name": "Morgendliche Gästecodes", "count": 25, "recurrence_type": "weekly",
		"day_of_week": 1, "valid_for_in_minutes": 1440, "timezone": "Europe/Berlin", "run_at": "07:30"})
	var coupons []struct {
		Code string `json:"code"`
	}
	e.admin(http.MethodPost, "/captive/instances/"+inst+"/coupons", map[string]any{"count": 4, "minutes_valid": 1440}).json(t, &coupons)
	// A guest is online with the first code.
	code := coupons[0].Code
	fake.AddRow("/ip/hotspot/active", map[string]string{"user": code, "address": "10.5.50.9",
		"mac-address": "AA:BB:CC:00:00:09", "uptime": "4m", "bytes-in": "1200000", "bytes-out": "45000000"})
	wantStatus(t, e.admin(http.MethodPost, "/captive/sites/"+site+"/sync", nil), http.StatusOK)
	wantStatus(t, e.admin(http.MethodPost, "/captive/tokens", map[string]any{"name": "Sicherungsskript", "role": "operator"}),
		http.StatusCreated)
	// A second router that is down: its last error in the reader's words.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	cellar := createSite(t, e, map[string]any{"name": "Keller", "host": "127.0.0.1", "port": down, "username": "api", "password": "pw"})["id"].(string)
	wantStatus(t, e.admin(http.MethodPost, "/captive/sites/"+cellar+"/sync", nil), http.StatusServiceUnavailable)
	// A notification group and a sign-in provider.
	ngCreate(t, e, map[string]any{"name": "Rezeption", "emails": []string{"rezeption@example.com"}})
	wantStatus(t, e.admin(http.MethodPost, "/captive/auth-integrations", map[string]any{"name": "Google Gäste", "type": "google",
		"config": map[string]any{"client_id": "g-123", "client_secret": "geheim-geheim"}}), http.StatusCreated)
	// A priced plan and one code sold with it.
	plan := createPlan(t, e, map[string]any{"name": "Tagespass", "session_minutes": 1440, "price": 800, "currency": "EUR"})["id"].(string)
	wantStatus(t, e.admin(http.MethodPost, "/captive/instances/"+inst+"/coupons", map[string]any{"count": 1, "plan_id": plan}),
		http.StatusCreated)

	return i18nPages{e: e, password: password, site: site, inst: inst, code: code}
}

// i18nPage is a page the language tests visit: its hash, the element
// that shows when it is ready, its heading and words in German.
type i18nPage struct {
	shot  uiShot
	h1    string
	words []string // German words the page shows
}

// shots are the pages the language tests visit.
func (f i18nPages) shots() []i18nPage {
	site, inst, code := f.site, f.inst, f.code
	return []i18nPage{
		{uiShot{name: "de-dashboard", hash: "#/dashboard", ready: ".stat-value"}, "Übersicht",
			[]string{"Standorte online", "von 2 Standorten", "Ausgegebene Gutscheine", "4 unbenutzte Codes übrig",
				"Nächster geplanter Stapel:", "Letzter Kontakt", "Umsatz pro Tag"}},
		{uiShot{name: "de-sites", hash: "#/sites", ready: ".table"}, "Standorte",
			[]string{"Router hinzufügen", "Letzter Kontakt", "Letzter Fehler", "Keller", "Router 127.0.0.1:"}},
		{uiShot{name: "de-site-setup", hash: "#/sites/" + site, ready: ".setup-list",
			prep: `document.querySelector(".setup").parentElement.scrollIntoView()`}, "Lobby",
			[]string{"Verbindung testen", "Einrichtungs-Checkliste", "von 6 Schritten erledigt", "Anmeldeseite installieren",
				"Walled Garden", "Eintrag hinzufügen", "Router löschen",
				// The checklist's sentences the server wrote as keys and params.
				"erlaubt weder http-pap noch http-chap", "Klicken Sie auf „PAP aktivieren“", "(letzter Abgleich: ",
				"Keine Testanmeldung seit dem Start von gatehouse."}},
		{uiShot{name: "de-schedules", hash: "#/schedules?instance=" + inst, ready: ".schedule"}, "Zeitpläne",
			[]string{"Jeden Montag um 07:30 (Europe/Berlin)", "25 Codes", "Nächster Stapel", "Jetzt ausführen",
				"Signierten Link kopieren"}},
		{uiShot{name: "de-guests", hash: "#/guests", ready: ".table"}, "Gäste online",
			[]string{code, "MAC-Adresse", "Restzeit", "Trennen", "1 online · geprüft um"}},
		{uiShot{name: "de-portals", hash: "#/instances", ready: ".table", prep: `scrollTo(0, 0)`}, "Portale",
			[]string{"Neues Portal", "Anmeldung mit", "Gutscheincode", "WLAN-Name", "Hotel Alpenblick"}},
		{uiShot{name: "de-portal", hash: "#/instances/" + inst, ready: ".theme-editor"}, "Hotel Alpenblick",
			[]string{"Angaben", "WLAN-Name auf Karten", "Internetzeit pro Gast", "Einem Gutscheincode", "Codelänge",
				"Bedingungen in anderen Sprachen", "Aussehen speichern", "Standardfarben", "Logo hochladen",
				"Router-Datei", "login.html für Lobby herunterladen", "Portal löschen"}},
		{uiShot{name: "de-portal-look", hash: "#/instances/" + inst, ready: ".theme-editor",
			prep: `document.querySelector(".theme-editor").scrollIntoView()`}, "Hotel Alpenblick",
			[]string{"Aussehen", "Akzent", "Text auf Akzent", "Seitenhintergrund", "Symbol hochladen"}},
		{uiShot{name: "de-portal-consents", hash: "#/instances/" + inst, ready: ".theme-editor",
			prep: `document.querySelector(".panel.consents").scrollIntoView()`},
			"Hotel Alpenblick", []string{"Einwilligungsbelege", "Jede Anmeldung über dieses Portal", "Keine Belege an diesen Tagen.",
				"CSV herunterladen"}},
		{uiShot{name: "de-reports", hash: "#/reports", ready: ".report-panel .table", prep: `scrollTo(0, 0)`}, "Berichte",
			[]string{"Bericht anzeigen", "Zeitzone", "Nutzung", "Erstellte Codes", "Tagespass"}},
		{uiShot{name: "de-guest-data", hash: "#/guest-data", ready: ".stored-list", prep: `scrollTo(0, 0)`}, "Gästedaten",
			[]string{"Was gatehouse über Gäste speichert", "Gast suchen", "MAC-Adresse oder E-Mail", "Suchen"}},
		{uiShot{name: "de-tokens", hash: "#/tokens", ready: ".table", prep: `scrollTo(0, 0)`}, "API-Tokens",
			[]string{"Neues Token", "Token erstellen", "Läuft ab nach", "30 Tage", "Sicherungsskript", "aktiv", "Widerrufen"}},
		{uiShot{name: "de-coupons", hash: "#/coupons?instance=" + inst, ready: ".table-coupons", prep: `scrollTo(0, 0)`},
			"Gutscheine", []string{"Tagespass", "8,00\u00a0€"}},
		{uiShot{name: "de-plans", hash: "#/plans", ready: ".table", prep: `scrollTo(0, 0)`}, "Tarife",
			[]string{"Tagespass", "1 Tag"}},
		{uiShot{name: "de-sales", hash: "#/sales", ready: ".ledger-entries .table", prep: `scrollTo(0, 0)`}, "Verkäufe",
			[]string{"Tagespass", "Verkauf"}},
		{uiShot{name: "de-notifications", hash: "#/notifications", ready: "main .panel", prep: `scrollTo(0, 0)`},
			"Benachrichtigungsgruppen", []string{"Rezeption", "rezeption@example.com"}},
		{uiShot{name: "de-integrations", hash: "#/integrations", ready: "main .panel", prep: `scrollTo(0, 0)`},
			"Anmeldedienste", []string{"Google Gäste"}},
	}
}

// TestAdminI18nPagesBrowser is an operator's pages in German: the
// dashboard, the sites, a site's setup checklist, the schedules, the
// guests online, the portals (a portal's details, look and consent
// receipts), the reports, the guest data (a guest found), the API
// tokens, the coupons, plans, sales, notification groups and sign-in
// providers. An admin whose account keeps German signs in; each page
// speaks German, and at 1280×800 and 390×844 nothing is cut off or wider
// than the screen. Screenshots admin-de-<page>-<w>x<h>.png go to
// $GATEHOUSE_SCREENSHOTS, or to a temporary directory.
func TestAdminI18nPagesBrowser(t *testing.T) {
	chrome := needChromium(t)
	f := newI18nPages(t)
	e, password := f.e, f.password
	uiAccountLang(t, e, "marta", password, "de")
	dir := screenshotDir(t)
	browser := newBrowser(t, chrome, e.srv.URL)
	ctx := uiTab(t, browser, 1280, 800)
	uiSignIn(t, ctx, "marta", password)
	uiWait(t, ctx, "h1", "Übersicht")

	pages := f.shots()
	for _, p := range pages {
		uiStep(t, ctx, chromedp.Evaluate[chromedp.Void](`location.hash = `+jsQuote(p.shot.hash)),
			chromedp.WaitVisible(chromedp.CSS(p.shot.ready)))
		uiWait(t, ctx, "h1", p.h1)
		for _, w := range p.words {
			uiWait(t, ctx, "main", w)
		}
		uiPageFits(t, ctx, dir, p.shot)
	}
	// A guest found on the guest data page: the record's sections in German.
	uiStep(t, ctx, chromedp.Evaluate[chromedp.Void](`location.hash = "#/guest-data"`), chromedp.WaitVisible(chromedp.CSS(".stored-list")))
	uiStep(t, ctx, chromedp.SendKeys(`input[name=q]`, "AA:BB:CC:00:00:09"), chromedp.Click(`.guest-search button[type=submit]`))
	for _, w := range []string{"Gefunden: 1 Sitzung", "Sitzungen", "Gerätewechsel", "Einwilligungen", "Daten dieses Gastes löschen"} {
		uiWait(t, ctx, ".guest-result", w)
	}
	for _, size := range [][2]int64{{1280, 800}, {390, 844}} {
		uiResize(t, ctx, size)
		uiStep(t, ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector(".guest-result h2").scrollIntoView()`))
		name := fmt.Sprintf("de-guest-found at %d×%d", size[0], size[1])
		uiNoClipping(t, ctx, name)
		if w := run(t, ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > int(size[0]) {
			t.Errorf("%s is %d px wide", name, w)
		}
		img := run(t, ctx, chromedp.CaptureScreenshot())
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("admin-de-guest-found-%dx%d.png", size[0], size[1])), img, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	uiResize(t, ctx, [2]int64{1280, 800})
	// No English left on the pages' headings and buttons.
	for _, p := range pages {
		uiNoEnglish(t, ctx, p.shot)
	}
}

// sameInEnglish are words a language writes as English does.
var sameInEnglish = map[string][]string{"fr": {"Sites"}}

// TestAdminI18nPagesOtherLanguages: the same pages in Spanish, French and
// Portuguese fit at 1280×800 and 390×844 with nothing cut off, and show
// no English on their headings, buttons and setup checklist. Screenshots
// admin-<lang>-<page>-<w>x<h>.png.
func TestAdminI18nPagesOtherLanguages(t *testing.T) {
	chrome := needChromium(t)
	f := newI18nPages(t)
	dir := screenshotDir(t)
	browser := newBrowser(t, chrome, f.e.srv.URL)
	for lang, dashboard := range map[string]string{"es": "Panel", "fr": "Tableau de bord", "pt": "Painel"} {
		t.Run(lang, func(t *testing.T) {
			uiAccountLang(t, f.e, "marta", f.password, lang)
			ctx := uiTab(t, browser, 1280, 800)
			uiSignIn(t, ctx, "marta", f.password)
			uiWait(t, ctx, "h1", dashboard)
			for _, p := range f.shots() {
				p.shot.name = lang + strings.TrimPrefix(p.shot.name, "de")
				uiStep(t, ctx, chromedp.Evaluate[chromedp.Void](`location.hash = `+jsQuote(p.shot.hash)),
					chromedp.WaitVisible(chromedp.CSS(p.shot.ready)))
				uiPageFits(t, ctx, dir, p.shot)
				uiNoEnglish(t, ctx, p.shot, sameInEnglish[lang]...)
			}
		})
	}
}

// uiPageFits takes the page's screenshots, then checks at 1280×800 and
// 390×844 that nothing on it is cut off or wider than the screen.
func uiPageFits(t *testing.T, ctx context.Context, dir string, shot uiShot) {
	t.Helper()
	uiLayoutShots(t, ctx, dir, shot)
	for _, size := range [][2]int64{{1280, 800}, {390, 844}} {
		uiResize(t, ctx, size)
		uiStep(t, ctx, chromedp.Evaluate[chromedp.Void](`location.hash = `+jsQuote(shot.hash)),
			chromedp.WaitVisible(chromedp.CSS(shot.ready)))
		if shot.prep != "" {
			uiStep(t, ctx, chromedp.Evaluate[chromedp.Void](shot.prep))
		}
		uiNoClipping(t, ctx, fmt.Sprintf("%s at %d×%d", shot.name, size[0], size[1]))
		if w := run(t, ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > int(size[0]) {
			wide := run(t, ctx, chromedp.Evaluate[string](`[...document.querySelectorAll("body *")]
				.filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
				.slice(-4).map((el) => el.tagName.toLowerCase() + "." + el.className + " " + Math.round(el.getBoundingClientRect().right)).join(", ")`))
			t.Errorf("%s at %d px is %d px wide: %s", shot.name, size[0], w, wide)
		}
	}
	uiResize(t, ctx, [2]int64{1280, 800})
}

// uiNoEnglish fails for English words left on a page's headings, buttons,
// labels and setup checklist, or a time shown as RFC 3339; texts that are
// one of same are the language's own.
func uiNoEnglish(t *testing.T, ctx context.Context, shot uiShot, same ...string) {
	t.Helper()
	uiStep(t, ctx, chromedp.Evaluate[chromedp.Void](`location.hash = `+jsQuote(shot.hash)),
		chromedp.WaitVisible(chromedp.CSS(shot.ready)))
	english := run(t, ctx, chromedp.Evaluate[[]string](`[
		...[...document.querySelectorAll("main h1, main h2, main h3, main button, main th, main label, main dt, main legend, main summary")]
			.map((el) => el.textContent.trim())
			.filter((s) => /\b(Delete|Save|Refresh|Sync|Test|Add|Edit|Print|Run|Copy|Disconnect|Guests|Sites|Schedules|Last|State|Address|Check|Download|Show|Create|Revoke|Find|Erase|Upload|Expires|Period|Details|Look|Terms|Language|Accepted|Device|Role|Sales|Use)\b/.test(s)),
		...[...document.querySelectorAll(".setup-detail, .setup-fix p")]
			.map((el) => el.textContent.trim())
			.filter((s) => /\b(Press|Not checked|Logged in|Server profile|gatehouse's|last sync|is missing|No test login)\b/.test(s) || /\d{4}-\d\d-\d\dT/.test(s)),
	]`))
	english = slices.DeleteFunc(english, func(s string) bool { return slices.Contains(same, s) })
	if len(english) > 0 {
		t.Errorf("%s shows English: %q", shot.name, english)
	}
}
