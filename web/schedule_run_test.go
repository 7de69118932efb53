package web_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gatehouse/app"
	"gatehouse/notify"
)

// runJSON is a decoded ScheduleRun.
type runJSON struct {
	ID            string
	Slot          string
	Manual        bool
	RanAt         string `json:"ran_at"`
	Generated     int
	Used          int
	Available     int
	Notifications []struct {
		Channel, Target, Status string
		Attempts                int
		LastError               *string `json:"last_error"`
		DeliveredAt             *string `json:"delivered_at"`
	}
}

func listRuns(t testing.TB, e *env, role app.Role, path string) []runJSON {
	t.Helper()
	r := e.as(role, http.MethodGet, path, nil)
	wantStatus(t, r, http.StatusOK)
	var runs []runJSON
	r.json(t, &runs)
	return runs
}

func TestScheduleRuns(t *testing.T) {
	e := newEnv(t, "")
	ctx := t.Context()
	// The webhook receiver refuses until it is told to accept.
	var accept atomic.Bool
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !accept.Load() {
			http.Error(w, "receiver is down", http.StatusInternalServerError)
		}
	}))
	defer hook.Close()
	group := ngCreate(t, e, map[string]any{"name": "Desk", "webhook_url": hook.URL + "/hook", "emails": []string{"desk@example.com"}})

	inst := couponInstance(t, e)
	body := dailySchedule()
	body["count"], body["notification_group_id"] = 3, group["id"]
	sch := createSchedule(t, e, inst, body)["id"].(string)
	path := "/captive/instances/" + inst + "/coupon-schedules/" + sch + "/runs"
	if runs := listRuns(t, e, app.RoleAdmin, path); len(runs) != 0 {
		t.Fatalf("history before any run = %+v, want empty", runs)
	}

	// The timetable runs a slot, then "run now" twice.
	if _, _, _, err := e.scheduler.RunSlot(ctx, sch, "2026-06-01T08:00"); err != nil {
		t.Fatal(err)
	}
	var coupons []map[string]any
	for range 2 {
		r := e.admin(http.MethodPost, "/captive/instances/"+inst+"/coupon-schedules/"+sch+"/run", nil)
		wantStatus(t, r, http.StatusCreated)
		r.json(t, &coupons)
	}
	// Of the latest batch one is used at the portal and one withdrawn.
	e.hotspotSite(inst)
	form := url.Values{"code": {coupons[0]["code"].(string)}, "mac": {"AA:BB:CC:00:00:01"}, "link-login-only": {"http://10.5.50.1/login"}}
	wantStatus(t, e.form("/portal/"+inst+"/login", form, nil), http.StatusSeeOther)
	wantStatus(t, e.admin(http.MethodDelete, "/captive/instances/"+inst+"/coupons/"+coupons[1]["id"].(string), nil), http.StatusNoContent)

	// A front desk sees the history but not where notifications go.
	for _, r := range listRuns(t, e, app.RoleFrontdesk, path) {
		if len(r.Notifications) != 0 {
			t.Fatalf("frontdesk sees notifications %+v: targets may be secrets", r.Notifications)
		}
	}
	runs := listRuns(t, e, app.RoleOperator, path)
	if len(runs) != 3 {
		t.Fatalf("history has %d runs, want 3", len(runs))
	}
	if !runs[0].Manual || !runs[1].Manual || runs[0].Slot != "" || runs[2].Manual || runs[2].Slot != "2026-06-01T08:00" {
		t.Errorf("runs newest first = manual %v %v %v, slots %q %q %q; want two manual runs, then slot 2026-06-01T08:00",
			runs[0].Manual, runs[1].Manual, runs[2].Manual, runs[0].Slot, runs[1].Slot, runs[2].Slot)
	}
	if runs[0].RanAt < runs[1].RanAt || runs[1].RanAt < runs[2].RanAt {
		t.Errorf("ran_at not newest first: %s, %s, %s", runs[0].RanAt, runs[1].RanAt, runs[2].RanAt)
	}
	if r := runs[0]; r.Generated != 3 || r.Used != 1 || r.Available != 1 {
		t.Errorf("latest run: generated %d used %d available %d, want 3, 1, 1", r.Generated, r.Used, r.Available)
	}
	if r := runs[1]; r.Generated != 3 || r.Used != 0 || r.Available != 3 {
		t.Errorf("earlier run: generated %d used %d available %d, want 3, 0, 3", r.Generated, r.Used, r.Available)
	}
	// The schedule's own last-run counters agree with the history.
	got := e.admin(http.MethodGet, "/captive/instances/"+inst+"/coupon-schedules/"+sch, nil).object(t)
	if got["tokens_used_since_last_run"] != float64(1) || got["tokens_available_since_last_run"] != float64(1) {
		t.Errorf("schedule counters = used %v available %v, want 1 and 1", got["tokens_used_since_last_run"], got["tokens_available_since_last_run"])
	}
	for _, r := range runs {
		n := r.Notifications
		if len(n) != 2 || n[0].Channel != "webhook" || n[0].Target != hook.URL+"/hook" || n[1].Channel != "email" ||
			n[1].Target != "desk@example.com" {
			t.Fatalf("run %s notifications = %+v, want the webhook then the e-mail", r.ID, n)
		}
		for _, d := range n {
			if d.Status != "pending" || d.Attempts != 0 || d.LastError != nil || d.DeliveredAt != nil {
				t.Errorf("unsent notification = %+v, want pending, no attempts, no error", d)
			}
		}
	}

	// A pass of the notifier: the webhook answers 500 and e-mail is not
	// set up, so both are to be tried again. An hour later the webhook
	// accepts and e-mail, at its last attempt, is given up.
	now := time.Now()
	clock := func() time.Time { return now }
	n := notify.New(notify.Config{Links: &app.LinkSigner{BaseURL: "http://gatehouse.test", Key: e.keys[1], Now: clock},
		Now: clock, Backoff: []time.Duration{time.Hour}, AllowPrivateWebhooks: true}, e.store, nil) // the receiver is on 127.0.0.1
	if err := n.DeliverDue(ctx); err != nil {
		t.Fatal(err)
	}
	for _, d := range listRuns(t, e, app.RoleAdmin, path)[0].Notifications {
		if d.Status != "pending" || d.Attempts != 1 || d.LastError == nil || d.DeliveredAt != nil {
			t.Errorf("after a failed attempt: %+v, want pending, 1 attempt, an error", d)
		}
		if d.Channel == "webhook" && !strings.Contains(*d.LastError, "500") {
			t.Errorf("webhook error = %q, want it to name the 500 answer", *d.LastError)
		}
	}
	accept.Store(true)
	now = now.Add(2 * time.Hour)
	if err := n.DeliverDue(ctx); err != nil {
		t.Fatal(err)
	}
	for _, r := range listRuns(t, e, app.RoleAdmin, path) {
		hookD, mailD := r.Notifications[0], r.Notifications[1]
		if hookD.Status != "delivered" || hookD.Attempts != 2 || hookD.DeliveredAt == nil {
			t.Errorf("webhook after the receiver came back: %+v, want delivered at the second attempt", hookD)
		}
		if mailD.Status != "failed" || mailD.Attempts != 2 || mailD.LastError == nil || mailD.DeliveredAt != nil {
			t.Errorf("e-mail after its last attempt: %+v, want failed with an error", mailD)
		}
	}

	// limit keeps the newest runs.
	if got := listRuns(t, e, app.RoleAdmin, path+"?limit=2"); len(got) != 2 || got[0].ID != runs[0].ID || got[1].ID != runs[1].ID {
		t.Errorf("limit=2 gave %d runs, want the newest two", len(got))
	}
	for _, bad := range []string{"0", "-1", "501", "ten", "1.5", ""} {
		r := e.admin(http.MethodGet, path+"?limit="+bad, nil)
		if bad == "" {
			wantStatus(t, r, http.StatusOK) // absent means the default
			continue
		}
		wantError(t, r, http.StatusBadRequest, "parameter_invalid", "limit")
	}

	// Unknown or mismatched ids are not found.
	other := couponInstance(t, e)
	for _, p := range []string{
		"/captive/instances/" + inst + "/coupon-schedules/0190c0de-0000-7000-8000-000000000000/runs",
		"/captive/instances/0190c0de-0000-7000-8000-000000000000/coupon-schedules/" + sch + "/runs",
		"/captive/instances/" + other + "/coupon-schedules/" + sch + "/runs",
		"/captive/instances/" + inst + "/coupon-schedules/not-a-uuid/runs",
	} {
		wantError(t, e.admin(http.MethodGet, p, nil), http.StatusNotFound, "resource_missing", "")
	}
	wantStatus(t, e.call(http.MethodGet, path, "", nil), http.StatusUnauthorized)
}
