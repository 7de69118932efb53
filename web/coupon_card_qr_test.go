package web_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gatehouse/app"
)

// siteWithHotspot stores a site whose router reported its hotspot login
// page at hosts (none: not known yet), as a reconcile pass records it.
func siteWithHotspot(t *testing.T, e *env, name string, hosts ...string) string {
	t.Helper()
	site, err := e.store.CreateSite(t.Context(), app.Site{Name: name, Host: "192.0.2.1", Username: "api"})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.store.SetSiteStatus(t.Context(), site.ID, app.SiteStatus{State: app.SiteOnline, HotspotHosts: hosts}); err != nil {
		t.Fatal(err)
	}
	return site.ID
}

// TestCouponCardQRLink: a card's QR code opens the hotspot's own login
// page with the code (any device on the Wi-Fi gets on, no guest subnets
// needed) when every site of the instance reported the same hotspot host,
// a DNS name before an address; otherwise the portal with the code.
func TestCouponCardQRLink(t *testing.T) {
	e := newEnv(t, "")
	lobby := siteWithHotspot(t, e, "Lobby", "10.5.50.1", "login.seaside.example")
	lobbyIP := siteWithHotspot(t, e, "Lobby (address only)", "10.5.50.1")
	annex := siteWithHotspot(t, e, "Annex", "10.6.0.1")
	unknown := siteWithHotspot(t, e, "New router")
	inst := createInstance(t, e, map[string]any{"name": "Seaside Hotel", "strategy": "coupon", "session_ttl": 7200})["id"].(string)
	var coupons []map[string]any
	e.admin(http.MethodPost, "/captive/instances/"+inst+"/coupons", map[string]any{"count": 1, "minutes_valid": 60}).json(t, &coupons)
	code := coupons[0]["code"].(string)
	portal := "http://gatehouse.test/portal/" + inst
	hotspot := func(host string) string {
		return "http://" + host + "/login?" + url.Values{"username": {code}, "password": {code}, "dst": {portal}}.Encode()
	}
	for _, tc := range []struct {
		name  string
		sites []string
		want  string
	}{
		{"no site", nil, portal + "?code=" + code},
		{"one site, name and address", []string{lobby}, hotspot("login.seaside.example")},
		{"one site, address only", []string{lobbyIP}, hotspot("10.5.50.1")},
		{"two sites sharing the address", []string{lobby, lobbyIP}, hotspot("10.5.50.1")},
		{"two sites, different hotspots", []string{lobby, annex}, portal + "?code=" + code},
		{"a site not read yet", []string{lobby, unknown}, portal + "?code=" + code},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sites := []any{}
			for _, s := range tc.sites {
				sites = append(sites, map[string]any{"id": s})
			}
			wantStatus(t, e.admin(http.MethodPut, "/captive/instances/"+inst, map[string]any{"sites": sites}), http.StatusOK)
			var got struct {
				Cards []struct {
					PortalURL string `json:"portal_url"`
					QRURL     string `json:"qr_url"`
					QR        string
				}
			}
			r := e.as(app.RoleFrontdesk, http.MethodPost, "/captive/instances/"+inst+"/coupons/cards",
				map[string]any{"coupon_ids": []string{coupons[0]["id"].(string)}})
			wantStatus(t, r, http.StatusOK)
			r.json(t, &got)
			if len(got.Cards) != 1 {
				t.Fatalf("got %d cards, want 1", len(got.Cards))
			}
			c := got.Cards[0]
			if c.QRURL != tc.want {
				t.Errorf("qr_url = %s, want %s", c.QRURL, tc.want)
			}
			if c.PortalURL != portal+"?code="+code {
				t.Errorf("portal_url = %s, want the portal with the code", c.PortalURL)
			}
			wantQR(t, c.QR)
		})
	}
}

// TestPortalNoPlaceNamesTheWifi: a code that has nowhere safe to go (the
// portal opened outside the router's login page, no guest subnets) is
// kept, and the guest is told what to do, naming the Wi-Fi network, in
// the guest's language.
func TestPortalNoPlaceNamesTheWifi(t *testing.T) {
	f := newPortal(t, "")
	wantStatus(t, f.e.admin(http.MethodPut, "/captive/instances/"+f.inst, map[string]any{"wifi_name": "Seaside Guest"}), http.StatusOK)
	for _, tc := range []struct{ lang, want string }{
		{"en", "Join the Wi-Fi Seaside Guest, open any web page, and type your code on the page that appears."},
		{"de", "Verbinden Sie sich mit dem WLAN Seaside Guest, öffnen Sie eine beliebige Webseite"},
	} {
		form := url.Values{"code": {f.code(0)}}
		req, err := http.NewRequest(http.MethodPost, f.e.srv.URL+"/portal/"+f.inst+"/login", strings.NewReader(form.Encode()))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept-Language", tc.lang)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body strings.Builder
		_, _ = io.Copy(&body, res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || !strings.Contains(body.String(), tc.want) {
			t.Errorf("%s: %d, want a page saying %q:\n%s", tc.lang, res.StatusCode, tc.want, body.String())
		}
	}
	if f.status(0) != "valid" {
		t.Errorf("the code was spent: %s", f.status(0))
	}
}

// TestCouponCardText: a card's wording follows the instance's language
// and names its Wi-Fi network.
func TestCouponCardText(t *testing.T) {
	e := newEnv(t, "")
	inst := createInstance(t, e, map[string]any{"name": "Seehotel", "strategy": "coupon", "session_ttl": 7200,
		"locale": "de-AT", "wifi_name": "Seehotel Gast"})["id"].(string)
	var coupons []map[string]any
	e.admin(http.MethodPost, "/captive/instances/"+inst+"/coupons", map[string]any{"count": 1, "minutes_valid": 60}).json(t, &coupons)
	var got struct {
		Instance struct {
			Text map[string]string
		}
	}
	r := e.as(app.RoleFrontdesk, http.MethodPost, "/captive/instances/"+inst+"/coupons/cards", map[string]any{"coupon_ids": []string{coupons[0]["id"].(string)}})
	wantStatus(t, r, http.StatusOK)
	r.json(t, &got)
	want := map[string]string{"lang": "de", "how": "Verbinden Sie sich mit „Seehotel Gast“, öffnen Sie eine beliebige Webseite und geben Sie den Code ein oder scannen Sie den QR-Code.",
		"valid_until": "Gültig bis", "internet": "Internet ab der ersten Nutzung", "void": "Nicht mehr gültig"}
	for k, v := range want {
		if got.Instance.Text[k] != v {
			t.Errorf("text.%s = %q, want %q", k, got.Instance.Text[k], v)
		}
	}
}
