package db

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"gatehouse/app"

	"github.com/google/uuid"
)

// testSite is a valid site with the given name.
func testSite(name string) app.Site {
	return app.Site{Name: name, Host: "192.0.2.1", Username: "admin", Password: "pw-" + name}
}

func mustCreateSite(tb testing.TB, db *DB, s app.Site) app.Site {
	tb.Helper()
	got, err := db.CreateSite(tb.Context(), s)
	if err != nil {
		tb.Fatalf("CreateSite(%s): %v", s.Name, err)
	}
	return got
}

func TestSiteCreateAndGet(t *testing.T) {
	db := openTest(t)
	in := testSite("lobby")
	in.Name = "  lobby  "
	before := time.Now().UTC().Add(-time.Second)
	s := mustCreateSite(t, db, in)

	if u, err := uuid.Parse(s.ID); err != nil || u.Version() != 7 {
		t.Errorf("ID: got %q, want a version 7 UUID", s.ID)
	}
	if s.CreatedAt.Before(before) || !s.CreatedAt.Equal(s.UpdatedAt) || s.CreatedAt.Location() != time.UTC {
		t.Errorf("times: got created %v updated %v, want equal, recent, UTC", s.CreatedAt, s.UpdatedAt)
	}
	want := app.Site{ID: s.ID, Name: "lobby", Host: "192.0.2.1", Port: app.PortAPI, Username: "admin",
		Password: "pw-lobby", HotspotServer: "all", Status: app.SiteStatus{State: app.SiteUnknown},
		CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt}
	if !reflect.DeepEqual(s, want) {
		t.Errorf("CreateSite:\n got %+v\nwant %+v", s, want)
	}
	got, err := db.Site(t.Context(), s.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Site:\n got %+v\nwant %+v", got, want)
	}
	// Any spelling of the UUID finds the site.
	if got, err := db.Site(t.Context(), strings.ToUpper(s.ID)); err != nil || got.ID != s.ID {
		t.Errorf("Site(upper-case id): got %q, %v, want %q", got.ID, err, s.ID)
	}
}

func TestSiteCreateInvalid(t *testing.T) {
	db := openTest(t)
	tests := []struct {
		name   string
		change func(*app.Site)
		param  string
	}{
		{"no name", func(s *app.Site) { s.Name = " " }, "name"},
		{"bad host", func(s *app.Site) { s.Host = "not a host" }, "host"},
		{"bad port", func(s *app.Site) { s.Port = 70000 }, "port"},
		{"no username", func(s *app.Site) { s.Username = "" }, "username"},
		{"fingerprint without tls", func(s *app.Site) { s.TLSFingerprint = strings.Repeat("ab", 32) }, "tls_fingerprint"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := testSite("x")
			tc.change(&s)
			_, err := db.CreateSite(t.Context(), s)
			wantCode(t, err, app.EInvalid, tc.param)
		})
	}
	if n := rawCount(t, db, "sites"); n != 0 {
		t.Errorf("sites stored after invalid creates: got %d, want 0", n)
	}
}

