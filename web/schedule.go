package web

import (
	"net/http"

	"github.com/julienschmidt/httprouter"

	"gatehouse/app"
)

// scheduleJSON is the contract's CouponSchedule.
type scheduleJSON struct {
	ID                    string  `json:"id"`
	Name                  string  `json:"name"`
	InstanceID            string  `json:"instance_id"`
	Count                 int     `json:"count"`
	RecurrenceType        string  `json:"recurrence_type"`
	DayOfWeek             *int    `json:"day_of_week"`
	DayOfMonth            *int    `json:"day_of_month"`
	ValidForInMinutes     int     `json:"valid_for_in_minutes"`
	Timezone              string  `json:"timezone"`
	NotificationGroupID   *string `json:"notification_group_id"`
	LastRunAt             *string `json:"last_run_at"`
	NextRunAt             *string `json:"next_run_at"`
	TokensUsed            int     `json:"tokens_used_since_last_run"`
	TokensGenerated       int     `json:"tokens_generated_since_last_run"`
	TokensAvailable       int     `json:"tokens_available_since_last_run"`
	CreatedAt             string  `json:"created_at"`
	RunAt                 string  `json:"run_at"`
	LastNotificationError *string `json:"last_notification_error"`
	PlanID                *string `json:"plan_id"`
}

// scheduleRequest is the contract's CouponScheduleRequest; on update,
// absent fields keep their value.
type scheduleRequest struct {
	Name                optional[string] `json:"name"`
	Count               optional[int]    `json:"count"`
	RecurrenceType      optional[string] `json:"recurrence_type"`
	ValidForInMinutes   optional[int]    `json:"valid_for_in_minutes"`
	Timezone            optional[string] `json:"timezone"`
	NotificationGroupID optional[string] `json:"notification_group_id"`
	DayOfWeek           optional[*int]   `json:"day_of_week"`
	DayOfMonth          optional[*int]   `json:"day_of_month"`
	RunAt               optional[string] `json:"run_at"`
	PlanID              optional[string] `json:"plan_id"`
}

func (req *scheduleRequest) applyTo(s *app.Schedule) {
	req.Name.apply(&s.Name)
	req.Count.apply(&s.Count)
	req.RecurrenceType.apply(&s.Recurrence)
	req.ValidForInMinutes.apply(&s.ValidForMinutes)
	req.Timezone.apply(&s.Timezone)
	req.NotificationGroupID.apply(&s.NotificationGroupID)
	req.DayOfWeek.apply(&s.DayOfWeek)
	req.DayOfMonth.apply(&s.DayOfMonth)
	req.RunAt.apply(&s.RunAt)
	req.PlanID.apply(&s.PlanID)
}

func (s *Server) scheduleJSON(sch app.Schedule) scheduleJSON {
	out := scheduleJSON{
		ID:                  sch.ID,
		Name:                sch.Name,
		InstanceID:          sch.InstanceID,
		Count:               sch.Count,
		RecurrenceType:      sch.Recurrence,
		DayOfWeek:           sch.DayOfWeek,
		DayOfMonth:          sch.DayOfMonth,
		ValidForInMinutes:   sch.ValidForMinutes,
		Timezone:            sch.Timezone,
		NotificationGroupID: stringPtr(sch.NotificationGroupID),
		CreatedAt:           timeString(sch.CreatedAt),
		RunAt:               sch.RunAt,
		PlanID:              stringPtr(sch.PlanID),
	}
	if next, _, err := sch.NextSlot(s.now()); err == nil {
		out.NextRunAt = timePtr(&next)
	}
	if run := sch.LastRun; run != nil {
		out.LastRunAt = timePtr(&run.RanAt)
		out.TokensGenerated, out.TokensUsed, out.TokensAvailable = run.Generated, run.Used, run.Available
		out.LastNotificationError = stringPtr(run.NotifyError)
	}
	return out
}

