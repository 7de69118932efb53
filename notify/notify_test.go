package notify_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"go.uber.org/goleak"

	"gatehouse/app"
	"gatehouse/notify"
)

// waitFor polls cond until it holds or a few seconds pass.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestLoopKickAndClose(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	hook := newHookServer(t, http.StatusOK)
	defer hook.Close()
	f := newFixture(t, func(c *notify.Config) {
		c.PollInterval = time.Hour // only kicks and the start make passes
	})
	f.store.groups[groupID] = app.NotificationGroup{ID: groupID, WebhookSecret: "s"}

	if err := f.n.Close(t.Context()); err != nil {
		t.Fatalf("Close before Start: %v", err)
	}
	f.store.add(delivery("d1", app.ChannelWebhook, hook.URL))
	f.n.Start()
	f.n.Start() // a second Start does nothing
	waitFor(t, "the first pass at start", func() bool { return f.store.get("d1").DeliveredAt != nil })

	f.store.add(delivery("d2", app.ChannelWebhook, hook.URL))
	for range 3 {
		f.n.Kick() // never blocks, however many
	}
	waitFor(t, "the kicked pass", func() bool { return f.store.get("d2").DeliveredAt != nil })

	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	if err := f.n.Close(ctx); err != nil {
		t.Fatalf("Close: %v", err)
	}
	f.n.Kick() // after Close: still does not block
	if n := len(hook.got()); n != 2 {
		t.Errorf("requests: got %d, want 2", n)
	}
}

func TestLoopPolls(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	hook := newHookServer(t, http.StatusOK)
	defer hook.Close()
	f := newFixture(t, func(c *notify.Config) {
		c.PollInterval = 10 * time.Millisecond
	})
	f.store.groups[groupID] = app.NotificationGroup{ID: groupID, WebhookSecret: "s"}
	f.n.Start()
	defer f.n.Close(context.Background()) //nolint:errcheck // checked in TestLoopKickAndClose
	f.store.add(delivery("d1", app.ChannelWebhook, hook.URL))
	waitFor(t, "a polled pass", func() bool { return f.store.get("d1").DeliveredAt != nil })
}

func TestCloseCancelsAttempt(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	entered := make(chan struct{}, 1)
	stalled := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body) //nolint:errcheck // read, so the server notices the client going away
		entered <- struct{}{}
		<-r.Context().Done()
	}))
	defer stalled.Close()
	f := newFixture(t, nil)
	f.store.groups[groupID] = app.NotificationGroup{ID: groupID, WebhookSecret: "s"}
	f.store.add(delivery("d1", app.ChannelWebhook, stalled.URL))
	f.n.Start()
	<-entered

	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
	defer cancel()
	start := time.Now()
	if err := f.n.Close(ctx); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if took := time.Since(start); took > time.Second {
		t.Errorf("Close took %v; want it to cut the request short", took)
	}
	if calls := f.store.calls(); len(calls) != 0 {
		t.Errorf("outcomes: got %+v; an attempt cut short by Close must not count", calls)
	}
	if d := f.store.get("d1"); d.Attempts != 0 || d.DeliveredAt != nil || d.FailedAt != nil {
		t.Errorf("delivery after Close: got %+v, want it pending, untouched", d)
	}
}

func TestNoRetriesWithEmptyBackoff(t *testing.T) {
	f := newFixture(t, func(c *notify.Config) { c.Backoff = []time.Duration{} })
	f.store.add(delivery("d", app.ChannelEmail, "desk@example.com"))
	f.pass(t)
	if calls := f.store.calls(); len(calls) != 1 || !calls[0].next.IsZero() {
		t.Fatalf("outcomes: got %+v, want one failure, given up", calls)
	}
}

func TestManyDueInOnePass(t *testing.T) {
	hook := newHookServer(t, http.StatusNoContent)
	f := newFixture(t, nil)
	f.store.groups[groupID] = app.NotificationGroup{ID: groupID, WebhookSecret: "s"}
	const n = 120 // more than one batch of the store
	for i := range n {
		f.store.add(delivery("d"+string(rune('A'+i/26))+string(rune('a'+i%26)), app.ChannelWebhook, hook.URL))
	}
	f.pass(t)
	if got := len(f.store.calls()); got != n {
		t.Errorf("outcomes after one pass: got %d, want %d", got, n)
	}
}

func TestDefaultBackoff(t *testing.T) {
	f := newFixture(t, func(c *notify.Config) { c.Backoff = nil })
	f.store.add(delivery("d", app.ChannelEmail, "desk@example.com"))
	want := notify.DefaultBackoff()
	for i, delay := range want {
		f.pass(t)
		calls := f.store.calls()
		if len(calls) != i+1 || !calls[i].next.Equal(f.clock.Now().Add(delay)) {
			t.Fatalf("attempt %d: got %+v, want the next attempt after %v", i+1, calls, delay)
		}
		f.clock.Advance(delay)
	}
	f.pass(t)
	if calls := f.store.calls(); len(calls) != len(want)+1 || !calls[len(want)].next.IsZero() {
		t.Fatalf("after %d attempts: got %+v, want given up", len(want)+1, calls)
	}
}
