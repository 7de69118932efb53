package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"gatehouse/app"
)

func createSchedule(t testing.TB, e *env, inst string, body map[string]any) map[string]any {
	t.Helper()
	r := e.admin(http.MethodPost, "/captive/instances/"+inst+"/coupon-schedules", body)
	wantStatus(t, r, http.StatusCreated)
	return r.object(t)
}

func dailySchedule() map[string]any {
	return map[string]any{"name": "Daily Guest Passes", "count": 20, "recurrence_type": "daily",
		"valid_for_in_minutes": 480, "timezone": "Australia/Sydney", "run_at": "08:00"}
}

func TestScheduleLifecycle(t *testing.T) {
	e := newEnv(t, "")
	inst := couponInstance(t, e)
	base := "/captive/instances/" + inst + "/coupon-schedules"
	sch := createSchedule(t, e, inst, dailySchedule())
	id := sch["id"].(string)
	if sch["instance_id"] != inst || sch["last_run_at"] != nil || sch["next_run_at"] == nil || sch["tokens_generated_since_last_run"] != float64(0) {
		t.Fatalf("new schedule = %v", sch)
	}
	next, _ := time.Parse(time.RFC3339, sch["next_run_at"].(string))
	if l := next.In(mustZone(t, "Australia/Sydney")); l.Hour() != 8 || l.Minute() != 0 || !next.After(time.Now()) {
		t.Fatalf("next_run_at = %v (%v Sydney), want the next 08:00 Sydney", next, l)
	}

	// Run now: 201 with the coupons; the counters follow.
	r := e.admin(http.MethodPost, base+"/"+id+"/run", nil)
	wantStatus(t, r, http.StatusCreated)
	var coupons []map[string]any
	r.json(t, &coupons)
	if len(coupons) != 20 {
		t.Fatalf("run made %d coupons, want 20", len(coupons))
	}
	got := e.admin(http.MethodGet, base+"/"+id, nil).object(t)
	if got["tokens_generated_since_last_run"] != float64(20) || got["tokens_available_since_last_run"] != float64(20) ||
		got["tokens_used_since_last_run"] != float64(0) || got["last_run_at"] == nil {
		t.Fatalf("after run: %v", got)
	}

	// Weekly on Monday; day_of_month is dropped for a weekly schedule.
	r = e.admin(http.MethodPut, base+"/"+id, map[string]any{"recurrence_type": "weekly", "day_of_week": 1, "run_at": "07:30"})
	wantStatus(t, r, http.StatusOK)
	got = r.object(t)
	if got["recurrence_type"] != "weekly" || got["day_of_week"] != float64(1) || got["name"] != "Daily Guest Passes" {
		t.Fatalf("after update: %v", got)
	}
	next, _ = time.Parse(time.RFC3339, got["next_run_at"].(string))
	if l := next.In(mustZone(t, "Australia/Sydney")); l.Weekday() != time.Monday || l.Hour() != 7 || l.Minute() != 30 {
		t.Fatalf("next run %v is not a Monday 07:30 in Sydney", l)
	}

	var list []map[string]any
	e.as(app.RoleFrontdesk, http.MethodGet, base, nil).json(t, &list)
	if len(list) != 1 {
		t.Fatalf("list = %v", list)
	}
	wantStatus(t, e.admin(http.MethodDelete, base+"/"+id, nil), http.StatusNoContent)
	wantError(t, e.admin(http.MethodGet, base+"/"+id, nil), http.StatusNotFound, "resource_missing", "")
	// Its coupons are kept.
	var kept []any
	e.admin(http.MethodGet, "/captive/instances/"+inst+"/coupons", nil).json(t, &kept)
	if len(kept) != 20 {
		t.Fatalf("coupons after deleting the schedule: %d, want 20", len(kept))
	}
}

