package web

import (
	"net/http"
	"strconv"

	"github.com/julienschmidt/httprouter"

	"gatehouse/app"
)

// scheduleRunJSON is the contract's ScheduleRun.
type scheduleRunJSON struct {
	ID            string                `json:"id"`
	Slot          string                `json:"slot"`
	Manual        bool                  `json:"manual"`
	RanAt         string                `json:"ran_at"`
	Generated     int                   `json:"generated"`
	Used          int                   `json:"used"`
	Available     int                   `json:"available"`
	Notifications []runNotificationJSON `json:"notifications"`
}

// runNotificationJSON is one notification of a ScheduleRun.
type runNotificationJSON struct {
	Channel     string  `json:"channel"`
	Target      string  `json:"target"`
	Status      string  `json:"status"`
	Attempts    int     `json:"attempts"`
	LastError   *string `json:"last_error"`
	DeliveredAt *string `json:"delivered_at"`
}

// scheduleRunToJSON is run as the contract shows it. The notifications,
// whose targets are e-mail addresses and webhook URLs (a webhook URL may
// be a bearer secret), are shown only to callers who may manage
// schedules and so see the notification groups anyway.
func scheduleRunToJSON(run app.ScheduleRun, withNotifications bool) scheduleRunJSON {
	out := scheduleRunJSON{
		ID: run.ID, Slot: run.Slot(), Manual: run.Manual(), RanAt: timeString(run.RanAt),
		Generated: run.Generated, Used: run.Used, Available: run.Available,
		Notifications: make([]runNotificationJSON, 0, len(run.Deliveries)),
	}
	if !withNotifications {
		return out
	}
	for _, d := range run.Deliveries {
		out.Notifications = append(out.Notifications, runNotificationJSON{Channel: d.Channel, Target: d.Target,
			Status: d.Status(), Attempts: d.Attempts, LastError: stringPtr(d.LastError), DeliveredAt: timePtr(d.DeliveredAt)})
	}
	return out
}

// runLimit reads the limit query parameter of the run history:
// app.DefaultRunHistory when absent, EInvalid (param limit) when it is
// not a whole number in 1..app.MaxRunHistory.
func runLimit(r *http.Request) (int, error) {
	v := r.URL.Query().Get("limit")
	if v == "" {
		return app.DefaultRunHistory, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		n = -1
	}
	return n, app.CheckRunLimit(n)
}

// listScheduleRuns serves GET
// /captive/instances/:instanceId/coupon-schedules/:scheduleId/runs: the
// schedule's run history, newest first, with the outcome of each run's
// notifications.
func (s *Server) listScheduleRuns(w http.ResponseWriter, r *http.Request, p httprouter.Params) {
	limit, err := runLimit(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	runs, err := s.store.ScheduleRuns(r.Context(), p.ByName("instanceId"), p.ByName("scheduleId"), limit)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	caller, _ := principalFrom(r.Context())
	out := make([]scheduleRunJSON, 0, len(runs))
	for _, run := range runs {
		out = append(out, scheduleRunToJSON(run, caller.Role.Can(app.ActManageSchedules)))
	}
	writeJSON(w, http.StatusOK, out)
}
