package web_test

// Abuse tests: forged and oversized tokens, hostile bodies, mangled signed
// links and odd ids in every id position. Every answer must be a 4xx (never
// a 5xx, never a redirect), in the Error shape when it comes from gatehouse,
// and the data must be exactly as before.

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/golang-jwt/jwt/v5"

	"gatehouse/app"
	"gatehouse/web"
)

// abuseFixture is one of everything, so that every id position has a real
// id next to the odd one.
type abuseFixture struct {
	e                                     *env
	site, inst, coupon, sch, integ, wg    string
	group, token, siteUser, signedCoupons string
	plan, shift                           string
}

func newAbuseFixture(t *testing.T) *abuseFixture {
	t.Helper()
	e := newEnv(t, "")
	_, site, inst := routerSite(t, e)
	f := &abuseFixture{e: e, site: site, inst: inst}
	var coupons []map[string]any
	r := e.admin(http.MethodPost, "/captive/instances/"+inst+"/coupons", map[string]any{"count": 3, "minutes_valid": 60})
	wantStatus(t, r, http.StatusCreated)
	r.json(t, &coupons)
	f.coupon = coupons[0]["id"].(string)
	f.sch = createSchedule(t, e, inst, dailySchedule())["id"].(string)
	wantStatus(t, e.admin(http.MethodPost, "/captive/instances/"+inst+"/coupon-schedules/"+f.sch+"/run", nil), http.StatusCreated)
	f.integ = createIntegration(t, e)
	f.wg = e.admin(http.MethodPost, "/captive/walled-garden/"+site, map[string]any{"name": "n", "ip_address": "1.1.1.1"}).object(t)["id"].(string)
	f.group = ngCreate(t, e, map[string]any{"name": "Desk", "emails": []string{"desk@example.com"}})["id"].(string)
	r = e.admin(http.MethodPost, "/captive/plans", map[string]any{"name": "1 hour", "session_minutes": 60})
	wantStatus(t, r, http.StatusCreated)
	f.plan = r.object(t)["id"].(string)
	r = e.admin(http.MethodPost, "/captive/shifts", map[string]any{})
	wantStatus(t, r, http.StatusCreated)
	f.shift = r.object(t)["shift"].(map[string]any)["id"].(string)
	r = e.admin(http.MethodPost, "/captive/tokens", map[string]any{"name": "victim", "role": "operator"})
	wantStatus(t, r, http.StatusCreated)
	f.token = r.object(t)["id"].(string)
	var link struct {
		SignedURL string `json:"signed_url"`
	}
	e.admin(http.MethodGet, "/captive/instances/"+inst+"/coupon-schedules/"+f.sch+"/generate_url", nil).json(t, &link)
	u, err := url.Parse(link.SignedURL)
	if err != nil {
		t.Fatal(err)
	}
	f.signedCoupons = u.RequestURI()
	return f
}

// snapshot reads every list the API has, minus what moves on its own
// (signed links made afresh, the router's status).
func (f *abuseFixture) snapshot(t *testing.T) map[string]any {
	t.Helper()
	out := map[string]any{}
	for _, p := range []string{
		"/captive/sites", "/captive/instances", "/captive/auth-integrations", "/captive/walled-garden/" + f.site,
		"/captive/instances/" + f.inst + "/coupons?status=all", "/captive/instances/" + f.inst + "/coupon-schedules",
		"/captive/notification-groups", "/captive/tokens", "/captive/sites/" + f.site + "/users",
		"/captive/instances/" + f.inst + "/coupon-schedules/" + f.sch, "/captive/plans",
	} {
		r := f.e.admin(http.MethodGet, p, nil)
		wantStatus(t, r, http.StatusOK)
		var v any
		r.json(t, &v)
		out[p] = stripVolatile(v)
	}
	return out
}

