// Package routerostest is a protocol-level fake MikroTik router for the tests
// of package routeros (and for the demo mode). It listens on TCP, speaks the
// RouterOS API wire protocol and keeps real tables for the hotspot menus, so
// the real go-routeros client code runs against it unchanged. The facts it
// mimics are those of shared/ROUTEROS.md; section numbers below refer to it.
//
//	r := routerostest.New(t, routerostest.Options{User: "api", Password: "secret"})
//	c, err := routeros.Dial(r.Addr(), "api", "secret")
//	...
//	r.AddRow("/ip/hotspot/host", map[string]string{"address": "10.5.50.7", "mac-address": "AA:BB:CC:00:00:07"})
//	r.SetLatency(50 * time.Millisecond)
//	r.FailWhen(routerostest.FailEvery("/ip/hotspot/user/add", 3, routerostest.Trap{Message: "failure: x"}))
//
// # Faithful
//
//   - Wire format: all five word-length forms, sentences ended by an empty
//     word, control bytes (0xF8 and up) end the connection (§1.2). Empty
//     sentences are ignored.
//   - Replies: !re, !done with =ret= (new id after add, count after
//     =count-only=), !trap with =message= (and =category= where known)
//     always followed by !done, !empty before !done for prints without rows
//     when Options.Version is 7.18 or later (§1.4). An unknown menu gets
//     two traps, "no such command or directory (<word>)" with category 0 and
//     "no such command prefix" (§1.8).
//   - .tag: every reply sentence of a tagged command carries it; commands may
//     be pipelined and are answered in the order received (§1.5).
//   - /login =name= =password= (post-6.43 only; §1.7).
//   - print: =.proplist=, =count-only=, and queries ?name, ?-name, ?name=x,
//     ?=name=x, ?<name=x, ?>name=x and ?# stack operations (§1.6). Unset
//     properties are absent from !re (server=all, empty comment, limit-*
//     never set); RouterOS' printed defaults (profile=default,
//     disabled=false, uptime=0s ...) are present (§0.8, §2.4).
//   - Ids are "*" + upper-case hex, increasing per menu, never reused; .id
//     also takes comma lists (*1,*2), =numbers= works instead of .id, and
//     names address rows in menus with a name (§1.3).
//   - Trap texts of §0/§1.8: per-server duplicate hotspot user, "no such item
//     (4)", "unknown parameter", "no such command", "invalid time value for
//     argument X", and unique-prefix resolution of references and enums
//     (profile=, server=, action=, booleans) with "ambiguous value of X, more
//     than one possible value matches input" and "input does not match any
//     value of X" (§0.2). Times are printed normalised (1h30m, 1w2d, 0s).
//
// # Simplified or chosen (ROUTEROS.md is silent)
//
//   - Duplicate names in user profiles, servers and server profiles trap with
//     "failure: already have such name". A user with server=all only clashes
//     with another server=all user of that name.
//   - add without a name, set/remove without .id, active/login without user
//     or ip: "missing value(s) of argument(s) <name>" (RouterOS' text for
//     missing arguments in scripts). Removing a default profile:
//     "failure: default profile can not be removed".
//   - Malformed numbers, MACs and addresses: "invalid value for argument X".
//   - Commands before login: "not logged in" (no !fatal, no limit on their
//     number). A failed /login leaves the connection open.
//   - Query values are normalised like stored values (?disabled=no matches
//     false, ?limit-uptime=60m matches 1h); a missing property equals the
//     empty string (?comment= matches rows without a comment) and fails
//     every ?< and ?> test.
//   - /ip/hotspot/active/login: see hotspot.go for the checks and trap texts;
//     sessions record login-by=http-pap. Removing a user does not end its
//     sessions. Counters (uptime, bytes) never move by themselves; tests
//     change them with SetRow.
//   - Renaming a profile or server renames the references to it; removing
//     one leaves references dangling.
//   - /cancel answers !done (no command is ever still running); listen,
//     follow, interval, get, find, export, move and the legacy challenge login
//     are not implemented ("no such command" / "unknown parameter"). /quit
//     sends "!fatal" and the bare word "session terminated on request".
//   - No permissions, no API-SSL, no max-sessions limit; only the menus in
//     Menus exist, with the properties listed in menus.go.
//
// # Test knobs
//
// SetLatency, DropAfter, FailWhen (and FailEvery), RefuseLogins, Stop and
// Start, Commands, MaxConns and Conns; see their docs. They are safe to use
// while clients are connected.
package routerostest
