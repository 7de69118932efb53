package web_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite" // the driver, to read the raw audit rows

	"gatehouse/app"
	"gatehouse/web"
)

// auditRow is the part of an AuditEvent a scenario predicts.
type auditRow struct {
	Action   string
	Resource string // "" for null
	Role     app.Role
	Status   int
}

// auditEvents lists the audit log as admin with the query q.
func auditEvents(t testing.TB, e *env, q url.Values) []map[string]any {
	t.Helper()
	r := e.admin(http.MethodGet, "/captive/audit-events?"+q.Encode(), nil)
	wantStatus(t, r, http.StatusOK)
	var list []map[string]any
	r.json(t, &list)
	return list
}

// auditRows reduces events (newest first, as listed) to auditRows in the
// order they happened.
func auditRows(list []map[string]any) []auditRow {
	rows := make([]auditRow, len(list))
	for i, ev := range list {
		res, _ := ev["resource"].(string)
		rows[len(list)-1-i] = auditRow{Action: ev["action"].(string), Resource: res,
			Role: app.Role(ev["actor_role"].(string)), Status: int(ev["status"].(float64))}
	}
	return rows
}

func wantAuditRows(t testing.TB, list []map[string]any, want []auditRow) {
	t.Helper()
	if got := auditRows(list); !reflect.DeepEqual(got, want) {
		t.Fatalf("audit log (oldest first):\n got %+v\nwant %+v", got, want)
	}
}

func TestAuditRecordsWrites(t *testing.T) {
	e := newEnv(t, "")
	start := time.Now().UTC()
	siteID := createSite(t, e, map[string]any{"name": "Lobby", "host": "127.0.0.1", "username": "api"})["id"].(string)
	wantStatus(t, e.admin(http.MethodPut, "/captive/sites/"+siteID, map[string]any{"name": "Front"}), http.StatusOK)

	r := e.as(app.RoleOperator, http.MethodPost, "/captive/instances", map[string]any{"name": "Guest", "strategy": "coupon", "session_ttl": 3600})
	wantStatus(t, r, http.StatusCreated)
	inst := r.object(t)["id"].(string)
	wantStatus(t, e.as(app.RoleOperator, http.MethodPut, "/captive/instances/"+inst, map[string]any{"name": "Guest 2"}), http.StatusOK)

	coupons := "/captive/instances/" + inst + "/coupons"
	r = e.as(app.RoleOperator, http.MethodPost, coupons, map[string]any{"count": 2, "minutes_valid": 60})
	wantStatus(t, r, http.StatusCreated)
	var created []map[string]any
	r.json(t, &created)
	couponID := created[0]["id"].(string)
	wantStatus(t, e.admin(http.MethodDelete, coupons+"/"+couponID, nil), http.StatusNoContent)

	// Reads, the audit log's own included, are not recorded.
	wantStatus(t, e.admin(http.MethodGet, "/captive/sites", nil), http.StatusOK)
	wantStatus(t, e.as(app.RoleOperator, http.MethodGet, "/captive/instances/"+inst, nil), http.StatusOK)
	wantStatus(t, e.as(app.RoleFrontdesk, http.MethodGet, coupons, nil), http.StatusOK)
	auditEvents(t, e, nil)

	wantStatus(t, e.as(app.RoleOperator, http.MethodDelete, "/captive/instances/"+inst, nil), http.StatusNoContent)
	wantStatus(t, e.admin(http.MethodDelete, "/captive/sites/"+siteID, nil), http.StatusNoContent)
	end := time.Now().UTC()

	list := auditEvents(t, e, nil)
	wantAuditRows(t, list, []auditRow{
		{"POST /captive/sites", siteID, app.RoleAdmin, 201},
		{"PUT /captive/sites/:siteId", siteID, app.RoleAdmin, 200},
		{"POST /captive/instances", inst, app.RoleOperator, 201},
		{"PUT /captive/instances/:instanceId", inst, app.RoleOperator, 200},
		{"POST /captive/instances/:instanceId/coupons", inst, app.RoleOperator, 201},
		{"DELETE /captive/instances/:instanceId/coupons/:couponId", couponID, app.RoleAdmin, 204},
		{"DELETE /captive/instances/:instanceId", inst, app.RoleOperator, 204},
		{"DELETE /captive/sites/:siteId", siteID, app.RoleAdmin, 204},
	})
	actorIDs := map[string]string{}
	for _, ev := range list {
		role := ev["actor_role"].(string)
		if ev["actor_name"] != "test-"+role || ev["remote_addr"] != "127.0.0.1" || ev["id"] == "" {
			t.Errorf("event %v: want actor_name test-%s, remote_addr 127.0.0.1 and an id", ev, role)
		}
		if id := ev["actor_id"].(string); id == "" || (actorIDs[role] != "" && actorIDs[role] != id) {
			t.Errorf("event %v: actor_id %q, want the one id of the %s token", ev, id, role)
		} else {
			actorIDs[role] = id
		}
		at, err := time.Parse(time.RFC3339Nano, ev["at"].(string))
		if err != nil || !strings.HasSuffix(ev["at"].(string), "Z") || at.Before(start.Truncate(time.Microsecond)) || at.After(end) {
			t.Errorf("event at %v: want an RFC 3339 UTC time between %v and %v (%v)", ev["at"], start, end, err)
		}
	}
	if actorIDs["admin"] == actorIDs["operator"] {
		t.Errorf("admin and operator events share actor_id %q", actorIDs["admin"])
	}
}

