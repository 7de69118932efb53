package routerostest

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"
)

// Value checking and normalisation for add/set, with RouterOS' trap texts
// (docs/routeros.md §3, §4).

func invalidTime(name string) *Trap {
	return &Trap{Message: "invalid time value for argument " + name}
}

// invalidValue is the fake's text for a malformed number, MAC or address;
// docs/routeros.md does not list RouterOS' wording for these.
func invalidValue(name string) *Trap {
	return &Trap{Message: "invalid value for argument " + name}
}

// resolvePrefix picks a value the way RouterOS resolves enums and references:
// an exact match wins, else the single candidate starting with in.
func resolvePrefix(name, in string, candidates []string) (string, *Trap) {
	var found []string
	for _, c := range candidates {
		if c == in {
			return c, nil
		}
		if strings.HasPrefix(c, in) && !slices.Contains(found, c) {
			found = append(found, c)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return "", &Trap{Message: "input does not match any value of " + name}
	default:
		return "", &Trap{Message: "ambiguous value of " + name + ", more than one possible value matches input"}
	}
}

// normalize checks raw for field f. It returns the value to store, or
// unset=true when the property should be removed from the row.
func (r *Router) normalize(f *field, raw string) (val string, unset bool, trap *Trap) {
	switch f.kind {
	case kText:
		return raw, raw == "", nil
	case kTime:
		v, ok := normalizeDuration(raw)
		if !ok {
			return "", false, invalidTime(f.name)
		}
		return v, false, nil
	case kTimeNone:
		if raw == "none" {
			return raw, false, nil
		}
		v, ok := normalizeDuration(raw)
		if !ok {
			return "", false, invalidTime(f.name)
		}
		return v, false, nil
	case kInt:
		n, err := strconv.ParseUint(raw, 10, 64)
		if err != nil {
			return "", false, invalidValue(f.name)
		}
		return strconv.FormatUint(n, 10), false, nil
	case kIntUnlimit:
		if n, err := strconv.ParseUint(raw, 10, 64); err == nil {
			return strconv.FormatUint(n, 10), false, nil
		}
		v, tr := resolvePrefix(f.name, raw, []string{"unlimited"})
		if tr != nil || raw == "" {
			return "", false, invalidValue(f.name)
		}
		return v, false, nil
	case kBool:
		v, tr := resolvePrefix(f.name, raw, []string{"yes", "no", "true", "false"})
		if tr != nil {
			return "", false, tr
		}
		return strconv.FormatBool(v == "yes" || v == "true"), false, nil
	case kEnum, kRef:
		if raw == "" && f.def == "" && f.unsetAs == "" {
			return "", true, nil // optional reference or enum
		}
		cands := f.values
		if f.kind == kRef {
			cands = append(r.tables[f.ref].names(), f.values...)
		}
		v, tr := resolvePrefix(f.name, raw, cands)
		if tr != nil {
			return "", false, tr
		}
		return v, f.unsetAs != "" && v == f.unsetAs, nil
	case kMAC:
		if raw == "" {
			return "", true, nil
		}
		v, ok := normalizeMAC(raw)
		if !ok {
			return "", false, invalidValue(f.name)
		}
		return v, false, nil
	case kIP:
		if raw == "" {
			return "", true, nil
		}
		a, err := netip.ParseAddr(raw)
		if err != nil || !a.Is4() {
			return "", false, invalidValue(f.name)
		}
		return a.String(), false, nil
	}
	return "", false, &Trap{Message: msgUnknownParam} // read-only
}

// normalizeMAC accepts six hex pairs separated by ':' or '-'.
func normalizeMAC(s string) (string, bool) {
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == ':' || r == '-' })
	if len(parts) != 6 || len(s) != 17 {
		return "", false
	}
	for i, p := range parts {
		if len(p) != 2 {
			return "", false
		}
		if _, err := strconv.ParseUint(p, 16, 8); err != nil {
			return "", false
		}
		parts[i] = strings.ToUpper(p)
	}
	return strings.Join(parts, ":"), true
}

// queryValue normalises the value of a query word the way the property's
// values are stored, so ?disabled=no and ?limit-uptime=60m match. Values
// that do not parse are compared as given.
func queryValue(f *field, raw string) string {
	if f == nil {
		return raw
	}
	switch f.kind {
	case kTime, kTimeNone:
		if v, ok := normalizeDuration(raw); ok {
			return v
		}
	case kReadOnlyNum: // counters stay numbers, uptime-like values are times
		if v, ok := normalizeDuration(raw); ok && !isDigits(raw) {
			return v
		}
	case kBool:
		switch raw {
		case "yes", "true":
			return "true"
		case "no", "false":
			return "false"
		}
	case kMAC:
		if v, ok := normalizeMAC(raw); ok {
			return v
		}
	}
	return raw
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
