package routerostest

import (
	"maps"
	"slices"
	"strconv"
	"strings"
)

// exec runs a command of a logged-in session.
func (r *Router) exec(req *request) *response {
	if req.word == "/cancel" {
		// Commands finish as soon as they are read, so there is never
		// anything left to cancel.
		return doneWith("")
	}
	menuPath, cmd := req.path()
	r.mu.Lock()
	defer r.mu.Unlock()
	t := r.tables[menuPath]
	if t == nil {
		return r.noSuchPath(req.word)
	}
	if !slices.Contains(t.m.cmds, cmd) {
		return trapMsg(msgNoSuchCmd)
	}
	if req.bad {
		return trapMsg(msgUnknownParam)
	}
	switch cmd {
	case "print":
		return r.print(t, req)
	case "add":
		return r.add(t, req)
	case "set":
		if t.m.singleton {
			return r.setSingleton(t, req)
		}
		return r.set(t, req)
	case "remove":
		return r.remove(t, req)
	case "enable", "disable":
		return r.enable(t, req, cmd == "disable")
	case "unset":
		return r.unset(t, req)
	case "reset-counters":
		return r.resetCounters(t, req)
	case "login":
		return r.activeLogin(req)
	}
	return trapMsg(msgNoSuchCmd)
}

// noSuchPath answers a command word whose menu the fake does not know. Like
// RouterOS it names the first path segment that is not a directory and
// sends two traps; a word whose directories all exist (/ip/frob) gets
// "no such command".
func (r *Router) noSuchPath(word string) *response {
	unknown := func(seg string) *response {
		return new(response).
			trap(&Trap{Message: "no such command or directory (" + seg + ")", Category: "0"}).
			trap(&Trap{Message: "no such command prefix"}).
			done("")
	}
	segs := strings.Split(strings.TrimPrefix(word, "/"), "/")
	if !strings.HasPrefix(word, "/") {
		return unknown(segs[0])
	}
	dir := ""
	for i, seg := range segs {
		dir += "/" + seg
		// The last segment is the command; it is only reported as a
		// directory when it is the only one (/quux).
		if !r.isDir(dir) && (i < len(segs)-1 || i == 0) {
			return unknown(seg)
		}
	}
	return trapMsg(msgNoSuchCmd)
}

func (r *Router) isDir(dir string) bool {
	for p := range r.tables {
		if p == dir || strings.HasPrefix(p, dir+"/") {
			return true
		}
	}
	return false
}

var printArgs = map[string]bool{
	".proplist": true, "count-only": true, "detail": true, "without-paging": true, "stats": true,
}

func (r *Router) print(t *table, req *request) *response {
	for k := range req.attrs {
		if !printArgs[k] {
			return trapMsg(msgUnknownParam)
		}
	}
	var keep map[string]bool
	if pl, ok := req.attrs[".proplist"]; ok {
		keep = make(map[string]bool)
		for k := range strings.SplitSeq(pl, ",") {
			keep[strings.TrimSpace(k)] = true
		}
	}
	_, countOnly := req.attrs["count-only"]
	resp := new(response)
	n := 0
	for _, v := range r.views(t) {
		if !t.match(req.queries, v) {
			continue
		}
		n++
		if !countOnly {
			resp.re(t.words(v, keep))
		}
	}
	if countOnly {
		return resp.done(strconv.Itoa(n))
	}
	if n == 0 && r.empty {
		resp.empty()
	}
	return resp.done("")
}

// views returns the printed rows of a table.
func (r *Router) views(t *table) []map[string]string {
	if t.m.path == menuResource {
		return []map[string]string{r.resource()}
	}
	out := make([]map[string]string, len(t.rows))
	for i, row := range t.rows {
		out[i] = t.view(row)
	}
	return out
}

// values checks the writable attributes of req, skipping those in skip. A
// nil value in the result means "unset".
func (r *Router) values(t *table, req *request, skip ...string) (map[string]*string, *response) {
	vals := make(map[string]*string)
	for _, k := range req.order {
		if slices.Contains(skip, k) {
			continue
		}
		f := t.fields[k]
		if f == nil || f.kind == kReadOnly || f.kind == kReadOnlyNum {
			return nil, trapMsg(msgUnknownParam)
		}
		v, unset, tr := r.normalize(f, req.attrs[k])
		if tr != nil {
			return nil, trapped(tr)
		}
		if unset {
			vals[k] = nil
		} else {
			vals[k] = &v
		}
	}
	return vals, nil
}

func apply(row map[string]string, vals map[string]*string) {
	for k, v := range vals {
		if v == nil {
			delete(row, k)
		} else {
			row[k] = *v
		}
	}
}

func (r *Router) add(t *table, req *request) *response {
	at := -1
	if ref, ok := req.attrs["place-before"]; ok && t.m.ordered {
		if at = t.lookup(ref); at < 0 {
			return trapMsg(msgNoSuchItem)
		}
	}
	vals, bad := r.values(t, req, "place-before")
	if bad != nil {
		return bad
	}
	row := make(map[string]string)
	apply(row, vals)
	for _, k := range t.m.required {
		if row[k] == "" {
			return missingArg(k)
		}
	}
	if tr := t.clash(row, -1); tr != nil {
		return trapped(tr)
	}
	id := t.insert(row, at)
	r.refreshDynamic(t, id)
	return doneWith(id)
}

