package db

import (
	"bytes"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"gatehouse/app"
)

func testGroup(name string) app.NotificationGroup {
	return app.NotificationGroup{Name: name, Emails: []string{"desk@example.com"}, WebhookURL: "https://hooks.example.com/gatehouse"}
}

func mustCreateGroup(tb testing.TB, db *DB, g app.NotificationGroup) app.NotificationGroup {
	tb.Helper()
	got, err := db.CreateNotificationGroup(tb.Context(), g)
	if err != nil {
		tb.Fatalf("CreateNotificationGroup(%s): %v", g.Name, err)
	}
	return got
}

// notifSchedule inserts a coupon instance and a schedule of it that
// notifies groupID ("" for none), with plain SQL, and returns the
// schedule's id.
func notifSchedule(tb testing.TB, db *DB, name, groupID string) string {
	tb.Helper()
	in := mustCreateInstance(tb, db, testInstance("for "+name))
	id, err := newID()
	if err != nil {
		tb.Fatal(err)
	}
	now := micros(time.Now())
	_, err = db.writer.ExecContext(tb.Context(), `INSERT INTO coupon_schedules (id, instance_id, name,
		count, recurrence, valid_for_minutes, timezone, run_at, notification_group_id, created_at, updated_at)
		VALUES (?, ?, ?, 10, 'daily', 480, 'Europe/Berlin', '08:00', ?, ?, ?)`,
		id, in.ID, name, nullString(groupID), now, now)
	if err != nil {
		tb.Fatalf("insert schedule: %v", err)
	}
	return id
}

var groupIDShape = regexp.MustCompile(`^ng_[0-9a-f]{32}$`)

