package routeros

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"gatehouse/app"
)

// noMAC is RouterOS' "any device" MAC address.
const noMAC = "00:00:00:00:00:00"

// table is one menu's part of a reconciliation: what gatehouse wants
// there, by key, and which of the router's rows are gatehouse's. Hotspot
// users and walled-garden rows are owned by comment; user profiles, which
// have no comment property (docs/routeros.md §2), by name.
type table struct {
	menu     string
	proplist string
	keyAttr  string                       // "comment" or "name": the property that holds the key
	want     map[string]map[string]string // key → attributes, without the key
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
	profiles = table{menu: menuProfile, proplist: ".id,name,session-timeout,shared-users", keyAttr: "name",
		want: make(map[string]map[string]string, len(want.Profiles))}
	for _, p := range want.Profiles {
		profiles.want[p.Name] = map[string]string{
			"session-timeout": formatDuration(p.SessionTimeout), "shared-users": strconv.Itoa(p.SharedUsers)}
	}
	users := table{menu: menuUser, keyAttr: "comment",
		proplist: ".id,name,password,profile,server,limit-uptime,mac-address,comment,dynamic",
		want:     make(map[string]map[string]string, len(want.Users))}
	for _, u := range want.Users {
		mac := u.MACAddress
		if mac == "" {
			mac = noMAC
		}
		users.want[u.Comment] = map[string]string{"name": u.Name, "password": u.Password, "profile": u.Profile,
			"server": u.Server, "limit-uptime": formatDuration(u.LimitUptime), "mac-address": mac}
	}
	gardenIP := table{menu: menuGardenIP, keyAttr: "comment",
		proplist: ".id,dst-address,dst-host,protocol,dst-port,action,comment,dynamic", want: map[string]map[string]string{}}
	garden := table{menu: menuGarden, keyAttr: "comment",
		proplist: ".id,dst-host,action,comment,dynamic", want: map[string]map[string]string{}}
	for _, g := range want.Garden {
		if why := unsafeRule(g); why != "" {
			refused = append(refused, why)
			continue
		}
		if g.DstAddress != "" {
			gardenIP.want[g.Comment] = map[string]string{"dst-address": g.DstAddress, "action": "accept"}
		}
		if g.DstHost == "" {
			continue
		}
		// HTTP requests are matched by name; an IP-level rule with the
		// name (resolved by the router into dynamic rows) lets HTTPS
		// through too. The IP level takes no wildcards (docs/routeros.md §5).
		garden.want[g.Comment] = map[string]string{"dst-host": g.DstHost, "action": "allow"}
		if !strings.Contains(g.DstHost, "*") {
			rule := map[string]string{"dst-host": g.DstHost, "action": "accept"}
			if g.HTTPSOnly {
				rule["protocol"], rule["dst-port"] = "tcp", "443"
			}
			gardenIP.want[g.Comment+"/host"] = rule
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

// plan is the commands of one table: adds and sets, then removes.
type plan struct {
	table   string
	changes [][]string // add and set commands
	removes [][]string
	names   []string // names of the removed rows (users whose sessions end)
}

// diff compares a table with the router's rows.
func (t table) diff(rows []map[string]string) plan {
	p := plan{table: t.menu}
	have := map[string][]map[string]string{}
	for _, row := range rows {
		if key, ok := t.owned(row); ok {
			have[key] = append(have[key], row)
		}
	}
	remove := func(row map[string]string) {
		p.removes = append(p.removes, []string{t.menu + "/remove", "=.id=" + row[".id"]})
		p.names = append(p.names, row["name"])
	}
	for _, key := range slices.Sorted(maps.Keys(t.want)) { // stable command order
		attrs := t.want[key]
		rows := have[key]
		delete(have, key)
		if len(rows) == 0 {
			p.changes = append(p.changes, command(t.menu+"/add", attrs, t.keyAttr, key))
			continue
		}
		for _, extra := range rows[1:] { // a duplicate from an interrupted pass
			remove(extra)
		}
		changed := map[string]string{}
		for k, v := range attrs {
			if !sameValue(k, v, rows[0][k]) {
				changed[k] = v
			}
		}
		if len(changed) > 0 {
			p.changes = append(p.changes, command(t.menu+"/set", changed, ".id", rows[0][".id"]))
		}
	}
	for _, key := range slices.Sorted(maps.Keys(have)) { // owned but no longer wanted
		for _, row := range have[key] {
			remove(row)
		}
	}
	return p
}

// command builds an API command from attributes in a stable order.
func command(path string, attrs map[string]string, key, value string) []string {
	words := make([]string, 0, len(attrs)+2)
	words = append(words, path, "="+key+"="+value)
	for _, k := range slices.Sorted(maps.Keys(attrs)) {
		words = append(words, "="+k+"="+attrs[k])
	}
	return words
}
