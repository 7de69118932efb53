package app

import (
	"context"
	"time"
)

// Limits of one audit listing.
const (
	DefaultAuditLimit = 100  // events returned when AuditFilter.Limit is 0
	MaxAuditLimit     = 1000 // the largest AuditFilter.Limit
)

// AuditEvent records one write attempted through the admin API: who (the
// token or admin account), what (the operation and resource), when and
// from where, and how it ended (refused and failed attempts included).
// Events are append-only; they never hold request bodies.
type AuditEvent struct {
	ID         string
	At         time.Time
	ActorID    string // token id (or admin account id)
	ActorName  string
	ActorRole  Role
	Action     string // e.g. "POST /captive/instances/:instanceId/coupons"
	Resource   string // the main id of the path, e.g. the instance id
	RemoteAddr string
	Status     int // HTTP status of the answer
	// Count is how many like attempts the event stands for when it
	// tallies them (failed sign-ins from one source in one minute); 0
	// for an event that records one write.
	Count int
}

// AuditFilter selects audit events; zero fields select everything.
type AuditFilter struct {
	Actor    string // actor id or name
	Resource string
	Since    time.Time
	Until    time.Time
	Limit    int // 0 means DefaultAuditLimit; at most MaxAuditLimit
}

// Validate checks f: Limit is 0 or 1..MaxAuditLimit, and Until is not
// before Since. Its errors are EInvalid naming the field (limit, until).
func (f AuditFilter) Validate() error {
	if f.Limit < 0 || f.Limit > MaxAuditLimit {
		return Invalid("limit", ReasonParameterInvalid, "limit must be between 1 and %d", MaxAuditLimit)
	}
	if !f.Since.IsZero() && !f.Until.IsZero() && f.Until.Before(f.Since) {
		return Invalid("until", ReasonParameterInvalid, "until must not be before since")
	}
	return nil
}

// AuditStore keeps the audit log. Append never changes or removes past
// events; there is no method that could.
type AuditStore interface {
	// AppendAudit stores e, giving it an id and the current time when it
	// has none. It returns EInvalid for an event without an action.
	AppendAudit(ctx context.Context, e AuditEvent) error
	// TallyAudit counts e as one more of the events with its action,
	// status and remote address in the minute of e.At: the first is
	// stored with Count 1, later ones add one to its Count. It returns
	// EInvalid for an event without an action.
	TallyAudit(ctx context.Context, e AuditEvent) error
	// ListAudit returns matching events, newest first. It returns EInvalid
	// for a filter that fails Validate.
	ListAudit(ctx context.Context, f AuditFilter) ([]AuditEvent, error)
}
