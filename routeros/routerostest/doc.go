// Package routerostest is a protocol-level fake MikroTik router for the tests
// of package routeros (and for the demo mode). It listens on TCP, speaks the
// RouterOS API wire protocol and keeps real tables for the hotspot menus, so
// the real go-routeros client code runs against it unchanged.
//
// Although it is a test package, `gatehouse demo` links it into the binary
// on purpose: the demo must show the whole product (pushes, redemptions,
// guests online) on a machine with no MikroTik, and this fake is the only
// router gatehouse knows that is honest about what it imitates. It opens
// nothing but a loopback listener and costs the binary little.
//
// The fake is strict: it answers from evidence, not from what the client
// happens to send. What it mimics is written down, with sources, in
// docs/routeros.md; section numbers below refer to that file. Each menu's
// property list in menus.go names its source (MikroTik manual or wiki
// pages, or the terraform-routeros provider's schemas, which are tested
// against RouterOS 7), and Properties returns the lists, so another
// package's tests can check the words they send.
//
//	r := routerostest.New(t, routerostest.Options{User: "api", Password: "secret"})
//	c, err := routeros.Dial(r.Addr(), "api", "secret")
//	...
//	r.AddRow("/ip/hotspot/host", map[string]string{"address": "10.5.50.7", "mac-address": "AA:BB:CC:00:00:07"})
//	r.SetLatency(50 * time.Millisecond)
//	r.SetServiceTime(3 * time.Millisecond)
//	r.FailWhen(routerostest.FailEvery("/ip/hotspot/user/add", 3, routerostest.Trap{Message: "failure: x"}))
//
// # Faithful (sourced)
//
//   - Wire format: all five word-length forms, sentences ended by an empty
//     word, control bytes (0xF8 and up) end the connection. Empty sentences
//     are ignored (§1).
//   - Replies: !re, !done with =ret= (new id after add, count after
//     =count-only=), !trap with =message= (and =category= where known)
//     always followed by !done, !empty before !done for prints without rows
//     when Options.Version is 7.18 or later. An unknown menu gets two traps,
//     "no such command or directory (<word>)" with category 0 and "no such
//     command prefix" (§1, §4).
//   - .tag: every reply sentence of a tagged command carries it; commands may
//     be pipelined and are answered in the order received (§1).
//   - /login =name= =password= (post-6.43 only; §1). /quit sends "!fatal"
//     and the bare word "session terminated on request" (§1).
//   - print: =.proplist=, =count-only=, and queries ?name, ?-name, ?name=x,
//     ?=name=x, ?<name=x, ?>name=x and ?# stack operations (§1). Unset
//     properties are absent from !re (server=all, empty comment, limit-*
//     never set); RouterOS' printed defaults (profile=default,
//     disabled=false, uptime=0s ...) are present (§2).
//   - Ids are "*" + upper-case hex; .id also takes comma lists (*1,*2),
//     =numbers= works instead of .id, and names address rows in menus with a
//     name (§1).
//   - Property lists per menu (§2): a word that is not in the menu's
//     documented list, or is read-only there, traps "unknown parameter" on
//     add and set. /ip/hotspot/user/profile has no comment; nor, in the
//     fake, do /ip/hotspot and /ip/hotspot/profile (no source lists one).
//     The HTTP walled garden's dst-address is read-only.
//   - Trap texts (§4): per-server duplicate hotspot user, "no such item
//     (4)", "unknown parameter", "no such command", "invalid time value for
//     argument X", and unique-prefix resolution of references and enums
//     (profile=, server=, action=, booleans) with "ambiguous value of X, more
//     than one possible value matches input" and "input does not match any
//     value of X" (§3). Times are printed normalised (1h30m, 1w2d, 0s).
//   - /ip/hotspot/walled-garden/ip rows with dst-host get dynamic rows
//     (dynamic=true, dst-address=<resolved address>) right after them (§5;
//     details and guesses in dynamic.go).
//   - /ip/hotspot/cookie: read-only user, domain, mac-address, expires-in;
//     print and remove only (§6).
//   - /ip/hotspot/host rows may carry address (the device's own) and
//     to-address (given by the hotspot's address pool) (§6).
//   - /file: name, type (".html file", "directory"), size, contents (up to
//     60 KB); print and remove. /tool/fetch url= mode=http dst-path=
//     downloads into /file (§11; files.go names the manual pages).
//
// # Guessed (no source)
//
// Every behaviour below has no source; docs/routeros.md §10 lists them too.
//
//   - Duplicate names in user profiles, servers and server profiles trap with
//     "failure: already have such name". A user with server=all only clashes
//     with another server=all user of that name.
//   - add without a name, set/remove without .id, active/login without user
//     or ip: "missing value(s) of argument(s) <name>". Removing a default
//     profile: "failure: default profile can not be removed".
//   - Malformed numbers, MACs and addresses: "invalid value for argument X".
//   - Commands before login: "not logged in" (no !fatal, no limit on their
//     number). A failed /login leaves the connection open.
//   - Query values are normalised like stored values (?disabled=no matches
//     false, ?limit-uptime=60m matches 1h); a missing property equals the
//     empty string (?comment= matches rows without a comment) and fails
//     every ?< and ?> test.
//   - Property lists: the read-only default of server profiles and comment
//     of hosts; the printed defaults of properties the sources do not give.
//   - /ip/hotspot/active/login: every trap text (see hotspot.go), login-by
//     =http-pap, =ip= matching a host's address or its to-address, and the
//     session recording the host's own address. Removing a user does not
//     end its sessions. Counters (uptime, bytes) never move by themselves;
//     tests change them with SetRow.
//   - Dynamic walled-garden/ip rows: that they copy comment (not documented;
//     the fake models the stricter case), and protocol, dst-port, server and
//     src-address; one row per address; the default resolution to one
//     hash-derived address in 198.18.0.0/15 (no traffic is ever sent; see
//     SetResolver); a disabled static row has none; set, enable, disable or
//     unset of the static row re-creates them when dst-host, disabled or a
//     copied property changes; a static row added with place-before a
//     dynamic row lands after that dynamic row's group; the traps
//     "failure: can not change dynamic" (set, enable, disable, unset; the
//     wording is seen for other menus' dynamic rows, not for this one) and
//     "failure: can not remove dynamic" (remove).
//   - Renaming a profile or server renames the references to it; removing
//     one leaves references dangling.
//   - Router speed (§7): the service time model of SetServiceTime (which
//     commands count, strict one-at-a-time service, tables changing as soon
//     as a command is read).
//   - /cancel answers !done (no command is ever still running); listen,
//     follow, interval, get, find, export, move and the legacy challenge login
//     are not implemented ("no such command" / "unknown parameter").
//   - Ids increase per menu and are never reused.
//   - /tool/fetch (§11): the reply (one !re status=finished downloaded=
//     total= duration=, then !done), the trap texts of failed downloads
//     ("failure: closing connection: <404 Not Found> host:port (4)"), a
//     download replacing a file of the same name in place, dst-path
//     defaulting to the URL's last path segment. The fake fetches only
//     http:// URLs of loopback addresses and traps anything else; of
//     fetch's documented arguments it takes url, mode, dst-path,
//     keep-result, output, http-method=get and check-certificate.
//   - /file: creation-time and last-modified both printed as the download
//     time; no add or set; a fresh router's hotspot/login.html holds the
//     fake's placeholder, not RouterOS' real page.
//   - No permissions, no API-SSL, no max-sessions limit; only the menus in
//     Menus exist.
//
// # Test knobs
//
// SetLatency, SetServiceTime, SetResolver, DropAfter, FailWhen (and
// FailEvery), RefuseLogins, Stop and Start, Commands, MaxConns and Conns;
// AddRow, SetRow, RemoveRow, Rows and Row for seeding and checking tables;
// Properties for the property lists. See their docs. They are safe to use
// while clients are connected. The fake's behaviour against go-routeros
// v3.0.1 is covered in §8; connecting a real router in §9.
package routerostest
