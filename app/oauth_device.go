package app

import (
	"context"
	"io"
	"strings"
	"time"
)

// Sign-in finished in another browser, in the style of RFC 8628 (the
// OAuth 2.0 device authorization grant). The captive mini-browsers that
// phones open on a hotspot (Apple's Captive Network Assistant, Android's
// captive portal login) are embedded web views, and Google refuses to sign
// anyone in inside one (disallowed_useragent). So the portal, seeing one,
// starts a device attempt: the mini-browser shows a short user code and
// keeps a secret in a cookie; the guest enters the code in a real browser
// (on the phone or another device), which claims the attempt and signs in
// with the provider; the callback lets the guest on, and the mini-browser,
// which polls, hands its device to the router. The credentials only ever
// go to the mini-browser holding the cookie.

// Reasons a user code is refused; EForbidden errors that the portal words
// in the guest's language.
const (
	ReasonDeviceCodeInvalid = "device_code_invalid" // no such code
	ReasonDeviceCodeExpired = "device_code_expired" // shown too long ago
	ReasonDeviceCodeUsed    = "device_code_used"    // already entered in a browser
)

// DeviceCodeLength is the number of characters of a user code (from the
// alnum coupon alphabet: 31^8, about 8.5e11 codes).
const DeviceCodeLength = 8

// The states of a device attempt, as the mini-browser learns them.
const (
	DeviceWaiting   = "waiting"    // the code is shown; no browser entered it yet
	DeviceSigningIn = "signing_in" // a browser entered the code and went to the provider
	DeviceDone      = "done"       // the guest was let on: the mini-browser hands off to the router
	DeviceFailed    = "failed"     // the sign-in ended without letting the guest on
	DeviceExpired   = "expired"    // the code or the sign-in took too long
)

// IsDevice reports whether the attempt is a device attempt.
func (a OAuthAttempt) IsDevice() bool { return a.UserCode != "" }

// DeviceStatus is the state of a device attempt at now.
func (a OAuthAttempt) DeviceStatus(now time.Time) string {
	switch {
	case a.FailedAt != nil:
		return DeviceFailed
	case a.SiteUserID != "":
		return DeviceDone
	case !now.Before(a.ExpiresAt):
		return DeviceExpired
	case a.ClaimedAt != nil:
		return DeviceSigningIn
	}
	return DeviceWaiting
}

// NewDeviceCode draws a user code from random (crypto/rand in
// production).
func NewDeviceCode(random io.Reader) (string, error) {
	return randomString(random, alnumAlphabet, DeviceCodeLength)
}

// FormatDeviceCode writes a user code as guests read it: "ABCD-EFGH".
func FormatDeviceCode(code string) string {
	if len(code) != DeviceCodeLength {
		return code
	}
	return code[:4] + "-" + code[4:]
}

// NormalizeDeviceCode reads a typed user code ("abcd efgh", "ABCD-EFGH")
// and reports whether it can be one at all (so that nothing else is ever
// looked up).
func NormalizeDeviceCode(typed string) (string, bool) {
	if len(typed) > 4*DeviceCodeLength {
		return "", false
	}
	code := NormalizeCouponCode(typed)
	if len(code) != DeviceCodeLength {
		return "", false
	}
	for _, r := range code {
		if !strings.ContainsRune(alnumAlphabet, r) {
			return "", false
		}
	}
	return code, true
}

// OAuthDeviceClaim is what a browser that entered a user code brings to
// the attempt: its PKCE verifier, OpenID Connect nonce and cookie hash.
type OAuthDeviceClaim struct {
	Verifier, Nonce, BrowserHash string
	At                           time.Time
}

// OAuthDeviceStore keeps device attempts (created with
// OAuthStore.CreateOAuthAttempt, with a UserCode and a PollHash).
type OAuthDeviceStore interface {
	// OAuthDeviceCode finds the attempt of a user code that a browser may
	// still claim at now. EForbidden with ReasonDeviceCodeInvalid,
	// ReasonDeviceCodeExpired or ReasonDeviceCodeUsed.
	OAuthDeviceCode(ctx context.Context, userCode string, now time.Time) (OAuthAttempt, error)
	// ClaimOAuthDeviceCode binds the attempt of a user code to the
	// browser that entered it, once, in one transaction: the attempt
	// takes the claim's verifier, nonce and browser hash, and its sign-in
	// gets the instance's auth_window_ttl from c.At. Errors as
	// OAuthDeviceCode.
	ClaimOAuthDeviceCode(ctx context.Context, userCode string, c OAuthDeviceClaim) (OAuthAttempt, error)
	// OAuthDeviceAttempt returns a device attempt; ENotFound.
	OAuthDeviceAttempt(ctx context.Context, id string) (OAuthAttempt, error)
	// FinishOAuthDevice records the end of a device attempt's sign-in at
	// now: the guest it let on (whose one-off user the router holds), or
	// siteUserID "" when it let nobody on. Only the first end counts.
	// ENotFound.
	FinishOAuthDevice(ctx context.Context, id, siteUserID string, now time.Time) error
	// ReleaseOAuthDevice records that the mini-browser received the
	// hand-off and reports whether this was the first time. ENotFound.
	ReleaseOAuthDevice(ctx context.Context, id string, now time.Time) (bool, error)
}

// DeviceCodeError is the EForbidden refusal of a user code.
func DeviceCodeError(reason string) *Error {
	msg := map[string]string{
		ReasonDeviceCodeInvalid: "the code is not valid",
		ReasonDeviceCodeExpired: "the code has expired",
		ReasonDeviceCodeUsed:    "the code has already been used",
	}[reason]
	return &Error{Code: EForbidden, Reason: reason, Message: msg}
}
