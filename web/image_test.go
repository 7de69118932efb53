package web_test

import (
	"bytes"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3filter"

	"gatehouse/app"
)

func init() {
	// Served images are checked for their status and content type.
	for _, ct := range []string{"image/png", "image/jpeg", "image/gif"} {
		openapi3filter.RegisterBodyDecoder(ct, openapi3filter.FileBodyDecoder)
	}
}

// testImage returns a w×h image in format (png, jpeg or gif); seed varies
// a pixel so that two seeds give two files.
func testImage(tb testing.TB, format string, w, h int, seed uint8) []byte {
	tb.Helper()
	img := image.NewPaletted(image.Rect(0, 0, w, h), color.Palette{color.White, color.Black, color.Gray{Y: seed}})
	img.SetColorIndex(0, 0, 2)
	var buf bytes.Buffer
	var err error
	switch format {
	case "png":
		err = png.Encode(&buf, img)
	case "jpeg":
		err = jpeg.Encode(&buf, img, nil)
	case "gif":
		err = gif.Encode(&buf, img, nil)
	}
	if err != nil {
		tb.Fatalf("encode %s: %v", format, err)
	}
	return buf.Bytes()
}

// uploadFile posts data as the multipart field named field (file name and
// declared type as given) with the token of role ("" for none), and checks
// the answer against the contract.
func (e *env) uploadFile(role app.Role, path, field, filename, contentType string, data []byte) response {
	e.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	h := make(map[string][]string)
	h["Content-Disposition"] = []string{`form-data; name="` + field + `"; filename="` + filename + `"`}
	h["Content-Type"] = []string{contentType}
	part, err := mw.CreatePart(h)
	if err != nil {
		e.t.Fatal(err)
	}
	part.Write(data) //nolint:errcheck // bytes.Buffer
	if err := mw.Close(); err != nil {
		e.t.Fatal(err)
	}
	return e.sendRaw(role, http.MethodPost, path, mw.FormDataContentType(), &body)
}

// sendRaw sends a raw body with the given content type as role ("" for no
// token) and checks the answer against the contract.
func (e *env) sendRaw(role app.Role, method, path, contentType string, body io.Reader) response {
	e.t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	if role != "" {
		req.Header.Set("Authorization", "Bearer "+e.tokens[role])
	}
	res, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	r := response{status: res.StatusCode, header: res.Header, body: data}
	checkContract(e.t, method, path, r)
	return r
}

// instanceTheme returns the theme of an instance as the API shows it.
func instanceTheme(t testing.TB, e *env, id string) map[string]any {
	t.Helper()
	r := e.admin(http.MethodGet, "/captive/instances/"+id, nil)
	wantStatus(t, r, http.StatusOK)
	return r.object(t)["theme"].(map[string]any)
}

// localPath turns an absolute gatehouse link into the path and query the
// test server answers.
func localPath(t testing.TB, link string) string {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil || u.Scheme != "http" || u.Host != "gatehouse.test" {
		t.Fatalf("link %q is not an absolute link to the base URL (%v)", link, err)
	}
	return u.RequestURI()
}

// wantImage fetches a signed image link without a token and checks that
// it serves exactly data as contentType, cacheable and inert.
func wantImage(t testing.TB, e *env, link string, data []byte, contentType string) {
	t.Helper()
	r := e.call(http.MethodGet, localPath(t, link), "", nil)
	wantStatus(t, r, http.StatusOK)
	if !bytes.Equal(r.body, data) {
		t.Fatalf("image body: got %d bytes, want the %d uploaded", len(r.body), len(data))
	}
	h := r.header
	if got := h.Get("Content-Type"); got != contentType {
		t.Errorf("Content-Type: got %q, want %q", got, contentType)
	}
	if got := h.Get("Cache-Control"); !strings.HasPrefix(got, "public, max-age=") || strings.Contains(got, "no-store") {
		t.Errorf("Cache-Control: got %q, want public with a max-age", got)
	}
	if got := h.Get("X-Content-Type-Options"); got != "nosniff" {
		t.Errorf("X-Content-Type-Options: got %q, want nosniff", got)
	}
	if got := h.Get("Content-Security-Policy"); !strings.Contains(got, "default-src 'none'") || !strings.Contains(got, "sandbox") {
		t.Errorf("Content-Security-Policy: got %q, want default-src 'none' and sandbox", got)
	}
}

