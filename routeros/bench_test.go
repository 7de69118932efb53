package routeros_test

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"testing"
	"time"

	gorouteros "github.com/go-routeros/routeros/v3"

	"gatehouse/routeros"
	"gatehouse/routeros/routerostest"
)

// BenchmarkPush1000 pushes 1000 hotspot users to a fake router whose
// replies take the given latency, with RunAll (default Config: 4
// connections, 32 commands in flight on each, dialling and login included)
// and, as the baseline, one after the other on one go-routeros v3.0.1 sync
// connection (login excluded). It reports both times and their ratio:
//
//	go test ./routeros -run '^$' -bench Push -benchtime 3x
func BenchmarkPush1000(b *testing.B) {
	for _, lat := range []time.Duration{5 * time.Millisecond, 0} {
		b.Run(fmt.Sprintf("latency=%v", lat), func(b *testing.B) {
			var seq, all time.Duration
			for b.Loop() {
				seq += pushSequential(b, lat)
				all += pushRunAll(b, lat)
			}
			n := float64(b.N)
			b.ReportMetric(seq.Seconds()*1000/n, "seq-ms/op")
			b.ReportMetric(all.Seconds()*1000/n, "runall-ms/op")
			b.ReportMetric(float64(seq)/float64(all), "speedup")
		})
	}
}

const pushN = 1000

// benchRouter starts a fresh fake (so the adds never collide).
func benchRouter(b *testing.B) *routerostest.Router {
	b.Helper()
	r, err := routerostest.Listen("127.0.0.1:0", routerostest.Options{User: user, Password: pass})
	if err != nil {
		b.Fatal(err)
	}
	return r
}

func pushSequential(b *testing.B, lat time.Duration) time.Duration {
	b.Helper()
	r := benchRouter(b)
	defer r.Close()
	nc, err := net.Dial("tcp", r.Addr())
	if err != nil {
		b.Fatal(err)
	}
	c, err := gorouteros.NewClient(nc)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	c.SetLogHandler(slog.DiscardHandler)
	if err := c.Login(user, pass); err != nil {
		b.Fatal(err)
	}
	r.SetLatency(lat)
	start := time.Now()
	for _, words := range adds("s", pushN) {
		if _, err := c.RunArgs(words); err != nil {
			b.Fatal(err)
		}
	}
	return time.Since(start)
}

func pushRunAll(b *testing.B, lat time.Duration) time.Duration {
	b.Helper()
	r := benchRouter(b)
	defer r.Close()
	r.SetLatency(lat)
	c := routeros.New(target(b, r.Addr()), routeros.Config{})
	defer c.Close()
	start := time.Now()
	res := c.RunAll(context.Background(), adds("a", pushN))
	el := time.Since(start)
	for i, x := range res {
		if x.Err != nil {
			b.Fatalf("add %d: %v", i, x.Err)
		}
	}
	if n := len(r.Rows("/ip/hotspot/user")); n != pushN {
		b.Fatalf("%d users on the router, want %d", n, pushN)
	}
	return el
}
