package db

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"gatehouse/app"
)

func TestReadyOnAFreshStore(t *testing.T) {
	db := openTest(t)
	if err := db.Ready(t.Context()); err != nil {
		t.Fatalf("Ready: got %v, want nil", err)
	}
	// The probe's write is rolled back: the schema version is untouched
	// and nothing is left behind.
	if v, err := userVersion(t.Context(), db.writer); err != nil || v != SchemaVersion() {
		t.Fatalf("user_version after Ready: got %d, %v; want %d", v, err, SchemaVersion())
	}
	if err := db.Ready(t.Context()); err != nil {
		t.Fatalf("second Ready: got %v, want nil", err)
	}
}

func TestReadyWhenClosed(t *testing.T) {
	db, err := Open(t.Context(), t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	err = db.Ready(t.Context())
	wantCode(t, err, app.EUnavailable, "")
	if e, _ := errors.AsType[*app.Error](err); e.Message != "database is not writable" {
		t.Fatalf("message: got %q, want %q", e.Message, "database is not writable")
	}
}

// TestReadyWhenSchemaDiffers: another gatehouse (a newer one, or one that
// failed half-way) changed the schema version underneath this process.
func TestReadyWhenSchemaDiffers(t *testing.T) {
	dir := t.TempDir()
	db := openAt(t, dir)
	other, err := sql.Open("sqlite", dsn(db.path, true))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	setVersion := func(v int) {
		t.Helper()
		if _, err := other.ExecContext(t.Context(), "PRAGMA user_version = "+strconv.Itoa(v)); err != nil {
			t.Fatalf("set user_version: %v", err)
		}
	}
	setVersion(SchemaVersion() + 1)
	err = db.Ready(t.Context())
	wantCode(t, err, app.EUnavailable, "")
	if !strings.Contains(err.Error(), "schema version") {
		t.Fatalf("error: got %q, want it to name the schema version", err)
	}
	setVersion(SchemaVersion())
	if err := db.Ready(t.Context()); err != nil {
		t.Fatalf("Ready after the version is back: got %v, want nil", err)
	}
}

// TestReadyWhenAnotherWriterHoldsTheLock: a process that holds the write
// lock longer than the caller's deadline makes the store not writable for
// that caller, within the deadline (not after the 10 s busy timeout).
func TestReadyWhenAnotherWriterHoldsTheLock(t *testing.T) {
	db := openTest(t)
	other, err := sql.Open("sqlite", dsn(db.path, true))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	lock, err := other.BeginTx(t.Context(), nil) // BEGIN IMMEDIATE
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	err = db.Ready(ctx)
	wantCode(t, err, app.EUnavailable, "")
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("Ready took %s with a 300ms deadline", d)
	}
	// The writer connection is not left broken by the interrupted probe.
	if err := lock.Rollback(); err != nil {
		t.Fatal(err)
	}
	if err := db.Ready(t.Context()); err != nil {
		t.Fatalf("Ready after the lock is released: got %v, want nil", err)
	}
}

func TestCouponTotals(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	if issued, redeemed, err := db.CouponTotals(ctx); err != nil || issued != 0 || redeemed != 0 {
		t.Fatalf("empty store: got %d, %d, %v; want 0, 0, nil", issued, redeemed, err)
	}
	site := mustCreateSite(t, db, testSite("Lobby"))
	in := mustCreateInstance(t, db, testInstance("Guest", site.ID))
	coupons, err := db.CreateCoupons(ctx, in.ID, 3, 60)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.RevokeCoupon(ctx, in.ID, coupons[2].ID, app.Actor{Role: app.RoleAdmin}); err != nil {
		t.Fatal(err)
	}
	sessions := []app.HotspotSession{{RouterID: "*1", User: coupons[0].Code, Address: "10.5.50.2", MACAddress: "AA:BB:CC:00:00:01", Uptime: time.Minute}}
	if _, err := db.RecordSessions(ctx, site.ID, sessions, time.Now()); err != nil {
		t.Fatal(err)
	}
	if issued, redeemed, err := db.CouponTotals(ctx); err != nil || issued != 3 || redeemed != 1 {
		t.Fatalf("got %d issued, %d redeemed, %v; want 3, 1, nil", issued, redeemed, err)
	}
}