// TestAuditRecordsCreatedIDs: the finding was that a creation was
// recorded with resource null (POST /captive/sites names no site). Every
// 201 now carries a Location header with the new resource's path, which
// the server serves, and the audit event names the created id; a batch
// of coupons points at the instance's coupon list and names the instance
// (or, for a schedule run, the schedule).
func TestAuditRecordsCreatedIDs(t *testing.T) {
	e := newEnv(t, "")
	created := func(path string, body any, location func(id string) string) string {
		t.Helper()
		r := e.admin(http.MethodPost, path, body)
		wantStatus(t, r, http.StatusCreated)
		id := r.object(t)["id"].(string)
		if got, want := r.header.Get("Location"), location(id); got != want {
			t.Fatalf("POST %s: Location = %q, want %q", path, got, want)
		}
		return id
	}
	site := created("/captive/sites", map[string]any{"name": "Lobby", "host": "127.0.0.1", "username": "api"},
		func(id string) string { return "/captive/sites/" + id })
	inst := created("/captive/instances", map[string]any{"name": "Guest", "strategy": "coupon", "session_ttl": 3600},
		func(id string) string { return "/captive/instances/" + id })
	sched := created("/captive/instances/"+inst+"/coupon-schedules", dailySchedule(),
		func(id string) string { return "/captive/instances/" + inst + "/coupon-schedules/" + id })
	entry := created("/captive/walled-garden/"+site, map[string]any{"name": "x", "ip_address": "192.0.2.1"},
		func(id string) string { return "/captive/walled-garden/" + site + "/" + id })
	group := created("/captive/notification-groups", map[string]any{"name": "Desk", "emails": []string{"desk@harbour.example"}},
		func(id string) string { return "/captive/notification-groups/" + id })
	integ := created("/captive/auth-integrations", map[string]any{"name": "Corp", "type": "azure",
		"config": map[string]any{"client_id": "a1b2", "client_secret": "s", "tenant": "organizations"}},
		func(id string) string { return "/captive/auth-integrations/" + id })
	token := created("/captive/tokens", map[string]any{"name": "ci", "role": "operator"},
		func(id string) string { return "/captive/tokens/" + id })

	couponList := "/captive/instances/" + inst + "/coupons"
	r := e.admin(http.MethodPost, couponList, map[string]any{"count": 2, "minutes_valid": 60})
	wantStatus(t, r, http.StatusCreated)
	if got := r.header.Get("Location"); got != couponList {
		t.Fatalf("coupon batch: Location = %q, want %q", got, couponList)
	}
	r = e.admin(http.MethodPost, "/captive/instances/"+inst+"/coupon-schedules/"+sched+"/run", nil)
	wantStatus(t, r, http.StatusCreated)
	if got := r.header.Get("Location"); got != couponList {
		t.Fatalf("schedule run: Location = %q, want %q", got, couponList)
	}

	// Each Location is somewhere the server answers (tokens are listed,
	// not read one by one).
	for _, path := range []string{"/captive/sites/" + site, "/captive/instances/" + inst,
		"/captive/instances/" + inst + "/coupon-schedules/" + sched, "/captive/walled-garden/" + site + "/" + entry,
		"/captive/notification-groups/" + group, "/captive/auth-integrations/" + integ, couponList} {
		wantStatus(t, e.admin(http.MethodGet, path, nil), http.StatusOK)
	}

	wantAuditRows(t, auditEvents(t, e, nil), []auditRow{
		{"POST /captive/sites", site, app.RoleAdmin, 201},
		{"POST /captive/instances", inst, app.RoleAdmin, 201},
		{"POST /captive/instances/:instanceId/coupon-schedules", sched, app.RoleAdmin, 201},
		{"POST /captive/walled-garden/:siteId", entry, app.RoleAdmin, 201},
		{"POST /captive/notification-groups", group, app.RoleAdmin, 201},
		{"POST /captive/auth-integrations", integ, app.RoleAdmin, 201},
		{"POST /captive/tokens", token, app.RoleAdmin, 201},
		{"POST /captive/instances/:instanceId/coupons", inst, app.RoleAdmin, 201},
		{"POST /captive/instances/:instanceId/coupon-schedules/:scheduleId/run", sched, app.RoleAdmin, 201},
	})
}

