package web

import (
	"net/http"
	"time"

	"github.com/julienschmidt/httprouter"

	"gatehouse/app"
)

// dashboardJSON is the contract's Dashboard.
type dashboardJSON struct {
	Sites        dashboardSitesJSON   `json:"sites"`
	GuestsOnline int                  `json:"guests_online"`
	Coupons      dashboardCouponsJSON `json:"coupons"`
	GeneratedAt  string               `json:"generated_at"`
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

var errNoDashboard = &app.Error{Code: app.EUnavailable, Message: "the dashboard is not available in this server"}

// dashboard serves GET /captive/dashboard. Today and this week are the
// calendar day and ISO week (from Monday) in the time zone tz (an IANA
// name; the admin page sends the browser's), or in the server's own zone
// when tz is absent.
func (s *Server) dashboard(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	if s.deps.Dashboard == nil {
		s.writeError(w, r, errNoDashboard)
		return
	}
	loc := time.Local
	if tz := r.URL.Query().Get("tz"); tz != "" {
		var err error
		if loc, err = app.LoadTimezone(tz); err != nil {
			s.writeError(w, r, app.Invalid("tz", app.ReasonParameterInvalid, "tz %q is not an IANA time zone such as Europe/Madrid", tz))
			return
		}
	}
	now := s.now().In(loc)
	d, err := s.deps.Dashboard.Dashboard(r.Context(), app.DayStart(now), app.WeekStart(now))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, dashboardJSON{
		Sites: dashboardSitesJSON{Total: d.Sites.Total, Online: d.Sites.Online, Offline: d.Sites.Offline,
			Unknown: d.Sites.Unknown},
		GuestsOnline: d.GuestsOnline,
		Coupons: dashboardCouponsJSON{IssuedToday: d.Coupons.IssuedToday, RedeemedToday: d.Coupons.RedeemedToday,
			IssuedWeek: d.Coupons.IssuedWeek, RedeemedWeek: d.Coupons.RedeemedWeek},
		GeneratedAt: timeString(now),
	})
}