// listSchedules serves GET /captive/instances/:instanceId/coupon-schedules:
// the instance's coupon schedules.
func (s *Server) listSchedules(w http.ResponseWriter, r *http.Request, p httprouter.Params) {
	list, err := s.store.ListSchedules(r.Context(), p.ByName("instanceId"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := make([]scheduleJSON, 0, len(list))
	for _, sch := range list {
		out = append(out, s.scheduleJSON(sch))
	}
	writeJSON(w, http.StatusOK, out)
}

// createSchedule serves POST /captive/instances/:instanceId/coupon-schedules:
// a new schedule, which the scheduler loads; 201 with its Location.
func (s *Server) createSchedule(w http.ResponseWriter, r *http.Request, p httprouter.Params) {
	var req scheduleRequest
	if err := decodeJSON(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	err := requireFields(field{"name", req.Name.given()}, field{"count", req.Count.given()},
		field{"recurrence_type", req.RecurrenceType.given()}, field{"valid_for_in_minutes", req.ValidForInMinutes.given()},
		field{"timezone", req.Timezone.given()})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	sch := app.Schedule{InstanceID: p.ByName("instanceId")}
	req.applyTo(&sch)
	sch, err = s.store.CreateSchedule(r.Context(), sch)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.deps.Runner.ScheduleChanged(sch.ID)
	writeCreated(w, resourcePath("/captive/instances", sch.InstanceID)+resourcePath("/coupon-schedules", sch.ID), s.scheduleJSON(sch))
}

// getSchedule serves GET /captive/instances/:instanceId/coupon-schedules/:scheduleId:
// one schedule of the instance.
func (s *Server) getSchedule(w http.ResponseWriter, r *http.Request, p httprouter.Params) {
	sch, err := s.store.Schedule(r.Context(), p.ByName("instanceId"), p.ByName("scheduleId"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.scheduleJSON(sch))
}

// updateSchedule serves PUT /captive/instances/:instanceId/coupon-schedules/:scheduleId:
// a partial update of the fields sent, which the scheduler reloads.
func (s *Server) updateSchedule(w http.ResponseWriter, r *http.Request, p httprouter.Params) {
	var req scheduleRequest
	if err := decodeJSON(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	sch, err := s.store.UpdateSchedule(r.Context(), p.ByName("instanceId"), p.ByName("scheduleId"),
		func(sch *app.Schedule) error {
			req.applyTo(sch)
			return nil
		})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.deps.Runner.ScheduleChanged(sch.ID)
	writeJSON(w, http.StatusOK, s.scheduleJSON(sch))
}

// deleteSchedule serves DELETE /captive/instances/:instanceId/coupon-schedules/:scheduleId:
// the schedule is removed and the scheduler drops it; 204.
func (s *Server) deleteSchedule(w http.ResponseWriter, r *http.Request, p httprouter.Params) {
	id := p.ByName("scheduleId")
	if err := s.store.DeleteSchedule(r.Context(), p.ByName("instanceId"), id); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.deps.Runner.ScheduleChanged(id)
	w.WriteHeader(http.StatusNoContent)
}

// runSchedule serves POST /captive/instances/:instanceId/coupon-schedules/:scheduleId/run:
// one batch of the schedule now ("run now"); 201 with the new coupons.
func (s *Server) runSchedule(w http.ResponseWriter, r *http.Request, p httprouter.Params) {
	// Check the schedule belongs to the instance before running it.
	sch, err := s.store.Schedule(r.Context(), p.ByName("instanceId"), p.ByName("scheduleId"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	coupons, err := s.deps.Runner.RunNow(r.Context(), sch.ID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeCreated(w, resourcePath("/captive/instances", sch.InstanceID)+"/coupons", couponsToJSON(coupons, s.now()))
}

// signedURLJSON is the contract's SignedCouponUrl.
type signedURLJSON struct {
	SignedURL string `json:"signed_url"`
}

// generateScheduleURL serves GET /captive/instances/:instanceId/coupon-schedules/:scheduleId/generate_url:
// the signed public link to the schedule's coupons.
func (s *Server) generateScheduleURL(w http.ResponseWriter, r *http.Request, p httprouter.Params) {
	sch, err := s.store.Schedule(r.Context(), p.ByName("instanceId"), p.ByName("scheduleId"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, signedURLJSON{SignedURL: s.links.CouponListURL(sch.ID)})
}
