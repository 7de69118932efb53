package app

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Recurrences of a coupon schedule.
const (
	RecurDaily   = "daily"
	RecurWeekly  = "weekly"
	RecurMonthly = "monthly"
)

// Schedule limits.
const (
	MaxScheduleBatch     = 500
	MaxValidForMinutes   = 90000
	DefaultScheduleRunAt = "00:00"
)

// Schedule is a recurring batch of coupons for an instance: Count coupons,
// each valid ValidForMinutes, made daily, weekly (on DayOfWeek, 0 = Sunday)
// or monthly (on DayOfMonth; in shorter months on their last day) at RunAt
// ("HH:MM") in the IANA Timezone.
type Schedule struct {
	ID                  string
	InstanceID          string
	Name                string
	Count               int
	Recurrence          string
	DayOfWeek           *int
	DayOfMonth          *int
	ValidForMinutes     int
	Timezone            string
	RunAt               string
	NotificationGroupID string // "" when none
	PlanID              string // "" when none; the plan of the coupons its runs make
	CreatedAt           time.Time
	UpdatedAt           time.Time

	// Filled by the store when read.
	LastRun *ScheduleRun
}

// ScheduleRun is one generation of a schedule's coupons.
type ScheduleRun struct {
	ID         string
	ScheduleID string
	SlotKey    string // local "2006-01-02T15:04" of a planned slot, or "manual:<id>"
	RanAt      time.Time
	Generated  int // coupons made
	Used       int // of them, redeemed
	Available  int // of them, still valid
	// NotifyError is the last notification failure of this run, if any.
	NotifyError string
	// Deliveries are the run's notifications, oldest first; filled only
	// by ScheduleStore.ScheduleRuns.
	Deliveries []Delivery
}

// ManualSlotPrefix starts the slot key of a run made by "run now".
const ManualSlotPrefix = "manual:"

// Manual reports whether the run was made by "run now" rather than by the
// timetable.
func (r ScheduleRun) Manual() bool { return strings.HasPrefix(r.SlotKey, ManualSlotPrefix) }

// Slot is the planned local slot ("2006-01-02T15:04") the run made coupons
// for; "" for a manual run.
func (r ScheduleRun) Slot() string {
	if r.Manual() {
		return ""
	}
	return r.SlotKey
}

// Run history limits: how many runs ScheduleRuns returns by default and
// at most.
const (
	DefaultRunHistory = 50
	MaxRunHistory     = 500
)

// CheckRunLimit validates the number of runs asked of the history.
func CheckRunLimit(limit int) error {
	if limit < 1 || limit > MaxRunHistory {
		return Invalid("limit", ReasonParameterInvalid, "limit must be between 1 and %d", MaxRunHistory)
	}
	return nil
}

var runAtPattern = regexp.MustCompile(`^([01][0-9]|2[0-3]):([0-5][0-9])$`)

// Normalize fills defaults and drops the day field the recurrence does not use.
func (s *Schedule) Normalize() {
	s.Name = strings.TrimSpace(s.Name)
	s.Timezone = strings.TrimSpace(s.Timezone)
	if s.RunAt == "" {
		s.RunAt = DefaultScheduleRunAt
	}
	if s.Recurrence != RecurWeekly {
		s.DayOfWeek = nil
	}
	if s.Recurrence != RecurMonthly {
		s.DayOfMonth = nil
	}
}

