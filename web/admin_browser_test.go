package web_test

import (
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"gatehouse/app"
	"gatehouse/routeros/routerostest"
)

// uiURL is the admin page as the browser reaches it.
const uiURL = "http://" + browserHost + "/"

// TestAdminBrowserFlow is a hotel's first day in a real browser: the IT
// person signs in, adds the router and tests the connection, creates a
// coupon portal on it, generates ten coupons and opens them as printable
// cards; then a guest comes online and is disconnected from the Guests
// page. Each step is checked through the API or the fake router as well
// as on the page. With GATEHOUSE_SCREENSHOTS set it also writes the
// admin-*.png screenshots.
func TestAdminBrowserFlow(t *testing.T) {
	chrome := needChromium(t)
	start := time.Now()
	e := newEnv(t, "")
	password := e.createAdmin("alice", app.RoleAdmin)
	fake := routerostest.New(t, routerostest.Options{User: "api", Password: "pw", Identity: "Lobby-hAP"})
	host, port, _ := net.SplitHostPort(fake.Addr())
	browser := newBrowser(t, chrome, e.srv.URL)
	ctx := uiTab(t, browser, 1280, 800)

	uiSignIn(t, ctx, "alice", password)
	uiWait(t, ctx, "h1", "Dashboard")

	// Add the router and test the connection.
	uiNav(t, ctx, "sites")
	uiStep(t, ctx, chromedp.Click(chromedp.CSS(`.page-actions a[href="#/sites/new"]`)),
		chromedp.WaitVisible(chromedp.CSS(`input[name=host]`)))
	uiSet(t, ctx, "name", "Lobby")
	uiSet(t, ctx, "host", host)
	uiSet(t, ctx, "port", port)
	uiSet(t, ctx, "username", "api")
	uiSet(t, ctx, "password", "pw")
	uiStep(t, ctx, chromedp.Click(chromedp.CSS(`form button[type=submit]`)))
	uiWait(t, ctx, "h1", "Lobby")
	var sites []map[string]any
	e.admin(http.MethodGet, "/captive/sites", nil).json(t, &sites)
	if len(sites) != 1 || sites[0]["host"] != host {
		t.Fatalf("sites after the form = %v, want one at %s", sites, host)
	}
	site := sites[0]["id"].(string)
	uiClick(t, ctx, "Test connection")
	uiWait(t, ctx, ".sync-result", "online")
	if got := uiText(t, ctx, ".sync-result"); !strings.Contains(got, "Connected") || !strings.Contains(got, "Lobby-hAP") {
		t.Errorf("test connection says %q, want Connected with the router's identity", got)
	}

	// A coupon portal on that router.
	uiNav(t, ctx, "instances")
	uiStep(t, ctx, chromedp.Click(chromedp.CSS(`.page-actions a[href="#/instances/new"]`)),
		chromedp.WaitVisible(chromedp.CSS(`input[name=name]`)))
	uiSet(t, ctx, "name", "Seaside Hotel")
	uiSet(t, ctx, "wifi_name", "Seaside Guest")
	uiStep(t, ctx, chromedp.Click(chromedp.CSS(`.site-pick input[type=checkbox]`)),
		chromedp.Click(chromedp.CSS(`form button[type=submit]`)))
	uiWait(t, ctx, "h1", "Seaside Hotel")
	uiStep(t, ctx, chromedp.WaitVisible(chromedp.CSS(`.theme-editor`)))
	var insts []map[string]any
	e.admin(http.MethodGet, "/captive/instances", nil).json(t, &insts)
	if len(insts) != 1 || insts[0]["strategy"] != "coupon" || insts[0]["session_ttl"] != float64(10800) {
		t.Fatalf("instances after the form = %v, want one coupon portal with 3 hours", insts)
	}
	inst := insts[0]["id"].(string)
	if s, _ := insts[0]["sites"].([]any); len(s) != 1 || s[0].(map[string]any)["id"] != site {
		t.Fatalf("portal sites = %v, want [%s]", insts[0]["sites"], site)
	}
	uiCheckPreview(t, ctx)
	uiUploadLogo(t, ctx)
	seaside := map[string]string{"accent_color": "#1f4e79", "accent_text": "#ffffff", "text_color": "#1d2a36",
		"secondary_text_color": "#5b6b7a", "background_color": "#f3efe6", "border_color": "#ddd5c4", "box_color": "#ffffff"}
	for k, v := range seaside {
		uiStep(t, ctx, chromedp.Evaluate[chromedp.Void](`(() => {
			const i = document.querySelector('.theme-form input[name="`+k+`"]');
			i.value = "`+v+`";
			i.dispatchEvent(new Event("input", {bubbles: true}));
		})()`))
	}
	uiClick(t, ctx, "Save look")
	uiWait(t, ctx, "#toast", "Look saved")
	theme, _ := e.admin(http.MethodGet, "/captive/instances/"+inst, nil).object(t)["theme"].(map[string]any)
	if theme["logo"] == nil {
		t.Errorf("theme.logo is not set after the upload in the browser")
	}
	for k, v := range seaside {
		if theme[k] != v {
			t.Errorf("saved theme %s = %v, want %s", k, theme[k], v)
		}
	}

	// Ten coupons, printed as cards.
	uiNav(t, ctx, "coupons")
	uiStep(t, ctx, chromedp.WaitVisible(chromedp.CSS(`input[name=count]`)))
	uiSet(t, ctx, "count", "10")
	uiClick(t, ctx, "Generate")
	uiStep(t, ctx, chromedp.WaitVisible(chromedp.CSS(`[data-test=print-batch]`)))
	var coupons []map[string]any
	e.admin(http.MethodGet, "/captive/instances/"+inst+"/coupons", nil).json(t, &coupons)
	if len(coupons) != 10 {
		t.Fatalf("the API lists %d valid coupons, want 10", len(coupons))
	}
	uiStep(t, ctx, chromedp.Click(chromedp.CSS(`[data-test=print-batch]`)),
		chromedp.WaitVisible(chromedp.CSS(`.print-area .coupon-card`)))
	// Every card's QR code and the venue logo load (same-origin links), as
	// does the A4 print stylesheet.
	run(t, ctx, chromedp.Poll[bool](`[...document.querySelectorAll(".coupon-card img")].length === 20 && [...document.querySelectorAll(".coupon-card img")].every(i => i.complete && i.naturalWidth > 0) && !!document.querySelector("#print-css[href$='print-a4.css']")?.sheet`,
		chromedp.WithPollingTimeout(5*time.Second)))
	cards := run(t, ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll(".print-area .coupon-card .cc-code")].map(c => c.textContent)`))
	qrs := run(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll(".print-area .coupon-card img.cc-qr[src^='data:image/svg+xml']").length`))
	want := make([]string, 0, len(coupons))
	for _, c := range coupons {
		want = append(want, c["code"].(string))
	}
	slices.Sort(cards)
	slices.Sort(want)
	if !slices.Equal(cards, want) || qrs != 10 {
		t.Fatalf("print view shows codes %v with %d QR images, want %v with 10", cards, qrs, want)
	}
	if got := uiText(t, ctx, ".print-area .coupon-card"); !strings.Contains(got, "Seaside Guest") || !strings.Contains(got, "3 hours") {
		t.Errorf("a card reads %q, want the Wi-Fi name and the session length", got)
	}
	if pages := uiPDFPages(t, ctx); pages != 1 {
		t.Errorf("10 A4 cards print on %d pages, want 1", pages)
	}
	// A German portal prints German cards, whatever the clerk's browser speaks.
	wantStatus(t, e.admin(http.MethodPut, "/captive/instances/"+inst, map[string]any{"locale": "de"}), http.StatusOK)
	uiStep(t, ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`.print-area .coupon-card`)))
	if got := uiText(t, ctx, ".print-area .coupon-card"); !strings.Contains(got, "Gültig bis") || !strings.Contains(got, "3 Stunden") {
		t.Errorf("a German portal's card reads %q, want German wording", got)
	}
	wantStatus(t, e.admin(http.MethodPut, "/captive/instances/"+inst, map[string]any{"locale": "en"}), http.StatusOK)
	if dir := os.Getenv("GATEHOUSE_SCREENSHOTS"); dir != "" {
		a4 := `document.querySelector("input[value=a4]").click()`
		uiScreenshots(t, ctx, dir,
			uiShot{name: "coupon-sheet", hash: "#/print?instance=" + inst, ready: ".coupon-card img.cc-qr", prep: a4},
			uiShot{name: "coupon-paper", hash: "#/print?instance=" + inst, ready: ".coupon-card img.cc-qr", prep: a4, print: true},
			uiShot{name: "theme-editor", hash: "#/instances/" + inst, ready: ".theme-editor",
				prep: `document.querySelector(".theme-editor").closest(".panel").scrollIntoView()`})
	}

	// A guest logs in on the router; the front desk disconnects them.
	code := want[0]
	fake.AddRow("/ip/hotspot/active", map[string]string{"user": code, "address": "10.5.50.9", "mac-address": "AA:BB:CC:00:00:09", "uptime": "4m"})
	wantStatus(t, e.admin(http.MethodPost, "/captive/sites/"+site+"/sync", nil), http.StatusOK)
	if n := uiActiveUsers(t, e, site); n != 1 {
		t.Fatalf("%d active site users after the guest logged in, want 1", n)
	}
	if dir := os.Getenv("GATEHOUSE_SCREENSHOTS"); dir != "" {
		uiScreenshots(t, ctx, dir, uiShot{name: "dashboard", hash: "#/dashboard", ready: ".stat-value"})
	}
	uiNav(t, ctx, "guests")
	uiWait(t, ctx, ".table", code)
	uiStep(t, ctx, chromedp.Click(chromedp.CSS(`button[aria-label="Disconnect `+code+`"]`)),
		chromedp.WaitVisible(chromedp.CSS(`dialog[open]`)),
		chromedp.Click(chromedp.CSS(`dialog[open] button[value=ok]`)))
	uiWait(t, ctx, "main", "Nobody is online")
	if n := len(fake.Rows("/ip/hotspot/active")); n != 0 {
		t.Errorf("%d sessions left on the router after Disconnect, want 0", n)
	}
	if n := uiActiveUsers(t, e, site); n != 0 {
		t.Errorf("%d active site users after Disconnect, want 0", n)
	}
	t.Logf("admin flow took %v", time.Since(start).Round(time.Millisecond))
}

