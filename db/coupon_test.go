package db

import (
	"strings"
	"sync"
	"testing"
	"time"

	"gatehouse/app"
)

func TestCreateCoupons(t *testing.T) {
	db := openTest(t)
	in := mustCreateInstance(t, db, testInstance("Guest"))
	before := time.Now()
	coupons, err := db.CreateCoupons(t.Context(), in.ID, 200, 90)
	if err != nil {
		t.Fatal(err)
	}
	if len(coupons) != 200 {
		t.Fatalf("got %d coupons, want 200", len(coupons))
	}
	seen := map[string]bool{}
	for _, c := range coupons {
		if len(c.Code) != 6 || strings.ContainsAny(c.Code, "0O1IL") || strings.ToUpper(c.Code) != c.Code {
			t.Fatalf("code %q: want 6 upper-case characters without look-alikes", c.Code)
		}
		if seen[c.Code] {
			t.Fatalf("code %q issued twice", c.Code)
		}
		seen[c.Code] = true
		if got := c.ExpiresAt.Sub(c.CreatedAt); got != 90*time.Minute {
			t.Fatalf("expires_at - created_at = %v, want 90m", got)
		}
		if c.CreatedAt.Before(before.Add(-time.Second)) {
			t.Fatalf("created_at %v is before the call", c.CreatedAt)
		}
	}
	list, err := db.ListCoupons(t.Context(), in.ID, app.CouponValid)
	if err != nil || len(list) != 200 {
		t.Fatalf("ListCoupons valid: %d, %v; want 200", len(list), err)
	}
}

func TestCreateCouponsRefused(t *testing.T) {
	db := openTest(t)
	in := mustCreateInstance(t, db, testInstance("Guest"))
	integ := mustCreateIntegration(t, db, testIntegration("G"))
	oauth := testInstance("Staff")
	oauth.Strategy, oauth.AuthIntegrationID = app.StrategyOAuth2, integ.ID
	oauth = mustCreateInstance(t, db, oauth)

	_, err := db.CreateCoupons(t.Context(), in.ID, 0, 10)
	wantCode(t, err, app.EInvalid, "count")
	_, err = db.CreateCoupons(t.Context(), in.ID, 201, 10)
	wantCode(t, err, app.EInvalid, "count")
	_, err = db.CreateCoupons(t.Context(), in.ID, 1, 0)
	wantCode(t, err, app.EInvalid, "minutes_valid")
	_, err = db.CreateCoupons(t.Context(), in.ID, 1, 1_000_000_000)
	wantCode(t, err, app.EInvalid, "minutes_valid")
	_, err = db.CreateCoupons(t.Context(), oauth.ID, 1, 10)
	if app.ErrorReason(err) != app.ReasonStrategyMismatch {
		t.Fatalf("oauth2 instance: error %v, want strategy_mismatch", err)
	}
	_, err = db.CreateCoupons(t.Context(), unknownID, 1, 10)
	wantCode(t, err, app.ENotFound, "")
	if n := rawCount(t, db, "coupons"); n != 0 {
		t.Fatalf("refused batches left %d coupons", n)
	}
}

// TestBatchIsAllOrNothing makes the 101st insert of a batch fail (a
// trigger stands in for a full disk) and checks no coupon of it stays.
func TestBatchIsAllOrNothing(t *testing.T) {
	db := openTest(t)
	in := mustCreateInstance(t, db, testInstance("Guest"))
	mustExec(t, db, `CREATE TRIGGER fail_101 BEFORE INSERT ON coupons
		WHEN (SELECT count(*) FROM coupons) >= 100 BEGIN SELECT RAISE(ABORT, 'disk full'); END`)
	if _, err := db.CreateCoupons(t.Context(), in.ID, 200, 10); err == nil {
		t.Fatal("batch succeeded past the failing insert")
	}
	if n := rawCount(t, db, "coupons"); n != 0 {
		t.Fatalf("failed batch left %d of 200 coupons", n)
	}
	mustExec(t, db, `DROP TRIGGER fail_101`)
	if _, err := db.CreateCoupons(t.Context(), in.ID, 200, 10); err != nil {
		t.Fatalf("the next batch: %v", err)
	}
}

