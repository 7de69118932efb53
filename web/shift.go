package web

import (
	"net/http"

	"github.com/julienschmidt/httprouter"

	"gatehouse/app"
)

// shiftJSON is a Shift of the API (an extension).
type shiftJSON struct {
	ID           string           `json:"id"`
	ActorID      string           `json:"actor_id"`
	ActorName    string           `json:"actor_name"`
	OpenedAt     string           `json:"opened_at"`
	OpeningFloat int64            `json:"opening_float"`
	Currency     *string          `json:"currency"`
	ClosedAt     *string          `json:"closed_at"`
	ClosedBy     *string          `json:"closed_by"`
	CountedCash  map[string]int64 `json:"counted_cash"`
	HeadSeq      *int64           `json:"head_seq"`
	HeadHash     *string          `json:"head_hash"`
}

func shiftToJSON(s app.Shift) shiftJSON {
	out := shiftJSON{ID: s.ID, ActorID: s.ActorID, ActorName: s.ActorName, OpenedAt: timeString(s.OpenedAt),
		OpeningFloat: s.OpeningFloat, Currency: stringPtr(s.Currency), ClosedAt: timePtr(s.ClosedAt)}
	if !s.Open() {
		seq := s.HeadSeq
		out.ClosedBy, out.CountedCash, out.HeadSeq, out.HeadHash = &s.ClosedBy, s.CountedCash, &seq, &s.HeadHash
	}
	return out
}

// shiftReportJSON is a shift's report: "x" while the shift is open (what
// the drawer should hold now), "z" once it is closed.
type shiftReportJSON struct {
	Kind     string       `json:"kind"`
	Shift    shiftJSON    `json:"shift"`
	Lines    []zLineJSON  `json:"lines"`
	Totals   []zTotalJSON `json:"totals"`
	Entries  int          `json:"entries"`
	FirstSeq *int64       `json:"first_seq"`
	LastSeq  *int64       `json:"last_seq"`
}

// tallyJSON is an app.Tally: sales and voids, counts and amounts.
type tallyJSON struct {
	Sales       int   `json:"sales"`
	SalesAmount int64 `json:"sales_amount"`
	Voids       int   `json:"voids"`
	VoidAmount  int64 `json:"void_amount"`
}

func tallyToJSON(t app.Tally) tallyJSON {
	return tallyJSON{Sales: t.Sales, SalesAmount: t.SalesAmount, Voids: t.Voids, VoidAmount: t.VoidAmount}
}

type zLineJSON struct {
	PlanID   string `json:"plan_id"`
	PlanName string `json:"plan_name"`
	Currency string `json:"currency"`
	tallyJSON
}

type zTotalJSON struct {
	Currency string `json:"currency"`
	tallyJSON
	Net          int64  `json:"net"`
	ExpectedCash int64  `json:"expected_cash"`
	CountedCash  *int64 `json:"counted_cash"`
	Difference   *int64 `json:"difference"`
}

func shiftReportToJSON(rep app.ZReport) shiftReportJSON {
	out := shiftReportJSON{Kind: "x", Shift: shiftToJSON(rep.Shift), Entries: rep.Entries,
		Lines: make([]zLineJSON, len(rep.Lines))}
	if !rep.Shift.Open() {
		out.Kind = "z"
	}
	if rep.Entries > 0 {
		first, last := rep.FirstSeq, rep.LastSeq
		out.FirstSeq, out.LastSeq = &first, &last
	}
	for i, l := range rep.Lines {
		out.Lines[i] = zLineJSON{PlanID: l.PlanID, PlanName: l.PlanName, Currency: l.Currency, tallyJSON: tallyToJSON(l.Tally)}
	}
	out.Totals = zTotalsToJSON(rep.Totals)
	return out
}

