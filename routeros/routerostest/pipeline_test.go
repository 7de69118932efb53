package routerostest_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestTagsPipelined(t *testing.T) {
	r := newRouter(t)
	nc := dialRaw(t, r)
	nc.login()
	// Five commands in one write, before reading anything.
	batch := [][]string{
		{"/ip/hotspot/user/add", "=name=a", ".tag=t1"},
		{"/ip/hotspot/user/add", "=name=a", ".tag=t2"},
		{"/ip/hotspot/user/print", "=.proplist=name", ".tag=t3"},
		{"/cancel", "=tag=t3", ".tag=t4"},
		{"/ip/hotspot/user/print", "=count-only="}, // untagged
		{"/nowhere/print", ".tag=t6"},
	}
	if _, err := nc.nc.Write(encode(batch...)); err != nil {
		t.Fatal(err)
	}
	want := [][][]string{
		{{"!done", ".tag=t1", "=ret=*1"}},
		{{"!trap", ".tag=t2", "=message=failure: already have user with this name for this server"},
			{"!done", ".tag=t2"}},
		{{"!re", ".tag=t3", "=name=a"}, {"!done", ".tag=t3"}},
		{{"!done", ".tag=t4"}},
		{{"!done", "=ret=1"}},
		{{"!trap", ".tag=t6", "=category=0", "=message=no such command or directory (nowhere)"},
			{"!trap", ".tag=t6", "=message=no such command prefix"}, {"!done", ".tag=t6"}},
	}
	for i, w := range want {
		if got := nc.reply(); !equalSentences(got, w) {
			t.Errorf("reply %d: got %q, want %q", i+1, got, w)
		}
	}
}

// TestLatencyOverlapsWhenPipelined: latency acts like a round trip, so a
// pipelined batch costs about one latency, not one per command.
func TestLatencyOverlapsWhenPipelined(t *testing.T) {
	r := newRouter(t)
	nc := dialRaw(t, r)
	nc.login()
	const lat = 100 * time.Millisecond
	r.SetLatency(lat)
	var batch [][]string
	for i := range 10 {
		batch = append(batch, []string{"/ip/hotspot/user/add", fmt.Sprintf("=name=u%d", i), fmt.Sprintf(".tag=%d", i)})
	}
	start := time.Now()
	if _, err := nc.nc.Write(encode(batch...)); err != nil {
		t.Fatal(err)
	}
	for i := range 10 {
		got := nc.reply()
		if !slices.Contains(got[0], fmt.Sprintf(".tag=%d", i)) {
			t.Fatalf("reply %d out of order: %q", i, got)
		}
	}
	if el := time.Since(start); el < lat || el > 5*lat {
		t.Errorf("10 pipelined commands took %v, want about %v", el, lat)
	}
}

func TestLargeWords(t *testing.T) {
	r := newRouter(t)
	c := dial(t, r)
	script := strings.Repeat(":log info x;", 2000) // 24 000 bytes: 3-byte length
	run(t, c, "/ip/hotspot/user/profile/add", "=name=big", "=on-login="+script)
	got := run(t, c, "/ip/hotspot/user/profile/print", "?name=big").Re[0].Map["on-login"]
	if got != script {
		t.Errorf("on-login came back with %d bytes, want %d", len(got), len(script))
	}
}
