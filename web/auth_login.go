package web

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/julienschmidt/httprouter"

	"gatehouse/app"
)

// Sign-in limits. Failures are remembered for loginWindow and counted
// under three keys: the source (an IPv4 address or an IPv6 /64, see
// sourceKey), the account from that source, and the account from
// everywhere. Past its limit a key is not locked: it waits loginStep after
// its latest failure, twice as long after each further failure, up to
// loginMaxDelay. So a guesser is slowed to one guess a minute per key,
// while whoever shares a key with it waits at most a minute.
//
// The account-wide limit is not applied to a source with no failures in
// the window: the clerk at the front desk, typing the right password, signs
// in at once however hard someone elsewhere guesses the account. That
// first guess of a fresh source still counts against the account, and the
// source then is no longer fresh for an hour, so an attacker with K sources
// gets at most K guesses an hour past the account-wide limit: in any hour
// at most loginAccountLimit + 6 + 60 + K guesses (the limit, the 6 doubling
// delays below a minute, one a minute, one per fresh source).
const (
	loginWindow             = time.Hour
	loginStep               = time.Second
	loginMaxDelay           = time.Minute
	loginSourceLimit        = 20
	loginAccountSourceLimit = 10
	loginAccountLimit       = 30
	// loginConcurrency bounds the password hashes computed at once (each
	// takes ~19 MiB), so a flood of sign-ins cannot exhaust memory, and
	// loginQueue the sign-ins waiting for one: beyond them a sign-in is
	// refused at once (503, Retry-After) instead of piling up.
	loginConcurrency = 4
	loginQueue       = 16
	loginBodyLimit   = 8 << 10
)

// loginLimits are the failed sign-in counters and the hashing slots.
type loginLimits struct {
	sources, accountSources, accounts *failureLimiter
	// mu makes "is the source fresh?" and the reservation one step, so
	// that guesses sent at once from a fresh source cannot all skip the
	// account-wide limit.
	mu *sync.Mutex
	// admitted holds a place for every sign-in hashing or waiting to;
	// hashing a place for every one hashing.
	admitted, hashing chan struct{}
	// dummyHash is checked for unknown user names so that a refusal
	// takes as long whether or not the account exists. It is made on the
	// first such sign-in: hashing takes argon2's memory (19 MiB), which a
	// server that never sees one should not pay at start-up.
	dummyHash func() string
}

func newLoginLimits() loginLimits {
	growing := func(limit int) *failureLimiter {
		return newGrowingLimiter(limit, loginWindow, loginStep, loginMaxDelay)
	}
	return loginLimits{
		sources:        growing(loginSourceLimit),
		accountSources: growing(loginAccountSourceLimit),
		accounts:       growing(loginAccountLimit),
		mu:             &sync.Mutex{},
		admitted:       make(chan struct{}, loginConcurrency+loginQueue),
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

// reserve counts the attempt of account from source (a sourceKey) as
// failed under every limit that applies, or, when one of them is reached,
// under none, and says how long to wait: the longest wait of the limits,
// so that Retry-After is not a promise the next limit breaks.
func (ll loginLimits) reserve(source, account string, now time.Time) (reservation, time.Duration) {
	keys := []limitKey{{ll.sources, source}, {ll.accountSources, account + "@" + source}}
	accountWide := limitKey{ll.accounts, account}
	ll.mu.Lock()
	defer ll.mu.Unlock()
	fresh := !ll.sources.failing(source, now)
	if !fresh {
		keys = append(keys, accountWide)
	}
	res, wait := reserveAll(keys, now)
	if wait > 0 {
		for _, k := range keys {
			wait = max(wait, k.l.blocked(k.key, now))
		}
		return nil, wait
	}
	if fresh { // counted, not checked
		ll.accounts.fail(account, now)
		res = append(res, reserved{accountWide, now})
	}
	return res, 0
}

// admit takes a place among the sign-ins hashing or waiting to, or
// reports false when all are taken; release gives it back.
func (ll loginLimits) admit() bool {
	select {
	case ll.admitted <- struct{}{}:
		return true
	default:
		return false
	}
}

func (ll loginLimits) release() { <-ll.admitted }

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
	source, account, now := sourceKey(clientIP(r)), strings.ToLower(username), s.now()
	res, wait := s.logins.reserve(source, account, now)
	if wait > 0 {
		s.tallySignInFailure(r, source, "")
		s.writeRetry(w, r, wait, app.ETooMany, "rate_limited", "too many failed sign-ins; try again in %d seconds")
		return
	}
	if !s.logins.admit() {
		res.forgive() // not a guess: no password was checked
		s.writeRetry(w, r, time.Second, app.EUnavailable, "", "too many sign-ins at once; try again in %d seconds")
		return
	}
	admin, ok, err := s.checkCredentials(r.Context(), username, password)
	s.logins.release()
	if err != nil {
		res.forgive() // not a guess that failed
		s.writeError(w, r, err)
		return
	}
	if !ok {
		s.tallySignInFailure(r, source, admin.Username)
		s.writeError(w, r, s.loginRefused())
		return
	}
	res.forgive()
	tok, err := s.store.StartSession(r.Context(), admin.ID, app.AdminSessionTTL)
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
	admin, hash, err := s.store.AdminCredentials(ctx, username)
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

// auditSignIn records a successful sign-in; a failed write is logged.
func (s *Server) auditSignIn(r *http.Request, ev app.AuditEvent) {
	ev.RemoteAddr = remoteIP(r.RemoteAddr)
	s.appendAudit(r.Context(), ev)
}

// tallySignInFailure counts a refused sign-in (wrong credentials or too
// many failures) in the audit log. Anyone can fail a sign-in, so failures
// are not one event each: one event per source and minute tallies them
// (TallyAudit), which bounds the rows to the sources an attacker holds.
// It names the account of the minute's first failure only when that
// account exists (account is "" otherwise), so that the log never holds
// attacker-chosen text, nor a password typed into the user name field. A
// failed write is logged.
func (s *Server) tallySignInFailure(r *http.Request, source, account string) {
	ev := app.AuditEvent{ActorName: account, Action: "POST /auth/login", Status: http.StatusUnauthorized,
		RemoteAddr: strings.TrimPrefix(source, "src:"), At: s.now().UTC()}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), auditTimeout)
	defer cancel()
	if err := s.store.TallyAudit(ctx, ev); err != nil {
		s.logger.ErrorContext(ctx, "audit failed sign-in", "remote_addr", ev.RemoteAddr, "err", err)
	}
}

