package web_test

import (
	"database/sql"
	"encoding/csv"
	"maps"
	"net/http"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	_ "modernc.org/sqlite"

	"gatehouse/app"
)

// A desk's day through the API: two clerks sell in their shifts, void
// their own sales only, close with the cash counted; operators see every
// shift and may void any unused sale; the ledger holds it all, chained,
// and the Z-reports' totals agree with it.
func TestShiftsAndLedger(t *testing.T) {
	e := newEnv(t, "")
	inst := couponInstance(t, e)
	coupons := "/captive/instances/" + inst + "/coupons"
	hour := createPlan(t, e, map[string]any{"name": "1 hour", "session_minutes": 60, "price": 200, "currency": "EUR"})["id"].(string)
	day := createPlan(t, e, map[string]any{"name": "1 day", "session_minutes": 1440, "price": 800, "currency": "EUR"})["id"].(string)
	free := createPlan(t, e, map[string]any{"name": "Staff", "session_minutes": 60})["id"].(string)
	maria := e.session("maria", e.createAdmin("maria", app.RoleFrontdesk))
	joao := e.session("joao", e.createAdmin("joao", app.RoleFrontdesk))
	op := e.session("olga", e.createAdmin("olga", app.RoleOperator))

	sell := func(auth, plan string) map[string]any {
		t.Helper()
		r := e.call(http.MethodPost, coupons, auth, map[string]any{"count": 1, "plan_id": plan})
		wantStatus(t, r, http.StatusCreated)
		var made []map[string]any
		r.json(t, &made)
		return made[0]
	}

	// Maria opens a shift with a float; a second one is refused.
	r := e.call(http.MethodPost, "/captive/shifts", maria, map[string]any{"opening_float": 5000, "currency": "eur"})
	wantStatus(t, r, http.StatusCreated)
	shift := r.object(t)["shift"].(map[string]any)
	mariaShift := shift["id"].(string)
	if r.header.Get("Location") != "/captive/shifts/"+mariaShift || shift["currency"] != "EUR" {
		t.Fatalf("open shift: %v %v", r.header, shift)
	}
	wantError(t, e.call(http.MethodPost, "/captive/shifts", maria, map[string]any{}), http.StatusConflict, "resource_conflict", "")
	wantError(t, e.call(http.MethodPost, "/captive/shifts", joao, map[string]any{"opening_float": 100}), http.StatusBadRequest, "parameter_missing", "currency")
	wantError(t, e.call(http.MethodPost, "/captive/shifts", joao, map[string]any{"opening_float": -1, "currency": "EUR"}), http.StatusBadRequest, "parameter_invalid", "opening_float")

	// Maria sells three coupons of two plans; a free plan is no sale.
	a, b, c := sell(maria, hour), sell(maria, day), sell(maria, day)
	sell(maria, free)
	// João sells outside a shift.
	d := sell(joao, hour)

	// João may not void Maria's sale, nor his own made outside a shift;
	// Maria voids her own; the operator voids João's.
	refused := e.call(http.MethodDelete, coupons+"/"+a["id"].(string), joao, nil)
	wantError(t, refused, http.StatusForbidden, "permission_denied", "")
	wantRefusalText(t, refused, "refusal.void_not_seller", map[string]string{"code": a["code"].(string), "seller": "maria"})
	refused = e.call(http.MethodDelete, coupons+"/"+d["id"].(string), joao, nil)
	wantError(t, refused, http.StatusForbidden, "permission_denied", "")
	wantRefusalText(t, refused, "refusal.void_no_shift", map[string]string{"code": d["code"].(string)})
	wantStatus(t, e.call(http.MethodDelete, coupons+"/"+c["id"].(string), maria, nil), http.StatusNoContent)
	wantStatus(t, e.call(http.MethodDelete, coupons+"/"+d["id"].(string), op, nil), http.StatusNoContent)
	var list []map[string]any
	e.admin(http.MethodGet, coupons+"?status=revoked", nil).json(t, &list)
	if len(list) != 2 {
		t.Errorf("revoked coupons = %d, want the 2 voided (a refused void changes nothing)", len(list))
	}

	// The ledger: 4 sales, 2 voids, in order, chained.
	e.call(http.MethodGet, "/captive/ledger", op, nil).json(t, &list)
	kinds := []string{}
	for _, x := range list {
		kinds = append(kinds, x["kind"].(string)+":"+x["code"].(string))
	}
	want := []string{"sale:" + a["code"].(string), "sale:" + b["code"].(string), "sale:" + c["code"].(string),
		"sale:" + d["code"].(string), "void:" + c["code"].(string), "void:" + d["code"].(string)}
	if strings.Join(kinds, " ") != strings.Join(want, " ") {
		t.Fatalf("ledger = %v, want %v", kinds, want)
	}
	if list[0]["actor_name"] != "maria" || list[0]["shift_id"] != mariaShift || list[3]["shift_id"] != nil ||
		list[5]["actor_name"] != "olga" || list[1]["amount"] != float64(800) || list[1]["plan_name"] != "1 day" {
		t.Errorf("ledger entries = %v", list)
	}
	e.call(http.MethodGet, "/captive/ledger?kind=void&actor=olga", op, nil).json(t, &list)
	if len(list) != 1 || list[0]["code"] != d["code"] {
		t.Errorf("voids by olga = %v", list)
	}
	e.call(http.MethodGet, "/captive/ledger?shift="+mariaShift, op, nil).json(t, &list)
	if len(list) != 4 {
		t.Errorf("entries of maria's shift = %d, want 3 sales and her void", len(list))
	}
	e.call(http.MethodGet, "/captive/ledger?limit=2&after=2", op, nil).json(t, &list)
	if len(list) != 2 || list[0]["seq"] != float64(3) {
		t.Errorf("page after 2 = %v", list)
	}
	// Newest first, paged back with before; filters apply the same way.
	seqs := func(query string) []float64 {
		var page []map[string]any
		e.call(http.MethodGet, "/captive/ledger?"+query, op, nil).json(t, &page)
		out := []float64{}
		for _, x := range page {
			out = append(out, x["seq"].(float64))
		}
		return out
	}
	for query, want := range map[string][]float64{
		"order=desc&limit=4":          {6, 5, 4, 3},
		"order=desc&limit=4&before=3": {2, 1},
		"order=desc&after=2&before=5": {4, 3},
		"order=asc&limit=2":           {1, 2},
	} {
		if got := seqs(query); !slices.Equal(got, want) {
			t.Errorf("ledger?%s = %v, want %v", query, got, want)
		}
	}
	sales := seqs("kind=sale")
	slices.Reverse(sales)
	if got := seqs("order=desc&kind=sale"); len(sales) < 3 || !slices.Equal(got, sales) {
		t.Errorf("sales newest first = %v, want %v", got, sales)
	}
	wantError(t, e.call(http.MethodGet, "/captive/ledger?order=newest", op, nil), http.StatusBadRequest, "parameter_invalid", "order")
	wantError(t, e.call(http.MethodGet, "/captive/ledger?before=0", op, nil), http.StatusBadRequest, "parameter_invalid", "before")
	check := e.call(http.MethodGet, "/captive/ledger/verify", op, nil).object(t)
	if check["ok"] != true || check["entries"] != float64(6) || check["first_bad_seq"] != nil {
		t.Fatalf("verify = %v", check)
	}
	head := check["head"].(string)

	// Roles: clerks run shifts but read no ledger or reports.
	wantError(t, e.call(http.MethodGet, "/captive/ledger", maria, nil), http.StatusForbidden, "permission_denied", "")
	wantError(t, e.call(http.MethodGet, "/captive/ledger/verify", maria, nil), http.StatusForbidden, "permission_denied", "")
	wantError(t, e.call(http.MethodGet, "/captive/reports/sales", maria, nil), http.StatusForbidden, "permission_denied", "")
	wantError(t, e.call(http.MethodGet, "/captive/shifts/"+mariaShift, joao, nil), http.StatusNotFound, "resource_missing", "")
	wantError(t, e.call(http.MethodPost, "/captive/shifts/"+mariaShift+"/close", joao, map[string]any{}), http.StatusForbidden, "permission_denied", "")
	e.call(http.MethodGet, "/captive/shifts", joao, nil).json(t, &list)
	if len(list) != 0 {
		t.Errorf("joao sees %d shifts, want none of his own", len(list))
	}
	e.call(http.MethodGet, "/captive/shifts?status=open", op, nil).json(t, &list)
	if len(list) != 1 || list[0]["id"] != mariaShift {
		t.Errorf("operator's open shifts = %v", list)
	}

	// The X-report while open, then the Z-report: 2×8 + 2 sold, 8 voided.
	x := e.call(http.MethodGet, "/captive/shifts/"+mariaShift, maria, nil).object(t)
	if x["kind"] != "x" {
		t.Errorf("open shift report kind = %v", x["kind"])
	}
	wantError(t, e.call(http.MethodPost, "/captive/shifts/"+mariaShift+"/close", maria, map[string]any{"counted_cash": map[string]any{"EURO": 1}}),
		http.StatusBadRequest, "parameter_invalid", "counted_cash")
	r = e.call(http.MethodPost, "/captive/shifts/"+mariaShift+"/close", maria, map[string]any{"counted_cash": map[string]any{"eur": 6900}})
	wantStatus(t, r, http.StatusOK)
	z := r.object(t)
	total := z["totals"].([]any)[0].(map[string]any)
	if z["kind"] != "z" || total["sales"] != float64(3) || total["sales_amount"] != float64(1800) || total["voids"] != float64(1) ||
		total["net"] != float64(1000) || total["expected_cash"] != float64(6000) || total["difference"] != float64(900) {
		t.Errorf("Z-report totals = %v", total)
	}
	lines := z["lines"].([]any)
	if len(lines) != 2 || lines[0].(map[string]any)["plan_name"] != "1 day" || lines[0].(map[string]any)["voids"] != float64(1) {
		t.Errorf("Z-report lines = %v", lines)
	}
	zs := z["shift"].(map[string]any)
	if zs["head_hash"] != head || zs["head_seq"] != float64(6) || z["first_seq"] != float64(1) || z["last_seq"] != float64(5) {
		t.Errorf("Z-report anchor = head %v seq %v, entries %v..%v; want the ledger head %s", zs["head_hash"], zs["head_seq"], z["first_seq"], z["last_seq"], head)
	}
	// Closed is final: no second close, no void of a sale of that shift
	// by the clerk (an operator still may).
	wantError(t, e.call(http.MethodPost, "/captive/shifts/"+mariaShift+"/close", op, map[string]any{}), http.StatusConflict, "resource_conflict", "")
	wantError(t, e.call(http.MethodDelete, coupons+"/"+b["id"].(string), maria, nil), http.StatusForbidden, "permission_denied", "")
	again := e.call(http.MethodGet, "/captive/shifts/"+mariaShift, op, nil).object(t)
	if again["totals"].([]any)[0].(map[string]any)["net"] != float64(1000) {
		t.Errorf("closed shift's report changed: %v", again)
	}

	// CSV export of the whole ledger.
	r = e.call(http.MethodGet, "/captive/ledger", op, nil)
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/captive/ledger", nil)
	req.Header.Set("Authorization", op)
	req.Header.Set("Accept", "text/csv")
	r = e.send(req)
	rows, err := csv.NewReader(strings.NewReader(string(r.body))).ReadAll()
	if err != nil || len(rows) != 7 || rows[0][0] != "seq" || rows[6][12] != head {
		t.Errorf("CSV = %v (%v)", rows, err)
	}

	// The list of shifts carries each one's totals and pages newest first:
	// João's new shift (one sale so far), then Maria's closed one.
	r = e.call(http.MethodPost, "/captive/shifts", joao, map[string]any{})
	wantStatus(t, r, http.StatusCreated)
	joaoShift := r.object(t)["shift"].(map[string]any)["id"].(string)
	sell(joao, hour)
	shifts := func(auth, query string) (ids []string, items []map[string]any) {
		t.Helper()
		e.call(http.MethodGet, "/captive/shifts"+query, auth, nil).json(t, &items)
		for _, it := range items {
			ids = append(ids, it["id"].(string))
		}
		return ids, items
	}
	ids, items := shifts(op, "")
	if !slices.Equal(ids, []string{joaoShift, mariaShift}) {
		t.Fatalf("shifts = %v, want joao's then maria's", ids)
	}
	jt, mt := items[0]["totals"].([]any), items[1]["totals"].([]any)
	if len(jt) != 1 || jt[0].(map[string]any)["sales"] != float64(1) || jt[0].(map[string]any)["difference"] != nil || items[0]["entries"] != float64(1) {
		t.Errorf("joao's open shift in the list = %v", items[0])
	}
	if !reflect.DeepEqual(mt, again["totals"]) || items[1]["entries"] != again["entries"] {
		t.Errorf("maria's shift in the list = %v, want the totals of its report %v", items[1], again["totals"])
	}
	for query, want := range map[string][]string{
		"?limit=1":                     {joaoShift},
		"?limit=1&before=" + joaoShift: {mariaShift},
		"?before=" + mariaShift:        nil,
		"?status=closed":               {mariaShift},
		"?status=open&limit=5":         {joaoShift},
	} {
		if got, _ := shifts(op, query); !slices.Equal(got, want) {
			t.Errorf("shifts%s = %v, want %v", query, got, want)
		}
	}
	if got, _ := shifts(maria, ""); !slices.Equal(got, []string{mariaShift}) {
		t.Errorf("maria's shifts = %v, want only hers", got)
	}
	wantError(t, e.call(http.MethodGet, "/captive/shifts?before=nope", op, nil), http.StatusBadRequest, "parameter_invalid", "before")
	wantError(t, e.call(http.MethodGet, "/captive/shifts?limit=201", op, nil), http.StatusBadRequest, "parameter_invalid", "limit")
}

