package app

import (
	"testing"
	"time"
)

func TestDashboardPeriods(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, berlin)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	cases := []struct {
		name, now, day, week string
	}{
		{"Wednesday afternoon", "2026-06-03 15:30", "2026-06-03 00:00", "2026-06-01 00:00"},
		{"Monday just after midnight", "2026-06-01 00:00", "2026-06-01 00:00", "2026-06-01 00:00"},
		{"Sunday late", "2026-06-07 23:59", "2026-06-07 00:00", "2026-06-01 00:00"},
		{"week across a month", "2026-07-02 09:00", "2026-07-02 00:00", "2026-06-29 00:00"},
		{"week across a year", "2027-01-01 12:00", "2027-01-01 00:00", "2026-12-28 00:00"},
		// A week with the spring-forward night: Monday is still midnight.
		{"after spring forward", "2026-03-29 12:00", "2026-03-29 00:00", "2026-03-23 00:00"},
		{"after fall back", "2026-10-25 04:00", "2026-10-25 00:00", "2026-10-19 00:00"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			now := at(tc.now)
			if got, want := DayStart(now), at(tc.day); !got.Equal(want) || got.Location() != berlin {
				t.Errorf("DayStart(%s) = %s, want %s", now, got, want)
			}
			if got, want := WeekStart(now), at(tc.week); !got.Equal(want) || got.Location() != berlin {
				t.Errorf("WeekStart(%s) = %s, want %s", now, got, want)
			}
		})
	}
}
