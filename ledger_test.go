package main

import (
	"bytes"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"gatehouse/app"
	"gatehouse/db"
)

// "gatehouse ledger verify" reads the file: fine, then broken at the entry
// someone edited behind gatehouse's back, with exit status 1.
func TestLedgerVerifyCommand(t *testing.T) {
	dir := t.TempDir()
	store, err := db.Open(t.Context(), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	in, err := store.CreateInstance(t.Context(), app.Instance{Name: "Lobby", Strategy: app.StrategyCoupon, SessionTTL: 3600})
	if err != nil {
		t.Fatal(err)
	}
	plan := app.NewPlan()
	plan.Name, plan.SessionMinutes, plan.Price, plan.Currency = "1 hour", 60, 200, "EUR"
	if plan, err = store.CreatePlan(t.Context(), plan); err != nil {
		t.Fatal(err)
	}
	if _, err := store.IssueCoupons(t.Context(), in.ID, app.CouponIssue{Count: 4, PlanID: plan.ID,
		Actor: app.Actor{ID: "t1", Name: "desk", Role: app.RoleFrontdesk}}); err != nil {
		t.Fatal(err)
	}
	store.Close()

	out := cliIn(t, "", "ledger", "verify", "-data-dir", dir)
	if !strings.HasPrefix(out, "ok: 4 entries\nhead ") {
		t.Fatalf("verify:\n%s", out)
	}
	raw, err := sql.Open("sqlite", filepath.Join(dir, "gatehouse.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, stmt := range []string{`DROP TRIGGER ledger_no_update`, `UPDATE ledger SET actor_name = 'boss' WHERE seq = 2`} {
		if _, err := raw.Exec(stmt); err != nil {
			t.Fatal(err)
		}
	}
	var stdout, stderr bytes.Buffer
	err = run(t.Context(), []string{"ledger", "verify", "-data-dir", dir}, strings.NewReader(""), &stdout, &stderr, env(nil))
	if !errors.Is(err, errLedgerBroken) || exitCode(err) != 1 || !strings.HasPrefix(stdout.String(), "BROKEN at entry 2 of 4") {
		t.Fatalf("verify of an edited ledger: %v (exit %d)\n%s", err, exitCode(err), stdout.String())
	}
}
