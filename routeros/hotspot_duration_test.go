package routeros

import (
	"testing"
	"time"
)

func TestDurations(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"1h", time.Hour, true},
		{"12h", 12 * time.Hour, true},
		{"1w2d3h4m5s", 9*24*time.Hour + 3*time.Hour + 4*time.Minute + 5*time.Second, true},
		{"00:20:00", 20 * time.Minute, true},
		{"1d 00:00:00", 24 * time.Hour, true},
		{"2d03:04:05", 51*time.Hour + 4*time.Minute + 5*time.Second, true},
		{"3600", time.Hour, true},
		{"300ms", 300 * time.Millisecond, true},
		{"0s", 0, true},
		{"none", 0, false},
		{"", 0, false},
		{"1x", 0, false},
	} {
		got, ok := parseDuration(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseDuration(%q) = %v %v, want %v %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
	for d, want := range map[time.Duration]string{0: "0s", time.Hour: "1h", 43200 * time.Second: "12h",
		604800 * time.Second: "1w", 90061 * time.Second: "1d1h1m1s"} {
		if got := formatDuration(d); got != want {
			t.Errorf("formatDuration(%v) = %q, want %q", d, got, want)
		}
		if back, ok := parseDuration(formatDuration(d)); !ok || back != d {
			t.Errorf("round trip of %v gave %v", d, back)
		}
	}
}
