package routeros

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// formatDuration writes d the way RouterOS prints it: 1w2d3h4m5s, zero
// units left out, "0s" for zero. Sub-second parts are dropped.
func formatDuration(d time.Duration) string {
	s := int64(d / time.Second)
	if s <= 0 {
		return "0s"
	}
	var b strings.Builder
	for _, u := range []struct {
		suffix string
		secs   int64
	}{{"w", 7 * 86400}, {"d", 86400}, {"h", 3600}, {"m", 60}, {"s", 1}} {
		if n := s / u.secs; n > 0 {
			b.WriteString(strconv.FormatInt(n, 10))
			b.WriteString(u.suffix)
			s %= u.secs
		}
	}
	return b.String()
}

// parseDuration reads a RouterOS duration: "1w2d3h4m5s", "00:20:00",
// "1d 00:00:00", "2d03:04:05", "300ms" or bare seconds. ok is false for
// anything else ("none", "").
func parseDuration(v string) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	var total time.Duration
	// A clock part hh:mm:ss at the end, possibly after days.
	if i := strings.IndexByte(v, ':'); i >= 0 {
		start := strings.LastIndexAny(v[:i], "dw ") + 1
		clock := strings.Split(v[start:], ":")
		if len(clock) != 3 {
			return 0, false
		}
		for i, unit := range []time.Duration{time.Hour, time.Minute, time.Second} {
			n, ok := digits(clock[i])
			if !ok || !addDuration(&total, n, unit) {
				return 0, false
			}
		}
		v = strings.TrimSpace(v[:start])
		if v == "" {
			return total, true
		}
	}
	if n, ok := digits(v); ok && total == 0 {
		return total, addDuration(&total, n, time.Second)
	}
	units := map[string]time.Duration{"w": 7 * 24 * time.Hour, "d": 24 * time.Hour, "h": time.Hour,
		"m": time.Minute, "s": time.Second, "ms": time.Millisecond}
	for v != "" {
		i := 0
		for i < len(v) && v[i] >= '0' && v[i] <= '9' {
			i++
		}
		j := i
		for j < len(v) && (v[j] < '0' || v[j] > '9') {
			j++
		}
		n, ok1 := digits(v[:i])
		unit, ok2 := units[v[i:j]]
		if !ok1 || !ok2 || !addDuration(&total, n, unit) {
			return 0, false
		}
		v = v[j:]
	}
	return total, true
}

// digits reads a run of decimal digits (no sign) as a number.
func digits(s string) (int64, bool) {
	if s == "" || len(s) > 18 {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int64(s[i]-'0')
	}
	return n, true
}

// addDuration adds n units to *total, refusing an overflow.
func addDuration(total *time.Duration, n int64, unit time.Duration) bool {
	if n > int64(math.MaxInt64/unit) {
		return false
	}
	d := time.Duration(n) * unit
	if *total > math.MaxInt64-d {
		return false
	}
	*total += d
	return true
}
