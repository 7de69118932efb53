package web_test

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// A guest's data: each login on an instance with terms keeps a consent
// receipt naming the exact text; an access request finds everything; an
// erasure waits until the guest is gone, then leaves only keyed hashes
// (which the access request still recognises).
func TestGuestConsentAccessErasure(t *testing.T) {
	e := newEnv(t, "")
	fake, site, inst := routerSite(t, e)
	const terms = "Be kind to other guests."
	wantStatus(t, e.admin(http.MethodPut, "/captive/instances/"+inst, map[string]any{"terms_text": terms,
		"sites": []any{map[string]any{"id": site, "subnets": []any{"127.0.0.0/8"}}}}), http.StatusOK)
	waitHotspotHost(t, e, site, "10.5.50.1")
	var coupons []map[string]any
	e.admin(http.MethodPost, "/captive/instances/"+inst+"/coupons", map[string]any{"count": 1, "minutes_valid": 60}).json(t, &coupons)
	code := coupons[0]["code"].(string)
	const mac = "AA:BB:CC:00:00:42"
	fake.AddRow("/ip/hotspot/host", map[string]string{"address": "127.0.0.1", "mac-address": mac})
	login := func() string {
		return string(e.form("/portal/"+inst+"/login", url.Values{"code": {code}, "site": {site}, "accept_terms": {"yes"}}, nil).body)
	}
	if body := login(); !strings.Contains(body, "You are online") {
		t.Fatalf("login: %s", body)
	}
	if _, err := e.reconciler.Sync(t.Context(), site); err != nil {
		t.Fatal(err)
	}

	var consents []map[string]any
	e.admin(http.MethodGet, "/captive/instances/"+inst+"/consents", nil).json(t, &consents)
	sum := sha256.Sum256([]byte(terms))
	if len(consents) != 1 || consents[0]["terms_hash"] != hex.EncodeToString(sum[:]) || consents[0]["mac_address"] != mac ||
		consents[0]["username"] != code || consents[0]["lang"] != "en" || consents[0]["site_user_id"] == nil {
		t.Fatalf("consents = %v", consents)
	}
	first := consents[0]["terms_hash"].(string)
	if v := e.admin(http.MethodGet, "/captive/terms-versions/"+first, nil).object(t); v["text"] != terms {
		t.Errorf("terms version = %v", v)
	}
	// New terms: the next login names them; the old text is kept.
	wantStatus(t, e.admin(http.MethodPut, "/captive/instances/"+inst, map[string]any{"terms_text": "Be kind. No spam."}), http.StatusOK)
	logout := func() { // the phone logs out, and a pass records it
		for _, a := range fake.Rows("/ip/hotspot/active") {
			fake.RemoveRow("/ip/hotspot/active", a[".id"])
		}
		if _, err := e.reconciler.Sync(t.Context(), site); err != nil {
			t.Fatal(err)
		}
	}
	logout()
	if body := login(); !strings.Contains(body, "You are online") {
		t.Fatalf("second login: %s", body)
	}
	if _, err := e.reconciler.Sync(t.Context(), site); err != nil { // the router reports the second session
		t.Fatal(err)
	}
	e.admin(http.MethodGet, "/captive/instances/"+inst+"/consents?mac="+url.QueryEscape(mac), nil).json(t, &consents)
	if len(consents) != 2 || consents[1]["terms_hash"] == first {
		t.Fatalf("consents after new terms = %v", consents)
	}
	wantStatus(t, e.admin(http.MethodGet, "/captive/terms-versions/"+first, nil), http.StatusOK)

	rec := e.admin(http.MethodGet, "/captive/guests?mac="+url.QueryEscape(strings.ToLower(mac)), nil).object(t)
	if len(rec["site_users"].([]any)) != 2 || len(rec["coupons"].([]any)) != 1 || len(rec["consents"].([]any)) != 2 {
		t.Fatalf("access request = %v", rec)
	}
	wantError(t, e.admin(http.MethodGet, "/captive/guests", nil), http.StatusBadRequest, "parameter_missing", "mac")
	wantError(t, e.admin(http.MethodGet, "/captive/guests?mac=nope", nil), http.StatusBadRequest, "parameter_invalid", "mac")
	wantError(t, e.admin(http.MethodGet, "/captive/guests?mac="+mac+"&identity=a@b.c", nil), http.StatusBadRequest, "parameter_invalid", "identity")

	// Online, then offline with the code's session running: refused.
	erase := "/captive/guests?mac=" + url.QueryEscape(mac)
	wantError(t, e.admin(http.MethodDelete, erase, nil), http.StatusConflict, "resource_conflict", "")
	logout()
	if _, err := e.reconciler.Sync(t.Context(), site); err != nil {
		t.Fatal(err)
	}
	wantError(t, e.admin(http.MethodDelete, erase, nil), http.StatusConflict, "resource_conflict", "")
	wantStatus(t, e.admin(http.MethodDelete, "/captive/instances/"+inst+"/coupons/"+coupons[0]["id"].(string), nil), http.StatusNoContent)
	r := e.admin(http.MethodDelete, erase, nil)
	wantStatus(t, r, http.StatusOK)
	if n := r.object(t)["anonymized"].(float64); n != 5 {
		t.Errorf("erasure changed %v records, want the two site users, the coupon and the two consents", n)
	}
	rec = e.admin(http.MethodGet, "/captive/guests?mac="+url.QueryEscape(mac), nil).object(t)
	users := rec["site_users"].([]any)
	if len(users) != 2 {
		t.Fatalf("after erasure the access request finds %v", rec)
	}
	u := users[0].(map[string]any)
	if !strings.HasPrefix(u["mac_address"].(string), "anon:") || !strings.HasPrefix(u["ip_address"].(string), "anon:") {
		t.Errorf("site user after erasure = %v", u)
	}
	for _, c := range rec["consents"].([]any) {
		if c.(map[string]any)["anonymized"] != true || strings.Contains(c.(map[string]any)["mac_address"].(string), "AA:BB") {
			t.Errorf("consent after erasure = %v", c)
		}
	}
	if strings.Contains(string(e.admin(http.MethodGet, "/captive/sites/"+site+"/users", nil).body), mac) {
		t.Error("the site's users still show the erased MAC")
	}
	wantError(t, e.as("frontdesk", http.MethodGet, "/captive/guests?mac="+mac, nil), http.StatusForbidden, "permission_denied", "")
	// The erasure is in the audit log, without the MAC it erased.
	audit := string(e.admin(http.MethodGet, "/captive/audit-events", nil).body)
	if !strings.Contains(audit, `"action":"DELETE /captive/guests"`) || strings.Contains(audit, "AA:BB:CC:00:00:42") {
		t.Errorf("audit log after the erasure:\n%s", audit)
	}
}
