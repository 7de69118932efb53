package routerostest

import "testing"

func TestStackOps(t *testing.T) {
	for _, tc := range []struct {
		start []bool // bottom first
		ops   string
		want  []bool
	}{
		{[]bool{true, false}, "|", []bool{true}},
		{[]bool{true, false}, "&", []bool{false}},
		{[]bool{false}, "!", []bool{true}},
		{[]bool{true, false}, "1", []bool{true}},               // index at end: replace all
		{[]bool{true, false}, "1.", []bool{true, false, true}}, // index then '.': push copy
		{[]bool{true, false}, "0!", []bool{true, false, true}}, // push copy of top, negate it
		{[]bool{false}, ".", []bool{false, false}},             // '.' alone copies the top
		{nil, "!", []bool{false}},                              // below the bottom is true
		{[]bool{false, true, true}, "2&", []bool{false, true, false}},
	} {
		st := stack(append([]bool(nil), tc.start...))
		st.ops(tc.ops)
		if len(st) != len(tc.want) {
			t.Errorf("%v %q = %v, want %v", tc.start, tc.ops, st, tc.want)
			continue
		}
		for i := range st {
			if st[i] != tc.want[i] {
				t.Errorf("%v %q = %v, want %v", tc.start, tc.ops, st, tc.want)
				break
			}
		}
	}
}

func TestParseQuery(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want query
	}{
		{"name", query{op: 'h', key: "name"}},
		{"-name", query{op: 'n', key: "name"}},
		{"name=a=b", query{op: '=', key: "name", val: "a=b"}},
		{"=name=x", query{op: '=', key: "name", val: "x"}},
		{"=name", query{op: '=', key: "name"}},
		{"<name=x", query{op: '<', key: "name", val: "x"}},
		{">comment=", query{op: '>', key: "comment"}},
		{"#01|!", query{op: '#', val: "01|!"}},
	} {
		if got := parseQuery(tc.in); got != tc.want {
			t.Errorf("parseQuery(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
}

func TestCompare(t *testing.T) {
	tb := newTable(menus()[2]) // /ip/hotspot/user
	if tb.m.path != menuUser {
		t.Fatalf("menus()[2] is %s", tb.m.path)
	}
	for _, tc := range []struct {
		key, a, b string
		want      int
	}{
		{".id", "*A", "*9", 1},
		{"limit-bytes-total", "100", "2000", -1},
		{"limit-uptime", "1d", "23h", 1},
		{"uptime", "0s", "1s", -1},
		{"name", "b", "a", 1},
		{"name", "a", "a", 0},
	} {
		if got := tb.compare(tc.key, tc.a, tc.b); got != tc.want {
			t.Errorf("compare(%s, %q, %q) = %d, want %d", tc.key, tc.a, tc.b, got, tc.want)
		}
	}
}