func TestCouponStatuses(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	in := mustCreateInstance(t, db, testInstance("Guest"))
	cs, err := db.CreateCoupons(ctx, in.ID, 4, 60)
	if err != nil {
		t.Fatal(err)
	}
	// One redeemed, one revoked, one expired (moved into the past by hand).
	past := micros(time.Now().Add(-time.Minute))
	mustExec(t, db, `UPDATE coupons SET redeemed_at = ? WHERE id = ?`, past, cs[0].ID)
	if err := db.RevokeCoupon(ctx, in.ID, cs[1].ID, app.Actor{Role: app.RoleAdmin}); err != nil {
		t.Fatal(err)
	}
	if err := db.RevokeCoupon(ctx, in.ID, cs[1].ID, app.Actor{Role: app.RoleAdmin}); err != nil {
		t.Fatalf("revoking twice: %v", err)
	}
	mustExec(t, db, `UPDATE coupons SET expires_at = ? WHERE id = ?`, past, cs[2].ID)

	want := map[string][]string{
		app.CouponValid:    {cs[3].ID},
		app.CouponRedeemed: {cs[0].ID},
		app.CouponRevoked:  {cs[1].ID},
		app.CouponExpired:  {cs[2].ID},
		app.CouponAll:      {cs[0].ID, cs[1].ID, cs[2].ID, cs[3].ID},
	}
	for status, ids := range want {
		list, err := db.ListCoupons(ctx, in.ID, status)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range list {
			got = append(got, c.ID)
			if status != app.CouponAll && c.Status(time.Now()) != status {
				t.Errorf("%s list holds a coupon whose Status is %s", status, c.Status(time.Now()))
			}
		}
		if strings.Join(got, ",") != strings.Join(ids, ",") {
			t.Errorf("status %s: got %v, want %v", status, got, ids)
		}
	}
	_, err = db.ListCoupons(ctx, in.ID, "lost")
	wantCode(t, err, app.EInvalid, "status")
	_, err = db.ListCoupons(ctx, unknownID, app.CouponValid)
	wantCode(t, err, app.ENotFound, "")
	wantCode(t, db.RevokeCoupon(ctx, unknownID, cs[3].ID, app.Actor{Role: app.RoleAdmin}), app.ENotFound, "")
	wantCode(t, db.RevokeCoupon(ctx, in.ID, "nope", app.Actor{Role: app.RoleAdmin}), app.ENotFound, "")
}

func TestPurgeCoupons(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	in := mustCreateInstance(t, db, testInstance("Guest")) // session_ttl 3600
	cs, err := db.CreateCoupons(ctx, in.ID, 5, 60)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	old := micros(now.Add(-48 * time.Hour))
	mustExec(t, db, `UPDATE coupons SET expires_at = ? WHERE id = ?`, old, cs[0].ID)                               // expired 48h ago
	mustExec(t, db, `UPDATE coupons SET revoked_at = ? WHERE id = ?`, old, cs[1].ID)                               // revoked 48h ago
	mustExec(t, db, `UPDATE coupons SET redeemed_at = ? WHERE id = ?`, old, cs[2].ID)                              // session ended 47h ago
	mustExec(t, db, `UPDATE coupons SET redeemed_at = ? WHERE id = ?`, micros(now.Add(-30*time.Minute)), cs[3].ID) // in session
	n, err := db.PurgeCoupons(ctx, now.Add(-24*time.Hour))
	if err != nil || n != 3 {
		t.Fatalf("PurgeCoupons = %d, %v; want 3", n, err)
	}
	all, _ := db.ListCoupons(ctx, in.ID, app.CouponAll)
	if len(all) != 2 || all[0].ID != cs[3].ID || all[1].ID != cs[4].ID {
		t.Fatalf("left after purge: %v", all)
	}
}

func TestConcurrentBatchesStayUnique(t *testing.T) {
	db := openTest(t)
	in := testInstance("Digits")
	in.CouponCharset = app.CharsetDigits
	in = mustCreateInstance(t, db, in)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			_, err := db.CreateCoupons(t.Context(), in.ID, 200, 10)
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	var distinct int
	if err := db.writer.QueryRow(`SELECT count(DISTINCT code) FROM coupons`).Scan(&distinct); err != nil {
		t.Fatal(err)
	}
	if distinct != 1600 || rawCount(t, db, "coupons") != 1600 {
		t.Fatalf("distinct codes = %d, want 1600", distinct)
	}
}

func mustExec(tb testing.TB, db *DB, query string, args ...any) {
	tb.Helper()
	if _, err := db.writer.ExecContext(tb.Context(), query, args...); err != nil {
		tb.Fatalf("%s: %v", query, err)
	}
}
