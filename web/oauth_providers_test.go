package web_test

import (
	"crypto/md5"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gatehouse/app"
)

func TestOAuthAzureAPILogin(t *testing.T) {
	o := newOAuthEnv(t, "azure", "common")
	guestSubnet(t, o.env, o.inst, o.site, "127.0.0.0/8") // the test's browser is a guest of the site
	// The guest's device, as the router's hotspot knows it, and an
	// attacker's device on the same hotspot.
	o.fake.AddRow("/ip/hotspot/host", map[string]string{"address": "127.0.0.1", "mac-address": "AA:BB:CC:00:00:09", "server": "hotspot1"})
	o.fake.AddRow("/ip/hotspot/host", map[string]string{"address": "10.5.50.66", "mac-address": "AA:AA:AA:AA:AA:66", "server": "hotspot1"})
	// Opened without link-login-only, from a link the attacker made with
	// their own device's address and MAC: gatehouse logs in the device the
	// sign-in finished on (the connection's address, the router's MAC).
	params := url.Values{"site": {o.site}, "mac": {"AA:AA:AA:AA:AA:66"}, "ip": {"10.5.50.66"}}
	_, res := o.signIn(newGuestBrowser(t), params, nil)
	wantBody(t, res, http.StatusOK, "You are online", "1h 00m")
	active := o.fake.Rows("/ip/hotspot/active")
	users := o.guestUsers()
	if len(active) != 1 || len(users) != 1 || active[0]["user"] != users[0]["name"] || active[0]["address"] != "127.0.0.1" ||
		active[0]["mac-address"] != "AA:BB:CC:00:00:09" {
		t.Fatalf("router sessions %v, users %v; want the guest's own device only", active, users)
	}
	o.sync()
	su := o.siteUsers()
	if len(su) != 1 || su[0]["active"] != true || su[0]["identity"] != "alice@example.com" {
		t.Fatalf("site users = %v", su)
	}
	if !hasGardenHost(o.fake.Rows("/ip/hotspot/walled-garden"), "login.microsoftonline.com", "gatehouse:idp-azure:login.microsoftonline.com") {
		t.Fatalf("walled garden lacks Microsoft: %v", o.fake.Rows("/ip/hotspot/walled-garden"))
	}
}

func TestOAuthAzureIssuerChecks(t *testing.T) {
	for _, tc := range []struct {
		name, tenant string
		knob         func(p *testIdP)
		ok           bool
	}{
		{"common, any tenant", "common", func(p *testIdP) {}, true},
		{"common, issuer of another tenant", "common", func(p *testIdP) {
			p.issuer = p.srv.URL + "/azure/11111111-2222-3333-4444-555555555555/v2.0"
		}, false},
		{"common, issuer of another authority", "common", func(p *testIdP) {
			p.issuer = "https://login.example.net/" + p.tid + "/v2.0"
		}, false},
		{"common, tid not a tenant id", "common", func(p *testIdP) { p.tid = "contoso" }, false},
		{"organizations refuses personal accounts", "organizations", func(p *testIdP) { p.tid = "9188040d-6c67-4c5b-b112-36a304b66dad" }, false},
		{"organizations, work account", "organizations", func(p *testIdP) {}, true},
		{"one tenant, its user", "6f1d0a7e-2c1b-4b7e-9a51-0c7f3d2e1a90", func(p *testIdP) {}, true},
		{"one tenant, another tenant's user", "6f1d0a7e-2c1b-4b7e-9a51-0c7f3d2e1a90", func(p *testIdP) {
			p.tid = "11111111-2222-3333-4444-555555555555"
		}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := newOAuthEnv(t, "azure", tc.tenant)
			o.idp.set(tc.knob)
			_, res := o.signIn(newGuestBrowser(t), o.routerParams(), nil)
			if tc.ok {
				wantHandOff(t, res)
				return
			}
			wantBody(t, res, http.StatusBadGateway, "could not be completed")
			o.nothingGranted()
		})
	}
}

