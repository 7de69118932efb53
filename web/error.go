package web

import (
	"cmp"
	"net/http"

	"gatehouse/app"
)

// errorBody is the contract's Error schema.
type errorBody struct {
	Type    string  `json:"type"`
	Code    string  `json:"code"`
	Message string  `json:"message"`
	Param   *string `json:"param"`
	// Text is Message as a catalogue key and params when the refusal has
	// one (app.Refusal), for the admin page to word.
	Text *app.Text `json:"text,omitempty"`
}

// errorKind maps an app error code to its HTTP status, the contract's error
// type and the default machine code.
var errorKind = map[string]struct {
	status int
	typ    string
	reason string
}{
	app.EInvalid:      {http.StatusBadRequest, "invalid_request_error", app.ReasonParameterInvalid},
	app.ENotFound:     {http.StatusNotFound, "invalid_request_error", app.ReasonResourceMissing},
	app.EConflict:     {http.StatusConflict, "invalid_request_error", app.ReasonResourceConflict},
	app.ETooLarge:     {http.StatusRequestEntityTooLarge, "invalid_request_error", app.ReasonBodyTooLarge},
	app.EUnauthorized: {http.StatusUnauthorized, "authentication_error", app.ReasonInvalidToken},
	app.EForbidden:    {http.StatusForbidden, "permission_error", app.ReasonPermissionDenied},
	app.ETooMany:      {http.StatusTooManyRequests, "rate_limit_error", "rate_limited"},
	app.EUnavailable:  {http.StatusServiceUnavailable, "api_error", "service_unavailable"},
	app.EInternal:     {http.StatusInternalServerError, "api_error", "internal_error"},
}

// writeError answers with err in the contract's Error shape. Errors that are
// not *app.Error are internal: they are logged once here and the client
// sees only "internal error".
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	if !app.IsError(err) {
		s.logger.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		err = errInternal
	}
	kind, ok := errorKind[app.ErrorCode(err)]
	if !ok {
		kind = errorKind[app.EInternal]
	}
	body := errorBody{Type: kind.typ, Code: cmp.Or(app.ErrorReason(err), kind.reason), Message: app.ErrorMessage(err)}
	if param := app.ErrorParam(err); param != "" {
		body.Param = &param
	}
	body.Text = app.ErrorText(err)
	if kind.status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="gatehouse"`)
	}
	writeJSON(w, kind.status, body)
}

// errInternal is what a client sees of an error that is not an app error.
var errInternal = &app.Error{Code: app.EInternal, Message: "internal error"}
