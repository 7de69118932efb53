package web

import (
	"fmt"
	"net/http"
	"time"

	"github.com/julienschmidt/httprouter"

	"gatehouse/app"
)

// couponUpdateRequest is the body of PUT .../coupons/{couponId}: the note
// is the only thing to change; null or "" clears it.
type couponUpdateRequest struct {
	Note optional[string] `json:"note"`
}

// couponExtendRequest is the body of POST .../coupons/{couponId}/extend.
type couponExtendRequest struct {
	Minutes optional[int] `json:"minutes"`
}

// writeCoupon answers with one coupon.
func (s *Server) writeCoupon(w http.ResponseWriter, c app.Coupon) {
	writeJSON(w, http.StatusOK, couponsToJSON([]app.Coupon{c}, s.now())[0])
}

// updateCoupon serves PUT .../coupons/{couponId}: sets the coupon's note.
func (s *Server) updateCoupon(w http.ResponseWriter, r *http.Request, p httprouter.Params) {
	var req couponUpdateRequest
	if err := decodeJSON(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	if !req.Note.set {
		s.writeError(w, r, app.Missing("note"))
		return
	}
	c, err := s.store.SetCouponNote(r.Context(), p.ByName("instanceId"), p.ByName("couponId"), req.Note.value)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeCoupon(w, c)
}

// extendCoupon serves POST .../coupons/{couponId}/extend: an unused
// coupon can be redeemed for longer, a redeemed one's session lasts longer
// (the routers learn the new limit-uptime at their next pass, kicked now).
func (s *Server) extendCoupon(w http.ResponseWriter, r *http.Request, p httprouter.Params) {
	var req couponExtendRequest
	if err := decodeJSON(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := requireFields(field{"minutes", req.Minutes.given()}); err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := app.CheckExtendMinutes(req.Minutes.value); err != nil {
		s.writeError(w, r, err)
		return
	}
	c, err := s.store.ExtendCoupon(r.Context(), p.ByName("instanceId"), p.ByName("couponId"),
		time.Duration(req.Minutes.value)*time.Minute)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.changed()
	s.writeCoupon(w, c)
}

// releaseCoupon serves POST .../coupons/{couponId}/release: frees a
// redeemed coupon for the guest's new device. The old device's sessions
// end on the routers first (a router that cannot be reached answers 503
// and nothing changes, so the desk can try again); then the coupon's
// device lock is cleared and the routers are told, so the next device to
// log in with the code gets the rest of the session and is locked in turn.
func (s *Server) releaseCoupon(w http.ResponseWriter, r *http.Request, p httprouter.Params) {
	ctx := r.Context()
	plan, err := s.store.PlanRelease(ctx, p.ByName("instanceId"), p.ByName("couponId"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	ended := map[string]bool{}
	for _, u := range plan.Sessions {
		if _, err := s.deps.Routers.Disconnect(ctx, u.SiteID, u.ID); err != nil {
			s.writeError(w, r, fmt.Errorf("release coupon %s: %w", plan.Coupon.ID, err))
			return
		}
		ended[u.SiteID] = true
	}
	// A session the routers started after their last report is not
	// recorded yet: end the old device's sessions where it was redeemed.
	if plan.SiteID != "" && plan.OldMAC != "" && !ended[plan.SiteID] {
		err := s.deps.Routers.EndGuestSession(ctx, plan.SiteID, plan.Coupon.Code, plan.OldMAC)
		if err != nil && app.ErrorCode(err) != app.ENotFound { // ENotFound: the site is gone
			s.writeError(w, r, fmt.Errorf("release coupon %s: %w", plan.Coupon.ID, err))
			return
		}
	}
	c, err := s.store.ReleaseCoupon(ctx, p.ByName("instanceId"), p.ByName("couponId"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.changed()
	s.writeCoupon(w, c)
}
