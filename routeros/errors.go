package routeros

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"gatehouse/app"
)

// This file is the one place in gatehouse that inspects RouterOS trap texts
// and connection failures. Callers see app error codes.

// Reasons of the app errors this package returns.
const (
	// ReasonUnavailable: the router could not be reached, refused the login,
	// did not answer in time, or the connection was lost or cancelled
	// (EUnavailable).
	ReasonUnavailable = "router_unavailable"
	// ReasonDuplicate: a !trap "failure: already have ..." (EConflict).
	ReasonDuplicate = "router_duplicate"
	// ReasonNoSuchItem: a !trap "no such item" (ENotFound).
	ReasonNoSuchItem = "router_no_such_item"
	// ReasonTrap: any other !trap (EInvalid).
	ReasonTrap = "router_trap"
	// ReasonBadCommand: the words given to Run or RunAll cannot be sent
	// (EInvalid); nothing was sent to the router.
	ReasonBadCommand = "router_bad_command"
)

// routerError is what this package returns: an *app.Error (reachable with
// errors.As), the underlying I/O or context error if any (reachable with
// errors.Is, e.g. context.Canceled), and the router's own trap texts.
type routerError struct {
	app   *app.Error
	cause error
	traps []string // =message= of each !trap, in order
}

func (e *routerError) Error() string { return e.app.Error() }

func (e *routerError) Unwrap() []error {
	if e.cause != nil {
		return []error{e.app, e.cause}
	}
	return []error{e.app}
}

// TrapMessage returns the router's own text when err is (or wraps) a
// RouterOS !trap, for logging: several traps of one reply are joined with
// "; ". It returns "", false for any other error.
func TrapMessage(err error) (string, bool) {
	re, ok := errors.AsType[*routerError](err)
	if !ok || len(re.traps) == 0 {
		return "", false
	}
	return strings.Join(re.traps, "; "), true
}

// trapError classifies the !trap messages of one reply (docs/routeros.md §4),
// by prefix because texts vary between versions ("no such item (4)").
func trapError(addr string, msgs []string) error {
	first := msgs[0]
	e := &app.Error{Code: app.EInvalid, Reason: ReasonTrap}
	switch {
	case strings.HasPrefix(first, "failure: already have"):
		e.Code, e.Reason = app.EConflict, ReasonDuplicate
	case strings.HasPrefix(first, "no such item"):
		e.Code, e.Reason = app.ENotFound, ReasonNoSuchItem
	}
	text := app.T("router.says", "router", addr, "message", strings.Join(msgs, "; "))
	e.Message, e.Text = text.English(), &text
	return &routerError{app: e, traps: msgs}
}

// unavailable returns an EUnavailable error whose message is text (a
// router.* key of app.EnglishTexts, for the admin page to word); cause (may
// be nil) stays reachable through errors.Is and errors.As.
func unavailable(cause error, text app.Text) error {
	return &routerError{app: app.Refusal(app.EUnavailable, ReasonUnavailable, text), cause: cause}
}

// causeText is an error's text for a {cause} param; "" for none.
func causeText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// badCommand is the EInvalid error for words that cannot be sent.
func badCommand(format string, args ...any) error {
	return &routerError{app: &app.Error{Code: app.EInvalid, Reason: ReasonBadCommand, Message: fmt.Sprintf(format, args...)}}
}

// errClosed is the cancellation cause of calls aborted by Client.Close.
var errClosed = errors.New("client closed")

// fatalError is a !fatal from the router: it is closing the connection.
type fatalError struct{ reason string }

func (e *fatalError) Error() string { return "router closed the session: " + e.reason }

// protocolError is a reply this package cannot make sense of.
type protocolError struct{ what string }

func (e *protocolError) Error() string { return "unexpected reply from router: " + e.what }

// connError turns the error that broke a connection to addr into the error
// for each command whose reply was still due: EUnavailable, saying what
// happened and that the command may have been applied.
func connError(ctx context.Context, addr string, timeout time.Duration, err error) error {
	if ctx.Err() != nil {
		cause := context.Cause(ctx)
		if cause == errClosed {
			return unavailable(cause, app.T("router.call_aborted", "router", addr))
		}
		return unavailable(cause, app.T("router.call_cancelled", "router", addr, "cause", causeText(cause)))
	}
	if ne, ok := errors.AsType[net.Error](err); ok && ne.Timeout() {
		return unavailable(err, app.T("router.no_answer", "router", addr, "timeout", timeout.String()))
	}
	return unavailable(err, app.T("router.connection_lost", "router", addr, "cause", causeText(err)))
}

// notSent is the error for commands never written to the router because
// no connection was (or could be made) available; last is the latest
// connection error, ctx tells whether the call was cancelled.
func notSent(ctx context.Context, addr string, last error) error {
	if ctx.Err() != nil {
		cause := context.Cause(ctx)
		if cause == errClosed {
			return unavailable(cause, app.T("router.not_sent_closed", "router", addr))
		}
		return unavailable(cause, app.T("router.not_sent", "router", addr, "cause", causeText(cause)))
	}
	if last != nil {
		if _, ok := errors.AsType[*routerError](last); ok {
			return last // already says what is wrong with the router
		}
		return unavailable(last, app.T("router.not_sent", "router", addr, "cause", causeText(last)))
	}
	return unavailable(nil, app.T("router.not_sent_no_connection", "router", addr))
}
