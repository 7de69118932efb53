package db

import (
	"database/sql"
	"fmt"
	"reflect"
	"testing"
	"time"

	"gatehouse/app"
)

// notifRun inserts a run of the schedule with plain SQL, as RunSchedule
// would, and returns its id.
func notifRun(tb testing.TB, db *DB, scheduleID string, ranAt time.Time) string {
	tb.Helper()
	id, err := newID()
	if err != nil {
		tb.Fatal(err)
	}
	_, err = db.writer.ExecContext(tb.Context(), `INSERT INTO schedule_runs (id, schedule_id, slot_key, ran_at, generated)
		VALUES (?, ?, ?, ?, 10)`, id, scheduleID, "manual:"+id, micros(ranAt))
	if err != nil {
		tb.Fatalf("insert run: %v", err)
	}
	return id
}

// notifDelivery inserts a pending delivery of the run with plain SQL, due
// at due, and returns it as DueDeliveries should read it.
func notifDelivery(tb testing.TB, db *DB, g app.NotificationGroup, runID, channel, target string, due time.Time) app.Delivery {
	tb.Helper()
	var instanceID, scheduleID string
	var ranAt int64
	err := db.writer.QueryRowContext(tb.Context(), `SELECT s.instance_id, s.id, r.ran_at FROM schedule_runs r
		JOIN coupon_schedules s ON s.id = r.schedule_id WHERE r.id = ?`, runID).Scan(&instanceID, &scheduleID, &ranAt)
	if err != nil {
		tb.Fatalf("read run: %v", err)
	}
	id, err := newID()
	if err != nil {
		tb.Fatal(err)
	}
	created := time.Now().UTC().Truncate(time.Microsecond)
	d := app.Delivery{ID: id, GroupID: g.ID, Channel: channel, Target: target, InstanceID: instanceID,
		ScheduleID: scheduleID, RunID: runID, Count: 10, RanAt: fromMicros(ranAt),
		NextAttemptAt: due.UTC().Truncate(time.Microsecond), CreatedAt: created}
	_, err = db.writer.ExecContext(tb.Context(), `INSERT INTO notification_deliveries (id, group_id, channel,
		target, instance_id, schedule_id, run_id, count, ran_at, next_attempt_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		d.ID, d.GroupID, d.Channel, d.Target, d.InstanceID, d.ScheduleID, d.RunID, d.Count,
		micros(d.RanAt), micros(d.NextAttemptAt), micros(d.CreatedAt))
	if err != nil {
		tb.Fatalf("insert delivery: %v", err)
	}
	return d
}

// notifyError reads a run's notify_error.
func notifyError(tb testing.TB, db *DB, runID string) string {
	tb.Helper()
	var s string
	if err := db.writer.QueryRowContext(tb.Context(), `SELECT notify_error FROM schedule_runs WHERE id = ?`, runID).Scan(&s); err != nil {
		tb.Fatalf("read notify_error: %v", err)
	}
	return s
}

func dueIDs(tb testing.TB, db *DB, now time.Time, limit int) []string {
	tb.Helper()
	list, err := db.DueDeliveries(tb.Context(), now, limit)
	if err != nil {
		tb.Fatalf("DueDeliveries: %v", err)
	}
	ids := []string{}
	for _, d := range list {
		ids = append(ids, d.ID)
	}
	return ids
}

func TestDueDeliveries(t *testing.T) {
	db := openTest(t)
	g := mustCreateGroup(t, db, testGroup("front"))
	t0 := time.Date(2025, 10, 29, 8, 0, 0, 0, time.UTC)
	run := notifRun(t, db, notifSchedule(t, db, "daily", g.ID), t0)
	a := notifDelivery(t, db, g, run, app.ChannelWebhook, g.WebhookURL, t0)
	time.Sleep(time.Millisecond) // created_at orders them
	b := notifDelivery(t, db, g, run, app.ChannelEmail, "desk@example.com", t0.Add(-time.Minute))
	time.Sleep(time.Millisecond)
	c := notifDelivery(t, db, g, run, app.ChannelEmail, "boss@example.com", t0.Add(time.Minute))

	got, err := db.DueDeliveries(t.Context(), t0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if want := []app.Delivery{a, b}; !reflect.DeepEqual(got, want) {
		t.Errorf("DueDeliveries at t0:\n got %+v\nwant %+v", got, want)
	}
	for _, tc := range []struct {
		now   time.Time
		limit int
		want  []string
	}{
		{t0.Add(-2 * time.Minute), 10, []string{}},
		{t0.Add(-time.Minute), 10, []string{b.ID}},
		{t0.Add(time.Minute), 10, []string{a.ID, b.ID, c.ID}},
		{t0.Add(time.Minute), 2, []string{a.ID, b.ID}},
		{t0.Add(time.Minute), 0, []string{a.ID, b.ID, c.ID}},
	} {
		if got := dueIDs(t, db, tc.now, tc.limit); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("DueDeliveries(%v, %d): got %v, want %v", tc.now, tc.limit, got, tc.want)
		}
	}
}

func TestDeliveryTransitions(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	g := mustCreateGroup(t, db, testGroup("front"))
	t0 := time.Date(2025, 10, 29, 8, 0, 0, 0, time.UTC)
	run := notifRun(t, db, notifSchedule(t, db, "daily", g.ID), t0)
	hook := notifDelivery(t, db, g, run, app.ChannelWebhook, g.WebhookURL, t0)
	mail := notifDelivery(t, db, g, run, app.ChannelEmail, "desk@example.com", t0)

	// The webhook fails and is retried later; the run shows the error.
	next := t0.Add(time.Minute)
	if err := db.DeliveryFailed(ctx, hook.ID, t0, "webhook: HTTP 500", next); err != nil {
		t.Fatal(err)
	}
	if got := dueIDs(t, db, t0, 10); !reflect.DeepEqual(got, []string{mail.ID}) {
		t.Errorf("due after failure: got %v, want only the e-mail", got)
	}
	if got := notifyError(t, db, run); got != "webhook: HTTP 500" {
		t.Errorf("run notify_error: got %q, want the webhook's error", got)
	}
	list, err := db.DueDeliveries(ctx, next, 10)
	if err != nil || len(list) != 2 || list[0].ID != hook.ID {
		t.Fatalf("due at the next attempt: got %+v, %v", list, err)
	}
	if d := list[0]; d.Attempts != 1 || d.LastError != "webhook: HTTP 500" || !d.NextAttemptAt.Equal(next) || d.FailedAt != nil || d.DeliveredAt != nil {
		t.Errorf("failed delivery: got %+v, want 1 attempt, the error, next attempt %v", d, next)
	}

	// The e-mail is delivered: the webhook still fails, so the error stays.
	if err := db.DeliverySucceeded(ctx, mail.ID, t0); err != nil {
		t.Fatal(err)
	}
	if got := notifyError(t, db, run); got != "webhook: HTTP 500" {
		t.Errorf("run notify_error after the e-mail: got %q, want the webhook's error kept", got)
	}
	wantCode(t, db.DeliverySucceeded(ctx, mail.ID, t0), app.EConflict, "")
	wantCode(t, db.DeliveryFailed(ctx, mail.ID, t0, "x", next), app.EConflict, "")

	// The webhook's retry succeeds: nothing fails any more, the error goes.
	if err := db.DeliverySucceeded(ctx, hook.ID, next); err != nil {
		t.Fatal(err)
	}
	if got := notifyError(t, db, run); got != "" {
		t.Errorf("run notify_error after every delivery succeeded: got %q, want none", got)
	}
	if got := dueIDs(t, db, next.Add(time.Hour), 10); len(got) != 0 {
		t.Errorf("due after delivery: got %v, want none", got)
	}
	var attempts int
	var delivered sql.NullInt64
	if err := db.writer.QueryRowContext(ctx, `SELECT attempts, delivered_at FROM notification_deliveries WHERE id = ?`, hook.ID).Scan(&attempts, &delivered); err != nil {
		t.Fatal(err)
	}
	if attempts != 2 || !delivered.Valid || !fromMicros(delivered.Int64).Equal(next) {
		t.Errorf("delivered webhook: attempts %d, delivered_at %v; want 2 and %v", attempts, delivered, next)
	}

	wantCode(t, db.DeliverySucceeded(ctx, "no-such-delivery", t0), app.ENotFound, "")
	wantCode(t, db.DeliveryFailed(ctx, unknownID, t0, "x", next), app.ENotFound, "")
}

func TestDeliveryGivenUp(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	g := mustCreateGroup(t, db, testGroup("front"))
	t0 := time.Date(2025, 10, 29, 8, 0, 0, 0, time.UTC)
	run := notifRun(t, db, notifSchedule(t, db, "daily", g.ID), t0)
	d := notifDelivery(t, db, g, run, app.ChannelEmail, "desk@example.com", t0)

	at := t0
	for i := range 3 {
		at = at.Add(time.Minute)
		if err := db.DeliveryFailed(ctx, d.ID, at, fmt.Sprintf("e-mail to desk@example.com: try %d", i+1), at.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	giveUp := at.Add(time.Minute)
	if err := db.DeliveryFailed(ctx, d.ID, giveUp, "e-mail to desk@example.com: smtp is not configured", time.Time{}); err != nil {
		t.Fatal(err)
	}
	if got := dueIDs(t, db, giveUp.Add(24*time.Hour), 10); len(got) != 0 {
		t.Errorf("due after giving up: got %v, want none", got)
	}
	var (
		attempts  int
		lastError string
		failed    sql.NullInt64
		delivered sql.NullInt64
	)
	if err := db.writer.QueryRowContext(ctx, `SELECT attempts, last_error, failed_at, delivered_at
		FROM notification_deliveries WHERE id = ?`, d.ID).Scan(&attempts, &lastError, &failed, &delivered); err != nil {
		t.Fatal(err)
	}
	if attempts != 4 || lastError != "e-mail to desk@example.com: smtp is not configured" ||
		!failed.Valid || !fromMicros(failed.Int64).Equal(giveUp) || delivered.Valid {
		t.Errorf("given up: attempts %d, last_error %q, failed_at %v, delivered_at %v; want 4, the last error, %v, none",
			attempts, lastError, failed, delivered, giveUp)
	}
	if got := notifyError(t, db, run); got != "e-mail to desk@example.com: smtp is not configured" {
		t.Errorf("run notify_error: got %q, want the last error", got)
	}
	wantCode(t, db.DeliveryFailed(ctx, d.ID, giveUp, "again", time.Time{}), app.EConflict, "")
	wantCode(t, db.DeliverySucceeded(ctx, d.ID, giveUp), app.EConflict, "")
}

// TestDeliveriesOfARun drains what RunSchedule queues: the outbox rows it
// writes are the ones DueDeliveries reads, and a failure shows on the
// schedule's last run.
func TestDeliveriesOfARun(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	g := mustCreateGroup(t, db, app.NotificationGroup{Name: "front", WebhookURL: "https://hooks.example.com/x",
		Emails: []string{"desk@example.com", "boss@example.com"}})
	in := mustCreateInstance(t, db, testInstance("guests"))
	s, err := db.CreateSchedule(ctx, app.Schedule{InstanceID: in.ID, Name: "Daily passes", Count: 3,
		Recurrence: app.RecurDaily, ValidForMinutes: 60, Timezone: "Europe/Berlin", NotificationGroupID: g.ID})
	if err != nil {
		t.Fatal(err)
	}
	run, _, created, err := db.RunSchedule(ctx, s.ID, "manual:1")
	if err != nil || !created {
		t.Fatalf("RunSchedule: created %v, %v", created, err)
	}
	due, err := db.DueDeliveries(ctx, time.Now(), 10)
	if err != nil {
		t.Fatal(err)
	}
	targets := map[string]string{}
	for _, d := range due {
		targets[d.Target] = d.Channel
		if d.GroupID != g.ID || d.InstanceID != in.ID || d.ScheduleID != s.ID || d.RunID != run.ID ||
			d.Count != 3 || !d.RanAt.Equal(run.RanAt) || d.Attempts != 0 {
			t.Errorf("delivery %+v: want group, instance, schedule and run of the run, count 3", d)
		}
	}
	want := map[string]string{g.WebhookURL: app.ChannelWebhook, "desk@example.com": app.ChannelEmail, "boss@example.com": app.ChannelEmail}
	if !reflect.DeepEqual(targets, want) {
		t.Fatalf("due targets: got %v, want %v", targets, want)
	}

	if err := db.DeliveryFailed(ctx, due[0].ID, time.Now(), "webhook: HTTP 502", time.Now().Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	got, err := db.Schedule(ctx, in.ID, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.LastRun == nil || got.LastRun.NotifyError != "webhook: HTTP 502" {
		t.Errorf("schedule's last run: got %+v, want notify error %q", got.LastRun, "webhook: HTTP 502")
	}
}
