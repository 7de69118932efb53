package routerostest_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestFetchIntoFile: /tool/fetch downloads a loopback URL into /file,
// replacing a file of the same name; print shows name, type, size and
// contents, and remove deletes it.
func TestFetchIntoFile(t *testing.T) {
	r := newRouter(t)
	c := dial(t, r)
	page := "<html>gatehouse</html>\n"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.URL.Path != "/login.html" {
			http.NotFound(w, req)
			return
		}
		w.Write([]byte(page))
	}))
	t.Cleanup(srv.Close)

	// A fresh router has RouterOS' own login page.
	rep := run(t, c, "/file/print", "?name=hotspot/login.html")
	if len(rep.Re) != 1 || strings.Contains(rep.Re[0].Map["contents"], "gatehouse") {
		t.Fatalf("fresh router's hotspot/login.html = %v, want RouterOS' own", rep.Re)
	}
	id := rep.Re[0].Map[".id"]

	rep = run(t, c, "/tool/fetch", "=url="+srv.URL+"/login.html?a=1&b=2", "=mode=http", "=dst-path=hotspot/login.html")
	if len(rep.Re) != 1 || rep.Re[0].Map["status"] != "finished" {
		t.Errorf("fetch reply = %v, want one !re with status=finished", rep.Re)
	}
	rep = run(t, c, "/file/print", "?name=hotspot/login.html")
	if len(rep.Re) != 1 {
		t.Fatalf("files named hotspot/login.html: %d, want 1", len(rep.Re))
	}
	f := rep.Re[0].Map
	if f[".id"] != id || f["contents"] != page || f["size"] != "23" || f["type"] != ".html file" || f["creation-time"] == "" {
		t.Errorf("file after fetch = %v, want same id %s, the page, size 23, type .html file", f, id)
	}

	// Without dst-path the file is named after the URL.
	run(t, c, "/tool/fetch", "=url="+srv.URL+"/login.html")
	if rep := run(t, c, "/file/print", "?name=login.html", "=.proplist=name,size"); len(rep.Re) != 1 || rep.Re[0].Map["size"] != "23" {
		t.Errorf("login.html after fetch without dst-path: %v", rep.Re)
	}
	run(t, c, "/file/remove", "=numbers=login.html")
	if rep := run(t, c, "/file/print", "?name=login.html"); len(rep.Re) != 0 {
		t.Errorf("login.html after remove: %v, want none", rep.Re)
	}

	wantTrap(t, c, "failure: closing connection: <404 Not Found> "+strings.TrimPrefix(srv.URL, "http://")+" (4)",
		"/tool/fetch", "=url="+srv.URL+"/missing.html", "=dst-path=x.html")
	wantTrap(t, c, "failure: the fake router fetches only from loopback addresses, not 192.0.2.1",
		"/tool/fetch", "=url=http://192.0.2.1/login.html", "=dst-path=x.html")
	wantTrap(t, c, "missing value(s) of argument(s) url", "/tool/fetch", "=dst-path=x.html")
	wantTrap(t, c, "unknown parameter", "/tool/fetch", "=url="+srv.URL+"/login.html", "=upload=yes")
	wantTrap(t, c, "no such command", "/file/add", "=name=x")
	wantTrap(t, c, "no such command", "/tool/print")
	if rep := run(t, c, "/file/print", "?name=x.html"); len(rep.Re) != 0 {
		t.Errorf("a failed fetch left a file: %v", rep.Re)
	}
}
