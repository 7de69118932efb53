package routeros_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"gatehouse/app"
	"gatehouse/routeros"
	"gatehouse/routeros/routerostest"
)

const (
	user = "api"
	pass = "pw-Secr3t-xyz" // searched for in errors and logs
)

func newRouter(tb testing.TB, opts ...routerostest.Options) *routerostest.Router {
	tb.Helper()
	o := routerostest.Options{User: user, Password: pass}
	if len(opts) > 0 {
		o = opts[0]
	}
	return routerostest.New(tb, o)
}

func target(tb testing.TB, addr string) routeros.Target {
	tb.Helper()
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		tb.Fatal(err)
	}
	p, err := strconv.Atoi(port)
	if err != nil {
		tb.Fatal(err)
	}
	return routeros.Target{Host: host, Port: p, Username: user, Password: pass}
}

// testConfig is Config with timeouts short enough for tests.
func testConfig() routeros.Config {
	return routeros.Config{
		DialTimeout:    time.Second,
		CommandTimeout: 2 * time.Second,
		RetryMin:       20 * time.Millisecond,
		RetryMax:       200 * time.Millisecond,
	}
}

func newClient(tb testing.TB, r *routerostest.Router, cfg routeros.Config) *routeros.Client {
	tb.Helper()
	c := routeros.New(target(tb, r.Addr()), cfg)
	tb.Cleanup(func() { c.Close() })
	return c
}

func mustRun(tb testing.TB, c *routeros.Client, words ...string) routeros.Reply {
	tb.Helper()
	r, err := c.Run(context.Background(), words...)
	if err != nil {
		tb.Fatalf("%v: %v", words, err)
	}
	return r
}

// wantErr checks err's app code and reason and that it hides the password.
func wantErr(tb testing.TB, err error, code, reason string) *app.Error {
	tb.Helper()
	ae, ok := errors.AsType[*app.Error](err)
	if !ok {
		tb.Fatalf("got error %v (%T), want an *app.Error %s/%s", err, err, code, reason)
	}
	if ae.Code != code || ae.Reason != reason {
		tb.Fatalf("got %s/%s (%v), want %s/%s", ae.Code, ae.Reason, err, code, reason)
	}
	if strings.Contains(err.Error(), pass) {
		tb.Fatalf("error text contains the password: %v", err)
	}
	return ae
}

func TestLogin(t *testing.T) {
	r := newRouter(t)
	c := newClient(t, r, testConfig())
	if got := mustRun(t, c, "/system/identity/print").Rows; len(got) != 1 || got[0]["name"] != "MikroTik" {
		t.Errorf("identity: got %v, want one row name=MikroTik", got)
	}

	bad := target(t, r.Addr())
	bad.Password = pass + "-wrong"
	cb := routeros.New(bad, testConfig())
	defer cb.Close()
	_, err := cb.Run(context.Background(), "/system/identity/print")
	ae := wantErr(t, err, app.EUnavailable, routeros.ReasonUnavailable)
	if !strings.Contains(ae.Message, "invalid user name or password") || strings.Contains(err.Error(), bad.Password) {
		t.Errorf("got message %q, want the router's refusal without the password", ae.Message)
	}

	r.RefuseLogins(true)
	c2 := newClient(t, r, testConfig())
	_, err = c2.Run(context.Background(), "/system/identity/print")
	wantErr(t, err, app.EUnavailable, routeros.ReasonUnavailable)
}

