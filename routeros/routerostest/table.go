package routerostest

import (
	"maps"
	"slices"
	"strconv"
	"strings"
)

// table holds the rows of one menu. A row stores only the values that were
// set; printing adds the schema defaults (see view). Rows keep their
// insertion order (place-before can change it) and ids are never reused.
type table struct {
	m      *menu
	fields map[string]*field
	rows   []map[string]string
	nextID uint64
	// byName indexes rows by their name property, for the duplicate
	// checks of add (so pushing 50,000 users is not quadratic); nil when
	// stale. Appends keep it; anything else that moves, removes or renames
	// rows must call stale.
	byName map[string][]int
}

// stale drops the name index; the next clash check rebuilds it.
func (t *table) stale() { t.byName = nil }

func newTable(m *menu) *table {
	t := &table{m: m, fields: make(map[string]*field, len(m.fields)), nextID: 1}
	for i := range m.fields {
		t.fields[m.fields[i].name] = &m.fields[i]
	}
	return t
}

// formatID renders a RouterOS internal id: "*" and upper-case hex.
func formatID(n uint64) string {
	return "*" + strings.ToUpper(strconv.FormatUint(n, 16))
}

// parseID reverses formatID.
func parseID(s string) (uint64, bool) {
	if len(s) < 2 || s[0] != '*' {
		return 0, false
	}
	n, err := strconv.ParseUint(s[1:], 16, 64)
	return n, err == nil
}

// insert stores a copy of values as a new row before index at (or at the
// end when at < 0) and returns its id.
func (t *table) insert(values map[string]string, at int) string {
	row := maps.Clone(values)
	if row == nil {
		row = map[string]string{}
	}
	id := ""
	if !t.m.singleton {
		id = formatID(t.nextID)
		t.nextID++
		row[".id"] = id
	}
	if at < 0 || at > len(t.rows) {
		t.rows = append(t.rows, row)
		if t.byName != nil {
			t.byName[row["name"]] = append(t.byName[row["name"]], len(t.rows)-1)
		}
	} else {
		t.rows = slices.Insert(t.rows, at, row)
		t.stale()
	}
	return id
}

// index returns the position of the row with the given id, or -1.
func (t *table) index(id string) int {
	for i, r := range t.rows {
		if r[".id"] == id {
			return i
		}
	}
	return -1
}

// lookup resolves one item reference: an internal id, or (where the menu
// allows it) a name. The first row with that name wins.
func (t *table) lookup(ref string) int {
	if i := t.index(ref); i >= 0 {
		return i
	}
	if t.m.byName && ref != "" {
		for i, r := range t.rows {
			if r["name"] == ref {
				return i
			}
		}
	}
	return -1
}

// resolve turns a comma-separated list of references into row indexes,
// or reports false if any of them is unknown.
func (t *table) resolve(list string) ([]int, bool) {
	var idx []int
	for ref := range strings.SplitSeq(list, ",") {
		i := t.lookup(strings.TrimSpace(ref))
		if i < 0 {
			return nil, false
		}
		if !slices.Contains(idx, i) {
			idx = append(idx, i)
		}
	}
	return idx, len(idx) > 0
}

// view returns the row as printed: .id first, then every property that has a
// value or a non-empty default.
func (t *table) view(row map[string]string) map[string]string {
	v := make(map[string]string, len(t.m.fields)+1)
	if id, ok := row[".id"]; ok {
		v[".id"] = id
	}
	for _, f := range t.m.fields {
		if val, ok := row[f.name]; ok {
			v[f.name] = val
		} else if f.def != "" {
			v[f.name] = f.def
		}
	}
	return v
}

// words renders a view as =key=value words in schema order, keeping only
// the keys in keep when keep is not nil.
func (t *table) words(v map[string]string, keep map[string]bool) []string {
	out := make([]string, 0, len(v))
	add := func(k string) {
		if val, ok := v[k]; ok && (keep == nil || keep[k]) {
			out = append(out, "="+k+"="+val)
		}
	}
	add(".id")
	for _, f := range t.m.fields {
		add(f.name)
	}
	return out
}

// names lists the name property of every row, for reference resolution.
func (t *table) names() []string {
	out := make([]string, 0, len(t.rows))
	for _, r := range t.rows {
		if n, ok := r["name"]; ok {
			out = append(out, n)
		}
	}
	return out
}

// clash checks a candidate row against every other row (skip = index of the
// row being changed, or -1).
// Every unique rule of the menus requires equal names, so only the rows
// with the candidate's name are compared.
func (t *table) clash(cand map[string]string, skip int) *Trap {
	if t.m.unique == nil {
		return nil
	}
	if t.byName == nil {
		t.byName = make(map[string][]int, len(t.rows))
		for i, r := range t.rows {
			t.byName[r["name"]] = append(t.byName[r["name"]], i)
		}
	}
	for _, i := range t.byName[cand["name"]] {
		if i == skip {
			continue
		}
		if tr := t.m.unique(cand, t.rows[i]); tr != nil {
			return tr
		}
	}
	return nil
}
