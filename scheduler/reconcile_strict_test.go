package scheduler_test

import (
	"strings"
	"testing"
	"time"

	"gatehouse/app"
	"gatehouse/routeros/routerostest"
)

// Reconcile end to end against the fake router's documented menus
// (docs/routeros.md §2, §5): profiles owned by name, walled garden by
// address and by name with the router's dynamic rows present, identity
// providers on TCP 443 only, no detection host ever, and nobody else's
// items touched.

const (
	menuUser     = "/ip/hotspot/user"
	menuProfile  = "/ip/hotspot/user/profile"
	menuGarden   = "/ip/hotspot/walled-garden"
	menuGardenIP = "/ip/hotspot/walled-garden/ip"
)

// oauthInstances adds one oauth2 instance per provider on the rig's site.
func (r *rig) oauthInstances() []app.Instance {
	r.t.Helper()
	var out []app.Instance
	for _, provider := range []string{app.ProviderGoogle, app.ProviderGitHub, app.ProviderAzure} {
		a := app.AuthIntegration{Name: provider, Type: provider, ClientID: "id-" + provider, ClientSecret: "secret"}
		if provider == app.ProviderAzure {
			a.Tenant = "organizations"
		}
		a, err := r.store.CreateAuthIntegration(r.t.Context(), a)
		if err != nil {
			r.t.Fatal(err)
		}
		in := app.NewInstance()
		in.Name, in.Strategy, in.SessionTTL, in.AuthIntegrationID = "Staff "+provider, app.StrategyOAuth2, 7200, a.ID
		in.Sites = []app.InstanceSite{{ID: r.site.ID}}
		if in, err = r.store.CreateInstance(r.t.Context(), in); err != nil {
			r.t.Fatal(err)
		}
		out = append(out, in)
	}
	return out
}

// snapshot renders rows for comparison, without .id.
func snapshot(rows []map[string]string) string {
	var b strings.Builder
	for _, row := range rows {
		for _, k := range []string{"name", "comment", "dst-host", "dst-address", "protocol", "dst-port", "action", "dynamic", "profile"} {
			b.WriteString(k + "=" + row[k] + " ")
		}
		b.WriteString("\n")
	}
	return b.String()
}

