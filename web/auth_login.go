package web

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/julienschmidt/httprouter"

	"gatehouse/app"
)

// Sign-in limits, per loginWindow: a source address may fail
// loginSourceLimit times, an account from one source loginAccountLimit
// times, and an account from everywhere together loginAccountTotal times.
// Keying the account limit on the source too means a guest on the same
// network cannot lock a clerk out by guessing; the total still bounds a
// guess spread over many addresses. The window is short so that nobody is
// locked out for long.
const (
	loginSourceLimit  = 20
	loginAccountLimit = 10
	loginAccountTotal = 50
	loginWindow       = 15 * time.Minute
	// loginConcurrency bounds the password hashes computed at once (each
	// takes ~19 MiB), so a flood of sign-ins cannot exhaust memory.
	loginConcurrency = 4
	loginBodyLimit   = 8 << 10
)

// loginLimits are the failed sign-in counters and the hashing slots.
type loginLimits struct {
	sources, accountSources, accounts *failureLimiter
	hashing                           chan struct{}
	// dummyHash is checked for unknown user names so that a refusal
	// takes as long whether or not the account exists. It is made on the
	// first such sign-in: hashing takes argon2's memory (19 MiB), which a
	// server that never sees one should not pay at start-up.
	dummyHash func() string
}

func newLoginLimits() loginLimits {
	return loginLimits{
		sources:        newFailureLimiter(loginSourceLimit, loginWindow),
		accountSources: newFailureLimiter(loginAccountLimit, loginWindow),
		accounts:       newFailureLimiter(loginAccountTotal, loginWindow),
		hashing:        make(chan struct{}, loginConcurrency),
		dummyHash: sync.OnceValue(func() string {
			h, err := app.HashPassword("gatehouse-no-such-account")
			if err != nil {
				panic(err) // crypto/rand failing is not recoverable
			}
			return h
		}),
	}
}

// reserve counts the attempt under every limit, or, when one of them is
// reached, nothing, and says how long to wait.
func (ll loginLimits) reserve(source, account string, now time.Time) (reservation, time.Duration) {
	return reserveAll([]limitKey{{ll.sources, source}, {ll.accountSources, account + "@" + source},
		{ll.accounts, account}}, now)
}

type loginRequest struct {
	Username optional[string] `json:"username"`
	Password optional[string] `json:"password"`
}

type loginResponse struct {
	Token     string `json:"token"`
	ExpiresAt string `json:"expires_at"`
	Username  string `json:"username"`
	Role      string `json:"role"`
}

