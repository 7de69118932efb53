package app

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// OAuth2 guest sign-in: a guest of an oauth2 instance signs in with the
// instance's identity provider; gatehouse then creates a one-off hotspot
// user for that guest on the guest's site. The flow's state lives in the
// database as a sign-in attempt; the browser only carries a signed
// reference to it (the OAuth2 state parameter).

// Reasons an OAuth2 sign-in is refused. They are EForbidden errors; the
// portal turns them into a message in the guest's language.
const (
	ReasonOAuthStateInvalid = "oauth_state_invalid" // forged, malformed or unknown state
	ReasonOAuthStateExpired = "oauth_state_expired" // the auth window has passed
	ReasonOAuthStateUsed    = "oauth_state_used"    // the callback was replayed
)

// OAuthTestWindow is how long the sign-in started by an auth
// integration's test link may take.
const OAuthTestWindow = DefaultAuthWindowTTL * time.Second

// OAuthAttempt is one sign-in in progress: created when the guest presses
// "Sign in with …", used once by the provider's callback.
type OAuthAttempt struct {
	ID                string
	AuthIntegrationID string
	InstanceID        string     // "" for a test sign-in (an integration's test_url)
	SiteID            string     // "" for a test sign-in
	RouterParams      url.Values // what the router's login.html passed to the portal
	Verifier          string     // PKCE code_verifier; never leaves the server
	Nonce             string     // OpenID Connect nonce, checked in the ID token
	BrowserHash       string     // SHA-256 (hex) of the secret in the starting browser's cookie
	CreatedAt         time.Time
	ExpiresAt         time.Time
	UsedAt            *time.Time

	// A device attempt (see oauth_device.go) is started in a captive
	// mini-browser, which shows UserCode, and finished in another
	// browser; the fields are empty for other attempts.
	UserCode   string     // the short code, normalized ("ABCDEFGH")
	PollHash   string     // SHA-256 (hex) of the secret in the mini-browser's cookie
	ClaimedAt  *time.Time // when a browser entered the code and went to the provider
	FailedAt   *time.Time // when that sign-in ended without letting the guest on
	SiteUserID string     // the guest the sign-in let on
	ReleasedAt *time.Time // when the mini-browser first received the hand-off
}

// IsTest reports whether the attempt was started by a test link: it only
// shows what the provider said and grants nothing.
func (a OAuthAttempt) IsTest() bool { return a.InstanceID == "" }

// OAuthIdentity is who the provider says the guest is.
type OAuthIdentity struct {
	Provider string // ProviderGoogle, ProviderGitHub or ProviderAzure
	Subject  string // the provider's stable user id
	Email    string // the e-mail address the provider vouches for (Google, GitHub: verified; Azure: the email claim); may be ""
	Login    string // the provider's login or preferred user name; may be ""
	Name     string // display name; may be ""
	// Claims are the ID token's claims (Google, Azure) or the user and
	// e-mail documents (GitHub): what the test page shows.
	Claims map[string]any
}

// Display is what gatehouse records as the guest's identity: the e-mail
// address, else the login, else the subject.
func (id OAuthIdentity) Display() string {
	switch {
	case id.Email != "":
		return id.Email
	case id.Login != "":
		return id.Login
	}
	return id.Subject
}

// OAuthGrant asks the store to let a signed-in guest on.
type OAuthGrant struct {
	Attempt  OAuthAttempt
	Identity OAuthIdentity
	Username string // the one-off hotspot user (NewGuestCredentials)
	Password string
	At       time.Time
}

// OAuthGuest is a signed-in guest's one-off hotspot user and its site user.
type OAuthGuest struct {
	SiteUserID string
	SiteID     string
	InstanceID string
	Provider   string
	Identity   string
	Username   string
	Password   string
	MACAddress string // the device the user is locked to; "" when unknown
	EndsAt     time.Time
}

// Remaining is how much of the session is left at now.
func (g OAuthGuest) Remaining(now time.Time) time.Duration {
	return max(g.EndsAt.Sub(now), 0)
}

