package web

import (
	"context"
	"encoding/csv"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/julienschmidt/httprouter"

	"gatehouse/app"
)

// auditTimeout bounds the write of one audit event. The write does not
// follow the request's cancellation: a client that hangs up after its
// change was made must not erase the trace of it.
const auditTimeout = 10 * time.Second

// auditWrites records every write (POST, PUT, PATCH, DELETE) of the
// protected route rt in the audit log after next has answered: who, what
// ("METHOD /route/:pattern"), on which resource (the most specific id path
// parameter, or for a creation the id of what was created, read from the
// Location header the handler set; see createdID), when, from which IP,
// and the status of the answer, failures included. Reads pass through
// unrecorded, and request bodies are never looked at (they may hold
// secrets).
//
// auditWrites runs after authenticate, which put the caller in the
// context, and before authorize, so refused (403) attempts are recorded
// too. Callers without a valid token (401) are not recorded: there is no
// one to name, and anonymous requests must not be able to fill the log. A
// failed audit write is logged and the request goes on.
func (s *Server) auditWrites(rt route, next http.Handler) http.Handler {
	if !isWrite(rt.method) {
		return next
	}
	action := rt.method + " " + rt.path
	resourceParam := resourceParam(rt.path)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, ok := principalFrom(r.Context())
		if !ok {
			next.ServeHTTP(w, r)
			return
		}
		ev := app.AuditEvent{
			ActorID:    p.TokenID,
			ActorName:  p.Name,
			ActorRole:  p.Role,
			Action:     action,
			RemoteAddr: remoteIP(r.RemoteAddr),
		}
		if resourceParam != "" {
			ev.Resource = httprouter.ParamsFromContext(r.Context()).ByName(resourceParam)
		}
		rec := &statusRecorder{ResponseWriter: w}
		answered := false
		defer func() {
			switch {
			case !answered:
				ev.Status = http.StatusInternalServerError // a panic; recoverPanics answers 500
			case rec.status == 0:
				ev.Status = http.StatusOK // nothing written: net/http sends 200
			default:
				ev.Status = rec.status
			}
			if id := createdID(r.URL.Path, ev.Status, w.Header()); id != "" {
				ev.Resource = id
			}
			ev.At = s.now().UTC()
			s.appendAudit(r.Context(), ev)
		}()
		next.ServeHTTP(rec, r)
		answered = true
	})
}

// appendAudit stores ev; a failure is logged, never returned, so that
// auditing cannot fail the request it describes.
func (s *Server) appendAudit(ctx context.Context, ev app.AuditEvent) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), auditTimeout)
	defer cancel()
	if err := s.store.AppendAudit(ctx, ev); err != nil {
		s.logger.ErrorContext(ctx, "audit event not recorded", "action", ev.Action, "resource", ev.Resource,
			"actor_id", ev.ActorID, "status", ev.Status, "err", err)
	}
}

// writeCreated answers 201 with v as JSON and a Location header naming
// where the new resource lives (a path such as /captive/sites/<id>). The
// audit log reads the header to record what was created (see createdID),
// so every creation answers through here.
func writeCreated(w http.ResponseWriter, location string, v any) {
	w.Header().Set("Location", location)
	writeJSON(w, http.StatusCreated, v)
}

// resourcePath joins a collection path and ids into a resource path,
// escaping each id.
func resourcePath(collection string, ids ...string) string {
	var b strings.Builder
	b.WriteString(collection)
	for _, id := range ids {
		b.WriteByte('/')
		b.WriteString(url.PathEscape(id))
	}
	return b.String()
}

// createdID returns the id of the resource a 201 answer to a request for
// requestPath created: the one path segment its Location header adds to
// requestPath (POST /captive/sites → Location /captive/sites/<id>). It is
// "" for other answers and for a Location elsewhere (a batch of coupons
// points at the instance's coupon list), which leave the resource to the
// path parameters.
func createdID(requestPath string, status int, h http.Header) string {
	if status != http.StatusCreated {
		return ""
	}
	loc, err := url.Parse(h.Get("Location"))
	if err != nil {
		return ""
	}
	rest, ok := strings.CutPrefix(loc.EscapedPath(), strings.TrimSuffix(requestPath, "/")+"/")
	if !ok || rest == "" || strings.Contains(rest, "/") {
		return ""
	}
	id, err := url.PathUnescape(rest)
	if err != nil {
		return ""
	}
	return id
}

// isWrite reports whether method changes something.
func isWrite(method string) bool {
	switch method {
	case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
		return true
	}
	return false
}