// TestAdminBrowserFrontdesk signs in as a front-desk clerk: the page
// offers only coupons and guests online, and an admin page reached by
// its address says it is not available.
func TestAdminBrowserFrontdesk(t *testing.T) {
	chrome := needChromium(t)
	e := newEnv(t, "")
	password := e.createAdmin("desk", app.RoleFrontdesk)
	createInstance(t, e, map[string]any{"name": "Lobby Wi-Fi", "strategy": "coupon", "session_ttl": 3600})
	browser := newBrowser(t, chrome, e.srv.URL)
	ctx := uiTab(t, browser, 390, 844)

	uiSignIn(t, ctx, "desk", password)
	uiWait(t, ctx, "h1", "Generate and print coupons")
	if got := uiText(t, ctx, ".topbar"); !strings.Contains(got, "Sign out") {
		t.Errorf("top bar reads %q, want a Sign out button", got)
	}
	for _, hash := range []string{"#/sites", "#/tokens", "#/dashboard"} {
		uiStep(t, ctx, chromedp.Evaluate[chromedp.Void](`location.hash = "`+hash+`"`))
		uiWait(t, ctx, "main", "not available for your role")
	}

	// Signing out ends the session: the token no longer works.
	token := run(t, ctx, chromedp.Evaluate[string](`sessionStorage.getItem("gatehouse.token")`))
	uiClick(t, ctx, "Sign out")
	uiWait(t, ctx, "main", "You are signed out")
	wantStatus(t, e.call(http.MethodGet, "/auth/me", "Bearer "+token, nil), http.StatusUnauthorized)
}

