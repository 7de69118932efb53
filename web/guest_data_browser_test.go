package web_test

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"gatehouse/app"
	"gatehouse/routeros/routerostest"
)

// TestGuestDataBrowser is a guest's privacy request and a router someone
// else edited, in a real browser. A phone logs in through the portal,
// accepting the terms; the admin finds its MAC under Guest data (the
// session, the consent, the exact terms text in a dialog), is refused the
// erasure in words while the guest is online, and erases once the guest
// logged out and the code is revoked: the view then shows "anonymized".
// Then someone edits a hotspot user's limit-uptime on the router and
// removes a walled-garden row: Sync now's dry run lists exactly those two
// changes, the pass repairs them, and the site shows drift 2. Last, a code
// that moved to a new device shows so in the guests online. Screenshots
// of the guest data view, the dry run and the guests list go to
// $GATEHOUSE_SCREENSHOTS, or to a temporary directory.
func TestGuestDataBrowser(t *testing.T) {
	chrome := needChromium(t)
	e := newEnv(t, "")
	password := e.createAdmin("alice", app.RoleAdmin)
	fake, site, inst := routerSite(t, e)
	const terms = "Be kind to other guests.\nNo file sharing."
	wantStatus(t, e.admin(http.MethodPut, "/captive/instances/"+inst, map[string]any{"name": "Seaside Hotel", "terms_text": terms,
		"sites": []any{map[string]any{"id": site, "subnets": []any{"127.0.0.0/8"}}}}), http.StatusOK)
	waitHotspotHost(t, e, site, "10.5.50.1")
	var coupons []map[string]any
	e.admin(http.MethodPost, "/captive/instances/"+inst+"/coupons", map[string]any{"count": 1, "minutes_valid": 60}).json(t, &coupons)
	code := coupons[0]["code"].(string)
	const mac = "AA:BB:CC:00:00:42"
	fake.AddRow("/ip/hotspot/host", map[string]string{"address": "127.0.0.1", "mac-address": mac})
	dir := screenshotDir(t)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	browser := newBrowser(t, chrome, e.srv.URL)

	// The guest's phone logs in through the portal, ticking the terms.
	phoneTab := openPortal(t, browser, inst, url.Values{"site": {site}})
	fill(t, phoneTab, code, true)
	do(t, phoneTab, chromedp.Click(chromedp.CSS("button[type=submit]")), chromedp.WaitVisible(chromedp.CSS(".online")))
	if _, err := e.reconciler.Sync(t.Context(), site); err != nil { // the router reports the session
		t.Fatal(err)
	}

	// The admin finds everything held about the phone.
	ctx := uiTab(t, browser, 1280, 800)
	uiSignIn(t, ctx, "alice", password)
	uiNav(t, ctx, "guest-data")
	uiWait(t, ctx, "main", "90 days after the session ended")
	guestShots(t, ctx, dir, "guest-data-start", "")
	findGuest(t, ctx, strings.ToLower(mac))
	uiWait(t, ctx, ".guest-summary", "Found 1 session, 1 code, 1 consent")
	sessions := uiText(t, ctx, ".guest-section")
	for _, want := range []string{"Lobby", code, "online", mac, "127.0.0.1"} {
		if !strings.Contains(sessions, want) {
			t.Errorf("the sessions read %q, want %q in them", sessions, want)
		}
	}
	consent := run(t, ctx, chromedp.Evaluate[string](`[...document.querySelectorAll(".guest-section")].find(s => s.querySelector("h3").textContent === "Consents").textContent`))
	if !strings.Contains(consent, code) || !strings.Contains(consent, "English") || !strings.Contains(consent, mac) {
		t.Errorf("the consents read %q, want the code, English and the MAC", consent)
	}
	uiStep(t, ctx, chromedp.Click(chromedp.CSS(`.guest-section button[data-terms]`)), chromedp.WaitVisible(chromedp.CSS(`dialog[open] .terms-text`)))
	if got := uiText(t, ctx, "dialog[open] .terms-text"); got != terms {
		t.Errorf("the terms dialog shows %q, want the exact text %q", got, terms)
	}
	shot(t, ctx, dir, "guest-terms", [2]int64{1280, 800})
	uiStep(t, ctx, chromedp.Click(chromedp.CSS(`dialog[open] button[value=cancel]`)), chromedp.WaitNotPresent(chromedp.CSS(`dialog`)))
	if got := uiText(t, ctx, "#toast"); strings.Contains(got, "went wrong") {
		t.Errorf("the page says %q", got)
	}
	guestShots(t, ctx, dir, "guest-data", `document.querySelector(".guest-result").scrollIntoView()`)

	// Erasure while the guest is online: refused, in words.
	uiClick(t, ctx, "Erase this guest's data")
	uiWait(t, ctx, "dialog[open]", "replaced now by a keyed hash")
	if got := uiText(t, ctx, "dialog[open]"); !strings.Contains(got, "Times, data used and counts stay") || !strings.Contains(got, "cannot be undone") {
		t.Errorf("the erase dialog reads %q, want what stays and that it cannot be undone", got)
	}
	uiDialogOK(t, ctx)
	uiWait(t, ctx, ".erase-box .alert-error", "This guest is online at a site now; disconnect the session first.")

	// The guest logs out, the code is revoked: erased.
	for _, a := range fake.Rows("/ip/hotspot/active") {
		fake.RemoveRow("/ip/hotspot/active", a[".id"])
	}
	if _, err := e.reconciler.Sync(t.Context(), site); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, e.admin(http.MethodDelete, "/captive/instances/"+inst+"/coupons/"+coupons[0]["id"].(string), nil), http.StatusNoContent)
	uiClick(t, ctx, "Erase this guest's data")
	uiDialogOK(t, ctx)
	uiWait(t, ctx, "#toast", "Erased: 3 records anonymized.")
	uiWait(t, ctx, ".guest-result", "Records marked “anonymized”")
	after := run(t, ctx, chromedp.Evaluate[string](`[...document.querySelectorAll(".guest-section")].map(s => s.textContent).join("\n")`))
	if strings.Contains(after, mac) || strings.Contains(after, "127.0.0.1") || strings.Contains(after, "anon:") || !strings.Contains(after, "anonymized") {
		t.Errorf("after the erasure the sections read %q, want anonymized in place of the MAC and IP", after)
	}
	guestShots(t, ctx, dir, "guest-data-erased", `document.querySelector(".guest-result").scrollIntoView()`)

	// The portal's consent receipts.
	uiStep(t, ctx, chromedp.Evaluate[chromedp.Void](`location.hash = "#/instances/`+inst+`"`))
	uiWait(t, ctx, "main", "Consent receipts")
	uiWait(t, ctx, ".panel .table", code)
	guestShots(t, ctx, dir, "consents", `[...document.querySelectorAll(".panel h2")].find(h => h.textContent === "Consent receipts").scrollIntoView()`)

	// Someone edits the router behind gatehouse's back.
	changed := driftRouter(t, e, fake, inst, site)
	uiStep(t, ctx, chromedp.Evaluate[chromedp.Void](`location.hash = "#/sites/`+site+`"`))
	uiWait(t, ctx, ".drift-note", "never")
	uiClick(t, ctx, "Sync now")
	uiWait(t, ctx, "dialog[open] h2", "The router differs in 2 places")
	items := run(t, ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("dialog[open] .dry-change")].map(c => c.closest(".dry-menu").querySelector("h3").textContent + " | " + [c.querySelector(".badge"), c.querySelector(".dry-item .mono"), ...c.querySelectorAll(".dry-attrs li")].map(el => el.textContent).join(" "))`))
	want := []string{"Hotspot users (1) | change " + changed + " limit-uptime: 5h → 1h", "Walled garden (addresses) (1) | add 203.0.113.0/24"}
	if strings.Join(items, "\n") != strings.Join(want, "\n") {
		t.Errorf("the dry run lists\n%s\nwant\n%s", strings.Join(items, "\n"), strings.Join(want, "\n"))
	}
	for _, size := range [][2]int64{{1280, 800}, {390, 844}} {
		uiResize(t, ctx, size)
		shot(t, ctx, dir, "dry-run", size)
	}
	uiResize(t, ctx, [2]int64{1280, 800})
	uiDialogOK(t, ctx)
	uiWait(t, ctx, ".sync-result", "Changes on the router: 1 added, 1 updated.")
	uiWait(t, ctx, ".drift-note", "2 times — repaired")
	if st := e.admin(http.MethodGet, "/captive/sites/"+site, nil).object(t)["status"].(map[string]any); st["drift_count"] != float64(2) {
		t.Errorf("drift_count = %v, want 2", st["drift_count"])
	}
	uiStep(t, ctx, chromedp.Click(chromedp.CSS(`.drift-log summary`)))
	uiWait(t, ctx, ".drift-events", "Hotspot users: "+changed+" changed (limit-uptime)")
	uiWait(t, ctx, ".drift-events", "203.0.113.0/24 removed")
	guestShots(t, ctx, dir, "site-drift", "")
	// With nothing left to repair, the dialog says so and offers a sync anyway.
	uiClick(t, ctx, "Sync now")
	uiWait(t, ctx, "dialog[open] h2", "The router matches gatehouse")
	uiStep(t, ctx, chromedp.Click(chromedp.CSS(`dialog[open] button[value=cancel]`)), chromedp.WaitNotPresent(chromedp.CSS(`dialog`)))

	// A code moves to the phone's new private address.
	moved := movedGuest(t, e, fake, inst, site)
	uiNav(t, ctx, "guests")
	uiWait(t, ctx, ".table", "Moved from another device 1× today")
	row := run(t, ctx, chromedp.Evaluate[string](`[...document.querySelectorAll(".table tbody tr")].find(r => r.textContent.includes("`+moved+`")).textContent`))
	if !strings.Contains(row, "left") || !strings.Contains(row, "AA:00:00:00:00:02") {
		t.Errorf("the moved guest's row reads %q, want the data left and the new MAC", row)
	}
	uiStep(t, ctx, chromedp.Click(chromedp.CSS(`details.moves summary`)))
	uiWait(t, ctx, "details.moves[open] li", "AA:00:00:00:00:01 until ")
	guestShots(t, ctx, dir, "guests-moved", "")
	uiNamedControls(t, ctx, "#/guests", "#/guest-data", "#/instances/"+inst, "#/sites/"+site)
}

// findGuest types query into the Guest data search and presses Find.
func findGuest(t *testing.T, ctx context.Context, query string) {
	t.Helper()
	uiSet(t, ctx, "q", query)
	uiClick(t, ctx, "Find")
}

// guestShots takes screenshots of the page as it is at 1280×800 and
// 390×844, each after running prep ("" for none), and no wider than the
// phone; then the tab is 1280×800 again.
func guestShots(t *testing.T, ctx context.Context, dir, name, prep string) {
	t.Helper()
	for _, size := range [][2]int64{{1280, 800}, {390, 844}} {
		uiResize(t, ctx, size)
		uiStep(t, ctx, chromedp.Evaluate[chromedp.Void](`document.getElementById("toast").textContent = ""`))
		if prep != "" {
			uiStep(t, ctx, chromedp.Evaluate[chromedp.Void](prep))
		}
		if w := run(t, ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > int(size[0]) {
			t.Errorf("%s at %d×%d is %d px wide", name, size[0], size[1], w)
		}
		shot(t, ctx, dir, name, size)
	}
	uiResize(t, ctx, [2]int64{1280, 800})
}

// driftRouter brings the site's router in step with two new codes and a
// walled-garden entry (the pass gatehouse remembers), then edits the
// limit-uptime of a code's user and removes the entry's row, as someone
// in WinBox would. It returns the code whose user was edited.
func driftRouter(t *testing.T, e *env, fake *routerostest.Router, inst, site string) string {
	t.Helper()
	var coupons []map[string]any
	e.admin(http.MethodPost, "/captive/instances/"+inst+"/coupons", map[string]any{"count": 2, "minutes_valid": 60}).json(t, &coupons)
	wantStatus(t, e.admin(http.MethodPost, "/captive/walled-garden/"+site, map[string]any{"name": "Payments", "ip_address": "203.0.113.0/24"}), http.StatusCreated)
	settleRouter(t, e, site)
	code := coupons[0]["code"].(string)
	editBehindGatehouse(fake, code)
	return code
}

// movedGuest logs a phone in through the portal with a new code of a
// 500 MB plan, then again from the phone's new MAC address, so the code
// moves; a pass records the session with its data. It returns the code.
func movedGuest(t *testing.T, e *env, fake *routerostest.Router, inst, site string) string {
	t.Helper()
	plan := createPlan(t, e, map[string]any{"name": "Day pass", "session_minutes": 60, "data_limit_mb": 500})
	var coupons []map[string]any
	e.admin(http.MethodPost, "/captive/instances/"+inst+"/coupons", map[string]any{"count": 1, "plan_id": plan["id"]}).json(t, &coupons)
	code := coupons[0]["code"].(string)
	for _, mac := range []string{"AA:00:00:00:00:01", "AA:00:00:00:00:02"} {
		phone(fake, mac)
		body := string(e.form("/portal/"+inst+"/login", url.Values{"code": {code}, "site": {site}, "accept_terms": {"yes"}}, nil).body)
		if !strings.Contains(body, "You are online") {
			t.Fatalf("login from %s: %s", mac, body)
		}
	}
	for _, a := range fake.Rows("/ip/hotspot/active") {
		if a["user"] == code {
			fake.SetRow("/ip/hotspot/active", a[".id"], map[string]string{"bytes-in": "20000000", "bytes-out": "100000000"})
		}
	}
	if _, err := e.reconciler.Sync(t.Context(), site); err != nil {
		t.Fatal(err)
	}
	return code
}
