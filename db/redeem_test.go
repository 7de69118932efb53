package db

import (
	"testing"
	"time"

	"gatehouse/app"
)

func TestRedeem(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	in := mustCreateInstance(t, db, testInstance("Guest")) // session 1h
	cs, err := db.CreateCoupons(ctx, in.ID, 3, 60)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	req := func(code, mac string, at time.Time) app.RedeemRequest {
		return app.RedeemRequest{InstanceID: in.ID, Code: code, MAC: mac, At: at}
	}
	red, err := db.Redeem(ctx, req(" "+cs[0].Code[:2]+"-"+cs[0].Code[2:]+" ", "aa:bb:cc:00:00:01", now))
	if err != nil || red.Resumed || !red.SessionEnds.Equal(red.Coupon.RedeemedAt.Add(time.Hour)) {
		t.Fatalf("first redeem: %+v, %v", red, err)
	}
	// The same device again during its session: resumed.
	if red, err = db.Redeem(ctx, req(cs[0].Code, "AA:BB:CC:00:00:01", now.Add(time.Minute))); err != nil || !red.Resumed {
		t.Fatalf("same device again: %+v, %v", red, err)
	}
	active, err := db.ActiveRedemption(ctx, in.ID, "aa:bb:cc:00:00:01", now.Add(time.Minute))
	if err != nil || active.Coupon.ID != cs[0].ID {
		t.Fatalf("ActiveRedemption = %+v, %v", active, err)
	}
	_, err = db.ActiveRedemption(ctx, in.ID, "aa:bb:cc:00:00:01", now.Add(2*time.Hour))
	wantCode(t, err, app.ENotFound, "")

	if err := db.RevokeCoupon(ctx, in.ID, cs[1].ID, app.Actor{Role: app.RoleAdmin}); err != nil {
		t.Fatal(err)
	}
	mustExec(t, db, `UPDATE coupons SET expires_at = ? WHERE id = ?`, micros(now.Add(-time.Second)), cs[2].ID)
	for _, tc := range []struct {
		name   string
		req    app.RedeemRequest
		reason string
	}{
		{"other device", req(cs[0].Code, "AA:BB:CC:00:00:02", now), app.ReasonCouponUsed},
		{"same device after the session", req(cs[0].Code, "AA:BB:CC:00:00:01", now.Add(2*time.Hour)), app.ReasonCouponUsed},
		{"revoked", req(cs[1].Code, "AA:BB:CC:00:00:03", now), app.ReasonCouponRevoked},
		{"expired", req(cs[2].Code, "AA:BB:CC:00:00:04", now), app.ReasonCouponExpired},
		{"unknown", req("NOPE42", "AA:BB:CC:00:00:05", now), app.ReasonCouponUnknown},
		{"empty", req(" - ", "AA:BB:CC:00:00:05", now), app.ReasonCouponUnknown},
	} {
		_, err := db.Redeem(ctx, tc.req)
		if app.ErrorReason(err) != tc.reason || app.ErrorCode(err) != app.EInvalid {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.reason)
		}
	}
	_, err = db.Redeem(ctx, app.RedeemRequest{InstanceID: unknownID, Code: cs[0].Code, At: now})
	wantCode(t, err, app.ENotFound, "")
	list, _ := db.ListCoupons(ctx, in.ID, app.CouponAll)
	if list[1].RedeemedAt != nil || list[2].RedeemedAt != nil {
		t.Fatal("refused redemptions changed coupons")
	}
}
