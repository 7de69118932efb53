package routerostest

import (
	"testing"
	"time"
)

func TestDuration(t *testing.T) {
	for _, tc := range []struct {
		in, want string
	}{
		{"1h30m", "1h30m"},
		{"90m", "1h30m"},
		{"1d", "1d"},
		{"24h", "1d"},
		{"9d", "1w2d"},
		{"1w2d3h4m5s", "1w2d3h4m5s"},
		{"00:20:00", "20m"},
		{"20:00", "20m"},
		{"01:30:00", "1h30m"},
		{"1d 00:00:00", "1d"},
		{"2d03:04:05", "2d3h4m5s"},
		{"1w 01:00:00", "1w1h"},
		{"00:00:01.5", "1s500ms"},
		{"3600", "1h"},
		{"0", "0s"},
		{"0s", "0s"},
		{"300ms", "300ms"},
		{"1s500ms", "1s500ms"},
	} {
		got, ok := normalizeDuration(tc.in)
		if !ok || got != tc.want {
			t.Errorf("normalizeDuration(%q) = %q, %v; want %q", tc.in, got, ok, tc.want)
		}
	}
	for _, bad := range []string{"", "none", "1x", "h", "1h1d", "1m1m", "-1", "1:60:00", "1:2:3:4",
		" 1h", "1h ", "99999999999999999999", "1d:00", "00:00:01.", "1.5h"} {
		if got, ok := normalizeDuration(bad); ok {
			t.Errorf("normalizeDuration(%q) = %q, want invalid", bad, got)
		}
	}
	if got := formatDuration(500 * time.Microsecond); got != "0s" {
		t.Errorf("formatDuration(500µs) = %q, want 0s", got)
	}
}

func FuzzDuration(f *testing.F) {
	for _, s := range []string{"1h30m", "2d03:04:05", "00:00:01.5", "3600", "1w"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := parseDuration(s)
		if !ok {
			return
		}
		if d < 0 || d > maxDuration {
			t.Fatalf("parseDuration(%q) = %v out of range", s, d)
		}
		// The printed form must parse back to the same value (ms precision).
		back, ok := parseDuration(formatDuration(d))
		if !ok || back != d.Truncate(time.Millisecond) {
			t.Fatalf("%q: %v printed %q parsed %v", s, d, formatDuration(d), back)
		}
	})
}
