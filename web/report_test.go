package web_test

import (
	"encoding/csv"
	"net/http"
	"strings"
	"testing"
	"time"
)

// Reports add the ledger and the coupons up per period in the caller's
// time zone; bad ranges change nothing and say which parameter is wrong.
func TestReports(t *testing.T) {
	e := newEnv(t, "")
	fake, site, inst := routerSite(t, e)
	coupons := "/captive/instances/" + inst + "/coupons"
	hour := createPlan(t, e, map[string]any{"name": "1 hour", "session_minutes": 60, "price": 200, "currency": "EUR"})["id"].(string)
	day := createPlan(t, e, map[string]any{"name": "1 day", "session_minutes": 1440, "data_limit_mb": 100, "price": 800, "currency": "EUR"})["id"].(string)
	var made []map[string]any
	wantStatus(t, e.admin(http.MethodPost, coupons, map[string]any{"count": 3, "plan_id": hour}), http.StatusCreated)
	r := e.admin(http.MethodPost, coupons, map[string]any{"count": 2, "plan_id": day})
	r.json(t, &made)
	wantStatus(t, e.admin(http.MethodDelete, coupons+"/"+made[1]["id"].(string), nil), http.StatusNoContent)

	// A guest online with a day code, 30 MB used: the pass samples it.
	fake.AddRow("/ip/hotspot/host", map[string]string{"address": "10.5.50.9", "mac-address": "AA:00:00:00:00:09"})
	if _, err := e.reconciler.Sync(t.Context(), site); err != nil {
		t.Fatal(err)
	}
	if err := e.reconciler.LoginGuest(t.Context(), site, made[0]["code"].(string), made[0]["code"].(string), "10.5.50.9", ""); err != nil {
		t.Fatal(err)
	}
	fake.Traffic("10.5.50.9", 10_000_000, 20_000_000)
	for range 2 { // the first pass redeems and samples, the second counts the data
		if _, err := e.reconciler.Sync(t.Context(), site); err != nil {
			t.Fatal(err)
		}
	}

	today := time.Now().UTC().Format(time.DateOnly)
	sales := e.admin(http.MethodGet, "/captive/reports/sales?group_by=day&tz=UTC", nil).object(t)
	if periods := sales["periods"].([]any); len(periods) != 30 || periods[29] != today {
		t.Errorf("periods = %v, want the 30 days to %s", periods, today)
	}
	rows := sales["rows"].([]any)
	if len(rows) != 2 {
		t.Fatalf("sales rows = %v, want one per plan", rows)
	}
	d, h := rows[0].(map[string]any), rows[1].(map[string]any)
	if d["plan_name"] != "1 day" || d["sales"] != float64(2) || d["voids"] != float64(1) || d["net"] != float64(800) ||
		h["sales_amount"] != float64(600) || h["period"] != today {
		t.Errorf("sales rows = %v", rows)
	}
	month := e.admin(http.MethodGet, "/captive/reports/sales?group_by=month&tz=Pacific/Kiritimati&from="+today+"&to="+today, nil).object(t)
	if p := month["periods"].([]any); len(p) != 1 || month["tz"] != "Pacific/Kiritimati" {
		t.Errorf("month report head = %v", month)
	}

	usage := e.admin(http.MethodGet, "/captive/reports/usage?from="+today+"&to="+today, nil).object(t)
	u := usage["rows"].([]any)[0].(map[string]any)
	if u["issued"] != float64(5) || u["redeemed"] != float64(1) || u["online_peak"] != float64(1) || u["data_used_mb"] != float64(30) {
		t.Errorf("usage today = %v", u)
	}
	hours := e.admin(http.MethodGet, "/captive/reports/usage?group_by=hour_of_day", nil).object(t)
	if rows := hours["rows"].([]any); len(rows) != 24 {
		t.Errorf("hour_of_day rows = %d, want 24", len(rows))
	}
	var online []map[string]any
	e.admin(http.MethodGet, "/captive/reports/online?hours=2", nil).json(t, &online)
	if len(online) != 1 || online[0]["guests"] != float64(1) {
		t.Errorf("guests online = %v, want one slot with the guest", online)
	}

	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/captive/reports/sales", nil)
	req.Header.Set("Authorization", "Bearer "+e.tokens["admin"])
	req.Header.Set("Accept", "text/csv")
	got, err := csv.NewReader(strings.NewReader(string(e.send(req).body))).ReadAll()
	if err != nil || len(got) != 3 || got[0][0] != "period" || got[1][2] != "1 day" {
		t.Errorf("sales CSV = %v (%v)", got, err)
	}

	for _, tc := range []struct{ query, param string }{
		{"tz=Mars/Olympus", "tz"},
		{"from=2026-13-01", "from"},
		{"from=2026-12-04&to=2026-12-01", "to"},
		{"from=2000-01-01&to=2026-01-01", "from"},
		{"group_by=hour", "group_by"},
	} {
		wantError(t, e.admin(http.MethodGet, "/captive/reports/usage?"+tc.query, nil), http.StatusBadRequest, "parameter_invalid", tc.param)
	}
	wantError(t, e.admin(http.MethodGet, "/captive/reports/sales?group_by=hour_of_day", nil), http.StatusBadRequest, "parameter_invalid", "group_by")
	wantError(t, e.admin(http.MethodGet, "/captive/reports/online?hours=0", nil), http.StatusBadRequest, "parameter_invalid", "hours")
}
