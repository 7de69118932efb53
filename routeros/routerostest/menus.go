package routerostest

import "slices"

// The menus the fake knows, their properties and commands (docs/routeros.md
// §2).

// kind is how a property value is checked and normalised.
type kind int

const (
	kText        kind = iota // any text; the empty string unsets it
	kTime                    // RouterOS time; empty is invalid
	kTimeNone                // RouterOS time or "none"
	kInt                     // non-negative decimal integer
	kIntUnlimit              // integer or "unlimited"
	kBool                    // yes/no/true/false by prefix, printed true/false
	kEnum                    // one of values, by unique prefix
	kRef                     // a name in menu ref (or one of values), by unique prefix
	kMAC                     // AA:BB:CC:DD:EE:FF, printed upper case
	kIP                      // IPv4 address
	kReadOnly                // printed, never accepted from the API
	kReadOnlyNum             // read-only counter, compared numerically
)

// field describes one property of a menu.
type field struct {
	name   string
	kind   kind
	def    string   // printed when the row has no value ("" = absent)
	values []string // enum values, or extra values of a reference ("all")
	ref    string   // menu whose names a kRef property refers to
	// unsetAs is a value that is stored as "no value" (server=all).
	unsetAs string
}

// menu is the schema of one API menu.
type menu struct {
	path      string
	fields    []field
	cmds      []string
	singleton bool // no rows, no .id (system/identity, system/resource)
	byName    bool // .id may be given as the row's name
	ordered   bool // add accepts place-before
	// unique reports the trap for a row that clashes with another row;
	// rows with different names never clash (table.clash relies on it).
	unique func(a, b map[string]string) *Trap
	// required properties for add.
	required []string
}

var (
	tableCmds   = []string{"print", "add", "set", "remove", "enable", "disable", "unset"}
	noDisable   = []string{"print", "add", "set", "remove", "unset"}
	readRemove  = []string{"print", "remove"}
	builtinName = func(a, b map[string]string) *Trap {
		if a["name"] == b["name"] {
			return &Trap{Message: "failure: already have such name"}
		}
		return nil
	}
)

func comment() field  { return field{name: "comment"} }
func disabled() field { return field{name: "disabled", kind: kBool, def: "false"} }
func ro(name, def string) field {
	return field{name: name, kind: kReadOnly, def: def}
}
func counter(name, def string) field {
	return field{name: name, kind: kReadOnlyNum, def: def}
}

const (
	menuServer     = "/ip/hotspot"
	menuServerProf = "/ip/hotspot/profile"
	menuUser       = "/ip/hotspot/user"
	menuProfile    = "/ip/hotspot/user/profile"
	menuWalled     = "/ip/hotspot/walled-garden"
	menuWalledIP   = "/ip/hotspot/walled-garden/ip"
	menuBinding    = "/ip/hotspot/ip-binding"
	menuActive     = "/ip/hotspot/active"
	menuHost       = "/ip/hotspot/host"
	menuCookie     = "/ip/hotspot/cookie"
	menuIdentity   = "/system/identity"
	menuResource   = "/system/resource"
	menuFile       = "/file"
	menuTool       = "/tool"
)

