package web

import (
	"embed"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"time"

	"github.com/julienschmidt/httprouter"

	"gatehouse/app"
)

//go:embed templates/*.html
var templateFiles embed.FS

var couponPage = template.Must(template.ParseFS(templateFiles, "templates/coupons.html"))

// couponLinkPage is what the printable coupon list shows.
type couponLinkPage struct {
	Now     string
	Coupons []struct{ Code, Until string }
}

// signedCoupons serves GET /captive/coupons: a schedule's valid coupons
// for whoever holds a signed link, without a token. The signature is
// checked before anything is read from the database. format (json, csv,
// html) is presentation only and outside the signature.
func (s *Server) signedCoupons(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	q := r.URL.Query()
	if err := s.verifyPublicLink(w, r, app.CouponListPath, "sid"); err != nil {
		s.writeError(w, r, err)
		return
	}
	format := q.Get("format")
	switch format {
	case "", "json", "csv", "html":
	default:
		s.writeError(w, r, app.Invalid("format", app.ReasonParameterInvalid, "format must be json, csv or html"))
		return
	}
	list, err := s.store.ScheduleCoupons(r.Context(), q.Get("sid"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	now := s.now()
	switch format {
	case "csv":
		writeCouponCSV(w, list, now)
	case "html":
		page := couponLinkPage{Now: now.UTC().Format("2006-01-02 15:04")}
		for _, c := range list {
			page.Coupons = append(page.Coupons, struct{ Code, Until string }{c.Code, c.ExpiresAt.UTC().Format("2006-01-02 15:04")})
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
		if err := couponPage.Execute(w, page); err != nil {
			s.logger.WarnContext(r.Context(), "render coupon page", "err", err)
		}
	default:
		writeJSON(w, http.StatusOK, couponsToJSON(list, now))
	}
}

// verifyPublicLink checks the signature of a public link, limiting how
// many bad signatures one source may try: guessing gets 429 with
// Retry-After.
func (s *Server) verifyPublicLink(w http.ResponseWriter, r *http.Request, path string, signed ...string) error {
	key, now := "src:"+clientIP(r), s.now()
	if wait := s.linkFailures.blocked(key, now); wait > 0 {
		secs := int(wait/time.Second) + 1
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		return &app.Error{Code: app.ETooMany, Message: fmt.Sprintf("too many bad links from this address; try again in %d seconds", secs)}
	}
	err := s.links.Verify(http.MethodGet, path, r.URL.Query(), signed...)
	if app.ErrorCode(err) == app.EForbidden {
		s.linkFailures.fail(key, now)
	}
	return err
}
