package db

import (
	"crypto/rand"
	"fmt"
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
// with a free plan (its lookup, and what the plan puts on every row)
// against the same batch without one, interleaved in the same loop. It
// reports the cost with a plan as a ratio of the cost without (target: at
// most 1.1). A priced plan's sales are BenchmarkSale's.
//
//	go test ./db -run '^$' -bench CouponBatchWithPlan -benchtime 200x
func BenchmarkCouponBatchWithPlan(b *testing.B) {
	db := openTest(b)
	in := mustCreateInstance(b, db, testInstance("Bench"))
	p := testPlan("1 day")
	p.Price, p.Currency = 0, ""
	plan := mustCreatePlan(b, db, p)
	with, without := interleave(b, func() time.Duration { return issueTimed(b, db, in.ID, 200, plan.ID) },
		func() time.Duration { return issueTimed(b, db, in.ID, 200, "") })
	b.ReportMetric(float64(with)/float64(without), "plan/none")
	b.ReportMetric(float64(with.Microseconds())/float64(b.N), "plan-µs/batch")
	b.ReportMetric(float64(without.Microseconds())/float64(b.N), "none-µs/batch")
}

// BenchmarkSale measures selling: coupons of a priced plan, each a sale
// appended to the hash-chained ledger in the same transaction, against the
// same coupons of the same plan without a price, interleaved, by a clerk
// in an open shift. One coupon is a desk sale (target: at most 1.2); 200 a
// batch.
//
//	go test ./db -run '^$' -bench Sale -benchtime 400x
func BenchmarkSale(b *testing.B) {
	for _, count := range []int{1, 200} {
		b.Run(fmt.Sprintf("coupons=%d", count), func(b *testing.B) {
			db := openTest(b)
			in := mustCreateInstance(b, db, testInstance("Bench"))
			priced := mustCreatePlan(b, db, testPlan("1 day"))
			p := testPlan("1 day free")
			p.Price, p.Currency = 0, ""
			free := mustCreatePlan(b, db, p)
			if _, err := db.OpenShift(b.Context(), benchClerk, app.ShiftOpening{}); err != nil {
				b.Fatal(err)
			}
			with, without := interleave(b, func() time.Duration { return issueTimed(b, db, in.ID, count, priced.ID) },
				func() time.Duration { return issueTimed(b, db, in.ID, count, free.ID) })
			b.ReportMetric(float64(with)/float64(without), "sale/free")
			b.ReportMetric(float64(with.Microseconds())/float64(b.N), "sale-µs/op")
			b.ReportMetric(float64(without.Microseconds())/float64(b.N), "free-µs/op")
		})
	}
}

// benchClerk sells in the benchmarks, in an open shift.
var benchClerk = app.Actor{ID: "bench", Name: "bench", Role: app.RoleFrontdesk}

// issueTimed issues count coupons of plan (or none) and times it.
func issueTimed(b *testing.B, db *DB, instanceID string, count int, planID string) time.Duration {
	start := time.Now()
	_, err := db.IssueCoupons(b.Context(), instanceID, app.CouponIssue{Count: count, MinutesValid: 60, PlanID: planID,
		Actor: benchClerk})
	if err != nil {
		b.Fatal(err)
	}
	return time.Since(start)
}

// interleave runs x and y once per loop, alternating which goes first so
// neither always meets the other's leftovers (a WAL checkpoint, a grown
// index), and returns their total times.
func interleave(b *testing.B, x, y func() time.Duration) (tx, ty time.Duration) {
	odd := false
	for b.Loop() {
		if odd = !odd; odd {
			ty += y()
			tx += x()
		} else {
			tx += x()
			ty += y()
		}
	}
	return tx, ty
}
