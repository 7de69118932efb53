package routerostest

import (
	"strconv"
	"strings"
)

// print queries (docs/routeros.md §1). Each query word pushes a boolean (or, for
// ?#, manipulates the stack); the stack starts as an endless column of true
// and an item matches when no false is left on it. A missing property
// equals the empty string and is neither less nor greater than anything.

type query struct {
	op  byte // 'h' has, 'n' has not, '=' equal, '<' less, '>' greater, '#' stack ops
	key string
	val string
}

// parseQuery parses a query word without its leading '?'.
func parseQuery(w string) query {
	if w == "" {
		return query{op: 'h'}
	}
	switch w[0] {
	case '#':
		return query{op: '#', val: w[1:]}
	case '-':
		return query{op: 'n', key: w[1:]}
	case '<', '>', '=':
		k, v, _ := strings.Cut(w[1:], "=")
		return query{op: w[0], key: k, val: v}
	}
	if k, v, ok := strings.Cut(w, "="); ok {
		return query{op: '=', key: k, val: v}
	}
	return query{op: 'h', key: w}
}

// stack is the boolean stack of a query; below its bottom lies an endless
// column of true.
type stack []bool

// at returns the value at index i, 0 being the top.
func (s stack) at(i int) bool {
	if i >= 0 && i < len(s) {
		return s[len(s)-1-i]
	}
	return true
}

func (s *stack) push(b bool) { *s = append(*s, b) }

func (s *stack) pop() bool {
	b := s.at(0)
	if len(*s) > 0 {
		*s = (*s)[:len(*s)-1]
	}
	return b
}

// match evaluates the queries against one printed row.
func (t *table) match(qs []query, v map[string]string) bool {
	var st stack
	for _, q := range qs {
		val, has := v[q.key]
		switch q.op {
		case 'h':
			st.push(has)
		case 'n':
			st.push(!has)
		case '=':
			st.push(val == queryValue(t.fields[q.key], q.val))
		case '<', '>':
			if !has {
				st.push(false)
				break
			}
			c := t.compare(q.key, val, queryValue(t.fields[q.key], q.val))
			st.push((q.op == '<' && c < 0) || (q.op == '>' && c > 0))
		case '#':
			st.ops(q.val)
		}
	}
	for _, b := range st {
		if !b {
			return false
		}
	}
	return true
}

// ops runs the operations of one ?# word: a decimal index followed by
// another character pushes a copy of that value, an index at the end of the
// word replaces the whole stack with it, ! negates the top, & and | combine
// the top two, and . pushes a copy of the top unless it follows an index.
func (s *stack) ops(ops string) {
	afterIndex := false
	for i := 0; i < len(ops); {
		c := ops[i]
		if c >= '0' && c <= '9' {
			j := i
			for j < len(ops) && ops[j] >= '0' && ops[j] <= '9' {
				j++
			}
			n, err := strconv.Atoi(ops[i:j])
			if err != nil {
				n = -1 // out of range: below the bottom, true
			}
			if j == len(ops) {
				*s = stack{s.at(n)}
				return
			}
			s.push(s.at(n))
			i, afterIndex = j, true
			continue
		}
		switch c {
		case '!':
			s.push(!s.pop())
		case '&':
			a, b := s.pop(), s.pop()
			s.push(a && b)
		case '|':
			a, b := s.pop(), s.pop()
			s.push(a || b)
		case '.':
			if !afterIndex {
				s.push(s.at(0))
			}
		}
		i, afterIndex = i+1, false
	}
}

// compare orders two property values: numbers, times and ids numerically
// when both sides parse, otherwise as strings.
func (t *table) compare(key, a, b string) int {
	if key == ".id" {
		x, ok1 := parseID(a)
		y, ok2 := parseID(b)
		if ok1 && ok2 {
			return cmpU(x, y)
		}
	}
	if x, err1 := strconv.ParseUint(a, 10, 64); err1 == nil {
		if y, err2 := strconv.ParseUint(b, 10, 64); err2 == nil {
			return cmpU(x, y)
		}
	}
	if f := t.fields[key]; f != nil && (f.kind == kTime || f.kind == kTimeNone || f.kind == kReadOnlyNum) {
		x, ok1 := parseDuration(a)
		y, ok2 := parseDuration(b)
		if ok1 && ok2 {
			return cmpU(uint64(x), uint64(y))
		}
	}
	return strings.Compare(a, b)
}

func cmpU(x, y uint64) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}
