package app

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"
)

// Reports: sales from the ledger and usage from the coupons and the
// guests-online samples, added up per period in the caller's time zone.

// Report groupings.
const (
	GroupDay       = "day"
	GroupWeek      = "week"  // ISO weeks, named by their Monday
	GroupMonth     = "month" // named 2006-01
	GroupHourOfDay = "hour_of_day"
)

// MaxReportDays is the longest range one report covers.
const MaxReportDays = 3 * 366

// OnlineRetention is how long the guests-online samples are kept: a
// year's usage reports and a little more.
const OnlineRetention = 400 * 24 * time.Hour

// ReportRange is what a report covers: the days From through To (both
// whole, in Location), grouped by GroupBy.
type ReportRange struct {
	From, To time.Time // midnights in Location; To is the last day included
	GroupBy  string
	Location *time.Location
}

// ParseReportRange reads the report query: from and to as YYYY-MM-DD
// (default: the 30 days up to today), group_by (default day; hourOK
// allows hour_of_day) and tz (an IANA zone, default UTC). Errors are
// EInvalid naming the parameter.
func ParseReportRange(from, to, groupBy, tz string, now time.Time, hourOK bool) (ReportRange, error) {
	r := ReportRange{GroupBy: cmp.Or(groupBy, GroupDay), Location: time.UTC}
	if tz != "" {
		loc, err := time.LoadLocation(tz)
		if err != nil || tz == "Local" {
			return r, Invalid("tz", ReasonParameterInvalid, "tz must be an IANA time zone such as Europe/Lisbon, got %q", tz)
		}
		r.Location = loc
	}
	switch r.GroupBy {
	case GroupDay, GroupWeek, GroupMonth:
	case GroupHourOfDay:
		if !hourOK {
			return r, Invalid("group_by", ReasonParameterInvalid, "group_by must be day, week or month")
		}
	default:
		if hourOK {
			return r, Invalid("group_by", ReasonParameterInvalid, "group_by must be day, week, month or hour_of_day")
		}
		return r, Invalid("group_by", ReasonParameterInvalid, "group_by must be day, week or month")
	}
	day := func(param, v string, def time.Time) (time.Time, error) {
		if v == "" {
			return def, nil
		}
		t, err := time.ParseInLocation(time.DateOnly, v, r.Location)
		if err != nil {
			return t, Invalid(param, ReasonParameterInvalid, "%s must be a date such as 2026-12-04", param)
		}
		return t, nil
	}
	local := now.In(r.Location)
	today := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, r.Location)
	var err error
	if r.To, err = day("to", to, today); err != nil {
		return r, err
	}
	if r.From, err = day("from", from, r.To.AddDate(0, 0, -29)); err != nil {
		return r, err
	}
	switch {
	case r.To.Before(r.From):
		return r, Invalid("to", ReasonParameterInvalid, "to must not be before from")
	case r.To.Sub(r.From) > MaxReportDays*24*time.Hour:
		return r, Invalid("from", ReasonParameterInvalid, "a report covers at most %d days", MaxReportDays)
	}
	return r, nil
}

// Start and End are the instants the range covers: [Start, End).
func (r ReportRange) Start() time.Time { return r.From }

// End is the midnight after the last day.
func (r ReportRange) End() time.Time { return r.To.AddDate(0, 0, 1) }

// Period names the period of t: 2026-12-04 (day), the Monday of its ISO
// week (week), 2026-12 (month) or 00–23 (hour_of_day).
func (r ReportRange) Period(t time.Time) string {
	t = t.In(r.Location)
	switch r.GroupBy {
	case GroupWeek:
		back := (int(t.Weekday()) + 6) % 7 // days since Monday
		return time.Date(t.Year(), t.Month(), t.Day()-back, 0, 0, 0, 0, r.Location).Format(time.DateOnly)
	case GroupMonth:
		return t.Format("2006-01")
	case GroupHourOfDay:
		return fmt.Sprintf("%02d", t.Hour())
	}
	return t.Format(time.DateOnly)
}

// Periods lists every period of the range in order.
func (r ReportRange) Periods() []string {
	if r.GroupBy == GroupHourOfDay {
		out := make([]string, 24)
		for h := range out {
			out[h] = fmt.Sprintf("%02d", h)
		}
		return out
	}
	var out []string
	for d := r.From; !d.After(r.To); d = d.AddDate(0, 0, 1) {
		if p := r.Period(d); len(out) == 0 || out[len(out)-1] != p {
			out = append(out, p)
		}
	}
	return out
}

