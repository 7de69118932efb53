package routeros

import (
	"context"
	"fmt"
	"hash/fnv"
	"slices"

	"gatehouse/app"
)

// Drift and dry runs (docs/routeros.md §12). After a pass that the router
// took whole, the Router remembers what it wanted of each item: a hash of
// the item's key and one of its values, some 16 bytes an item, so a site
// of 50,000 codes costs about a megabyte. At the next pass an item that
// differs from the router, or is missing there, although gatehouse wanted
// the same then, was changed or removed by someone else: drift. The first
// pass after gatehouse starts knows of no earlier one and counts none.

// memory is one table's wanted items after a clean pass.
type memory map[uint64]uint64

// keyHash and valuesHash are FNV-1a over an item's key and over its
// values (each followed by a zero byte).
func keyHash(key string) uint64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(key))
	return h.Sum64()
}

func valuesHash(values []string) uint64 {
	h := fnv.New64a()
	for _, v := range values {
		_, _ = h.Write([]byte(v))
		_, _ = h.Write([]byte{0})
	}
	return h.Sum64()
}

// remember returns what the table wants, as a memory.
func (t *table) remember() memory {
	m := make(memory, len(t.keys))
	for i, key := range t.keys {
		m[keyHash(key)] = valuesHash(t.values(i))
	}
	return m
}

// label names item i for a person: its name, host or address, else its
// key.
func (t *table) label(i int) string {
	for _, attr := range []string{"name", "dst-host", "dst-address"} {
		if j := slices.Index(t.names, attr); j >= 0 && t.values(i)[j] != "" {
			return t.values(i)[j]
		}
	}
	return t.keys[i]
}

// comment is item i's gatehouse comment ("" for profiles, owned by name).
func (t *table) comment(i int) string {
	if t.keyAttr == "comment" {
		return t.keys[i]
	}
	return ""
}

// rowLabel names a router row for a person, as label does.
func rowLabel(row map[string]string, key string) string {
	for _, attr := range []string{"name", "dst-host", "dst-address"} {
		if row[attr] != "" {
			return row[attr]
		}
	}
	return key
}

// shown is an attribute's value as a dry run shows it: passwords never.
func shown(attr, v string) string {
	if attr == "password" && v != "" {
		return "(hidden)"
	}
	return v
}

// DryRun returns the changes Reconcile would make to the router for want,
// in words, and changes nothing.
func (r *Router) DryRun(ctx context.Context, want app.RouterState) ([]app.SyncChange, error) {
	p, err := r.read(ctx, want, true)
	if err != nil {
		return nil, err
	}
	out := []app.SyncChange{}
	for _, d := range p.diffs {
		out = append(out, d.changes...)
	}
	return out, nil
}

// forget drops the memory of the last clean pass (a pass refused in part
// leaves the router in a state gatehouse did not choose).
func (r *Router) forget() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.pushed = nil
}

// memorize keeps what the tables want as the last clean pass's.
func (r *Router) memorize(tables []*table) {
	m := make(map[string]memory, len(tables))
	for _, t := range tables {
		m[t.menu] = t.remember()
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.pushed = m
}

// memoryOf returns the last clean pass's memory of a menu; nil when none.
func (r *Router) memoryOf(menu string) memory {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.pushed[menu]
}

// errRead wraps a failed read of a menu.
func errRead(menu, host string, err error) error {
	return fmt.Errorf("read %s of %s: %w", menu, host, err)
}
