package routerostest

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// Hotspot behaviour beyond plain tables: /ip/hotspot/active/login and the
// host's authorized flag, and the computed /system/resource row.
//
// RouterOS' traps for a failed active/login are not known (docs/routeros.md
// §6, §10); the fake uses the hotspot login page's error texts where one
// fits:
//
//	unknown user, wrong password,
//	disabled user, other server:  invalid username or password
//	MAC lock (user mac-address):  invalid username (<user>): this MAC address is not yours
//	shared-users reached:         no more sessions are allowed for user
//	limit-uptime used up:         uptime limit reached
//	limit-bytes-* used up:        traffic limit reached
//	no host with address or
//	to-address ip:                no such host (<ip>)
//	host already logged in:       already authorized
//	missing user or ip:           missing value(s) of argument(s) user|ip

// loginBy is what the fake records as login-by for API logins.
const loginBy = "http-pap"

func (r *Router) activeLogin(req *request) *response {
	for k := range req.attrs {
		switch k {
		case "user", "password", "ip", "mac-address", "domain":
		default:
			return trapMsg(msgUnknownParam)
		}
	}
	name, ok := req.attrs["user"]
	if !ok {
		return missingArg("user")
	}
	ip, ok := req.attrs["ip"]
	if !ok {
		return missingArg("ip")
	}
	hosts, users := r.tables[menuHost], r.tables[menuUser]
	// Behind address translation (server address-pool) a host has its own
	// address and the to-address the hotspot gave it (docs/routeros.md §6).
	// Which one =ip= must name is not documented: the fake accepts either
	// (guess), the device's own address first.
	host := findRow(hosts, "address", ip)
	if host == nil {
		host = findRow(hosts, "to-address", ip)
	}
	if host == nil {
		return trapMsg("no such host (" + ip + ")")
	}
	// The session records the host's own address, whichever was given
	// (guess; the manual does not say which address active shows).
	ip = host["address"]
	if findRow(r.tables[menuActive], "address", ip) != nil {
		return trapMsg("already authorized")
	}
	server := host["server"]
	if names := r.tables[menuServer].names(); server == "" && len(names) > 0 {
		server = names[0]
	}
	var user map[string]string
	for _, u := range users.rows {
		if u["name"] == name && (u["server"] == "" || u["server"] == server) {
			user = u
			break
		}
	}
	badLogin := trapMsg("invalid username or password")
	if user == nil || user["password"] != req.attrs["password"] || user["disabled"] == "true" {
		return badLogin
	}
	mac := host["mac-address"]
	if raw := req.attrs["mac-address"]; raw != "" {
		m, ok := normalizeMAC(raw)
		if !ok {
			return trapped(invalidValue("mac-address"))
		}
		mac = m
	}
	if lock := user["mac-address"]; lock != "" && lock != "00:00:00:00:00:00" && lock != mac {
		return trapMsg("invalid username (" + name + "): this MAC address is not yours")
	}
	profile := users.view(user)["profile"]
	prof := findRow(r.tables[menuProfile], "name", profile)
	pv := map[string]string{}
	if prof != nil {
		pv = r.tables[menuProfile].view(prof)
	}
	if shared, err := strconv.Atoi(pv["shared-users"]); err == nil {
		n := 0
		for _, a := range r.tables[menuActive].rows {
			if a["user"] == name {
				n++
			}
		}
		if n >= shared {
			return trapMsg("no more sessions are allowed for user")
		}
	}
	used, _ := parseDuration(users.view(user)["uptime"])
	left := time.Duration(-1)
	if lim, ok := parseDuration(user["limit-uptime"]); ok && lim > 0 {
		if used >= lim {
			return trapMsg("uptime limit reached")
		}
		left = lim - used
	}
	if exhausted(user) {
		return trapMsg("traffic limit reached")
	}
	if st, ok := parseDuration(pv["session-timeout"]); ok && st > 0 && (left < 0 || st < left) {
		left = st
	}

	row := map[string]string{
		"server": server, "user": name, "address": ip, "login-by": loginBy,
	}
	if mac != "" {
		row["mac-address"] = mac
	}
	if d := req.attrs["domain"]; d != "" {
		row["domain"] = d
	}
	if left >= 0 {
		row["session-time-left"] = formatDuration(left)
	}
	if v := pv["idle-timeout"]; v != "" && v != "none" {
		row["idle-timeout"] = v
	}
	if v := pv["keepalive-timeout"]; v != "" && v != "none" {
		row["keepalive-timeout"] = v
	}
	// A user's byte limits are totals over all its sessions: a session's
	// limit is what is left (v2.9 manual, HotSpot Users, notes).
	moved := map[string]uint64{"limit-bytes-in": num(user, "bytes-in"), "limit-bytes-out": num(user, "bytes-out"),
		"limit-bytes-total": num(user, "bytes-in") + num(user, "bytes-out")}
	for _, k := range []string{"limit-bytes-in", "limit-bytes-out", "limit-bytes-total"} {
		if lim := num(user, k); lim > 0 {
			row[k] = strconv.FormatUint(lim-min(lim, moved[k]), 10)
		}
	}
	r.tables[menuActive].insert(row, -1)
	host["authorized"] = "true"
	return doneWith("")
}