// Editing the ledger behind gatehouse's back (the triggers dropped) is
// found, and the entry named.
func TestLedgerVerifyFindsTampering(t *testing.T) {
	e := newEnv(t, "")
	inst := couponInstance(t, e)
	plan := createPlan(t, e, map[string]any{"name": "1 hour", "session_minutes": 60, "price": 200, "currency": "EUR"})["id"].(string)
	wantStatus(t, e.admin(http.MethodPost, "/captive/instances/"+inst+"/coupons", map[string]any{"count": 5, "plan_id": plan}), http.StatusCreated)

	raw, err := sql.Open("sqlite", filepath.Join(e.dir, "gatehouse.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, stmt := range []string{`DROP TRIGGER ledger_no_update`, `UPDATE ledger SET amount = 20 WHERE seq = 3`} {
		if _, err := raw.Exec(stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	check := e.admin(http.MethodGet, "/captive/ledger/verify", nil).object(t)
	if check["ok"] != false || check["first_bad_seq"] != float64(3) || check["entries"] != float64(5) {
		t.Fatalf("verify after editing entry 3 = %v", check)
	}
	if _, err := raw.Exec(`DROP TRIGGER ledger_no_delete`); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`UPDATE ledger SET amount = 200 WHERE seq = 3`); err != nil {
		t.Fatal(err)
	}
	if check = e.admin(http.MethodGet, "/captive/ledger/verify", nil).object(t); check["ok"] != true {
		t.Fatalf("verify after putting entry 3 back = %v", check)
	}
	if _, err := raw.Exec(`DELETE FROM ledger WHERE seq = 2`); err != nil {
		t.Fatal(err)
	}
	check = e.admin(http.MethodGet, "/captive/ledger/verify", nil).object(t)
	if check["ok"] != false || check["first_bad_seq"] != float64(2) {
		t.Fatalf("verify after deleting entry 2 = %v", check)
	}
}

// wantRefusalText checks that an error answer carries its message as a
// catalogue key with params for the admin page, and that the English
// message is that text's.
func wantRefusalText(t *testing.T, r response, key string, params map[string]string) {
	t.Helper()
	var body struct {
		Message string
		Text    *app.Text
	}
	r.json(t, &body)
	if body.Text == nil || body.Text.Key != key || !maps.Equal(body.Text.Params, params) {
		t.Fatalf("text = %+v, want %s %v; body %s", body.Text, key, params, r.body)
	}
	if body.Text.English() != body.Message {
		t.Errorf("message %q is not the text's English %q", body.Message, body.Text.English())
	}
}
