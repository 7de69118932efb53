package web_test

// Fuzz targets for every request decoder of the admin API, fed through the
// real handler chain (middleware, authentication, decoding, validation,
// store) with an admin token: whatever the body, the answer is never a
// 5xx, and a 4xx is always in the Error shape.
//
//	go test -run '^$' -fuzz '^FuzzSiteRequest$' -fuzztime 20s ./web
//
// The server has no reconciler (Routers is nil), so fuzzed sites are never
// dialled: test traffic stays in the process.

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"gatehouse/app"
	"gatehouse/db"
	"gatehouse/routeros"
	"gatehouse/scheduler"
	"gatehouse/web"
)

// fuzzFixture is a wired handler over a fresh store, with one of every
// resource for the id positions.
type fuzzFixture struct {
	handler                                    http.Handler
	admin                                      string
	site, inst, sch, integ, wg, group, couponQ string
}

func newFuzzFixture(f *testing.F) *fuzzFixture {
	f.Helper()
	ctx := context.Background()
	logger := slog.New(slog.DiscardHandler)
	store, err := db.Open(ctx, f.TempDir(), logger)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { store.Close() })
	var keys [2][]byte
	for i, name := range []string{"jwt-hs256", "link-hmac"} {
		if keys[i], err = store.Key(ctx, name, 32); err != nil {
			f.Fatal(err)
		}
	}
	sched := scheduler.New(store, nil, scheduler.Config{}, logger)
	// The reconciler is not started: a sync tries the loopback address
	// of the fixture's site, where no router answers.
	routers := scheduler.NewReconciler(store, func(site app.Site) scheduler.Router {
		return routeros.NewRouter(site, routeros.Config{CommandTimeout: time.Second, DialTimeout: time.Second,
			RetryMin: 10 * time.Millisecond, RetryMax: 100 * time.Millisecond})
	}, scheduler.ReconcilerConfig{Interval: time.Hour}, logger)
	s, err := web.New(web.Config{BaseURL: "http://gatehouse.test", TokenKey: keys[0], LinkKey: keys[1], Version: "fuzz"},
		web.Deps{Store: store, Routers: routers, Runner: sched}, logger)
	if err != nil {
		f.Fatal(err)
	}
	rec, err := store.CreateToken(ctx, "fuzz", app.RoleAdmin, 24*time.Hour)
	if err != nil {
		f.Fatal(err)
	}
	bearer, err := web.SignToken(keys[0], rec)
	if err != nil {
		f.Fatal(err)
	}
	fx := &fuzzFixture{handler: s.Handler(), admin: "Bearer " + bearer}
	fx.site = fx.create(f, "/captive/sites", `{"name":"Lobby","host":"127.0.0.1","username":"api","password":"pw"}`)
	fx.inst = fx.create(f, "/captive/instances", `{"name":"Guest","strategy":"coupon","session_ttl":3600,"sites":[{"id":"`+fx.site+`","subnets":["10.5.50.0/24"]}]}`)
	fx.sch = fx.create(f, "/captive/instances/"+fx.inst+"/coupon-schedules",
		`{"name":"Daily","count":5,"recurrence_type":"daily","valid_for_in_minutes":60,"timezone":"UTC","run_at":"08:00"}`)
	fx.integ = fx.create(f, "/captive/auth-integrations", `{"name":"G","type":"google","config":{"client_id":"c","client_secret":"s"}}`)
	fx.wg = fx.create(f, "/captive/walled-garden/"+fx.site, `{"name":"n","ip_address":"1.1.1.1"}`)
	fx.group = fx.create(f, "/captive/notification-groups", `{"name":"Desk","emails":["desk@example.com"]}`)
	if st, body := fx.do(http.MethodPost, "/captive/instances/"+fx.inst+"/coupon-schedules/"+fx.sch+"/run", "", nil); st != http.StatusCreated {
		f.Fatalf("run schedule: %d %s", st, body)
	}
	st, body := fx.do(http.MethodGet, "/captive/instances/"+fx.inst+"/coupon-schedules/"+fx.sch+"/generate_url", "", nil)
	var link struct {
		SignedURL string `json:"signed_url"`
	}
	if st != http.StatusOK || json.Unmarshal(body, &link) != nil {
		f.Fatalf("generate_url: %d %s", st, body)
	}
	u, err := url.Parse(link.SignedURL)
	if err != nil {
		f.Fatal(err)
	}
	fx.couponQ = u.RawQuery
	return fx
}

// do runs one request through the handler as admin.
func (fx *fuzzFixture) do(method, path, contentType string, body []byte) (int, []byte) {
	req := httptest.NewRequest(method, "http://gatehouse.test/", bytes.NewReader(body))
	req.URL.Path, req.URL.RawPath = path, ""
	if i := strings.IndexByte(path, '?'); i >= 0 {
		req.URL.Path, req.URL.RawQuery = path[:i], path[i+1:]
	}
	req.Header.Set("Authorization", fx.admin)
	if contentType == "" {
		contentType = "application/json"
	}
	req.Header.Set("Content-Type", contentType)
	w := httptest.NewRecorder()
	fx.handler.ServeHTTP(w, req)
	return w.Code, w.Body.Bytes()
}

