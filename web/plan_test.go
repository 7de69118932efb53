package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"gatehouse/app"
)

// createPlan posts a plan as admin and returns it.
func createPlan(t testing.TB, e *env, body map[string]any) map[string]any {
	t.Helper()
	r := e.admin(http.MethodPost, "/captive/plans", body)
	wantStatus(t, r, http.StatusCreated)
	return r.object(t)
}

// dayPlan is "1 day, 2 GB, 10/2 Mbps, 3 devices, EUR 8.00".
func dayPlan() map[string]any {
	return map[string]any{"name": "1 day", "session_minutes": 1440, "data_limit_mb": 2000, "download_kbps": 10000,
		"upload_kbps": 2000, "devices": 3, "valid_minutes": 10080, "price": 800, "currency": "eur"}
}

func TestPlanLifecycle(t *testing.T) {
	e := newEnv(t, "")
	r := e.admin(http.MethodPost, "/captive/plans", map[string]any{"name": " 1 hour ", "session_minutes": 60})
	wantStatus(t, r, http.StatusCreated)
	hour := r.object(t)
	id := hour["id"].(string)
	if loc := r.header.Get("Location"); loc != "/captive/plans/"+id {
		t.Errorf("Location = %q, want /captive/plans/%s", loc, id)
	}
	want := map[string]any{"name": "1 hour", "session_minutes": float64(60), "data_limit_mb": nil, "download_kbps": nil,
		"upload_kbps": nil, "devices": float64(1), "valid_minutes": float64(1440), "price": float64(0), "currency": nil}
	for k, v := range want {
		if hour[k] != v {
			t.Errorf("new plan %s = %v, want %v (defaults)", k, hour[k], v)
		}
	}
	day := createPlan(t, e, dayPlan())
	if day["currency"] != "EUR" || day["data_limit_mb"] != float64(2000) || day["devices"] != float64(3) {
		t.Errorf("day plan = %v", day)
	}

	wantStatus(t, e.admin(http.MethodGet, "/captive/plans/"+id, nil), http.StatusOK)
	var list []map[string]any
	e.admin(http.MethodGet, "/captive/plans", nil).json(t, &list)
	if len(list) != 2 || list[0]["id"] != id {
		t.Fatalf("list = %v, want the two plans, oldest first", list)
	}

	// Partial update: absent keeps, null clears a nullable field.
	dayID := day["id"].(string)
	r = e.admin(http.MethodPut, "/captive/plans/"+dayID, map[string]any{"data_limit_mb": nil, "price": 900})
	wantStatus(t, r, http.StatusOK)
	got := r.object(t)
	if got["data_limit_mb"] != nil || got["price"] != float64(900) || got["download_kbps"] != float64(10000) ||
		got["name"] != "1 day" || got["currency"] != "EUR" || got["created_at"] != day["created_at"] {
		t.Fatalf("after partial update = %v", got)
	}
	// A free plan may drop its currency.
	r = e.admin(http.MethodPut, "/captive/plans/"+dayID, map[string]any{"price": 0, "currency": nil})
	wantStatus(t, r, http.StatusOK)
	if got := r.object(t); got["currency"] != nil || got["price"] != float64(0) {
		t.Fatalf("free plan = %v", got)
	}

	wantStatus(t, e.admin(http.MethodDelete, "/captive/plans/"+id, nil), http.StatusNoContent)
	wantError(t, e.admin(http.MethodGet, "/captive/plans/"+id, nil), http.StatusNotFound, "resource_missing", "")
	wantError(t, e.admin(http.MethodPut, "/captive/plans/"+id, map[string]any{"name": "x"}), http.StatusNotFound, "resource_missing", "")
	wantError(t, e.admin(http.MethodDelete, "/captive/plans/"+id, nil), http.StatusNotFound, "resource_missing", "")
	wantError(t, e.admin(http.MethodGet, "/captive/plans/nope", nil), http.StatusNotFound, "resource_missing", "")
}

