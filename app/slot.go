package app

import (
	"fmt"
	"time"
)

// SlotKeyLayout is the local wall-clock form of a planned slot: a slot is
// identified by the date and time in the schedule's zone, so a clock step
// or a DST fold can never make the same slot run twice.
const SlotKeyLayout = "2006-01-02T15:04"

// slotSearchDays bounds the search for the next or previous slot; every
// recurrence has a slot within 62 days.
const slotSearchDays = 63

// runsOn reports whether the schedule has a slot on the given local date.
func (s *Schedule) runsOn(year int, month time.Month, day int, loc *time.Location) bool {
	switch s.Recurrence {
	case RecurDaily:
		return true
	case RecurWeekly:
		return s.DayOfWeek != nil && int(time.Date(year, month, day, 12, 0, 0, 0, loc).Weekday()) == *s.DayOfWeek
	case RecurMonthly:
		if s.DayOfMonth == nil {
			return false
		}
		last := time.Date(year, month+1, 0, 12, 0, 0, 0, loc).Day()
		return day == min(*s.DayOfMonth, last)
	}
	return false
}

// slotOn returns the instant of the slot on a local date: RunAt on that
// date; if that wall-clock time falls in a DST gap, the first instant after
// the gap; if it occurs twice (the fall-back hour), the first of the two.
func (s *Schedule) slotOn(year int, month time.Month, day int, loc *time.Location) time.Time {
	var hh, mm int
	fmt.Sscanf(s.RunAt, "%d:%d", &hh, &mm)
	want := hh*60 + mm
	t := time.Date(year, month, day, hh, mm, 0, 0, loc)
	wallMinutes := func(u time.Time) int {
		l := u.In(loc)
		if l.Day() != day {
			if l.Before(time.Date(year, month, day, 0, 0, 0, 0, loc)) {
				return -1
			}
			return 24 * 60
		}
		return l.Hour()*60 + l.Minute()
	}
	if wallMinutes(t) != want {
		// In a gap: walk forward minute by minute from two hours before to
		// the first instant whose wall clock is past the wanted time.
		u := t.Add(-2 * time.Hour).Truncate(time.Minute)
		for wallMinutes(u) <= want {
			u = u.Add(time.Minute)
		}
		return u
	}
	// In a fold the same wall clock may have occurred up to three hours
	// earlier; take the earliest.
	for back := 3 * time.Hour; back > 0; back -= 15 * time.Minute {
		if u := t.Add(-back); wallMinutes(u) == want {
			return u
		}
	}
	return t
}

// NextSlot returns the first slot strictly after t, with its key.
func (s *Schedule) NextSlot(t time.Time) (time.Time, string, error) {
	loc, err := s.Location()
	if err != nil {
		return time.Time{}, "", err
	}
	l := t.In(loc)
	for i := -1; i <= slotSearchDays; i++ {
		d := time.Date(l.Year(), l.Month(), l.Day()+i, 12, 0, 0, 0, loc)
		if !s.runsOn(d.Year(), d.Month(), d.Day(), loc) {
			continue
		}
		if at := s.slotOn(d.Year(), d.Month(), d.Day(), loc); at.After(t) {
			return at, s.slotKey(d), nil
		}
	}
	return time.Time{}, "", fmt.Errorf("schedule %s has no slot after %s", s.ID, t)
}

// PrevSlot returns the last slot at or before t, with its key.
func (s *Schedule) PrevSlot(t time.Time) (time.Time, string, error) {
	loc, err := s.Location()
	if err != nil {
		return time.Time{}, "", err
	}
	l := t.In(loc)
	for i := 1; i >= -slotSearchDays; i-- {
		d := time.Date(l.Year(), l.Month(), l.Day()+i, 12, 0, 0, 0, loc)
		if !s.runsOn(d.Year(), d.Month(), d.Day(), loc) {
			continue
		}
		if at := s.slotOn(d.Year(), d.Month(), d.Day(), loc); !at.After(t) {
			return at, s.slotKey(d), nil
		}
	}
	return time.Time{}, "", fmt.Errorf("schedule %s has no slot before %s", s.ID, t)
}

// slotKey is the key of the slot on local date d.
func (s *Schedule) slotKey(d time.Time) string {
	return d.Format("2006-01-02") + "T" + s.RunAt
}