// login serves POST /auth/login: an admin account's user name and password
// for a bearer token valid for app.AdminSessionTTL.
func (s *Server) login(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	var req loginRequest
	if err := decodeJSON(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	username, password := strings.TrimSpace(req.Username.value), req.Password.value
	switch {
	case username == "":
		s.writeError(w, r, app.Missing("username"))
		return
	case password == "":
		s.writeError(w, r, app.Missing("password"))
		return
	case len(username) > 64 || len(password) > app.MaxPasswordLength:
		s.writeError(w, r, s.loginRefused())
		return
	}
	// The attempt counts as failed from the start, so that attempts made
	// at the same time cannot all pass the limits; success takes it back.
	res, wait := s.logins.reserve(clientIP(r), strings.ToLower(username), s.now())
	if wait > 0 {
		secs := int(math.Ceil(wait.Seconds()))
		w.Header().Set("Retry-After", fmt.Sprint(secs))
		s.writeError(w, r, &app.Error{Code: app.ETooMany, Reason: "rate_limited",
			Message: fmt.Sprintf("too many failed sign-ins; try again in %d seconds", secs)})
		return
	}
	admin, ok, err := s.checkCredentials(r.Context(), username, password)
	if err != nil {
		res.forgive() // not a guess that failed
		s.writeError(w, r, err)
		return
	}
	if !ok {
		s.auditSignIn(r, app.AuditEvent{ActorName: username, Action: "POST /auth/login", Status: http.StatusUnauthorized})
		s.writeError(w, r, s.loginRefused())
		return
	}
	res.forgive()
	tok, err := s.deps.Admins.StartSession(r.Context(), admin.ID, app.AdminSessionTTL)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	signed, err := SignToken(s.tokenKey, tok)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.auditSignIn(r, app.AuditEvent{ActorID: tok.ID, ActorName: admin.Username, ActorRole: admin.Role,
		Action: "POST /auth/login", Resource: admin.ID, Status: http.StatusOK})
	writeJSON(w, http.StatusOK, loginResponse{Token: signed, ExpiresAt: timeString(tok.ExpiresAt),
		Username: admin.Username, Role: string(admin.Role)})
}

func (s *Server) loginRefused() error {
	return &app.Error{Code: app.EUnauthorized, Reason: app.ReasonInvalidCredentials,
		Message: "the user name or password is not right"}
}

// checkCredentials looks the account up and checks the password, spending
// the same hashing work when the account does not exist.
func (s *Server) checkCredentials(ctx context.Context, username, password string) (app.Admin, bool, error) {
	select {
	case s.logins.hashing <- struct{}{}:
		defer func() { <-s.logins.hashing }()
	case <-ctx.Done():
		return app.Admin{}, false, ctx.Err()
	}
	if s.deps.Admins == nil {
		return app.Admin{}, false, &app.Error{Code: app.EUnavailable, Message: "admin accounts are not available"}
	}
	admin, hash, err := s.deps.Admins.AdminCredentials(ctx, username)
	switch {
	case app.ErrorCode(err) == app.ENotFound:
		_, _ = app.CheckPassword(s.logins.dummyHash(), password)
		return app.Admin{}, false, nil
	case err != nil:
		return app.Admin{}, false, err
	}
	ok, err := app.CheckPassword(hash, password)
	if err != nil {
		return app.Admin{}, false, fmt.Errorf("check password of admin %s: %w", admin.ID, err)
	}
	return admin, ok, nil
}

// auditSignIn records a sign-in attempt; a failed write is logged.
func (s *Server) auditSignIn(r *http.Request, ev app.AuditEvent) {
	if s.deps.Audit == nil {
		return
	}
	ev.RemoteAddr = remoteIP(r.RemoteAddr)
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), auditTimeout)
	defer cancel()
	if err := s.deps.Audit.AppendAudit(ctx, ev); err != nil {
		s.logger.ErrorContext(r.Context(), "audit sign-in", "err", err)
	}
}

// logout serves POST /auth/logout: the token of the request is revoked.
func (s *Server) logout(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	p, _ := principalFrom(r.Context())
	if err := s.deps.Tokens.RevokeToken(r.Context(), p.TokenID); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

type meJSON struct {
	Username  string           `json:"username"`
	Role      string           `json:"role"`
	Kind      string           `json:"kind"`
	ExpiresAt string           `json:"expires_at"`
	Actions   []string         `json:"actions"`
	Instances []meInstanceJSON `json:"instances"`
	Sites     []meSiteJSON     `json:"sites"`
}

type meInstanceJSON struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Strategy string `json:"strategy"`
}

type meSiteJSON struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	State string `json:"state"`
}

// me serves GET /auth/me: the caller, what their role may do, and the
// names of the instances and sites. The names are the narrow read a
// front-desk user needs to pick an instance and a site; the full records
// stay behind instances.read and sites.read.
func (s *Server) me(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	p, _ := principalFrom(r.Context())
	out := meJSON{Username: p.Name, Role: string(p.Role), Kind: "token", ExpiresAt: timeString(p.ExpiresAt),
		Actions: []string{}, Instances: []meInstanceJSON{}, Sites: []meSiteJSON{}}
	if p.Session {
		out.Kind = "session"
	}
	for _, a := range p.Role.Allowed() {
		out.Actions = append(out.Actions, string(a))
	}
	insts, err := s.deps.Instances.ListInstances(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	for _, in := range insts {
		out.Instances = append(out.Instances, meInstanceJSON{ID: in.ID, Name: in.Name, Strategy: in.Strategy})
	}
	sites, err := s.deps.Sites.ListSites(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	for _, st := range sites {
		out.Sites = append(out.Sites, meSiteJSON{ID: st.ID, Name: st.Name, State: st.Status.State})
	}
	writeJSON(w, http.StatusOK, out)
}
