package routeros

import (
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"gatehouse/app"
	"gatehouse/routeros/routerostest"
)

// sampleState has one of every kind of item gatehouse pushes.
func sampleState() app.RouterState {
	return app.RouterState{
		Profiles: []app.RouterProfile{{Name: app.ProfileName("0190-aaaa-bbbb"), SessionTimeout: time.Hour, SharedUsers: 1},
			{Name: "gatehouse-aaaabbbb-ccccdddd", SessionTimeout: 2 * time.Hour, SharedUsers: 2, RateLimit: "2000k/10000k"}},
		Users: []app.RouterUser{
			{Name: "K7QX2M", Password: "K7QX2M", Profile: "gatehouse-aaaabbbb", Server: "hotspot1",
				LimitUptime: time.Hour, MACAddress: "AA:BB:CC:00:00:01", Comment: app.CouponComment("c1")},
			{Name: "P4LAN2", Password: "P4LAN2", Profile: "gatehouse-aaaabbbb-ccccdddd", Server: "hotspot1",
				LimitUptime: 2 * time.Hour, LimitBytesTotal: 500_000_000, Comment: app.CouponComment("c2")},
			{Name: "g-abcdefgh", Password: "p", Profile: "gatehouse-aaaabbbb", Server: "all",
				LimitUptime: time.Hour, Comment: app.OAuthGuestComment("u1")},
		},
		Garden: []app.RouterGardenRule{
			{DstAddress: "203.0.113.0/24", Comment: app.WalledGardenComment("w1")},
			{DstHost: "menu.example.org", Comment: app.WalledGardenComment("w2")},
			{DstHost: "*.example.org", Comment: app.WalledGardenComment("w3")},
			{DstHost: "accounts.google.com", HTTPSOnly: true, Comment: app.ProviderGardenComment("google", "accounts.google.com")},
		},
	}
}

// planFor diffs a table against rows from scratch.
func planFor(t *table, rows []map[string]string) plan {
	clear(t.found)
	d := t.newDiff()
	for _, row := range rows {
		d.row(row)
	}
	return d.plan()
}

// made makes every command of a list.
func made(c commands) [][]string {
	out := make([][]string, c.n)
	for i := range out {
		out[i] = c.at(i)
	}
	return out
}

// TestSentPropertiesAreDocumented lists every property gatehouse sends
// with add and set, per menu, and checks each against the fake router's
// documented lists (docs/routeros.md §2): a word the router does not know
// makes it refuse the whole item.
func TestSentPropertiesAreDocumented(t *testing.T) {
	profiles, rest, refused := tables(sampleState())
	if len(refused) != 0 {
		t.Fatalf("sample state refused: %v", refused)
	}
	sent := map[string]map[string]bool{}
	note := func(words []string) {
		menu := words[0][:strings.LastIndexByte(words[0], '/')]
		if sent[menu] == nil {
			sent[menu] = map[string]bool{}
		}
		for _, w := range words[1:] {
			if name, _, ok := strings.Cut(strings.TrimPrefix(w, "="), "="); ok && name != ".id" {
				sent[menu][name] = true
			}
		}
	}
	for _, tb := range append([]*table{profiles}, rest...) {
		for _, cmd := range made(planFor(tb, nil).changes()) { // every item added
			note(cmd)
		}
		// and every property set on an item that differs in all of them
		var rows []map[string]string
		for _, key := range tb.keys {
			rows = append(rows, map[string]string{".id": "*1", tb.keyAttr: key})
		}
		for _, cmd := range made(planFor(tb, rows).changes()) {
			note(cmd)
		}
	}
	for _, menu := range slices.Sorted(maps.Keys(sent)) {
		writable, _, ok := routerostest.Properties(menu)
		if !ok {
			t.Errorf("%s: the fake router does not serve this menu", menu)
			continue
		}
		names := slices.Sorted(maps.Keys(sent[menu]))
		t.Logf("%s: %s", menu, strings.Join(names, " "))
		for _, name := range names {
			if !slices.Contains(writable, name) {
				t.Errorf("%s: gatehouse sends %q, which is not a documented writable property (%v)", menu, name, writable)
			}
		}
	}
	if sent[menuProfile]["comment"] {
		t.Errorf("gatehouse sends comment to %s, which has none", menuProfile)
	}
}