func TestAuditRecordsFailedWrites(t *testing.T) {
	e := newEnv(t, "")
	missing := "01900000-0000-7000-8000-000000000000"
	wantError(t, e.admin(http.MethodPost, "/captive/sites", map[string]any{"name": "No host"}), http.StatusBadRequest, "parameter_missing", "")
	wantError(t, e.admin(http.MethodDelete, "/captive/sites/"+missing, nil), http.StatusNotFound, "resource_missing", "")
	wantError(t, e.as(app.RoleOperator, http.MethodPut, "/captive/instances/"+missing, map[string]any{"name": "x"}), http.StatusNotFound, "resource_missing", "")
	// Callers without a valid token are not recorded: there is no one to name.
	wantStatus(t, e.call(http.MethodPost, "/captive/sites", "", map[string]any{"name": "x"}), http.StatusUnauthorized)
	wantStatus(t, e.call(http.MethodDelete, "/captive/sites/"+missing, "Bearer not-a-token", nil), http.StatusUnauthorized)

	wantAuditRows(t, auditEvents(t, e, nil), []auditRow{
		{"POST /captive/sites", "", app.RoleAdmin, 400},
		{"DELETE /captive/sites/:siteId", missing, app.RoleAdmin, 404},
		{"PUT /captive/instances/:instanceId", missing, app.RoleOperator, 404},
	})
}

