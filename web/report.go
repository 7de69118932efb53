package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/julienschmidt/httprouter"

	"gatehouse/app"
)

// Reports (extensions): sales from the ledger, usage from the coupons and
// the guests-online samples, per day, week, month (or hour of day for
// usage) in the caller's time zone; JSON, or CSV with Accept: text/csv.

// reportHead is what every report says about its range.
type reportHead struct {
	From    string   `json:"from"`
	To      string   `json:"to"`
	TZ      string   `json:"tz"`
	GroupBy string   `json:"group_by"`
	Periods []string `json:"periods"`
}

type salesRowJSON struct {
	Period   string `json:"period"`
	PlanID   string `json:"plan_id"`
	PlanName string `json:"plan_name"`
	Currency string `json:"currency"`
	tallyJSON
	Net int64 `json:"net"`
}

type salesReportJSON struct {
	reportHead
	Rows []salesRowJSON `json:"rows"`
}

type usageRowJSON struct {
	Period        string `json:"period"`
	Issued        int    `json:"issued"`
	Redeemed      int    `json:"redeemed"`
	ExpiredUnused int    `json:"expired_unused"`
	OnlinePeak    int    `json:"online_peak"`
	DataUsedMB    int64  `json:"data_used_mb"`
}

type usageReportJSON struct {
	reportHead
	Rows []usageRowJSON `json:"rows"`
}

// reportRange reads from, to, group_by and tz.
func (s *Server) reportRange(r *http.Request, hourOK bool) (app.ReportRange, reportHead, error) {
	q := r.URL.Query()
	rr, err := app.ParseReportRange(q.Get("from"), q.Get("to"), q.Get("group_by"), q.Get("tz"), s.now(), hourOK)
	head := reportHead{From: rr.From.Format(time.DateOnly), To: rr.To.Format(time.DateOnly),
		TZ: rr.Location.String(), GroupBy: rr.GroupBy}
	if err == nil {
		head.Periods = rr.Periods()
	}
	return rr, head, err
}

// salesReport serves GET /captive/reports/sales.
func (s *Server) salesReport(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	rr, head, err := s.reportRange(r, false)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var entries []app.LedgerEntry
	err = s.store.EachLedgerEntry(r.Context(), app.LedgerFilter{Since: rr.Start(), Until: rr.End(), Limit: -1},
		func(e app.LedgerEntry) error {
			entries = append(entries, e)
			return nil
		})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	rows := app.SalesReport(rr, entries)
	if wantsCSV(r) {
		cw := csvAttachment(w, "sales.csv", "period", "plan_id", "plan_name", "currency", "sales", "sales_amount",
			"voids", "void_amount", "net")
		for _, x := range rows {
			_ = cw.Write([]string{x.Period, x.PlanID, csvCell(x.PlanName), x.Currency, strconv.Itoa(x.Sales),
				strconv.FormatInt(x.SalesAmount, 10), strconv.Itoa(x.Voids), strconv.FormatInt(x.VoidAmount, 10),
				strconv.FormatInt(x.Net(), 10)})
		}
		cw.Flush()
		return
	}
	out := salesReportJSON{reportHead: head, Rows: make([]salesRowJSON, len(rows))}
	for i, x := range rows {
		out.Rows[i] = salesRowJSON{Period: x.Period, PlanID: x.PlanID, PlanName: x.PlanName, Currency: x.Currency,
			tallyJSON: tallyToJSON(x.Tally), Net: x.Net()}
	}
	writeJSON(w, http.StatusOK, out)
}

// usageReport serves GET /captive/reports/usage.
func (s *Server) usageReport(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	rr, head, err := s.reportRange(r, true)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var events []app.CouponEvent
	err = s.store.CouponEvents(r.Context(), rr.Start(), rr.End(), func(e app.CouponEvent) error {
		events = append(events, e)
		return nil
	})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	samples, err := s.store.OnlineSeries(r.Context(), rr.Start(), rr.End())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	rows := app.UsageReport(rr, events, samples, s.now())
	if wantsCSV(r) {
		cw := csvAttachment(w, "usage.csv", "period", "issued", "redeemed", "expired_unused", "online_peak", "data_used_mb")
		for _, x := range rows {
			_ = cw.Write([]string{x.Period, strconv.Itoa(x.Issued), strconv.Itoa(x.Redeemed), strconv.Itoa(x.ExpiredUnused),
				strconv.Itoa(x.OnlinePeak), strconv.FormatInt(x.DataUsedMB, 10)})
		}
		cw.Flush()
		return
	}
	out := usageReportJSON{reportHead: head, Rows: make([]usageRowJSON, len(rows))}
	for i, x := range rows {
		out.Rows[i] = usageRowJSON(x)
	}
	writeJSON(w, http.StatusOK, out)
}

// onlineSampleJSON is one five-minute slot of guests online.
type onlineSampleJSON struct {
	At     string `json:"at"`
	Guests int    `json:"guests"`
}

// maxOnlineHours is the longest window of GET /captive/reports/online.
const maxOnlineHours = 24 * 31

// onlineReport serves GET /captive/reports/online?hours=24: guests online
// at all sites per five-minute slot over the last hours (slots no pass
// saw are left out).
func (s *Server) onlineReport(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	hours := 24
	if v := r.URL.Query().Get("hours"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxOnlineHours {
			s.writeError(w, r, app.Invalid("hours", app.ReasonParameterInvalid, "hours must be between 1 and %d", maxOnlineHours))
			return
		}
		hours = n
	}
	now := s.now()
	samples, err := s.store.OnlineSeries(r.Context(), now.Add(-time.Duration(hours)*time.Hour), now.Add(time.Minute))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := make([]onlineSampleJSON, len(samples))
	for i, x := range samples {
		out[i] = onlineSampleJSON{At: timeString(x.At), Guests: x.Guests}
	}
	writeJSON(w, http.StatusOK, out)
}
