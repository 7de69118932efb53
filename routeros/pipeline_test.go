package routeros_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"gatehouse/app"
	"gatehouse/routeros"
	"gatehouse/routeros/routerostest"
)

// adds returns n /ip/hotspot/user/add commands for users prefix0, prefix1...
func adds(prefix string, n int) [][]string {
	cmds := make([][]string, n)
	for i := range cmds {
		name := fmt.Sprintf("%s%d", prefix, i)
		cmds[i] = []string{"/ip/hotspot/user/add", "=name=" + name, "=password=" + name}
	}
	return cmds
}

// users returns the router's hotspot users as name → .id.
func users(r *routerostest.Router) map[string]string {
	m := make(map[string]string)
	for _, row := range r.Rows("/ip/hotspot/user") {
		m[row["name"]] = row[".id"]
	}
	return m
}

func TestRunAll1000(t *testing.T) {
	r := newRouter(t)
	c := newClient(t, r, testConfig())
	done := make(chan []routeros.Result)
	go func() { done <- c.RunAll(context.Background(), adds("u", 1000)) }()
	var res []routeros.Result
	select {
	case res = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("RunAll of 1000 commands at 0 ms latency did not finish in 10s")
	}
	ids := make(map[string]bool)
	for i, rs := range res {
		if rs.Err != nil || rs.Reply.Ret == "" || ids[rs.Reply.Ret] {
			t.Fatalf("command %d: got %+v, want a new id", i, rs)
		}
		ids[rs.Reply.Ret] = true
	}
	u := users(r)
	for i, rs := range res {
		if name := fmt.Sprintf("u%d", i); u[name] != rs.Reply.Ret {
			t.Fatalf("%s has id %q on the router, result says %q", name, u[name], rs.Reply.Ret)
		}
	}
	if got := r.MaxConns(); got > 4 {
		t.Errorf("%d connections at once, want at most 4", got)
	}
	if got := r.Commands("/login"); got != r.MaxConns() {
		t.Errorf("%d logins for %d connections", got, r.MaxConns())
	}
}

// TestRunAllMixed: results stay in command order whatever the replies.
func TestRunAllMixed(t *testing.T) {
	r := newRouter(t)
	c := newClient(t, r, testConfig())
	r.FailWhen(routerostest.FailEvery("/ip/hotspot/user/add", 7, routerostest.Trap{Message: "failure: test"}))
	cmds := adds("m", 100)
	cmds = append(cmds,
		[]string{"/ip/hotspot/user/remove", "=.id=*FFFF"},
		[]string{"/ip/hotspot/user/print", "?name=nobody"},
		nil,
	)
	res := c.RunAll(context.Background(), cmds)
	traps := 0
	for i, rs := range res[:100] {
		if rs.Err != nil {
			wantErr(t, rs.Err, app.EInvalid, routeros.ReasonTrap)
			traps++
			continue
		}
		if id := users(r)[fmt.Sprintf("m%d", i)]; id != rs.Reply.Ret {
			t.Errorf("command %d: ret %q, router has %q", i, rs.Reply.Ret, id)
		}
	}
	if traps != 14 {
		t.Errorf("%d traps, want 14 (every 7th add)", traps)
	}
	wantErr(t, res[100].Err, app.ENotFound, routeros.ReasonNoSuchItem)
	if res[101].Err != nil || len(res[101].Reply.Rows) != 0 {
		t.Errorf("empty print: got %+v", res[101])
	}
	wantErr(t, res[102].Err, app.EInvalid, routeros.ReasonBadCommand)
}

