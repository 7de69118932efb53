package web

import (
	"net/http"

	"github.com/julienschmidt/httprouter"

	"gatehouse/app"
)

// planJSON is a Plan (extension).
type planJSON struct {
	ID             string  `json:"id"`
	Name           string  `json:"name"`
	SessionMinutes int     `json:"session_minutes"`
	DataLimitMB    *int    `json:"data_limit_mb"`
	DownloadKbps   *int    `json:"download_kbps"`
	UploadKbps     *int    `json:"upload_kbps"`
	Devices        int     `json:"devices"`
	ValidMinutes   int     `json:"valid_minutes"`
	Price          int64   `json:"price"`
	Currency       *string `json:"currency"`
	CreatedAt      string  `json:"created_at"`
}

// planRequest is PlanRequest; on update absent fields keep their value
// and null clears the nullable ones.
type planRequest struct {
	Name           optional[string] `json:"name"`
	SessionMinutes optional[int]    `json:"session_minutes"`
	DataLimitMB    optional[*int]   `json:"data_limit_mb"`
	DownloadKbps   optional[*int]   `json:"download_kbps"`
	UploadKbps     optional[*int]   `json:"upload_kbps"`
	Devices        optional[int]    `json:"devices"`
	ValidMinutes   optional[int]    `json:"valid_minutes"`
	Price          optional[int64]  `json:"price"`
	Currency       optional[string] `json:"currency"`
}

func (req *planRequest) applyTo(p *app.Plan) {
	req.Name.apply(&p.Name)
	req.SessionMinutes.apply(&p.SessionMinutes)
	req.DataLimitMB.apply(&p.DataLimitMB)
	req.DownloadKbps.apply(&p.DownloadKbps)
	req.UploadKbps.apply(&p.UploadKbps)
	req.Devices.apply(&p.Devices)
	req.ValidMinutes.apply(&p.ValidMinutes)
	req.Price.apply(&p.Price)
	req.Currency.apply(&p.Currency)
}

func planToJSON(p app.Plan) planJSON {
	return planJSON{
		ID:             p.ID,
		Name:           p.Name,
		SessionMinutes: p.SessionMinutes,
		DataLimitMB:    p.DataLimitMB,
		DownloadKbps:   p.DownloadKbps,
		UploadKbps:     p.UploadKbps,
		Devices:        p.Devices,
		ValidMinutes:   p.ValidMinutes,
		Price:          p.Price,
		Currency:       stringPtr(p.Currency),
		CreatedAt:      timeString(p.CreatedAt),
	}
}

// listPlans serves GET /captive/plans: every plan, oldest first.
func (s *Server) listPlans(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	list, err := s.store.ListPlans(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := make([]planJSON, 0, len(list))
	for _, p := range list {
		out = append(out, planToJSON(p))
	}
	writeJSON(w, http.StatusOK, out)
}

// createPlan serves POST /captive/plans: a new plan, with the defaults of
// app.NewPlan for what the request leaves out; 201 with its Location.
func (s *Server) createPlan(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	var req planRequest
	if err := decodeJSON(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := requireFields(field{"name", req.Name.given()}, field{"session_minutes", req.SessionMinutes.given()}); err != nil {
		s.writeError(w, r, err)
		return
	}
	p := app.NewPlan()
	req.applyTo(&p)
	p, err := s.store.CreatePlan(r.Context(), p)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeCreated(w, resourcePath("/captive/plans", p.ID), planToJSON(p))
}

// getPlan serves GET /captive/plans/:planId: one plan.
func (s *Server) getPlan(w http.ResponseWriter, r *http.Request, ps httprouter.Params) {
	p, err := s.store.Plan(r.Context(), ps.ByName("planId"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, planToJSON(p))
}

// updatePlan serves PUT /captive/plans/:planId: a partial update of the
// fields sent. Coupons already made keep their price and currency.
func (s *Server) updatePlan(w http.ResponseWriter, r *http.Request, ps httprouter.Params) {
	var req planRequest
	if err := decodeJSON(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	p, err := s.store.UpdatePlan(r.Context(), ps.ByName("planId"), func(p *app.Plan) error {
		req.applyTo(p)
		return nil
	})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, planToJSON(p))
}

// deletePlan serves DELETE /captive/plans/:planId: 204, or 409 while
// coupons or coupon schedules use the plan.
func (s *Server) deletePlan(w http.ResponseWriter, r *http.Request, ps httprouter.Params) {
	if err := s.store.DeletePlan(r.Context(), ps.ByName("planId")); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
