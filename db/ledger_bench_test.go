package db

import (
	"database/sql"
	"testing"
	"time"

	"gatehouse/app"
)

// BenchmarkLedgerVerify measures verifying a ledger of 100,000 entries
// (reading them in sequence order and recomputing every hash) against
// reading the same rows with a plain SELECT, in the same run. It reports
// verify's rate as a share of the plain read's (target: at least 0.5).
//
//	go test ./db -run '^$' -bench LedgerVerify -benchtime 5x
func BenchmarkLedgerVerify(b *testing.B) {
	const n = 100_000
	db := openTest(b)
	entries := make([]app.LedgerEntry, n)
	for i := range entries {
		entries[i] = app.LedgerEntry{ActorID: "0190c0de-0000-7000-8000-000000000001", ActorName: "maria",
			Kind: app.LedgerSale, CouponID: "0190c0de-0000-7000-8000-00000000abcd", Code: "K7QX2M",
			PlanID: "0190c0de-0000-7000-8000-00000000beef", PlanName: "1 day, 2 GB", Amount: 800, Currency: "EUR"}
	}
	err := db.write(b.Context(), "seed ledger", func(tx *sql.Tx, now time.Time) error {
		return db.appendLedger(b.Context(), tx, now, entries)
	})
	if err != nil {
		b.Fatal(err)
	}
	plain := func() time.Duration {
		start := time.Now()
		rows := 0
		err := db.read(b.Context(), "read ledger", func(tx *sql.Tx) error {
			return queryEach(b.Context(), tx, `SELECT `+ledgerColumns+` FROM ledger ORDER BY seq`, func(sc scanner) error {
				_, err := scanLedgerEntry(sc)
				rows++
				return err
			})
		})
		if err != nil || rows != n {
			b.Fatalf("plain read: %d rows, %v", rows, err)
		}
		return time.Since(start)
	}
	verify := func() time.Duration {
		start := time.Now()
		c, err := db.VerifyLedger(b.Context())
		if err != nil || !c.OK || c.Entries != n {
			b.Fatalf("verify: %+v, %v", c, err)
		}
		return time.Since(start)
	}
	tv, tp := interleave(b, verify, plain)
	b.ReportMetric(float64(tp)/float64(tv), "verify-rate/select-rate")
	b.ReportMetric(float64(n)*float64(b.N)/tv.Seconds(), "verified/s")
	b.ReportMetric(float64(n)*float64(b.N)/tp.Seconds(), "selected/s")
}