func TestImageUploadAndServe(t *testing.T) {
	e := newEnv(t, "")
	id := createInstance(t, e, map[string]any{"name": "Guest WiFi", "strategy": "coupon", "session_ttl": 3600})["id"].(string)
	if th := instanceTheme(t, e, id); th["logo"] != nil || th["icon"] != nil {
		t.Fatalf("new instance theme has images: %v", th)
	}

	logo := testImage(t, "png", 240, 80, 1)
	r := e.uploadFile(app.RoleAdmin, "/captive/instances/"+id+"/images/logo", "file", "logo.png", "image/png", logo)
	wantStatus(t, r, http.StatusAccepted)
	if len(r.body) != 0 {
		t.Errorf("202 body: got %q, want none", r.body)
	}
	icon := testImage(t, "gif", 64, 64, 1)
	// The declared type is ignored: the bytes say GIF.
	wantStatus(t, e.uploadFile(app.RoleOperator, "/captive/instances/"+id+"/images/icon", "file", "icon.bin", "application/octet-stream", icon), http.StatusAccepted)

	th := instanceTheme(t, e, id)
	logoURL, _ := th["logo"].(string)
	iconURL, _ := th["icon"].(string)
	if logoURL == "" || iconURL == "" {
		t.Fatalf("theme after upload: %v, want logo and icon links", th)
	}
	for _, link := range []string{logoURL, iconURL} {
		q, _ := url.ParseQuery(strings.SplitN(link, "?", 2)[1])
		if q.Get("v") == "" || q.Get("expires") == "" || q.Get("signature") == "" {
			t.Errorf("link %s: want v, expires and signature", link)
		}
	}
	wantImage(t, e, logoURL, logo, "image/png")
	wantImage(t, e, iconURL, icon, "image/gif")

	// The list shows the same links.
	var list []map[string]any
	e.admin(http.MethodGet, "/captive/instances", nil).json(t, &list)
	if got := list[0]["theme"].(map[string]any)["logo"]; got != logoURL {
		t.Errorf("listed logo: got %v, want %s", got, logoURL)
	}

	// A re-upload changes the link; the old one no longer serves.
	logo2 := testImage(t, "jpeg", 300, 120, 2)
	wantStatus(t, e.uploadFile(app.RoleAdmin, "/captive/instances/"+id+"/images/logo", "file", "logo.jpg", "image/jpeg", logo2), http.StatusAccepted)
	logoURL2 := instanceTheme(t, e, id)["logo"].(string)
	if logoURL2 == logoURL {
		t.Fatalf("re-upload kept the link %s", logoURL)
	}
	wantImage(t, e, logoURL2, logo2, "image/jpeg")
	wantError(t, e.call(http.MethodGet, localPath(t, logoURL), "", nil), http.StatusNotFound, "resource_missing", "")
	if got := instanceTheme(t, e, id)["icon"]; got != iconURL {
		t.Errorf("icon link changed with the logo: %v, want %s", got, iconURL)
	}

	// Deleting the instance deletes its images.
	wantStatus(t, e.admin(http.MethodDelete, "/captive/instances/"+id, nil), http.StatusNoContent)
	wantError(t, e.call(http.MethodGet, localPath(t, iconURL), "", nil), http.StatusNotFound, "resource_missing", "")
}