// TestAuditRecordsRefusedWrites needs auditWrites to wrap authorize
// (web/server.go, Server.wrap): a refused request never reaches a handler
// that authorize wraps.
func TestAuditRecordsRefusedWrites(t *testing.T) {
	e := newEnv(t, "")
	missing := "01900000-0000-7000-8000-000000000000"
	wantError(t, e.as(app.RoleFrontdesk, http.MethodPost, "/captive/sites", map[string]any{"name": "x", "host": "127.0.0.1", "username": "api"}),
		http.StatusForbidden, "permission_denied", "")
	wantError(t, e.as(app.RoleFrontdesk, http.MethodPost, "/captive/instances/"+missing+"/coupon-schedules/c0ffee/run", nil),
		http.StatusForbidden, "permission_denied", "")
	wantError(t, e.as(app.RoleOperator, http.MethodDelete, "/captive/sites/"+missing, nil), http.StatusForbidden, "permission_denied", "")

	list := auditEvents(t, e, nil)
	if len(list) == 0 {
		t.Fatal("no refused write recorded: Server.wrap (web/server.go) must put auditWrites outside authorize: " +
			"h = s.authenticate(s.auditWrites(rt, s.authorize(rt.action, h)))")
	}
	wantAuditRows(t, list, []auditRow{
		{"POST /captive/sites", "", app.RoleFrontdesk, 403},
		{"POST /captive/instances/:instanceId/coupon-schedules/:scheduleId/run", "c0ffee", app.RoleFrontdesk, 403},
		{"DELETE /captive/sites/:siteId", missing, app.RoleOperator, 403},
	})
	if list[0]["actor_name"] != "test-operator" || list[2]["actor_name"] != "test-frontdesk" {
		t.Errorf("actors of refused writes: got %v and %v, want test-operator and test-frontdesk", list[0]["actor_name"], list[2]["actor_name"])
	}
}

