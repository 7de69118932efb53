package routerostest_test

import (
	"strconv"
	"testing"

	"github.com/go-routeros/routeros/v3"

	"gatehouse/routeros/routerostest"
)

// seedUsers adds users a (comment x), b (comment y, disabled), c (no
// comment, server hotspot1) and d (comment x, limit-uptime 2h).
func seedUsers(t *testing.T, c *routeros.Client) {
	t.Helper()
	add := "/ip/hotspot/user/add"
	run(t, c, add, "=name=a", "=comment=x", "=limit-bytes-total=100")
	run(t, c, add, "=name=b", "=comment=y", "=disabled=yes", "=limit-bytes-total=2000")
	run(t, c, add, "=name=c", "=server=hotspot1")
	run(t, c, add, "=name=d", "=comment=x", "=limit-uptime=2h")
}

func TestQueries(t *testing.T) {
	r := newRouter(t)
	c := dial(t, r)
	seedUsers(t, c)
	p := "/ip/hotspot/user/print"
	for _, tc := range []struct {
		words []string
		want  string
	}{
		{nil, "a,b,c,d"},
		{[]string{"?name=b"}, "b"},
		{[]string{"?=name=b"}, "b"},
		{[]string{"?comment=x"}, "a,d"},
		{[]string{"?comment=x", "?limit-uptime"}, "d"}, // consecutive words are ANDed
		{[]string{"?comment"}, "a,b,d"},
		{[]string{"?-comment"}, "c"},
		{[]string{"?-server"}, "a,b,d"},
		{[]string{"?server=hotspot1"}, "c"},
		{[]string{"?>comment="}, "a,b,d"},
		{[]string{"?<name=c"}, "a,b"},
		{[]string{"?>name=b"}, "c,d"},
		{[]string{"?<limit-bytes-total=1000"}, "a"}, // numeric, not lexical
		{[]string{"?>limit-uptime=90m"}, "d"},
		{[]string{"?disabled=no"}, "a,c,d"},
		{[]string{"?disabled=true"}, "b"},
		{[]string{"?name=a", "?name=c", "?#|"}, "a,c"},
		{[]string{"?name=a", "?#!"}, "b,c,d"},
		{[]string{"?comment=x", "?comment=y", "?#|!"}, "c"},
		{[]string{"?comment=x", "?disabled=false", "?#&"}, "a,d"},
		{[]string{"?name=a", "?name=b", "?name=c", "?#||"}, "a,b,c"},
		{[]string{"?name=a", "?name=b", "?#1"}, "a"}, // index at end replaces all
		{[]string{"?name=a", "?name=b", "?#0."}, ""},
		{[]string{"?name=a", "?#.|"}, "a"},
		{[]string{"?name=nobody"}, ""},
	} {
		got := names(run(t, c, append([]string{p}, tc.words...)...))
		if got != tc.want {
			t.Errorf("print %q = %q, want %q", tc.words, got, tc.want)
		}
	}
}

func TestProplistAndCount(t *testing.T) {
	r := newRouter(t)
	c := dial(t, r)
	seedUsers(t, c)
	p := "/ip/hotspot/user/print"
	re := run(t, c, p, "=.proplist=name,comment", "?name=a").Re
	if len(re) != 1 || len(re[0].Map) != 2 || re[0].Map["comment"] != "x" {
		t.Fatalf("proplist name,comment: %v", re)
	}
	re = run(t, c, p, "=.proplist=.id,limit-uptime").Re
	if len(re) != 4 || re[0].Map[".id"] != "*1" || len(re[0].Map) != 1 || re[3].Map["limit-uptime"] != "2h" {
		t.Fatalf("proplist .id,limit-uptime: %v", re)
	}
	for _, tc := range []struct {
		q    []string
		want int
	}{{nil, 4}, {[]string{"?comment=x"}, 2}, {[]string{"?name=zz"}, 0}} {
		rep := run(t, c, append([]string{p, "=count-only="}, tc.q...)...)
		if len(rep.Re) != 0 || rep.Done.Map["ret"] != strconv.Itoa(tc.want) {
			t.Errorf("count-only %q: %d !re, ret=%q, want %d", tc.q, len(rep.Re), rep.Done.Map["ret"], tc.want)
		}
	}
	wantTrap(t, c, "unknown parameter", p, "=follow=")
}