// SalesRow is one plan's sales and voids in one period and currency.
type SalesRow struct {
	Period           string
	PlanID, PlanName string
	Currency         string
	Tally
}

// SalesReport adds ledger entries up per period, plan and currency, in
// order of period, plan name and currency. Entries outside r are ignored.
func SalesReport(r ReportRange, entries []LedgerEntry) []SalesRow {
	rows := map[[3]string]*SalesRow{}
	for _, e := range entries {
		if e.At.Before(r.Start()) || !e.At.Before(r.End()) {
			continue
		}
		key := [3]string{r.Period(e.At), e.PlanID, e.Currency}
		row := rows[key]
		if row == nil {
			row = &SalesRow{Period: key[0], PlanID: e.PlanID, PlanName: e.PlanName, Currency: e.Currency}
			rows[key] = row
		}
		row.Add(e)
	}
	out := make([]SalesRow, 0, len(rows))
	for _, row := range rows {
		out = append(out, *row)
	}
	slices.SortFunc(out, func(a, b SalesRow) int {
		return cmp.Or(cmp.Compare(a.Period, b.Period), cmp.Compare(a.PlanName, b.PlanName),
			cmp.Compare(a.PlanID, b.PlanID), cmp.Compare(a.Currency, b.Currency))
	})
	return out
}

// CouponEvent is what the usage report needs of one coupon.
type CouponEvent struct {
	CreatedAt  time.Time
	RedeemedAt *time.Time
	ExpiresAt  time.Time
	Revoked    bool
	Quota      bool  // made with a plan that limits data
	Bytes      int64 // up and down, as the routers last counted
}

// OnlineSample is the guests online at all sites in one five-minute slot
// (the most each site saw in it).
type OnlineSample struct {
	At     time.Time
	Guests int
}

// UsageRow is one period of the usage report.
type UsageRow struct {
	Period        string
	Issued        int   // coupons made
	Redeemed      int   // coupons first used
	ExpiredUnused int   // coupons whose redeem-by time passed unused (not revoked)
	OnlinePeak    int   // the most guests online at once
	DataUsedMB    int64 // data of the coupons redeemed in the period whose plans limit it
}

// UsageReport adds coupons and samples up per period; every period of r
// has a row. Expiries after now are not counted yet.
func UsageReport(r ReportRange, events []CouponEvent, samples []OnlineSample, now time.Time) []UsageRow {
	periods := r.Periods()
	index := make(map[string]int, len(periods))
	out := make([]UsageRow, len(periods))
	for i, p := range periods {
		out[i].Period, index[p] = p, i
	}
	in := func(t time.Time) (*UsageRow, bool) {
		if t.Before(r.Start()) || !t.Before(r.End()) {
			return nil, false
		}
		i, ok := index[r.Period(t)]
		return &out[i], ok
	}
	var dataBytes = make([]int64, len(out))
	for _, e := range events {
		if row, ok := in(e.CreatedAt); ok {
			row.Issued++
		}
		if e.RedeemedAt != nil {
			if row, ok := in(*e.RedeemedAt); ok {
				row.Redeemed++
				if e.Quota {
					dataBytes[index[row.Period]] += e.Bytes
				}
			}
		} else if !e.Revoked && !e.ExpiresAt.After(now) {
			if row, ok := in(e.ExpiresAt); ok {
				row.ExpiredUnused++
			}
		}
	}
	for i := range out {
		out[i].DataUsedMB = dataBytes[i] / BytesPerMB
	}
	for _, s := range samples {
		if row, ok := in(s.At); ok {
			row.OnlinePeak = max(row.OnlinePeak, s.Guests)
		}
	}
	return out
}

// ReportStore reads what reports add up.
type ReportStore interface {
	// OnlineSeries returns the guests online at all sites per five-minute
	// slot in [from, to), oldest first; slots no pass saw are absent.
	OnlineSeries(ctx context.Context, from, to time.Time) ([]OnlineSample, error)
	// CouponEvents calls fn for every stored coupon made, first used or
	// expiring in [from, to). Purged coupons are not counted.
	CouponEvents(ctx context.Context, from, to time.Time, fn func(CouponEvent) error) error
	// PurgeOnlineSamples deletes the samples older than before and returns
	// how many it deleted.
	PurgeOnlineSamples(ctx context.Context, before time.Time) (int, error)
}