func (fx *fuzzFixture) create(f *testing.F, path, body string) string {
	f.Helper()
	st, out := fx.do(http.MethodPost, path, "", []byte(body))
	var v struct{ ID string }
	if st != http.StatusCreated || json.Unmarshal(out, &v) != nil || v.ID == "" {
		f.Fatalf("POST %s: %d %s", path, st, out)
	}
	return v.ID
}

// checkFuzzAnswer fails on a 5xx, and on a 4xx that is not in the Error shape.
func checkFuzzAnswer(t *testing.T, method, path string, status int, body []byte) {
	t.Helper()
	if status >= 500 {
		t.Fatalf("%s %s → %d: %s", method, path, status, body)
	}
	if status >= 400 {
		var e struct{ Type, Code, Message string }
		if err := json.Unmarshal(body, &e); err != nil || e.Type == "" || e.Code == "" || e.Message == "" {
			t.Fatalf("%s %s → %d, not an Error with type, code and message: %s", method, path, status, body)
		}
		return
	}
	if len(body) > 0 && !json.Valid(body) {
		t.Fatalf("%s %s → %d with a body that is not JSON: %s", method, path, status, body)
	}
}

// fuzzBodies fuzzes the JSON bodies of the given requests (create and
// update of one resource).
func fuzzBodies(f *testing.F, seeds []string, targets func(fx *fuzzFixture) [][2]string) {
	for _, s := range append(seeds, ``, `{}`, `null`, `[`, `{"name":null}`, `{"name":1e400}`, `{"x":1}`, `{"name":"a"}{}`) {
		f.Add([]byte(s))
	}
	fx := newFuzzFixture(f)
	reqs := targets(fx)
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, rq := range reqs {
			st, out := fx.do(rq[0], rq[1], "", body)
			checkFuzzAnswer(t, rq[0], rq[1], st, out)
		}
	})
}

func FuzzSiteRequest(f *testing.F) {
	fuzzBodies(f, []string{
		`{"name":"Lobby","host":"127.0.0.1","username":"api","password":"s3cret"}`,
		`{"name":"L","host":"router.local","port":8729,"username":"u","tls":true,"tls_fingerprint":"AA:BB","hotspot_server":"hs1"}`,
		`{"port":0}`, `{"port":65536}`, `{"host":"::1"}`, `{"tls_fingerprint":null,"hotspot_server":null}`,
	}, func(fx *fuzzFixture) [][2]string {
		return [][2]string{{http.MethodPost, "/captive/sites"}, {http.MethodPut, "/captive/sites/" + fx.site}}
	})
}

func FuzzInstanceRequest(f *testing.F) {
	fuzzBodies(f, []string{
		`{"name":"Guest","strategy":"coupon","session_ttl":3600}`,
		`{"name":"G","strategy":"oauth2","session_ttl":1200,"auth_integration_id":"x","auth_window_ttl":900}`,
		`{"theme":{"accent_color":"#fff"},"sites":[{"id":"a","subnets":["10.0.0.0/8"]}],"terms_text":null}`,
		`{"name":null,"sites":null,"theme":null,"locale":"pt-BR","coupon_length":4,"coupon_charset":"digits"}`,
	}, func(fx *fuzzFixture) [][2]string {
		return [][2]string{{http.MethodPost, "/captive/instances"}, {http.MethodPut, "/captive/instances/" + fx.inst}}
	})
}

func FuzzAuthIntegrationRequest(f *testing.F) {
	fuzzBodies(f, []string{
		`{"name":"Corp","type":"azure","config":{"client_id":"c","client_secret":"s","tenant":"organizations"}}`,
		`{"name":"G","type":"google","config":{"client_id":"c","client_secret":"s"}}`,
		`{"config":{"client_secret":null}}`, `{"type":"okta","config":{"domain":"x"}}`,
	}, func(fx *fuzzFixture) [][2]string {
		return [][2]string{{http.MethodPost, "/captive/auth-integrations"}, {http.MethodPut, "/captive/auth-integrations/" + fx.integ}}
	})
}

func FuzzWalledGardenRequest(f *testing.F) {
	fuzzBodies(f, []string{
		`{"name":"Google auth","ip_address":"172.217.16.0/24"}`, `{"name":"Menu","host":"*.example.org"}`,
		`{"name":"n","ip_address":"::1/128"}`, `{"ip_address":null,"host":"a.b"}`,
	}, func(fx *fuzzFixture) [][2]string {
		return [][2]string{{http.MethodPost, "/captive/walled-garden/" + fx.site}, {http.MethodPut, "/captive/walled-garden/" + fx.site + "/" + fx.wg}}
	})
}

