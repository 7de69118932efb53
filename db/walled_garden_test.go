package db

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"gatehouse/app"
)

func mustCreateEntry(tb testing.TB, db *DB, siteID, name, ip, host string) app.WalledGardenEntry {
	tb.Helper()
	w, err := db.CreateWalledGardenEntry(tb.Context(), app.WalledGardenEntry{SiteID: siteID, Name: name, IPAddress: ip, Host: host})
	if err != nil {
		tb.Fatalf("CreateWalledGardenEntry(%s): %v", name, err)
	}
	return w
}

func TestWalledGardenCRUD(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	s := mustCreateSite(t, db, testSite("one"))

	w := mustCreateEntry(t, db, s.ID, " google ", "", "Accounts.Google.com.")
	want := app.WalledGardenEntry{ID: w.ID, SiteID: s.ID, Name: "google", Type: app.WalledGardenCaptiveAuth,
		Host: "accounts.google.com", CreatedAt: w.CreatedAt, UpdatedAt: w.CreatedAt}
	if !reflect.DeepEqual(w, want) {
		t.Errorf("CreateWalledGardenEntry:\n got %+v\nwant %+v", w, want)
	}
	if got, err := db.WalledGardenEntry(ctx, s.ID, w.ID); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("WalledGardenEntry:\n got %+v, %v\nwant %+v", got, err, want)
	}

	w2 := mustCreateEntry(t, db, s.ID, "dns", "8.8.8.8", "")
	w3 := mustCreateEntry(t, db, s.ID, "lan", "10.0.0.0/8", "")
	list, err := db.ListWalledGarden(ctx, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, e := range list {
		ids = append(ids, e.ID)
	}
	if wantIDs := []string{w.ID, w2.ID, w3.ID}; !reflect.DeepEqual(ids, wantIDs) {
		t.Errorf("ListWalledGarden: got %v, want %v", ids, wantIDs)
	}

	other := mustCreateSite(t, db, testSite("two"))
	got, err := db.UpdateWalledGardenEntry(ctx, s.ID, w2.ID, func(x *app.WalledGardenEntry) error {
		x.Type = app.WalledGardenCaptivePortal
		x.IPAddress = "1.1.1.1"
		x.SiteID, x.ID, x.CreatedAt = other.ID, unknownID, time.Time{}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != w2.ID || got.SiteID != s.ID || !got.CreatedAt.Equal(w2.CreatedAt) ||
		got.IPAddress != "1.1.1.1" || got.Type != app.WalledGardenCaptivePortal {
		t.Errorf("UpdateWalledGardenEntry: got %+v, want %s on site %s with 1.1.1.1 captive-portal", got, w2.ID, s.ID)
	}

	errStop := errors.New("stop")
	if _, err := db.UpdateWalledGardenEntry(ctx, s.ID, w2.ID, func(x *app.WalledGardenEntry) error {
		x.Name = "changed"
		return errStop
	}); err != errStop {
		t.Errorf("update with failing change: got %v, want %v", err, errStop)
	}
	_, err = db.UpdateWalledGardenEntry(ctx, s.ID, w2.ID, func(x *app.WalledGardenEntry) error {
		x.IPAddress = "10.0.0.1/8"
		return nil
	})
	wantCode(t, err, app.EInvalid, "ip_address")
	if read, _ := db.WalledGardenEntry(ctx, s.ID, w2.ID); !reflect.DeepEqual(read, got) {
		t.Errorf("after failed updates:\n got %+v\nwant %+v", read, got)
	}

	if err := db.DeleteWalledGardenEntry(ctx, s.ID, w2.ID); err != nil {
		t.Fatal(err)
	}
	_, err = db.WalledGardenEntry(ctx, s.ID, w2.ID)
	wantCode(t, err, app.ENotFound, "")

	// Deleting the site deletes its entries.
	if err := db.DeleteSite(ctx, s.ID); err != nil {
		t.Fatal(err)
	}
	if n := rawCount(t, db, "walled_garden"); n != 0 {
		t.Errorf("walled garden rows after site delete: got %d, want 0", n)
	}
}

func TestWalledGardenNotFound(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	a := mustCreateSite(t, db, testSite("a"))
	b := mustCreateSite(t, db, testSite("b"))
	wa := mustCreateEntry(t, db, a.ID, "x", "127.0.0.1", "")
	noop := func(*app.WalledGardenEntry) error { return nil }

	tests := []struct {
		name, site, entry, wantMsg string
	}{
		{"unknown site", unknownID, wa.ID, `no site with id "` + unknownID + `"`},
		{"site not a uuid", "lobby", wa.ID, `no site with id "lobby"`},
		{"entry of another site", b.ID, wa.ID, `no walled garden entry with id "` + wa.ID + `"`},
		{"unknown entry", a.ID, unknownID, `no walled garden entry with id "` + unknownID + `"`},
		{"entry not a uuid", a.ID, "x", `no walled garden entry with id "x"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := db.WalledGardenEntry(ctx, tc.site, tc.entry)
			wantCode(t, err, app.ENotFound, "")
			if e, _ := errors.AsType[*app.Error](err); e.Message != tc.wantMsg {
				t.Errorf("message: got %q, want %q", e.Message, tc.wantMsg)
			}
			_, err = db.UpdateWalledGardenEntry(ctx, tc.site, tc.entry, noop)
			wantCode(t, err, app.ENotFound, "")
			wantCode(t, db.DeleteWalledGardenEntry(ctx, tc.site, tc.entry), app.ENotFound, "")
		})
	}
	_, err := db.ListWalledGarden(ctx, unknownID)
	wantCode(t, err, app.ENotFound, "")
	_, err = db.CreateWalledGardenEntry(ctx, app.WalledGardenEntry{SiteID: unknownID, Name: "x", IPAddress: "192.0.2.1"})
	wantCode(t, err, app.ENotFound, "")
	// The site check comes first, even for an invalid entry.
	_, err = db.CreateWalledGardenEntry(ctx, app.WalledGardenEntry{SiteID: "nope"})
	wantCode(t, err, app.ENotFound, "")
	_, err = db.CreateWalledGardenEntry(ctx, app.WalledGardenEntry{SiteID: a.ID, Name: "x"})
	wantCode(t, err, app.EInvalid, "ip_address")

	if list, err := db.ListWalledGarden(ctx, b.ID); err != nil || len(list) != 0 || list == nil {
		t.Errorf("ListWalledGarden of site b: got %v, %v, want empty non-nil", list, err)
	}
	if got, err := db.WalledGardenEntry(ctx, a.ID, wa.ID); err != nil || got.ID != wa.ID {
		t.Errorf("entry of site a: got %+v, %v", got, err)
	}
}
