package web

import (
	"context"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"

	"github.com/julienschmidt/httprouter"

	"gatehouse/app"
)

// couponCardsRequest is the contract's CouponCardsRequest: exactly one of
// the two fields.
type couponCardsRequest struct {
	CouponIDs optional[[]string] `json:"coupon_ids"`
	RunID     optional[string]   `json:"run_id"`
}

// couponCardsJSON is the contract's CouponCards.
type couponCardsJSON struct {
	Instance cardInstanceJSON `json:"instance"`
	Cards    []couponCardJSON `json:"cards"`
}

// cardInstanceJSON is what a card shows of its instance.
type cardInstanceJSON struct {
	ID         string  `json:"id"`
	Name       string  `json:"name"`
	WifiName   *string `json:"wifi_name"`
	LogoURL    *string `json:"logo_url"`
	SessionTTL int     `json:"session_ttl"`
	// Text is the card's wording in the instance's language (extension).
	Text cardTextJSON `json:"text"`
}

// cardTextJSON is what a card says, in the instance's language.
type cardTextJSON struct {
	Lang       string `json:"lang"`
	How        string `json:"how"`
	ValidUntil string `json:"valid_until"`
	Internet   string `json:"internet"`
	Void       string `json:"void"`
}

// cardText words a card of in in the instance's language (its locale, as
// the portal speaks it).
func cardText(in app.Instance) cardTextJSON {
	lang := portalLanguage("", in.Locale)
	t := portalLanguages[lang]
	how := t["card_how"]
	if in.WifiName != "" {
		how = fmt.Sprintf(t["card_how_wifi"], in.WifiName)
	}
	return cardTextJSON{Lang: lang, How: how, ValidUntil: t["card_valid_until"], Internet: t["card_internet"], Void: t["card_void"]}
}

// couponCardJSON is the contract's CouponCard.
type couponCardJSON struct {
	ID        string `json:"id"`
	Code      string `json:"code"`
	Status    string `json:"status"`
	ExpiresAt string `json:"expires_at"`
	PortalURL string `json:"portal_url"`
	// QRURL is the link the QR code opens: the hotspot's own login page
	// with the code when the instance's hotspot is known, else PortalURL
	// (extension; see cardLink).
	QRURL string `json:"qr_url"`
	QR    string `json:"qr"`
	// Plan is what the card sells; nil for a coupon without a plan
	// (extension).
	Plan *cardPlanJSON `json:"plan"`
}

// cardPlanJSON is what a card shows of its coupon's plan: the plan's
// limits, and the price and currency the coupon was made with.
type cardPlanJSON struct {
	ID             string  `json:"id"`
	Name           string  `json:"name"`
	SessionMinutes int     `json:"session_minutes"`
	DataLimitMB    *int    `json:"data_limit_mb"`
	DownloadKbps   *int    `json:"download_kbps"`
	UploadKbps     *int    `json:"upload_kbps"`
	Devices        int     `json:"devices"`
	Price          *int64  `json:"price"`
	Currency       *string `json:"currency"`
}

// cardPlans looks up the plan of each coupon that has one, once a plan.
func (s *Server) cardPlans(ctx context.Context, coupons []app.Coupon) (map[string]app.Plan, error) {
	plans := make(map[string]app.Plan)
	for _, c := range coupons {
		if _, done := plans[c.PlanID]; c.PlanID == "" || done {
			continue
		}
		p, err := s.store.Plan(ctx, c.PlanID)
		if err != nil {
			return nil, fmt.Errorf("plan of coupon %s: %w", c.ID, err)
		}
		plans[p.ID] = p
	}
	return plans, nil
}

// cardPlan is the card's plan for coupon c: nil without one.
func cardPlan(c app.Coupon, plans map[string]app.Plan) *cardPlanJSON {
	p, ok := plans[c.PlanID]
	if !ok {
		return nil
	}
	return &cardPlanJSON{ID: p.ID, Name: p.Name, SessionMinutes: p.SessionMinutes, DataLimitMB: p.DataLimitMB,
		DownloadKbps: p.DownloadKbps, UploadKbps: p.UploadKbps, Devices: p.Devices,
		Price: c.Price, Currency: stringPtr(c.Currency)}
}

// check enforces "exactly one of coupon_ids and run_id" and the size of
// coupon_ids.
func (req *couponCardsRequest) check() error {
	switch ids, run := req.CouponIDs.given(), req.RunID.given(); {
	case ids && run:
		return app.Invalid("run_id", app.ReasonParameterInvalid, "send coupon_ids or run_id, not both")
	case run:
		return nil
	case ids:
		return app.CheckCouponIDs(req.CouponIDs.value)
	}
	return app.Invalid("coupon_ids", app.ReasonParameterMissing, "send coupon_ids (the coupons to print) or run_id (a schedule run)")
}

