package routerostest_test

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Router service time (docs/routeros.md §7): configuration writes are
// served one at a time across all connections. Only lower bounds are
// checked, plus one generous upper bound for reads.

func TestServiceTimeSerialisesWrites(t *testing.T) {
	r := newRouter(t)
	const d, conns, perConn = 5 * time.Millisecond, 4, 5
	r.SetServiceTime(d)
	var wg sync.WaitGroup
	start := time.Now()
	for n := range conns {
		c := dial(t, r)
		wg.Go(func() {
			last := uint64(0)
			for i := range perConn {
				rep, err := c.RunArgs([]string{"/ip/hotspot/user/add", fmt.Sprintf("=name=c%du%d", n, i)})
				if err != nil {
					t.Errorf("connection %d add %d: %v", n, i, err)
					return
				}
				// Each reply answers the add just sent, so the ids one
				// connection gets grow.
				id, _ := strconv.ParseUint(strings.TrimPrefix(rep.Done.Map["ret"], "*"), 16, 64)
				if id <= last {
					t.Errorf("connection %d add %d: got id %d, want more than %d", n, i, id, last)
				}
				last = id
			}
		})
	}
	wg.Wait()
	if el, want := time.Since(start), conns*perConn*d; el < want {
		t.Errorf("%d writes at %v over %d connections took %v, want at least %v", conns*perConn, d, conns, el, want)
	}
	if n := len(r.Rows("/ip/hotspot/user")); n != conns*perConn {
		t.Errorf("got %d users, want %d", n, conns*perConn)
	}
}

// TestServiceTimePipelined: pipelining hides round trips, not service time;
// replies stay in order on each connection.
func TestServiceTimePipelined(t *testing.T) {
	r := newRouter(t)
	const d, conns, perConn = 5 * time.Millisecond, 3, 10
	r.SetServiceTime(d)
	var raws []*rawConn
	for range conns {
		nc := dialRaw(t, r)
		nc.login()
		raws = append(raws, nc)
	}
	start := time.Now()
	for n, nc := range raws {
		var batch [][]string
		for i := range perConn {
			batch = append(batch, []string{"/ip/hotspot/user/add", fmt.Sprintf("=name=c%du%d", n, i), fmt.Sprintf(".tag=%d", i)})
		}
		if _, err := nc.nc.Write(encode(batch...)); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	for n, nc := range raws {
		wg.Go(func() {
			for i := range perConn {
				if got := nc.reply(); !slices.Contains(got[0], fmt.Sprintf(".tag=%d", i)) {
					t.Errorf("connection %d reply %d: got %q, want tag %d", n, i, got, i)
					return
				}
			}
		})
	}
	wg.Wait()
	if el, want := time.Since(start), conns*perConn*d; el < want {
		t.Errorf("%d pipelined writes took %v, want at least %v", conns*perConn, el, want)
	}
}

// TestServiceTimeSparesReads: prints, /login and active/login do not queue
// behind writes; latency comes on top of the service time.
func TestServiceTimeSparesReads(t *testing.T) {
	r := newRouter(t)
	writer, reader := dial(t, r), dial(t, r)
	const d = 200 * time.Millisecond
	r.SetServiceTime(d)
	done := make(chan time.Duration)
	start := time.Now()
	go func() {
		for i := range 5 {
			if _, err := writer.RunArgs([]string{"/ip/hotspot/user/add", fmt.Sprintf("=name=w%d", i)}); err != nil {
				t.Errorf("add %d: %v", i, err)
			}
		}
		done <- time.Since(start)
	}()
	time.Sleep(20 * time.Millisecond) // let the writer queue its first add
	readStart := time.Now()
	run(t, reader, "/ip/hotspot/user/print")
	run(t, reader, "/system/resource/print")
	if el := time.Since(readStart); el > 4*d {
		t.Errorf("prints during a %v write backlog took %v, want them not queued behind writes", 5*d, el)
	}
	if el := <-done; el < 5*d {
		t.Errorf("5 writes at %v took %v, want at least %v", d, el, 5*d)
	}

	r.SetServiceTime(50 * time.Millisecond)
	r.SetLatency(100 * time.Millisecond)
	start = time.Now()
	run(t, writer, "/ip/hotspot/user/set", "=.id=w0", "=comment=x")
	if el := time.Since(start); el < 150*time.Millisecond {
		t.Errorf("one write with 50ms service and 100ms latency took %v, want at least 150ms", el)
	}
	r.SetServiceTime(0)
	r.SetLatency(0)
	start = time.Now()
	run(t, writer, "/ip/hotspot/user/remove", "=.id=w0")
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("with service time off a write took %v, want it immediate", el)
	}
}
