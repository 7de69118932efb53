package routerostest_test

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/go-routeros/routeros/v3"

	"gatehouse/routeros/routerostest"
)

// These tests drive the fake with the real go-routeros v3.0.1 client in sync
// mode over TCP, as package routeros will.

const (
	user = "api"
	pass = "secret"
)

func newRouter(t *testing.T) *routerostest.Router {
	t.Helper()
	return routerostest.New(t, routerostest.Options{User: user, Password: pass})
}

func dial(t testing.TB, r *routerostest.Router) *routeros.Client {
	t.Helper()
	c, err := routeros.Dial(r.Addr(), user, pass)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	c.SetLogHandler(slog.DiscardHandler)
	t.Cleanup(func() { c.Close() })
	return c
}

// run runs a command that must succeed.
func run(t testing.TB, c *routeros.Client, words ...string) *routeros.Reply {
	t.Helper()
	r, err := c.RunArgs(words)
	if err != nil {
		t.Fatalf("%v: %v", words, err)
	}
	return r
}

// trap runs a command that must fail and returns the trap message.
func trap(t testing.TB, c *routeros.Client, words ...string) string {
	t.Helper()
	_, err := c.RunArgs(words)
	de, ok := errors.AsType[*routeros.DeviceError](err)
	if !ok {
		t.Fatalf("%v: got error %v, want a DeviceError", words, err)
	}
	return de.Sentence.Map["message"]
}

func wantTrap(t testing.TB, c *routeros.Client, want string, words ...string) {
	t.Helper()
	if got := trap(t, c, words...); got != want {
		t.Errorf("%v: trap %q, want %q", words, got, want)
	}
}

// names returns the name (or user) of each !re of a reply.
func names(r *routeros.Reply) string {
	var out []string
	for _, s := range r.Re {
		n, ok := s.Map["name"]
		if !ok {
			n = s.Map["user"]
		}
		out = append(out, n)
	}
	return strings.Join(out, ",")
}

func TestLogin(t *testing.T) {
	var mu sync.Mutex
	var log []string
	r := routerostest.New(t, routerostest.Options{User: user, Password: pass, Logf: func(f string, a ...any) {
		mu.Lock()
		log = append(log, fmt.Sprintf(f, a...))
		mu.Unlock()
	}})
	run(t, dial(t, r), "/system/identity/print")
	mu.Lock()
	if text := strings.Join(log, "\n"); !strings.Contains(text, "/system/identity/print") || strings.Contains(text, pass) {
		t.Errorf("trace log does not show commands or shows the password:\n%s", text)
	}
	mu.Unlock()
	_, err := routeros.Dial(r.Addr(), user, "wrong")
	if de, ok := errors.AsType[*routeros.DeviceError](err); !ok || de.Sentence.Map["message"] != "invalid user name or password (6)" {
		t.Fatalf("bad password: got %v, want trap invalid user name or password (6)", err)
	}
	r.RefuseLogins(true)
	if _, err := routeros.Dial(r.Addr(), user, pass); !isDeviceError(err) {
		t.Fatalf("refused login: got %v, want a DeviceError", err)
	}
	r.RefuseLogins(false)
	if got := r.Commands("/login"); got != 3 {
		t.Errorf("Commands(/login) = %d, want 3", got)
	}
}

func TestNotLoggedIn(t *testing.T) {
	r := newRouter(t)
	nc := dialRaw(t, r)
	nc.send("/ip/hotspot/user/print")
	got := nc.reply()
	if len(got) != 2 || got[0][0] != "!trap" || got[0][1] != "=message=not logged in" || got[1][0] != "!done" {
		t.Fatalf("got %q, want !trap not logged in, !done", got)
	}
}