// couponCards serves POST /captive/instances/:instanceId/coupons/cards:
// what a printable sheet of coupon cards needs, each card with a link to
// the portal with its code filled in and that link as a QR code.
// EConflict base_url_loopback when the base URL is loopback (base_url.go).
func (s *Server) couponCards(w http.ResponseWriter, r *http.Request, p httprouter.Params) {
	var req couponCardsRequest
	if err := decodeJSON(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := req.check(); err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := s.requireGuestBaseURL("refusal.cards_base_url"); err != nil {
		s.writeError(w, r, err)
		return
	}
	in, err := s.store.Instance(r.Context(), p.ByName("instanceId"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var coupons []app.Coupon
	if req.RunID.given() {
		coupons, err = s.store.RunCoupons(r.Context(), in.ID, req.RunID.value)
	} else {
		coupons, err = s.store.CouponsByID(r.Context(), in.ID, req.CouponIDs.value)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	plans, err := s.cardPlans(r.Context(), coupons)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	logo, _ := s.imageURLs(in)
	out := couponCardsJSON{
		Instance: cardInstanceJSON{ID: in.ID, Name: in.Name, WifiName: stringPtr(in.WifiName),
			LogoURL: stringPtr(logo), SessionTTL: in.SessionTTL, Text: cardText(in)},
		Cards: make([]couponCardJSON, 0, len(coupons)),
	}
	portals, links := make([]string, len(coupons)), make([]string, len(coupons))
	hotspot := s.cardHotspot(r.Context(), in)
	for i, c := range coupons {
		portals[i] = s.portalCodeURL(in.ID, c.Code)
		links[i] = cardLink(hotspot, c.Code, portals[i], s.portalURL(in.ID))
	}
	// Drawing QR codes is CPU work (~2 ms a code): one sheet at a time,
	// so that printing cannot starve the portal and the API.
	select {
	case s.cardSheets <- struct{}{}:
		defer func() { <-s.cardSheets }()
	case <-r.Context().Done():
		return // the client went away while waiting
	}
	qrs, err := qrDataURIs(r.Context(), links)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	now := s.now()
	for i, c := range coupons {
		out.Cards = append(out.Cards, couponCardJSON{ID: c.ID, Code: c.Code, Status: c.Status(now),
			ExpiresAt: timeString(c.ExpiresAt), PortalURL: portals[i], QRURL: links[i], QR: qrs[i], Plan: cardPlan(c, plans)})
	}
	writeJSON(w, http.StatusOK, out)
}

// portalCodeURL is the guest portal of an instance with code filled in.
func (s *Server) portalCodeURL(instanceID, code string) string {
	return s.portalURL(instanceID) + "?" + url.Values{"code": {code}}.Encode()
}

// portalURL is the guest portal of an instance.
func (s *Server) portalURL(instanceID string) string {
	return strings.TrimRight(s.links.BaseURL, "/") + "/portal/" + instanceID
}

// cardHotspot is the hotspot host a card's QR code can log in at: one
// that every site of the instance reported (app.SiteStatus.HotspotHosts),
// a DNS name before an address. "" when a site's hotspot is unknown or the
// sites have different hotspots: a card does not know where it is
// scanned, so it then opens the portal.
func (s *Server) cardHotspot(ctx context.Context, in app.Instance) string {
	var common []string
	for i, is := range in.Sites {
		site, err := s.store.Site(ctx, is.ID)
		if err != nil || len(site.Status.HotspotHosts) == 0 {
			return ""
		}
		if i == 0 {
			common = slices.Clone(site.Status.HotspotHosts)
			continue
		}
		common = slices.DeleteFunc(common, func(h string) bool { return !slices.Contains(site.Status.HotspotHosts, h) })
	}
	slices.SortFunc(common, func(a, b string) int {
		_, errA := netip.ParseAddr(a)
		_, errB := netip.ParseAddr(b)
		if (errA == nil) != (errB == nil) { // names (a parse error) first
			if errA != nil {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	})
	if len(common) == 0 {
		return ""
	}
	return common[0]
}

// cardLink is what a card's QR code opens: with a hotspot host, the
// hotspot's own login URL with the code as user name and password and
// the portal as destination, which logs in any device on the Wi-Fi
// (the hotspot profile must allow http-pap); else the portal with the
// code filled in.
func cardLink(hotspot, code, portalCode, portal string) string {
	if hotspot == "" {
		return portalCode
	}
	u := url.URL{Scheme: "http", Host: hotspot, Path: "/login",
		RawQuery: url.Values{"username": {code}, "password": {code}, "dst": {portal}}.Encode()}
	if strings.Contains(hotspot, ":") { // an IPv6 address
		u.Host = "[" + hotspot + "]"
	}
	return u.String()
}