// Validate checks a normalized schedule and returns EInvalid errors.
func (s *Schedule) Validate() error {
	if err := checkName("name", s.Name); err != nil {
		return err
	}
	if s.Count < 1 || s.Count > MaxScheduleBatch {
		return Invalid("count", ReasonParameterInvalid, "count must be between 1 and %d", MaxScheduleBatch)
	}
	if s.ValidForMinutes < 1 || s.ValidForMinutes > MaxValidForMinutes {
		return Invalid("valid_for_in_minutes", ReasonParameterInvalid, "valid_for_in_minutes must be between 1 and %d", MaxValidForMinutes)
	}
	switch s.Recurrence {
	case RecurDaily:
	case RecurWeekly:
		if s.DayOfWeek == nil {
			return Invalid("day_of_week", ReasonParameterMissing, "day_of_week (0 = Sunday .. 6 = Saturday) is required for weekly schedules")
		}
		if *s.DayOfWeek < 0 || *s.DayOfWeek > 6 {
			return Invalid("day_of_week", ReasonParameterInvalid, "day_of_week must be between 0 (Sunday) and 6 (Saturday)")
		}
	case RecurMonthly:
		if s.DayOfMonth == nil {
			return Invalid("day_of_month", ReasonParameterMissing, "day_of_month (1..31) is required for monthly schedules")
		}
		if *s.DayOfMonth < 1 || *s.DayOfMonth > 31 {
			return Invalid("day_of_month", ReasonParameterInvalid, "day_of_month must be between 1 and 31")
		}
	case "":
		return Missing("recurrence_type")
	default:
		return Invalid("recurrence_type", ReasonParameterInvalid, "recurrence_type must be daily, weekly or monthly")
	}
	if s.Timezone == "" {
		return Missing("timezone")
	}
	if _, err := s.Location(); err != nil {
		return Invalid("timezone", ReasonParameterInvalid, "timezone %q is not an IANA time zone such as Europe/Berlin", s.Timezone)
	}
	if !runAtPattern.MatchString(s.RunAt) {
		return Invalid("run_at", ReasonParameterInvalid, "run_at must be a time of day HH:MM, such as 08:00")
	}
	return nil
}

// Location loads the schedule's time zone.
func (s *Schedule) Location() (*time.Location, error) {
	return LoadTimezone(s.Timezone)
}

// LoadTimezone loads an IANA time zone by name ("Europe/Berlin", "UTC").
// The empty name and "Local" (the server's own zone, which may change
// under a running schedule) are refused.
func LoadTimezone(name string) (*time.Location, error) {
	if name == "" || strings.EqualFold(name, "local") {
		return nil, fmt.Errorf("time zone %q is not allowed", name)
	}
	return time.LoadLocation(name)
}

// ScheduleStore keeps coupon schedules and runs them.
type ScheduleStore interface {
	// ListSchedules returns an instance's schedules, oldest first, each
	// with its last run. ENotFound for an unknown instance.
	ListSchedules(ctx context.Context, instanceID string) ([]Schedule, error)
	// AllSchedules returns every schedule of every instance.
	AllSchedules(ctx context.Context) ([]Schedule, error)
	// Schedule returns one schedule of an instance. ENotFound when either
	// is unknown.
	Schedule(ctx context.Context, instanceID, id string) (Schedule, error)
	// CreateSchedule normalizes, validates (EInvalid; also when the
	// notification group or the plan does not exist) and stores s. ENotFound for an
	// unknown instance; EInvalid with ReasonStrategyMismatch for a
	// non-coupon instance.
	CreateSchedule(ctx context.Context, s Schedule) (Schedule, error)
	// UpdateSchedule applies change in one transaction, as CreateSchedule
	// validates.
	UpdateSchedule(ctx context.Context, instanceID, id string, change func(*Schedule) error) (Schedule, error)
	// DeleteSchedule deletes a schedule; its coupons are kept.
	DeleteSchedule(ctx context.Context, instanceID, id string) error
	// RunSchedule generates one batch of the schedule for slotKey in one
	// transaction, together with the run record and a notification for
	// each member of the schedule's notification group. If the slot was
	// already run it returns that run with created false and no coupons.
	RunSchedule(ctx context.Context, scheduleID, slotKey string) (run ScheduleRun, coupons []Coupon, created bool, err error)
	// ScheduleCoupons returns the valid coupons of a schedule (any
	// instance). ENotFound for an unknown schedule.
	ScheduleCoupons(ctx context.Context, scheduleID string) ([]Coupon, error)
	// ScheduleRuns returns the latest limit runs of a schedule of an
	// instance, newest first, each with its coupon counts and its
	// deliveries. ENotFound when either is unknown; EInvalid (param
	// limit) for a limit outside 1..MaxRunHistory.
	ScheduleRuns(ctx context.Context, instanceID, scheduleID string, limit int) ([]ScheduleRun, error)
}
