package notify_test

import (
	"bytes"
	"context"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"gatehouse/app"
	"gatehouse/notify"
)

// fakeStore is an in-memory outbox with the store's rules (pending = not
// delivered and not given up; attempts count; give-up when next is zero),
// recording every outcome the notifier reports.
type fakeStore struct {
	mu         sync.Mutex
	deliveries []*app.Delivery
	groups     map[string]app.NotificationGroup
	locales    map[string]string // instance id → locale
	schedules  map[string]app.Schedule
	outcomes   []outcome
}

// outcome is one DeliverySucceeded (errText "") or DeliveryFailed call.
type outcome struct {
	id      string
	at      time.Time
	errText string
	next    time.Time
}

func newFakeStore() *fakeStore {
	return &fakeStore{groups: map[string]app.NotificationGroup{}, schedules: map[string]app.Schedule{}, locales: map[string]string{}}
}

func (s *fakeStore) add(d app.Delivery) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deliveries = append(s.deliveries, &d)
}

func (s *fakeStore) get(id string) app.Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, d := range s.deliveries {
		if d.ID == id {
			return *d
		}
	}
	return app.Delivery{}
}

func (s *fakeStore) calls() []outcome {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.outcomes)
}

func (s *fakeStore) DueDeliveries(_ context.Context, now time.Time, limit int) ([]app.Delivery, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var due []app.Delivery
	for _, d := range s.deliveries {
		if d.DeliveredAt == nil && d.FailedAt == nil && !d.NextAttemptAt.After(now) && len(due) < limit {
			due = append(due, *d)
		}
	}
	return due, nil
}

func (s *fakeStore) pending(id string) (*app.Delivery, error) {
	for _, d := range s.deliveries {
		if d.ID == id {
			if d.DeliveredAt != nil || d.FailedAt != nil {
				return nil, app.Errorf(app.EConflict, "delivery %s is done", id)
			}
			return d, nil
		}
	}
	return nil, app.NotFound("notification delivery", id)
}

func (s *fakeStore) DeliverySucceeded(_ context.Context, id string, at time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, err := s.pending(id)
	if err != nil {
		return err
	}
	d.Attempts++
	d.DeliveredAt = &at
	s.outcomes = append(s.outcomes, outcome{id: id, at: at})
	return nil
}

func (s *fakeStore) DeliveryFailed(_ context.Context, id string, at time.Time, errText string, next time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, err := s.pending(id)
	if err != nil {
		return err
	}
	d.Attempts++
	d.LastError = errText
	if next.IsZero() {
		d.FailedAt = &at
	} else {
		d.NextAttemptAt = next
	}
	s.outcomes = append(s.outcomes, outcome{id: id, at: at, errText: errText, next: next})
	return nil
}

func (s *fakeStore) NotificationGroup(_ context.Context, id string) (app.NotificationGroup, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, ok := s.groups[id]
	if !ok {
		return app.NotificationGroup{}, app.NotFound("notification group", id)
	}
	return g, nil
}

func (s *fakeStore) Schedule(_ context.Context, instanceID, id string) (app.Schedule, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sc, ok := s.schedules[id]
	if !ok || sc.InstanceID != instanceID {
		return app.Schedule{}, app.NotFound("schedule", id)
	}
	return sc, nil
}

// Instance answers the instance's locale: the one set with locale, else
// English.
func (s *fakeStore) Instance(_ context.Context, id string) (app.Instance, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return app.Instance{ID: id, Locale: s.locales[id]}, nil
}

// clock is a settable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// logBuffer collects log output safely across goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Fixed ids and times of the tests.
const (
	groupID    = "ng_0190c0de00007000800000000000abcd"
	instanceID = "0190c0de-0000-7000-8000-000000000001"
	scheduleID = "0190c0de-0000-7000-8000-000000000002"
	runID      = "0190c0de-0000-7000-8000-000000000003"
)

var t0 = time.Date(2025, 10, 29, 7, 0, 0, 0, time.UTC)

// fixture is a notifier over a fake store, with a settable clock and a
// link signer on the same clock.
type fixture struct {
	store *fakeStore
	clock *clock
	links *app.LinkSigner
	logs  *logBuffer
	n     *notify.Notifier
}

// newFixture builds a fixture; edit may change the config before New.
func newFixture(t testing.TB, edit func(*notify.Config)) *fixture {
	t.Helper()
	f := &fixture{store: newFakeStore(), clock: &clock{t: t0}, logs: &logBuffer{}}
	f.links = &app.LinkSigner{BaseURL: "http://gatehouse.test", Key: bytes.Repeat([]byte{7}, 32), Now: f.clock.Now}
	f.store.schedules[scheduleID] = app.Schedule{ID: scheduleID, InstanceID: instanceID, Name: "Daily passes",
		Timezone: "Europe/Berlin", Count: 20, Recurrence: app.RecurDaily, ValidForMinutes: 480, RunAt: "08:00"}
	// The tests' webhook receivers listen on 127.0.0.1, so private
	// addresses are allowed unless a test turns the switch off.
	cfg := notify.Config{Links: f.links, Now: f.clock.Now, Backoff: []time.Duration{time.Minute, 5 * time.Minute},
		AllowPrivateWebhooks: true}
	if edit != nil {
		edit(&cfg)
	}
	f.n = notify.New(cfg, f.store, slog.New(slog.NewTextHandler(f.logs, nil)))
	t.Cleanup(func() {
		if err := f.n.Close(context.Background()); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return f
}

// delivery returns a delivery of the test run, due at t0.
func delivery(id, channel, target string) app.Delivery {
	return app.Delivery{ID: id, GroupID: groupID, Channel: channel, Target: target, InstanceID: instanceID,
		ScheduleID: scheduleID, RunID: runID, Count: 20, RanAt: t0.Add(-time.Minute), NextAttemptAt: t0, CreatedAt: t0}
}

// pass runs DeliverDue and fails the test on error.
func (f *fixture) pass(t testing.TB) {
	t.Helper()
	if err := f.n.DeliverDue(t.Context()); err != nil {
		t.Fatalf("DeliverDue: %v", err)
	}
}
