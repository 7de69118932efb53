package routerostest

import (
	"strconv"
	"strings"
	"time"
)

// RouterOS time values (docs/routeros.md §3). Accepted input:
//
//	1w2d3h4m5s, 300ms, 1h30m   unit form, units w d h m s ms in that order
//	3600                       bare number: seconds
//	00:20:00, 2d03:04:05,      clock form h:m:s (also m:s), optionally
//	1d 00:00:00, 1w2d 01:00:00 preceded by weeks/days
//
// Output is the unit form with zero units left out and "0s" for zero.

// maxDuration keeps parsed values far away from int64 overflow (about 290
// years); RouterOS itself caps time values much lower.
const maxDuration = 100 * 365 * 24 * time.Hour

var timeUnits = []struct {
	suffix string
	d      time.Duration
}{
	{"w", 7 * 24 * time.Hour},
	{"d", 24 * time.Hour},
	{"h", time.Hour},
	{"m", time.Minute},
	{"s", time.Second},
	{"ms", time.Millisecond},
}

// parseDuration parses a RouterOS time value. It reports false for the empty
// string and anything else RouterOS would reject with "invalid time value".
func parseDuration(s string) (time.Duration, bool) {
	if s == "" {
		return 0, false
	}
	if i := strings.LastIndexAny(s, "d "); strings.Contains(s, ":") {
		// Optional "<w>w<d>d" or "<d>d " in front of the clock.
		var head time.Duration
		if i >= 0 {
			h, ok := parseUnits(strings.TrimRight(s[:i+1], " "), 2)
			if !ok {
				return 0, false
			}
			head, s = h, s[i+1:]
		}
		c, ok := parseClock(s)
		if !ok || head+c > maxDuration {
			return 0, false
		}
		return head + c, true
	}
	if n, ok := parseNumber(s); ok {
		return checkedMul(n, time.Second)
	}
	return parseUnits(s, len(timeUnits))
}

// parseUnits parses "1w2d3h" style input using only the first nunits units,
// each at most once and in order.
func parseUnits(s string, nunits int) (time.Duration, bool) {
	if s == "" {
		return 0, false
	}
	var total time.Duration
	next := 0
	for s != "" {
		i := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		n, ok := parseNumber(s[:i])
		if !ok {
			return 0, false
		}
		s = s[i:]
		matched := false
		for u := next; u < nunits; u++ {
			suf := timeUnits[u].suffix
			// "m" must not swallow the "m" of "ms".
			if !strings.HasPrefix(s, suf) || (suf == "m" && strings.HasPrefix(s, "ms")) {
				continue
			}
			d, ok := checkedMul(n, timeUnits[u].d)
			if !ok {
				return 0, false
			}
			total += d
			if total > maxDuration {
				return 0, false
			}
			s, next, matched = s[len(suf):], u+1, true
			break
		}
		if !matched {
			return 0, false
		}
	}
	return total, true
}

// parseClock parses "h:m:s" or "m:s"; seconds may have a fraction.
func parseClock(s string) (time.Duration, bool) {
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, false
	}
	var frac time.Duration
	last := parts[len(parts)-1]
	if i := strings.IndexByte(last, '.'); i >= 0 {
		f := last[i+1:]
		if f == "" || len(f) > 9 {
			return 0, false
		}
		n, ok := parseNumber(f)
		if !ok {
			return 0, false
		}
		for range 9 - len(f) {
			n *= 10
		}
		frac, parts[len(parts)-1] = time.Duration(n), last[:i]
	}
	var total time.Duration
	for i, p := range parts {
		n, ok := parseNumber(p)
		if !ok || (i > 0 && n > 59) {
			return 0, false
		}
		unit := time.Second
		if len(parts)-1-i == 1 {
			unit = time.Minute
		} else if len(parts)-1-i == 2 {
			unit = time.Hour
		}
		d, ok := checkedMul(n, unit)
		if !ok {
			return 0, false
		}
		total += d
	}
	return total + frac, total+frac <= maxDuration
}

func parseNumber(s string) (int64, bool) {
	if s == "" || s[0] < '0' || s[0] > '9' {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

func checkedMul(n int64, unit time.Duration) (time.Duration, bool) {
	if n > int64(maxDuration/unit) {
		return 0, false
	}
	return time.Duration(n) * unit, true
}

// formatDuration prints d the way RouterOS does: "1w2d3h4m5s", "0s".
func formatDuration(d time.Duration) string {
	if d <= 0 {
		return "0s"
	}
	var b strings.Builder
	for _, u := range timeUnits {
		if n := d / u.d; n > 0 {
			b.WriteString(strconv.FormatInt(int64(n), 10))
			b.WriteString(u.suffix)
			d -= n * u.d
		}
	}
	if b.Len() == 0 { // below one millisecond
		return "0s"
	}
	return b.String()
}

// normalizeDuration parses and reformats s.
func normalizeDuration(s string) (string, bool) {
	d, ok := parseDuration(s)
	if !ok {
		return "", false
	}
	return formatDuration(d), true
}