// TestAdminBrowserSchedules covers the rest of an admin's day in the
// browser: a weekly schedule made through the form, run by hand, its
// history and a run printed, the signed link offered for copying; an API
// error shown beside the field that caused it; a token shown once; and a
// session that ends sending the page back to the sign-in.
func TestAdminBrowserSchedules(t *testing.T) {
	chrome := needChromium(t)
	e := newEnv(t, "")
	password := e.createAdmin("ops", app.RoleAdmin)
	inst := createInstance(t, e, map[string]any{"name": "Harbour Inn", "strategy": "coupon", "session_ttl": 7200})["id"].(string)
	r := e.admin(http.MethodPost, "/captive/notification-groups", map[string]any{"name": "Front office", "emails": []string{"desk@harbour.example"}})
	wantStatus(t, r, http.StatusCreated)
	group := r.object(t)["id"].(string)
	browser := newBrowser(t, chrome, e.srv.URL)
	ctx := uiTab(t, browser, 1280, 800)
	uiSignIn(t, ctx, "ops", password)

	// A weekly schedule through the form.
	uiNav(t, ctx, "schedules")
	uiClick(t, ctx, "New schedule")
	uiSet(t, ctx, "name", "Monday passes")
	uiSet(t, ctx, "count", "5")
	uiStep(t, ctx, chromedp.SetValue(chromedp.CSS(`select[name=recurrence_type]`), "weekly"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector("select[name=recurrence_type]").dispatchEvent(new Event("change"))`),
		chromedp.WaitVisible(chromedp.CSS(`select[name=day_of_week]`)),
		chromedp.SetValue(chromedp.CSS(`select[name=day_of_week]`), "1"),
		chromedp.SetValue(chromedp.CSS(`input[name=run_at]`), "07:30"))
	uiSet(t, ctx, "timezone", "Europe/Lisbon")
	uiSet(t, ctx, "valid_for_in_minutes", "8")
	uiStep(t, ctx, chromedp.SetValue(chromedp.CSS(`select[name=valid_for_in_minutes_unit]`), "hours"),
		chromedp.SetValue(chromedp.CSS(`select[name=notification_group_id]`), group))
	uiClick(t, ctx, "Create schedule")
	uiWait(t, ctx, ".schedule h2", "Monday passes")
	var list []map[string]any
	e.admin(http.MethodGet, "/captive/instances/"+inst+"/coupon-schedules", nil).json(t, &list)
	if len(list) != 1 {
		t.Fatalf("schedules after the form: %v, want 1", list)
	}
	sch := list[0]
	for k, want := range map[string]any{"count": float64(5), "recurrence_type": "weekly", "day_of_week": float64(1), "run_at": "07:30",
		"timezone": "Europe/Lisbon", "valid_for_in_minutes": float64(480), "notification_group_id": group} {
		if sch[k] != want {
			t.Errorf("schedule %s = %v, want %v", k, sch[k], want)
		}
	}
	if got := uiText(t, ctx, ".schedule"); !strings.Contains(got, "Every Monday at 07:30 (Europe/Lisbon)") {
		t.Errorf("schedule card reads %q, want the timetable in words", got)
	}

	// Run now, see the history, print the run.
	uiClick(t, ctx, "Run now")
	uiWait(t, ctx, ".schedule", "5 codes made")
	var made []map[string]any
	e.admin(http.MethodGet, "/captive/instances/"+inst+"/coupons", nil).json(t, &made)
	if len(made) != 5 || made[0]["schedule_id"] != sch["id"] {
		t.Fatalf("coupons after Run now: %v, want 5 of the schedule", made)
	}
	uiClick(t, ctx, "Run history")
	uiWait(t, ctx, ".schedule .table", "desk@harbour.example")
	uiStep(t, ctx, chromedp.Click(chromedp.CSS(`.schedule .table button[aria-label^="Print"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.print-area .coupon-card`)))
	if n := run(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll(".print-area .coupon-card").length`)); n != 5 {
		t.Errorf("printing the run shows %d cards, want 5", n)
	}

	// The signed link: headless Chromium refuses the clipboard, so the
	// page shows the link selected for copying.
	uiStep(t, ctx, chromedp.Click(chromedp.CSS(`.back-link`)), chromedp.WaitVisible(chromedp.CSS(`.schedule`)))
	uiClick(t, ctx, "Copy signed link")
	uiWait(t, ctx, ".schedule", "24 hours")
	link := run(t, ctx, chromedp.Evaluate[string](`document.querySelector(".schedule .copy-row input").value`))
	if !strings.HasPrefix(link, "http://gatehouse.test/captive/coupons?") || !strings.Contains(link, "sid="+sch["id"].(string)) {
		t.Errorf("signed link shown = %q", link)
	}

	// An API error appears next to the field it is about.
	uiNav(t, ctx, "sites")
	uiStep(t, ctx, chromedp.Click(chromedp.CSS(`.page-actions a[href="#/sites/new"]`)))
	uiSet(t, ctx, "name", "Bar")
	uiSet(t, ctx, "host", "the lobby router")
	uiSet(t, ctx, "username", "api")
	uiClick(t, ctx, "Add router")
	uiStep(t, ctx, chromedp.WaitVisible(chromedp.CSS(`form .alert-error`)))
	if got := uiText(t, ctx, `[name=host][aria-invalid=true] ~ .field-error`); !strings.Contains(got, "must be an IP address or a DNS name") {
		t.Errorf("beside the host field: %q, want the API's message; the form reads %q", got, uiText(t, ctx, "form"))
	}

	// A router that does not answer: the test says so in words; its walled
	// garden is edited all the same.
	site := createSite(t, e, map[string]any{"name": "Pool bar", "host": "127.0.0.1", "port": 1, "username": "api", "password": "pw"})["id"].(string)
	uiStep(t, ctx, chromedp.Evaluate[chromedp.Void](`location.hash = "#/sites/`+site+`"`), chromedp.WaitVisible(chromedp.CSS(`.facts`)))
	uiClick(t, ctx, "Test connection")
	uiStep(t, ctx, chromedp.WaitVisible(chromedp.CSS(`.sync-result .alert-error`)))
	if got := uiText(t, ctx, ".sync-result"); !strings.Contains(got, "offline") && !strings.Contains(got, "could not be reached") {
		t.Errorf("testing an unreachable router says %q", got)
	}
	uiSet(t, ctx, "ip_address", "booking.example.com")
	uiStep(t, ctx, chromedp.SendKeys(chromedp.CSS(`.inline-form input[name=name]`), "Booking"))
	uiClick(t, ctx, "Add entry")
	uiWait(t, ctx, ".panel .table", "booking.example.com")
	var garden []map[string]any
	e.admin(http.MethodGet, "/captive/walled-garden/"+site, nil).json(t, &garden)
	if len(garden) != 1 || garden[0]["host"] != "booking.example.com" {
		t.Fatalf("walled garden after the form: %v", garden)
	}
	uiStep(t, ctx, chromedp.Click(chromedp.CSS(`button[aria-label="Delete Booking"]`)),
		chromedp.WaitVisible(chromedp.CSS(`dialog[open]`)),
		chromedp.Click(chromedp.CSS(`dialog[open] button[value=ok]`)))
	uiWait(t, ctx, "main", "No entries")
	e.admin(http.MethodGet, "/captive/walled-garden/"+site, nil).json(t, &garden)
	if len(garden) != 0 {
		t.Errorf("walled garden after Delete: %v", garden)
	}

	// A token is shown once, and it works.
	uiNav(t, ctx, "tokens")
	uiSet(t, ctx, "name", "backup")
	uiClick(t, ctx, "Create token")
	uiWait(t, ctx, ".token-once", "shown only this once")
	bearer := run(t, ctx, chromedp.Evaluate[string](`document.querySelector(".token-once input").value`))
	wantStatus(t, e.call(http.MethodGet, "/auth/me", "Bearer "+bearer, nil), http.StatusOK)

	// The session ends elsewhere: the next call goes back to the sign-in.
	session := run(t, ctx, chromedp.Evaluate[string](`sessionStorage.getItem("gatehouse.token")`))
	wantStatus(t, e.call(http.MethodPost, "/auth/logout", "Bearer "+session, nil), http.StatusNoContent)
	uiStep(t, ctx, chromedp.Click(chromedp.CSS(`#nav a[data-route="sites"]`)))
	uiWait(t, ctx, "main", "Your session ended, sign in again")
	if got := run(t, ctx, chromedp.Evaluate[bool](`!!document.querySelector("input[name=password]")`)); !got {
		t.Error("no sign-in form after the session ended")
	}
}

// TestAdminBrowserKeyboard uses the page without a mouse: sign in with the
// keyboard, reach the menu with Tab and open Guests online with Enter. On
// every view a clerk uses, every control can take the focus and has a
// name a screen reader can say.
func TestAdminBrowserKeyboard(t *testing.T) {
	chrome := needChromium(t)
	e := newEnv(t, "")
	password := e.createAdmin("desk", app.RoleFrontdesk)
	fake, site, inst := routerSite(t, e)
	var coupons []map[string]any
	e.admin(http.MethodPost, "/captive/instances/"+inst+"/coupons", map[string]any{"count": 1, "minutes_valid": 60}).json(t, &coupons)
	fake.AddRow("/ip/hotspot/active", map[string]string{"user": coupons[0]["code"].(string), "address": "10.5.50.9",
		"mac-address": "AA:BB:CC:00:00:09", "uptime": "5m"})
	wantStatus(t, e.admin(http.MethodPost, "/captive/sites/"+site+"/sync", nil), http.StatusOK)
	browser := newBrowser(t, chrome, e.srv.URL)
	ctx := uiTab(t, browser, 1280, 800)

	uiStep(t, ctx, chromedp.Navigate(uiURL), chromedp.WaitVisible(chromedp.CSS(`input[name=username]`)))
	if got := run(t, ctx, chromedp.Evaluate[string](`document.activeElement.name || ""`)); got != "username" {
		t.Fatalf("focus starts on %q, want the user name field", got)
	}
	uiStep(t, ctx, chromedp.KeyEvent("desk"+kb.Tab+password+kb.Enter), chromedp.WaitVisible(chromedp.CSS(`.topbar`)))
	uiWait(t, ctx, "h1", "Generate and print coupons")

	// Tab until the menu link of Guests online has the focus, then Enter.
	reached := false
	for range 40 {
		uiStep(t, ctx, chromedp.KeyEvent(kb.Tab))
		if run(t, ctx, chromedp.Evaluate[string](`document.activeElement.textContent.trim()`)) == "Guests online" {
			reached = true
			break
		}
	}
	if !reached {
		t.Fatal("Tab never reached the Guests online menu link")
	}
	uiStep(t, ctx, chromedp.KeyEvent(kb.Enter))
	uiWait(t, ctx, "h1", "Guests online")

	uiNamedControls(t, ctx, "#/guests", "#/coupons")

	// An admin's views, forms included.
	admin := uiTab(t, browser, 1280, 800)
	uiSignIn(t, admin, "boss", e.createAdmin("boss", app.RoleAdmin))
	uiNamedControls(t, admin, "#/dashboard", "#/sites", "#/sites/new", "#/sites/"+site, "#/instances", "#/instances/"+inst,
		"#/schedules", "#/notifications", "#/integrations", "#/tokens", "#/print?instance="+inst)
}

// TestAdminBrowserDownloads saves what the page offers as files: the
// coupon list as CSV (the same codes the API lists) and a site's
// login.html (the file the router needs, pointing at this portal).
func TestAdminBrowserDownloads(t *testing.T) {
	chrome := needChromium(t)
	e := newEnv(t, "")
	_, _, inst := routerSite(t, e)
	var coupons []map[string]any
	e.admin(http.MethodPost, "/captive/instances/"+inst+"/coupons", map[string]any{"count": 3, "minutes_valid": 60}).json(t, &coupons)
	browser := newBrowser(t, chrome, e.srv.URL)
	ctx := uiTab(t, browser, 1280, 800)
	dir := uiDownloads(t, ctx)
	uiSignIn(t, ctx, "boss", e.createAdmin("boss", app.RoleAdmin))

	uiStep(t, ctx, chromedp.Evaluate[chromedp.Void](`location.hash = "#/coupons?instance=`+inst+`"`))
	uiWait(t, ctx, "main", coupons[0]["code"].(string))
	uiClick(t, ctx, "Export CSV")
	csv := uiDownloaded(t, dir, ".csv")
	for _, c := range coupons {
		if !strings.Contains(csv, c["code"].(string)) {
			t.Errorf("CSV lacks coupon %s:\n%s", c["code"], csv)
		}
	}

	uiStep(t, ctx, chromedp.Evaluate[chromedp.Void](`location.hash = "#/instances/`+inst+`"`))
	uiWait(t, ctx, "main", "Download login.html")
	uiClick(t, ctx, "Download login.html for Lobby")
	html := uiDownloaded(t, dir, ".html")
	if !strings.Contains(html, "/portal/"+inst) {
		t.Errorf("login.html does not send guests to the portal:\n%s", html)
	}
}