func TestNotificationGroupCRUD(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()

	in := app.NotificationGroup{Name: "  Front office ", Emails: []string{" desk@example.com", "", "boss@example.com "}}
	got := mustCreateGroup(t, db, in)
	if !groupIDShape.MatchString(got.ID) {
		t.Errorf("id: got %q, want ng_ and 32 lower-case hex digits", got.ID)
	}
	if secret, err := hex.DecodeString(got.WebhookSecret); err != nil || len(secret) != 32 {
		t.Errorf("generated webhook secret: got %q, want 64 hex digits", got.WebhookSecret)
	}
	want := app.NotificationGroup{ID: got.ID, Name: "Front office", Emails: []string{"desk@example.com", "boss@example.com"},
		WebhookSecret: got.WebhookSecret, CreatedAt: got.CreatedAt, UpdatedAt: got.CreatedAt}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("CreateNotificationGroup:\n got %+v\nwant %+v", got, want)
	}
	if got.CreatedAt.IsZero() || got.CreatedAt.Location() != time.UTC {
		t.Errorf("CreatedAt: got %v, want a UTC time", got.CreatedAt)
	}
	read, err := db.NotificationGroup(ctx, got.ID)
	if err != nil || !reflect.DeepEqual(read, got) {
		t.Errorf("NotificationGroup:\n got %+v, %v\nwant %+v", read, err, got)
	}

	hook := testGroup("Hook only")
	hook.Emails = nil
	hook.WebhookSecret = "my-own-secret-0123"
	second := mustCreateGroup(t, db, hook)
	if second.WebhookSecret != "my-own-secret-0123" || len(second.Emails) != 0 || second.Emails == nil {
		t.Errorf("second group: secret %q, emails %#v; want the given secret and an empty list", second.WebhookSecret, second.Emails)
	}

	list, err := db.ListNotificationGroups(ctx)
	if err != nil || len(list) != 2 || list[0].ID != got.ID || list[1].ID != second.ID {
		t.Fatalf("ListNotificationGroups: got %+v, %v; want both, oldest first", list, err)
	}
	if !reflect.DeepEqual(list[0], got) {
		t.Errorf("listed group:\n got %+v\nwant %+v", list[0], got)
	}

	time.Sleep(time.Millisecond) // UpdatedAt must move on
	upd, err := db.UpdateNotificationGroup(ctx, got.ID, func(g *app.NotificationGroup) error {
		g.Name = "Reception"
		g.WebhookURL = "http://192.0.2.7:8080/hook"
		g.WebhookSecret = "" // keeps the stored secret
		g.ID = unknownID     // ignored
		g.CreatedAt = time.Unix(1, 0)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if upd.ID != got.ID || !upd.CreatedAt.Equal(got.CreatedAt) || !upd.UpdatedAt.After(got.UpdatedAt) {
		t.Errorf("ID, CreatedAt, UpdatedAt after update: got %s %v %v, want %s %v and later", upd.ID, upd.CreatedAt, upd.UpdatedAt, got.ID, got.CreatedAt)
	}
	if upd.Name != "Reception" || upd.WebhookURL != "http://192.0.2.7:8080/hook" || upd.WebhookSecret != got.WebhookSecret {
		t.Errorf("UpdateNotificationGroup: got %+v, want new name and URL, the old secret", upd)
	}
	upd, err = db.UpdateNotificationGroup(ctx, got.ID, func(g *app.NotificationGroup) error {
		g.WebhookSecret = "rotated-secret-0123"
		return nil
	})
	if err != nil || upd.WebhookSecret != "rotated-secret-0123" {
		t.Errorf("rotate secret: got %q, %v, want rotated", upd.WebhookSecret, err)
	}

	if err := db.DeleteNotificationGroup(ctx, got.ID); err != nil {
		t.Fatal(err)
	}
	_, err = db.NotificationGroup(ctx, got.ID)
	wantCode(t, err, app.ENotFound, "")
	wantCode(t, db.DeleteNotificationGroup(ctx, got.ID), app.ENotFound, "")
	if n := rawCount(t, db, "notification_groups"); n != 1 {
		t.Errorf("groups left: got %d, want 1", n)
	}
}

func TestNotificationGroupInvalid(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	tests := []struct {
		name  string
		edit  func(*app.NotificationGroup)
		param string
	}{
		{"no name", func(g *app.NotificationGroup) { g.Name = "  " }, "name"},
		{"no channel", func(g *app.NotificationGroup) { g.Emails, g.WebhookURL = []string{" "}, "" }, "emails"},
		{"bad email", func(g *app.NotificationGroup) { g.Emails = []string{"Desk <desk@example.com>"} }, "emails"},
		{"bad url", func(g *app.NotificationGroup) { g.WebhookURL = "ftp://example.com/x" }, "webhook_url"},
		{"relative url", func(g *app.NotificationGroup) { g.WebhookURL = "/hook" }, "webhook_url"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := testGroup("x")
			tc.edit(&g)
			_, err := db.CreateNotificationGroup(ctx, g)
			wantCode(t, err, app.EInvalid, tc.param)
		})
	}
	if n := rawCount(t, db, "notification_groups"); n != 0 {
		t.Fatalf("invalid creates stored %d groups", n)
	}

	g := mustCreateGroup(t, db, testGroup("ok"))
	errStop := errors.New("stop")
	_, err := db.UpdateNotificationGroup(ctx, g.ID, func(x *app.NotificationGroup) error { x.Name = "changed"; return errStop })
	if err != errStop {
		t.Errorf("change error: got %v, want the change func's error itself", err)
	}
	_, err = db.UpdateNotificationGroup(ctx, g.ID, func(x *app.NotificationGroup) error { x.Emails, x.WebhookURL = nil, ""; return nil })
	wantCode(t, err, app.EInvalid, "emails")
	if read, err := db.NotificationGroup(ctx, g.ID); err != nil || !reflect.DeepEqual(read, g) {
		t.Errorf("group after failed updates:\n got %+v, %v\nwant %+v", read, err, g)
	}
}