func TestUserCRUD(t *testing.T) {
	r := newRouter(t)
	c := dial(t, r)
	id := run(t, c, "/ip/hotspot/user/add", "=name=K7QX2M", "=password=K7QX2M", "=limit-uptime=60m",
		"=comment=vx1;batch=7").Done.Map["ret"]
	if id != "*1" {
		t.Fatalf("add returned ret=%q, want *1", id)
	}
	id2 := run(t, c, "/ip/hotspot/user/add", "=name=B", "=server=hotspot1").Done.Map["ret"]
	if id2 != "*2" {
		t.Fatalf("second add returned ret=%q, want *2", id2)
	}
	wantTrap(t, c, "failure: already have user with this name for this server",
		"/ip/hotspot/user/add", "=name=K7QX2M")
	// Same name on another server is fine.
	run(t, c, "/ip/hotspot/user/add", "=name=K7QX2M", "=server=hotspot1")

	u := run(t, c, "/ip/hotspot/user/print", "?.id="+id).Re[0].Map
	want := map[string]string{".id": "*1", "name": "K7QX2M", "password": "K7QX2M", "profile": "default",
		"limit-uptime": "1h", "uptime": "0s", "bytes-in": "0", "bytes-out": "0", "packets-in": "0",
		"packets-out": "0", "dynamic": "false", "disabled": "false", "comment": "vx1;batch=7"}
	if len(u) != len(want) {
		t.Errorf("print = %v, want %v", u, want)
	}
	for k, v := range want {
		if u[k] != v {
			t.Errorf("print %s = %q, want %q", k, u[k], v)
		}
	}
	for _, k := range []string{"server", "limit-bytes-total", "mac-address", "email"} {
		if _, ok := u[k]; ok {
			t.Errorf("print has %s=%q, want it absent", k, u[k])
		}
	}

	run(t, c, "/ip/hotspot/user/set", "=.id="+id, "=limit-uptime=1d 00:00:00", "=comment=")
	run(t, c, "/ip/hotspot/user/disable", "=numbers=K7QX2M") // name as id
	u = r.Row("/ip/hotspot/user", id)
	if u["limit-uptime"] != "1d" || u["disabled"] != "true" || u["comment"] != "" {
		t.Errorf("after set: %v", u)
	}
	if _, ok := u["comment"]; ok {
		t.Error("empty comment still printed")
	}
	wantTrap(t, c, "failure: already have user with this name for this server",
		"/ip/hotspot/user/set", "=.id="+id2, "=name=K7QX2M")
	wantTrap(t, c, "no such item (4)", "/ip/hotspot/user/set", "=.id=*99", "=comment=x")
	wantTrap(t, c, "no such item (4)", "/ip/hotspot/user/remove", "=.id=*1,*99")
	wantTrap(t, c, "missing value(s) of argument(s) name", "/ip/hotspot/user/add", "=password=x")

	run(t, c, "/ip/hotspot/user/remove", "=.id="+id+","+id2)
	if got := names(run(t, c, "/ip/hotspot/user/print")); got != "K7QX2M" {
		t.Fatalf("after remove: %q, want the hotspot1 K7QX2M only", got)
	}
	// Ids are never reused.
	if id := run(t, c, "/ip/hotspot/user/add", "=name=C").Done.Map["ret"]; id != "*4" {
		t.Errorf("add after remove returned %q, want *4", id)
	}
	run(t, c, "/ip/hotspot/user/unset", "=.id=C", "=value-name=prof")
}

func TestValueErrors(t *testing.T) {
	r := newRouter(t)
	c := dial(t, r)
	add := "/ip/hotspot/user/add"
	wantTrap(t, c, "invalid time value for argument limit-uptime", add, "=name=a", "=limit-uptime=")
	wantTrap(t, c, "invalid time value for argument limit-uptime", add, "=name=a", "=limit-uptime=soon")
	wantTrap(t, c, "unknown parameter", add, "=name=a", "=colour=red")
	wantTrap(t, c, "unknown parameter", add, "=name=a", "=uptime=1h") // read-only
	wantTrap(t, c, "invalid value for argument limit-bytes-total", add, "=name=a", "=limit-bytes-total=1G")
	wantTrap(t, c, "invalid value for argument mac-address", add, "=name=a", "=mac-address=zz")
	wantTrap(t, c, "invalid time value for argument session-timeout",
		"/ip/hotspot/user/profile/add", "=name=p", "=session-timeout=none")
	wantTrap(t, c, "no such command", "/ip/hotspot/user/frobnicate")
	wantTrap(t, c, "no such command", "/ip/hotspot/active/add", "=user=x")
	for _, v := range []string{"0s", "00:20:00", "1d", "3600", "1w2d"} {
		run(t, c, add, "=name=t"+v, "=limit-uptime="+v, "=mac-address=aa:bb:cc:dd:ee:ff")
	}
	got := names(run(t, c, "/ip/hotspot/user/print", "?limit-uptime=1w2d"))
	if got != "t1w2d" {
		t.Errorf("?limit-uptime=1w2d matched %q", got)
	}
	if m := r.Rows("/ip/hotspot/user")[0]["mac-address"]; m != "AA:BB:CC:DD:EE:FF" {
		t.Errorf("mac-address stored as %q", m)
	}
	if n := len(r.Rows("/ip/hotspot/user")); n != 5 {
		t.Errorf("%d users, want 5 (failed adds must not store anything)", n)
	}
}