// menus returns fresh schemas; each Router builds its own tables from them.
//
// Every property list names its source. "wiki" is the MikroTik wiki
// (wiki.mikrotik.com, pages Manual:IP/Hotspot/...), "manual" the current
// manual (help.mikrotik.com/docs/spaces/ROS/pages/56459266, HotSpot -
// Captive portal), "v3 manual" the RouterOS v2.9/v3 reference manual, and
// "tf" the resource schema of github.com/terraform-routeros/
// terraform-provider-routeros (directory routeros/), which is tested against
// RouterOS 7 and quotes the print of a real v7 row. A property marked
// "guess" has no source. A word missing from a list traps "unknown
// parameter" on add and set, as does a read-only one (docs/routeros.md §2,
// §4).
func menus() []*menu {
	return []*menu{
		// /ip/hotspot. Sources: manual "HotSpot Properties"; tf
		// resource_ip_hotspot.go (schema and v7 print). Neither has
		// comment, so the fake refuses it. Read-only: invalid, HTTPS and
		// proxy-status are in the v7 print.
		{path: menuServer, cmds: tableCmds, byName: true, unique: builtinName, required: []string{"name"},
			fields: []field{
				{name: "name"}, {name: "interface"}, {name: "address-pool", def: "none"},
				{name: "profile", kind: kRef, ref: menuServerProf, def: "default"},
				{name: "idle-timeout", kind: kTimeNone, def: "5m"},
				{name: "keepalive-timeout", kind: kTimeNone, def: "none"},
				{name: "login-timeout", kind: kTimeNone, def: "none"},
				{name: "addresses-per-mac", kind: kIntUnlimit, def: "2"},
				ro("invalid", "false"), ro("HTTPS", "false"), ro("proxy-status", "running"), disabled(),
			}},
		// /ip/hotspot/profile (server profiles). Source: tf
		// resource_ip_hotspot_profile.go (schema; install-hotspot-queue
		// only in its v7 print); wiki Manual:IP/Hotspot/Profile. No
		// comment in either. Read-only default: guess (the console marks
		// the default profile; the fake uses it to refuse removing it).
		{path: menuServerProf, cmds: noDisable, byName: true, unique: builtinName, required: []string{"name"},
			fields: []field{
				{name: "name"}, {name: "hotspot-address"}, {name: "dns-name"},
				{name: "html-directory", def: "hotspot"}, {name: "html-directory-override"},
				{name: "login-by", def: "cookie,http-chap"},
				{name: "http-cookie-lifetime", kind: kTime, def: "3d"},
				{name: "http-proxy", def: "0.0.0.0:0"}, {name: "https-redirect", kind: kBool},
				{name: "install-hotspot-queue", kind: kBool, def: "false"},
				{name: "mac-auth-mode", kind: kEnum, def: "mac-as-username",
					values: []string{"mac-as-username", "mac-as-username-and-password"}},
				{name: "mac-auth-password"}, {name: "nas-port-type"},
				{name: "radius-accounting", kind: kBool}, {name: "radius-default-domain"},
				{name: "radius-interim-update"}, {name: "radius-location-name"},
				{name: "radius-mac-format"}, {name: "rate-limit"},
				{name: "smtp-server", def: "0.0.0.0"}, {name: "ssl-certificate"},
				{name: "split-user-domain", kind: kBool, def: "false"},
				{name: "use-radius", kind: kBool, def: "false"},
				{name: "trial-uptime-limit", kind: kTime, def: "30m"},
				{name: "trial-uptime-reset", kind: kTime, def: "1d"},
				{name: "trial-user-profile", kind: kRef, ref: menuProfile, def: "default"},
				ro("default", "false"),
			}},
		// /ip/hotspot/user. Sources: wiki Manual:IP/Hotspot/User#Users
		// (lists comment), tf resource_ip_hotspot_user.go (comment,
		// disabled; read-only default, dynamic, counters).
		{path: menuUser, cmds: append(tableCmds[:len(tableCmds):len(tableCmds)], "reset-counters"),
			byName: true, unique: sameUserName, required: []string{"name"},
			fields: []field{
				{name: "server", kind: kRef, ref: menuServer, values: []string{"all"}, unsetAs: "all"},
				{name: "name"}, {name: "password"},
				{name: "address", kind: kIP}, {name: "mac-address", kind: kMAC},
				{name: "profile", kind: kRef, ref: menuProfile, def: "default"},
				{name: "routes"}, {name: "email"},
				{name: "limit-uptime", kind: kTime},
				{name: "limit-bytes-in", kind: kInt}, {name: "limit-bytes-out", kind: kInt},
				{name: "limit-bytes-total", kind: kInt},
				counter("uptime", "0s"), counter("bytes-in", "0"), counter("bytes-out", "0"),
				counter("packets-in", "0"), counter("packets-out", "0"),
				ro("dynamic", "false"), ro("default", ""), disabled(), comment(),
			}},
		// /ip/hotspot/user/profile. Sources: wiki
		// Manual:IP/Hotspot/User#User_Profile, tf
		// resource_ip_hotspot_user_profile.go and its v7 print. There is
		// NO comment in any of them: add/set with comment traps
		// "unknown parameter" (docs/routeros.md §2). Read-only default: tf.
		{path: menuProfile, cmds: noDisable, byName: true, unique: builtinName, required: []string{"name"},
			fields: []field{
				{name: "name"}, {name: "address-pool", def: "none"},
				{name: "shared-users", kind: kIntUnlimit, def: "1"},
				{name: "rate-limit"},
				{name: "session-timeout", kind: kTime},
				{name: "idle-timeout", kind: kTimeNone, def: "none"},
				{name: "keepalive-timeout", kind: kTimeNone, def: "2m"},
				{name: "status-autorefresh", kind: kTimeNone, def: "1m"},
				{name: "add-mac-cookie", kind: kBool, def: "true"},
				{name: "mac-cookie-timeout", kind: kTime, def: "3d"},
				{name: "address-list"}, {name: "incoming-filter"}, {name: "outgoing-filter"},
				{name: "incoming-packet-mark"}, {name: "outgoing-packet-mark"},
				{name: "open-status-page", kind: kEnum, def: "always", values: []string{"always", "http-login"}},
				{name: "on-login"}, {name: "on-logout"},
				{name: "parent-queue"}, {name: "queue-type"}, {name: "insert-queue-before"},
				{name: "transparent-proxy", kind: kBool, def: "false"},
				{name: "advertise", kind: kBool, def: "false"},
				{name: "advertise-url"}, {name: "advertise-interval"}, {name: "advertise-timeout"},
				ro("default", "false"),
			}},
		// /ip/hotspot/walled-garden (HTTP level). Sources: wiki
		// Manual:IP/Hotspot/Walled_Garden (writable list; read-only
		// dst-address and hits), v3 manual ("dst-address (read-only) ...
		// installed by IP-level walled garden"), tf
		// resource_ip_hotspot_walled_garden.go (comment, disabled,
		// read-only dynamic). No dynamic rows in the fake.
		{path: menuWalled, cmds: tableCmds, ordered: true,
			fields: []field{
				{name: "action", kind: kEnum, def: "allow", values: []string{"allow", "deny"}},
				{name: "server", kind: kRef, ref: menuServer},
				{name: "src-address"}, {name: "method"},
				{name: "dst-host"}, {name: "dst-port"}, {name: "path"},
				ro("dst-address", ""), counter("hits", "0"), ro("dynamic", "false"), disabled(), comment(),
			}},
		// /ip/hotspot/walled-garden/ip. Sources: wiki
		// Manual:IP/Hotspot/Walled_Garden#IP_Walled_Garden (dst-host adds
		// a dynamic entry), v3 manual (action accept|drop|reject, default
		// accept), tf resource_ip_hotspot_walled_garden_ip.go (comment,
		// disabled, address lists, read-only invalid). Read-only dynamic:
		// wiki/v3 manual (the D flag). See dynamic.go.
		{path: menuWalledIP, cmds: tableCmds, ordered: true,
			fields: []field{
				{name: "action", kind: kEnum, def: "accept", values: []string{"accept", "drop", "reject"}},
				{name: "server", kind: kRef, ref: menuServer},
				{name: "src-address"}, {name: "src-address-list"},
				{name: "dst-address"}, {name: "dst-address-list"},
				{name: "dst-host"}, {name: "protocol"}, {name: "dst-port"},
				ro("invalid", "false"), ro("dynamic", "false"), disabled(), comment(),
			}},
		// /ip/hotspot/ip-binding. Sources: manual "IP Binding"; tf
		// resource_ip_hotspot_ip_binding.go and its v7 print (comment,
		// disabled, server, type regular|bypassed|blocked).
		{path: menuBinding, cmds: tableCmds, ordered: true,
			fields: []field{
				{name: "mac-address", kind: kMAC}, {name: "address"}, {name: "to-address"},
				{name: "server", kind: kRef, ref: menuServer, values: []string{"all"}, unsetAs: "all"},
				{name: "type", kind: kEnum, values: []string{"regular", "bypassed", "blocked"}},
				disabled(), comment(),
			}},
		// /ip/hotspot/active: read-only. Source: wiki/v3 manual "Active
		// Users" (docs/routeros.md §2, §6). No comment (no source).
		{path: menuActive, cmds: []string{"print", "remove", "login"},
			fields: []field{
				ro("server", ""), ro("user", ""), ro("domain", ""), ro("address", ""),
				ro("mac-address", ""), ro("login-by", ""), counter("uptime", "0s"),
				counter("idle-time", "0s"), counter("session-time-left", ""),
				counter("idle-timeout", ""), counter("keepalive-timeout", ""),
				counter("limit-bytes-in", ""), counter("limit-bytes-out", ""),
				counter("limit-bytes-total", ""),
				counter("bytes-in", "0"), counter("bytes-out", "0"),
				counter("packets-in", "0"), counter("packets-out", "0"),
				ro("radius", "false"), ro("blocked", "false"),
			}},
		// /ip/hotspot/host: read-only. Source: wiki/v3 manual "Active
		// Host List" (address, to-address ...); comment: guess (v6
		// console list, not checked against v7).
		{path: menuHost, cmds: readRemove,
			fields: []field{
				ro("mac-address", ""), ro("address", ""), ro("to-address", ""), ro("server", ""),
				ro("authorized", "false"), ro("bypassed", "false"), ro("found-by", ""),
				counter("idle-time", "0s"), counter("idle-timeout", ""),
				counter("keepalive-timeout", ""), counter("host-dead-time", "0s"),
				counter("bytes-in", "0"), counter("bytes-out", "0"),
				counter("packets-in", "0"), counter("packets-out", "0"),
				ro("dynamic", "true"), ro("comment", ""),
			}},
		// /ip/hotspot/cookie: read-only, print and remove. Source: v2.9
		// and v3 manuals "HotSpot Cookies" (user, domain, mac-address,
		// expires-in, all read-only).
		{path: menuCookie, cmds: readRemove,
			fields: []field{
				ro("user", ""), ro("domain", ""), ro("mac-address", ""), counter("expires-in", ""),
			}},
		// /system/identity: name (manual "Identity").
		{path: menuIdentity, cmds: []string{"print", "set"}, singleton: true,
			fields: []field{{name: "name"}}},
		// /system/resource: read-only. Source: tf
		// datasource_system_resource.go; values are the fake's own.
		{path: menuResource, cmds: []string{"print"}, singleton: true,
			fields: []field{
				counter("uptime", ""), ro("version", ""), ro("build-time", ""),
				ro("factory-software", ""), counter("free-memory", ""), counter("total-memory", ""),
				ro("cpu", ""), counter("cpu-count", ""), counter("cpu-frequency", ""),
				counter("cpu-load", ""), counter("free-hdd-space", ""),
				counter("total-hdd-space", ""), ro("architecture-name", ""),
				ro("board-name", ""), ro("platform", ""),
			}},
		// /file: print and remove (the fake has no add, set or
		// contents edit). Sources: manual "Files"
		// (help.mikrotik.com/docs/display/ROS/Files: name, type
		// (".json file", "directory", "package"), size, last-modified,
		// contents readable up to 60 KB); the wiki's Manual:Tools/Fetch
		// example print (NAME TYPE SIZE CREATION-TIME, ".pdf file").
		// The fake prints creation-time and last-modified both, with the
		// same value (guess; see files.go).
		{path: menuFile, cmds: readRemove, byName: true,
			fields: []field{
				ro("name", ""), ro("type", ""), counter("size", ""), ro("contents", ""),
				ro("creation-time", ""), ro("last-modified", ""),
			}},
		// /tool: only the fetch command (files.go). Source: manual
		// "Fetch" (help.mikrotik.com/docs/display/ROS/Fetch).
		{path: menuTool, cmds: []string{"fetch"}, singleton: true},
	}
}