// stripVolatile drops signed URLs (their expiry moves with the clock) and
// status objects (the router's state moves on its own).
func stripVolatile(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			if _, isObj := val.(map[string]any); k == "preview_url" || k == "test_url" || k == "status" && isObj {
				delete(x, k)
				continue
			}
			x[k] = stripVolatile(val)
		}
	case []any:
		for i := range x {
			x[i] = stripVolatile(x[i])
		}
	}
	return v
}

// unchanged fails when the data differ from before.
func (f *abuseFixture) unchanged(t *testing.T, before map[string]any) {
	t.Helper()
	after := f.snapshot(t)
	for p := range before {
		if !reflect.DeepEqual(before[p], after[p]) {
			b, _ := json.Marshal(before[p])
			a, _ := json.Marshal(after[p])
			t.Errorf("%s changed:\nbefore %s\n after %s", p, b, a)
		}
	}
}

// raw sends a request with the path exactly as given (already escaped;
// not cleaned), following no redirect.
func (f *abuseFixture) raw(t *testing.T, method, path string, header http.Header, body io.Reader) response {
	t.Helper()
	req, err := http.NewRequest(method, f.e.srv.URL, body)
	if err != nil {
		t.Fatal(err)
	}
	req.URL.Opaque = path
	for k, v := range header {
		req.Header[k] = v
	}
	c := &http.Client{
		Transport:     f.e.srv.Client().Transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       30 * time.Second,
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %.200s: %v", method, path, err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return response{status: res.StatusCode, header: res.Header, body: data}
}

// wantRefused checks an abusive request's answer: a 4xx; from gatehouse
// (not net/http's own 400/431 for unparseable requests) in the Error shape.
func wantRefused(t *testing.T, what string, r response) {
	t.Helper()
	if r.status < 400 || r.status >= 500 {
		t.Errorf("%s: status %d, want a 4xx; body %.300s", what, r.status, r.body)
		return
	}
	ct := r.header.Get("Content-Type")
	if strings.HasPrefix(ct, "application/json") {
		var e struct{ Type, Code, Message string }
		if err := json.Unmarshal(r.body, &e); err != nil || e.Type == "" || e.Code == "" || e.Message == "" {
			t.Errorf("%s: status %d body %.300s is not an Error with type, code and message", what, r.status, r.body)
		}
		return
	}
	if (r.status == http.StatusBadRequest || r.status == http.StatusRequestHeaderFieldsTooLarge) && strings.HasPrefix(ct, "text/plain") {
		return // refused by net/http before any handler ran
	}
	if strings.HasPrefix(ct, "text/html") && r.status == http.StatusNotFound {
		return // the guest portal answers guests with a page
	}
	t.Errorf("%s: status %d with Content-Type %q, want the JSON Error shape; body %.300s", what, r.status, ct, r.body)
}

// wantCode checks the Error's code too.
func wantCode(t *testing.T, what string, r response, status int, codes ...string) {
	t.Helper()
	wantRefused(t, what, r)
	if r.status != status {
		t.Errorf("%s: status %d, want %d; body %.300s", what, r.status, status, r.body)
		return
	}
	var e struct{ Code string }
	_ = json.Unmarshal(r.body, &e)
	for _, c := range codes {
		if e.Code == c {
			return
		}
	}
	t.Errorf("%s: code %q, want one of %q", what, e.Code, codes)
}

func TestAbuseTokens(t *testing.T) {
	f := newAbuseFixture(t)
	e := f.e
	rec, err := e.store.CreateToken(t.Context(), "forger", app.RoleAdmin, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	before := f.snapshot(t)
	claims := func(mut func(jwt.MapClaims)) jwt.MapClaims {
		c := jwt.MapClaims{"jti": rec.ID, "sub": rec.Name, "role": "admin", "iss": "gatehouse",
			"iat": time.Now().Unix(), "exp": time.Now().Add(time.Hour).Unix()}
		if mut != nil {
			mut(c)
		}
		return c
	}
	sign := func(m jwt.SigningMethod, key any, c jwt.MapClaims, header map[string]any) string {
		tok := jwt.NewWithClaims(m, c)
		for k, v := range header {
			tok.Header[k] = v
		}
		s, err := tok.SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	b64 := func(v any) string {
		data, _ := json.Marshal(v)
		return base64.RawURLEncoding.EncodeToString(data)
	}
	unsigned := func(alg string) string {
		return b64(map[string]any{"alg": alg, "typ": "JWT"}) + "." + b64(claims(nil)) + "."
	}
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	pubDER, err := x509.MarshalPKIXPublicKey(&rsaKey.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})
	good := sign(jwt.SigningMethodHS256, e.keys[0], claims(nil), nil)
	parts := strings.Split(good, ".")

	cases := []struct{ name, auth string }{
		{"alg none (library)", "Bearer " + sign(jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, claims(nil), nil)},
		{"alg none by hand", "Bearer " + unsigned("none")},
		{"alg NONE", "Bearer " + unsigned("NONE")},
		{"alg nOnE", "Bearer " + unsigned("nOnE")},
		{"alg empty", "Bearer " + unsigned("")},
		{"good header, signature dropped", "Bearer " + parts[0] + "." + parts[1] + "."},
		{"good header, no signature part", "Bearer " + parts[0] + "." + parts[1]},
		{"claims swapped under a good signature", "Bearer " + parts[0] + "." + b64(claims(func(c jwt.MapClaims) { c["sub"] = "x" })) + "." + parts[2]},
		{"HS256 keyed with an RSA public key (PEM)", "Bearer " + sign(jwt.SigningMethodHS256, pubPEM, claims(nil), nil)},
		{"HS256 keyed with an RSA public key (DER)", "Bearer " + sign(jwt.SigningMethodHS256, pubDER, claims(nil), nil)},
		{"HS256 with an empty key", "Bearer " + sign(jwt.SigningMethodHS256, []byte{}, claims(nil), nil)},
		{"RS256", "Bearer " + sign(jwt.SigningMethodRS256, rsaKey, claims(nil), nil)},
		{"RS256 with the public key in a jwk header", "Bearer " + sign(jwt.SigningMethodRS256, rsaKey, claims(nil),
			map[string]any{"jwk": map[string]any{"kty": "RSA", "n": base64.RawURLEncoding.EncodeToString(rsaKey.N.Bytes()), "e": "AQAB"}})},
		{"PS256", "Bearer " + sign(jwt.SigningMethodPS256, rsaKey, claims(nil), nil)},
		{"HS384", "Bearer " + sign(jwt.SigningMethodHS384, e.keys[0], claims(nil), nil)},
		{"kid path traversal", "Bearer " + sign(jwt.SigningMethodHS256, []byte{}, claims(nil), map[string]any{"kid": "../../../../dev/null"})},
		{"missing exp", "Bearer " + sign(jwt.SigningMethodHS256, e.keys[0], claims(func(c jwt.MapClaims) { delete(c, "exp") }), nil)},
		{"exp 1e308", "Bearer " + sign(jwt.SigningMethodHS256, e.keys[0], claims(func(c jwt.MapClaims) { c["exp"] = 1e308 }), nil)},
		{"exp null", "Bearer " + sign(jwt.SigningMethodHS256, e.keys[0], claims(func(c jwt.MapClaims) { c["exp"] = nil }), nil)},
		{"exp negative", "Bearer " + sign(jwt.SigningMethodHS256, e.keys[0], claims(func(c jwt.MapClaims) { c["exp"] = -1 }), nil)},
		{"nbf in the future", "Bearer " + sign(jwt.SigningMethodHS256, e.keys[0], claims(func(c jwt.MapClaims) { c["nbf"] = time.Now().Add(time.Hour).Unix() }), nil)},
		{"no iss", "Bearer " + sign(jwt.SigningMethodHS256, e.keys[0], claims(func(c jwt.MapClaims) { delete(c, "iss") }), nil)},
		{"no jti", "Bearer " + sign(jwt.SigningMethodHS256, e.keys[0], claims(func(c jwt.MapClaims) { delete(c, "jti") }), nil)},
		{"jti SQL", "Bearer " + sign(jwt.SigningMethodHS256, e.keys[0], claims(func(c jwt.MapClaims) { c["jti"] = "' OR '1'='1" }), nil)},
		{"jti number", "Bearer " + sign(jwt.SigningMethodHS256, e.keys[0], claims(func(c jwt.MapClaims) { c["jti"] = 1 }), nil)},
		{"jti long", "Bearer " + sign(jwt.SigningMethodHS256, e.keys[0], claims(func(c jwt.MapClaims) { c["jti"] = strings.Repeat("9", 3000) }), nil)},
		{"jti of a token revoked by id casing", "Bearer " + sign(jwt.SigningMethodHS256, e.keys[0], claims(func(c jwt.MapClaims) { c["jti"] = strings.ToUpper(f.token) + "x" }), nil)},
		{"garbage base64", "Bearer !!!.@@@.###"},
		{"four parts", "Bearer " + good + ".x"},
		{"header not JSON", "Bearer " + base64.RawURLEncoding.EncodeToString([]byte("{{{")) + "." + parts[1] + "." + parts[2]},
		{"unicode", "Bearer ☃.☃.☃"},
		{"token over the 4 KiB limit", "Bearer " + good + strings.Repeat("A", 5000)},
		{"100 KB token", "Bearer " + strings.Repeat("A", 100<<10)},
		{"scheme only", "Bearer"},
		{"tab separator", "Bearer\t" + good},
		{"token then junk", "Bearer " + good + " junk"},
	}
	for _, tc := range cases {
		for _, rq := range []struct{ method, path, body string }{
			{http.MethodGet, "/captive/instances", ""},
			{http.MethodPost, "/captive/sites", `{"name":"Forged","host":"127.0.0.1","username":"x","password":"y"}`},
			{http.MethodDelete, "/captive/tokens/" + f.token, ""},
		} {
			r := f.raw(t, rq.method, rq.path, http.Header{"Authorization": {tc.auth}, "Content-Type": {"application/json"}},
				strings.NewReader(rq.body))
			wantCode(t, tc.name+" "+rq.method+" "+rq.path, r, http.StatusUnauthorized, "invalid_token", "authentication_required")
		}
	}

	// A 1 MB token is refused by net/http (431) or by gatehouse (401).
	for _, size := range []int{1 << 20, 1<<20 + 8<<10, 2 << 20} {
		r := f.raw(t, http.MethodGet, "/captive/instances", http.Header{"Authorization": {"Bearer " + strings.Repeat("A", size)}}, nil)
		if r.status != http.StatusRequestHeaderFieldsTooLarge && r.status != http.StatusUnauthorized {
			t.Errorf("%d byte token: status %d, want 431 or 401", size, r.status)
		}
		wantRefused(t, fmt.Sprintf("%d byte token", size), r)
	}
	f.unchanged(t, before)
}

func TestAbuseBodies(t *testing.T) {
	f := newAbuseFixture(t)
	before := f.snapshot(t)
	admin := "Bearer " + f.e.tokens[app.RoleAdmin]
	post := func(path, contentType string, body io.Reader) response {
		t.Helper()
		return f.raw(t, http.MethodPost, path, http.Header{"Authorization": {admin}, "Content-Type": {contentType}}, body)
	}
	coupons := "/captive/instances/" + f.inst + "/coupons"
	// 2 MB, with and without a Content-Length.
	big := `{"name":"` + strings.Repeat("x", 2<<20) + `","host":"127.0.0.1","username":"a"}`
	wantCode(t, "2 MB site", post("/captive/sites", "application/json", strings.NewReader(big)), http.StatusRequestEntityTooLarge, "body_too_large")
	wantCode(t, "2 MB site, chunked", post("/captive/sites", "application/json", io.MultiReader(strings.NewReader(big))),
		http.StatusRequestEntityTooLarge, "body_too_large")
	wantCode(t, "2 MB coupons", post(coupons, "application/json", strings.NewReader(`{"count":1,"minutes_valid":1,"x":"`+strings.Repeat("y", 2<<20)+`"}`)),
		http.StatusRequestEntityTooLarge, "body_too_large")
	wantCode(t, "2 MB of whitespace", post(coupons, "application/json", strings.NewReader(strings.Repeat(" ", 2<<20)+`{"count":1,"minutes_valid":1}`)),
		http.StatusRequestEntityTooLarge, "body_too_large")

	deep := []struct{ name, body string }{
		{"100000 [", `{"name":` + strings.Repeat("[", 100000)},
		{"100000 [ closed", `{"name":` + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + `}`},
		{"100000 objects", strings.Repeat(`{"a":`, 100000) + "1" + strings.Repeat("}", 100000)},
		{"bare 100000 [", strings.Repeat("[", 100000)},
		{"nested theme", `{"theme":` + strings.Repeat(`{"accent_color":`, 50000) + `"#fff"` + strings.Repeat("}", 50000) + `}`},
	}
	for _, d := range deep {
		for _, p := range []string{"/captive/sites", "/captive/instances", coupons, "/captive/notification-groups"} {
			r := post(p, "application/json", strings.NewReader(d.body))
			wantCode(t, d.name+" to "+p, r, http.StatusBadRequest, "invalid_json", "unknown_parameter", "parameter_invalid")
		}
	}

	// Numbers no count or duration may be (plus the first value past
	// each field's own limit).
	bad := []string{"1000000000", "1e9", "1e308", "-1e308", "1e400", "-1", "0", "1.5", "9223372036854775807",
		"9223372036854775808", "-9223372036854775809", `"50"`, "null", "true", "[]", "{}", "0x10", "NaN", "Infinity", "-0.0", "1e-308"}
	for _, body := range []string{`{"count":201,"minutes_valid":60}`, `{"count":1,"minutes_valid":5256001}`} {
		r := post(coupons, "application/json", strings.NewReader(body))
		wantCode(t, "coupons "+body, r, http.StatusBadRequest, "parameter_invalid")
	}
	for _, n := range append(bad, "501") {
		r := post("/captive/instances/"+f.inst+"/coupon-schedules", "application/json", strings.NewReader(
			`{"name":"n","count":`+n+`,"recurrence_type":"daily","valid_for_in_minutes":60,"timezone":"UTC"}`))
		wantCode(t, "schedule count "+n, r, http.StatusBadRequest, "parameter_invalid", "parameter_missing", "invalid_json")
	}
	for _, n := range bad {
		for _, body := range []string{
			`{"count":` + n + `,"minutes_valid":60}`,
			`{"count":1,"minutes_valid":` + n + `}`,
		} {
			r := post(coupons, "application/json", strings.NewReader(body))
			wantCode(t, "coupons "+body, r, http.StatusBadRequest, "parameter_invalid", "parameter_missing", "invalid_json")
		}
	}

	odd := []struct{ name, contentType, body string }{
		{"empty", "application/json", ""},
		{"null", "application/json", "null"},
		{"array", "application/json", "[]"},
		{"two objects", "application/json", `{"count":1,"minutes_valid":1}{"count":1,"minutes_valid":1}`},
		{"trailing garbage", "application/json", `{"count":1,"minutes_valid":1}x`},
		{"unknown field", "application/json", `{"count":1,"minutes_valid":1,"instance_id":"x"}`},
		{"a form", "application/x-www-form-urlencoded", "count=1&minutes_valid=1"},
		{"NUL bytes", "application/json", "{\x00}"},
		{"UTF-16 BOM", "application/json", "\xff\xfe{\x00}\x00"},
		{"unterminated string", "application/json", `{"count":"`},
		{"200 unknown keys", "application/json", "{" + strings.Repeat(`"k":1,`, 200) + `"count":1}`},
	}
	for _, o := range odd {
		wantCode(t, "coupons "+o.name, post(coupons, o.contentType, strings.NewReader(o.body)), http.StatusBadRequest,
			"invalid_json", "unknown_parameter", "parameter_invalid", "parameter_missing")
	}
	f.unchanged(t, before)
}

func TestAbuseSignedLinks(t *testing.T) {
	f := newAbuseFixture(t)
	before := f.snapshot(t)
	r := f.raw(t, http.MethodGet, f.signedCoupons, nil, nil)
	wantStatus(t, r, http.StatusOK)
	good, err := url.ParseQuery(f.signedCoupons[strings.IndexByte(f.signedCoupons, '?')+1:])
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("A", 64<<10)
	// Signed a day and a minute ago with the real key: expired.
	old := &app.LinkSigner{BaseURL: "http://x", Key: f.e.keys[1], Now: func() time.Time { return time.Now().Add(-app.CouponLinkTTL - time.Minute) }}
	expired, _ := url.Parse(old.CouponListURL(f.sch))

	with := func(mut func(q url.Values)) string {
		q := url.Values{}
		for k, v := range good {
			q[k] = append([]string(nil), v...)
		}
		mut(q)
		return app.CouponListPath + "?" + q.Encode()
	}
	cases := []struct {
		name, path string
		status     int
		codes      []string
	}{
		{"no query", app.CouponListPath, 400, []string{"parameter_missing"}},
		{"no sid", with(func(q url.Values) { q.Del("sid") }), 400, []string{"parameter_missing"}},
		{"no expires", with(func(q url.Values) { q.Del("expires") }), 400, []string{"parameter_missing"}},
		{"no signature", with(func(q url.Values) { q.Del("signature") }), 400, []string{"parameter_missing"}},
		{"empty signature", with(func(q url.Values) { q.Set("signature", "") }), 400, []string{"parameter_missing"}},
		{"expires not a number", with(func(q url.Values) { q.Set("expires", "tomorrow") }), 400, []string{"parameter_invalid"}},
		{"expires float", with(func(q url.Values) { q.Set("expires", "1e10") }), 400, []string{"parameter_invalid"}},
		{"expires overflow", with(func(q url.Values) { q.Set("expires", "99999999999999999999999") }), 400, []string{"parameter_invalid"}},
		{"expires hex", with(func(q url.Values) { q.Set("expires", "0x7fffffff") }), 400, []string{"parameter_invalid"}},
		{"expires with space", with(func(q url.Values) { q.Set("expires", " "+good.Get("expires")) }), 400, []string{"parameter_invalid"}},
		{"expires moved", with(func(q url.Values) { q.Set("expires", "9999999999") }), 403, []string{"signature_invalid"}},
		{"expires negative", with(func(q url.Values) { q.Set("expires", "-1") }), 403, []string{"signature_invalid"}},
		{"garbage signature", with(func(q url.Values) { q.Set("signature", "garbage") }), 403, []string{"signature_invalid"}},
		{"signature one char off", with(func(q url.Values) {
			s := []byte(q.Get("signature"))
			s[0] ^= 1
			q.Set("signature", string(s))
		}), 403, []string{"signature_invalid"}},
		{"signature in standard base64", with(func(q url.Values) {
			raw, _ := base64.RawURLEncoding.DecodeString(q.Get("signature"))
			q.Set("signature", base64.StdEncoding.EncodeToString(raw))
		}), 403, []string{"signature_invalid"}},
		{"64 KB signature", with(func(q url.Values) { q.Set("signature", long) }), 403, []string{"signature_invalid"}},
		{"64 KB sid", with(func(q url.Values) { q.Set("sid", long) }), 403, []string{"signature_invalid"}},
		{"64 KB expires", with(func(q url.Values) { q.Set("expires", strings.Repeat("9", 64<<10)) }), 400, []string{"parameter_invalid"}},
		{"other sid", with(func(q url.Values) { q.Set("sid", f.inst) }), 403, []string{"signature_invalid"}},
		{"sid traversal", with(func(q url.Values) { q.Set("sid", "../../captive/tokens") }), 403, []string{"signature_invalid"}},
		{"sid NUL", with(func(q url.Values) { q.Set("sid", f.sch+"\x00") }), 403, []string{"signature_invalid"}},
		{"second sid first", with(func(q url.Values) { q["sid"] = []string{f.inst, f.sch} }), 403, []string{"signature_invalid"}},
		{"bad format", with(func(q url.Values) { q.Set("format", "xml") }), 400, []string{"parameter_invalid"}},
		{"expired", expired.RequestURI(), 403, []string{"signature_expired"}},
	}
	limited := 0
	for _, tc := range cases {
		r := f.raw(t, http.MethodGet, tc.path, nil, nil)
		if r.status == http.StatusTooManyRequests {
			wantRefused(t, tc.name, r) // bad links from one address are rate limited
			limited++
			continue
		}
		wantCode(t, tc.name, r, tc.status, tc.codes...)
	}
	t.Logf("%d of %d mangled links answered 429 (rate limited) instead of their own error", limited, len(cases))
	// Query strings the parser cannot read.
	for _, q := range []string{"sid=%zz&expires=1&signature=x", "sid;expires;signature", "%", "sid=" + f.sch + "&expires=1&signature=%ff%fe"} {
		r := f.raw(t, http.MethodGet, app.CouponListPath+"?"+q, nil, nil)
		wantRefused(t, "query "+q, r)
	}
	f.unchanged(t, before)
}

// oddIDs are hostile values for one path segment, as sent (escaped).
var oddIDs = []string{
	"..", ".", "%2e%2e", "..%2f..", "..%2F..%2F..%2Fcaptive%2Ftokens", "..%5c..%5c", "%2e%2e%2f%2e%2e%2fhealthz",
	"%00", "a%00b", "%0a", "%0d%0aX-Injected:%201", "%20", "%25", "%ff%fe", "%C3%A9t%C3%A9", "%E2%80%AE", "%F0%9F%98%80",
	"'%20OR%20'1'='1", "*", "-1", "0", "null", "%7B%7D", "ng_", "ng_00000000000000000000000000000000",
	"0190c0de-0000-7000-8000-000000000000", "{0190c0de-0000-7000-8000-000000000000}",
	strings.Repeat("a", 70000), strings.Repeat("%C3%A9", 3000),
}

// TestAbuseIDs puts odd ids in every id position of every route, the other
// positions holding real ids, with a body that would otherwise be valid.
func TestAbuseIDs(t *testing.T) {
	f := newAbuseFixture(t)
	before := f.snapshot(t)
	real := map[string]string{
		"instanceId": f.inst, "couponId": f.coupon, "scheduleId": f.sch, "type": "logo", "authIntegrationId": f.integ,
		"siteId": f.site, "userId": "0190c0de-0000-7000-8000-000000000000", "walledGardenEntryId": f.wg,
		"notificationGroupId": f.group, "tokenId": f.token, "filepath": "index.html", "planId": f.plan,
		"shiftId": f.shift, "hash": "0000000000000000000000000000000000000000000000000000000000000000",
	}
	bodies := map[string]string{
		"POST /captive/instances/:instanceId/coupons":                     `{"count":1,"minutes_valid":60}`,
		"POST /captive/instances/:instanceId/coupon-schedules":            `{"name":"n","count":1,"recurrence_type":"daily","valid_for_in_minutes":60,"timezone":"UTC"}`,
		"PUT /captive/instances/:instanceId/coupon-schedules/:scheduleId": `{"name":"renamed"}`,
		"PUT /captive/instances/:instanceId":                              `{"name":"renamed"}`,
		"PUT /captive/auth-integrations/:authIntegrationId":               `{"name":"renamed"}`,
		"PUT /captive/sites/:siteId":                                      `{"name":"renamed"}`,
		"POST /captive/walled-garden/:siteId":                             `{"name":"n","ip_address":"9.9.9.9"}`,
		"PUT /captive/walled-garden/:siteId/:walledGardenEntryId":         `{"name":"renamed"}`,
		"PUT /captive/notification-groups/:notificationGroupId":           `{"name":"renamed"}`,
		"PUT /captive/plans/:planId":                                      `{"name":"renamed"}`,
	}
	// Every route with an id, from the OpenAPI document (a test keeps it
	// in step with the router), so new routes are covered too.
	type route struct{ method, path string }
	var routes []route
	doc, err := openapi3.NewLoader().LoadFromData(web.OpenAPIDocument())
	if err != nil {
		t.Fatal(err)
	}
	for path, item := range doc.Paths.Map() {
		if !strings.Contains(path, "{") {
			continue
		}
		path = regexp.MustCompile(`\{(\w+)\}`).ReplaceAllString(path, ":$1")
		for method := range item.Operations() {
			routes = append(routes, route{method, path})
		}
	}
	slices.SortFunc(routes, func(a, b route) int { return strings.Compare(a.path+" "+a.method, b.path+" "+b.method) })
	for _, rt := range routes {
		for _, seg := range strings.Split(rt.path, "/") {
			if p, ok := strings.CutPrefix(seg, ":"); ok && real[p] == "" {
				t.Errorf("%s %s: no fixture for the id %s; add one to real", rt.method, rt.path, p)
			}
		}
	}
	admin := "Bearer " + f.e.tokens[app.RoleAdmin]
	n := 0
	for _, rt := range routes {
		segs := strings.Split(rt.path, "/")
		for i, seg := range segs {
			param, ok := strings.CutPrefix(seg, ":")
			if !ok {
				continue
			}
			values := oddIDs
			// Another resource's real id in this position: must be
			// not found, never the other resource.
			for name, id := range real {
				if name != param && name != "type" && name != "userId" && id != real[param] {
					values = append(values[:len(values):len(values)], id)
				}
			}
			for _, odd := range values {
				path := make([]string, len(segs))
				for j, s := range segs {
					if p, ok := strings.CutPrefix(s, ":"); ok {
						s = real[p]
					}
					path[j] = s
				}
				path[i] = odd
				h := http.Header{"Authorization": {admin}, "Content-Type": {"application/json"}}
				body := bodies[rt.method+" "+rt.path]
				if body == "" && (rt.method == "POST" || rt.method == "PUT") {
					body = "{}"
				}
				if strings.HasPrefix(rt.path, "/portal/") && rt.method == "POST" {
					h.Set("Content-Type", "application/x-www-form-urlencoded")
					body = "code=ABCDEF&accept_terms=on"
				}
				p := strings.Join(path, "/")
				r := f.raw(t, rt.method, p, h, strings.NewReader(body))
				wantRefused(t, fmt.Sprintf("%s %s with %s=%.40s", rt.method, rt.path, param, odd), r)
				n++
			}
		}
	}
	t.Logf("%d requests with odd ids on %d routes", n, len(routes))
	f.unchanged(t, before)
}

// TestAbuseTraversalRedirect: an id holding "../" must not lead a client
// that follows redirects (Go's http.Client, curl -L) to another endpoint
// with the same method and token. Here a DELETE of a walled-garden entry
// whose id a caller took from untrusted input would revoke an API token.
func TestAbuseTraversalRedirect(t *testing.T) {
	f := newAbuseFixture(t)
	path := "/captive/walled-garden/" + f.site + "/..%2F..%2F..%2Fcaptive%2Ftokens%2F" + f.token
	req, err := http.NewRequest(http.MethodDelete, f.e.srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+f.e.tokens[app.RoleAdmin])
	res, err := f.e.srv.Client().Do(req) // follows redirects, like most clients
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	var tokens []map[string]any
	f.e.admin(http.MethodGet, "/captive/tokens", nil).json(t, &tokens)
	for _, tok := range tokens {
		if tok["id"] == f.token && tok["revoked_at"] != nil {
			t.Fatalf("DELETE %s ended %d and revoked token %s: the router redirected the traversal to DELETE /captive/tokens/%s",
				path, res.StatusCode, f.token, f.token)
		}
	}
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("DELETE %s: %d, want 404", path, res.StatusCode)
	}
}
