package routeros

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"gatehouse/app"
)

// noMAC is RouterOS' "any device" MAC address.
const noMAC = "00:00:00:00:00:00"

// table is one menu's part of a reconciliation: what gatehouse wants
// there, by key, and which of the router's rows are gatehouse's. Hotspot
// users and walled-garden rows are owned by comment; user profiles, which
// have no comment property (docs/routeros.md §2), by name. The wanted
// items are kept flat (one slice of keys, one of values), as a pass may
// want 50,000 users.
type table struct {
	menu     string
	proplist string
	keyAttr  string   // "comment" or "name": the property that holds the key
	names    []string // the properties gatehouse sets, besides the key
	clears   []bool   // per name: "" means "must be empty" rather than "leave alone"
	keys     []string // per item
	vals     []string // len(names) per item, in the order of names; "" = not set
	found    []bool   // per item: the router's rows showed it
	index    map[string]int
}

func newTable(menu, proplist, keyAttr string, size int, names ...string) *table {
	return &table{menu: menu, proplist: proplist, keyAttr: keyAttr, names: names, clears: make([]bool, len(names)),
		keys: make([]string, 0, size), vals: make([]string, 0, size*len(names)), index: make(map[string]int, size)}
}

// clearing marks a property gatehouse empties on the router when it wants
// no value there (set with an empty value: =name=).
func (t *table) clearing(name string) *table {
	t.clears[slices.Index(t.names, name)] = true
	return t
}

// put wants an item with the given key and values (one per name; ""
// leaves that property alone). A key put twice keeps the later values.
func (t *table) put(key string, values ...string) {
	if i, ok := t.index[key]; ok {
		copy(t.values(i), values)
		return
	}
	t.index[key] = len(t.keys)
	t.keys = append(t.keys, key)
	t.vals = append(t.vals, values...)
	t.found = append(t.found, false)
}

// values returns item i's values, in the order of names.
func (t *table) values(i int) []string { return t.vals[i*len(t.names) : (i+1)*len(t.names)] }

// owned returns the key of a row gatehouse owns. Rows the router made
// itself (dynamic=true, such as the addresses a walled-garden dst-host
// resolves to) and rows without gatehouse's mark are never ours.
func (t *table) owned(row map[string]string) (string, bool) {
	if row["dynamic"] == "true" {
		return "", false
	}
	key := row[t.keyAttr]
	switch t.keyAttr {
	case "name":
		return key, strings.HasPrefix(key, app.ProfilePrefix)
	default:
		return key, strings.HasPrefix(key, app.CommentPrefix)
	}
}

// tables turns the desired state into per-menu items in RouterOS form.
// Profiles come first: users refer to them. Walled-garden rules that
// RouterOS cannot apply safely are left out and described in refused.
func tables(want app.RouterState) (profiles *table, rest []*table, refused []string) {
	profiles = newTable(menuProfile, ".id,name,session-timeout,shared-users,rate-limit", "name", len(want.Profiles),
		"session-timeout", "shared-users", "rate-limit").clearing("rate-limit")
	for _, p := range want.Profiles {
		profiles.put(p.Name, formatDuration(p.SessionTimeout), strconv.Itoa(p.SharedUsers), p.RateLimit)
	}
	users := newTable(menuUser, ".id,name,password,profile,server,limit-uptime,limit-bytes-total,mac-address,comment,dynamic,bytes-in,bytes-out",
		"comment", len(want.Users), "name", "password", "profile", "server", "limit-uptime", "limit-bytes-total", "mac-address")
	uptimes := map[time.Duration]string{} // thousands of users share a few values
	for _, u := range want.Users {
		mac := u.MACAddress
		if mac == "" {
			mac = noMAC
		}
		uptime, ok := uptimes[u.LimitUptime]
		if !ok {
			uptime = formatDuration(u.LimitUptime)
			uptimes[u.LimitUptime] = uptime
		}
		bytes := ""
		if u.LimitBytesTotal > 0 {
			bytes = strconv.FormatInt(u.LimitBytesTotal, 10)
		}
		users.put(u.Comment, u.Name, u.Password, u.Profile, u.Server, uptime, bytes, mac)
	}
	gardenIP := newTable(menuGardenIP, ".id,dst-address,dst-host,protocol,dst-port,action,comment,dynamic", "comment", 0,
		"dst-address", "dst-host", "protocol", "dst-port", "action")
	garden := newTable(menuGarden, ".id,dst-host,action,comment,dynamic", "comment", 0, "dst-host", "action")
	for _, g := range want.Garden {
		if why := unsafeRule(g); why != "" {
			refused = append(refused, why)
			continue
		}
		if g.DstAddress != "" {
			gardenIP.put(g.Comment, g.DstAddress, "", "", "", "accept")
		}
		if g.DstHost == "" {
			continue
		}
		// HTTP requests are matched by name; an IP-level rule with the
		// name (resolved by the router into dynamic rows) lets HTTPS
		// through too. The IP level takes no wildcards (docs/routeros.md §5).
		garden.put(g.Comment, g.DstHost, "allow")
		switch {
		case strings.Contains(g.DstHost, "*"):
		case g.HTTPSOnly:
			gardenIP.put(g.Comment+"/host", "", g.DstHost, "tcp", "443", "accept")
		default:
			gardenIP.put(g.Comment+"/host", "", g.DstHost, "", "", "accept")
		}
	}
	return profiles, []*table{users, gardenIP, garden}, refused
}

