package web

import (
	"encoding/csv"
	"net/http"
	"strings"
	"time"

	"github.com/julienschmidt/httprouter"

	"gatehouse/app"
)

// couponJSON is the contract's Coupon (every field after created_at is an
// extension).
type couponJSON struct {
	ID         string  `json:"id"`
	Code       string  `json:"code"`
	ExpiresAt  string  `json:"expires_at"`
	RedeemedAt *string `json:"redeemed_at"`
	CreatedAt  string  `json:"created_at"`
	Status     string  `json:"status"`
	RevokedAt  *string `json:"revoked_at"`
	ScheduleID *string `json:"schedule_id"`
	Note       string  `json:"note"`
	// SessionEndsAt is when a redeemed coupon's session ends (time the
	// desk added included); null when not redeemed.
	SessionEndsAt *string `json:"session_ends_at"`
	// RedeemedMAC is the device the coupon is locked to; null when none.
	RedeemedMAC *string `json:"redeemed_mac"`
	// PlanID is the plan the coupon was made with; Price and Currency
	// are the plan's as they were then. All null without a plan.
	PlanID   *string `json:"plan_id"`
	Price    *int64  `json:"price"`
	Currency *string `json:"currency"`
	// SessionMinutes and DataLimitMB are what a coupon of a plan sold
	// (null without a plan: the instance's session_ttl, no data limit);
	// BytesIn and BytesOut what the guest used, DataLeftMB what is left
	// (null when unlimited), UsedUpAt when the data ran out.
	SessionMinutes *int    `json:"session_minutes"`
	DataLimitMB    *int    `json:"data_limit_mb"`
	BytesIn        int64   `json:"bytes_in"`
	BytesOut       int64   `json:"bytes_out"`
	DataLeftMB     *int64  `json:"data_left_mb"`
	UsedUpAt       *string `json:"used_up_at"`
}

// couponRequest is the contract's CouponCreateRequest (note and plan_id
// are extensions; with a plan, minutes_valid defaults to the plan's
// valid_minutes).
type couponRequest struct {
	MinutesValid optional[int]    `json:"minutes_valid"`
	Count        optional[int]    `json:"count"`
	Note         optional[string] `json:"note"`
	PlanID       optional[string] `json:"plan_id"`
}

func couponsToJSON(list []app.Coupon, now time.Time) []couponJSON {
	out := make([]couponJSON, 0, len(list))
	for _, c := range list {
		out = append(out, couponJSON{
			ID:             c.ID,
			Code:           c.Code,
			ExpiresAt:      timeString(c.ExpiresAt),
			RedeemedAt:     timePtr(c.RedeemedAt),
			CreatedAt:      timeString(c.CreatedAt),
			Status:         c.Status(now),
			RevokedAt:      timePtr(c.RevokedAt),
			ScheduleID:     stringPtr(c.ScheduleID),
			Note:           c.Note,
			SessionEndsAt:  timePtr(c.SessionEnds),
			RedeemedMAC:    stringPtr(c.RedeemedMAC),
			PlanID:         stringPtr(c.PlanID),
			Price:          c.Price,
			Currency:       stringPtr(c.Currency),
			SessionMinutes: minutesPtr(c.Session),
			DataLimitMB:    c.DataLimitMB,
			BytesIn:        c.BytesIn,
			BytesOut:       c.BytesOut,
			DataLeftMB:     c.DataLeftMB(),
			UsedUpAt:       timePtr(c.UsedUpAt),
		})
	}
	return out
}

// minutesPtr is a duration in whole minutes, nil for 0.
func minutesPtr(d time.Duration) *int {
	if d == 0 {
		return nil
	}
	m := int(d / time.Minute)
	return &m
}

// createCoupons serves POST /captive/instances/:instanceId/coupons: count
// new coupons valid for minutes_valid, which the routers are told of; 201.
func (s *Server) createCoupons(w http.ResponseWriter, r *http.Request, p httprouter.Params) {
	var req couponRequest
	if err := decodeJSON(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	// minutes_valid may be left out when a plan gives it.
	err := requireFields(field{"minutes_valid", req.MinutesValid.given() || req.PlanID.given()}, field{"count", req.Count.given()})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if req.MinutesValid.given() && req.MinutesValid.value == 0 {
		// 0 would mean "the plan's"; as a value sent it is out of range.
		s.writeError(w, r, app.CheckCouponBatch(1, 0, 1))
		return
	}
	list, err := s.store.IssueCoupons(r.Context(), p.ByName("instanceId"),
		app.CouponIssue{Count: req.Count.value, MinutesValid: req.MinutesValid.value, Note: req.Note.value, PlanID: req.PlanID.value,
			Actor: actorFrom(r.Context())})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.changed()
	writeCreated(w, resourcePath("/captive/instances", p.ByName("instanceId"))+"/coupons", couponsToJSON(list, s.now()))
}

// listCoupons serves GET /captive/instances/:instanceId/coupons: the
// instance's coupons, filtered by status, q and plan_id, as JSON or CSV.
func (s *Server) listCoupons(w http.ResponseWriter, r *http.Request, p httprouter.Params) {
	status, err := app.CheckCouponStatus(r.URL.Query().Get("status"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	list, err := s.store.FindCoupons(r.Context(), p.ByName("instanceId"),
		app.CouponQuery{Status: status, Search: r.URL.Query().Get("q"), PlanID: r.URL.Query().Get("plan_id")})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if wantsCSV(r) {
		writeCouponCSV(w, list, s.now())
		return
	}
	writeJSON(w, http.StatusOK, couponsToJSON(list, s.now()))
}

// revokeCoupon serves DELETE /captive/instances/:instanceId/coupons/:couponId:
// the coupon is withdrawn and the routers are told; 204.
func (s *Server) revokeCoupon(w http.ResponseWriter, r *http.Request, p httprouter.Params) {
	if err := s.store.RevokeCoupon(r.Context(), p.ByName("instanceId"), p.ByName("couponId"), actorFrom(r.Context())); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.changed()
	w.WriteHeader(http.StatusNoContent)
}

// wantsCSV reports whether the client prefers CSV to JSON.
func wantsCSV(r *http.Request) bool {
	accept := r.Header.Get("Accept")
	return strings.Contains(accept, "text/csv") && !strings.Contains(accept, "application/json")
}

// writeCouponCSV writes coupons as CSV with a header row.
func writeCouponCSV(w http.ResponseWriter, list []app.Coupon, now time.Time) {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="coupons.csv"`)
	w.WriteHeader(http.StatusOK)
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"code", "status", "expires_at", "redeemed_at", "created_at", "id", "note"})
	for _, c := range list {
		redeemed := ""
		if c.RedeemedAt != nil {
			redeemed = timeString(*c.RedeemedAt)
		}
		_ = cw.Write([]string{csvCell(c.Code), c.Status(now), timeString(c.ExpiresAt), redeemed, timeString(c.CreatedAt), c.ID, csvCell(c.Note)})
	}
	cw.Flush() // write errors mean the client went away
}

// csvCell defuses spreadsheet formulas: a cell that starts with = + - @
// or a control character is prefixed with a quote, so a spreadsheet shows
// it as text instead of evaluating it.
func csvCell(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}