func TestReconcileOnDocumentedRouter(t *testing.T) {
	r := newRig(t, 2*time.Second)
	// Someone else's items, made by hand on the router.
	r.router.AddRow(menuProfile, map[string]string{"name": "staff-1d", "shared-users": "3", "session-timeout": "1d"})
	r.router.AddRow(menuProfile, map[string]string{"name": "gatehouse", "shared-users": "2"}) // no dash: not ours
	r.router.AddRow(menuUser, map[string]string{"name": "staff", "password": "x", "profile": "staff-1d", "comment": "front desk"})
	r.router.AddRow(menuGarden, map[string]string{"dst-host": "intranet.example", "comment": "hotel intranet"})
	r.router.AddRow(menuGardenIP, map[string]string{"dst-address": "192.0.2.80", "comment": "printer"})
	foreignProfiles := snapshot(r.router.Rows(menuProfile))

	coupons := r.coupons(20)
	oauth := r.oauthInstances()
	byIP, err := r.store.CreateWalledGardenEntry(t.Context(), app.WalledGardenEntry{SiteID: r.site.ID, Name: "Payments", IPAddress: "203.0.113.0/24"})
	if err != nil {
		t.Fatal(err)
	}
	byName, err := r.store.CreateWalledGardenEntry(t.Context(), app.WalledGardenEntry{SiteID: r.site.ID, Name: "Menu", Host: "menu.example.org"})
	if err != nil {
		t.Fatal(err)
	}
	r.converge()
	r.wantUsers(coupons, "staff")

	// Profiles: one per instance, by name, without a comment (the fake
	// refuses one), and the foreign ones as they were.
	owned := 0
	for _, row := range r.router.Rows(menuProfile) {
		if strings.HasPrefix(row["name"], app.ProfilePrefix) {
			owned++
		}
	}
	if owned != 1+len(oauth) {
		t.Fatalf("%d gatehouse profiles on the router, want %d: %v", owned, 1+len(oauth), r.router.Rows(menuProfile))
	}

	// The walled garden: no detection host at either level; provider
	// rules on TCP 443; the router's dynamic rows beside our static ones.
	dynamic := 0
	for _, menu := range []string{menuGarden, menuGardenIP} {
		for _, row := range r.router.Rows(menu) {
			if p, ok := app.ProbeLetThrough(row["dst-host"]); row["dst-host"] != "" && ok {
				t.Errorf("%s lets the detection host %s through: %v", menu, p, row)
			}
			if row["dynamic"] == "true" {
				dynamic++
				continue
			}
			if menu == menuGardenIP && strings.HasPrefix(row["comment"], app.CommentPrefix+"idp-") &&
				(row["protocol"] != "tcp" || row["dst-port"] != "443") {
				t.Errorf("provider rule not limited to tcp/443: %v", row)
			}
		}
	}
	if dynamic == 0 {
		t.Fatalf("no dynamic walled-garden rows: the fake should resolve dst-host rules")
	}
	wantComments := map[string]bool{
		app.WalledGardenComment(byIP.ID):                                                    false,
		app.WalledGardenComment(byName.ID) + "/host":                                        false,
		app.ProviderGardenComment(app.ProviderGoogle, "accounts.google.com") + "/host":      false,
		app.ProviderGardenComment(app.ProviderGitHub, "github.com") + "/host":               false,
		app.ProviderGardenComment(app.ProviderAzure, "login.microsoftonline.com") + "/host": false,
	}
	for _, row := range r.router.Rows(menuGardenIP) {
		if _, ok := wantComments[row["comment"]]; ok && row["dynamic"] != "true" {
			wantComments[row["comment"]] = true
		}
	}
	for c, seen := range wantComments {
		if !seen {
			t.Errorf("no static IP-level rule with comment %s", c)
		}
	}

	// A second pass changes nothing, dynamic rows and all.
	before := snapshot(r.router.Rows(menuGardenIP)) + snapshot(r.router.Rows(menuGarden))
	res, err := r.rec.Sync(t.Context(), r.site.ID)
	if err != nil || res.Added+res.Updated+res.Removed != 0 || len(res.Errors) != 0 {
		t.Fatalf("second pass: %+v, %v; want no change", res, err)
	}
	if after := snapshot(r.router.Rows(menuGardenIP)) + snapshot(r.router.Rows(menuGarden)); after != before {
		t.Fatalf("second pass changed the walled garden:\n%s\nwas\n%s", after, before)
	}

	// Deleting the entries removes their static rows and the router's
	// dynamic ones with them.
	for _, e := range []app.WalledGardenEntry{byIP, byName} {
		if err := r.store.DeleteWalledGardenEntry(t.Context(), r.site.ID, e.ID); err != nil {
			t.Fatal(err)
		}
	}
	r.converge()
	for _, menu := range []string{menuGarden, menuGardenIP} {
		for _, row := range r.router.Rows(menu) {
			c := row["comment"]
			if strings.HasPrefix(c, app.WalledGardenComment(byIP.ID)) || strings.HasPrefix(c, app.WalledGardenComment(byName.ID)) {
				t.Errorf("%s: row of a deleted entry left: %v", menu, row)
			}
		}
	}

	// Someone else's items are as they were.
	if got := snapshot(r.router.Rows(menuProfile)); !strings.Contains(got, "name=staff-1d") || !strings.Contains(got, "name=gatehouse comment") {
		t.Errorf("foreign profiles changed:\n%s\nwas\n%s", got, foreignProfiles)
	}
	foreign := map[string]string{menuGarden: "hotel intranet", menuGardenIP: "printer", menuUser: "front desk"}
	for menu, comment := range foreign {
		n := 0
		for _, row := range r.router.Rows(menu) {
			if row["comment"] == comment {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%s: %d rows with comment %q, want the one made by hand", menu, n, comment)
		}
	}
}

// TestUnknownParameterNamesMenu: a router that does not know a property
// gatehouse sends (an older RouterOS, say) refuses the item with a bare
// "unknown parameter". The site's last error names the menu and the
// properties sent, and the rest of the pass (here the walled garden) still
// reaches the router.
func TestUnknownParameterNamesMenu(t *testing.T) {
	r := newRig(t, 2*time.Second)
	r.router.FailWhen(func(cmd string, _ map[string]string) *routerostest.Trap {
		if cmd == menuProfile+"/add" {
			return &routerostest.Trap{Message: "unknown parameter"}
		}
		return nil
	})
	r.coupons(3)
	if _, err := r.store.CreateWalledGardenEntry(t.Context(), app.WalledGardenEntry{SiteID: r.site.ID, Name: "Pay", IPAddress: "203.0.113.9"}); err != nil {
		t.Fatal(err)
	}
	res, err := r.rec.Sync(t.Context(), r.site.ID)
	if err != nil || len(res.Errors) == 0 {
		t.Fatalf("pass: %+v, %v; want refusals", res, err)
	}
	site, err := r.store.Site(t.Context(), r.site.ID)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("last_error: %s", site.Status.LastError)
	if tx := site.Status.LastErrorText; tx == nil || tx.Key != "router.changes_refused" || tx.English() != site.Status.LastError {
		t.Errorf("last error text = %+v, want router.changes_refused", tx)
	}
	for _, want := range []string{menuProfile, "unknown parameter", "session-timeout", "shared-users", app.ProfileName(r.instance.ID)} {
		if !strings.Contains(site.Status.LastError, want) {
			t.Errorf("last_error %q does not mention %q", site.Status.LastError, want)
		}
	}
	pushed := false
	for _, row := range r.router.Rows(menuGardenIP) {
		if row["dst-address"] == "203.0.113.9" {
			pushed = true
		}
	}
	if !pushed {
		t.Errorf("the walled garden did not reach the router while the profile was refused")
	}
}