// unsafeRule says why a walled-garden rule must not reach the router: it
// would let a captive-portal detection host through (phones would then
// never show the login page) or it is IPv6 (the hotspot is IPv4-only).
// Validation refuses such entries; this catches rows stored before it did.
func unsafeRule(g app.RouterGardenRule) string {
	if probe, ok := app.ProbeLetThrough(g.DstHost); g.DstHost != "" && ok {
		return fmt.Sprintf("walled garden %s (%s) not pushed: it would let the captive-portal detection host %s through",
			g.DstHost, g.Comment, probe)
	}
	if strings.Contains(g.DstAddress, ":") {
		return fmt.Sprintf("walled garden %s (%s) not pushed: the hotspot handles IPv4 only", g.DstAddress, g.Comment)
	}
	return ""
}

// sameValue compares a wanted attribute with the router's printed value,
// reading absent values as the RouterOS defaults and durations and MACs in
// any spelling. An unreadable password (absent) is taken as unchanged.
func sameValue(attr, want, got string) bool {
	if got == "" {
		switch attr {
		case "password":
			return true
		case "server":
			got = "all"
		case "mac-address":
			got = noMAC
		case "action":
			return true // the default is what gatehouse sets
		}
	}
	switch attr {
	case "session-timeout", "limit-uptime":
		w, ok1 := parseDuration(want)
		g, ok2 := parseDuration(got)
		return ok1 && ok2 && w == g
	case "mac-address", "dst-address":
		return strings.EqualFold(strings.TrimSuffix(want, "/32"), strings.TrimSuffix(got, "/32"))
	case "rate-limit":
		return sameRateLimit(want, got)
	}
	return want == got
}

// sameRateLimit compares two rate-limits of the form rx[/tx] by their
// rates, so 2000k/10M equals 2M/10000k (k is 1,000, M 1,000,000, G
// 1,000,000,000: docs/routeros.md §2). Anything else, such as burst
// settings, is compared as text.
func sameRateLimit(a, b string) bool {
	x, ok1 := parseRates(a)
	y, ok2 := parseRates(b)
	if !ok1 || !ok2 {
		return a == b
	}
	return x == y
}

// parseRates reads "rx/tx" or "rx" (tx then equals rx) into bits/s.
func parseRates(v string) ([2]uint64, bool) {
	rx, tx, two := strings.Cut(v, "/")
	if !two {
		tx = rx
	}
	var out [2]uint64
	for i, s := range []string{rx, tx} {
		mult := uint64(1)
		switch {
		case strings.HasSuffix(s, "k"):
			mult, s = 1_000, s[:len(s)-1]
		case strings.HasSuffix(s, "M"):
			mult, s = 1_000_000, s[:len(s)-1]
		case strings.HasSuffix(s, "G"):
			mult, s = 1_000_000_000, s[:len(s)-1]
		}
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return out, false
		}
		out[i] = n * mult
	}
	return out, true
}

