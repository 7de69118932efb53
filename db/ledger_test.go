package db

import (
	"testing"

	"gatehouse/app"
)

// The ledger's and the shifts' triggers refuse what the API never does:
// changing or removing an entry, changing a closed shift.
func TestLedgerAppendOnly(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	in := mustCreateInstance(t, db, testInstance("Lobby"))
	plan := mustCreatePlan(t, db, testPlan("1 day"))
	clerk := app.Actor{ID: "a1", Name: "maria", Role: app.RoleFrontdesk}
	shift, err := db.OpenShift(ctx, clerk, app.ShiftOpening{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.IssueCoupons(ctx, in.ID, app.CouponIssue{Count: 2, PlanID: plan.ID, Actor: clerk}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.CloseShift(ctx, clerk, shift.ID, nil); err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{
		`UPDATE ledger SET amount = 1 WHERE seq = 1`,
		`DELETE FROM ledger WHERE seq = 2`,
		`UPDATE shifts SET counted_cash = '{"EUR":1}'`,
		`DELETE FROM shifts`,
	} {
		if _, err := db.writer.ExecContext(ctx, stmt); err == nil {
			t.Errorf("%s: allowed", stmt)
		}
	}
	if c, err := db.VerifyLedger(ctx); err != nil || !c.OK || c.Entries != 2 {
		t.Errorf("verify = %+v, %v", c, err)
	}
}