func TestPlanBadInput(t *testing.T) {
	e := newEnv(t, "")
	plan := createPlan(t, e, dayPlan())
	id := plan["id"].(string)
	before := string(e.admin(http.MethodGet, "/captive/plans", nil).body)
	cases := []struct {
		field string
		value any
	}{
		{"name", ""},
		{"name", "   "},
		{"name", strings.Repeat("x", 65)},
		{"name", "two\nlines"},
		{"session_minutes", 0},
		{"session_minutes", 525601},
		{"session_minutes", -5},
		{"data_limit_mb", 0},
		{"data_limit_mb", -1},
		{"download_kbps", 63},
		{"download_kbps", 0},
		{"upload_kbps", 63},
		{"devices", 0},
		{"devices", 21},
		{"valid_minutes", 0},
		{"valid_minutes", 525601},
		{"price", -1},
		{"currency", "EU"},
		{"currency", "EURO"},
		{"currency", "E1R"},
		{"currency", "€"},
	}
	for _, tc := range cases {
		body := dayPlan()
		body[tc.field] = tc.value
		code := "parameter_invalid"
		if tc.field == "name" && strings.TrimSpace(tc.value.(string)) == "" {
			code = "parameter_missing"
		}
		wantError(t, e.admin(http.MethodPost, "/captive/plans", body), http.StatusBadRequest, code, tc.field)
		wantError(t, e.admin(http.MethodPut, "/captive/plans/"+id, map[string]any{tc.field: tc.value}),
			http.StatusBadRequest, code, tc.field)
	}
	// The edges are accepted.
	for field, value := range map[string]any{"name": strings.Repeat("x", 64), "session_minutes": 525600, "data_limit_mb": 1,
		"download_kbps": 64, "upload_kbps": 64, "devices": 20, "valid_minutes": 525600} {
		body := dayPlan()
		body[field] = value
		r := e.admin(http.MethodPost, "/captive/plans", body)
		wantStatus(t, r, http.StatusCreated)
		wantStatus(t, e.admin(http.MethodDelete, "/captive/plans/"+r.object(t)["id"].(string), nil), http.StatusNoContent)
	}
	// Required on create: name, session_minutes; currency once price > 0.
	for _, field := range []string{"name", "session_minutes"} {
		body := dayPlan()
		delete(body, field)
		wantError(t, e.admin(http.MethodPost, "/captive/plans", body), http.StatusBadRequest, "parameter_missing", field)
	}
	body := dayPlan()
	delete(body, "currency")
	wantError(t, e.admin(http.MethodPost, "/captive/plans", body), http.StatusBadRequest, "parameter_missing", "currency")
	wantError(t, e.admin(http.MethodPut, "/captive/plans/"+id, map[string]any{"currency": nil}),
		http.StatusBadRequest, "parameter_missing", "currency")
	wantError(t, e.admin(http.MethodPost, "/captive/plans", map[string]any{"name": "x", "session_minutes": 1, "speed": 5}),
		http.StatusBadRequest, "unknown_parameter", "speed")
	wantStatus(t, e.admin(http.MethodPost, "/captive/plans", `{"name":"x","session_minutes":"60"}`), http.StatusBadRequest)

	if after := string(e.admin(http.MethodGet, "/captive/plans", nil).body); after != before {
		t.Errorf("bad requests changed the plans:\n%s\n%s", before, after)
	}
}

func TestPlanRoles(t *testing.T) {
	e := newEnv(t, "")
	id := createPlan(t, e, dayPlan())["id"].(string)
	// The front desk reads plans (it sells by them) and changes none.
	wantStatus(t, e.as(app.RoleFrontdesk, http.MethodGet, "/captive/plans", nil), http.StatusOK)
	wantStatus(t, e.as(app.RoleFrontdesk, http.MethodGet, "/captive/plans/"+id, nil), http.StatusOK)
	wantError(t, e.as(app.RoleFrontdesk, http.MethodPost, "/captive/plans", dayPlan()), http.StatusForbidden, "permission_denied", "")
	wantError(t, e.as(app.RoleFrontdesk, http.MethodPut, "/captive/plans/"+id, map[string]any{"price": 1}),
		http.StatusForbidden, "permission_denied", "")
	wantError(t, e.as(app.RoleFrontdesk, http.MethodDelete, "/captive/plans/"+id, nil), http.StatusForbidden, "permission_denied", "")
	if got := e.admin(http.MethodGet, "/captive/plans/"+id, nil).object(t); got["price"] != float64(800) {
		t.Fatalf("plan changed by the front desk: %v", got)
	}
	// Operators manage them.
	r := e.as(app.RoleOperator, http.MethodPost, "/captive/plans", dayPlan())
	wantStatus(t, r, http.StatusCreated)
	opID := r.object(t)["id"].(string)
	wantStatus(t, e.as(app.RoleOperator, http.MethodPut, "/captive/plans/"+opID, map[string]any{"name": "Week"}), http.StatusOK)
	wantStatus(t, e.as(app.RoleOperator, http.MethodDelete, "/captive/plans/"+opID, nil), http.StatusNoContent)
}