// targets resolves =.id= (or =numbers=) to row indexes.
func targets(t *table, req *request) ([]int, *response) {
	ref, ok := req.attrs[".id"]
	if !ok {
		if ref, ok = req.attrs["numbers"]; !ok {
			return nil, missingArg("numbers")
		}
	}
	idx, found := t.resolve(ref)
	if !found {
		return nil, trapMsg(msgNoSuchItem)
	}
	return idx, nil
}

// set changes all addressed rows or none.
func (r *Router) set(t *table, req *request) *response {
	idx, bad := targets(t, req)
	if bad != nil {
		return bad
	}
	if bad := protectDynamic(t, idx, msgChangeDynamic); bad != nil {
		return bad
	}
	vals, bad := r.values(t, req, ".id", "numbers")
	if bad != nil {
		return bad
	}
	before := snapshot(t, idx)
	rows := slices.Clone(t.rows)
	for _, i := range idx {
		rows[i] = maps.Clone(rows[i])
		apply(rows[i], vals)
		for _, k := range t.m.required {
			if rows[i][k] == "" {
				return missingArg(k)
			}
		}
		for j, other := range rows {
			if j == i || t.m.unique == nil {
				continue
			}
			if tr := t.m.unique(rows[i], other); tr != nil {
				return trapped(tr)
			}
		}
	}
	for _, i := range idx {
		if old, now := t.rows[i]["name"], rows[i]["name"]; old != now {
			r.renamed(t.m.path, old, now)
		}
	}
	t.stale()
	t.rows = rows
	r.refreshChanged(t, before)
	return doneWith("")
}

// renamed follows a rename into the properties that refer to the row, as
// RouterOS stores references by id.
func (r *Router) renamed(path, old, now string) {
	for _, t := range r.tables {
		for _, f := range t.m.fields {
			if f.kind != kRef || f.ref != path {
				continue
			}
			for _, row := range t.rows {
				if row[f.name] == old {
					row[f.name] = now
				}
			}
		}
	}
}

func (r *Router) setSingleton(t *table, req *request) *response {
	vals, bad := r.values(t, req)
	if bad != nil {
		return bad
	}
	apply(t.rows[0], vals)
	return doneWith("")
}

func (r *Router) remove(t *table, req *request) *response {
	idx, bad := targets(t, req)
	if bad != nil {
		return bad
	}
	for _, i := range idx {
		if t.rows[i]["default"] == "true" {
			return trapMsg("failure: default profile can not be removed")
		}
	}
	if bad := protectDynamic(t, idx, msgRemoveDynamic); bad != nil {
		return bad
	}
	gone := make([]map[string]string, 0, len(idx))
	for _, i := range idx {
		gone = append(gone, t.rows[i])
	}
	t.stale()
	t.rows = slices.DeleteFunc(t.rows, func(row map[string]string) bool {
		return slices.ContainsFunc(gone, func(g map[string]string) bool { return g[".id"] == row[".id"] })
	})
	if t.m.path == menuActive {
		r.loggedOut(gone)
	}
	for _, g := range gone {
		r.refreshDynamic(t, g[".id"])
	}
	return doneWith("")
}

func (r *Router) enable(t *table, req *request, disable bool) *response {
	idx, bad := targets(t, req)
	if bad != nil {
		return bad
	}
	if bad := protectDynamic(t, idx, msgChangeDynamic); bad != nil {
		return bad
	}
	before := snapshot(t, idx)
	for _, i := range idx {
		t.rows[i]["disabled"] = strconv.FormatBool(disable)
	}
	r.refreshChanged(t, before)
	return doneWith("")
}

// unset removes one property (=value-name=) from the addressed rows; the
// name is resolved by prefix among the properties that can be unset.
func (r *Router) unset(t *table, req *request) *response {
	idx, bad := targets(t, req)
	if bad != nil {
		return bad
	}
	for k := range req.attrs {
		if k != ".id" && k != "numbers" && k != "value-name" {
			return trapMsg(msgUnknownParam)
		}
	}
	var names []string
	for _, f := range t.m.fields {
		if f.kind != kReadOnly && f.kind != kReadOnlyNum && !slices.Contains(t.m.required, f.name) {
			names = append(names, f.name)
		}
	}
	name, tr := resolvePrefix("value-name", req.attrs["value-name"], names)
	if tr != nil {
		return trapped(tr)
	}
	if bad := protectDynamic(t, idx, msgChangeDynamic); bad != nil {
		return bad
	}
	before := snapshot(t, idx)
	for _, i := range idx {
		delete(t.rows[i], name)
	}
	r.refreshChanged(t, before)
	return doneWith("")
}

// resetCounters zeroes a hotspot user's uptime and traffic counters.
func (r *Router) resetCounters(t *table, req *request) *response {
	idx, bad := targets(t, req)
	if bad != nil {
		return bad
	}
	for _, i := range idx {
		for _, k := range []string{"uptime", "bytes-in", "bytes-out", "packets-in", "packets-out"} {
			delete(t.rows[i], k)
		}
	}
	return doneWith("")
}
