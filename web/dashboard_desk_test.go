package web_test

import (
	"net/http"
	"testing"
	"time"
)

func TestDashboardCodesLeftAndNextRun(t *testing.T) {
	e := newEnv(t, "")
	inst := createInstance(t, e, map[string]any{"name": "Lobby", "strategy": "coupon", "session_ttl": 3600})["id"].(string)
	var d map[string]any
	e.admin(http.MethodGet, "/captive/dashboard", nil).json(t, &d)
	if d["next_schedule_run"] != nil {
		t.Fatalf("next_schedule_run without schedules = %v, want null", d["next_schedule_run"])
	}

	var made []map[string]any
	e.admin(http.MethodPost, "/captive/instances/"+inst+"/coupons", map[string]any{"count": 3, "minutes_valid": 60}).json(t, &made)
	wantStatus(t, e.admin(http.MethodDelete, "/captive/instances/"+inst+"/coupons/"+made[0]["id"].(string), nil), http.StatusNoContent)
	r := e.admin(http.MethodPost, "/captive/instances/"+inst+"/coupon-schedules", map[string]any{"name": "Morning", "count": 5,
		"recurrence_type": "daily", "valid_for_in_minutes": 600, "timezone": "Asia/Tokyo", "run_at": "07:00"})
	wantStatus(t, r, http.StatusCreated)
	sched := r.object(t)

	e.admin(http.MethodGet, "/captive/dashboard", nil).json(t, &d)
	portals := d["portals"].([]any)
	if len(portals) != 1 {
		t.Fatalf("portals = %v, want one", portals)
	}
	if p := portals[0].(map[string]any); p["id"] != inst || p["unused_codes"] != float64(2) {
		t.Fatalf("portal = %v, want %s with 2 unused codes", p, inst)
	}
	next := d["next_schedule_run"].(map[string]any)
	if next["schedule_id"] != sched["id"] || next["timezone"] != "Asia/Tokyo" || next["at"] != sched["next_run_at"] {
		t.Fatalf("next_schedule_run = %v, want the schedule %v at %v", next, sched["id"], sched["next_run_at"])
	}
	at, _ := time.Parse(time.RFC3339, next["at"].(string))
	if local := at.In(mustZone(t, "Asia/Tokyo")); local.Hour() != 7 || local.Minute() != 0 {
		t.Fatalf("next run at %v Tokyo time, want 07:00", local)
	}
}