func TestImageUploadRefused(t *testing.T) {
	e := newEnv(t, "")
	id := createInstance(t, e, map[string]any{"name": "Guest WiFi", "strategy": "coupon", "session_ttl": 3600})["id"].(string)
	logo := testImage(t, "png", 240, 80, 1)
	wantStatus(t, e.uploadFile(app.RoleAdmin, "/captive/instances/"+id+"/images/logo", "file", "logo.png", "image/png", logo), http.StatusAccepted)
	before := instanceTheme(t, e, id)

	bigPNG := append(testImage(t, "png", 240, 80, 3), make([]byte, 2<<20)...) // 2 MiB + a few bytes: over the file limit
	hugeBody := append(testImage(t, "png", 240, 80, 4), make([]byte, 3<<20)...)
	bmp := append([]byte("BM"), make([]byte, 4000)...)
	svg := []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="400" height="200"><rect width="400" height="200"/></svg>`)
	logoPath, iconPath := "/captive/instances/"+id+"/images/logo", "/captive/instances/"+id+"/images/icon"
	cases := []struct {
		name        string
		role        app.Role
		path, field string
		filename    string
		data        []byte
		status      int
		code, param string
	}{
		{"logo too small", app.RoleAdmin, logoPath, "file", "l.png", testImage(t, "png", 119, 80, 5), 400, "parameter_invalid", "file"},
		{"logo too low", app.RoleAdmin, logoPath, "file", "l.gif", testImage(t, "gif", 400, 79, 5), 400, "parameter_invalid", "file"},
		{"icon not square", app.RoleAdmin, iconPath, "file", "i.png", testImage(t, "png", 64, 63, 5), 400, "parameter_invalid", "file"},
		{"icon too small", app.RoleAdmin, iconPath, "file", "i.jpg", testImage(t, "jpeg", 31, 31, 5), 400, "parameter_invalid", "file"},
		{"text named png", app.RoleAdmin, logoPath, "file", "logo.png", []byte("this is a text file, honest"), 400, "parameter_invalid", "file"},
		{"bmp", app.RoleAdmin, logoPath, "file", "logo.bmp", bmp, 400, "parameter_invalid", "file"},
		{"svg", app.RoleAdmin, logoPath, "file", "logo.svg", svg, 400, "parameter_invalid", "file"},
		{"empty file", app.RoleAdmin, logoPath, "file", "logo.png", nil, 400, "parameter_missing", "file"},
		{"no file field", app.RoleAdmin, logoPath, "image", "logo.png", logo, 400, "parameter_missing", "file"},
		{"file over 2 MiB", app.RoleAdmin, logoPath, "file", "big.png", bigPNG, 413, "body_too_large", "file"},
		{"body over the limit", app.RoleAdmin, logoPath, "file", "huge.png", hugeBody, 413, "body_too_large", "file"},
		// An unknown image type is a bad parameter, not a missing page.
		{"unknown type", app.RoleAdmin, "/captive/instances/" + id + "/images/banner", "file", "b.png", logo, 400, "parameter_invalid", "type"},
		{"unknown instance", app.RoleAdmin, "/captive/instances/0190c0de-0000-7000-8000-000000000000/images/logo", "file", "l.png", logo, 404, "resource_missing", ""},
		{"frontdesk", app.RoleFrontdesk, logoPath, "file", "l.png", testImage(t, "png", 240, 80, 6), 403, "permission_denied", ""},
		{"no token", "", logoPath, "file", "l.png", testImage(t, "png", 240, 80, 6), 401, "authentication_required", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := e.uploadFile(tc.role, tc.path, tc.field, tc.filename, "image/png", tc.data)
			wantError(t, r, tc.status, tc.code, tc.param)
		})
	}
	t.Run("not multipart", func(t *testing.T) {
		r := e.sendRaw(app.RoleAdmin, http.MethodPost, logoPath, "image/png", bytes.NewReader(logo))
		wantError(t, r, 400, "parameter_missing", "file")
	})

	if after := instanceTheme(t, e, id); after["logo"] != before["logo"] || after["icon"] != nil {
		t.Errorf("refused uploads changed the theme: %v, was %v", after, before)
	}
}

func TestImageLinkRefused(t *testing.T) {
	e := newEnv(t, "")
	id := createInstance(t, e, map[string]any{"name": "Guest WiFi", "strategy": "coupon", "session_ttl": 3600})["id"].(string)
	logo := testImage(t, "png", 240, 80, 1)
	wantStatus(t, e.uploadFile(app.RoleAdmin, "/captive/instances/"+id+"/images/logo", "file", "logo.png", "image/png", logo), http.StatusAccepted)
	link := localPath(t, instanceTheme(t, e, id)["logo"].(string))
	u, _ := url.Parse(link)

	with := func(path string, change func(q url.Values)) string {
		q := u.Query()
		change(q)
		return path + "?" + q.Encode()
	}
	tamper := func(sig string) string { return sig[:len(sig)-2] + strings.Repeat("A", 2) }
	// A link signed long ago, with this server's key, has expired.
	old := &app.LinkSigner{BaseURL: "http://gatehouse.test", Key: e.keys[1], Now: func() time.Time { return time.Now().Add(-30 * 24 * time.Hour) }}
	expired := localPath(t, old.ImageURL(id, app.ImageLogo, u.Query().Get("v")))
	// A valid signature for an image that does not exist.
	noIcon := localPath(t, (&app.LinkSigner{BaseURL: "http://gatehouse.test", Key: e.keys[1], Now: time.Now}).ImageURL(id, app.ImageIcon, u.Query().Get("v")))

	cases := []struct {
		name, path  string
		status      int
		code, param string
	}{
		{"tampered signature", with(u.Path, func(q url.Values) { q.Set("signature", tamper(q.Get("signature"))) }), 403, "signature_invalid", ""},
		{"other version", with(u.Path, func(q url.Values) { q.Set("v", "0123456789abcdef") }), 403, "signature_invalid", ""},
		{"later expiry", with(u.Path, func(q url.Values) { q.Set("expires", "99999999999") }), 403, "signature_invalid", ""},
		{"other type", with(strings.Replace(u.Path, "/logo", "/icon", 1), func(url.Values) {}), 403, "signature_invalid", ""},
		{"expired", expired, 403, "signature_expired", ""},
		{"no signature", with(u.Path, func(q url.Values) { q.Del("signature") }), 400, "parameter_missing", "signature"},
		{"no version", with(u.Path, func(q url.Values) { q.Del("v") }), 400, "parameter_missing", "v"},
		{"no image", noIcon, 404, "resource_missing", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wantError(t, e.call(http.MethodGet, tc.path, "", nil), tc.status, tc.code, tc.param)
		})
	}
	wantImage(t, e, "http://gatehouse.test"+link, logo, "image/png")
}
