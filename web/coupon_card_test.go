package web_test

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"gatehouse/app"
)

// cardsJSON is a decoded CouponCards answer.
type cardsJSON struct {
	Instance struct {
		ID         string
		Name       string
		WifiName   *string `json:"wifi_name"`
		LogoURL    *string `json:"logo_url"`
		SessionTTL int     `json:"session_ttl"`
	}
	Cards []struct {
		ID, Code, Status string
		ExpiresAt        string `json:"expires_at"`
		PortalURL        string `json:"portal_url"`
		QR               string
		Plan             *cardPlanJSON
	}
}

// cardPlanJSON is a card's plan.
type cardPlanJSON struct {
	ID             string
	Name           string
	SessionMinutes int     `json:"session_minutes"`
	DataLimitMB    *int    `json:"data_limit_mb"`
	DownloadKbps   *int    `json:"download_kbps"`
	UploadKbps     *int    `json:"upload_kbps"`
	Devices        int     `json:"devices"`
	Price          *int64  `json:"price"`
	Currency       *string `json:"currency"`
}

func postCards(t testing.TB, e *env, role app.Role, inst string, body any) cardsJSON {
	t.Helper()
	r := e.as(role, http.MethodPost, "/captive/instances/"+inst+"/coupons/cards", body)
	wantStatus(t, r, http.StatusOK)
	var out cardsJSON
	r.json(t, &out)
	return out
}

func TestCouponCardsByID(t *testing.T) {
	e := newEnv(t, "")
	inst := createInstance(t, e, map[string]any{"name": "Seaside Hotel", "strategy": "coupon", "session_ttl": 7200,
		"wifi_name": "Seaside Guest"})["id"].(string)
	var coupons []map[string]any
	e.admin(http.MethodPost, "/captive/instances/"+inst+"/coupons", map[string]any{"count": 4, "minutes_valid": 60}).json(t, &coupons)
	id := func(i int) string { return coupons[i]["id"].(string) }
	wantStatus(t, e.admin(http.MethodDelete, "/captive/instances/"+inst+"/coupons/"+id(1), nil), http.StatusNoContent)

	// The front desk prints three, in its own order; a repeat is printed once.
	got := postCards(t, e, app.RoleFrontdesk, inst, map[string]any{"coupon_ids": []string{id(3), id(1), id(3), strings.ToUpper(id(0))}})
	if in := got.Instance; in.ID != inst || in.Name != "Seaside Hotel" || in.WifiName == nil || *in.WifiName != "Seaside Guest" ||
		in.LogoURL != nil || in.SessionTTL != 7200 {
		t.Errorf("instance = %+v, want the hotel with its Wi-Fi name, no logo, 7200 s", in)
	}
	wantOrder := []int{3, 1, 0}
	if len(got.Cards) != len(wantOrder) {
		t.Fatalf("got %d cards, want %d", len(got.Cards), len(wantOrder))
	}
	for i, c := range got.Cards {
		want := coupons[wantOrder[i]]
		if c.ID != want["id"] || c.Code != want["code"] || c.ExpiresAt != want["expires_at"] {
			t.Errorf("card %d = %s %s %s, want coupon %d (%s %s)", i, c.ID, c.Code, c.ExpiresAt, wantOrder[i], want["id"], want["code"])
		}
		if wantURL := "http://gatehouse.test/portal/" + inst + "?code=" + c.Code; c.PortalURL != wantURL {
			t.Errorf("portal_url = %q, want %q", c.PortalURL, wantURL)
		}
		wantQR(t, c.QR)
	}
	if got.Cards[0].Status != "valid" || got.Cards[1].Status != "revoked" {
		t.Errorf("statuses = %s, %s; want valid, revoked", got.Cards[0].Status, got.Cards[1].Status)
	}
	// The same card twice is the same QR code.
	if again := postCards(t, e, app.RoleOperator, inst, map[string]any{"coupon_ids": []string{id(3)}}); again.Cards[0].QR != got.Cards[0].QR {
		t.Error("the QR code of one coupon changed between two requests")
	}

	// With a logo, the card links to it as the portal does.
	logo := testImage(t, "png", 240, 80, 3)
	wantStatus(t, e.uploadFile(app.RoleAdmin, "/captive/instances/"+inst+"/images/logo", "file", "logo.png", "image/png", logo), http.StatusAccepted)
	got = postCards(t, e, app.RoleAdmin, inst, map[string]any{"coupon_ids": []string{id(0)}})
	if got.Instance.LogoURL == nil {
		t.Fatal("logo_url is null after a logo was uploaded")
	}
	wantImage(t, e, *got.Instance.LogoURL, logo, "image/png")
}