func TestSiteList(t *testing.T) {
	db := openTest(t)
	got, err := db.ListSites(t.Context())
	if err != nil || got == nil || len(got) != 0 {
		t.Fatalf("ListSites on empty store: got %v, %v, want empty non-nil", got, err)
	}
	var want []string
	for _, name := range []string{"c", "a", "b"} {
		want = append(want, mustCreateSite(t, db, testSite(name)).ID)
	}
	sites, err := db.ListSites(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, s := range sites {
		ids = append(ids, s.ID)
		if s.Password != "pw-"+s.Name {
			t.Errorf("password of %s: got %q, want %q", s.Name, s.Password, "pw-"+s.Name)
		}
	}
	if !reflect.DeepEqual(ids, want) {
		t.Errorf("ListSites order: got %v, want %v", ids, want)
	}
}

func TestSiteUpdate(t *testing.T) {
	db := openTest(t)
	s := mustCreateSite(t, db, testSite("lobby"))
	time.Sleep(time.Millisecond) // UpdatedAt must move on

	got, err := db.UpdateSite(t.Context(), s.ID, func(x *app.Site) error {
		x.Name = "bar"
		x.TLS = true
		x.Port = 0 // back to the default, for TLS now
		x.Password = "new-pw"
		x.ID = unknownID                 // ignored
		x.CreatedAt = time.Unix(1, 0)    // ignored
		x.UpdatedAt = time.Unix(2, 0)    // replaced by now
		x.Status.State = app.SiteOffline // stored as left
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != s.ID || !got.CreatedAt.Equal(s.CreatedAt) {
		t.Errorf("ID, CreatedAt: got %s %v, want %s %v", got.ID, got.CreatedAt, s.ID, s.CreatedAt)
	}
	if !got.UpdatedAt.After(s.UpdatedAt) {
		t.Errorf("UpdatedAt: got %v, want after %v", got.UpdatedAt, s.UpdatedAt)
	}
	if got.Name != "bar" || got.Port != app.PortAPISSL || got.Password != "new-pw" || got.Status.State != app.SiteOffline {
		t.Errorf("UpdateSite: got %+v, want name bar, port %d, new password, offline", got, app.PortAPISSL)
	}
	read, err := db.Site(t.Context(), s.ID)
	if err != nil || !reflect.DeepEqual(read, got) {
		t.Errorf("Site after update:\n got %+v, %v\nwant %+v", read, err, got)
	}
}

func TestSiteUpdateRollsBack(t *testing.T) {
	db := openTest(t)
	s := mustCreateSite(t, db, testSite("lobby"))
	errStop := errors.New("stop")
	tests := []struct {
		name   string
		change func(*app.Site) error
		check  func(t *testing.T, err error)
	}{
		{"change error", func(x *app.Site) error { x.Name = "changed"; return errStop }, func(t *testing.T, err error) {
			if err != errStop {
				t.Errorf("error: got %v, want the change func's error itself", err)
			}
		}},
		{"change app error", func(x *app.Site) error { x.Name = "changed"; return app.Errorf(app.EForbidden, "no") }, func(t *testing.T, err error) {
			wantCode(t, err, app.EForbidden, "")
		}},
		{"invalid result", func(x *app.Site) error { x.Name = "changed"; x.Host = ""; return nil }, func(t *testing.T, err error) {
			wantCode(t, err, app.EInvalid, "host")
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := db.UpdateSite(t.Context(), s.ID, tc.change)
			tc.check(t, err)
			got, err := db.Site(t.Context(), s.ID)
			if err != nil || !reflect.DeepEqual(got, s) {
				t.Errorf("site after failed update:\n got %+v, %v\nwant %+v", got, err, s)
			}
		})
	}
}

func TestSiteNotFound(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	mustCreateSite(t, db, testSite("lobby"))
	for _, id := range []string{unknownID, "not-a-uuid", "", "'; DROP TABLE sites; --"} {
		_, err := db.Site(ctx, id)
		wantCode(t, err, app.ENotFound, "")
		_, err = db.UpdateSite(ctx, id, func(*app.Site) error { return nil })
		wantCode(t, err, app.ENotFound, "")
		wantCode(t, db.DeleteSite(ctx, id), app.ENotFound, "")
		wantCode(t, db.SetSiteStatus(ctx, id, app.SiteStatus{State: app.SiteOnline}), app.ENotFound, "")
	}
	if n := rawCount(t, db, "sites"); n != 1 {
		t.Errorf("sites: got %d, want 1", n)
	}
}

func TestSiteDelete(t *testing.T) {
	db := openTest(t)
	s := mustCreateSite(t, db, testSite("lobby"))
	keep := mustCreateSite(t, db, testSite("bar"))
	if err := db.DeleteSite(t.Context(), s.ID); err != nil {
		t.Fatal(err)
	}
	_, err := db.Site(t.Context(), s.ID)
	wantCode(t, err, app.ENotFound, "")
	wantCode(t, db.DeleteSite(t.Context(), s.ID), app.ENotFound, "")
	if _, err := db.Site(t.Context(), keep.ID); err != nil {
		t.Errorf("other site: %v", err)
	}
}

func TestSetSiteStatus(t *testing.T) {
	db := openTest(t)
	s := mustCreateSite(t, db, testSite("lobby"))
	seen := time.Date(2025, 3, 1, 12, 0, 0, 123456789, time.FixedZone("X", 3600))
	st := app.SiteStatus{State: app.SiteOnline, LastSeenAt: &seen, LastSyncAt: &seen,
		LastError: "", Identity: "MikroTik", RouterOSVersion: "7.16.1"}
	if err := db.SetSiteStatus(t.Context(), s.ID, st); err != nil {
		t.Fatal(err)
	}
	got, err := db.Site(t.Context(), s.ID)
	if err != nil {
		t.Fatal(err)
	}
	wantTime := seen.UTC().Truncate(time.Microsecond)
	wantSt := app.SiteStatus{State: app.SiteOnline, LastSeenAt: &wantTime, LastSyncAt: &wantTime,
		Identity: "MikroTik", RouterOSVersion: "7.16.1"}
	if !reflect.DeepEqual(got.Status, wantSt) {
		t.Errorf("status: got %+v, want %+v", got.Status, wantSt)
	}
	if !got.UpdatedAt.Equal(s.UpdatedAt) {
		t.Errorf("UpdatedAt: got %v, want unchanged %v", got.UpdatedAt, s.UpdatedAt)
	}

	if err := db.SetSiteStatus(t.Context(), s.ID, app.SiteStatus{LastError: "dial tcp: timeout"}); err != nil {
		t.Fatal(err)
	}
	got, _ = db.Site(t.Context(), s.ID)
	if want := (app.SiteStatus{State: app.SiteUnknown, LastError: "dial tcp: timeout"}); !reflect.DeepEqual(got.Status, want) {
		t.Errorf("status: got %+v, want %+v", got.Status, want)
	}
	// The error as a catalogue key with params comes back as it went in.
	text := app.T("router.cannot_connect", "router", "192.0.2.1:8728", "cause", "dial tcp: timeout")
	if err := db.SetSiteStatus(t.Context(), s.ID, app.SiteStatus{LastError: text.English(), LastErrorText: &text}); err != nil {
		t.Fatal(err)
	}
	got, _ = db.Site(t.Context(), s.ID)
	if got.Status.LastErrorText == nil || !reflect.DeepEqual(*got.Status.LastErrorText, text) || got.Status.LastError != text.English() {
		t.Errorf("status with an error text: got %+v", got.Status)
	}
	wantCode(t, db.SetSiteStatus(t.Context(), s.ID, app.SiteStatus{State: "sleepy"}), app.EInvalid, "state")
}
