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
	Session   bool   // signed in to the admin page, not an API token
	AdminID   string // the admin account of a session; "" for an API token
}

// actor is who the caller is for the records that name them (the sales
// ledger, shifts): the admin account, which stays the same across its
// sign-ins, or the API token.
func (p principal) actor() app.Actor {
	id := p.AdminID
	if id == "" {
		id = p.TokenID
	}
	return app.Actor{ID: id, Name: p.Name, Role: p.Role}
}

// actorFrom is the caller of a request as an actor; the zero Actor when
// none was authenticated.
func actorFrom(ctx context.Context) app.Actor {
	p, _ := principalFrom(ctx)
	return p.actor()
}

// caller is what authenticate found out about a request: who is calling,
// or why no one could be named (an EUnauthorized error, or a failure to
// read the token record).
type caller struct {
	p   principal
	err error
}

type callerKey struct{}

// principalFrom returns the caller stored by authenticate; false when the
// request carried no valid token.
func principalFrom(ctx context.Context) (principal, bool) {
	c, ok := ctx.Value(callerKey{}).(caller)
	return c.p, ok && c.err == nil
}

// callerFrom returns what authenticate stored: the caller, or the reason
// there is none.
func callerFrom(ctx context.Context) caller {
	c, ok := ctx.Value(callerKey{}).(caller)
	if !ok {
		return caller{err: unauthorized(app.ReasonAuthRequired, "this endpoint needs an Authorization: Bearer <token> header")}
	}
	return c
}

func unauthorized(reason, msg string) error {
	return &app.Error{Code: app.EUnauthorized, Reason: reason, Message: msg}
}

// authenticate is the lenient step of the chain: it checks the bearer
// token of the request once and puts the caller, or why there is none,
// into the context for the steps after it (auditWrites, authorize and the
// handler). It refuses nothing; authorize does.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := s.verifyBearer(r)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), callerKey{}, caller{p: p, err: err})))
	})
}

// verifyBearer checks the bearer token of r: HS256 only, signed by the
// server key, unexpired with a required exp, issued by gatehouse, and its
// record present and not revoked. Errors are EUnauthorized, or the store's
// error when the token record cannot be read.
func (s *Server) verifyBearer(r *http.Request) (principal, error) {
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
	rec, err := s.store.Token(r.Context(), c.ID)
	if app.ErrorCode(err) == app.ENotFound {
		return principal{}, unauthorized(app.ReasonInvalidToken, "the token is not known")
	} else if err != nil {
		return principal{}, err
	}
	if !rec.Active(s.now()) {
		return principal{}, unauthorized(app.ReasonInvalidToken, "the token has been revoked or has expired")
	}
	return principal{TokenID: rec.ID, Name: rec.Name, Role: rec.Role, ExpiresAt: rec.ExpiresAt, Session: rec.AdminID != "",
		AdminID: rec.AdminID}, nil
}

// authorize wraps h so that only callers authenticate named, and whose
// role may perform action, reach it: no caller answers 401 (or the error
// that kept authenticate from naming one), a role without the right 403.
func (s *Server) authorize(action app.Action, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := callerFrom(r.Context())
		if c.err != nil {
			s.writeError(w, r, c.err)
			return
		}
		if !c.p.Role.Can(action) {
			s.writeError(w, r, &app.Error{Code: app.EForbidden, Reason: app.ReasonPermissionDenied,
				Message: "the " + string(c.p.Role) + " role may not do this"})
			return
		}
		h.ServeHTTP(w, r)
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