// zTotalsToJSON is a report's totals per currency.
func zTotalsToJSON(totals []app.ZTotal) []zTotalJSON {
	out := make([]zTotalJSON, len(totals))
	for i, t := range totals {
		out[i] = zTotalJSON{Currency: t.Currency, tallyJSON: tallyToJSON(t.Tally), Net: t.Net(),
			ExpectedCash: t.ExpectedCash, CountedCash: t.CountedCash, Difference: t.Difference}
	}
	return out
}

// shiftOpenRequest is the body of POST /captive/shifts.
type shiftOpenRequest struct {
	OpeningFloat optional[int64]  `json:"opening_float"`
	Currency     optional[string] `json:"currency"`
}

// shiftCloseRequest is the body of POST /captive/shifts/{id}/close.
type shiftCloseRequest struct {
	CountedCash optional[map[string]int64] `json:"counted_cash"`
}

// openShift serves POST /captive/shifts: the caller's shift starts; sales
// they make go into it until they close it. 201 with its (empty) report.
func (s *Server) openShift(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	var req shiftOpenRequest
	if err := decodeJSON(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	sh, err := s.store.OpenShift(r.Context(), actorFrom(r.Context()),
		app.ShiftOpening{OpeningFloat: req.OpeningFloat.value, Currency: req.Currency.value})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	rep, err := s.store.ShiftReport(r.Context(), sh.ID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeCreated(w, resourcePath("/captive/shifts", sh.ID), shiftReportToJSON(rep))
}

// closeShift serves POST /captive/shifts/:shiftId/close with the cash
// counted: the shift closes for good and its Z-report is the answer.
func (s *Server) closeShift(w http.ResponseWriter, r *http.Request, p httprouter.Params) {
	var req shiftCloseRequest
	if err := decodeJSON(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	rep, err := s.store.CloseShift(r.Context(), actorFrom(r.Context()), p.ByName("shiftId"), req.CountedCash.value)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, shiftReportToJSON(rep))
}

// shiftListItemJSON is one shift of GET /captive/shifts: the shift with
// its totals per currency (so far, while open) and its entry count.
type shiftListItemJSON struct {
	shiftJSON
	Totals  []zTotalJSON `json:"totals"`
	Entries int          `json:"entries"`
}

// listShifts serves GET /captive/shifts, newest first: a clerk's own, or
// with ?mine=true anyone's own; operators and admins see everyone's.
// ?status=open keeps open shifts; ?limit=N&before=<id of the last shift>
// pages. Each shift carries its totals.
func (s *Server) listShifts(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	mine, err := queryBool(r, "mine")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	q := r.URL.Query()
	f := app.ShiftFilter{Status: q.Get("status"), Before: q.Get("before")}
	if f.Limit, err = queryLimit(q, app.MaxShiftLimit); err != nil {
		s.writeError(w, r, err)
		return
	}
	p, _ := principalFrom(r.Context())
	if mine || !p.Role.Can(app.ActReadShifts) {
		f.ActorID = p.actor().ID
	}
	list, err := s.store.ListShifts(r.Context(), f)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := make([]shiftListItemJSON, len(list))
	for i, rep := range list {
		out[i] = shiftListItemJSON{shiftJSON: shiftToJSON(rep.Shift), Totals: zTotalsToJSON(rep.Totals), Entries: rep.Entries}
	}
	writeJSON(w, http.StatusOK, out)
}

// getShift serves GET /captive/shifts/:shiftId: the shift's report. A
// clerk reads only their own shifts (others' are not found).
func (s *Server) getShift(w http.ResponseWriter, r *http.Request, p httprouter.Params) {
	rep, err := s.store.ShiftReport(r.Context(), p.ByName("shiftId"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	caller, _ := principalFrom(r.Context())
	if !caller.Role.Can(app.ActReadShifts) && rep.Shift.ActorID != caller.actor().ID {
		s.writeError(w, r, app.NotFound("shift", p.ByName("shiftId")))
		return
	}
	writeJSON(w, http.StatusOK, shiftReportToJSON(rep))
}
