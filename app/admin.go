package app

import (
	"context"
	"regexp"
	"slices"
	"time"
	"unicode/utf8"
)

// Admin account limits.
const (
	// AdminSessionTTL is how long a sign-in to the admin page lasts: one
	// working shift.
	AdminSessionTTL = 8 * time.Hour
	// MinPasswordLength and MaxPasswordLength bound an admin password.
	MinPasswordLength = 10
	MaxPasswordLength = 1024
)

// ReasonInvalidCredentials is the reason of a refused sign-in. It never
// says whether the user name or the password was wrong.
const ReasonInvalidCredentials = "invalid_credentials"

// Admin is a person who signs in to the admin page. The password hash
// stays in the store; it is never part of this value.
type Admin struct {
	ID          string
	Username    string
	Role        Role
	CreatedAt   time.Time
	UpdatedAt   time.Time
	LastLoginAt *time.Time
	// Lang is the admin page's language the account chose ("" follows
	// the browser).
	Lang string
}

// AdminLanguages are the languages of the admin page.
var AdminLanguages = []string{"en", "es", "fr", "de", "pt"}

// CheckAdminLang validates an account's language: one of AdminLanguages,
// or "" to follow the browser. EInvalid (param lang) otherwise.
func CheckAdminLang(lang string) error {
	if lang == "" || slices.Contains(AdminLanguages, lang) {
		return nil
	}
	return Invalid("lang", ReasonParameterInvalid, "lang must be one of en, es, fr, de, pt, or empty to follow the browser")
}

var usernamePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$`)

// ValidateUsername checks an admin user name: 1–64 letters, digits and
// . _ @ -, starting with a letter or digit.
func ValidateUsername(username string) error {
	if username == "" {
		return Missing("username")
	}
	if !usernamePattern.MatchString(username) {
		return Invalid("username", ReasonParameterInvalid,
			"username must be 1 to 64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit")
	}
	return nil
}

// ValidatePassword checks the length of a new admin password.
func ValidatePassword(password string) error {
	switch n := utf8.RuneCountInString(password); {
	case password == "":
		return Missing("password")
	case n < MinPasswordLength:
		return Invalid("password", ReasonParameterInvalid, "the password must be at least %d characters", MinPasswordLength)
	case len(password) > MaxPasswordLength:
		return Invalid("password", ReasonParameterInvalid, "the password must be at most %d bytes", MaxPasswordLength)
	}
	return nil
}

// AdminStore keeps admin accounts and their sign-in sessions. A session is
// a token record (see TokenStore) tied to the account: it is left out of
// ListTokens, and changing the account's password or deleting the account
// revokes it.
type AdminStore interface {
	// CreateAdmin stores a new account with the given password hash
	// (HashPassword). EInvalid for a bad user name or role; EConflict when
	// the user name is taken (compared without regard to case).
	CreateAdmin(ctx context.Context, username string, role Role, passwordHash string) (Admin, error)
	// AdminCredentials returns the account and its password hash.
	// ENotFound for an unknown user name.
	AdminCredentials(ctx context.Context, username string) (Admin, string, error)
	// ListAdmins returns every account, by user name.
	ListAdmins(ctx context.Context) ([]Admin, error)
	// SetAdminPassword replaces the password hash and revokes the
	// account's sessions, in one transaction. ENotFound for an unknown user.
	SetAdminPassword(ctx context.Context, username, passwordHash string) error
	// DeleteAdmin deletes the account and revokes its sessions. ENotFound
	// for an unknown user.
	DeleteAdmin(ctx context.Context, username string) error
	// StartSession records a sign-in of the account and returns its new
	// session token record, valid for ttl.
	StartSession(ctx context.Context, adminID string, ttl time.Duration) (Token, error)
	// AdminLang returns the account's language ("" when it never chose).
	// ENotFound for an unknown account.
	AdminLang(ctx context.Context, adminID string) (string, error)
	// SetAdminLang stores the account's language (CheckAdminLang:
	// EInvalid). ENotFound for an unknown account.
	SetAdminLang(ctx context.Context, adminID, lang string) error
}