// OAuthStore keeps sign-in attempts and the guests they let on.
type OAuthStore interface {
	// CreateOAuthAttempt stores a new attempt with a new id and returns
	// it. A guest attempt's instance must be an oauth2 instance using the
	// integration and its site one of the instance's sites, and a test
	// attempt cannot be a device attempt (EInvalid); unknown ids give
	// ENotFound; EConflict when a device attempt's user code is taken
	// (draw another).
	CreateOAuthAttempt(ctx context.Context, a OAuthAttempt) (OAuthAttempt, error)
	// UseOAuthAttempt marks an attempt used and returns it, in one
	// transaction, so a callback can be used once: EForbidden with
	// ReasonOAuthStateUsed when it was used, ReasonOAuthStateExpired when
	// it expired at now, ReasonOAuthStateInvalid when there is none (or
	// it is a device attempt whose code no browser entered).
	UseOAuthAttempt(ctx context.Context, id string, now time.Time) (OAuthAttempt, error)
	// GrantOAuthGuest records a site user with the guest's identity and a
	// one-off hotspot user for the attempt's site, valid for the
	// instance's session_ttl from g.At, in one transaction. EInvalid for a
	// test attempt; ENotFound when the instance or site is gone;
	// EConflict when the user name is taken (draw new credentials).
	GrantOAuthGuest(ctx context.Context, g OAuthGrant) (OAuthGuest, error)
	// ActiveOAuthGuest finds the running session of a device on an
	// instance, once the router has reported it; ENotFound when there is
	// none.
	ActiveOAuthGuest(ctx context.Context, instanceID, mac string, now time.Time) (OAuthGuest, error)
	// OAuthGuest returns the guest of a site user; ENotFound when the
	// site user is not an OAuth2 guest.
	OAuthGuest(ctx context.Context, siteUserID string) (OAuthGuest, error)
	// EndOAuthGuest ends an OAuth2 guest's session at now (the router
	// drops the one-off user at its next pass); ending one that already
	// ended changes nothing. ENotFound when the site has no such OAuth2
	// guest.
	EndOAuthGuest(ctx context.Context, siteID, siteUserID string, now time.Time) error

	OAuthDeviceStore
}

// OAuthGuestComment marks the one-off hotspot user of an OAuth2 guest.
func OAuthGuestComment(siteUserID string) string { return oauthGuestCommentPrefix + siteUserID }

// ProviderGardenComment marks a walled garden rule that lets guests reach
// a provider's sign-in host.
func ProviderGardenComment(provider, host string) string {
	return providerGardenCommentPrefix + provider + ":" + host
}

const (
	oauthGuestCommentPrefix     = CommentPrefix + "o="
	providerGardenCommentPrefix = CommentPrefix + "idp-"
)

// providerHosts are the hosts a guest's browser must reach, before it is
// logged in, to sign in with each provider. Only exact names: the router
// lets HTTPS through by resolving a name at the IP level, which takes no
// wildcards, so "*.example.com" would only open plain HTTP. They are let
// through on TCP 443 only (docs/routeros.md §5), so the plain-HTTP probes
// that phones send to the same front ends still meet the hotspot. Hosts
// that only gatehouse itself calls (token and API endpoints) are not
// listed: the server is not behind the hotspot.
//
// www.gstatic.com is deliberately missing: it is Chrome's and Android's
// captive-portal probe (see ProbeLetThrough). Google's sign-in pages
// take their scripts and styles from ssl.gstatic.com and fonts from
// fonts.gstatic.com; a page that also wants www.gstatic.com loads without
// those extras, and a guest whose sign-in still fails there finishes it in
// a real browser through the device-code path (oauth_device.go).
var providerHosts = map[string][]string{
	ProviderGoogle: {
		"accounts.google.com",       // the sign-in pages
		"accounts.youtube.com",      // cookie check in the sign-in redirect chain
		"apis.google.com",           // sign-in page scripts
		"ssl.gstatic.com",           // sign-in page assets
		"fonts.gstatic.com",         // fonts
		"fonts.googleapis.com",      // font style sheets
		"lh3.googleusercontent.com", // profile pictures in the account chooser
	},
	ProviderGitHub: {
		"github.com",                    // sign-in, two-factor and consent pages
		"github.githubassets.com",       // their scripts and styles
		"avatars.githubusercontent.com", // profile pictures on the consent page
	},
	ProviderAzure: {
		"login.microsoftonline.com", // Entra ID sign-in
		"login.microsoft.com",       // Entra ID sign-in (newer name)
		"login.live.com",            // personal Microsoft accounts
		"account.live.com",          // personal account prompts
		"aadcdn.msauth.net",         // sign-in page assets
		"aadcdn.msftauth.net",
		"logincdn.msauth.net",
		"lgincdn.msauth.net",
		"acctcdn.msauth.net",
		"acctcdn.msftauth.net",
	},
}

