package routerostest_test

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/go-routeros/routeros/v3"

	"gatehouse/routeros/routerostest"
)

func TestLatency(t *testing.T) {
	r := newRouter(t)
	c := dial(t, r)
	const lat = 80 * time.Millisecond
	r.SetLatency(lat)
	start := time.Now()
	for range 3 {
		run(t, c, "/system/identity/print")
	}
	if el := time.Since(start); el < 3*lat {
		t.Errorf("3 sync commands took %v, want at least %v", el, 3*lat)
	}
	r.SetLatency(0)
	start = time.Now()
	run(t, c, "/system/identity/print")
	if el := time.Since(start); el > lat {
		t.Errorf("after SetLatency(0) a command took %v", el)
	}
}

// deadlineConn is the pattern docs/routeros.md §8 recommends.
type deadlineConn struct {
	net.Conn
	d time.Duration
}

func (c deadlineConn) Read(p []byte) (int, error) {
	c.SetReadDeadline(time.Now().Add(c.d))
	return c.Conn.Read(p)
}

func TestUnansweredCommandHitsDeadline(t *testing.T) {
	r := newRouter(t)
	nc, err := net.Dial("tcp", r.Addr())
	if err != nil {
		t.Fatal(err)
	}
	c, _ := routeros.NewClient(deadlineConn{nc, 200 * time.Millisecond})
	c.SetLogHandler(slog.DiscardHandler)
	defer c.Close()
	if err := c.Login(user, pass); err != nil {
		t.Fatal(err)
	}
	r.SetLatency(time.Hour) // Stop/Close must not wait for it
	_, err = c.Run("/system/identity/print")
	if ne, ok := errors.AsType[net.Error](err); !ok || !ne.Timeout() {
		t.Fatalf("got %v, want a timeout", err)
	}
}

func TestDropAfter(t *testing.T) {
	r := newRouter(t)
	c := dial(t, r)
	r.DropAfter(2)
	run(t, c, "/ip/hotspot/user/add", "=name=a")
	run(t, c, "/ip/hotspot/user/add", "=name=b")
	_, err := c.Run("/ip/hotspot/user/add", "=name=c")
	if err == nil || isDeviceError(err) {
		t.Fatalf("third command: got %v, want an I/O error", err)
	}
	if n := len(r.Rows("/ip/hotspot/user")); n != 2 {
		t.Errorf("%d users, want 2 (the dropped command must not run)", n)
	}
	// One-shot: a new connection works again, and its login is not counted.
	r.DropAfter(0)
	c2 := dial(t, r)
	if _, err := c2.Run("/system/identity/print"); err == nil {
		t.Fatal("DropAfter(0): first command after login succeeded")
	}
	c3 := dial(t, r)
	run(t, c3, "/system/identity/print")
}

func TestStopStart(t *testing.T) {
	r := newRouter(t)
	addr := r.Addr()
	c := dial(t, r)
	run(t, c, "/ip/hotspot/user/add", "=name=kept")
	r.Stop()
	if _, err := c.Run("/system/identity/print"); err == nil {
		t.Fatal("command on a stopped router succeeded")
	}
	if _, err := routeros.DialTimeout(addr, user, pass, time.Second); err == nil {
		t.Fatal("dial to a stopped router succeeded")
	}
	if err := r.Start(); err != nil {
		t.Fatal(err)
	}
	if r.Addr() != addr {
		t.Fatalf("restarted on %s, want %s", r.Addr(), addr)
	}
	c = dial(t, r)
	if got := names(run(t, c, "/ip/hotspot/user/print")); got != "kept" {
		t.Errorf("users after restart %q", got)
	}
}

func TestFailWhen(t *testing.T) {
	r := newRouter(t)
	c := dial(t, r)
	r.FailWhen(routerostest.FailEvery("/ip/hotspot/user/add", 3, routerostest.Trap{Message: "failure: boom"}))
	var failed []int
	for i := 1; i <= 7; i++ {
		if _, err := c.Run("/ip/hotspot/user/add", fmt.Sprintf("=name=u%d", i)); err != nil {
			if de, ok := errors.AsType[*routeros.DeviceError](err); !ok || de.Sentence.Map["message"] != "failure: boom" {
				t.Fatalf("add %d: %v", i, err)
			}
			failed = append(failed, i)
		}
	}
	if fmt.Sprint(failed) != "[3 6]" || len(r.Rows("/ip/hotspot/user")) != 5 {
		t.Errorf("failed %v, %d users; want [3 6], 5", failed, len(r.Rows("/ip/hotspot/user")))
	}
	r.FailWhen(func(cmd string, attrs map[string]string) *routerostest.Trap {
		if attrs["name"] == "bad" {
			return &routerostest.Trap{Message: "not enough permissions (9)", Category: "5"}
		}
		return nil
	})
	wantTrap(t, c, "not enough permissions (9)", "/ip/hotspot/user/add", "=name=bad")
	run(t, c, "/ip/hotspot/user/add", "=name=good")
	r.FailWhen(nil)
	run(t, c, "/ip/hotspot/user/add", "=name=bad")
	if got := r.Commands("/ip/hotspot/user/add"); got != 10 {
		t.Errorf("Commands(add) = %d, want 10", got)
	}
}

func TestQuit(t *testing.T) {
	r := newRouter(t)
	nc := dialRaw(t, r)
	nc.login()
	nc.send("/quit")
	if got := nc.sentence(); len(got) != 2 || got[0] != "!fatal" || got[1] != "session terminated on request" {
		t.Fatalf("got %q", got)
	}
	if _, err := nc.readWord(); err == nil {
		t.Fatal("connection still open after /quit")
	}
}

func TestMaxConnsAndConcurrency(t *testing.T) {
	r := newRouter(t)
	var wg sync.WaitGroup
	for i := range 8 {
		c := dial(t, r)
		wg.Go(func() {
			for j := range 50 {
				c.Run("/ip/hotspot/user/add", fmt.Sprintf("=name=u%d-%d", i, j))
				c.Run("/ip/hotspot/user/print", "?name=u0-0", "=.proplist=.id")
			}
		})
	}
	wg.Wait()
	if n := len(r.Rows("/ip/hotspot/user")); n != 400 {
		t.Errorf("%d users, want 400", n)
	}
	if got := r.MaxConns(); got != 8 {
		t.Errorf("MaxConns = %d, want 8", got)
	}
	if got := r.Conns(); got != 8 {
		t.Errorf("Conns = %d, want 8", got)
	}
}

// TestThroughput: with no latency the fake answers thousands of commands
// per second, even under the race detector.
func TestThroughput(t *testing.T) {
	r := newRouter(t)
	c := dial(t, r)
	const n = 2000
	start := time.Now()
	for i := range n {
		run(t, c, "/ip/hotspot/user/add", fmt.Sprintf("=name=u%d", i), "=comment=x")
	}
	if el := time.Since(start); el > 10*time.Second {
		t.Errorf("%d sync adds took %v", n, el)
	} else {
		t.Logf("%d sync adds in %v (%.0f/s)", n, el, n/el.Seconds())
	}
}

func BenchmarkSyncPrint(b *testing.B) {
	r := routerostest.New(b, routerostest.Options{User: user, Password: pass})
	c := dial(b, r)
	for i := range 100 {
		run(b, c, "/ip/hotspot/user/add", fmt.Sprintf("=name=u%d", i))
	}
	for b.Loop() {
		run(b, c, "/ip/hotspot/user/print", "?name=u50", "=.proplist=.id,name")
	}
}
