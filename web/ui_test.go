package web_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestAdminPageFiles: the page and its files are served with the admin
// page's CSP, revalidated by ETag; unknown files and traversal are 404.
func TestAdminPageFiles(t *testing.T) {
	e := newEnv(t, "")
	page := e.call(http.MethodGet, "/", "", nil)
	if page.status != http.StatusOK || !strings.HasPrefix(page.header.Get("Content-Type"), "text/html") ||
		!strings.Contains(page.header.Get("Content-Security-Policy"), "script-src 'self'") {
		t.Fatalf("GET /: %d %v", page.status, page.header)
	}
	js := e.call(http.MethodGet, "/ui/app.js", "", nil)
	etag := js.header.Get("ETag")
	if js.status != http.StatusOK || !strings.HasPrefix(js.header.Get("Content-Type"), "text/javascript") || etag == "" {
		t.Fatalf("GET /ui/app.js: %d %v", js.status, js.header)
	}
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/ui/app.js", nil)
	req.Header.Set("If-None-Match", etag)
	res, err := e.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotModified {
		t.Fatalf("revalidation: %d, want 304", res.StatusCode)
	}
	for _, p := range []string{"/ui/nope.js", "/ui/", "/ui/..%2f..%2fgo.mod", "/ui/../ui.go"} {
		if r := e.call(http.MethodGet, p, "", nil); r.status != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", p, r.status)
		}
	}
}
