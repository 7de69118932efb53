package routerostest

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Direct access to the router's tables for tests: seeding state the API
// cannot create (hosts, active sessions, foreign users) and checking results
// without going through a client. Menus are API paths such as
// "/ip/hotspot/user". Unknown menus and properties panic, to catch typos.

// Menus lists the menu paths the fake implements, sorted.
func (r *Router) Menus() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Sorted(maps.Keys(r.tables))
}

// Rows returns copies of the rows of menu as a print would show them:
// ".id" (except for singletons like /system/identity), every property that
// has a value, and the defaults RouterOS prints; unset properties are absent.
func (r *Router) Rows(menu string) []map[string]string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.views(r.table(menu))
}

// Row returns the row with the given id (or, where RouterOS allows it,
// name) like Rows does, or nil.
func (r *Router) Row(menu, id string) map[string]string {
	r.mu.Lock()
	defer r.mu.Unlock()
	t := r.table(menu)
	if i := t.lookup(id); i >= 0 {
		return t.view(t.rows[i])
	}
	return nil
}

// AddRow stores a row as the router itself would (a dynamic host, an active
// session, a user added by someone else) and returns its id. Values are
// stored as given, without the API's checks, so read-only properties can
// be seeded; an empty value leaves the property unset.
func (r *Router) AddRow(menu string, row map[string]string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	t := r.table(menu)
	if t.m.singleton {
		panic("routerostest: AddRow on singleton menu " + menu + "; use SetRow")
	}
	id := t.insert(r.checked(t, row), -1)
	if row["dynamic"] != "true" {
		r.refreshDynamic(t, id) // a static walled-garden/ip row resolves dst-host
	}
	return id
}

// SetRow changes properties of an existing row (id or, where allowed, name;
// ignored for singletons) without the API's checks; an empty value unsets
// the property. It reports whether the row exists. Use it to simulate
// traffic, expiry or a device appearing.
func (r *Router) SetRow(menu, id string, values map[string]string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	t := r.table(menu)
	i := 0
	if len(t.rows) == 0 {
		return false // /system/resource is computed
	}
	if !t.m.singleton {
		if i = t.lookup(id); i < 0 {
			return false
		}
	}
	t.stale()
	before := snapshot(t, []int{i})
	for k, v := range r.checked(t, values) {
		t.rows[i][k] = v
	}
	for k, v := range values {
		if v == "" {
			delete(t.rows[i], k)
		}
	}
	if t.rows[i][parentKey] == "" {
		r.refreshChanged(t, before)
	}
	return true
}

// RemoveRow deletes a row as the router itself would (a session timing out)
// and reports whether it existed. Removing an active session clears its
// host's authorized flag.
func (r *Router) RemoveRow(menu, id string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	t := r.table(menu)
	i := t.lookup(id)
	if i < 0 || t.m.singleton {
		return false
	}
	gone := t.rows[i]
	t.stale()
	t.rows = slices.Delete(t.rows, i, i+1)
	if menu == menuActive {
		r.loggedOut([]map[string]string{gone})
	}
	r.refreshDynamic(t, gone[".id"]) // its dynamic rows go too
	return true
}

func (r *Router) table(menu string) *table {
	t := r.tables[menu]
	if t == nil {
		panic(fmt.Sprintf("routerostest: unknown menu %q (known: %s)",
			menu, strings.Join(slices.Sorted(maps.Keys(r.tables)), " ")))
	}
	return t
}

// checked drops empty values and panics on properties the menu lacks.
func (r *Router) checked(t *table, row map[string]string) map[string]string {
	out := make(map[string]string, len(row))
	for k, v := range row {
		if t.fields[k] == nil {
			panic(fmt.Sprintf("routerostest: menu %s has no property %q", t.m.path, k))
		}
		if v != "" {
			out[k] = v
		}
	}
	return out
}