func TestUnknownMenu(t *testing.T) {
	r := newRouter(t)
	c := dial(t, r)
	// Sync go-routeros returns the last trap.
	wantTrap(t, c, "no such command prefix", "/ip/adress/print")
	nc := dialRaw(t, r)
	nc.login()
	nc.send("/ip/adress/print")
	got := nc.reply()
	want := [][]string{
		{"!trap", "=category=0", "=message=no such command or directory (adress)"},
		{"!trap", "=message=no such command prefix"},
		{"!done"},
	}
	if !equalSentences(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	for word, seg := range map[string]string{
		"/interface/print":                    "interface",
		"/ip/hotspot/user/profile/frob/print": "frob",
		"/quux":                               "quux",
		"ip/hotspot/user/print":               "ip",
		"/ip/hotspot/walled-garden/ipx/print": "ipx",
		"/system/identity/../resource/print":  "..",
	} {
		nc.send(word)
		got := nc.reply()
		if len(got) != 3 || got[0][2] != "=message=no such command or directory ("+seg+")" {
			t.Errorf("%s: got %q, want two traps naming %q", word, got, seg)
		}
	}
	for _, word := range []string{"/ip/print", "/ip/hotspot/user/profile", "/system/resource/set"} {
		nc.send(word)
		if got := nc.reply(); !equalSentences(got, [][]string{{"!trap", "=message=no such command"}, {"!done"}}) {
			t.Errorf("%s: got %q, want no such command", word, got)
		}
	}
}

func TestProfilePrefix(t *testing.T) {
	r := newRouter(t)
	c := dial(t, r)
	for _, p := range []string{"1h-5M", "2h-5M", "2h-10M", "2h"} {
		run(t, c, "/ip/hotspot/user/profile/add", "=name="+p, "=shared-users=2", "=rate-limit=1M/5M")
	}
	wantTrap(t, c, "failure: already have such name", "/ip/hotspot/user/profile/add", "=name=2h")
	add := "/ip/hotspot/user/add"
	run(t, c, add, "=name=u1", "=profile=1h") // unique prefix
	run(t, c, add, "=name=u2", "=profile=2h") // exact match wins over 2h-*
	run(t, c, add, "=name=u3", "=server=hot") // server by prefix too
	run(t, c, add, "=name=u4", "=server=all") // all = default, stored unset
	run(t, c, add, "=name=u5", "=disabled=y") // booleans by prefix
	wantTrap(t, c, "ambiguous value of profile, more than one possible value matches input",
		add, "=name=u9", "=profile=2h-")
	wantTrap(t, c, "input does not match any value of profile", add, "=name=u9", "=profile=3h")
	wantTrap(t, c, "input does not match any value of server", add, "=name=u9", "=server=hotspot2")
	rows := r.Rows("/ip/hotspot/user")
	if rows[0]["profile"] != "1h-5M" || rows[1]["profile"] != "2h" || rows[2]["server"] != "hotspot1" {
		t.Errorf("stored %v", rows)
	}
	if _, ok := rows[3]["server"]; ok || rows[4]["disabled"] != "true" {
		t.Errorf("stored %v", rows[3:])
	}
	// Renaming a profile follows into the users.
	run(t, c, "/ip/hotspot/user/profile/set", "=.id=1h-5M", "=name=1h-6M")
	if p := r.Row("/ip/hotspot/user", "u1")["profile"]; p != "1h-6M" {
		t.Errorf("after rename user profile = %q", p)
	}
	wantTrap(t, c, "failure: default profile can not be removed",
		"/ip/hotspot/user/profile/remove", "=.id=default")
}

func TestWalledGarden(t *testing.T) {
	r := newRouter(t)
	c := dial(t, r)
	id := run(t, c, "/ip/hotspot/walled-garden/ip/add", "=action=acc", "=dst-host=portal.example.com",
		"=comment=gatehouse").Done.Map["ret"]
	run(t, c, "/ip/hotspot/walled-garden/ip/add", "=dst-address=10.0.0.1", "=protocol=tcp", "=dst-port=443",
		"=place-before="+id)
	wantTrap(t, c, "input does not match any value of action", "/ip/hotspot/walled-garden/ip/add", "=action=allow")
	run(t, c, "/ip/hotspot/walled-garden/add", "=dst-host=*.pay.example", "=server=hotspot1")
	// The dst-host row is followed by its dynamic row (dynamic_test.go).
	rows := run(t, c, "/ip/hotspot/walled-garden/ip/print", "?dynamic=false").Re
	if len(rows) != 2 || rows[0].Map["dst-port"] != "443" || rows[1].Map["action"] != "accept" {
		t.Fatalf("print = %v, want the 443 row, then the portal row", rows)
	}
	if wg := r.Rows("/ip/hotspot/walled-garden")[0]; wg["action"] != "allow" || wg["server"] != "hotspot1" {
		t.Errorf("walled-garden row %v", wg)
	}
}

func TestSystemMenus(t *testing.T) {
	r := routerostest.New(t, routerostest.Options{User: user, Password: pass, Identity: "gw1"})
	c := dial(t, r)
	res := run(t, c, "/system/resource/print").Re
	if len(res) != 1 || res[0].Map["version"] != "7.16.2 (stable)" || res[0].Map["board-name"] == "" {
		t.Fatalf("resource = %v", res)
	}
	if _, ok := res[0].Map[".id"]; ok {
		t.Error("singleton printed an .id")
	}
	if n := run(t, c, "/system/identity/print").Re[0].Map["name"]; n != "gw1" {
		t.Errorf("identity = %q", n)
	}
	run(t, c, "/system/identity/set", "=name=gw2")
	if n := r.Rows("/system/identity")[0]["name"]; n != "gw2" {
		t.Errorf("identity after set = %q", n)
	}
	if n := run(t, c, "/ip/hotspot/print", "=.proplist=name").Re[0].Map; len(n) != 1 || n["name"] != "hotspot1" {
		t.Errorf("hotspot servers = %v", n)
	}
}

// isDeviceError reports whether err is (or wraps) a trap from the router.
func isDeviceError(err error) bool {
	_, ok := errors.AsType[*routeros.DeviceError](err)
	return ok
}