// plan is the commands of one table: sets and adds, then removes. Adds
// are kept as item numbers and made into commands only when they are
// sent, so a pass that adds 50,000 users never holds 50,000 commands.
type plan struct {
	t       *table
	sets    [][]string
	adds    []int // items to add, in key order
	removes [][]string
	names   []string // names of the removed rows (users whose sessions end)
}

// changes lists the plan's sets and adds.
func (p plan) changes() commands {
	return concat(words(p.sets), commands{n: len(p.adds), at: func(i int) []string { return p.t.add(p.adds[i]) }})
}

// add is the command that adds item i.
func (t *table) add(i int) []string {
	cmd := make([]string, 0, len(t.names)+2)
	cmd = append(cmd, t.menu+"/add", "="+t.keyAttr+"="+t.keys[i])
	for j, v := range t.values(i) {
		if v != "" {
			cmd = append(cmd, "="+t.names[j]+"="+v)
		}
	}
	return cmd
}

// commands is a list of commands made on demand.
type commands struct {
	n  int
	at func(i int) []string
}

// words lists commands already made.
func words(cmds [][]string) commands {
	return commands{n: len(cmds), at: func(i int) []string { return cmds[i] }}
}

// concat lists the commands of several lists, one list after the other.
func concat(lists ...commands) commands {
	var out commands
	for _, l := range lists {
		out.n += l.n
	}
	out.at = func(i int) []string {
		for _, l := range lists {
			if i < l.n {
				return l.at(i)
			}
			i -= l.n
		}
		panic("routeros: command index out of range")
	}
	return out
}

// diff compares a table with the router's rows, one row at a time as they
// arrive (so a print of 50,000 users is never held whole), and returns
// the plan once every row has been seen. A table is diffed once.
type diff struct {
	t *table
	p plan
	// pushed is what the last clean pass wanted in this table (nil when
	// there was none): a wanted item that differs from the router although
	// gatehouse wanted the same last time was changed by someone else.
	pushed map[uint64]uint64
	drift  []app.DriftItem
	// describe keeps every change in words (a dry run) in changes.
	describe bool
	changes  []app.SyncChange
}

func (t *table) newDiff() *diff { return &diff{t: t, p: plan{t: t}} }

// row takes one of the router's rows: a row gatehouse does not own is left
// alone; the first owned row of a wanted key is corrected where it
// differs; any other owned row (no longer wanted, or a duplicate left by
// an interrupted pass) is removed.
func (d *diff) row(row map[string]string) {
	key, ok := d.t.owned(row)
	if !ok {
		return
	}
	i, wanted := d.t.index[key]
	if !wanted || d.t.found[i] {
		d.p.removes = append(d.p.removes, []string{d.t.menu + "/remove", "=.id=" + row[".id"]})
		d.p.names = append(d.p.names, row["name"])
		if d.describe {
			d.changes = append(d.changes, app.SyncChange{Menu: d.t.menu, Action: app.SyncRemove, Item: rowLabel(row, key), Comment: key})
		}
		return
	}
	d.t.found[i] = true
	var set []string
	var differing []int
	for j, v := range d.t.values(i) {
		name := d.t.names[j]
		differs := v != "" && !sameValue(name, v, row[name])
		if v == "" && d.t.clears[j] && row[name] != "" {
			differs = true
		}
		if differs {
			if set == nil {
				set = []string{d.t.menu + "/set", "=.id=" + row[".id"]}
			}
			set = append(set, "="+name+"="+v)
			differing = append(differing, j)
		}
	}
	if set != nil {
		d.p.sets = append(d.p.sets, set)
		d.changed(i, row, differing)
	}
}

