package scheduler_test

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gatehouse/app"
	"gatehouse/db"
	"gatehouse/scheduler"
)

type fixture struct {
	store    *db.DB
	instance app.Instance
}

func newFixture(t *testing.T) fixture {
	t.Helper()
	store, err := db.Open(t.Context(), t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	in := app.NewInstance()
	in.Name, in.Strategy, in.SessionTTL = "Guest", app.StrategyCoupon, 3600
	in, err = store.CreateInstance(t.Context(), in)
	if err != nil {
		t.Fatal(err)
	}
	return fixture{store: store, instance: in}
}

func (f fixture) schedule(t *testing.T, validFor int) app.Schedule {
	t.Helper()
	s, err := f.store.CreateSchedule(t.Context(), app.Schedule{InstanceID: f.instance.ID, Name: "Daily", Count: 5,
		Recurrence: app.RecurDaily, ValidForMinutes: validFor, Timezone: "Australia/Sydney", RunAt: "08:00"})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func (f fixture) coupons(t *testing.T) int {
	t.Helper()
	list, err := f.store.ListCoupons(t.Context(), f.instance.ID, app.CouponAll)
	if err != nil {
		t.Fatal(err)
	}
	return len(list)
}

type kicks struct{ n atomic.Int32 }

func (k *kicks) Kick() { k.n.Add(1) }

func newScheduler(f fixture, now time.Time, k scheduler.Notifier) *scheduler.Scheduler {
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	return scheduler.New(f.store, k, scheduler.Config{Now: func() time.Time { return now }}, logger)
}

// TestCatchUpRunsTheLatestMissedSlotOnce: gatehouse was down for three
// days; at start-up it runs only the latest slot, once, however often it
// restarts.
func TestCatchUpRunsTheLatestMissedSlotOnce(t *testing.T) {
	f := newFixture(t)
	sch := f.schedule(t, 480)
	first, _, err := sch.NextSlot(sch.CreatedAt)
	if err != nil {
		t.Fatal(err)
	}
	now := first.Add(2*24*time.Hour + time.Hour) // an hour after the third slot
	_, wantKey, _ := sch.PrevSlot(now)
	k := &kicks{}
	for range 3 { // three restarts
		list, err := f.store.AllSchedules(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		newScheduler(f, now, k).CatchUp(t.Context(), list)
	}
	if got := f.coupons(t); got != 5 {
		t.Fatalf("coupons after catch-up = %d, want 5 (one run)", got)
	}
	got, err := f.store.Schedule(t.Context(), f.instance.ID, sch.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.LastRun == nil || got.LastRun.SlotKey != wantKey {
		t.Fatalf("last run = %+v, want slot %s", got.LastRun, wantKey)
	}
	if k.n.Load() != 1 {
		t.Errorf("notifier kicked %d times, want 1", k.n.Load())
	}
}

// TestCatchUpSkipsExpiredSlot: a missed slot whose coupons would already
// have expired is not generated.
func TestCatchUpSkipsExpiredSlot(t *testing.T) {
	f := newFixture(t)
	sch := f.schedule(t, 60)
	first, _, _ := sch.NextSlot(sch.CreatedAt)
	list, _ := f.store.AllSchedules(t.Context())
	newScheduler(f, first.Add(2*time.Hour), nil).CatchUp(t.Context(), list)
	if got := f.coupons(t); got != 0 {
		t.Fatalf("coupons = %d, want 0", got)
	}
	// Before the first slot there is nothing to catch up either.
	newScheduler(f, first.Add(-time.Minute), nil).CatchUp(t.Context(), list)
	if got := f.coupons(t); got != 0 {
		t.Fatalf("coupons = %d, want 0", got)
	}
}

// TestRacingRunsGenerateOnce: ten runners (cron, run-now, another process)
// race for one slot; exactly one batch is made.
func TestRacingRunsGenerateOnce(t *testing.T) {
	f := newFixture(t)
	sch := f.schedule(t, 480)
	s := newScheduler(f, time.Now(), nil)
	var created atomic.Int32
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			_, _, ok, err := s.RunSlot(context.Background(), sch.ID, "2026-11-27T08:00")
			if err != nil {
				t.Error(err)
			}
			if ok {
				created.Add(1)
			}
		})
	}
	wg.Wait()
	if created.Load() != 1 || f.coupons(t) != 5 {
		t.Fatalf("created %d runs and %d coupons, want 1 and 5", created.Load(), f.coupons(t))
	}
}

func TestRunNowAlwaysGenerates(t *testing.T) {
	f := newFixture(t)
	sch := f.schedule(t, 480)
	s := newScheduler(f, time.Now(), nil) // a frozen clock: both calls in the same instant
	for i := 1; i <= 2; i++ {
		coupons, err := s.RunNow(t.Context(), sch.ID)
		if err != nil || len(coupons) != 5 {
			t.Fatalf("RunNow #%d = %d coupons, %v", i, len(coupons), err)
		}
	}
	if _, err := s.RunNow(t.Context(), "01900000-0000-7000-8000-000000000000"); app.ErrorCode(err) != app.ENotFound {
		t.Fatalf("RunNow unknown schedule: %v, want not_found", err)
	}
}

// TestTimersFollowEdits: the cron entry's next run is the schedule's next
// slot, and an edit moves it at once; a deleted schedule is dropped.
func TestTimersFollowEdits(t *testing.T) {
	f := newFixture(t)
	sch := f.schedule(t, 480)
	s := scheduler.New(f.store, nil, scheduler.Config{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err := s.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	defer s.Close(context.Background())
	want, _, _ := sch.NextSlot(time.Now())
	if got := s.NextRun(sch.ID); !got.Equal(want) {
		t.Fatalf("next run = %v, want %v", got, want)
	}
	sch, err := f.store.UpdateSchedule(t.Context(), f.instance.ID, sch.ID, func(s *app.Schedule) error {
		s.RunAt = "21:15"
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	s.ScheduleChanged(sch.ID)
	want, _, _ = sch.NextSlot(time.Now())
	if got := s.NextRun(sch.ID); !got.Equal(want) {
		t.Fatalf("after edit next run = %v, want %v", got, want)
	}
	if err := f.store.DeleteSchedule(t.Context(), f.instance.ID, sch.ID); err != nil {
		t.Fatal(err)
	}
	s.ScheduleChanged(sch.ID)
	if got := s.NextRun(sch.ID); !got.IsZero() {
		t.Fatalf("deleted schedule still planned at %v", got)
	}
}