// TestCouponCardsPlan: a card of a coupon made with a plan carries the
// plan's limits and the coupon's own price and currency (those of the plan
// when the coupon was made); a card without a plan has plan null.
func TestCouponCardsPlan(t *testing.T) {
	e := newEnv(t, "")
	inst := couponInstance(t, e)
	plan := createPlan(t, e, dayPlan())
	planID := plan["id"].(string)
	var withPlan, without []map[string]any
	coupons := "/captive/instances/" + inst + "/coupons"
	e.admin(http.MethodPost, coupons, map[string]any{"count": 2, "plan_id": planID}).json(t, &withPlan)
	e.admin(http.MethodPost, coupons, map[string]any{"count": 1, "minutes_valid": 60}).json(t, &without)
	// A later price does not change the cards of coupons already made.
	wantStatus(t, e.admin(http.MethodPut, "/captive/plans/"+planID, map[string]any{"price": 950, "currency": "usd", "devices": 2}),
		http.StatusOK)

	ids := []string{withPlan[0]["id"].(string), without[0]["id"].(string), withPlan[1]["id"].(string)}
	got := postCards(t, e, app.RoleFrontdesk, inst, map[string]any{"coupon_ids": ids})
	if len(got.Cards) != 3 {
		t.Fatalf("got %d cards, want 3", len(got.Cards))
	}
	if p := got.Cards[1].Plan; p != nil {
		t.Errorf("card of a coupon without a plan: plan = %+v, want null", p)
	}
	for _, i := range []int{0, 2} {
		p := got.Cards[i].Plan
		if p == nil {
			t.Fatalf("card %d: plan = null, want the plan", i)
		}
		if p.ID != planID || p.Name != "1 day" || p.SessionMinutes != 1440 || p.DataLimitMB == nil || *p.DataLimitMB != 2000 ||
			p.DownloadKbps == nil || *p.DownloadKbps != 10000 || p.UploadKbps == nil || *p.UploadKbps != 2000 || p.Devices != 2 {
			t.Errorf("card %d: plan = %+v, want the plan's limits as they are now (1 day, 2000 MB, 10000/2000 kbps, 2 devices)", i, *p)
		}
		if p.Price == nil || *p.Price != 800 || p.Currency == nil || *p.Currency != "EUR" {
			t.Errorf("card %d: price %v %v, want the coupon's own 800 EUR", i, p.Price, p.Currency)
		}
	}

	// An unlimited, free plan: nulls for the limits, price 0, no currency.
	free := createPlan(t, e, map[string]any{"name": "Lobby hour", "session_minutes": 60})
	var lobby []map[string]any
	e.admin(http.MethodPost, coupons, map[string]any{"count": 1, "plan_id": free["id"]}).json(t, &lobby)
	got = postCards(t, e, app.RoleAdmin, inst, map[string]any{"coupon_ids": []string{lobby[0]["id"].(string)}})
	if p := got.Cards[0].Plan; p == nil || p.Name != "Lobby hour" || p.DataLimitMB != nil || p.DownloadKbps != nil || p.UploadKbps != nil ||
		p.Devices != 1 || p.Price == nil || *p.Price != 0 || p.Currency != nil {
		t.Errorf("free plan's card: plan = %+v, want unlimited, 1 device, price 0, currency null", p)
	}
}

