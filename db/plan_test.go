package db

import (
	"testing"

	"gatehouse/app"
)

// testPlan is a valid plan: 1 day, 2 GB, 10/2 Mbps, 3 devices, EUR 8.00.
func testPlan(name string) app.Plan {
	data, down, up := 2000, 10000, 2000
	p := app.NewPlan()
	p.Name, p.SessionMinutes, p.DataLimitMB, p.DownloadKbps, p.UploadKbps = name, 1440, &data, &down, &up
	p.Devices, p.Price, p.Currency = 3, 800, "eur"
	return p
}

func mustCreatePlan(tb testing.TB, db *DB, p app.Plan) app.Plan {
	tb.Helper()
	out, err := db.CreatePlan(tb.Context(), p)
	if err != nil {
		tb.Fatalf("create plan: %v", err)
	}
	return out
}

func TestPlanRoundTrip(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	p := mustCreatePlan(t, db, testPlan("  1 day "))
	if p.ID == "" || p.Name != "1 day" || p.Currency != "EUR" || p.ValidMinutes != app.DefaultPlanValidMinutes ||
		*p.DataLimitMB != 2000 || *p.DownloadKbps != 10000 || *p.UploadKbps != 2000 || p.Devices != 3 || p.Price != 800 ||
		p.CreatedAt.IsZero() {
		t.Fatalf("created = %+v", p)
	}
	got, err := db.Plan(ctx, p.ID)
	if err != nil || got.Name != p.Name || got.CreatedAt != p.CreatedAt || *got.DataLimitMB != 2000 {
		t.Fatalf("get = %+v, %v; want %+v", got, err, p)
	}
	upd, err := db.UpdatePlan(ctx, p.ID, func(x *app.Plan) error {
		x.ID, x.DataLimitMB, x.Price = "other", nil, 900
		return nil
	})
	if err != nil || upd.ID != p.ID || upd.DataLimitMB != nil || upd.Price != 900 || upd.DownloadKbps == nil {
		t.Fatalf("update = %+v, %v", upd, err)
	}
	mustCreatePlan(t, db, testPlan("1 hour"))
	list, err := db.ListPlans(ctx)
	if err != nil || len(list) != 2 || list[0].ID != p.ID {
		t.Fatalf("list = %+v, %v; want 2, oldest first", list, err)
	}
	if err := db.DeletePlan(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	_, err = db.Plan(ctx, p.ID)
	wantCode(t, err, app.ENotFound, "")
	wantCode(t, db.DeletePlan(ctx, p.ID), app.ENotFound, "")
	wantCode(t, db.DeletePlan(ctx, "not-an-id"), app.ENotFound, "")
	_, err = db.UpdatePlan(ctx, p.ID, func(*app.Plan) error { return nil })
	wantCode(t, err, app.ENotFound, "")
}

func TestPlanRanges(t *testing.T) {
	db := openTest(t)
	n := func(v int) *int { return &v }
	cases := []struct {
		param  string
		change func(*app.Plan)
		ok     bool
	}{
		{"name", func(p *app.Plan) { p.Name = " " }, false},
		{"name", func(p *app.Plan) { p.Name = "1234567890123456789012345678901234567890123456789012345678901234" }, true},
		{"name", func(p *app.Plan) { p.Name = "12345678901234567890123456789012345678901234567890123456789012345" }, false},
		{"name", func(p *app.Plan) { p.Name = "a\nb" }, false},
		{"session_minutes", func(p *app.Plan) { p.SessionMinutes = 0 }, false},
		{"session_minutes", func(p *app.Plan) { p.SessionMinutes = 525600 }, true},
		{"session_minutes", func(p *app.Plan) { p.SessionMinutes = 525601 }, false},
		{"data_limit_mb", func(p *app.Plan) { p.DataLimitMB = n(0) }, false},
		{"data_limit_mb", func(p *app.Plan) { p.DataLimitMB = n(1) }, true},
		{"download_kbps", func(p *app.Plan) { p.DownloadKbps = n(63) }, false},
		{"download_kbps", func(p *app.Plan) { p.DownloadKbps = n(64) }, true},
		{"upload_kbps", func(p *app.Plan) { p.UploadKbps = n(63) }, false},
		{"upload_kbps", func(p *app.Plan) { p.UploadKbps = nil }, true},
		{"devices", func(p *app.Plan) { p.Devices = 0 }, false},
		{"devices", func(p *app.Plan) { p.Devices = 20 }, true},
		{"devices", func(p *app.Plan) { p.Devices = 21 }, false},
		{"valid_minutes", func(p *app.Plan) { p.ValidMinutes = 0 }, false},
		{"valid_minutes", func(p *app.Plan) { p.ValidMinutes = 525601 }, false},
		{"price", func(p *app.Plan) { p.Price = -1 }, false},
		{"currency", func(p *app.Plan) { p.Currency = "" }, false},
		{"currency", func(p *app.Plan) { p.Currency, p.Price = "", 0 }, true},
		{"currency", func(p *app.Plan) { p.Currency = "EU" }, false},
		{"currency", func(p *app.Plan) { p.Currency = "EURO" }, false},
		{"currency", func(p *app.Plan) { p.Currency = "E1R" }, false},
		{"currency", func(p *app.Plan) { p.Currency, p.Price = "Ä€R", 0 }, false},
	}
	for _, tc := range cases {
		p := testPlan("Plan")
		tc.change(&p)
		_, err := db.CreatePlan(t.Context(), p)
		if tc.ok {
			if err != nil {
				t.Errorf("%s: %+v: got %v, want accepted", tc.param, p, err)
			}
			continue
		}
		if e, _ := err.(*app.Error); e == nil || e.Code != app.EInvalid || e.Param != tc.param {
			t.Errorf("%s: %+v: got %v, want EInvalid naming %s", tc.param, p, err, tc.param)
		}
	}
}

func TestPlanCouponsAndSchedules(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	in := mustCreateInstance(t, db, testInstance("Lobby"))
	p := testPlan("1 day")
	p.ValidMinutes = 90
	p = mustCreatePlan(t, db, p)

	// A plan's valid minutes are the default; its price is frozen.
	list, err := db.IssueCoupons(ctx, in.ID, app.CouponIssue{Count: 2, PlanID: p.ID})
	if err != nil {
		t.Fatal(err)
	}
	if c := list[0]; c.PlanID != p.ID || c.Price == nil || *c.Price != 800 || c.Currency != "EUR" ||
		c.ExpiresAt.Sub(c.CreatedAt).Minutes() != 90 {
		t.Fatalf("coupon = %+v, want the plan's price and 90 minutes", c)
	}
	if _, err := db.UpdatePlan(ctx, p.ID, func(x *app.Plan) error { x.Price, x.Currency = 1000, "USD"; return nil }); err != nil {
		t.Fatal(err)
	}
	stored, err := db.ListCoupons(ctx, in.ID, app.CouponAll)
	if err != nil || len(stored) != 2 || *stored[0].Price != 800 || stored[0].Currency != "EUR" || stored[0].PlanID != p.ID {
		t.Fatalf("stored = %+v, %v; want price 800 EUR kept", stored, err)
	}
	// Without a plan nothing changes.
	plain, err := db.CreateCoupons(ctx, in.ID, 1, 60)
	if err != nil || plain[0].PlanID != "" || plain[0].Price != nil || plain[0].Currency != "" {
		t.Fatalf("plain coupon = %+v, %v", plain, err)
	}
	_, err = db.IssueCoupons(ctx, in.ID, app.CouponIssue{Count: 1})
	wantCode(t, err, app.EInvalid, "minutes_valid")
	_, err = db.IssueCoupons(ctx, in.ID, app.CouponIssue{Count: 1, PlanID: "0190c0de-0000-7000-8000-000000000000"})
	wantCode(t, err, app.EInvalid, "plan_id")
	_, err = db.IssueCoupons(ctx, in.ID, app.CouponIssue{Count: 1, PlanID: "nope"})
	wantCode(t, err, app.EInvalid, "plan_id")

	// Coupons in use: 409.
	wantCode(t, db.DeletePlan(ctx, p.ID), app.EConflict, "")

	// A schedule's runs make coupons with its plan.
	free := app.NewPlan()
	free.Name, free.SessionMinutes = "Free hour", 60
	free = mustCreatePlan(t, db, free)
	s, err := db.CreateSchedule(ctx, app.Schedule{InstanceID: in.ID, Name: "Daily", Count: 3, Recurrence: app.RecurDaily,
		ValidForMinutes: 30, Timezone: "UTC", PlanID: free.ID})
	if err != nil || s.PlanID != free.ID {
		t.Fatalf("schedule = %+v, %v", s, err)
	}
	_, coupons, _, err := db.RunSchedule(ctx, s.ID, "2026-01-01T00:00")
	if err != nil || len(coupons) != 3 {
		t.Fatalf("run: %d coupons, %v", len(coupons), err)
	}
	if c := coupons[0]; c.PlanID != free.ID || c.Price == nil || *c.Price != 0 || c.Currency != "" ||
		c.ExpiresAt.Sub(c.CreatedAt).Minutes() != 30 {
		t.Fatalf("scheduled coupon = %+v", c)
	}
	wantCode(t, db.DeletePlan(ctx, free.ID), app.EConflict, "")
	_, err = db.UpdateSchedule(ctx, in.ID, s.ID, func(x *app.Schedule) error { x.PlanID = "0190c0de-0000-7000-8000-000000000000"; return nil })
	wantCode(t, err, app.EInvalid, "plan_id")
	if _, err := db.UpdateSchedule(ctx, in.ID, s.ID, func(x *app.Schedule) error { x.PlanID = ""; return nil }); err != nil {
		t.Fatal(err)
	}
	// Still used by the run's coupons.
	wantCode(t, db.DeletePlan(ctx, free.ID), app.EConflict, "")
	unused := mustCreatePlan(t, db, testPlan("Unused"))
	if err := db.DeletePlan(ctx, unused.ID); err != nil {
		t.Fatalf("delete unused plan: %v", err)
	}
}
