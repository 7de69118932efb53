package routeros

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"gatehouse/app"
)

// noMAC is RouterOS' "any device" MAC address.
const noMAC = "00:00:00:00:00:00"

// table is one menu's part of a reconciliation: what gatehouse wants
// there, keyed by comment, and how to compare a wanted value with what the
// router prints.
type table struct {
	menu     string
	proplist string
	want     map[string]map[string]string // comment → attributes
	same     func(attr, want, got string) bool
}

// tables turns the desired state into per-menu attribute sets in
// RouterOS form. Profiles come first: users refer to them.
func tables(want app.RouterState) (profiles table, rest []table) {
	profiles = table{menu: menuProfile, proplist: ".id,name,session-timeout,shared-users,comment",
		want: map[string]map[string]string{}, same: sameValue}
	for _, p := range want.Profiles {
		profiles.want[p.Comment] = map[string]string{"name": p.Name,
			"session-timeout": formatDuration(p.SessionTimeout), "shared-users": strconv.Itoa(p.SharedUsers)}
	}
	users := table{menu: menuUser, proplist: ".id,name,password,profile,server,limit-uptime,mac-address,comment",
		want: map[string]map[string]string{}, same: sameValue}
	for _, u := range want.Users {
		mac := u.MACAddress
		if mac == "" {
			mac = noMAC
		}
		users.want[u.Comment] = map[string]string{"name": u.Name, "password": u.Password, "profile": u.Profile,
			"server": u.Server, "limit-uptime": formatDuration(u.LimitUptime), "mac-address": mac}
	}
	gardenIP := table{menu: menuGardenIP, proplist: ".id,dst-address,dst-host,action,comment", want: map[string]map[string]string{}, same: sameValue}
	garden := table{menu: menuGarden, proplist: ".id,dst-host,action,comment", want: map[string]map[string]string{}, same: sameValue}
	for _, g := range want.Garden {
		if g.DstAddress != "" {
			gardenIP.want[g.Comment] = map[string]string{"dst-address": g.DstAddress, "action": "accept"}
		}
		if g.DstHost != "" {
			// HTTP requests are matched by name; an IP-level rule with the
			// name (resolved by the router) lets HTTPS through too. The
			// IP level takes no wildcards.
			garden.want[g.Comment] = map[string]string{"dst-host": g.DstHost, "action": "allow"}
			if !strings.Contains(g.DstHost, "*") {
				gardenIP.want[g.Comment+"/host"] = map[string]string{"dst-host": g.DstHost, "action": "accept"}
			}
		}
	}
	return profiles, []table{users, gardenIP, garden}
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
	names   map[string]string // .id → name of removed users
}

// diff compares a table with the router's owned rows.
func (t table) diff(rows []map[string]string) plan {
	p := plan{table: t.menu, names: map[string]string{}}
	have := map[string][]map[string]string{}
	for _, row := range rows {
		if c := row["comment"]; strings.HasPrefix(c, app.CommentPrefix) {
			have[c] = append(have[c], row)
		}
	}
	comments := make([]string, 0, len(t.want))
	for c := range t.want {
		comments = append(comments, c)
	}
	sort.Strings(comments) // stable command order
	for _, c := range comments {
		attrs := t.want[c]
		rows := have[c]
		delete(have, c)
		if len(rows) == 0 {
			p.changes = append(p.changes, command(t.menu+"/add", attrs, "comment", c))
			continue
		}
		for _, extra := range rows[1:] { // a duplicate from an interrupted pass
			p.removes = append(p.removes, []string{t.menu + "/remove", "=.id=" + extra[".id"]})
			p.names[extra[".id"]] = extra["name"]
		}
		changed := map[string]string{}
		for k, v := range attrs {
			if !t.same(k, v, rows[0][k]) {
				changed[k] = v
			}
		}
		if len(changed) > 0 {
			p.changes = append(p.changes, command(t.menu+"/set", changed, ".id", rows[0][".id"]))
		}
	}
	for _, rows := range have { // owned but no longer wanted
		for _, row := range rows {
			p.removes = append(p.removes, []string{t.menu + "/remove", "=.id=" + row[".id"]})
			p.names[row[".id"]] = row["name"]
		}
	}
	sort.Slice(p.removes, func(i, j int) bool { return p.removes[i][1] < p.removes[j][1] })
	return p
}