// Properties returns the sorted property names the fake accepts on add and
// set of menu (writable) and those it only prints (readOnly); ok is false
// for a menu the fake does not serve. Another package's tests can check the
// words they send against it. Any other word traps "unknown parameter".
func Properties(menu string) (writable, readOnly []string, ok bool) {
	for _, m := range menus() {
		if m.path != menu {
			continue
		}
		for _, f := range m.fields {
			if f.kind == kReadOnly || f.kind == kReadOnlyNum {
				readOnly = append(readOnly, f.name)
			} else {
				writable = append(writable, f.name)
			}
		}
		slices.Sort(writable)
		slices.Sort(readOnly)
		return writable, readOnly, true
	}
	return nil, nil, false
}

// sameUserName: hotspot user names are unique per server; a missing server
// means "all", which only clashes with another "all" user (docs/routeros.md
// §10: the all-vs-specific case is a guess).
func sameUserName(a, b map[string]string) *Trap {
	if a["name"] == b["name"] && a["server"] == b["server"] {
		return &Trap{Message: "failure: already have user with this name for this server"}
	}
	return nil
}

// builtinRows are the rows a fresh router has after /ip hotspot setup.
func builtinRows(identity string) map[string][]map[string]string {
	return map[string][]map[string]string{
		menuServerProf: {
			{"name": "default", "default": "true"},
			{"name": "hsprof1", "hotspot-address": "10.5.50.1", "login-by": "cookie,http-chap,http-pap"},
		},
		menuServer: {
			{"name": "hotspot1", "interface": "bridge", "address-pool": "hs-pool-1", "profile": "hsprof1"},
		},
		menuProfile: {
			{"name": "default", "default": "true"},
		},
		menuIdentity: {
			{"name": identity},
		},
		menuFile: builtinFiles(),
	}
}
