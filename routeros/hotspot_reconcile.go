package routeros

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"gatehouse/app"
)

// noMAC is RouterOS' "any device" MAC address.
const noMAC = "00:00:00:00:00:00"

// attr is one property gatehouse sets, in RouterOS form.
type attr struct{ name, value string }

// item is one thing gatehouse wants in a menu; found is set once the
// router's rows showed it.
type item struct {
	attrs []attr // without the key
	found bool
}

// table is one menu's part of a reconciliation: what gatehouse wants
// there, by key, and which of the router's rows are gatehouse's. Hotspot
// users and walled-garden rows are owned by comment; user profiles, which
// have no comment property (docs/routeros.md §2), by name.
type table struct {
	menu     string
	proplist string
	keyAttr  string           // "comment" or "name": the property that holds the key
	want     map[string]*item // by key
}

func newTable(menu, proplist, keyAttr string, size int) table {
	return table{menu: menu, proplist: proplist, keyAttr: keyAttr, want: make(map[string]*item, size)}
}

// put wants an item with the given key and attributes (name, value pairs).
func (t table) put(key string, pairs ...string) {
	it := &item{attrs: make([]attr, 0, len(pairs)/2)}
	for i := 0; i+1 < len(pairs); i += 2 {
		it.attrs = append(it.attrs, attr{pairs[i], pairs[i+1]})
	}
	t.want[key] = it
}

// owned returns the key of a row gatehouse owns. Rows the router made
// itself (dynamic=true, such as the addresses a walled-garden dst-host
// resolves to) and rows without gatehouse's mark are never ours.
func (t table) owned(row map[string]string) (string, bool) {
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

// tables turns the desired state into per-menu attribute sets in
// RouterOS form. Profiles come first: users refer to them. Walled-garden
// rules that RouterOS cannot apply safely are left out and described in
// refused.
func tables(want app.RouterState) (profiles table, rest []table, refused []string) {
	profiles = newTable(menuProfile, ".id,name,session-timeout,shared-users", "name", len(want.Profiles))
	for _, p := range want.Profiles {
		profiles.put(p.Name, "session-timeout", formatDuration(p.SessionTimeout), "shared-users", strconv.Itoa(p.SharedUsers))
	}
	users := newTable(menuUser, ".id,name,password,profile,server,limit-uptime,mac-address,comment,dynamic", "comment", len(want.Users))
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
		users.put(u.Comment, "name", u.Name, "password", u.Password, "profile", u.Profile,
			"server", u.Server, "limit-uptime", uptime, "mac-address", mac)
	}
	gardenIP := newTable(menuGardenIP, ".id,dst-address,dst-host,protocol,dst-port,action,comment,dynamic", "comment", 0)
	garden := newTable(menuGarden, ".id,dst-host,action,comment,dynamic", "comment", 0)
	for _, g := range want.Garden {
		if why := unsafeRule(g); why != "" {
			refused = append(refused, why)
			continue
		}
		if g.DstAddress != "" {
			gardenIP.put(g.Comment, "dst-address", g.DstAddress, "action", "accept")
		}
		if g.DstHost == "" {
			continue
		}
		// HTTP requests are matched by name; an IP-level rule with the
		// name (resolved by the router into dynamic rows) lets HTTPS
		// through too. The IP level takes no wildcards (docs/routeros.md §5).
		garden.put(g.Comment, "dst-host", g.DstHost, "action", "allow")
		if strings.Contains(g.DstHost, "*") {
			continue
		}
		if g.HTTPSOnly {
			gardenIP.put(g.Comment+"/host", "dst-host", g.DstHost, "action", "accept", "protocol", "tcp", "dst-port", "443")
		} else {
			gardenIP.put(g.Comment+"/host", "dst-host", g.DstHost, "action", "accept")
		}
	}
	return profiles, []table{users, gardenIP, garden}, refused
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
	}
	return want == got
}

// plan is the commands of one table: sets and adds, then removes. Adds
// are kept as keys and made into commands only when they are sent, so a
// pass that adds 50,000 users never holds 50,000 commands.
type plan struct {
	t       table
	sets    [][]string
	adds    []string // keys of the items to add, in order
	removes [][]string
	names   []string // names of the removed rows (users whose sessions end)
}

// changes lists the plan's sets and adds.
func (p plan) changes() commands {
	return concat(words(p.sets), commands{n: len(p.adds), at: func(i int) []string { return p.t.add(p.adds[i]) }})
}

// add is the command that adds the item with key.
func (t table) add(key string) []string {
	it := t.want[key]
	cmd := make([]string, 0, len(it.attrs)+2)
	cmd = append(cmd, t.menu+"/add", "="+t.keyAttr+"="+key)
	for _, a := range it.attrs {
		cmd = append(cmd, "="+a.name+"="+a.value)
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
	t table
	p plan
}

func (t table) newDiff() *diff { return &diff{t: t, p: plan{t: t}} }

// row takes one of the router's rows: a row gatehouse does not own is left
// alone; the first owned row of a wanted key is corrected where it
// differs; any other owned row (no longer wanted, or a duplicate left by
// an interrupted pass) is removed.
func (d *diff) row(row map[string]string) {
	key, ok := d.t.owned(row)
	if !ok {
		return
	}
	it := d.t.want[key]
	if it == nil || it.found {
		d.p.removes = append(d.p.removes, []string{d.t.menu + "/remove", "=.id=" + row[".id"]})
		d.p.names = append(d.p.names, row["name"])
		return
	}
	it.found = true
	var set []string
	for _, a := range it.attrs {
		if !sameValue(a.name, a.value, row[a.name]) {
			if set == nil {
				set = []string{d.t.menu + "/set", "=.id=" + row[".id"]}
			}
			set = append(set, "="+a.name+"="+a.value)
		}
	}
	if set != nil {
		d.p.sets = append(d.p.sets, set)
	}
}

// plan adds what the router's rows lacked, in key order, and returns the
// commands.
func (d *diff) plan() plan {
	for _, key := range slices.Sorted(maps.Keys(d.t.want)) {
		if !d.t.want[key].found {
			d.p.adds = append(d.p.adds, key)
		}
	}
	return d.p
}