func TestRoundTrip(t *testing.T) {
	for _, version := range []string{"7.16.2 (stable)", "7.18.1 (stable)"} {
		t.Run(version, func(t *testing.T) {
			r := newRouter(t, routerostest.Options{User: user, Password: pass, Version: version})
			c := newClient(t, r, testConfig())
			add := mustRun(t, c, "/ip/hotspot/user/add", "=name=K7QX2M", "=password=K7QX2M", "=limit-uptime=1h")
			if add.Ret == "" || !strings.HasPrefix(add.Ret, "*") {
				t.Fatalf("add: ret %q, want a *ID", add.Ret)
			}
			rows := mustRun(t, c, "/ip/hotspot/user/print", "?name=K7QX2M", "=.proplist=.id,name,limit-uptime,comment").Rows
			if len(rows) != 1 || rows[0][".id"] != add.Ret || rows[0]["limit-uptime"] != "1h" {
				t.Fatalf("print: got %v, want the user %s with limit-uptime 1h", rows, add.Ret)
			}
			if _, ok := rows[0]["comment"]; ok {
				t.Errorf("print: unset comment present: %v", rows[0])
			}
			mustRun(t, c, "/ip/hotspot/user/set", "=.id="+add.Ret, "=comment=vx1;batch=7")
			rows = mustRun(t, c, "/ip/hotspot/user/print", "?comment=vx1;batch=7").Rows
			if len(rows) != 1 || rows[0]["name"] != "K7QX2M" {
				t.Fatalf("print after set: got %v", rows)
			}
			mustRun(t, c, "/ip/hotspot/user/remove", "=.id="+add.Ret)
			if rows := mustRun(t, c, "/ip/hotspot/user/print").Rows; len(rows) != 0 {
				t.Errorf("print after remove: got %v, want no rows", rows)
			}
			if n := mustRun(t, c, "/ip/hotspot/user/print", "=count-only=").Ret; n != "0" {
				t.Errorf("count-only: got %q, want 0", n)
			}
		})
	}
}

func TestTraps(t *testing.T) {
	r := newRouter(t)
	c := newClient(t, r, testConfig())
	ctx := context.Background()
	mustRun(t, c, "/ip/hotspot/user/add", "=name=dup")

	_, err := c.Run(ctx, "/ip/hotspot/user/add", "=name=dup")
	wantErr(t, err, app.EConflict, routeros.ReasonDuplicate)
	if msg, ok := routeros.TrapMessage(err); !ok || msg != "failure: already have user with this name for this server" {
		t.Errorf("duplicate: TrapMessage = %q, %v", msg, ok)
	}

	_, err = c.Run(ctx, "/ip/hotspot/user/remove", "=.id=*FF")
	wantErr(t, err, app.ENotFound, routeros.ReasonNoSuchItem)
	if msg, _ := routeros.TrapMessage(err); !strings.HasPrefix(msg, "no such item") {
		t.Errorf("no such item: TrapMessage = %q", msg)
	}

	// An unknown menu gets two traps before !done (docs/routeros.md §4).
	_, err = c.Run(ctx, "/ip/hotspott/user/print")
	wantErr(t, err, app.EInvalid, routeros.ReasonTrap)
	msg, _ := routeros.TrapMessage(err)
	if !strings.HasPrefix(msg, "no such command or directory") || !strings.HasSuffix(msg, "no such command prefix") {
		t.Errorf("unknown menu: TrapMessage = %q, want both traps", msg)
	}

	_, err = c.Run(ctx, "/ip/hotspot/user/add", "=name=x", "=profile=nope")
	wantErr(t, err, app.EInvalid, routeros.ReasonTrap)
	if _, ok := routeros.TrapMessage(errors.New("plain")); ok {
		t.Error("TrapMessage of a plain error reports a trap")
	}
	// The connection survived all the traps.
	if n := r.Commands("/login"); n != 1 {
		t.Errorf("%d logins, want 1", n)
	}
}

func TestBadCommandsAreNotSent(t *testing.T) {
	r := newRouter(t)
	c := newClient(t, r, testConfig())
	mustRun(t, c, "/system/identity/print")
	before := r.Commands("")
	for _, words := range [][]string{
		nil,
		{"ip/hotspot/user/print"},
		{"/ip/hotspot/user/add", "=name=a", ""},
		{"/ip/hotspot/user/print", ".tag=x"},
	} {
		_, err := c.Run(context.Background(), words...)
		wantErr(t, err, app.EInvalid, routeros.ReasonBadCommand)
	}
	if got := r.Commands(""); got != before {
		t.Errorf("router saw %d commands, want %d", got, before)
	}
}

