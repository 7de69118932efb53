package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"gatehouse/app"
)

// writeJSON encodes v as the response body with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v) // the client went away; nothing useful to do
}

// decodeJSON reads the request body, which must be exactly one JSON object
// whose fields all exist in dst. It returns EInvalid errors with the
// contract's reasons (invalid_json, unknown_parameter, parameter_invalid)
// and ETooLarge when the body limit was hit.
func decodeJSON(r *http.Request, dst any) error {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		if tooBig, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return &app.Error{Code: app.ETooLarge, Reason: app.ReasonBodyTooLarge,
				Message: "request body is larger than the limit of " + byteSize(tooBig.Limit)}
		}
		return app.Invalid("", app.ReasonInvalidJSON, "could not read the request body")
	}
	return decodeJSONBytes(body, dst)
}

// decodeJSONBytes is decodeJSON on a body already read.
func decodeJSONBytes(body []byte, dst any) error {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return app.Invalid("", app.ReasonInvalidJSON, "request body must be a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonError(err)
	}
	if dec.More() {
		return app.Invalid("", app.ReasonInvalidJSON, "request body must hold a single JSON object")
	}
	if _, err := dec.Token(); err != io.EOF {
		return app.Invalid("", app.ReasonInvalidJSON, "unexpected data after the JSON object")
	}
	return nil
}

// jsonError turns an encoding/json error into an app error naming the field.
func jsonError(err error) error {
	if ae, ok := errors.AsType[*app.Error](err); ok {
		return ae
	}
	if syntax, ok := errors.AsType[*json.SyntaxError](err); ok {
		return app.Invalid("", app.ReasonInvalidJSON, "malformed JSON at byte %d: %v", syntax.Offset, syntax)
	}
	if typ, ok := errors.AsType[*json.UnmarshalTypeError](err); ok {
		param := typ.Field
		if param == "" {
			return app.Invalid("", app.ReasonInvalidJSON, "request body must be a JSON object")
		}
		return app.Invalid(param, app.ReasonParameterInvalid, "%s must be %s, not %s", param, jsonTypeName(typ.Type.Kind().String()), typ.Value)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return app.Invalid("", app.ReasonInvalidJSON, "the JSON body ends too early")
	}
	msg := err.Error()
	if f, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		f = strings.Trim(f, `"`)
		return app.Invalid(f, app.ReasonUnknownParameter, "unknown field %q", f)
	}
	return app.Invalid("", app.ReasonInvalidJSON, "malformed JSON: %s", strings.TrimPrefix(msg, "json: "))
}

// jsonTypeName names a Go kind the way an API user thinks of JSON values.
func jsonTypeName(kind string) string {
	switch kind {
	case "int", "int64", "int32", "uint", "uint64", "uint32", "float64", "float32":
		return "a number"
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "slice", "array":
		return "an array"
	case "struct", "map":
		return "an object"
	}
	return "a " + kind
}

// byteSize formats a byte count for error messages.
func byteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + " MiB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.FormatInt(n>>10, 10) + " KiB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}
