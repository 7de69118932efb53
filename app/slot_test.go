package app

import (
	"testing"
	"time"
)

func intp(n int) *int { return &n }

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestNextSlot(t *testing.T) {
	cases := []struct {
		name    string
		s       Schedule
		after   string
		want    string // UTC
		wantKey string
	}{
		{"daily plain", Schedule{Recurrence: RecurDaily, Timezone: "Europe/Berlin", RunAt: "08:00"},
			"2026-06-01T06:00:00Z", "2026-06-02T06:00:00Z", "2026-06-02T08:00"},
		{"daily just before", Schedule{Recurrence: RecurDaily, Timezone: "Europe/Berlin", RunAt: "08:00"},
			"2026-06-01T05:59:00Z", "2026-06-01T06:00:00Z", "2026-06-01T08:00"},
		// Spring forward: the wall-clock time does not exist; run at the
		// first minute after the gap.
		{"New York gap", Schedule{Recurrence: RecurDaily, Timezone: "America/New_York", RunAt: "02:30"},
			"2026-03-08T05:00:00Z", "2026-03-08T07:00:00Z", "2026-03-08T02:30"},
		{"Berlin gap", Schedule{Recurrence: RecurDaily, Timezone: "Europe/Berlin", RunAt: "02:30"},
			"2026-03-28T23:00:00Z", "2026-03-29T01:00:00Z", "2026-03-29T02:30"},
		{"Sydney gap, weekly Sunday", Schedule{Recurrence: RecurWeekly, DayOfWeek: intp(0), Timezone: "Australia/Sydney", RunAt: "02:30"},
			"2026-09-30T00:00:00Z", "2026-10-03T16:00:00Z", "2026-10-04T02:30"},
		// Fall back: the wall-clock time happens twice; run at the first.
		{"New York fold", Schedule{Recurrence: RecurDaily, Timezone: "America/New_York", RunAt: "01:30"},
			"2026-11-01T04:00:00Z", "2026-11-01T05:30:00Z", "2026-11-01T01:30"},
		{"New York fold, then the next day", Schedule{Recurrence: RecurDaily, Timezone: "America/New_York", RunAt: "01:30"},
			"2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z", "2026-11-02T01:30"},
		{"Berlin fold", Schedule{Recurrence: RecurDaily, Timezone: "Europe/Berlin", RunAt: "02:30"},
			"2026-10-24T23:00:00Z", "2026-10-25T00:30:00Z", "2026-10-25T02:30"},
		{"Sydney fold, weekly Sunday", Schedule{Recurrence: RecurWeekly, DayOfWeek: intp(0), Timezone: "Australia/Sydney", RunAt: "02:30"},
			"2026-04-01T00:00:00Z", "2026-04-04T15:30:00Z", "2026-04-05T02:30"},
		{"weekly Monday", Schedule{Recurrence: RecurWeekly, DayOfWeek: intp(1), Timezone: "America/New_York", RunAt: "00:00"},
			"2026-11-26T12:00:00Z", "2026-11-30T05:00:00Z", "2026-11-30T00:00"},
		// Day 31 runs on the last day of shorter months.
		{"monthly 31 in February", Schedule{Recurrence: RecurMonthly, DayOfMonth: intp(31), Timezone: "Europe/Berlin", RunAt: "09:00"},
			"2026-02-01T00:00:00Z", "2026-02-28T08:00:00Z", "2026-02-28T09:00"},
		{"monthly 31 in a leap February", Schedule{Recurrence: RecurMonthly, DayOfMonth: intp(31), Timezone: "Europe/Berlin", RunAt: "09:00"},
			"2028-02-01T00:00:00Z", "2028-02-29T08:00:00Z", "2028-02-29T09:00"},
		{"monthly 31 in April", Schedule{Recurrence: RecurMonthly, DayOfMonth: intp(31), Timezone: "Australia/Sydney", RunAt: "09:00"},
			"2026-04-01T00:00:00Z", "2026-04-29T23:00:00Z", "2026-04-30T09:00"},
		{"monthly 15", Schedule{Recurrence: RecurMonthly, DayOfMonth: intp(15), Timezone: "America/New_York", RunAt: "12:00"},
			"2026-01-15T17:00:00Z", "2026-02-15T17:00:00Z", "2026-02-15T12:00"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			at, key, err := tc.s.NextSlot(utc(tc.after))
			if err != nil {
				t.Fatal(err)
			}
			if !at.Equal(utc(tc.want)) || key != tc.wantKey {
				t.Fatalf("NextSlot(%s) = %s %s, want %s %s", tc.after, at.UTC().Format(time.RFC3339), key, tc.want, tc.wantKey)
			}
			// The slot just found is the previous slot of its own instant.
			prev, prevKey, err := tc.s.PrevSlot(at)
			if err != nil || !prev.Equal(at) || prevKey != key {
				t.Fatalf("PrevSlot(%s) = %s %s, %v; want the same slot", at, prev, prevKey, err)
			}
		})
	}
}

