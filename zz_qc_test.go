package main

import (
	"testing"
	"time"
)

func TestZZQuick(t *testing.T) {
	g := newGatehouseBin(t)
	token := g.adminToken(t)
	c := g.start(t)
	var inst struct{ ID string }
	c.must("POST", "/captive/instances", token, map[string]any{"name": "Crash", "strategy": "coupon", "session_ttl": 3600}, 201, &inst)
	for i := 0; i < 200; i++ {
		c.must("POST", "/captive/instances/"+inst.ID+"/coupons", token, map[string]any{"count": 200, "minutes_valid": 100 + i}, 201, nil)
	}
	c.kill()
	db := openDataFile(t, g.dir)
	for _, q := range []string{"PRAGMA quick_check", "PRAGMA integrity_check", "SELECT (expires_at-created_at)/60000000, COUNT(*) FROM coupons GROUP BY 1"} {
		t0 := time.Now()
		rows, err := db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for rows.Next() {
			n++
		}
		rows.Close()
		t.Logf("%s: %v (%d rows)", q, time.Since(t0), n)
	}
}
