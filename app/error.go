package app

import (
	"errors"
	"fmt"
)

// Error codes: the short, closed list every package uses to classify a
// failure. Only web maps them to HTTP statuses.
const (
	EInvalid      = "invalid"      // the caller sent something wrong
	ENotFound     = "not_found"    // the thing asked for does not exist
	EConflict     = "conflict"     // the request clashes with current state
	EUnauthorized = "unauthorized" // no or bad credentials
	EForbidden    = "forbidden"    // credentials fine, action not allowed
	ETooLarge     = "too_large"    // the request body is over the limit
	ETooMany      = "too_many"     // the caller must slow down
	EUnavailable  = "unavailable"  // a dependency (a router) cannot be reached
	EInternal     = "internal"     // a bug or an unexpected failure
)

// Error is a failure the caller can act on. Code is one of the E* constants;
// Reason is the finer machine-readable word shown to API clients (for example
// "parameter_missing"); Param names the request field at fault, if any.
// Message is written for people and never contains secrets; Text, when
// set, is the same message as a catalogue key and params, for the admin
// page to word in its reader's language (app/text.go).
type Error struct {
	Code    string
	Reason  string
	Message string
	Param   string
	Text    *Text
}

// Refusal is an *Error whose message is a Text: code and reason as given,
// the message its English.
func Refusal(code, reason string, text Text) *Error {
	return &Error{Code: code, Reason: reason, Message: text.English(), Text: &text}
}

// Error implements error.
func (e *Error) Error() string {
	if e.Param != "" {
		return fmt.Sprintf("%s: %s (%s)", e.Code, e.Message, e.Param)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns an EInvalid error about the request field param.
func Invalid(param, reason, format string, args ...any) *Error {
	return &Error{Code: EInvalid, Reason: reason, Param: param, Message: fmt.Sprintf(format, args...)}
}

// Missing returns the EInvalid error for a required field that is absent.
func Missing(param string) *Error {
	return Invalid(param, ReasonParameterMissing, "%s is required", param)
}

// NotFound returns the ENotFound error for a missing resource of the given kind.
func NotFound(kind, id string) *Error {
	return &Error{Code: ENotFound, Reason: ReasonResourceMissing, Message: fmt.Sprintf("no %s with id %q", kind, id)}
}

// Reasons used by more than one package.
const (
	ReasonParameterMissing = "parameter_missing"
	ReasonParameterInvalid = "parameter_invalid"
	ReasonUnknownParameter = "unknown_parameter"
	ReasonInvalidJSON      = "invalid_json"
	ReasonResourceMissing  = "resource_missing"
	ReasonResourceConflict = "resource_conflict"
	ReasonBodyTooLarge     = "body_too_large"
	ReasonAuthRequired     = "authentication_required"
	ReasonInvalidToken     = "invalid_token"
	ReasonPermissionDenied = "permission_denied"
)

// ErrorCode returns the code of err when it is (or wraps) an *Error, and
// EInternal otherwise. A nil err has no code.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Code
	}
	return EInternal
}

// ErrorReason returns the reason of err when it is (or wraps) an *Error,
// and "" otherwise.
func ErrorReason(err error) string {
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Reason
	}
	return ""
}

// ErrorMessage returns the message, written for people, of err when it is
// (or wraps) an *Error, and "" otherwise: other errors may carry details
// that are not for the caller, so each caller chooses what to show then.
func ErrorMessage(err error) string {
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Message
	}
	return ""
}

// ErrorParam returns the request field err names when it is (or wraps) an
// *Error, and "" otherwise.
func ErrorParam(err error) string {
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Param
	}
	return ""
}

// ErrorText returns the Text of err when it is (or wraps) an *Error with
// one, and nil otherwise.
func ErrorText(err error) *Text {
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Text
	}
	return nil
}

// IsError reports whether err is (or wraps) an *Error.
func IsError(err error) bool {
	_, ok := errors.AsType[*Error](err)
	return ok
}