// ProviderSignInHosts returns the curated hosts a provider's sign-in needs
// (nil for an unknown provider). The caller may not change the slice.
func ProviderSignInHosts(provider string) []string { return providerHosts[provider] }

// ProviderName is a provider's name as guests know it.
func ProviderName(provider string) string {
	switch provider {
	case ProviderGoogle:
		return "Google"
	case ProviderGitHub:
		return "GitHub"
	case ProviderAzure:
		return "Microsoft"
	}
	return provider
}

// guestUserAlphabet and guestPasswordAlphabet draw one-off hotspot
// credentials: lower case for the name (shown in router lists), letters
// and digits without look-alikes for the password.
const (
	guestUserAlphabet     = "abcdefghjkmnpqrstuvwxyz23456789"
	guestPasswordAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789"
	GuestUserPrefix       = "g-"
)

// NewGuestCredentials draws a one-off hotspot user name ("g-" and 8
// characters; never a coupon code, which has no dash) and a 20-character
// password from random (crypto/rand in production).
func NewGuestCredentials(random io.Reader) (user, password string, err error) {
	u, err := randomString(random, guestUserAlphabet, 8)
	if err != nil {
		return "", "", err
	}
	p, err := randomString(random, guestPasswordAlphabet, 20)
	if err != nil {
		return "", "", err
	}
	return GuestUserPrefix + u, p, nil
}

// randomString draws n characters of chars uniformly from random.
func randomString(random io.Reader, chars string, n int) (string, error) {
	limit := 256 - 256%len(chars)
	out := make([]byte, 0, n)
	buf := make([]byte, 2*n)
	for len(out) < n {
		if _, err := io.ReadFull(random, buf); err != nil {
			return "", err
		}
		for _, b := range buf {
			if int(b) < limit && len(out) < n {
				out = append(out, chars[int(b)%len(chars)])
			}
		}
	}
	return string(out), nil
}

// SignOAuthState returns the OAuth2 state of an attempt:
// "<attempt id>.<expiry, unix seconds>.<HMAC-SHA256>". The MAC is keyed by
// the server's link key over a text that no signed link can produce, so
// neither can stand in for the other.
func SignOAuthState(key []byte, attemptID string, expires time.Time) string {
	exp := strconv.FormatInt(expires.Unix(), 10)
	return attemptID + "." + exp + "." + stateMAC(key, attemptID, exp)
}

func stateMAC(key []byte, id, exp string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("gatehouse oauth2 state\n" + id + "\n" + exp))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// VerifyOAuthState checks a state's signature (in constant time) and
// expiry at now, reading nothing but its arguments, and returns the
// attempt id. Errors: EForbidden with ReasonOAuthStateInvalid or
// ReasonOAuthStateExpired.
func VerifyOAuthState(key []byte, state string, now time.Time) (string, error) {
	parts := strings.Split(state, ".")
	if len(parts) != 3 || parts[0] == "" || len(state) > 200 {
		return "", OAuthStateError(ReasonOAuthStateInvalid)
	}
	if !hmac.Equal([]byte(stateMAC(key, parts[0], parts[1])), []byte(parts[2])) {
		return "", OAuthStateError(ReasonOAuthStateInvalid)
	}
	exp, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil {
		return "", OAuthStateError(ReasonOAuthStateInvalid)
	}
	if now.Unix() >= exp {
		return "", OAuthStateError(ReasonOAuthStateExpired)
	}
	return parts[0], nil
}

// OAuthStateError is the EForbidden refusal of a sign-in callback.
func OAuthStateError(reason string) *Error {
	msg := map[string]string{
		ReasonOAuthStateInvalid: "the sign-in link is not valid",
		ReasonOAuthStateExpired: "the sign-in took too long; start again",
		ReasonOAuthStateUsed:    "this sign-in has already been used",
	}[reason]
	return &Error{Code: EForbidden, Reason: reason, Message: msg}
}
