package db

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"gatehouse/app"
)

// appendEvents stores events one second apart from base, in order, and
// returns them as stored (with their ids).
func appendEvents(t *testing.T, db *DB, base time.Time, evs []app.AuditEvent) []app.AuditEvent {
	t.Helper()
	for i := range evs {
		evs[i].At = base.Add(time.Duration(i) * time.Second)
		if err := db.AppendAudit(t.Context(), evs[i]); err != nil {
			t.Fatalf("AppendAudit(%+v): %v", evs[i], err)
		}
	}
	all, err := db.ListAudit(t.Context(), app.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != len(evs) {
		t.Fatalf("ListAudit: got %d events, want %d", len(all), len(evs))
	}
	// Newest first: all is evs reversed.
	stored := make([]app.AuditEvent, len(evs))
	for i, e := range all {
		stored[len(evs)-1-i] = e
	}
	return stored
}

func TestAuditAppendAndList(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	base := time.Date(2025, 3, 1, 8, 0, 0, 123456000, time.UTC)
	alice, bob := "01900000-0000-7000-8000-00000000000a", "01900000-0000-7000-8000-00000000000b"
	site, coupon := "01900000-0000-7000-8000-0000000000c1", "01900000-0000-7000-8000-0000000000c2"
	stored := appendEvents(t, db, base, []app.AuditEvent{
		{ActorID: alice, ActorName: "alice", ActorRole: app.RoleAdmin, Action: "POST /captive/sites", RemoteAddr: "192.0.2.1", Status: 201},
		{ActorID: alice, ActorName: "alice", ActorRole: app.RoleAdmin, Action: "PUT /captive/sites/:siteId", Resource: site, RemoteAddr: "192.0.2.1", Status: 200},
		{ActorID: bob, ActorName: "bob", ActorRole: app.RoleFrontdesk, Action: "DELETE /captive/sites/:siteId", Resource: site, RemoteAddr: "2001:db8::1", Status: 403},
		{ActorID: bob, ActorName: "bob", ActorRole: app.RoleFrontdesk, Action: "DELETE /captive/instances/:instanceId/coupons/:couponId", Resource: coupon, RemoteAddr: "2001:db8::1", Status: 204},
	})
	first := stored[0]
	if first.ID == "" || !first.At.Equal(base) || first.At.Location() != time.UTC || first.Resource != "" ||
		first.ActorRole != app.RoleAdmin || first.Status != 201 || first.RemoteAddr != "192.0.2.1" {
		t.Errorf("stored event: got %+v, want an id, at %v UTC, no resource, admin, 201", first, base)
	}
	if stored[3].Action != "DELETE /captive/instances/:instanceId/coupons/:couponId" || stored[3].Resource != coupon {
		t.Errorf("stored event: got %+v, want the coupon revocation", stored[3])
	}

	cases := []struct {
		name string
		f    app.AuditFilter
		want []int // indexes into stored, newest first
	}{
		{"all", app.AuditFilter{}, []int{3, 2, 1, 0}},
		{"actor id", app.AuditFilter{Actor: alice}, []int{1, 0}},
		{"actor name", app.AuditFilter{Actor: "bob"}, []int{3, 2}},
		{"unknown actor", app.AuditFilter{Actor: "carol"}, nil},
		{"resource", app.AuditFilter{Resource: site}, []int{2, 1}},
		{"since inclusive", app.AuditFilter{Since: base.Add(2 * time.Second)}, []int{3, 2}},
		{"until inclusive", app.AuditFilter{Until: base.Add(time.Second)}, []int{1, 0}},
		{"since and until", app.AuditFilter{Since: base.Add(time.Second), Until: base.Add(2 * time.Second)}, []int{2, 1}},
		{"limit", app.AuditFilter{Limit: 3}, []int{3, 2, 1}},
		{"everything", app.AuditFilter{Actor: "bob", Resource: site, Since: base, Until: base.Add(time.Hour), Limit: 1}, []int{2}},
	}
	for _, tc := range cases {
		got, err := db.ListAudit(ctx, tc.f)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		want := []app.AuditEvent{}
		for _, i := range tc.want {
			want = append(want, stored[i])
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %+v\nwant %+v", tc.name, got, want)
		}
	}

	wantCode(t, db.AppendAudit(ctx, app.AuditEvent{ActorID: alice}), app.EInvalid, "action")
	if err := db.AppendAudit(ctx, app.AuditEvent{ID: first.ID, Action: "GET /healthz"}); err == nil {
		t.Error("AppendAudit with a used id: got no error, want a refusal")
	}
	_, err := db.ListAudit(ctx, app.AuditFilter{Limit: app.MaxAuditLimit + 1})
	wantCode(t, err, app.EInvalid, "limit")
	_, err = db.ListAudit(ctx, app.AuditFilter{Since: base, Until: base.Add(-time.Second)})
	wantCode(t, err, app.EInvalid, "until")
}

func TestAuditTimeAndLimitDefaults(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	before := time.Now().UTC().Truncate(time.Microsecond)
	for range app.DefaultAuditLimit + 5 {
		if err := db.AppendAudit(ctx, app.AuditEvent{ActorID: "x", Action: "POST /captive/sites", Status: 201}); err != nil {
			t.Fatal(err)
		}
	}
	list, err := db.ListAudit(ctx, app.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != app.DefaultAuditLimit {
		t.Fatalf("default limit: got %d events, want %d", len(list), app.DefaultAuditLimit)
	}
	if list[0].At.Before(before) || list[0].At.After(time.Now()) {
		t.Errorf("At of an event stored without one: got %v, want the time of the append", list[0].At)
	}
	// Events of the same microsecond still come newest first.
	all, err := db.ListAudit(ctx, app.AuditFilter{Limit: app.MaxAuditLimit})
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(all); i++ {
		if all[i].At.After(all[i-1].At) || (all[i].At.Equal(all[i-1].At) && all[i].ID > all[i-1].ID) {
			t.Fatalf("order: event %d (%v %s) listed after older event %d (%v %s)", i, all[i].At, all[i].ID, i-1, all[i-1].At, all[i-1].ID)
		}
	}
}

func TestAuditIsAppendOnly(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	if err := db.AppendAudit(ctx, app.AuditEvent{ActorID: "x", ActorName: "x", Action: "DELETE /captive/sites/:siteId", Status: 204}); err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{
		`UPDATE audit_events SET status = 200`,
		`UPDATE audit_events SET actor_id = 'someone else' WHERE actor_id = 'x'`,
		`DELETE FROM audit_events`,
		`DELETE FROM audit_events WHERE actor_id = 'x'`,
		`INSERT OR REPLACE INTO audit_events (id, at, actor_id, actor_name, actor_role, action, remote_addr, status)
			SELECT id, at, actor_id, actor_name, actor_role, 'GET /healthz', remote_addr, status FROM audit_events`,
		`REPLACE INTO audit_events (seq, id, at, actor_id, actor_name, actor_role, action, remote_addr, status)
			SELECT seq, 'other', at, actor_id, actor_name, actor_role, 'GET /healthz', remote_addr, status FROM audit_events`,
		`INSERT INTO audit_events (id, at, actor_id, actor_name, actor_role, action, remote_addr, status)
			SELECT id, at, actor_id, actor_name, actor_role, action, remote_addr, status FROM audit_events WHERE true
			ON CONFLICT (id) DO UPDATE SET status = 200`,
		`UPDATE audit_events SET count = 5`, // not a tally
		`UPDATE audit_events SET count = count + 1, status = 200`,
	} {
		_, err := db.writer.ExecContext(ctx, stmt)
		if err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: got error %v, want the append-only refusal", stmt, err)
		}
	}
	list, err := db.ListAudit(ctx, app.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].Status != 204 || list[0].ActorID != "x" || list[0].Action != "DELETE /captive/sites/:siteId" {
		t.Fatalf("after refused changes: got %+v, want the one event unchanged", list)
	}
}

func TestTallyAudit(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	minute := time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)
	fail := func(at time.Time, addr, name string) {
		t.Helper()
		err := db.TallyAudit(ctx, app.AuditEvent{At: at, ActorName: name, Action: "POST /auth/login", RemoteAddr: addr, Status: 401})
		if err != nil {
			t.Fatal(err)
		}
	}
	for i := range 1000 {
		fail(minute.Add(time.Duration(i)*50*time.Millisecond), "192.0.2.1", "desk")
	}
	fail(minute.Add(30*time.Second), "2001:db8::/64", "")
	fail(minute.Add(time.Minute), "192.0.2.1", "night")
	// An admin write in the same minute is a row of its own and untouched.
	if err := db.AppendAudit(ctx, app.AuditEvent{At: minute.Add(time.Second), ActorID: "x", Action: "POST /auth/login",
		RemoteAddr: "192.0.2.1", Status: 401}); err != nil {
		t.Fatal(err)
	}
	list, err := db.ListAudit(ctx, app.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		at          time.Time
		addr, name  string
		count, stat int
	}
	var got []row
	for _, e := range list {
		got = append(got, row{e.At, e.RemoteAddr, e.ActorName, e.Count, e.Status})
	}
	want := []row{
		{minute.Add(time.Minute), "192.0.2.1", "night", 1, 401},
		{minute.Add(30 * time.Second), "2001:db8::/64", "", 1, 401},
		{minute.Add(time.Second), "192.0.2.1", "", 0, 401},
		{minute, "192.0.2.1", "desk", 1000, 401},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("tallies: got %+v, want %+v", got, want)
	}
	// A tally's count may only grow.
	for _, stmt := range []string{`UPDATE audit_events SET count = 1 WHERE count = 1000`,
		`UPDATE audit_events SET count = NULL WHERE count = 1000`} {
		if _, err := db.writer.ExecContext(ctx, stmt); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: got error %v, want the append-only refusal", stmt, err)
		}
	}
	wantCode(t, db.TallyAudit(ctx, app.AuditEvent{RemoteAddr: "192.0.2.1"}), app.EInvalid, "action")
}

