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
	"sync"
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

// adminAsset serves GET /ui/*filepath: the page's scripts, styles and images.
func (s *Server) adminAsset(w http.ResponseWriter, r *http.Request, p httprouter.Params) {
	name := strings.TrimPrefix(path.Clean("/"+p.ByName("filepath")), "/")
	s.serveUIFile(w, r, name)
}

// uiFile is one file of the admin page, ready to serve.
type uiFile struct {
	data        []byte
	contentType string
	etag        string
}

// uiIndex holds every file of the admin page by its path below web/ui,
// read and hashed once.
var uiIndex = sync.OnceValue(func() map[string]uiFile {
	types := map[string]string{".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
		".js": "text/javascript; charset=utf-8", ".svg": "image/svg+xml", ".png": "image/png", ".ico": "image/x-icon"}
	files := map[string]uiFile{}
	sub, _ := fs.Sub(uiFiles, "ui")
	_ = fs.WalkDir(sub, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(sub, name)
		if err != nil {
			return err
		}
		ct := types[path.Ext(name)]
		if ct == "" {
			ct = "application/octet-stream"
		}
		sum := sha256.Sum256(data)
		files[name] = uiFile{data: data, contentType: ct, etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
		return nil
	})
	return files
})

// serveUIFile writes the embedded admin page file name with the page's
// CSP and an ETag; an unknown name is 404.
func (s *Server) serveUIFile(w http.ResponseWriter, r *http.Request, name string) {
	f, ok := uiIndex()[name]
	if !ok {
		s.writeError(w, r, &app.Error{Code: app.ENotFound, Reason: app.ReasonResourceMissing, Message: "no such file: " + r.URL.Path})
		return
	}
	s.writeUIFile(w, r, name, f)
}

// writeUIFile writes f, the admin page's file name.
func (s *Server) writeUIFile(w http.ResponseWriter, r *http.Request, name string, f uiFile) {
	h := w.Header()
	h.Set("Content-Security-Policy", uiCSP)
	h.Set("Cache-Control", "no-cache") // revalidate: a new binary brings new files
	h.Set("Content-Type", f.contentType)
	h.Set("ETag", f.etag)
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(f.data)) // answers If-None-Match with 304
}