// TestEverySlotOnce walks a whole year of a daily schedule through both DST
// transitions: one slot per local day, strictly increasing.
func TestEverySlotOnce(t *testing.T) {
	for _, tz := range []string{"Australia/Sydney", "America/New_York", "Europe/Berlin"} {
		for _, runAt := range []string{"00:00", "01:30", "02:30", "03:00", "23:59"} {
			s := Schedule{Recurrence: RecurDaily, Timezone: tz, RunAt: runAt}
			at := utc("2025-12-31T12:00:00Z")
			keys := map[string]bool{}
			for range 365 {
				next, key, err := s.NextSlot(at)
				if err != nil {
					t.Fatal(err)
				}
				if !next.After(at) || keys[key] {
					t.Fatalf("%s %s: slot %s (%s) after %s repeats or goes back", tz, runAt, next, key, at)
				}
				if gap := next.Sub(at); at.Year() == 2026 && (gap < 22*time.Hour || gap > 26*time.Hour) {
					t.Fatalf("%s %s: %v between slots at %s", tz, runAt, gap, next)
				}
				keys[key] = true
				at = next
			}
		}
	}
}

func TestScheduleValidate(t *testing.T) {
	valid := func() Schedule {
		return Schedule{Name: "Daily", Count: 20, Recurrence: RecurDaily, ValidForMinutes: 480, Timezone: "Australia/Sydney"}
	}
	cases := []struct {
		name  string
		mut   func(*Schedule)
		param string
	}{
		{"valid", func(*Schedule) {}, ""},
		{"count 0", func(s *Schedule) { s.Count = 0 }, "count"},
		{"count 501", func(s *Schedule) { s.Count = 501 }, "count"},
		{"valid_for 90001", func(s *Schedule) { s.ValidForMinutes = 90001 }, "valid_for_in_minutes"},
		{"weekly without day", func(s *Schedule) { s.Recurrence = RecurWeekly }, "day_of_week"},
		{"weekly day 7", func(s *Schedule) { s.Recurrence, s.DayOfWeek = RecurWeekly, intp(7) }, "day_of_week"},
		{"monthly without day", func(s *Schedule) { s.Recurrence = RecurMonthly }, "day_of_month"},
		{"monthly day 0", func(s *Schedule) { s.Recurrence, s.DayOfMonth = RecurMonthly, intp(0) }, "day_of_month"},
		{"yearly", func(s *Schedule) { s.Recurrence = "yearly" }, "recurrence_type"},
		{"bad zone", func(s *Schedule) { s.Timezone = "Mars/Olympus" }, "timezone"},
		{"local zone", func(s *Schedule) { s.Timezone = "Local" }, "timezone"},
		{"run_at 24:00", func(s *Schedule) { s.RunAt = "24:00" }, "run_at"},
		{"run_at 8:00", func(s *Schedule) { s.RunAt = "8:00" }, "run_at"},
	}
	for _, tc := range cases {
		s := valid()
		tc.mut(&s)
		s.Normalize()
		err := s.Validate()
		if tc.param == "" {
			if err != nil || s.RunAt != "00:00" {
				t.Errorf("%s: %v (run_at %q)", tc.name, err, s.RunAt)
			}
			continue
		}
		if e, ok := err.(*Error); !ok || e.Param != tc.param {
			t.Errorf("%s: error %v, want one about %s", tc.name, err, tc.param)
		}
	}
}