// num reads a counter or limit of a row; absent is 0.
func num(row map[string]string, k string) uint64 {
	n, _ := strconv.ParseUint(row[k], 10, 64)
	return n
}

// exhausted reports whether a user or a session has used up a byte limit.
func exhausted(row map[string]string) bool {
	in, out := num(row, "bytes-in"), num(row, "bytes-out")
	over := func(limit, used uint64) bool { return limit > 0 && used >= limit }
	return over(num(row, "limit-bytes-in"), in) || over(num(row, "limit-bytes-out"), out) ||
		over(num(row, "limit-bytes-total"), in+out)
}

// loggedOut ends sessions: their hosts lose the authorized flag, and each
// session's counters are added to its user's, which RouterOS updates when
// a session ends (v2.9/v3 manuals, HotSpot Users: "statistics is updated
// ... each time" the user logs out; only the start of that sentence is in
// our copy, so the moment is partly a guess, docs/routeros.md §10).
func (r *Router) loggedOut(sessions []map[string]string) {
	for _, s := range sessions {
		if h := findRow(r.tables[menuHost], "address", s["address"]); h != nil {
			delete(h, "authorized")
		}
		u := findRow(r.tables[menuUser], "name", s["user"])
		if u == nil {
			continue
		}
		for _, k := range []string{"bytes-in", "bytes-out", "packets-in", "packets-out"} {
			u[k] = strconv.FormatUint(num(u, k)+num(s, k), 10)
		}
		was, _ := parseDuration(u["uptime"])
		ran, _ := parseDuration(s["uptime"])
		u["uptime"] = formatDuration(was + ran)
	}
}

// Traffic makes the device with address ip move data in its hotspot
// session: in bytes from the device, out bytes to it, as a test's guest
// browsing would. A session that reaches one of its byte limits is logged
// out, as RouterOS does ("User is disconnected from HotSpot after the
// limit is reached": wiki Manual:IP/Hotspot/User), and its counters go to
// its user. It reports whether the session ended; false too when ip has
// no session.
func (r *Router) Traffic(ip string, in, out uint64) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	t := r.tables[menuActive]
	s := findRow(t, "address", ip)
	if s == nil {
		return false
	}
	s["bytes-in"] = strconv.FormatUint(num(s, "bytes-in")+in, 10)
	s["bytes-out"] = strconv.FormatUint(num(s, "bytes-out")+out, 10)
	if !exhausted(s) {
		return false
	}
	t.stale()
	t.rows = slices.DeleteFunc(t.rows, func(row map[string]string) bool { return row[".id"] == s[".id"] })
	r.loggedOut([]map[string]string{s})
	return true
}

// findRow returns the first row whose key has value v (not a copy).
func findRow(t *table, key, v string) map[string]string {
	for _, row := range t.rows {
		if row[key] == v {
			return row
		}
	}
	return nil
}

// resource is the /system/resource row.
func (r *Router) resource() map[string]string {
	arch := "x86_64"
	if strings.HasPrefix(r.opts.Version, "6.") {
		arch = "x86"
	}
	return map[string]string{
		"uptime":            formatDuration(time.Since(r.started).Truncate(time.Second)),
		"version":           r.opts.Version,
		"build-time":        "2024-12-04 12:00:00",
		"factory-software":  "7.1",
		"free-memory":       "215851008",
		"total-memory":      "268435456",
		"cpu":               "QEMU",
		"cpu-count":         "1",
		"cpu-frequency":     "2400",
		"cpu-load":          "0",
		"free-hdd-space":    "75251712",
		"total-hdd-space":   "92565504",
		"architecture-name": arch,
		"board-name":        "CHR",
		"platform":          "MikroTik",
	}
}
