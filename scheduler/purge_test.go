package scheduler_test

import (
	"io"
	"log/slog"
	"testing"
	"time"

	"gatehouse/app"
	"gatehouse/scheduler"
)

// TestPurgeDropsOldAuditEvents: the periodic purge deletes audit events
// older than the audit retention and keeps the newer ones.
func TestPurgeDropsOldAuditEvents(t *testing.T) {
	f := newFixture(t)
	now := time.Now().UTC()
	for _, age := range []time.Duration{500 * 24 * time.Hour, 401 * 24 * time.Hour, 399 * 24 * time.Hour, time.Hour} {
		if err := f.store.AppendAudit(t.Context(), app.AuditEvent{At: now.Add(-age), ActorID: "x",
			Action: "POST /captive/sites", Status: 201}); err != nil {
			t.Fatal(err)
		}
	}
	s := scheduler.New(f.store, nil, scheduler.Config{AuditRetention: 400 * 24 * time.Hour, PurgeEvery: time.Second,
		Now: func() time.Time { return now }}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err := s.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	defer s.Close(t.Context())
	var left []app.AuditEvent
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		var err error
		if left, err = f.store.ListAudit(t.Context(), app.AuditFilter{}); err != nil {
			t.Fatal(err)
		}
		if len(left) <= 2 {
			break
		}
	}
	if len(left) != 2 || left[1].At.Before(now.Add(-400*24*time.Hour)) {
		t.Fatalf("after the purge: got %+v, want the 2 events younger than 400 days", left)
	}
}