func TestAuditListFilters(t *testing.T) {
	e := newEnv(t, "")
	siteA := createSite(t, e, map[string]any{"name": "A", "host": "127.0.0.1", "username": "api"})["id"].(string)
	siteB := createSite(t, e, map[string]any{"name": "B", "host": "127.0.0.1", "username": "api"})["id"].(string)
	wantStatus(t, e.admin(http.MethodPut, "/captive/sites/"+siteA, map[string]any{"name": "A2"}), http.StatusOK)
	r := e.as(app.RoleOperator, http.MethodPost, "/captive/walled-garden/"+siteB, map[string]any{"name": "x", "ip_address": "192.0.2.1"})
	wantStatus(t, r, http.StatusCreated)
	entry := r.object(t)["id"].(string)
	r = e.as(app.RoleOperator, http.MethodPost, "/captive/instances", map[string]any{"name": "G", "strategy": "coupon", "session_ttl": 3600})
	wantStatus(t, r, http.StatusCreated)
	inst := r.object(t)["id"].(string)

	all := auditEvents(t, e, nil)
	if len(all) != 5 {
		t.Fatalf("audit log holds %d events, want 5: %v", len(all), all)
	}
	ids := func(list []map[string]any) []string {
		out := []string{}
		for _, ev := range list {
			out = append(out, ev["id"].(string))
		}
		return out
	}
	operatorID := all[0]["actor_id"].(string)
	at := func(i int) string { return all[i]["at"].(string) }
	atIn := func(i int, zone string) string {
		ts, err := time.Parse(time.RFC3339Nano, at(i))
		if err != nil {
			t.Fatal(err)
		}
		loc, err := time.LoadLocation(zone)
		if err != nil {
			t.Fatal(err)
		}
		return ts.In(loc).Format(time.RFC3339Nano)
	}
	cases := []struct {
		name string
		q    url.Values
		want []map[string]any
	}{
		{"actor name", url.Values{"actor": {"test-operator"}}, all[0:2]},
		{"actor id", url.Values{"actor": {operatorID}}, all[0:2]},
		{"admin", url.Values{"actor": {"test-admin"}}, all[2:5]},
		{"resource, its creation included", url.Values{"resource": {siteA}}, []map[string]any{all[2], all[4]}},
		{"resource of a walled garden entry", url.Values{"resource": {entry}}, all[1:2]},
		{"resource of an instance", url.Values{"resource": {inst}}, all[0:1]},
		{"actor and resource", url.Values{"actor": {"test-admin"}, "resource": {siteB}}, all[3:4]},
		{"actor and another's resource", url.Values{"actor": {"test-admin"}, "resource": {entry}}, nil},
		{"since", url.Values{"since": {at(2)}}, all[0:3]},
		{"since in another zone", url.Values{"since": {atIn(2, "Asia/Kolkata")}}, all[0:3]},
		{"until", url.Values{"until": {at(2)}}, all[2:5]},
		{"since and until", url.Values{"since": {at(3)}, "until": {at(1)}}, all[1:4]},
		{"limit", url.Values{"limit": {"2"}}, all[0:2]},
		{"limit and filter", url.Values{"actor": {"test-admin"}, "limit": {"1"}}, all[2:3]},
		{"future", url.Values{"since": {time.Now().Add(time.Hour).UTC().Format(time.RFC3339)}}, nil},
	}
	for _, tc := range cases {
		if got, want := ids(auditEvents(t, e, tc.q)), ids(tc.want); !reflect.DeepEqual(got, want) {
			t.Errorf("%s (%s): got %v, want %v", tc.name, tc.q.Encode(), got, want)
		}
	}

	bad := []struct {
		q     url.Values
		param string
	}{
		{url.Values{"since": {"yesterday"}}, "since"},
		{url.Values{"since": {"2025-01-31"}}, "since"},
		{url.Values{"until": {"2025-13-01T00:00:00Z"}}, "until"},
		{url.Values{"since": {"2025-02-01T00:00:00Z"}, "until": {"2025-01-31T00:00:00Z"}}, "until"},
		{url.Values{"limit": {"0"}}, "limit"},
		{url.Values{"limit": {"-1"}}, "limit"},
		{url.Values{"limit": {"1001"}}, "limit"},
		{url.Values{"limit": {"ten"}}, "limit"},
	}
	for _, tc := range bad {
		wantError(t, e.admin(http.MethodGet, "/captive/audit-events?"+tc.q.Encode(), nil), http.StatusBadRequest, "parameter_invalid", tc.param)
	}
	wantStatus(t, e.admin(http.MethodGet, "/captive/audit-events?limit=1000", nil), http.StatusOK)

	// Who may read the log.
	wantStatus(t, e.as(app.RoleOperator, http.MethodGet, "/captive/audit-events", nil), http.StatusOK)
	wantError(t, e.as(app.RoleFrontdesk, http.MethodGet, "/captive/audit-events", nil), http.StatusForbidden, "permission_denied", "")
	wantStatus(t, e.call(http.MethodGet, "/captive/audit-events", "", nil), http.StatusUnauthorized)
	if n := len(auditEvents(t, e, nil)); n != 5 {
		t.Errorf("after the reads and failed reads: %d events, want still 5", n)
	}
}

func TestAuditCSV(t *testing.T) {
	e := newEnv(t, "")
	rec, err := e.store.CreateToken(t.Context(), "=HYPERLINK(1+1)", app.RoleAdmin, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	bearer, err := web.SignToken(e.keys[0], rec)
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, e.call(http.MethodDelete, "/captive/sites/@SUM(1)", "Bearer "+bearer, nil), http.StatusNotFound)
	siteID := createSite(t, e, map[string]any{"name": "Lobby", "host": "127.0.0.1", "username": "api"})["id"].(string)

	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/captive/audit-events", nil)
	req.Header.Set("Authorization", "Bearer "+e.tokens[app.RoleOperator])
	req.Header.Set("Accept", "text/csv")
	res, err := e.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	checkContract(t, http.MethodGet, "/captive/audit-events", response{status: res.StatusCode, header: res.Header, body: body})
	wantStatus(t, response{status: res.StatusCode, body: body}, http.StatusOK)
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Fatalf("Content-Type = %q, want text/csv", ct)
	}
	rows, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	header := []string{"at", "actor_id", "actor_name", "actor_role", "action", "resource", "remote_addr", "status", "id"}
	if len(rows) != 3 || !reflect.DeepEqual(rows[0], header) {
		t.Fatalf("csv = %q, want the header %q and 2 events", rows, header)
	}
	created, refused := rows[1], rows[2]
	if created[4] != "POST /captive/sites" || created[5] != siteID || created[7] != "201" || created[2] != "test-admin" {
		t.Errorf("newest row = %q, want the site creation by test-admin", created)
	}
	if refused[2] != "'=HYPERLINK(1+1)" || refused[5] != "'@SUM(1)" || refused[7] != "404" || refused[1] != rec.ID {
		t.Errorf("oldest row = %q, want the formula cells defused and status 404", refused)
	}
	if _, err := time.Parse(time.RFC3339Nano, created[0]); err != nil {
		t.Errorf("at = %q, want RFC 3339: %v", created[0], err)
	}
}

