package web

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"gatehouse/app"
)

// tokenIssuer is the iss claim of every token gatehouse signs.
const tokenIssuer = "gatehouse"

// maxAuthHeader bounds the Authorization header gatehouse will parse.
const maxAuthHeader = 4096

// tokenClaims are the claims of an API bearer token.
type tokenClaims struct {
	Role string `json:"role"`
	jwt.RegisteredClaims
}

// SignToken returns the bearer JWT for the token record t, signed with
// HS256 under key. The JWT carries t's id (jti), name (sub), role and
// expiry; the record stays authoritative, so revoking it disables the JWT.
func SignToken(key []byte, t app.Token) (string, error) {
	c := tokenClaims{
		Role: string(t.Role),
		RegisteredClaims: jwt.RegisteredClaims{
			ID:        t.ID,
			Subject:   t.Name,
			Issuer:    tokenIssuer,
			IssuedAt:  jwt.NewNumericDate(t.CreatedAt),
			ExpiresAt: jwt.NewNumericDate(t.ExpiresAt),
		},
	}
	return jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(key)
}

// principal is who is calling: the token record behind the request.
type principal struct {
	TokenID   string
	Name      string
	Role      app.Role
	ExpiresAt time.Time
	Session   bool // signed in to the admin page, not an API token
}

type principalKey struct{}

// principalFrom returns the caller stored by authenticate.
func principalFrom(ctx context.Context) (principal, bool) {
	p, ok := ctx.Value(principalKey{}).(principal)
	return p, ok
}

func unauthorized(reason, msg string) error {
	return &app.Error{Code: app.EUnauthorized, Reason: reason, Message: msg}
}

// authenticate checks the bearer token of r: HS256 only, signed by the
// server key, unexpired with a required exp, issued by gatehouse, and its
// record present and not revoked. Errors are EUnauthorized.
func (s *Server) authenticate(r *http.Request) (principal, error) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return principal{}, unauthorized(app.ReasonAuthRequired, "this endpoint needs an Authorization: Bearer <token> header")
	}
	scheme, raw, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(raw) == "" {
		return principal{}, unauthorized(app.ReasonInvalidToken, "the Authorization header must be \"Bearer <token>\"")
	}
	if len(raw) > maxAuthHeader {
		return principal{}, unauthorized(app.ReasonInvalidToken, "the bearer token is too long")
	}
	var c tokenClaims
	_, err := jwt.ParseWithClaims(strings.TrimSpace(raw), &c, func(*jwt.Token) (any, error) { return s.tokenKey, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithExpirationRequired(),
		jwt.WithIssuer(tokenIssuer),
		jwt.WithTimeFunc(s.now),
	)
	switch {
	case errors.Is(err, jwt.ErrTokenExpired):
		return principal{}, unauthorized(app.ReasonInvalidToken, "the token has expired")
	case err != nil:
		return principal{}, unauthorized(app.ReasonInvalidToken, "the token is not valid")
	}
	rec, err := s.deps.Tokens.Token(r.Context(), c.ID)
	if app.ErrorCode(err) == app.ENotFound {
		return principal{}, unauthorized(app.ReasonInvalidToken, "the token is not known")
	} else if err != nil {
		return principal{}, err
	}
	if !rec.Active(s.now()) {
		return principal{}, unauthorized(app.ReasonInvalidToken, "the token has been revoked or has expired")
	}
	return principal{TokenID: rec.ID, Name: rec.Name, Role: rec.Role, ExpiresAt: rec.ExpiresAt, Session: rec.AdminID != ""}, nil
}

// requireAction wraps h so that only authenticated callers whose role may
// perform action reach it.
func (s *Server) requireAction(action app.Action, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := s.authenticate(r)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		if !p.Role.Can(action) {
			s.writeError(w, r, &app.Error{Code: app.EForbidden, Reason: app.ReasonPermissionDenied,
				Message: "the " + string(p.Role) + " role may not do this"})
			return
		}
		h.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), principalKey{}, p)))
	})
}

// parseTTL parses a token lifetime given as a Go duration ("720h"); empty
// means app.DefaultTokenTTL.
func parseTTL(v string) (time.Duration, error) {
	if v == "" {
		return app.DefaultTokenTTL, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, app.Invalid("ttl", app.ReasonParameterInvalid, "ttl must be a duration such as 720h")
	}
	return d, nil
}