func TestOAuthGitHubCHAP(t *testing.T) {
	o := newOAuthEnv(t, "github", "")
	params := o.routerParams()
	params.Set("chap-id", `\021`)
	params.Set("chap-challenge", `\357\022\000\377abc`)
	_, res := o.signIn(newGuestBrowser(t), params, nil)
	q := wantHandOff(t, res)
	users := o.guestUsers()
	if len(users) != 1 || q.Get("username") != users[0]["name"] {
		t.Fatalf("router users %v, hand-off %s", users, res.body)
	}
	// The router asked for CHAP: the form carries the hash, not the password.
	h := md5.New()
	h.Write([]byte{0o21})
	h.Write([]byte(users[0]["password"]))
	h.Write([]byte{0o357, 0o22, 0, 0o377, 'a', 'b', 'c'})
	if got := q.Get("password"); got != hex.EncodeToString(h.Sum(nil)) {
		t.Fatalf("CHAP password = %q, want md5(id, password, challenge)", got)
	}
	if su := o.siteUsers(); len(su) != 1 || su[0]["identity"] != "alice@example.com" {
		t.Fatalf("site users = %v", su)
	}

	// Without a verified primary address the login identifies the guest.
	o.idp.set(func(p *testIdP) { p.verified = false })
	params.Set("mac", "AA:BB:CC:00:00:02")
	_, res = o.signIn(newGuestBrowser(t), params, nil)
	wantHandOff(t, res)
	found := false
	for _, u := range o.siteUsers() {
		found = found || u["identity"] == "octocat"
	}
	if !found {
		t.Fatalf("site users = %v, want one identified as octocat", o.siteUsers())
	}
	if !hasGardenHost(o.fake.Rows("/ip/hotspot/walled-garden"), "github.com", "gatehouse:idp-github:github.com") {
		t.Fatalf("walled garden lacks GitHub: %v", o.fake.Rows("/ip/hotspot/walled-garden"))
	}
}

func TestOAuthTestLink(t *testing.T) {
	o := newOAuthEnv(t, "google", "")
	testURL := o.admin(http.MethodGet, "/captive/auth-integrations/"+o.integ, nil).object(t)["test_url"].(string)
	if !strings.HasPrefix(testURL, o.base+"/oauth2/test/"+o.integ+"?") {
		t.Fatalf("test_url = %s", testURL)
	}
	b := newGuestBrowser(t)
	// A changed signature is refused before anything happens.
	wantError(t, b.get(strings.Replace(testURL, "signature=", "signature=x", 1), o.base), http.StatusForbidden, app.ReasonSignatureInvalid, "")

	start := b.get(testURL, o.base)
	wantStatus(t, start, http.StatusFound)
	atIdP := b.get(start.header.Get("Location"), o.base)
	wantStatus(t, atIdP, http.StatusFound)
	res := b.get(atIdP.header.Get("Location"), o.base)
	wantBody(t, res, http.StatusOK, "Sign-in test: Staff google", "no network access was granted",
		`<td id="identity">alice@example.com</td>`, "google-sub-1", "<th>aud</th>", "<th>nonce</th>", "<th>email_verified</th>")
	o.nothingGranted()

	// GitHub's test shows the user and e-mail documents.
	g := newOAuthEnv(t, "github", "")
	testURL = g.admin(http.MethodGet, "/captive/auth-integrations/"+g.integ, nil).object(t)["test_url"].(string)
	b = newGuestBrowser(t)
	start = b.get(testURL, g.base)
	atIdP = b.get(start.header.Get("Location"), g.base)
	res = b.get(atIdP.header.Get("Location"), g.base)
	wantBody(t, res, http.StatusOK, `<td id="identity">alice@example.com</td>`, "octocat", "<th>emails</th>")
	g.nothingGranted()
}

func TestOAuthWalledGardenFollowsInstances(t *testing.T) {
	o := newOAuthEnv(t, "google", "")
	o.sync()
	if !hasGardenHost(o.fake.Rows("/ip/hotspot/walled-garden"), "accounts.google.com", "gatehouse:idp-google:accounts.google.com") {
		t.Fatalf("walled garden lacks Google: %v", o.fake.Rows("/ip/hotspot/walled-garden"))
	}
	// No instance on the site signs in with Google any more: the hosts go.
	wantStatus(t, o.admin(http.MethodPut, "/captive/instances/"+o.inst, map[string]any{"strategy": "coupon"}), http.StatusOK)
	o.sync()
	for _, menu := range []string{"/ip/hotspot/walled-garden", "/ip/hotspot/walled-garden/ip"} {
		for _, r := range o.fake.Rows(menu) {
			if strings.HasPrefix(r["comment"], "gatehouse:idp-") {
				t.Fatalf("%s keeps %v after the switch to coupons", menu, r)
			}
		}
	}
}
