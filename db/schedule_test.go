package db

import (
	"testing"
	"time"

	"gatehouse/app"
)

func mustCreateSchedule(tb testing.TB, db *DB, instanceID string) app.Schedule {
	tb.Helper()
	s, err := db.CreateSchedule(tb.Context(), app.Schedule{InstanceID: instanceID, Name: "Daily", Count: 10,
		Recurrence: app.RecurDaily, ValidForMinutes: 60, Timezone: "Europe/Berlin", RunAt: "08:00"})
	if err != nil {
		tb.Fatalf("CreateSchedule: %v", err)
	}
	return s
}

func TestScheduleCRUD(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	in := mustCreateInstance(t, db, testInstance("Guest"))
	s := mustCreateSchedule(t, db, in.ID)
	if s.LastRun != nil || s.RunAt != "08:00" || s.DayOfWeek != nil {
		t.Fatalf("new schedule: %+v", s)
	}
	s, err := db.UpdateSchedule(ctx, in.ID, s.ID, func(s *app.Schedule) error {
		dom := 31
		s.Recurrence, s.DayOfMonth = app.RecurMonthly, &dom
		return nil
	})
	if err != nil || s.Recurrence != app.RecurMonthly || s.DayOfMonth == nil || *s.DayOfMonth != 31 {
		t.Fatalf("update: %+v, %v", s, err)
	}
	_, err = db.UpdateSchedule(ctx, in.ID, s.ID, func(s *app.Schedule) error { s.Timezone = "Nowhere/City"; return nil })
	wantCode(t, err, app.EInvalid, "timezone")
	other := mustCreateInstance(t, db, testInstance("Other"))
	_, err = db.Schedule(ctx, other.ID, s.ID)
	wantCode(t, err, app.ENotFound, "")
	_, err = db.ListSchedules(ctx, unknownID)
	wantCode(t, err, app.ENotFound, "")
	_, err = db.CreateSchedule(ctx, app.Schedule{InstanceID: unknownID, Name: "x", Count: 1, Recurrence: app.RecurDaily, ValidForMinutes: 1, Timezone: "UTC"})
	wantCode(t, err, app.ENotFound, "")
	all, err := db.AllSchedules(ctx)
	if err != nil || len(all) != 1 {
		t.Fatalf("AllSchedules = %d, %v", len(all), err)
	}
	if err := db.DeleteSchedule(ctx, in.ID, s.ID); err != nil {
		t.Fatal(err)
	}
	wantCode(t, db.DeleteSchedule(ctx, in.ID, s.ID), app.ENotFound, "")
}

func TestRunScheduleOncePerSlot(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	in := mustCreateInstance(t, db, testInstance("Guest"))
	s := mustCreateSchedule(t, db, in.ID)
	run, coupons, created, err := db.RunSchedule(ctx, s.ID, "2026-11-27T08:00")
	if err != nil || !created || len(coupons) != 10 || run.Generated != 10 {
		t.Fatalf("first run: %+v %d %v %v", run, len(coupons), created, err)
	}
	again, coupons, created, err := db.RunSchedule(ctx, s.ID, "2026-11-27T08:00")
	if err != nil || created || len(coupons) != 0 || again.ID != run.ID {
		t.Fatalf("second run of the slot: %+v %d %v %v", again, len(coupons), created, err)
	}
	for _, c := range coupons {
		if c.ScheduleID != s.ID || c.RunID != run.ID {
			t.Fatalf("coupon %+v not tied to its run", c)
		}
	}
	// Redeem two; the schedule's counters follow.
	list, _ := db.ListCoupons(ctx, in.ID, app.CouponAll)
	mustExec(t, db, `UPDATE coupons SET redeemed_at = ? WHERE id IN (?, ?)`, micros(time.Now()), list[0].ID, list[1].ID)
	got, err := db.Schedule(ctx, in.ID, s.ID)
	if err != nil || got.LastRun == nil || got.LastRun.Generated != 10 || got.LastRun.Used != 2 || got.LastRun.Available != 8 {
		t.Fatalf("last run = %+v, %v; want 10 generated, 2 used, 8 available", got.LastRun, err)
	}
	_, _, _, err = db.RunSchedule(ctx, unknownID, "k")
	wantCode(t, err, app.ENotFound, "")
}

// TestScheduleCouponsCache: the signed list is cached, but every write
// and every expiry shows at once.
func TestScheduleCouponsCache(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	in := mustCreateInstance(t, db, testInstance("Guest"))
	s := mustCreateSchedule(t, db, in.ID)
	list, err := db.ScheduleCoupons(ctx, s.ID)
	if err != nil || len(list) != 0 {
		t.Fatalf("before any run: %d, %v", len(list), err)
	}
	_, coupons, _, err := db.RunSchedule(ctx, s.ID, "slot-1")
	if err != nil {
		t.Fatal(err)
	}
	if list, _ = db.ScheduleCoupons(ctx, s.ID); len(list) != 10 {
		t.Fatalf("after the run: %d coupons, want 10", len(list))
	}
	if err := db.RevokeCoupon(ctx, in.ID, coupons[0].ID, app.Actor{Role: app.RoleAdmin}); err != nil {
		t.Fatal(err)
	}
	if list, _ = db.ScheduleCoupons(ctx, s.ID); len(list) != 9 {
		t.Fatalf("after a revoke: %d coupons, want 9", len(list))
	}
	// An expiry needs no write to show: the entry ends at the first expiry.
	db.lists.mu.Lock()
	e := db.lists.entries[s.ID]
	e.until = time.Now().Add(-time.Second)
	db.lists.entries[s.ID] = e
	db.lists.mu.Unlock()
	mustExec(t, db, `UPDATE coupons SET expires_at = ? WHERE id = ?`, micros(time.Now().Add(-time.Minute)), coupons[1].ID)
	if list, _ = db.ScheduleCoupons(ctx, s.ID); len(list) != 8 {
		t.Fatalf("after an expiry: %d coupons, want 8", len(list))
	}
	if err := db.DeleteSchedule(ctx, in.ID, s.ID); err != nil {
		t.Fatal(err)
	}
	_, err = db.ScheduleCoupons(ctx, s.ID)
	wantCode(t, err, app.ENotFound, "")
	_, err = db.ScheduleCoupons(ctx, "not-an-id")
	wantCode(t, err, app.ENotFound, "")
}