// TestRunAllDrop: a connection dropped in the middle of a batch. Every
// success is on the router with its id (no phantom successes), and a user
// on the router whose add failed must have been reported as "may or may
// not have been applied" (its reply was lost with the connection).
func TestRunAllDrop(t *testing.T) {
	for _, conns := range []int{1, 4} {
		t.Run(fmt.Sprintf("conns=%d", conns), func(t *testing.T) {
			r := newRouter(t)
			cfg := testConfig()
			cfg.Conns = conns
			c := newClient(t, r, cfg)
			mustRun(t, c, "/system/identity/print")
			r.SetLatency(time.Millisecond)
			r.DropAfter(200)
			res := c.RunAll(context.Background(), adds("d", 500))

			u := users(r)
			ok, failed, lost := 0, 0, 0
			for i, rs := range res {
				name := fmt.Sprintf("d%d", i)
				if rs.Err != nil {
					ae := wantErr(t, rs.Err, app.EUnavailable, routeros.ReasonUnavailable)
					failed++
					if _, there := u[name]; there {
						lost++
						if !strings.Contains(ae.Message, "may or may not have been applied") {
							t.Errorf("%s is on the router, but its error says nothing of it: %v", name, rs.Err)
						}
					}
					continue
				}
				if rs.Reply.Ret == "" || u[name] != rs.Reply.Ret {
					t.Errorf("%s: result id %q, router id %q", name, rs.Reply.Ret, u[name])
				}
				ok++
			}
			if failed == 0 || ok < 200 || len(u) != ok+lost {
				t.Errorf("%d ok, %d failed, %d users on the router; want some failures and users = ok + replies lost", ok, failed, len(u))
			}
			t.Logf("%d ok, %d failed (%d of them applied, reply lost)", ok, failed, lost)
			if n := r.Commands("/login"); n < 2 {
				t.Errorf("%d logins, want a redial after the drop", n)
			}
		})
	}
}

func TestConcurrentUse(t *testing.T) {
	r := newRouter(t)
	c := newClient(t, r, testConfig())
	r.SetLatency(time.Millisecond)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := range 8 {
		wg.Go(func() {
			ctx := context.Background()
			for i := range 20 {
				name := fmt.Sprintf("g%d-%d", g, i)
				add, err := c.Run(ctx, "/ip/hotspot/user/add", "=name="+name)
				if err != nil {
					errs <- err
					return
				}
				got, err := c.Run(ctx, "/ip/hotspot/user/print", "?name="+name, "=.proplist=.id")
				if err != nil || len(got.Rows) != 1 || got.Rows[0][".id"] != add.Ret {
					errs <- fmt.Errorf("print %s: %v %v, want id %s", name, got.Rows, err, add.Ret)
					return
				}
				if i%5 == 0 {
					res := c.RunAll(ctx, adds(name+"-b", 10))
					for _, rs := range res {
						if rs.Err != nil {
							errs <- rs.Err
							return
						}
					}
				}
				if _, err := c.Run(ctx, "/ip/hotspot/user/remove", "=.id="+add.Ret); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if got := r.MaxConns(); got > 4 {
		t.Errorf("%d connections at once, want at most 4", got)
	}
	if n := len(users(r)); n != 8*4*10 {
		t.Errorf("%d users left, want %d", n, 8*4*10)
	}
}

// TestBusyRouterIsNotDead: a router that works through a long queue of
// writes one at a time keeps answering, so no command times out although
// the last of a full pipeline waits far longer than CommandTimeout for
// its own reply (docs/routeros.md §7). Nothing is redialled and every
// result is a success.
func TestBusyRouterIsNotDead(t *testing.T) {
	r := newRouter(t)
	r.SetServiceTime(20 * time.Millisecond)
	cfg := testConfig()
	cfg.Conns, cfg.Pipeline = 1, 32
	cfg.CommandTimeout = 400 * time.Millisecond // < 32 in flight × 20 ms, ≫ 20 ms between replies
	c := newClient(t, r, cfg)
	const n = 100
	res := c.RunAll(context.Background(), adds("busy", n))
	for i, x := range res {
		if x.Err != nil {
			t.Fatalf("command %d: %v", i, x.Err)
		}
	}
	if got := len(users(r)); got != n {
		t.Errorf("%d users on the router, want %d", got, n)
	}
	if logins, conns := r.Commands("/login"), r.MaxConns(); logins != conns {
		t.Errorf("%d logins for %d connections: a connection was redialled", logins, conns)
	}
}

// TestSilentRouterTimesOut: a router that stops answering in the middle
// of a batch fails the commands in flight after CommandTimeout of silence.
func TestSilentRouterTimesOut(t *testing.T) {
	r := newRouter(t)
	cfg := testConfig()
	cfg.CommandTimeout = 200 * time.Millisecond
	c := newClient(t, r, cfg)
	mustRun(t, c, "/system/identity/print")
	r.SetLatency(time.Hour)
	start := time.Now()
	res := c.RunAll(context.Background(), adds("mute", 10))
	if took := time.Since(start); took > 5*time.Second {
		t.Fatalf("RunAll took %v against a silent router", took)
	}
	for i, x := range res {
		if app.ErrorCode(x.Err) != app.EUnavailable {
			t.Fatalf("command %d: %v, want EUnavailable", i, x.Err)
		}
	}
}
