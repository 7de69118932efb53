package web

import (
	_ "embed"
	"net/http"

	"github.com/julienschmidt/httprouter"
)

// OpenAPIDocument is gatehouse's own API description: the shared
// Altostrat-compatible contract plus every gatehouse extension.
//
//go:embed openapi.yaml
var OpenAPIDocument []byte

// healthz serves GET /healthz: the process is up, and its version.
func (s *Server) healthz(w http.ResponseWriter, _ *http.Request, _ httprouter.Params) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "version": s.version})
}

// openAPI serves GET /openapi.yaml: gatehouse's API document.
func (s *Server) openAPI(w http.ResponseWriter, _ *http.Request, _ httprouter.Params) {
	w.Header().Set("Content-Type", "application/yaml; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(OpenAPIDocument)
}