func TestTimeoutReplacesConnection(t *testing.T) {
	r := newRouter(t)
	cfg := testConfig()
	cfg.CommandTimeout = 200 * time.Millisecond
	c := newClient(t, r, cfg)
	mustRun(t, c, "/system/identity/print")

	r.SetLatency(2 * time.Second)
	start := time.Now()
	_, err := c.Run(context.Background(), "/system/identity/print")
	el := time.Since(start)
	wantErr(t, err, app.EUnavailable, routeros.ReasonUnavailable)
	if el < 150*time.Millisecond || el > time.Second {
		t.Errorf("timed out after %v, want about 200ms", el)
	}
	if ne, ok := errors.AsType[net.Error](err); !ok || !ne.Timeout() {
		t.Errorf("got %v, want a net timeout inside", err)
	}

	r.SetLatency(0)
	mustRun(t, c, "/system/identity/print")
	if n := r.Commands("/login"); n != 2 {
		t.Errorf("%d logins, want 2 (the timed-out connection replaced)", n)
	}
}

func TestFatalReplacesConnection(t *testing.T) {
	r := newRouter(t)
	c := newClient(t, r, testConfig())
	_, err := c.Run(context.Background(), "/quit")
	ae := wantErr(t, err, app.EUnavailable, routeros.ReasonUnavailable)
	if !strings.Contains(ae.Message, "session terminated on request") {
		t.Errorf("got %q, want the !fatal reason", ae.Message)
	}
	mustRun(t, c, "/system/identity/print")
}

func TestRouterDownAndBack(t *testing.T) {
	r := newRouter(t)
	c := newClient(t, r, testConfig())
	mustRun(t, c, "/system/identity/print")

	r.Stop()
	for i := range 5 {
		start := time.Now()
		_, err := c.Run(context.Background(), "/system/identity/print")
		wantErr(t, err, app.EUnavailable, routeros.ReasonUnavailable)
		if el := time.Since(start); el > 200*time.Millisecond {
			t.Errorf("call %d while down took %v, want it to fail fast", i, el)
		}
	}

	if err := r.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(3 * time.Second)
	for {
		_, err := c.Run(context.Background(), "/system/identity/print")
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("router back for 3s, calls still fail: %v", err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestCancel(t *testing.T) {
	r := newRouter(t)
	c := newClient(t, r, testConfig())
	mustRun(t, c, "/system/identity/print")
	r.SetLatency(5 * time.Second)

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.Run(ctx, "/system/identity/print")
	if el := time.Since(start); el > 500*time.Millisecond {
		t.Errorf("Run returned %v after the context ended", el-50*time.Millisecond)
	}
	wantErr(t, err, app.EUnavailable, routeros.ReasonUnavailable)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("got %v, want context.DeadlineExceeded inside", err)
	}

	ctx, cancel2 := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel2)
	cmds := make([][]string, 300)
	for i := range cmds {
		cmds[i] = []string{"/ip/hotspot/user/add", "=name=c" + strconv.Itoa(i)}
	}
	start = time.Now()
	for i, res := range c.RunAll(ctx, cmds) {
		if !errors.Is(res.Err, context.Canceled) {
			t.Fatalf("command %d: got %v, want context.Canceled", i, res.Err)
		}
	}
	if el := time.Since(start); el > 500*time.Millisecond {
		t.Errorf("RunAll returned %v after cancel", el-50*time.Millisecond)
	}
}

func TestCloseAbortsCalls(t *testing.T) {
	r := newRouter(t)
	c := newClient(t, r, testConfig())
	mustRun(t, c, "/system/identity/print")
	r.SetLatency(5 * time.Second)
	time.AfterFunc(50*time.Millisecond, func() { c.Close() })
	start := time.Now()
	_, err := c.Run(context.Background(), "/system/identity/print")
	wantErr(t, err, app.EUnavailable, routeros.ReasonUnavailable)
	if el := time.Since(start); el > time.Second {
		t.Errorf("Close let a call run %v", el)
	}
	_, err = c.Run(context.Background(), "/system/identity/print")
	wantErr(t, err, app.EUnavailable, routeros.ReasonUnavailable)
	if err := c.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestPasswordNotLogged(t *testing.T) {
	r := newRouter(t)
	var buf bytes.Buffer
	cfg := testConfig()
	cfg.Logger = slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := newClient(t, r, cfg)
	mustRun(t, c, "/system/identity/print")
	r.RefuseLogins(true)
	r.Stop()
	r.Start()
	for range 3 {
		c.Run(context.Background(), "/system/identity/print")
	}
	if buf.Len() == 0 {
		t.Fatal("nothing logged")
	}
	if strings.Contains(buf.String(), pass) {
		t.Errorf("the log contains the password:\n%s", buf.String())
	}
}
