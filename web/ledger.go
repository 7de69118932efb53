package web

import (
	"encoding/csv"
	"net/http"
	"strconv"

	"github.com/julienschmidt/httprouter"

	"gatehouse/app"
)

// ledgerEntryJSON is a LedgerEntry of the API (an extension).
type ledgerEntryJSON struct {
	Seq       int64   `json:"seq"`
	At        string  `json:"at"`
	ActorID   string  `json:"actor_id"`
	ActorName string  `json:"actor_name"`
	Kind      string  `json:"kind"`
	CouponID  string  `json:"coupon_id"`
	Code      string  `json:"code"`
	PlanID    string  `json:"plan_id"`
	PlanName  string  `json:"plan_name"`
	Amount    int64   `json:"amount"`
	Currency  string  `json:"currency"`
	ShiftID   *string `json:"shift_id"`
	Hash      string  `json:"hash"`
}

func ledgerEntryToJSON(e app.LedgerEntry) ledgerEntryJSON {
	return ledgerEntryJSON{Seq: e.Seq, At: timeString(e.At), ActorID: e.ActorID, ActorName: e.ActorName, Kind: e.Kind,
		CouponID: e.CouponID, Code: e.Code, PlanID: e.PlanID, PlanName: e.PlanName, Amount: e.Amount,
		Currency: e.Currency, ShiftID: stringPtr(e.ShiftID), Hash: e.Hash}
}

// ledgerCheckJSON is the answer of GET /captive/ledger/verify.
type ledgerCheckJSON struct {
	OK          bool   `json:"ok"`
	Entries     int64  `json:"entries"`
	Head        string `json:"head"`
	FirstBadSeq *int64 `json:"first_bad_seq"`
}

// ledgerFilter reads the query of GET /captive/ledger: since and until
// (RFC 3339), actor, shift, kind, after, before, order (asc or desc) and
// limit.
func ledgerFilter(r *http.Request) (app.LedgerFilter, error) {
	q := r.URL.Query()
	f := app.LedgerFilter{Actor: q.Get("actor"), ShiftID: q.Get("shift"), Kind: q.Get("kind")}
	var err error
	if f.Since, err = queryTime(q, "since"); err != nil {
		return f, err
	}
	if f.Until, err = queryTime(q, "until"); err != nil {
		return f, err
	}
	if v := q.Get("after"); v != "" {
		if f.AfterSeq, err = strconv.ParseInt(v, 10, 64); err != nil {
			return f, app.Invalid("after", app.ReasonParameterInvalid, "after must be a sequence number (0 or more)")
		}
	}
	if v := q.Get("before"); v != "" {
		if f.BeforeSeq, err = strconv.ParseInt(v, 10, 64); err != nil || f.BeforeSeq < 1 {
			return f, app.Invalid("before", app.ReasonParameterInvalid, "before must be a sequence number (1 or more)")
		}
	}
	switch q.Get("order") {
	case "", "asc":
	case "desc":
		f.Newest = true
	default:
		return f, app.Invalid("order", app.ReasonParameterInvalid, "order must be asc (oldest first) or desc (newest first)")
	}
	if f.Limit, err = queryLimit(q, app.MaxLedgerLimit); err != nil {
		return f, err
	}
	return f, f.Validate()
}

// listLedger serves GET /captive/ledger: the sales ledger in sequence
// order, as JSON (a page: limit, then after=<last seq>; newest first with
// order=desc, then before=<last seq>) or, with Accept: text/csv, every
// matching entry.
func (s *Server) listLedger(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	f, err := ledgerFilter(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if !wantsCSV(r) {
		list, err := s.store.ListLedger(r.Context(), f)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		out := make([]ledgerEntryJSON, len(list))
		for i, e := range list {
			out[i] = ledgerEntryToJSON(e)
		}
		writeJSON(w, http.StatusOK, out)
		return
	}
	if r.URL.Query().Get("limit") == "" {
		f.Limit = -1 // an export has every entry
	}
	cw := csvAttachment(w, "ledger.csv", "seq", "at", "actor_id", "actor_name", "kind", "coupon_id", "code",
		"plan_id", "plan_name", "amount", "currency", "shift_id", "hash")
	err = s.store.EachLedgerEntry(r.Context(), f, func(e app.LedgerEntry) error {
		return cw.Write([]string{strconv.FormatInt(e.Seq, 10), timeString(e.At), e.ActorID, csvCell(e.ActorName), e.Kind,
			e.CouponID, e.Code, e.PlanID, csvCell(e.PlanName), strconv.FormatInt(e.Amount, 10), e.Currency, e.ShiftID, e.Hash})
	})
	cw.Flush()
	if err != nil {
		s.logger.WarnContext(r.Context(), "ledger export ended early", "err", err)
	}
}

// verifyLedger serves GET /captive/ledger/verify: the whole chain
// recomputed; ok false names the first entry that breaks it.
func (s *Server) verifyLedger(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	c, err := s.store.VerifyLedger(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, ledgerCheckJSON{OK: c.OK, Entries: c.Entries, Head: c.Head, FirstBadSeq: c.FirstBadSeq})
}

// csvAttachment starts a CSV download with its header row.
func csvAttachment(w http.ResponseWriter, filename string, header ...string) *csv.Writer {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+filename+`"`)
	w.WriteHeader(http.StatusOK)
	cw := csv.NewWriter(w)
	_ = cw.Write(header)
	return cw
}
