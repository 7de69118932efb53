package app

import (
	"context"
	"time"
)

// Token lifetimes.
const (
	DefaultTokenTTL = 30 * 24 * time.Hour
	MaxTokenTTL     = 10 * 365 * 24 * time.Hour
)

// Token is the record behind an API bearer token. The signed JWT itself is
// handed out once at creation and never stored; its id (jti) points here,
// so revoking the record disables the JWT.
type Token struct {
	ID        string
	Name      string
	Role      Role
	CreatedAt time.Time
	ExpiresAt time.Time
	RevokedAt *time.Time
	// AdminID is the admin account of a sign-in session; "" for an API
	// token.
	AdminID string
}

// Active reports whether the token may still be used at time now.
func (t Token) Active(now time.Time) bool {
	return t.RevokedAt == nil && now.Before(t.ExpiresAt)
}

// ValidateTokenRequest checks the fields of a new token.
func ValidateTokenRequest(name string, role Role, ttl time.Duration) error {
	if err := checkName("name", name); err != nil {
		return err
	}
	if !role.Valid() {
		return Invalid("role", ReasonParameterInvalid, "role must be admin, operator or frontdesk")
	}
	if ttl <= 0 || ttl > MaxTokenTTL {
		return Invalid("ttl", ReasonParameterInvalid, "ttl must be positive and at most %s", MaxTokenTTL)
	}
	return nil
}

// TokenStore keeps API token records. CreateToken validates its input
// (EInvalid); Token and RevokeToken give ENotFound for unknown ids.
type TokenStore interface {
	CreateToken(ctx context.Context, name string, role Role, ttl time.Duration) (Token, error)
	Token(ctx context.Context, id string) (Token, error)
	ListTokens(ctx context.Context) ([]Token, error)
	RevokeToken(ctx context.Context, id string) error
}

// KeyStore hands out the server's named secret keys (JWT signing, URL
// signing), creating a random key of the given size on first use. Keys are
// encrypted at rest by the store.
type KeyStore interface {
	Key(ctx context.Context, name string, size int) ([]byte, error)
}
