package web

import (
	"context"
	"net/http"

	"github.com/julienschmidt/httprouter"

	"gatehouse/app"
)

// Guests' personal data (extensions): consent receipts, access requests
// and erasure. See app/guest.go for the rules.

// consentLangParam carries the language a guest saw the terms in from the
// start of an OAuth2 sign-in to the grant, inside the attempt's stored
// router parameters.
const consentLangParam = "gatehouse-terms-lang"

// recordConsent keeps a consent receipt when the instance has terms in
// lang: the guest accepted them to get on. A failure is logged; the guest
// is online either way.
func (s *Server) recordConsent(ctx context.Context, inst app.Instance, lang string, c app.Consent) {
	terms := inst.Terms(lang)
	if terms == "" {
		return
	}
	c.InstanceID, c.Lang = inst.ID, lang
	if err := s.store.RecordConsent(ctx, c, terms); err != nil {
		s.logger.ErrorContext(ctx, "portal: record consent", "instance", inst.ID, "err", err)
	}
}

// consentOAuth keeps the consent receipt of a guest an OAuth2 sign-in let
// on, in the language the sign-in started in (else the instance's).
func (s *Server) consentOAuth(ctx context.Context, a app.OAuthAttempt, g app.OAuthGuest) {
	inst, err := s.store.Instance(ctx, a.InstanceID)
	if err != nil {
		s.logger.ErrorContext(ctx, "oauth: record consent", "instance", a.InstanceID, "err", err)
		return
	}
	lang := a.RouterParams.Get(consentLangParam)
	if _, ok := portalLanguages[lang]; !ok {
		lang = portalLanguage("", inst.Locale)
	}
	s.recordConsent(ctx, inst, lang, app.Consent{SiteID: g.SiteID, Username: g.Username, MACAddress: g.MACAddress,
		Identity: g.Identity})
}

// consentJSON is a Consent of the API.
type consentJSON struct {
	ID         string  `json:"id"`
	InstanceID string  `json:"instance_id"`
	TermsHash  string  `json:"terms_hash"`
	Lang       string  `json:"lang"`
	At         string  `json:"at"`
	SiteID     *string `json:"site_id"`
	CouponID   *string `json:"coupon_id"`
	Username   *string `json:"username"`
	MACAddress *string `json:"mac_address"`
	Identity   *string `json:"identity"`
	SiteUserID *string `json:"site_user_id"`
	Anonymized bool    `json:"anonymized"`
}

func consentToJSON(c app.Consent) consentJSON {
	return consentJSON{ID: c.ID, InstanceID: c.InstanceID, TermsHash: c.TermsHash, Lang: c.Lang, At: timeString(c.At),
		SiteID: stringPtr(c.SiteID), CouponID: stringPtr(c.CouponID), Username: stringPtr(c.Username),
		MACAddress: stringPtr(c.MACAddress), Identity: stringPtr(c.Identity), SiteUserID: stringPtr(c.SiteUserID),
		Anonymized: c.Anonymized}
}