func TestCouponCardsRefused(t *testing.T) {
	e := newEnv(t, "")
	inst := couponInstance(t, e)
	other := couponInstance(t, e)
	var mine, theirs []map[string]any
	e.admin(http.MethodPost, "/captive/instances/"+inst+"/coupons", map[string]any{"count": 2, "minutes_valid": 60}).json(t, &mine)
	e.admin(http.MethodPost, "/captive/instances/"+other+"/coupons", map[string]any{"count": 1, "minutes_valid": 60}).json(t, &theirs)
	unknown := "0190c0de-0000-7000-8000-000000000000"
	path := "/captive/instances/" + inst + "/coupons/cards"
	many := make([]string, 501)
	for i := range many {
		many[i] = mine[0]["id"].(string)
	}
	cases := []struct {
		name          string
		body          any
		code, param   string
		wantInMessage string
	}{
		{"neither", map[string]any{}, "parameter_missing", "coupon_ids", ""},
		{"both", map[string]any{"coupon_ids": []string{mine[0]["id"].(string)}, "run_id": unknown}, "parameter_invalid", "run_id", ""},
		{"null ids", map[string]any{"coupon_ids": nil}, "parameter_missing", "coupon_ids", ""},
		{"no ids", map[string]any{"coupon_ids": []string{}}, "parameter_invalid", "coupon_ids", ""},
		{"501 ids", map[string]any{"coupon_ids": many}, "parameter_invalid", "coupon_ids", ""},
		{"another instance's", map[string]any{"coupon_ids": []string{mine[0]["id"].(string), theirs[0]["id"].(string)}},
			"parameter_invalid", "coupon_ids", "1 of the 2"},
		{"unknown and malformed", map[string]any{"coupon_ids": []string{unknown, "nope", unknown, mine[1]["id"].(string)}},
			"parameter_invalid", "coupon_ids", "2 of the 3"},
		{"ids not a list", map[string]any{"coupon_ids": "x"}, "parameter_invalid", "coupon_ids", ""},
		{"unknown field", map[string]any{"run_id": unknown, "layout": "a4"}, "unknown_parameter", "layout", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := e.admin(http.MethodPost, path, tc.body)
			wantError(t, r, http.StatusBadRequest, tc.code, tc.param)
			if !strings.Contains(string(r.body), tc.wantInMessage) {
				t.Errorf("message %s does not say %q", r.body, tc.wantInMessage)
			}
		})
	}
	for _, p := range []string{"/captive/instances/" + unknown + "/coupons/cards", "/captive/instances/nope/coupons/cards"} {
		wantError(t, e.admin(http.MethodPost, p, map[string]any{"coupon_ids": []string{mine[0]["id"].(string)}}),
			http.StatusNotFound, "resource_missing", "")
	}
	wantError(t, e.admin(http.MethodPost, path, map[string]any{"run_id": unknown}), http.StatusNotFound, "resource_missing", "")
	wantError(t, e.admin(http.MethodPost, path, map[string]any{"run_id": "nope"}), http.StatusNotFound, "resource_missing", "")
	wantStatus(t, e.call(http.MethodPost, path, "", map[string]any{"run_id": unknown}), http.StatusUnauthorized)
}

func TestCouponCardsByRun(t *testing.T) {
	e := newEnv(t, "")
	inst := couponInstance(t, e)
	body := dailySchedule()
	body["count"] = 5
	sch := createSchedule(t, e, inst, body)["id"].(string)
	base := "/captive/instances/" + inst + "/coupon-schedules/" + sch
	var batches [2][]map[string]any
	for i := range batches {
		r := e.admin(http.MethodPost, base+"/run", nil)
		wantStatus(t, r, http.StatusCreated)
		r.json(t, &batches[i])
	}
	runs := listRuns(t, e, app.RoleAdmin, base+"/runs")
	if len(runs) != 2 {
		t.Fatalf("%d runs, want 2", len(runs))
	}
	// runs[1] is the first run: its cards are its coupons in creation order.
	for i, run := range []runJSON{runs[1], runs[0]} {
		got := postCards(t, e, app.RoleFrontdesk, inst, map[string]any{"run_id": run.ID})
		if len(got.Cards) != 5 {
			t.Fatalf("run %d: %d cards, want 5", i, len(got.Cards))
		}
		for j, c := range got.Cards {
			if c.ID != batches[i][j]["id"] || c.Code != batches[i][j]["code"] || c.Status != "valid" {
				t.Errorf("run %d card %d = %s %s, want %s %s", i, j, c.ID, c.Code, batches[i][j]["id"], batches[i][j]["code"])
			}
			wantQR(t, c.QR)
		}
	}

	// Another instance's run is not found there.
	other := couponInstance(t, e)
	wantError(t, e.admin(http.MethodPost, "/captive/instances/"+other+"/coupons/cards", map[string]any{"run_id": runs[0].ID}),
		http.StatusNotFound, "resource_missing", "")

	// Deleting the schedule keeps its coupons, and so their cards.
	wantStatus(t, e.admin(http.MethodDelete, base, nil), http.StatusNoContent)
	if got := postCards(t, e, app.RoleAdmin, inst, map[string]any{"run_id": runs[0].ID}); len(got.Cards) != 5 {
		t.Errorf("after deleting the schedule: %d cards, want 5", len(got.Cards))
	}
}

// wantQR fails unless qr is an SVG data URI.
func wantQR(t testing.TB, qr string) {
	t.Helper()
	data, ok := strings.CutPrefix(qr, "data:image/svg+xml;base64,")
	if !ok {
		t.Fatalf("qr = %.40q..., want an SVG data URI", qr)
	}
	svg, err := base64.StdEncoding.DecodeString(data)
	if err != nil {
		t.Fatalf("qr data: %v", err)
	}
	if !strings.HasPrefix(string(svg), "<svg ") || !strings.HasSuffix(string(svg), "</svg>") || !strings.Contains(string(svg), "<path ") {
		t.Fatalf("qr is not an SVG with a path: %s", fmt.Sprintf("%.200s", svg))
	}
}
