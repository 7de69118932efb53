package web

import (
	"context"
	"net/http"
	"time"

	"github.com/julienschmidt/httprouter"

	"gatehouse/app"
)

// dashboardJSON is the contract's Dashboard.
type dashboardJSON struct {
	Sites           dashboardSitesJSON    `json:"sites"`
	GuestsOnline    int                   `json:"guests_online"`
	Coupons         dashboardCouponsJSON  `json:"coupons"`
	GeneratedAt     string                `json:"generated_at"`
	Portals         []dashboardPortalJSON `json:"portals"`
	NextScheduleRun *nextRunJSON          `json:"next_schedule_run"`
}

// dashboardPortalJSON is a coupon instance and its codes left to hand out.
type dashboardPortalJSON struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	UnusedCodes int    `json:"unused_codes"`
}

// nextRunJSON is the coupon schedule that runs next, and when.
type nextRunJSON struct {
	ScheduleID   string `json:"schedule_id"`
	ScheduleName string `json:"schedule_name"`
	InstanceID   string `json:"instance_id"`
	At           string `json:"at"`
	Timezone     string `json:"timezone"`
}

type dashboardSitesJSON struct {
	Total   int `json:"total"`
	Online  int `json:"online"`
	Offline int `json:"offline"`
	Unknown int `json:"unknown"`
}

type dashboardCouponsJSON struct {
	IssuedToday   int `json:"issued_today"`
	RedeemedToday int `json:"redeemed_today"`
	IssuedWeek    int `json:"issued_week"`
	RedeemedWeek  int `json:"redeemed_week"`
}

// dashboard serves GET /captive/dashboard. Today and this week are the
// calendar day and ISO week (from Monday) in the time zone tz (an IANA
// name; the admin page sends the browser's), or in the server's own zone
// when tz is absent.
func (s *Server) dashboard(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	loc := time.Local
	if tz := r.URL.Query().Get("tz"); tz != "" {
		var err error
		if loc, err = app.LoadTimezone(tz); err != nil {
			s.writeError(w, r, app.Invalid("tz", app.ReasonParameterInvalid, "tz %q is not an IANA time zone such as Europe/Madrid", tz))
			return
		}
	}
	now := s.now().In(loc)
	d, err := s.store.Dashboard(r.Context(), app.DayStart(now), app.WeekStart(now))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	portals := make([]dashboardPortalJSON, 0, len(d.Portals))
	for _, p := range d.Portals {
		portals = append(portals, dashboardPortalJSON{ID: p.ID, Name: p.Name, UnusedCodes: p.Unused})
	}
	next, err := s.nextScheduleRun(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, dashboardJSON{
		Portals: portals, NextScheduleRun: next,
		Sites: dashboardSitesJSON{Total: d.Sites.Total, Online: d.Sites.Online, Offline: d.Sites.Offline,
			Unknown: d.Sites.Unknown},
		GuestsOnline: d.GuestsOnline,
		Coupons: dashboardCouponsJSON{IssuedToday: d.Coupons.IssuedToday, RedeemedToday: d.Coupons.RedeemedToday,
			IssuedWeek: d.Coupons.IssuedWeek, RedeemedWeek: d.Coupons.RedeemedWeek},
		GeneratedAt: timeString(now),
	})
}

// nextScheduleRun finds the coupon schedule whose next slot comes first
// (the slot the scheduler's cron entry fires at), or nil when there is
// none.
func (s *Server) nextScheduleRun(ctx context.Context) (*nextRunJSON, error) {
	list, err := s.store.AllSchedules(ctx)
	if err != nil {
		return nil, err
	}
	var (
		best *nextRunJSON
		at   time.Time
	)
	now := s.now()
	for _, sch := range list {
		next, _, err := sch.NextSlot(now)
		if err != nil || (best != nil && !next.Before(at)) {
			continue
		}
		at = next
		best = &nextRunJSON{ScheduleID: sch.ID, ScheduleName: sch.Name, InstanceID: sch.InstanceID,
			At: timeString(next), Timezone: sch.Timezone}
	}
	return best, nil
}