func FuzzCouponRequest(f *testing.F) {
	fuzzBodies(f, []string{
		`{"count":1,"minutes_valid":60}`, `{"count":200,"minutes_valid":5256000}`, `{"count":201,"minutes_valid":1}`,
		`{"count":1e9,"minutes_valid":1}`, `{"count":-1,"minutes_valid":-1}`,
	}, func(fx *fuzzFixture) [][2]string {
		return [][2]string{{http.MethodPost, "/captive/instances/" + fx.inst + "/coupons"}}
	})
}

func FuzzScheduleRequest(f *testing.F) {
	fuzzBodies(f, []string{
		`{"name":"Daily","count":20,"recurrence_type":"daily","valid_for_in_minutes":480,"timezone":"Australia/Sydney","run_at":"08:00"}`,
		`{"name":"W","count":1,"recurrence_type":"weekly","day_of_week":0,"valid_for_in_minutes":60,"timezone":"UTC"}`,
		`{"name":"M","count":1,"recurrence_type":"monthly","day_of_month":31,"valid_for_in_minutes":60,"timezone":"America/New_York","run_at":"02:30"}`,
		`{"notification_group_id":null,"day_of_week":null}`, `{"timezone":"Local"}`, `{"run_at":"24:00"}`,
	}, func(fx *fuzzFixture) [][2]string {
		return [][2]string{{http.MethodPost, "/captive/instances/" + fx.inst + "/coupon-schedules"},
			{http.MethodPut, "/captive/instances/" + fx.inst + "/coupon-schedules/" + fx.sch}}
	})
}

func FuzzNotificationGroupRequest(f *testing.F) {
	fuzzBodies(f, []string{
		`{"name":"Front office","emails":["desk@example.com"],"webhook_url":"https://pms.example.com/hooks/wifi"}`,
		`{"name":"x","emails":[],"webhook_url":null,"webhook_secret":"s"}`, `{"emails":["a@b","a@b"]}`,
		`{"webhook_url":"http://127.0.0.1:1/x"}`,
	}, func(fx *fuzzFixture) [][2]string {
		return [][2]string{{http.MethodPost, "/captive/notification-groups"}, {http.MethodPut, "/captive/notification-groups/" + fx.group}}
	})
}

func FuzzTokenRequest(f *testing.F) {
	fuzzBodies(f, []string{
		`{"name":"pms","role":"frontdesk","ttl":"8760h"}`, `{"name":"x","role":"admin","ttl":"-1h"}`,
		`{"name":"x","role":"operator","ttl":"9223372036854775807ns"}`, `{"name":"x","role":"root"}`,
	}, func(fx *fuzzFixture) [][2]string {
		return [][2]string{{http.MethodPost, "/captive/tokens"}}
	})
}

// FuzzSignedLinkQuery fuzzes the query string of the public coupon link.
func FuzzSignedLinkQuery(f *testing.F) {
	fx := newFuzzFixture(f)
	f.Add(fx.couponQ)
	f.Add(fx.couponQ + "&format=csv")
	f.Add(fx.couponQ + "&format=html")
	f.Add("sid=x&expires=1&signature=y")
	f.Add("expires=9999999999999999999999")
	f.Add("%zz")
	f.Fuzz(func(t *testing.T, q string) {
		st, out := fx.do(http.MethodGet, "/captive/coupons?"+q, "", nil)
		if st >= 500 {
			t.Fatalf("GET /captive/coupons?%s → %d: %s", q, st, out)
		}
		if st >= 400 {
			checkFuzzAnswer(t, http.MethodGet, "/captive/coupons", st, out)
		}
	})
}

// FuzzImageUpload fuzzes the multipart image upload: the file's bytes and
// the raw body.
func FuzzImageUpload(f *testing.F) {
	fx := newFuzzFixture(f)
	f.Add([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x80\x00\x00\x00\x80\x08\x02\x00\x00\x00"), false)
	f.Add([]byte("GIF89a\x80\x00\x80\x00\x00\x00\x00;"), false)
	f.Add([]byte("\xff\xd8\xff\xe0"), false)
	f.Add([]byte("--b\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nx\r\n--b--\r\n"), true)
	f.Fuzz(func(t *testing.T, data []byte, raw bool) {
		body, ct := data, "multipart/form-data; boundary=b"
		if !raw {
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			fw, err := mw.CreateFormFile("file", "logo.png")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := io.Copy(fw, bytes.NewReader(data)); err != nil {
				t.Fatal(err)
			}
			mw.Close()
			body, ct = buf.Bytes(), mw.FormDataContentType()
		}
		for _, typ := range []string{"logo", "icon"} {
			path := "/captive/instances/" + fx.inst + "/images/" + typ
			st, out := fx.do(http.MethodPost, path, ct, body)
			checkFuzzAnswer(t, http.MethodPost, path, st, out)
		}
	})
}