// command builds an API command from attributes in a stable order.
func command(path string, attrs map[string]string, key, value string) []string {
	words := []string{path, "=" + key + "=" + value}
	keys := make([]string, 0, len(attrs))
	for k := range attrs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		words = append(words, "="+k+"="+attrs[k])
	}
	return words
}

// Reconcile makes the items gatehouse owns on the router equal to want,
// in phases so that every reference exists when it is used: profiles,
// then users and walled garden, then the sessions of removed users, then
// profiles no longer wanted. Items without a gatehouse comment are never
// changed. A failed command is reported in the result and retried by the
// next pass; an unreachable router returns EUnavailable. Interrupted at
// any point and run again, it converges without duplicates.
func (r *Router) Reconcile(ctx context.Context, want app.RouterState) (app.SyncResult, error) {
	var res app.SyncResult
	profiles, rest := tables(want)
	all := append([]table{profiles}, rest...)
	reads := make([][]string, len(all))
	for i, t := range all {
		reads[i] = []string{t.menu + "/print", "=.proplist=" + t.proplist}
	}
	got := r.c.RunAll(ctx, reads)
	plans := make([]plan, len(all))
	for i, t := range all {
		if got[i].Err != nil {
			return res, fmt.Errorf("read %s of %s: %w", t.menu, r.host, got[i].Err)
		}
		plans[i] = t.diff(got[i].Reply.Rows)
	}
	// Phase 1: profiles; phase 2: users and walled garden.
	if err := r.apply(ctx, &res, plans[0].changes, &res.Added); err != nil {
		return res, err
	}
	var changes, removes [][]string
	removedUsers := map[string]bool{}
	for _, p := range plans[1:] {
		changes = append(changes, p.changes...)
		removes = append(removes, p.removes...)
		if p.table == menuUser {
			for _, name := range p.names {
				removedUsers[name] = true
			}
		}
	}
	if err := r.apply(ctx, &res, changes, &res.Added); err != nil {
		return res, err
	}
	if err := r.apply(ctx, &res, removes, &res.Removed); err != nil {
		return res, err
	}
	// Phase 3: guests of removed users leave; phase 4: unused profiles go.
	if len(removedUsers) > 0 {
		if err := r.endSessions(ctx, removedUsers, ""); err != nil {
			return res, err
		}
	}
	err := r.apply(ctx, &res, plans[0].removes, &res.Removed)
	return res, err
}

// apply runs commands and counts them: adds in *count (or Updated for
// sets), removes in *count. Refused commands become result errors; an
// unreachable router ends the pass.
func (r *Router) apply(ctx context.Context, res *app.SyncResult, cmds [][]string, count *int) error {
	if len(cmds) == 0 {
		return nil
	}
	for i, x := range r.c.RunAll(ctx, cmds) {
		verb := cmds[i][0][strings.LastIndexByte(cmds[i][0], '/')+1:]
		switch {
		case x.Err == nil && verb == "set":
			res.Updated++
		case x.Err == nil:
			*count++
		case app.ErrorCode(x.Err) == app.EUnavailable:
			return fmt.Errorf("reconcile %s: %w", r.host, x.Err)
		case verb == "remove" && app.ErrorCode(x.Err) == app.ENotFound:
			// gone already: that is what was wanted
		default:
			msg, ok := TrapMessage(x.Err)
			if !ok {
				msg = x.Err.Error()
			}
			if app.ErrorCode(x.Err) == app.EConflict {
				msg = "an item that gatehouse does not own is in the way: " + msg
			}
			if len(res.Errors) < maxSyncErrors {
				res.Errors = append(res.Errors, fmt.Sprintf("%s %s: %s", cmds[i][0], itemName(cmds[i]), msg))
			}
		}
	}
	return nil
}

// itemName picks the most telling attribute of a command for messages.
func itemName(words []string) string {
	for _, key := range []string{"=name=", "=dst-address=", "=dst-host=", "=.id="} {
		for _, w := range words[1:] {
			if v, ok := strings.CutPrefix(w, key); ok {
				return v
			}
		}
	}
	return ""
}