func TestCouponsWithPlan(t *testing.T) {
	e := newEnv(t, "")
	inst := couponInstance(t, e)
	base := "/captive/instances/" + inst + "/coupons"
	body := dayPlan()
	body["valid_minutes"] = 90
	plan := createPlan(t, e, body)
	id := plan["id"].(string)

	// minutes_valid defaults to the plan's valid_minutes; the front desk
	// sells by plan.
	r := e.as(app.RoleFrontdesk, http.MethodPost, base, map[string]any{"count": 2, "plan_id": id})
	wantStatus(t, r, http.StatusCreated)
	var made []map[string]any
	r.json(t, &made)
	c := made[0]
	if c["plan_id"] != id || c["price"] != float64(800) || c["currency"] != "EUR" {
		t.Fatalf("coupon = %v, want the plan's id, price and currency", c)
	}
	created, _ := time.Parse(time.RFC3339, c["created_at"].(string))
	expires, _ := time.Parse(time.RFC3339, c["expires_at"].(string))
	if d := expires.Sub(created); d < 89*time.Minute || d > 91*time.Minute {
		t.Errorf("expires after %v, want the plan's 90 minutes", d)
	}
	// An explicit minutes_valid wins over the plan's.
	r = e.admin(http.MethodPost, base, map[string]any{"count": 1, "plan_id": id, "minutes_valid": 600})
	wantStatus(t, r, http.StatusCreated)
	r.json(t, &made)
	created, _ = time.Parse(time.RFC3339, made[0]["created_at"].(string))
	expires, _ = time.Parse(time.RFC3339, made[0]["expires_at"].(string))
	if d := expires.Sub(created); d < 599*time.Minute || d > 601*time.Minute {
		t.Errorf("expires after %v, want 600 minutes", d)
	}

	// The price is frozen: a later change of the plan leaves the coupons.
	wantStatus(t, e.admin(http.MethodPut, "/captive/plans/"+id, map[string]any{"price": 1200, "currency": "usd"}), http.StatusOK)
	var list []map[string]any
	e.admin(http.MethodGet, base+"?status=all", nil).json(t, &list)
	if len(list) != 3 {
		t.Fatalf("list = %d coupons, want 3", len(list))
	}
	for _, c := range list {
		if c["price"] != float64(800) || c["currency"] != "EUR" || c["plan_id"] != id {
			t.Errorf("coupon after the plan's change = %v, want 800 EUR kept", c)
		}
	}

	// Without a plan, coupons are as they were.
	r = e.admin(http.MethodPost, base, map[string]any{"count": 1, "minutes_valid": 60})
	wantStatus(t, r, http.StatusCreated)
	r.json(t, &made)
	if made[0]["plan_id"] != nil || made[0]["price"] != nil || made[0]["currency"] != nil {
		t.Errorf("coupon without a plan = %v, want null plan_id, price and currency", made[0])
	}

	// The list filters by plan; an id that is no plan matches nothing.
	e.admin(http.MethodGet, base+"?status=all&plan_id="+id, nil).json(t, &list)
	if len(list) != 3 {
		t.Errorf("plan_id filter = %d coupons, want the plan's 3", len(list))
	}
	for _, other := range []string{"0190c0de-0000-7000-8000-000000000000", "nope"} {
		e.admin(http.MethodGet, base+"?status=all&plan_id="+other, nil).json(t, &list)
		if len(list) != 0 {
			t.Errorf("plan_id=%s = %d coupons, want none", other, len(list))
		}
	}

	// Bad plans and durations change nothing.
	before := string(e.admin(http.MethodGet, base+"?status=all", nil).body)
	wantError(t, e.admin(http.MethodPost, base, map[string]any{"count": 1, "plan_id": "0190c0de-0000-7000-8000-000000000000"}),
		http.StatusBadRequest, "parameter_invalid", "plan_id")
	wantError(t, e.admin(http.MethodPost, base, map[string]any{"count": 1, "plan_id": "nope", "minutes_valid": 60}),
		http.StatusBadRequest, "parameter_invalid", "plan_id")
	wantError(t, e.admin(http.MethodPost, base, map[string]any{"count": 1, "plan_id": id, "minutes_valid": 0}),
		http.StatusBadRequest, "parameter_invalid", "minutes_valid")
	wantError(t, e.admin(http.MethodPost, base, map[string]any{"count": 1}), http.StatusBadRequest, "parameter_missing", "minutes_valid")
	if after := string(e.admin(http.MethodGet, base+"?status=all", nil).body); after != before {
		t.Errorf("bad requests made coupons")
	}

	// A plan that coupons use cannot be deleted.
	wantError(t, e.admin(http.MethodDelete, "/captive/plans/"+id, nil), http.StatusConflict, "resource_conflict", "")
	wantStatus(t, e.admin(http.MethodGet, "/captive/plans/"+id, nil), http.StatusOK)
}

