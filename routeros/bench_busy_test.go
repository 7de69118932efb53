package routeros_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"gatehouse/routeros"
)

// Router speed is not network speed (docs/routeros.md §7): a router
// applies configuration writes one at a time, each taking its service
// time, so n writes can never take less than n × service time plus one
// round trip. These benchmarks push users to a fake router that works
// that way and report time ÷ that bound ("x-bound"; 1.0 is perfect).
//
//	go test ./routeros -run '^$' -bench 'Busy|SlowBoard' -benchtime 1x

// BenchmarkPushBusyRouter sweeps connections and pipeline depth at three
// service times, with as many users as make the bound 3 s, and on a slow
// link (50 ms round trip); it is how the defaults of Config were chosen
// (docs/routeros.md §7 has the figures).
func BenchmarkPushBusyRouter(b *testing.B) {
	shapes := []struct{ conns, depth int }{{1, 1}, {1, 2}, {1, 4}, {1, 8}, {1, 32}, {2, 8}, {2, 32}, {4, 32}}
	for _, link := range []struct{ rtt, service time.Duration }{
		{5 * time.Millisecond, 3 * time.Millisecond},
		{5 * time.Millisecond, 15 * time.Millisecond},
		{5 * time.Millisecond, 50 * time.Millisecond},
		{50 * time.Millisecond, 3 * time.Millisecond},
	} {
		n := int(3 * time.Second / link.service)
		for _, sh := range shapes {
			name := fmt.Sprintf("rtt=%v/service=%v/users=%d/conns=%d/depth=%d", link.rtt, link.service, n, sh.conns, sh.depth)
			b.Run(name, func(b *testing.B) {
				pushBusy(b, routeros.Config{Conns: sh.conns, Pipeline: sh.depth}, link.rtt, link.service, n)
			})
		}
	}
}

// BenchmarkPushSlowBoard pushes 1000 users with the default Config to
// routers at 3 ms and 50 ms per write (bounds 3 s and 50 s): the push
// must finish with every user added, no timeout and no redial.
func BenchmarkPushSlowBoard(b *testing.B) {
	for _, service := range []time.Duration{3 * time.Millisecond, 50 * time.Millisecond} {
		b.Run(fmt.Sprintf("service=%v/users=1000", service), func(b *testing.B) {
			pushBusy(b, routeros.Config{}, 5*time.Millisecond, service, 1000)
		})
	}
}

// pushBusy adds n users through a Client with cfg to a fresh fake router
// with the given round trip (the fake's latency) and service time, checks
// that all arrived on connections that never had to be redialled, and
// reports the time against the bound.
func pushBusy(b *testing.B, cfg routeros.Config, rtt, service time.Duration, n int) {
	b.Helper()
	var total time.Duration
	for b.Loop() {
		r := benchRouter(b)
		r.SetLatency(rtt)
		r.SetServiceTime(service)
		c := routeros.New(target(b, r.Addr()), cfg)
		if _, err := c.Run(context.Background(), "/system/identity/print"); err != nil { // dial and log in first
			b.Fatal(err)
		}
		start := time.Now()
		res := c.RunAll(context.Background(), adds("u", n))
		total += time.Since(start)
		for i, x := range res {
			if x.Err != nil {
				b.Fatalf("add %d: %v", i, x.Err)
			}
		}
		if got := len(r.Rows("/ip/hotspot/user")); got != n {
			b.Fatalf("%d users on the router, want %d", got, n)
		}
		if logins, conns := r.Commands("/login"), r.MaxConns(); logins != conns {
			b.Fatalf("%d logins for %d connections: a connection was redialled", logins, conns)
		}
		c.Close()
		r.Close()
	}
	bound := time.Duration(n)*service + rtt
	per := total / time.Duration(b.N)
	b.ReportMetric(per.Seconds(), "s/push")
	b.ReportMetric(float64(per)/float64(bound), "x-bound")
}