func TestNotificationGroupNotFound(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	g := mustCreateGroup(t, db, testGroup("x"))
	noop := func(*app.NotificationGroup) error { return nil }
	for _, id := range []string{"", "ng_", unknownID, "ng_0190c0de00007000800000000000abcd", g.ID[3:], "ng_" + g.ID[3:34] + "z", g.ID + "0", "NG_" + g.ID[3:], "ng_" + strings.ToUpper(g.ID[3:])} {
		_, err := db.NotificationGroup(ctx, id)
		wantCode(t, err, app.ENotFound, "")
		_, err = db.UpdateNotificationGroup(ctx, id, noop)
		wantCode(t, err, app.ENotFound, "")
		wantCode(t, db.DeleteNotificationGroup(ctx, id), app.ENotFound, "")
	}
}

func TestNotificationGroupInUse(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	g := mustCreateGroup(t, db, testGroup("front"))
	schedID := notifSchedule(t, db, "Daily passes", g.ID)

	err := db.DeleteNotificationGroup(ctx, g.ID)
	wantCode(t, err, app.EConflict, "")
	if e, _ := errors.AsType[*app.Error](err); e.Reason != app.ReasonResourceConflict || !strings.Contains(e.Message, `"Daily passes"`) {
		t.Errorf("conflict: got reason %q message %q, want resource_conflict naming the schedule", e.Reason, e.Message)
	}
	if _, err := db.NotificationGroup(ctx, g.ID); err != nil {
		t.Fatalf("group after refused delete: %v", err)
	}
	if _, err := db.writer.ExecContext(ctx, `UPDATE coupon_schedules SET notification_group_id = NULL WHERE id = ?`, schedID); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteNotificationGroup(ctx, g.ID); err != nil {
		t.Errorf("delete after the schedule let go: %v", err)
	}
}

func TestWebhookSecretEncrypted(t *testing.T) {
	dir := t.TempDir()
	db := openAt(t, dir)
	ctx := t.Context()
	const secret = "webhook-s3cret-value-0123456789"
	g := testGroup("front")
	g.WebhookSecret = secret
	g = mustCreateGroup(t, db, g)
	time.Sleep(time.Millisecond)
	if _, err := db.UpdateNotificationGroup(ctx, g.ID, func(x *app.NotificationGroup) error { x.Name = "renamed"; return nil }); err != nil {
		t.Fatal(err)
	}

	var stored []byte
	if err := db.writer.QueryRowContext(ctx, `SELECT webhook_secret FROM notification_groups WHERE id = ?`, g.ID).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if len(stored) == 0 || bytes.Contains(stored, []byte(secret)) {
		t.Fatalf("stored webhook_secret %q: want ciphertext", stored)
	}
	var busy, logged, done int
	if err := db.writer.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logged, &done); err != nil || busy != 0 {
		t.Fatalf("checkpoint: busy %d, %v", busy, err)
	}
	b, err := os.ReadFile(filepath.Join(dir, dbFileName))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b, []byte(secret)) {
		t.Error("database file holds the webhook secret in clear")
	}
	if !bytes.Contains(b, []byte("hooks.example.com")) {
		t.Error("database file does not hold the webhook URL: the file read proves nothing")
	}
	read, err := db.NotificationGroup(ctx, g.ID)
	if err != nil || read.WebhookSecret != secret || read.Name != "renamed" {
		t.Errorf("after update: got %q %q, %v; want the secret kept", read.Name, read.WebhookSecret, err)
	}

	// The ciphertext is bound to its row.
	other := mustCreateGroup(t, db, testGroup("other"))
	if _, err := db.writer.ExecContext(ctx, `UPDATE notification_groups SET webhook_secret = ? WHERE id = ?`, stored, other.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.NotificationGroup(ctx, other.ID); !errors.Is(err, errDecrypt) {
		t.Errorf("copied secret: got %v, want errDecrypt", err)
	}
}