// TestPurgeAudit: events older than the cutoff go, newer ones stay, and
// the schema refuses a cutoff that would delete recent history.
func TestPurgeAudit(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	now := time.Now().UTC()
	ages := []time.Duration{500 * 24 * time.Hour, 401 * 24 * time.Hour, 399 * 24 * time.Hour, 24 * time.Hour, 0}
	for _, age := range ages {
		if err := db.AppendAudit(ctx, app.AuditEvent{At: now.Add(-age), ActorID: "x", Action: "POST /captive/sites", Status: 201}); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.TallyAudit(ctx, app.AuditEvent{At: now.Add(-450 * 24 * time.Hour), Action: "POST /auth/login", RemoteAddr: "192.0.2.1", Status: 401}); err != nil {
		t.Fatal(err)
	}
	n, err := db.PurgeAudit(ctx, now.Add(-400*24*time.Hour))
	if err != nil || n != 3 {
		t.Fatalf("PurgeAudit = %d, %v; want 3", n, err)
	}
	left, err := db.ListAudit(ctx, app.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(left) != 3 || !left[2].At.Equal(now.Add(-399*24*time.Hour).Truncate(time.Microsecond)) {
		t.Fatalf("left after purge: got %+v, want the 3 events younger than 400 days", left)
	}
	// A cutoff within MinAuditRetention (a bug, a clock gone wrong) is
	// refused by the schema and deletes nothing.
	if n, err := db.PurgeAudit(ctx, now.Add(time.Hour)); err == nil || n != 0 {
		t.Fatalf("PurgeAudit(now) = %d, %v; want a refusal", n, err)
	}
	if left, err := db.ListAudit(ctx, app.AuditFilter{}); err != nil || len(left) != 3 {
		t.Fatalf("after a refused purge: got %d events, %v; want 3", len(left), err)
	}
}