func TestScheduleWithPlan(t *testing.T) {
	e := newEnv(t, "")
	inst := couponInstance(t, e)
	base := "/captive/instances/" + inst + "/coupon-schedules"
	plan := createPlan(t, e, dayPlan())
	id := plan["id"].(string)

	bad := dailySchedule()
	bad["plan_id"] = "0190c0de-0000-7000-8000-000000000000"
	wantError(t, e.admin(http.MethodPost, base, bad), http.StatusBadRequest, "parameter_invalid", "plan_id")

	body := dailySchedule()
	body["count"] = 4
	body["plan_id"] = id
	sch := createSchedule(t, e, inst, body)
	if sch["plan_id"] != id {
		t.Fatalf("schedule = %v, want plan_id %s", sch, id)
	}
	// The schedule holds the plan.
	wantError(t, e.admin(http.MethodDelete, "/captive/plans/"+id, nil), http.StatusConflict, "resource_conflict", "")

	r := e.admin(http.MethodPost, base+"/"+sch["id"].(string)+"/run", nil)
	wantStatus(t, r, http.StatusCreated)
	var made []map[string]any
	r.json(t, &made)
	if len(made) != 4 {
		t.Fatalf("run made %d coupons, want 4", len(made))
	}
	for _, c := range made {
		if c["plan_id"] != id || c["price"] != float64(800) || c["currency"] != "EUR" || c["schedule_id"] != sch["id"] {
			t.Errorf("scheduled coupon = %v, want the schedule's plan", c)
		}
	}

	// Partial update keeps the plan; null drops it; an unknown one is refused.
	r = e.admin(http.MethodPut, base+"/"+sch["id"].(string), map[string]any{"count": 5})
	wantStatus(t, r, http.StatusOK)
	if got := r.object(t); got["plan_id"] != id {
		t.Errorf("after update plan_id = %v, want kept", got["plan_id"])
	}
	wantError(t, e.admin(http.MethodPut, base+"/"+sch["id"].(string), map[string]any{"plan_id": "nope"}),
		http.StatusBadRequest, "parameter_invalid", "plan_id")
	r = e.admin(http.MethodPut, base+"/"+sch["id"].(string), map[string]any{"plan_id": nil})
	wantStatus(t, r, http.StatusOK)
	if got := r.object(t); got["plan_id"] != nil {
		t.Errorf("after clearing plan_id = %v, want null", got["plan_id"])
	}
	// Its coupons still hold the plan.
	wantError(t, e.admin(http.MethodDelete, "/captive/plans/"+id, nil), http.StatusConflict, "resource_conflict", "")
}