func TestScheduleBadInput(t *testing.T) {
	e := newEnv(t, "")
	inst := couponInstance(t, e)
	base := "/captive/instances/" + inst + "/coupon-schedules"
	with := func(k string, v any) map[string]any {
		m := dailySchedule()
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
		return m
	}
	cases := []struct {
		name  string
		body  map[string]any
		code  string
		param string
	}{
		{"missing name", with("name", nil), "parameter_missing", "name"},
		{"missing count", with("count", nil), "parameter_missing", "count"},
		{"missing recurrence", with("recurrence_type", nil), "parameter_missing", "recurrence_type"},
		{"missing valid_for", with("valid_for_in_minutes", nil), "parameter_missing", "valid_for_in_minutes"},
		{"missing timezone", with("timezone", nil), "parameter_missing", "timezone"},
		{"count 501", with("count", 501), "parameter_invalid", "count"},
		{"valid_for 0", with("valid_for_in_minutes", 0), "parameter_invalid", "valid_for_in_minutes"},
		{"valid_for 90001", with("valid_for_in_minutes", 90001), "parameter_invalid", "valid_for_in_minutes"},
		{"bad recurrence", with("recurrence_type", "hourly"), "parameter_invalid", "recurrence_type"},
		{"bad zone", with("timezone", "Mars/Base"), "parameter_invalid", "timezone"},
		{"bad run_at", with("run_at", "8am"), "parameter_invalid", "run_at"},
		{"weekly without day", with("recurrence_type", "weekly"), "parameter_missing", "day_of_week"},
		{"monthly without day", with("recurrence_type", "monthly"), "parameter_missing", "day_of_month"},
		{"unknown group", with("notification_group_id", "ng_nothing"), "parameter_invalid", "notification_group_id"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wantError(t, e.admin(http.MethodPost, base, tc.body), http.StatusBadRequest, tc.code, tc.param)
		})
	}
	m := dailySchedule()
	m["recurrence_type"], m["day_of_week"] = "weekly", 7
	wantError(t, e.admin(http.MethodPost, base, m), http.StatusBadRequest, "parameter_invalid", "day_of_week")
	m["recurrence_type"], m["day_of_month"] = "monthly", 32
	wantError(t, e.admin(http.MethodPost, base, m), http.StatusBadRequest, "parameter_invalid", "day_of_month")
	if r := e.admin(http.MethodGet, base, nil); string(r.body) != "[]\n" {
		t.Fatalf("bad input created schedules: %s", r.body)
	}
	// The front desk reads schedules but may not create or run them.
	wantError(t, e.as(app.RoleFrontdesk, http.MethodPost, base, dailySchedule()), http.StatusForbidden, "permission_denied", "")
	id := createSchedule(t, e, inst, dailySchedule())["id"].(string)
	wantError(t, e.as(app.RoleFrontdesk, http.MethodPost, base+"/"+id+"/run", nil), http.StatusForbidden, "permission_denied", "")
	wantStatus(t, e.as(app.RoleFrontdesk, http.MethodGet, base+"/"+id+"/generate_url", nil), http.StatusOK)
	// A schedule is reached only through its own instance.
	other := couponInstance(t, e)
	wantError(t, e.admin(http.MethodGet, "/captive/instances/"+other+"/coupon-schedules/"+id, nil), http.StatusNotFound, "resource_missing", "")
	wantError(t, e.admin(http.MethodPost, "/captive/instances/"+other+"/coupon-schedules/"+id+"/run", nil), http.StatusNotFound, "resource_missing", "")
}