// changed notes item i, which the router holds as row, as set: drift when
// gatehouse wanted the same last time, and in words for a dry run.
func (d *diff) changed(i int, row map[string]string, differing []int) {
	if !d.drifted(i) && !d.describe {
		return
	}
	names := make([]string, len(differing))
	attrs := make([]app.SyncAttribute, len(differing))
	for k, j := range differing {
		names[k] = d.t.names[j]
		attrs[k] = app.SyncAttribute{Name: d.t.names[j], Router: shown(d.t.names[j], row[d.t.names[j]]),
			Want: shown(d.t.names[j], d.t.values(i)[j])}
	}
	if d.drifted(i) {
		d.drift = append(d.drift, app.DriftItem{Menu: d.t.menu, Item: d.t.label(i), Attributes: names})
	}
	if d.describe {
		d.changes = append(d.changes, app.SyncChange{Menu: d.t.menu, Action: app.SyncSet, Item: d.t.label(i),
			Comment: d.t.comment(i), Attributes: attrs})
	}
}

// missing notes item i, which the router lacks, as added: drift when the
// last clean pass had pushed it, and in words for a dry run.
func (d *diff) missing(i int) {
	if d.drifted(i) {
		d.drift = append(d.drift, app.DriftItem{Menu: d.t.menu, Item: d.t.label(i), Removed: true})
	}
	if !d.describe {
		return
	}
	var attrs []app.SyncAttribute
	for j, v := range d.t.values(i) {
		if v != "" {
			attrs = append(attrs, app.SyncAttribute{Name: d.t.names[j], Want: shown(d.t.names[j], v)})
		}
	}
	d.changes = append(d.changes, app.SyncChange{Menu: d.t.menu, Action: app.SyncAdd, Item: d.t.label(i),
		Comment: d.t.comment(i), Attributes: attrs})
}

// drifted reports whether the last clean pass wanted item i as it is
// wanted now: then a difference on the router is someone else's doing.
func (d *diff) drifted(i int) bool {
	if d.pushed == nil {
		return false
	}
	h, ok := d.pushed[keyHash(d.t.keys[i])]
	return ok && h == valuesHash(d.t.values(i))
}

// plan adds what the router's rows lacked, in key order, and returns the
// commands.
func (d *diff) plan() plan {
	for i, seen := range d.t.found {
		if !seen {
			d.p.adds = append(d.p.adds, i)
			d.missing(i)
		}
	}
	slices.SortFunc(d.p.adds, func(a, b int) int { return strings.Compare(d.t.keys[a], d.t.keys[b]) })
	return d.p
}

// usageCount gathers the traffic of gatehouse's coupon users: the
// counters of their finished sessions, which RouterOS adds to the user
// when a session ends, and the counters of their running sessions
// (docs/routeros.md §2). Only users that moved data are kept, so a pass
// over 50,000 unused codes holds nothing here.
type usageCount struct {
	byName map[string]*app.CouponUsage
	list   []*app.CouponUsage
}

// user takes one of the router's /ip/hotspot/user rows.
func (u *usageCount) user(row map[string]string) {
	if _, ok := app.CouponIDFromComment(row["comment"]); !ok || row["dynamic"] == "true" {
		return
	}
	u.add(row["name"], row["bytes-in"], row["bytes-out"])
}

// add counts traffic for the user name.
func (u *usageCount) add(name, bytesIn, bytesOut string) {
	in, _ := strconv.ParseInt(bytesIn, 10, 64)
	out, _ := strconv.ParseInt(bytesOut, 10, 64)
	if in <= 0 && out <= 0 {
		return
	}
	c := u.byName[name]
	if c == nil {
		if u.byName == nil {
			u.byName = map[string]*app.CouponUsage{}
		}
		c = &app.CouponUsage{Code: name}
		u.byName[name] = c
		u.list = append(u.list, c)
	}
	c.BytesIn += in
	c.BytesOut += out
}

// total adds the running sessions (/ip/hotspot/active rows, which may
// include other users: the database knows which codes are coupons) and
// returns the usage of every user that moved data.
func (u *usageCount) total(active []map[string]string) []app.CouponUsage {
	for _, row := range active {
		u.add(row["user"], row["bytes-in"], row["bytes-out"])
	}
	out := make([]app.CouponUsage, len(u.list))
	for i, c := range u.list {
		out[i] = *c
	}
	return out
}
