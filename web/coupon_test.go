package web_test

import (
	"encoding/csv"
	"net/http"
	"strings"
	"testing"

	"gatehouse/app"
)

func couponInstance(t testing.TB, e *env) string {
	t.Helper()
	return createInstance(t, e, map[string]any{"name": "Guest", "strategy": "coupon", "session_ttl": 3600})["id"].(string)
}

func TestCoupons(t *testing.T) {
	e := newEnv(t, "")
	inst := couponInstance(t, e)
	base := "/captive/instances/" + inst + "/coupons"

	// The front desk creates and lists coupons.
	r := e.as(app.RoleFrontdesk, http.MethodPost, base, map[string]any{"count": 50, "minutes_valid": 1440})
	wantStatus(t, r, http.StatusCreated)
	var created []map[string]any
	r.json(t, &created)
	if len(created) != 50 {
		t.Fatalf("created %d coupons, want 50", len(created))
	}
	code := created[0]["code"].(string)
	if len(code) != 6 || created[0]["redeemed_at"] != nil || created[0]["status"] != "valid" {
		t.Fatalf("coupon = %v", created[0])
	}

	var listed []map[string]any
	e.as(app.RoleFrontdesk, http.MethodGet, base, nil).json(t, &listed)
	if len(listed) != 50 {
		t.Fatalf("listed %d valid coupons, want 50", len(listed))
	}

	// Revoke one: it leaves the valid list and shows under revoked.
	id := created[0]["id"].(string)
	wantStatus(t, e.as(app.RoleFrontdesk, http.MethodDelete, base+"/"+id, nil), http.StatusNoContent)
	wantStatus(t, e.as(app.RoleOperator, http.MethodDelete, base+"/"+id, nil), http.StatusNoContent) // twice is fine
	e.admin(http.MethodGet, base, nil).json(t, &listed)
	if len(listed) != 49 {
		t.Fatalf("after revoke: %d valid, want 49", len(listed))
	}
	e.admin(http.MethodGet, base+"?status=revoked", nil).json(t, &listed)
	if len(listed) != 1 || listed[0]["id"] != id || listed[0]["revoked_at"] == nil {
		t.Fatalf("revoked list = %v", listed)
	}
	e.admin(http.MethodGet, base+"?status=all", nil).json(t, &listed)
	if len(listed) != 50 {
		t.Fatalf("all = %d, want 50", len(listed))
	}
	wantError(t, e.admin(http.MethodGet, base+"?status=lost", nil), http.StatusBadRequest, "parameter_invalid", "status")
	wantError(t, e.admin(http.MethodDelete, base+"/"+inst, nil), http.StatusNotFound, "resource_missing", "")
}

func TestCouponCSV(t *testing.T) {
	e := newEnv(t, "")
	inst := couponInstance(t, e)
	base := "/captive/instances/" + inst + "/coupons"
	wantStatus(t, e.admin(http.MethodPost, base, map[string]any{"count": 3, "minutes_valid": 60}), http.StatusCreated)
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+base, nil)
	req.Header.Set("Authorization", "Bearer "+e.tokens[app.RoleAdmin])
	req.Header.Set("Accept", "text/csv")
	res, err := e.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Fatalf("Content-Type = %q, want text/csv", ct)
	}
	rows, err := csv.NewReader(res.Body).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || rows[0][0] != "code" || rows[1][1] != "valid" {
		t.Fatalf("csv = %v", rows)
	}
}

func TestCouponBadInput(t *testing.T) {
	e := newEnv(t, "")
	inst := couponInstance(t, e)
	base := "/captive/instances/" + inst + "/coupons"
	cases := []struct {
		name  string
		body  any
		code  string
		param string
	}{
		{"missing count", map[string]any{"minutes_valid": 10}, "parameter_missing", "count"},
		{"missing minutes", map[string]any{"count": 1}, "parameter_missing", "minutes_valid"},
		{"count 0", map[string]any{"count": 0, "minutes_valid": 10}, "parameter_invalid", "count"},
		{"count 201", map[string]any{"count": 201, "minutes_valid": 10}, "parameter_invalid", "count"},
		{"count 10^9", map[string]any{"count": 1000000000, "minutes_valid": 10}, "parameter_invalid", "count"},
		{"count huge", `{"count": 1e30, "minutes_valid": 10}`, "parameter_invalid", "count"},
		{"minutes 0", map[string]any{"count": 1, "minutes_valid": 0}, "parameter_invalid", "minutes_valid"},
		{"minutes negative", map[string]any{"count": 1, "minutes_valid": -5}, "parameter_invalid", "minutes_valid"},
		{"count string", map[string]any{"count": "5", "minutes_valid": 10}, "parameter_invalid", "count"},
		{"unknown field", map[string]any{"count": 1, "minutes_valid": 10, "prefix": "X"}, "unknown_parameter", "prefix"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wantError(t, e.admin(http.MethodPost, base, tc.body), http.StatusBadRequest, tc.code, tc.param)
		})
	}
	var listed []any
	e.admin(http.MethodGet, base+"?status=all", nil).json(t, &listed)
	if len(listed) != 0 {
		t.Fatalf("bad input created %d coupons", len(listed))
	}

	integ := createIntegration(t, e)
	oauth := createInstance(t, e, map[string]any{"name": "Staff", "strategy": "oauth2", "session_ttl": 3600, "auth_integration_id": integ})["id"].(string)
	wantError(t, e.admin(http.MethodPost, "/captive/instances/"+oauth+"/coupons", map[string]any{"count": 1, "minutes_valid": 10}),
		http.StatusBadRequest, "strategy_mismatch", "")
	missing := "/captive/instances/0190c0de-0000-7000-8000-000000000000/coupons"
	wantError(t, e.admin(http.MethodPost, missing, map[string]any{"count": 1, "minutes_valid": 10}), http.StatusNotFound, "resource_missing", "")
	wantError(t, e.admin(http.MethodGet, missing, nil), http.StatusNotFound, "resource_missing", "")
}

func TestCouponCodeFormat(t *testing.T) {
	e := newEnv(t, "")
	inst := createInstance(t, e, map[string]any{"name": "Digits", "strategy": "coupon", "session_ttl": 3600,
		"coupon_length": 10, "coupon_charset": "digits"})
	if inst["coupon_length"] != float64(10) || inst["coupon_charset"] != "digits" {
		t.Fatalf("instance = %v", inst)
	}
	var created []map[string]any
	e.admin(http.MethodPost, "/captive/instances/"+inst["id"].(string)+"/coupons", map[string]any{"count": 20, "minutes_valid": 10}).json(t, &created)
	for _, c := range created {
		code := c["code"].(string)
		if len(code) != 10 || strings.Trim(code, "0123456789") != "" {
			t.Fatalf("code %q: want 10 digits", code)
		}
	}
	wantError(t, e.admin(http.MethodPost, "/captive/instances", map[string]any{"name": "x", "strategy": "coupon", "session_ttl": 3600, "coupon_length": 5}),
		http.StatusBadRequest, "parameter_invalid", "coupon_length")
	wantError(t, e.admin(http.MethodPost, "/captive/instances", map[string]any{"name": "x", "strategy": "coupon", "session_ttl": 3600, "coupon_charset": "emoji"}),
		http.StatusBadRequest, "parameter_invalid", "coupon_charset")
}
