package web_test

import (
	"io"
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

// TestAdminPageShellLanguage: before its scripts run, the page says it is
// loading (and, without JavaScript, that it needs it) in the browser's
// language, with <html lang> to match; each language is its own ETag.
func TestAdminPageShellLanguage(t *testing.T) {
	e := newEnv(t, "")
	etags := map[string]string{}
	for accept, want := range map[string][]string{
		"":                          {`<html lang="en">`, "Loading gatehouse…", "needs JavaScript."},
		"de-DE,de;q=0.9,en;q=0.8":   {`<html lang="de">`, "gatehouse wird geladen…", "braucht JavaScript."},
		"pt-BR":                     {`<html lang="pt">`, "A carregar o gatehouse…", "precisa de JavaScript."},
		"ja,fr-CA;q=0.8":            {`<html lang="fr">`, "Chargement de gatehouse…", "besoin de JavaScript."},
		"es":                        {`<html lang="es">`, "Cargando gatehouse…", "necesita JavaScript."},
		"zz, en-GB;q=0.1, *;q=0.01": {`<html lang="en">`},
	} {
		req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/", nil)
		if accept != "" {
			req.Header.Set("Accept-Language", accept)
		}
		res, err := e.srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Vary"), "Accept-Language") {
			t.Fatalf("GET / (%q): %d, Vary %q", accept, res.StatusCode, res.Header.Get("Vary"))
		}
		for _, w := range want {
			if !strings.Contains(string(body), w) {
				t.Errorf("GET / (%q) lacks %q:\n%s", accept, w, body)
			}
		}
		etags[want[0]] = res.Header.Get("ETag")
	}
	if len(etags) != 5 || etags[`<html lang="de">`] == etags[`<html lang="en">`] {
		t.Errorf("ETags by language: %v", etags)
	}
}