func TestDiffLeavesOthersAlone(t *testing.T) {
	profiles, rest, _ := tables(sampleState())
	gardenIP := rest[1]
	rows := []map[string]string{
		{".id": "*1", "name": "default"},
		{".id": "*2", "name": "staff-1d"},
		{".id": "*3", "name": "gatehouse"},          // no dash: not the prefix
		{".id": "*4", "name": "gatehouse-deadbeef"}, // ours, no longer wanted
		{".id": "*5", "name": "gatehouse-aaaabbbb", "session-timeout": "1h", "shared-users": "1"},
		{".id": "*6", "name": "gatehouse-aaaabbbb-ccccdddd", "session-timeout": "2h", "shared-users": "2", "rate-limit": "2M/10M"},
	}
	p := planFor(profiles, rows)
	if len(made(p.changes())) != 0 || len(p.removes) != 1 || p.removes[0][1] != "=.id=*4" {
		t.Fatalf("profile plan: changes %v removes %v; want only *4 removed", made(p.changes()), p.removes)
	}
	// A duplicate left by an interrupted pass: the first row is kept (and
	// corrected), the second removed.
	users := rest[0]
	dup := app.CouponComment("c1")
	rows = []map[string]string{
		{".id": "*7", "name": "K7QX2M", "password": "K7QX2M", "profile": "gatehouse-aaaabbbb", "server": "hotspot1",
			"limit-uptime": "1h", "mac-address": "AA:BB:CC:00:00:01", "comment": dup},
		{".id": "*8", "name": "K7QX2M", "comment": dup},
	}
	p = planFor(users, rows)
	if len(p.removes) != 1 || p.removes[0][1] != "=.id=*8" {
		t.Errorf("duplicate: removes %v, want *8 only", p.removes)
	}
	for _, cmd := range made(p.changes()) {
		if cmd[0] == "/ip/hotspot/user/set" {
			t.Errorf("the first copy is correct, yet the plan sets it: %v", cmd)
		}
	}

	c := app.ProviderGardenComment("google", "accounts.google.com") + "/host"
	rows = []map[string]string{
		{".id": "*A", "dst-host": "accounts.google.com", "protocol": "tcp", "dst-port": "443", "action": "accept", "comment": c},
		{".id": "*B", "dst-address": "198.18.0.7", "protocol": "tcp", "dst-port": "443", "action": "accept", "comment": c, "dynamic": "true"},
		{".id": "*C", "dst-address": "192.0.2.80", "comment": "printer"},
	}
	p = planFor(gardenIP, rows)
	for _, cmd := range append(made(p.changes()), p.removes...) {
		if slices.Contains(cmd, "=.id=*B") || slices.Contains(cmd, "=.id=*C") || slices.Contains(cmd, "=.id=*A") {
			t.Errorf("plan touches a row it must leave alone: %v", cmd)
		}
	}
}

func TestUnsafeRulesAreNotPushed(t *testing.T) {
	st := app.RouterState{Garden: []app.RouterGardenRule{
		{DstHost: "*.gstatic.com", Comment: app.WalledGardenComment("w1")},
		{DstHost: "captive.apple.com", Comment: app.WalledGardenComment("w2")},
		{DstAddress: "2001:db8::/32", Comment: app.WalledGardenComment("w3")},
		{DstHost: "ok.example.org", Comment: app.WalledGardenComment("w4")},
	}}
	_, rest, refused := tables(st)
	if len(refused) != 3 {
		t.Fatalf("refused %v, want the three unsafe rules", refused)
	}
	if !strings.Contains(refused[0], "www.gstatic.com") {
		t.Errorf("refusal %q does not name the detection host", refused[0])
	}
	if n := len(rest[1].keys) + len(rest[2].keys); n != 2 {
		t.Errorf("%d rules pushed, want the safe host at both levels", n)
	}
}

func TestRefusalNamesMenuAndParameter(t *testing.T) {
	words := []string{"/ip/hotspot/user/profile/add", "=name=gatehouse-1", "=comment=x", "=shared-users=1"}
	got := refusal(words, trapError("r:8728", []string{"unknown parameter"}))
	for _, want := range []string{"unknown parameter", "/ip/hotspot/user/profile", "comment", "name", "shared-users"} {
		if !strings.Contains(got, want) {
			t.Errorf("refusal = %q, want it to mention %q", got, want)
		}
	}
	got = refusal(words, trapError("r:8728", []string{"unknown parameter comment"}))
	if !strings.Contains(got, `has no property "comment"`) {
		t.Errorf("refusal = %q, want it to name comment", got)
	}
}

// TestRateLimitDiff: rate-limits are compared by value, and a profile
// whose plan lost its speed limit gets the router's value cleared.
func TestRateLimitDiff(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		same bool
	}{
		{"2000k/10000k", "2M/10M", true},
		{"2000k/10000k", "2000k/10000k", true},
		{"0/4000k", "0/4M", true},
		{"2000k", "2000k/2000k", true},
		{"2000k/10000k", "10000k/2000k", false},
		{"2000k/10000k", "2M/10M 4M/20M", false},
	} {
		if got := sameRateLimit(tc.a, tc.b); got != tc.same {
			t.Errorf("sameRateLimit(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.same)
		}
	}
	profiles, _, _ := tables(app.RouterState{Profiles: []app.RouterProfile{
		{Name: "gatehouse-a", SessionTimeout: time.Hour, SharedUsers: 1},
		{Name: "gatehouse-b", SessionTimeout: time.Hour, SharedUsers: 1, RateLimit: "2000k/10000k"},
	}})
	got := made(planFor(profiles, []map[string]string{
		{".id": "*1", "name": "gatehouse-a", "session-timeout": "1h", "shared-users": "1", "rate-limit": "1M/1M"},
		{".id": "*2", "name": "gatehouse-b", "session-timeout": "1h", "shared-users": "1", "rate-limit": "2M/10M"},
	}).changes())
	want := [][]string{{"/ip/hotspot/user/profile/set", "=.id=*1", "=rate-limit="}}
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("changes = %q, want only the stale rate-limit cleared: %q", got, want)
	}
}
