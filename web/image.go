package web

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/julienschmidt/httprouter"

	"gatehouse/app"
)

// maxImageBody caps an image upload request (the 2 MB file and the
// multipart framing around it).
const maxImageBody = app.MaxImageSize + 64<<10

// imageCacheAge is how long browsers and proxies may keep a served image.
// A link names one version of an image, so what it shows never changes.
const imageCacheAge = app.ImageLinkTTL

// imageURLs returns the signed links to an instance's logo and icon; ""
// for an image that was never uploaded.
func (s *Server) imageURLs(in app.Instance) (logo, icon string) {
	if in.LogoVersion != "" {
		logo = s.links.ImageURL(in.ID, app.ImageLogo, in.LogoVersion)
	}
	if in.IconVersion != "" {
		icon = s.links.ImageURL(in.ID, app.ImageIcon, in.IconVersion)
	}
	return logo, icon
}

// uploadImage serves POST /captive/instances/:instanceId/images/:type: a
// multipart/form-data body whose field "file" holds a PNG, JPEG or GIF.
// The store checks the bytes and replaces the earlier image; the answer
// is 202 with no body.
func (s *Server) uploadImage(w http.ResponseWriter, r *http.Request, p httprouter.Params) {
	typ, id := p.ByName("type"), p.ByName("instanceId")
	if err := app.CheckImageType(typ); err != nil {
		s.writeError(w, r, err)
		return
	}
	if _, err := s.store.Instance(r.Context(), id); err != nil {
		s.writeError(w, r, err)
		return
	}
	data, err := readImageFile(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if _, err := s.store.PutImage(r.Context(), id, typ, data); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusAccepted)
}

// readImageFile returns the bytes of the multipart field "file", read no
// further than one byte past app.MaxImageSize. Errors: EInvalid (param
// "file") when the body is not multipart or has no such field, ETooLarge
// when the file or the body is over its limit.
func readImageFile(r *http.Request) ([]byte, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, app.Invalid("file", app.ReasonParameterMissing,
			"send the image as multipart/form-data in a field named file")
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil, app.Missing("file")
		}
		if err != nil {
			return nil, uploadError(err)
		}
		if part.FormName() != "file" {
			continue // NextPart skips what is left of it
		}
		data, err := io.ReadAll(io.LimitReader(part, app.MaxImageSize+1))
		if err != nil {
			return nil, uploadError(err)
		}
		if len(data) > app.MaxImageSize {
			return nil, imageTooLarge()
		}
		return data, nil
	}
}

// uploadError classifies a failure to read a multipart body.
func uploadError(err error) error {
	if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
		return imageTooLarge()
	}
	return app.Invalid("file", app.ReasonParameterInvalid, "the multipart/form-data body is malformed")
}

func imageTooLarge() error {
	return &app.Error{Code: app.ETooLarge, Reason: app.ReasonBodyTooLarge, Param: "file",
		Message: "the image is larger than the limit of " + byteSize(app.MaxImageSize)}
}

// portalImage serves GET /portal/:instanceId/images/:type, the public
// signed link in theme.logo and theme.icon. The signature (over the
// version v) is checked before the database is read; a link to a replaced
// version is not found. The bytes go out with their stored type, cached
// publicly (the link changes with the image) and unable to run anything.
func (s *Server) portalImage(w http.ResponseWriter, r *http.Request, p httprouter.Params) {
	id, typ := p.ByName("instanceId"), p.ByName("type")
	q := r.URL.Query()
	if err := s.verifyPublicLink(w, r, app.ImagePath(id, typ), "v"); err != nil {
		s.writeError(w, r, err)
		return
	}
	img, err := s.store.Image(r.Context(), id, typ)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if img.Version() != q.Get("v") {
		s.writeError(w, r, &app.Error{Code: app.ENotFound, Reason: app.ReasonResourceMissing,
			Message: "this " + typ + " has been replaced; fetch the instance for the new link"})
		return
	}
	h := w.Header()
	h.Set("Content-Type", img.ContentType)
	h.Set("Content-Length", strconv.Itoa(len(img.Data)))
	h.Set("Cache-Control", "public, max-age="+strconv.Itoa(int(imageCacheAge/time.Second))+", immutable")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; sandbox")
	w.WriteHeader(http.StatusOK)
	w.Write(img.Data) //nolint:errcheck // the client went away; nothing useful to do
}