func TestSignedCouponURL(t *testing.T) {
	e := newEnv(t, "")
	inst := couponInstance(t, e)
	base := "/captive/instances/" + inst + "/coupon-schedules"
	id := createSchedule(t, e, inst, dailySchedule())["id"].(string)
	wantStatus(t, e.admin(http.MethodPost, base+"/"+id+"/run", nil), http.StatusCreated)
	// Coupons made by hand are not part of the schedule's list.
	wantStatus(t, e.admin(http.MethodPost, "/captive/instances/"+inst+"/coupons", map[string]any{"count": 3, "minutes_valid": 60}), http.StatusCreated)

	r := e.as(app.RoleFrontdesk, http.MethodGet, base+"/"+id+"/generate_url", nil)
	wantStatus(t, r, http.StatusOK)
	signed, err := url.Parse(r.object(t)["signed_url"].(string))
	if err != nil || signed.Host != "gatehouse.test" || signed.Path != "/captive/coupons" || signed.Query().Get("sid") != id {
		t.Fatalf("signed_url = %v", signed)
	}
	expires, _ := strconv.ParseInt(signed.Query().Get("expires"), 10, 64)
	if d := time.Until(time.Unix(expires, 0)); d < 23*time.Hour || d > 24*time.Hour+time.Minute {
		t.Fatalf("link valid for %v, want 24h", d)
	}
	q := signed.Query()
	path := func(q url.Values) string { return "/captive/coupons?" + q.Encode() }

	r = e.call(http.MethodGet, path(q), "", nil)
	wantStatus(t, r, http.StatusOK)
	var coupons []map[string]any
	r.json(t, &coupons)
	if len(coupons) != 20 {
		t.Fatalf("signed list has %d coupons, want the schedule's 20", len(coupons))
	}
	for _, format := range []string{"csv", "html"} {
		q2 := url.Values{}
		for k, v := range q {
			q2[k] = v
		}
		q2.Set("format", format)
		r = e.call(http.MethodGet, path(q2), "", nil)
		wantStatus(t, r, http.StatusOK)
		if !strings.Contains(string(r.body), coupons[0]["code"].(string)) {
			t.Fatalf("format %s does not list the codes", format)
		}
	}

	tamper := func(k, v string) url.Values {
		q2 := url.Values{}
		for k, v := range q {
			q2[k] = v
		}
		if v == "" {
			q2.Del(k)
		} else {
			q2.Set(k, v)
		}
		return q2
	}
	other := createSchedule(t, e, inst, dailySchedule())["id"].(string)
	wantError(t, e.call(http.MethodGet, path(tamper("sid", other)), "", nil), http.StatusForbidden, "signature_invalid", "")
	wantError(t, e.call(http.MethodGet, path(tamper("expires", strconv.FormatInt(expires+3600, 10))), "", nil), http.StatusForbidden, "signature_invalid", "")
	sig := q.Get("signature")
	flipped := string(rune(sig[0]^1)) + sig[1:]
	wantError(t, e.call(http.MethodGet, path(tamper("signature", flipped)), "", nil), http.StatusForbidden, "signature_invalid", "")
	wantError(t, e.call(http.MethodGet, path(tamper("signature", "")), "", nil), http.StatusBadRequest, "parameter_missing", "signature")
	wantError(t, e.call(http.MethodGet, path(tamper("sid", "")), "", nil), http.StatusBadRequest, "parameter_missing", "sid")
	wantError(t, e.call(http.MethodGet, path(tamper("expires", "soon")), "", nil), http.StatusBadRequest, "parameter_invalid", "expires")
	wantError(t, e.call(http.MethodGet, path(tamper("format", "pdf")), "", nil), http.StatusBadRequest, "parameter_invalid", "format")

	// An expired link, correctly signed.
	links := app.LinkSigner{BaseURL: "http://gatehouse.test", Key: e.keys[1], Now: func() time.Time { return time.Now().Add(-25 * time.Hour) }}
	old, _ := url.Parse(links.CouponListURL(id))
	wantError(t, e.call(http.MethodGet, path(old.Query()), "", nil), http.StatusForbidden, "signature_expired", "")
	// Signed with another key (a rotated one): refused.
	rotated := app.LinkSigner{BaseURL: "http://gatehouse.test", Key: []byte("another-key-another-key-another-"), Now: time.Now}
	fresh, _ := url.Parse(rotated.CouponListURL(id))
	wantError(t, e.call(http.MethodGet, path(fresh.Query()), "", nil), http.StatusForbidden, "signature_invalid", "")

	// A deleted schedule's link answers 404.
	wantStatus(t, e.admin(http.MethodDelete, base+"/"+id, nil), http.StatusNoContent)
	wantError(t, e.call(http.MethodGet, path(q), "", nil), http.StatusNotFound, "resource_missing", "")
}

func mustZone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// TestSignedLinkGuessingIsLimited: a source that keeps trying bad
// signatures must wait, with Retry-After.
func TestSignedLinkGuessingIsLimited(t *testing.T) {
	e := newEnv(t, "")
	inst := couponInstance(t, e)
	id := createSchedule(t, e, inst, dailySchedule())["id"].(string)
	signed, _ := url.Parse(e.admin(http.MethodGet, "/captive/instances/"+inst+"/coupon-schedules/"+id+"/generate_url", nil).object(t)["signed_url"].(string))
	good := signed.RequestURI()
	q := signed.Query()
	for i := range 20 {
		q.Set("signature", strings.Repeat(string(rune('a'+i%26)), 43))
		wantError(t, e.call(http.MethodGet, "/captive/coupons?"+q.Encode(), "", nil), http.StatusForbidden, "signature_invalid", "")
	}
	r := e.call(http.MethodGet, good, "", nil)
	wantError(t, r, http.StatusTooManyRequests, "rate_limited", "")
	if secs, err := strconv.Atoi(r.header.Get("Retry-After")); err != nil || secs < 1 || secs > 61 {
		t.Fatalf("Retry-After = %q", r.header.Get("Retry-After"))
	}
}