// listConsents serves GET /captive/instances/:instanceId/consents: the
// instance's consent receipts, oldest first, filtered by since, until,
// mac and identity; CSV with Accept: text/csv.
func (s *Server) listConsents(w http.ResponseWriter, r *http.Request, p httprouter.Params) {
	q := r.URL.Query()
	f := app.ConsentFilter{MAC: q.Get("mac"), Identity: q.Get("identity")}
	var err error
	if f.Since, err = queryTime(q, "since"); err == nil {
		f.Until, err = queryTime(q, "until")
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	list, err := s.store.ListConsents(r.Context(), p.ByName("instanceId"), f)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if wantsCSV(r) {
		cw := csvAttachment(w, "consents.csv", "id", "at", "terms_hash", "lang", "site_id", "coupon_id", "username",
			"mac_address", "identity", "site_user_id", "anonymized")
		for _, c := range list {
			anon := "false"
			if c.Anonymized {
				anon = "true"
			}
			_ = cw.Write([]string{c.ID, timeString(c.At), c.TermsHash, c.Lang, c.SiteID, c.CouponID, csvCell(c.Username),
				c.MACAddress, csvCell(c.Identity), c.SiteUserID, anon})
		}
		cw.Flush()
		return
	}
	out := make([]consentJSON, len(list))
	for i, c := range list {
		out[i] = consentToJSON(c)
	}
	writeJSON(w, http.StatusOK, out)
}

// termsVersionJSON is one accepted text of an instance's terms.
type termsVersionJSON struct {
	Hash        string `json:"hash"`
	Text        string `json:"text"`
	FirstSeenAt string `json:"first_seen_at"`
}

// getTermsVersion serves GET /captive/terms-versions/:hash: the exact
// terms text a consent's terms_hash names.
func (s *Server) getTermsVersion(w http.ResponseWriter, r *http.Request, p httprouter.Params) {
	v, err := s.store.TermsVersion(r.Context(), p.ByName("hash"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, termsVersionJSON{Hash: v.Hash, Text: v.Text, FirstSeenAt: timeString(v.FirstSeenAt)})
}

// guestRecordJSON is everything held about one person.
type guestRecordJSON struct {
	MAC         *string           `json:"mac"`
	Identity    *string           `json:"identity"`
	SiteUsers   []siteUserJSON    `json:"site_users"`
	Coupons     []guestCouponJSON `json:"coupons"`
	DeviceMoves []guestMoveJSON   `json:"device_moves"`
	Consents    []consentJSON     `json:"consents"`
	OAuth       []guestOAuthJSON  `json:"oauth_sign_ins"`
}

type guestCouponJSON struct {
	ID         string  `json:"id"`
	InstanceID string  `json:"instance_id"`
	Code       string  `json:"code"`
	RedeemedAt *string `json:"redeemed_at"`
	MACAddress *string `json:"mac_address"`
}

type guestMoveJSON struct {
	CouponID string `json:"coupon_id"`
	At       string `json:"at"`
	FromMAC  string `json:"from_mac"`
	ToMAC    string `json:"to_mac"`
}

type guestOAuthJSON struct {
	SiteUserID string `json:"site_user_id"`
	SiteID     string `json:"site_id"`
	InstanceID string `json:"instance_id"`
	Provider   string `json:"provider"`
	Subject    string `json:"subject"`
	Username   string `json:"username"`
	MACAddress string `json:"mac_address"`
	CreatedAt  string `json:"created_at"`
	EndsAt     string `json:"ends_at"`
}

func guestRecordToJSON(rec app.GuestRecord) guestRecordJSON {
	out := guestRecordJSON{MAC: stringPtr(rec.Query.MAC), Identity: stringPtr(rec.Query.Identity),
		SiteUsers: []siteUserJSON{}, Coupons: []guestCouponJSON{}, DeviceMoves: []guestMoveJSON{},
		Consents: []consentJSON{}, OAuth: []guestOAuthJSON{}}
	for _, u := range rec.SiteUsers {
		out.SiteUsers = append(out.SiteUsers, siteUserToJSON(u))
	}
	for _, c := range rec.Coupons {
		out.Coupons = append(out.Coupons, guestCouponJSON{ID: c.ID, InstanceID: c.InstanceID, Code: c.Code,
			RedeemedAt: timePtr(c.RedeemedAt), MACAddress: stringPtr(c.MACAddress)})
	}
	for _, m := range rec.DeviceMoves {
		out.DeviceMoves = append(out.DeviceMoves, guestMoveJSON{CouponID: m.CouponID, At: timeString(m.At), FromMAC: m.FromMAC, ToMAC: m.ToMAC})
	}
	for _, c := range rec.Consents {
		out.Consents = append(out.Consents, consentToJSON(c))
	}
	for _, g := range rec.OAuth {
		out.OAuth = append(out.OAuth, guestOAuthJSON{SiteUserID: g.SiteUserID, SiteID: g.SiteID, InstanceID: g.InstanceID,
			Provider: g.Provider, Subject: g.Subject, Username: g.Username, MACAddress: g.MACAddress,
			CreatedAt: timeString(g.CreatedAt), EndsAt: timeString(g.EndsAt)})
	}
	return out
}

// guestQuery reads ?mac= or ?identity=.
func guestQuery(r *http.Request) app.GuestQuery {
	return app.GuestQuery{MAC: r.URL.Query().Get("mac"), Identity: r.URL.Query().Get("identity")}
}

// findGuest serves GET /captive/guests?mac=…|identity=…: an access
// request, everything gatehouse holds about that person (records already
// anonymized from them included, marked by their "anon:" values).
func (s *Server) findGuest(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	rec, err := s.store.FindGuest(r.Context(), guestQuery(r))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, guestRecordToJSON(rec))
}

// erasedJSON is the answer of an erasure.
type erasedJSON struct {
	Anonymized int `json:"anonymized"`
}

// eraseGuest serves DELETE /captive/guests?mac=…|identity=…: an erasure
// request; everything held about the person is anonymized now (the write
// is audited, without the MAC or identity). 409 while they are online.
func (s *Server) eraseGuest(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	n, err := s.store.EraseGuest(r.Context(), guestQuery(r), s.now())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, erasedJSON{Anonymized: n})
}