// resourceParam returns the name of the last id parameter of a route
// pattern ("couponId" in /captive/instances/:instanceId/coupons/:couponId),
// or "" when the pattern has none.
func resourceParam(pattern string) string {
	segs := strings.Split(pattern, "/")
	for i := len(segs) - 1; i >= 0; i-- {
		if name, ok := strings.CutPrefix(segs[i], ":"); ok && strings.HasSuffix(name, "Id") {
			return name
		}
	}
	return ""
}

// remoteIP is the host part of a RemoteAddr ("192.0.2.1:5555" → "192.0.2.1").
func remoteIP(addr string) string {
	if host, _, err := net.SplitHostPort(addr); err == nil {
		return host
	}
	return addr
}

// auditEventJSON is the contract's AuditEvent schema.
type auditEventJSON struct {
	ID         string  `json:"id"`
	At         string  `json:"at"`
	ActorID    string  `json:"actor_id"`
	ActorName  string  `json:"actor_name"`
	ActorRole  string  `json:"actor_role"`
	Action     string  `json:"action"`
	Resource   *string `json:"resource"`
	RemoteAddr string  `json:"remote_addr"`
	Status     int     `json:"status"`
	Count      int     `json:"count,omitempty"` // attempts a tally stands for (failed sign-ins)
}

func auditEventToJSON(e app.AuditEvent) auditEventJSON {
	out := auditEventJSON{ID: e.ID, At: e.At.UTC().Format(time.RFC3339Nano), ActorID: e.ActorID, ActorName: e.ActorName,
		ActorRole: string(e.ActorRole), Action: e.Action, RemoteAddr: e.RemoteAddr, Status: e.Status, Count: e.Count}
	if e.Resource != "" {
		out.Resource = &e.Resource
	}
	return out
}

// listAuditEvents answers GET /captive/audit-events: the events matching
// actor, resource, since and until (RFC 3339), newest first, at most limit
// (default 100, at most 1000); as CSV when the client asks for text/csv.
func (s *Server) listAuditEvents(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	f, err := auditFilter(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	list, err := s.store.ListAudit(r.Context(), f)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if wantsCSV(r) {
		writeAuditCSV(w, list)
		return
	}
	out := make([]auditEventJSON, len(list))
	for i, e := range list {
		out[i] = auditEventToJSON(e)
	}
	writeJSON(w, http.StatusOK, out)
}

// auditFilter reads the query of a listing. Its errors are EInvalid
// naming the parameter (since, until, limit).
func auditFilter(r *http.Request) (app.AuditFilter, error) {
	q := r.URL.Query()
	f := app.AuditFilter{Actor: q.Get("actor"), Resource: q.Get("resource")}
	var err error
	if f.Since, err = queryTime(q, "since"); err != nil {
		return f, err
	}
	if f.Until, err = queryTime(q, "until"); err != nil {
		return f, err
	}
	if f.Limit, err = queryLimit(q, app.MaxAuditLimit); err != nil {
		return f, err
	}
	return f, f.Validate()
}

// queryTime reads an optional RFC 3339 time parameter; the zero time
// when absent.
func queryTime(q url.Values, name string) (time.Time, error) {
	v := q.Get(name)
	if v == "" {
		return time.Time{}, nil
	}
	at, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return at, app.Invalid(name, app.ReasonParameterInvalid, "%s must be an RFC 3339 time such as 2025-01-31T08:00:00Z", name)
	}
	return at.UTC(), nil
}

// queryLimit reads an optional limit parameter of 1 to most; 0 when
// absent.
func queryLimit(q url.Values, most int) (int, error) {
	v := q.Get("limit")
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, app.Invalid("limit", app.ReasonParameterInvalid, "limit must be between 1 and %d", most)
	}
	return n, nil
}

// writeAuditCSV writes audit events as CSV with a header row. Cells a
// caller could choose (names, resource ids from the path) are defused
// against spreadsheet formulas.
func writeAuditCSV(w http.ResponseWriter, list []app.AuditEvent) {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="audit-events.csv"`)
	w.WriteHeader(http.StatusOK)
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"at", "actor_id", "actor_name", "actor_role", "action", "resource", "remote_addr", "status", "id"})
	for _, e := range list {
		_ = cw.Write([]string{e.At.UTC().Format(time.RFC3339Nano), csvCell(e.ActorID), csvCell(e.ActorName), csvCell(string(e.ActorRole)),
			csvCell(e.Action), csvCell(e.Resource), csvCell(e.RemoteAddr), strconv.Itoa(e.Status), csvCell(e.ID)})
	}
	cw.Flush() // write errors mean the client went away
}
