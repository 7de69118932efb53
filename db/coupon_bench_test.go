package db

import (
	"crypto/rand"
	"testing"
	"time"

	"gatehouse/app"
)

// BenchmarkCouponBatchVsRawInsert measures issuing a batch of 200 coupons
// through the store (validation, code drawing, collision handling, one
// transaction) against the floor: a raw prepared INSERT of 200 rows in one
// transaction on the same database, interleaved in the same loop so both
// see the same machine. It reports the service's rate as a fraction of the
// raw rate (target: at least 0.5).
//
//	go test ./db -run '^$' -bench CouponBatchVsRawInsert -benchtime 200x
func BenchmarkCouponBatchVsRawInsert(b *testing.B) {
	db := openTest(b)
	in := mustCreateInstance(b, db, testInstance("Bench"))
	codes := make([]string, 200)
	var raw, service time.Duration
	for b.Loop() {
		for i := range codes {
			codes[i], _ = app.NewCouponCode(rand.Reader, 8, app.CharsetAlnum)
		}
		start := time.Now()
		rawInsert(b, db, in.ID, codes)
		mid := time.Now()
		if _, err := db.CreateCoupons(b.Context(), in.ID, 200, 60); err != nil {
			b.Fatal(err)
		}
		raw += mid.Sub(start)
		service += time.Since(mid)
	}
	b.ReportMetric(float64(raw)/float64(service), "service/raw")
	b.ReportMetric(float64(service.Microseconds())/float64(b.N), "service-µs/batch")
	b.ReportMetric(float64(raw.Microseconds())/float64(b.N), "raw-µs/batch")
}

// rawInsert is the baseline: one transaction, one prepared statement,
// 200 rows with ids and codes prepared beforehand.
func rawInsert(tb testing.TB, db *DB, instanceID string, codes []string) {
	tx, err := db.writer.BeginTx(tb.Context(), nil)
	if err != nil {
		tb.Fatal(err)
	}
	defer tx.Rollback()
	stmt, err := tx.Prepare(`INSERT INTO coupons (id, instance_id, code, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`)
	if err != nil {
		tb.Fatal(err)
	}
	now := time.Now()
	for _, code := range codes {
		id, _ := newID()
		if _, err := stmt.Exec(id, instanceID, code, micros(now), micros(now.Add(time.Hour))); err != nil {
			tb.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkCouponBatchWithPlan measures issuing a batch of 200 coupons
// with a plan (its lookup, and plan id, price and currency on every row)
// against the same batch without one, interleaved in the same loop. It
// reports the cost with a plan as a ratio of the cost without (target: at
// most 1.1).
//
//	go test ./db -run '^$' -bench CouponBatchWithPlan -benchtime 200x
func BenchmarkCouponBatchWithPlan(b *testing.B) {
	db := openTest(b)
	in := mustCreateInstance(b, db, testInstance("Bench"))
	plan := mustCreatePlan(b, db, testPlan("1 day"))
	var with, without time.Duration
	issue := func(planID string) time.Duration {
		start := time.Now()
		if _, err := db.IssueCoupons(b.Context(), in.ID, app.CouponIssue{Count: 200, MinutesValid: 60, PlanID: planID}); err != nil {
			b.Fatal(err)
		}
		return time.Since(start)
	}
	odd := false
	for b.Loop() {
		// Alternate which goes first, so neither always meets the other's
		// leftovers (a WAL checkpoint, a grown index).
		if odd = !odd; odd {
			without += issue("")
			with += issue(plan.ID)
		} else {
			with += issue(plan.ID)
			without += issue("")
		}
	}
	b.ReportMetric(float64(with)/float64(without), "plan/none")
	b.ReportMetric(float64(with.Microseconds())/float64(b.N), "plan-µs/batch")
	b.ReportMetric(float64(without.Microseconds())/float64(b.N), "none-µs/batch")
}
