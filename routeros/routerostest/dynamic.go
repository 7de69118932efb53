package routerostest

import (
	"hash/fnv"
	"maps"
	"net/netip"
	"slices"
)

// Dynamic rows of /ip/hotspot/walled-garden/ip (docs/routeros.md §5).
//
// The manual says a static row with dst-host makes the router resolve the
// name and add a dynamic entry for it (wiki Manual:IP/Hotspot/Walled_Garden;
// the v3 manual: "resolved to a list of IP addresses when the rule is added,
// and all those IP addresses are used"). The fake adds one row per address,
// right after its static row:
//
//	dynamic=true, dst-address=<the address>, and copies of action and comment
//	of the static row, and of protocol, dst-port, server and src-address.
//
// That dynamic rows copy the comment is NOT documented; the fake models the
// stricter case (a client that owns rows by comment must skip dynamic rows
// or it will see and touch them). Copying protocol, dst-port, server and
// src-address is a guess too.
//
// Also guessed: a disabled static row has no dynamic rows; set, enable,
// disable or unset of a static row that changes dst-host, disabled or any
// copied property re-creates its dynamic rows (with new ids); removing the
// static row removes them. set, enable, disable, unset and remove of a
// dynamic row trap (see msgChangeDynamic). The HTTP-level
// /ip/hotspot/walled-garden has no dynamic rows in the fake.
//
// Names are resolved by SetResolver's function, by default to one address
// made from a hash of the name inside 198.18.0.0/15 (the benchmarking block
// of RFC 2544). Nothing is ever sent on the network.

// Trap texts for commands on dynamic rows. RouterOS answers "failure: can
// not change dynamic" to set on dynamic rows of /interface/bridge/vlan (and
// "... dynamic lease", "... dynamic prefix" in other menus) [seen in public
// projects]; the wording for walled-garden/ip is a guess, and the text for
// remove is a guess.
const (
	msgChangeDynamic = "failure: can not change dynamic"
	msgRemoveDynamic = "failure: can not remove dynamic"
)

// parentKey links a dynamic row to the id of its static row. It is not a
// field of the menu, so print, queries and Rows never show it.
const parentKey = "\x00static"

// copiedToDynamic are the static row's properties a dynamic row repeats.
var copiedToDynamic = []string{"action", "comment", "protocol", "dst-port", "server", "src-address"}

// SetResolver replaces the name resolution of walled-garden/ip dst-host
// values: f returns the addresses a host resolves to (none is allowed). nil
// restores the default, one address in 198.18.0.0/15 derived from a hash of
// the name. f is called with the router's lock held: it must not call the
// Router's methods. Existing rows are not re-resolved.
func (r *Router) SetResolver(f func(host string) []string) {
	r.mu.Lock()
	r.resolver = f
	r.mu.Unlock()
}

// defaultResolve maps a host name to one address in 198.18.0.0/15.
func defaultResolve(host string) []string {
	h := fnv.New32a()
	h.Write([]byte(host))
	n := h.Sum32() & 0x1ffff // 17 bits: the size of a /15
	a := netip.AddrFrom4([4]byte{198, 18 + byte(n>>16), byte(n >> 8), byte(n)})
	return []string{a.String()}
}

func (r *Router) resolve(host string) []string {
	if r.resolver != nil {
		return r.resolver(host)
	}
	return defaultResolve(host)
}

// hasDynamicRows reports whether the menu keeps dynamic rows for dst-host.
func hasDynamicRows(t *table) bool { return t.m.path == menuWalledIP }

// isDynamic reports whether row i is a dynamic row the API may not change.
func isDynamic(t *table, i int) bool {
	return hasDynamicRows(t) && t.rows[i]["dynamic"] == "true"
}

// protectDynamic returns the trap for a command on any dynamic row in idx.
func protectDynamic(t *table, idx []int, msg string) *response {
	for _, i := range idx {
		if isDynamic(t, i) {
			return trapMsg(msg)
		}
	}
	return nil
}

// dynamicSource is what the dynamic rows of a static row are made from.
func dynamicSource(row map[string]string) map[string]string {
	src := map[string]string{"dst-host": row["dst-host"], "disabled": row["disabled"]}
	for _, k := range copiedToDynamic {
		src[k] = row[k]
	}
	return src
}

// refreshDynamic re-creates the dynamic rows of the static row with id
// (removing them when the row is gone, disabled or has no dst-host) and
// puts every dynamic row right after its static row.
func (r *Router) refreshDynamic(t *table, id string) {
	if !hasDynamicRows(t) {
		return
	}
	t.stale()
	t.rows = slices.DeleteFunc(t.rows, func(row map[string]string) bool { return row[parentKey] == id })
	if i := t.index(id); i >= 0 && t.rows[i]["dst-host"] != "" && t.rows[i]["disabled"] != "true" {
		static := t.rows[i]
		for _, addr := range r.resolve(static["dst-host"]) {
			row := map[string]string{"dynamic": "true", "dst-address": addr, parentKey: id}
			for _, k := range copiedToDynamic {
				if v, ok := static[k]; ok {
					row[k] = v
				}
			}
			t.insert(row, -1)
		}
	}
	regroup(t)
}

// refreshChanged re-creates the dynamic rows of the static rows whose
// source properties differ between before and the table now.
func (r *Router) refreshChanged(t *table, before map[string]map[string]string) {
	for id, old := range before {
		if i := t.index(id); i < 0 || !maps.Equal(old, dynamicSource(t.rows[i])) {
			r.refreshDynamic(t, id)
		}
	}
}

// snapshot records the dynamic sources of the rows in idx.
func snapshot(t *table, idx []int) map[string]map[string]string {
	if !hasDynamicRows(t) {
		return nil
	}
	out := make(map[string]map[string]string, len(idx))
	for _, i := range idx {
		out[t.rows[i][".id"]] = dynamicSource(t.rows[i])
	}
	return out
}

// regroup keeps the table order but moves each linked dynamic row right
// after its static row (dynamic rows of one static row keep their order).
func regroup(t *table) {
	children := make(map[string][]map[string]string)
	ids := make(map[string]bool, len(t.rows))
	for _, row := range t.rows {
		ids[row[".id"]] = true
		if p := row[parentKey]; p != "" {
			children[p] = append(children[p], row)
		}
	}
	out := make([]map[string]string, 0, len(t.rows))
	for _, row := range t.rows {
		if p := row[parentKey]; p != "" && ids[p] {
			continue // placed with its static row
		}
		out = append(out, row)
		out = append(out, children[row[".id"]]...)
	}
	t.stale()
	t.rows = out
}