// writeRetry answers an error of code and reason with a Retry-After of
// wait, rounded up to whole seconds, which fill in the %d of message.
func (s *Server) writeRetry(w http.ResponseWriter, r *http.Request, wait time.Duration, code, reason, message string) {
	secs := max(int(math.Ceil(wait.Seconds())), 1)
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	s.writeError(w, r, &app.Error{Code: code, Reason: reason, Message: fmt.Sprintf(message, secs)})
}

// logout serves POST /auth/logout: the token of the request is revoked.
func (s *Server) logout(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	p, _ := principalFrom(r.Context())
	if err := s.store.RevokeToken(r.Context(), p.TokenID); err != nil {
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
	// Warnings are setup problems the admin page shows until they are
	// fixed (extension).
	Warnings []warningJSON `json:"warnings"`
	// Lang is the admin page's language the account chose; "" follows
	// the browser (always "" for an API token).
	Lang string `json:"lang"`
}

// meLangRequest is the body of PUT /auth/me.
type meLangRequest struct {
	Lang optional[string] `json:"lang"`
}

// setMe serves PUT /auth/me: a signed-in account keeps its admin page
// language ({"lang":"de"}, or "" to follow the browser again); the answer
// is GET /auth/me's. An API token has no account to keep it: 400.
func (s *Server) setMe(w http.ResponseWriter, r *http.Request, p httprouter.Params) {
	var req meLangRequest
	if err := decodeJSON(r, &req); err != nil {
		s.writeError(w, r, err)
		return
	}
	caller, _ := principalFrom(r.Context())
	switch {
	case !req.Lang.given():
		s.writeError(w, r, app.Missing("lang"))
		return
	case caller.AdminID == "":
		s.writeError(w, r, app.Invalid("lang", app.ReasonParameterInvalid,
			"an API token has no account to keep a language; sign in to the admin page"))
		return
	}
	if err := s.store.SetAdminLang(r.Context(), caller.AdminID, req.Lang.value); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.me(w, r, p)
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
		Actions: []string{}, Instances: []meInstanceJSON{}, Sites: []meSiteJSON{}, Warnings: s.setupWarnings()}
	if p.Session {
		out.Kind = "session"
		lang, err := s.store.AdminLang(r.Context(), p.AdminID)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		out.Lang = lang
	}
	for _, a := range p.Role.Allowed() {
		out.Actions = append(out.Actions, string(a))
	}
	insts, err := s.store.ListInstances(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	for _, in := range insts {
		out.Instances = append(out.Instances, meInstanceJSON{ID: in.ID, Name: in.Name, Strategy: in.Strategy})
	}
	sites, err := s.store.ListSites(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	for _, st := range sites {
		out.Sites = append(out.Sites, meSiteJSON{ID: st.ID, Name: st.Name, State: st.Status.State})
	}
	writeJSON(w, http.StatusOK, out)
}
