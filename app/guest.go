package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
)

// Guests' personal data: what gatehouse holds about a guest (the device's
// MAC and IP address, a sign-in identity), how long, and what they agreed
// to. After GuestRetention a guest's records keep their counts and times,
// but MAC, IP and identity become a keyed hash (AnonPrefix): the same
// device or person still hashes alike, so repeat visits can be counted,
// and nothing names them. An access request (FindGuest) returns
// everything held about a MAC address or an identity; an erasure
// (EraseGuest) hashes it at once.

// Retention defaults.
const (
	DefaultGuestRetention = 90 * 24 * time.Hour
	MinGuestRetention     = 24 * time.Hour
	// OAuthAttemptRetention bounds how long a sign-in attempt (and a
	// device code) is kept: they expire in minutes; a week leaves time to
	// look into a failed sign-in.
	OAuthAttemptRetention = 7 * 24 * time.Hour
)

// AnonPrefix starts every value gatehouse anonymized.
const AnonPrefix = "anon:"

// IsAnonymized reports whether v is a keyed hash gatehouse made.
func IsAnonymized(v string) bool { return strings.HasPrefix(v, AnonPrefix) }

// TermsHash is the hex SHA-256 of a terms text exactly as shown.
func TermsHash(text string) string {
	h := sha256.Sum256([]byte(text))
	return hex.EncodeToString(h[:])
}

// Consent is a consent receipt: a guest accepted an instance's terms.
type Consent struct {
	ID         string
	InstanceID string
	TermsHash  string
	Lang       string // the language the terms were shown in
	At         time.Time
	SiteID     string
	CouponID   string
	Username   string // the hotspot user: a code, or an OAuth2 guest's
	MACAddress string
	Identity   string
	// SiteUserID is the guest's site user once the router reported the
	// session; "" before.
	SiteUserID string
	Anonymized bool
}

// TermsVersion is one text of an instance's terms a guest accepted.
type TermsVersion struct {
	Hash        string
	Text        string
	FirstSeenAt time.Time
}

// ConsentFilter selects consents of an instance; zero fields select all.
type ConsentFilter struct {
	Since, Until time.Time
	MAC          string
	Identity     string
}

// GuestQuery names a person: a device's MAC address or a sign-in
// identity (e-mail), exactly one.
type GuestQuery struct {
	MAC      string
	Identity string
}

// Check normalizes the query (MAC in upper case) and validates it;
// EInvalid naming mac or identity.
func (q *GuestQuery) Check() error {
	q.MAC, q.Identity = strings.ToUpper(strings.TrimSpace(q.MAC)), strings.TrimSpace(q.Identity)
	switch {
	case q.MAC == "" && q.Identity == "":
		return Invalid("mac", ReasonParameterMissing, "name the guest by mac (a device's MAC address) or identity (an e-mail)")
	case q.MAC != "" && q.Identity != "":
		return Invalid("identity", ReasonParameterInvalid, "send mac or identity, not both")
	case q.MAC != "" && !isMAC(q.MAC):
		return Invalid("mac", ReasonParameterInvalid, "mac must be a MAC address such as AA:BB:CC:00:11:22")
	case len(q.Identity) > 320:
		return Invalid("identity", ReasonParameterInvalid, "identity must be at most 320 characters")
	}
	return nil
}

// isMAC reports whether v is six colon-separated hex octets.
func isMAC(v string) bool {
	parts := strings.Split(v, ":")
	if len(parts) != 6 {
		return false
	}
	for _, p := range parts {
		if len(p) != 2 || strings.Trim(p, "0123456789ABCDEF") != "" {
			return false
		}
	}
	return true
}

// GuestCoupon is a coupon a guest's device used.
type GuestCoupon struct {
	ID, InstanceID, Code string
	RedeemedAt           *time.Time
	MACAddress           string
}

// GuestOAuth is a guest's sign-in with an identity provider.
type GuestOAuth struct {
	SiteUserID, SiteID, InstanceID string
	Provider, Subject, Username    string
	MACAddress                     string
	CreatedAt, EndsAt              time.Time
}

// GuestRecord is everything gatehouse holds about one person: rows that
// name them, and rows already anonymized from them (marked so).
type GuestRecord struct {
	Query       GuestQuery
	SiteUsers   []SiteUser
	Coupons     []GuestCoupon
	DeviceMoves []DeviceMove
	Consents    []Consent
	OAuth       []GuestOAuth
}

// GuestStore keeps guests' personal data under its rules.
type GuestStore interface {
	// RecordConsent stores a consent receipt and the terms text it names
	// (each text once, by its hash).
	RecordConsent(ctx context.Context, c Consent, terms string) error
	// ListConsents returns an instance's consents, oldest first.
	// ENotFound for an unknown instance.
	ListConsents(ctx context.Context, instanceID string, f ConsentFilter) ([]Consent, error)
	// TermsVersion returns a terms text by its hash; ENotFound.
	TermsVersion(ctx context.Context, hash string) (TermsVersion, error)
	// FindGuest returns everything held about the person (EInvalid for a
	// bad query).
	FindGuest(ctx context.Context, q GuestQuery) (GuestRecord, error)
	// EraseGuest anonymizes everything held about the person now and
	// returns how many records it changed. EConflict while the person is
	// online (a session to end first); EInvalid for a bad query.
	EraseGuest(ctx context.Context, q GuestQuery, now time.Time) (int, error)
	// AnonymizeGuests anonymizes the guests' records that ended before
	// before, and deletes OAuth2 sign-in attempts made before
	// attemptsBefore; it returns how many rows it changed.
	AnonymizeGuests(ctx context.Context, before, attemptsBefore time.Time) (int, error)
}