func TestEmptyReply(t *testing.T) {
	for _, tc := range []struct {
		version   string
		wantEmpty bool
	}{{"", false}, {"7.17.2 (stable)", false}, {"7.18 (stable)", true}, {"7.20.1 (stable)", true}} {
		r := routerostest.New(t, routerostest.Options{User: user, Password: pass, Version: tc.version})
		// go-routeros v3.0.1 must cope with !empty.
		c := dial(t, r)
		if rep := run(t, c, "/ip/hotspot/active/print"); len(rep.Re) != 0 || rep.Done == nil {
			t.Errorf("%q: %v", tc.version, rep)
		}
		nc := dialRaw(t, r)
		nc.login()
		nc.send("/ip/hotspot/user/print", "?name=x")
		want := [][]string{{"!done"}}
		if tc.wantEmpty {
			want = [][]string{{"!empty"}, {"!done"}}
		}
		if got := nc.reply(); !equalSentences(got, want) {
			t.Errorf("%q: got %q, want %q", tc.version, got, want)
		}
		nc.send("/ip/hotspot/user/print", "=count-only=")
		if got := nc.reply(); !equalSentences(got, [][]string{{"!done", "=ret=0"}}) {
			t.Errorf("%q count-only: got %q", tc.version, got)
		}
	}
}

func TestActiveLogin(t *testing.T) {
	r := newRouter(t)
	c := dial(t, r)
	run(t, c, "/ip/hotspot/user/profile/add", "=name=2dev", "=shared-users=2", "=session-timeout=30m")
	run(t, c, "/ip/hotspot/user/add", "=name=V1", "=password=pw", "=limit-uptime=1h", "=profile=2dev")
	run(t, c, "/ip/hotspot/user/add", "=name=V2", "=password=pw", "=mac-address=AA:00:00:00:00:02")
	for i := 1; i <= 4; i++ {
		r.AddRow("/ip/hotspot/host", map[string]string{
			"address": "10.5.50." + strconv.Itoa(i), "mac-address": "AA:00:00:00:00:0" + strconv.Itoa(i),
			"server": "hotspot1",
		})
	}
	login := func(u, pw, ip string) []string {
		return []string{"/ip/hotspot/active/login", "=user=" + u, "=password=" + pw, "=ip=" + ip}
	}
	wantTrap(t, c, "invalid username or password", login("V1", "nope", "10.5.50.1")...)
	wantTrap(t, c, "invalid username or password", login("ghost", "pw", "10.5.50.1")...)
	wantTrap(t, c, "no such host (10.5.50.99)", login("V1", "pw", "10.5.50.99")...)
	wantTrap(t, c, "invalid username (V2): this MAC address is not yours", login("V2", "pw", "10.5.50.1")...)
	run(t, c, login("V2", "pw", "10.5.50.2")...)
	run(t, c, login("V1", "pw", "10.5.50.1")...)
	wantTrap(t, c, "already authorized", login("V1", "pw", "10.5.50.1")...)
	run(t, c, append(login("V1", "pw", "10.5.50.3"), "=mac-address=aa:00:00:00:00:03")...)
	wantTrap(t, c, "no more sessions are allowed for user", login("V1", "pw", "10.5.50.4")...)

	act := run(t, c, "/ip/hotspot/active/print", "?user=V1").Re
	if len(act) != 2 {
		t.Fatalf("active V1 = %v", act)
	}
	s := act[0].Map
	if s["server"] != "hotspot1" || s["address"] != "10.5.50.1" || s["mac-address"] != "AA:00:00:00:00:01" ||
		s["login-by"] != "http-pap" || s["session-time-left"] != "30m" || s["uptime"] != "0s" {
		t.Errorf("active row %v", s)
	}
	if h := r.Rows("/ip/hotspot/host")[0]; h["authorized"] != "true" {
		t.Errorf("host after login %v", h)
	}
	run(t, c, "/ip/hotspot/active/remove", "=.id="+s[".id"])
	if h := r.Rows("/ip/hotspot/host")[0]; h["authorized"] != "false" {
		t.Errorf("host after remove %v", h)
	}
	wantTrap(t, c, "no such item (4)", "/ip/hotspot/active/remove", "=.id="+s[".id"])
	run(t, c, login("V1", "pw", "10.5.50.4")...)

	// Used-up limits.
	for _, a := range r.Rows("/ip/hotspot/active") {
		if a["user"] == "V2" && !r.RemoveRow("/ip/hotspot/active", a[".id"]) {
			t.Fatal("RemoveRow failed")
		}
	}
	r.SetRow("/ip/hotspot/user", "V2", map[string]string{"uptime": "1h", "limit-bytes-total": "10", "bytes-in": "10"})
	wantTrap(t, c, "traffic limit reached", login("V2", "pw", "10.5.50.2")...)
	if n := run(t, c, "/ip/hotspot/active/print", "=count-only=").Done.Map["ret"]; n != "2" {
		t.Errorf("active count = %s, want 2", n)
	}
}
