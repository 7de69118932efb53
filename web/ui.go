package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/julienschmidt/httprouter"

	"gatehouse/app"
)

// uiFiles is the admin page: plain HTML, CSS and JavaScript modules, no
// build step. The page talks to the API with a bearer token from
// POST /auth/login kept in the browser's sessionStorage.
//
//go:embed ui
var uiFiles embed.FS

// uiCSP allows the admin page its own scripts and styles, QR codes and
// previews as data/blob URLs, API calls to its own origin and the portal
// preview in a frame of its own origin; nothing else.
const uiCSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; " +
	"connect-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// adminPage serves GET /: the admin page's shell.
func (s *Server) adminPage(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	s.serveUIFile(w, r, "index.html")
}

// adminAsset serves GET /ui/*filepath: the page's scripts, styles and images.
func (s *Server) adminAsset(w http.ResponseWriter, r *http.Request, p httprouter.Params) {
	name := strings.TrimPrefix(path.Clean("/"+p.ByName("filepath")), "/")
	s.serveUIFile(w, r, name)
}

func (s *Server) serveUIFile(w http.ResponseWriter, r *http.Request, name string) {
	sub, _ := fs.Sub(uiFiles, "ui")
	data, err := fs.ReadFile(sub, name)
	if err != nil || name == "" {
		s.writeError(w, r, &app.Error{Code: app.ENotFound, Reason: app.ReasonResourceMissing, Message: "no such file: " + r.URL.Path})
		return
	}
	h := w.Header()
	h.Set("Content-Security-Policy", uiCSP)
	h.Set("Cache-Control", "no-cache") // revalidate: a new binary brings new files
	ct := map[string]string{".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
		".js": "text/javascript; charset=utf-8", ".svg": "image/svg+xml", ".png": "image/png", ".ico": "image/x-icon"}[path.Ext(name)]
	if ct == "" {
		ct = "application/octet-stream"
	}
	h.Set("Content-Type", ct)
	sum := sha256.Sum256(data)
	h.Set("ETag", `"`+hex.EncodeToString(sum[:8])+`"`)
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(data)) // answers If-None-Match with 304
}
