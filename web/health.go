package web

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"strings"
	"sync"

	_ "embed"

	"github.com/julienschmidt/httprouter"
)

//go:generate go run ../internal/gzipfile openapi.yaml

// openAPIGzip is gatehouse's own API description (openapi.yaml: the shared
// Altostrat-compatible contract plus every gatehouse extension), embedded
// gzipped: 185 KB of YAML is 30 KB so, which the 20 MB budget of the
// binary needs. `go generate ./web` makes it from openapi.yaml; a test
// fails while the two differ.
//
//go:embed openapi.yaml.gz
var openAPIGzip []byte

// OpenAPIDocument is the API description as YAML, unpacked once when first
// asked for.
var OpenAPIDocument = sync.OnceValue(func() []byte {
	zr, err := gzip.NewReader(bytes.NewReader(openAPIGzip))
	if err != nil {
		panic("web: embedded openapi.yaml.gz: " + err.Error())
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		panic("web: embedded openapi.yaml.gz: " + err.Error())
	}
	return data
})

// healthz serves GET /healthz: the process is up, and its version.
func (s *Server) healthz(w http.ResponseWriter, _ *http.Request, _ httprouter.Params) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "version": s.version})
}

// openAPI serves GET /openapi.yaml: gatehouse's API document, as it is
// stored (gzip) to a client that accepts it, else unpacked.
func (s *Server) openAPI(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	h := w.Header()
	h.Set("Content-Type", "application/yaml; charset=utf-8")
	h.Add("Vary", "Accept-Encoding")
	body := openAPIGzip
	if acceptsGzip(r) {
		h.Set("Content-Encoding", "gzip")
	} else {
		body = OpenAPIDocument()
	}
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

// acceptsGzip reports whether the request's Accept-Encoding names gzip
// (and does not refuse it with q=0).
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
			return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
		}
	}
	return false
}