func TestAuditNeverStoresBodies(t *testing.T) {
	e := newEnv(t, "")
	secrets := []string{"pw-Secret-1234", "pw-Secret-5678", "qs-Secret-9", "cs-Secret-0"}
	r := e.admin(http.MethodPost, "/captive/sites?api_key="+secrets[2],
		map[string]any{"name": "Lobby", "host": "127.0.0.1", "username": "api", "password": secrets[0]})
	wantStatus(t, r, http.StatusCreated)
	siteID := r.object(t)["id"].(string)
	wantStatus(t, e.admin(http.MethodPut, "/captive/sites/"+siteID, map[string]any{"password": secrets[1]}), http.StatusOK)
	wantStatus(t, e.admin(http.MethodPost, "/captive/sites", map[string]any{"name": "Bad", "password": secrets[1]}), http.StatusBadRequest)
	wantStatus(t, e.admin(http.MethodPost, "/captive/auth-integrations", map[string]any{
		"name": "Google", "type": "google", "config": map[string]any{"client_id": "cid", "client_secret": secrets[3]}}), http.StatusCreated)

	raw, err := sql.Open("sqlite", filepath.Join(e.dir, "gatehouse.db")+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	rows, err := raw.QueryContext(t.Context(), `SELECT * FROM audit_events`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var dump strings.Builder
	n := 0
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&dump, "%v\n", vals)
		n++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if n != 4 {
		t.Fatalf("raw audit rows: %d, want 4:\n%s", n, dump.String())
	}
	for _, s := range secrets {
		if strings.Contains(dump.String(), s) {
			t.Errorf("the audit log holds the secret %q:\n%s", s, dump.String())
		}
	}
}

// failingAudit is a real store whose audit writes fail.
type failingAudit struct{ web.Store }

func (failingAudit) AppendAudit(context.Context, app.AuditEvent) error {
	return errors.New("disk full")
}

func TestAuditFailureDoesNotFailTheRequest(t *testing.T) {
	e := newEnv(t, "")
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelError}))
	s, err := web.New(web.Config{BaseURL: "http://gatehouse.test", TokenKey: e.keys[0], LinkKey: e.keys[1]},
		web.Deps{Store: failingAudit{e.store}, Routers: e.reconciler, Runner: e.scheduler}, logger)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	body := strings.NewReader(`{"name":"Guest","strategy":"coupon","session_ttl":3600}`)
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/captive/instances", body)
	req.Header.Set("Authorization", "Bearer "+e.tokens[app.RoleAdmin])
	req.Header.Set("Content-Type", "application/json")
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("status = %d, want 201 despite the failed audit write", res.StatusCode)
	}
	if got := strings.Count(logs.String(), "audit event not recorded"); got != 1 || !strings.Contains(logs.String(), "level=ERROR") {
		t.Errorf("log = %q, want the failure logged once at error level", logs.String())
	}
	if list, err := e.store.ListAudit(t.Context(), app.AuditFilter{}); err != nil || len(list) != 0 {
		t.Errorf("ListAudit = %v, %v; want nothing stored", list, err)
	}
}
