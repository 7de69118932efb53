package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"gatehouse/app"
)

// OAuthEndpoints are the identity providers' addresses. The defaults are
// the real ones; tests and self-hosted identity providers override them.
type OAuthEndpoints struct {
	// GoogleIssuer is Google's OpenID Connect issuer (discovery at
	// <issuer>/.well-known/openid-configuration).
	GoogleIssuer string
	// AzureAuthority is the Microsoft identity platform host; the issuer
	// of an integration is <authority>/<tenant>/v2.0.
	AzureAuthority string
	// GitHubAuthURL, GitHubTokenURL and GitHubAPIURL are GitHub's OAuth2
	// endpoints and REST API root.
	GitHubAuthURL  string
	GitHubTokenURL string
	GitHubAPIURL   string
}

// DefaultOAuthEndpoints are the providers' public endpoints.
func DefaultOAuthEndpoints() OAuthEndpoints {
	return OAuthEndpoints{
		GoogleIssuer:   "https://accounts.google.com",
		AzureAuthority: "https://login.microsoftonline.com",
		GitHubAuthURL:  "https://github.com/login/oauth/authorize",
		GitHubTokenURL: "https://github.com/login/oauth/access_token",
		GitHubAPIURL:   "https://api.github.com",
	}
}

// withDefaults fills empty fields with the public endpoints.
func (e OAuthEndpoints) withDefaults() OAuthEndpoints {
	d := DefaultOAuthEndpoints()
	for _, f := range []struct{ v, def *string }{{&e.GoogleIssuer, &d.GoogleIssuer}, {&e.AzureAuthority, &d.AzureAuthority},
		{&e.GitHubAuthURL, &d.GitHubAuthURL}, {&e.GitHubTokenURL, &d.GitHubTokenURL}, {&e.GitHubAPIURL, &d.GitHubAPIURL}} {
		*f.v = strings.TrimRight(*f.v, "/")
		if *f.v == "" {
			*f.v = *f.def
		}
	}
	return e
}

// Provider calls are bounded: a slow provider must not hold a guest's
// request (or a server goroutine) for long.
// A failed discovery is remembered for discoveryRetry: while a provider
// is unreachable, portal views answer at once instead of each waiting
// providerTimeout for it.
const (
	providerTimeout   = 15 * time.Second
	discoveryLifetime = time.Hour
	discoveryRetry    = 30 * time.Second
	maxProviderBody   = 1 << 20
)

// consumerTenant is the tenant of personal Microsoft accounts.
const consumerTenant = "9188040d-6c67-4c5b-b112-36a304b66dad"

var tenantID = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// errIdentity is a provider answer gatehouse does not accept (a token
// that fails verification, a missing identity); its text is for logs.
var errIdentity = errors.New("identity not accepted")

// oauthProviders runs the provider side of sign-ins: authorization URLs
// and, after the callback, the code exchange and identity checks. OpenID
// Connect discovery documents (and the signing keys go-oidc fetches
// through them) are cached per issuer, and so, for a short while, are
// failures to fetch them.
type oauthProviders struct {
	ep          OAuthEndpoints
	redirectURL string
	client      *http.Client
	now         func() time.Time

	mu    sync.Mutex
	cache map[string]cachedProvider // issuer URL → discovery
}

// cachedProvider is the outcome of one discovery: the provider, or the
// error when err is not nil.
type cachedProvider struct {
	p       *oidc.Provider
	issuer  string // the issuer the discovery document names (may hold {tenantid})
	fetched time.Time
	err     error
}

// fresh reports whether c may still be used at now.
func (c cachedProvider) fresh(now time.Time) bool {
	if c.err != nil {
		return now.Sub(c.fetched) < discoveryRetry
	}
	return now.Sub(c.fetched) < discoveryLifetime
}

func newOAuthProviders(ep OAuthEndpoints, baseURL string, now func() time.Time) *oauthProviders {
	return &oauthProviders{ep: ep.withDefaults(), redirectURL: strings.TrimRight(baseURL, "/") + oauthCallbackPath,
		client: &http.Client{Timeout: providerTimeout}, now: now, cache: map[string]cachedProvider{}}
}

// oauthClient is one integration ready for a sign-in.
type oauthClient struct {
	integ  app.AuthIntegration
	config oauth2.Config
	oidc   *cachedProvider // nil for GitHub
}

// clientFor prepares an integration: for Google and Azure it loads the
// provider's discovery document (cached). EUnavailable when the provider
// cannot be reached.
func (o *oauthProviders) clientFor(ctx context.Context, a app.AuthIntegration) (*oauthClient, error) {
	c := &oauthClient{integ: a, config: oauth2.Config{ClientID: a.ClientID, ClientSecret: a.ClientSecret, RedirectURL: o.redirectURL}}
	switch a.Type {
	case app.ProviderGitHub:
		c.config.Endpoint = oauth2.Endpoint{AuthURL: o.ep.GitHubAuthURL, TokenURL: o.ep.GitHubTokenURL}
		c.config.Scopes = []string{"read:user", "user:email"}
		return c, nil
	case app.ProviderGoogle, app.ProviderAzure:
		issuer := o.ep.GoogleIssuer
		if a.Type == app.ProviderAzure {
			issuer = o.ep.AzureAuthority + "/" + url.PathEscape(a.Tenant) + "/v2.0"
		}
		p, err := o.discover(ctx, issuer, a.Type == app.ProviderAzure)
		if err != nil {
			return nil, &app.Error{Code: app.EUnavailable, Message: fmt.Sprintf("discover %s: %v", issuer, err)}
		}
		c.oidc = p
		c.config.Endpoint = p.p.Endpoint()
		c.config.Scopes = []string{oidc.ScopeOpenID, "email", "profile"}
		return c, nil
	}
	return nil, app.Invalid("type", app.ReasonParameterInvalid, "unknown provider type %q", a.Type)
}

// discover returns the provider of an issuer from the cache or by OpenID
// Connect discovery. A failed discovery is cached too, for
// discoveryRetry, and its error returned at once until then; a request
// cancelled by its own client is not a failure of the provider and is
// not cached. Azure's multi-tenant documents name an issuer other than
// their URL ("…/{tenantid}/v2.0"), so for Azure the mismatch is allowed
// here and the issuer is checked per token instead (azureIssuer).
func (o *oauthProviders) discover(ctx context.Context, issuer string, azure bool) (*cachedProvider, error) {
	o.mu.Lock()
	c, ok := o.cache[issuer]
	o.mu.Unlock()
	if ok && c.fresh(o.now()) {
		if c.err != nil {
			return nil, c.err
		}
		return &c, nil
	}
	c, err := o.fetchProvider(ctx, issuer, azure)
	if err != nil {
		if ctx.Err() != nil {
			return nil, err // the guest went away, not the provider
		}
		c = cachedProvider{fetched: o.now(), err: fmt.Errorf("%w (not tried again for %s)", err, discoveryRetry)}
	}
	o.mu.Lock()
	o.cache[issuer] = c
	o.mu.Unlock()
	if err != nil {
		return nil, err
	}
	return &c, nil
}

// fetchProvider runs OpenID Connect discovery for issuer, bounded by
// providerTimeout.
func (o *oauthProviders) fetchProvider(ctx context.Context, issuer string, azure bool) (cachedProvider, error) {
	// The provider keeps this context's client for fetching keys later;
	// it must outlive the request.
	dctx, cancel := context.WithTimeout(ctx, providerTimeout)
	defer cancel()
	dctx = oidc.ClientContext(dctx, o.client)
	if azure {
		dctx = oidc.InsecureIssuerURLContext(dctx, issuer)
	}
	p, err := oidc.NewProvider(dctx, issuer)
	if err != nil {
		return cachedProvider{}, err
	}
	var doc struct {
		Issuer string `json:"issuer"`
	}
	if err := p.Claims(&doc); err != nil {
		return cachedProvider{}, err
	}
	return cachedProvider{p: p, issuer: doc.Issuer, fetched: o.now()}, nil
}

// authOrigin is the scheme and host of the provider's authorization
// endpoint: the portal's sign-in form is redirected there, so its
// Content-Security-Policy must allow it.
func (c *oauthClient) authOrigin() string {
	u, err := url.Parse(c.config.Endpoint.AuthURL)
	if err != nil || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// authCodeURL is where the guest's browser goes to sign in: the
// authorization-code flow with PKCE (S256) and, for OpenID Connect, a
// nonce.
func (c *oauthClient) authCodeURL(state, verifier, nonce string) string {
	opts := []oauth2.AuthCodeOption{oauth2.S256ChallengeOption(verifier)}
	if c.oidc != nil {
		opts = append(opts, oidc.Nonce(nonce))
	}
	return c.config.AuthCodeURL(state, opts...)
}

// identify exchanges the callback's code (with the PKCE verifier) and
// returns who signed in. Errors wrap errIdentity when the provider's
// answer fails a check (signature, audience, issuer, expiry, nonce);
// anything else is a provider failure.
func (o *oauthProviders) identify(ctx context.Context, c *oauthClient, code, verifier, nonce string) (app.OAuthIdentity, error) {
	ctx, cancel := context.WithTimeout(ctx, providerTimeout)
	defer cancel()
	ctx = context.WithValue(ctx, oauth2.HTTPClient, o.client)
	tok, err := c.config.Exchange(ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		return app.OAuthIdentity{}, fmt.Errorf("exchange code: %w", err)
	}
	if c.oidc == nil {
		return o.githubIdentity(ctx, c, tok)
	}
	raw, ok := tok.Extra("id_token").(string)
	if !ok || raw == "" {
		return app.OAuthIdentity{}, fmt.Errorf("%w: the token response has no id_token", errIdentity)
	}
	cfg := &oidc.Config{ClientID: c.integ.ClientID, Now: o.now, SkipIssuerCheck: c.integ.Type == app.ProviderAzure}
	// Verifier (not VerifierContext) shares the provider's cached key set.
	idt, err := c.oidc.p.Verifier(cfg).Verify(ctx, raw)
	if err != nil {
		return app.OAuthIdentity{}, fmt.Errorf("%w: %v", errIdentity, err)
	}
	if idt.Nonce != nonce {
		return app.OAuthIdentity{}, fmt.Errorf("%w: the ID token's nonce does not match the sign-in", errIdentity)
	}
	claims := map[string]any{}
	if err := idt.Claims(&claims); err != nil {
		return app.OAuthIdentity{}, fmt.Errorf("%w: %v", errIdentity, err)
	}
	id := app.OAuthIdentity{Provider: c.integ.Type, Subject: idt.Subject, Name: claimString(claims, "name"), Claims: claims}
	if c.integ.Type == app.ProviderAzure {
		if err := c.azureIssuer(idt.Issuer, claimString(claims, "tid")); err != nil {
			return app.OAuthIdentity{}, err
		}
		// Entra ID does not vouch for "email"; preferred_username is the
		// sign-in name (usually the UPN, an e-mail address).
		id.Email = claimString(claims, "email")
		id.Login = claimString(claims, "preferred_username")
	} else if verified, _ := claims["email_verified"].(bool); verified {
		id.Email = claimString(claims, "email")
	}
	if id.Subject == "" {
		return app.OAuthIdentity{}, fmt.Errorf("%w: the ID token has no subject", errIdentity)
	}
	return id, nil
}

// azureIssuer checks an Azure ID token's issuer. For the tenants
// "common" and "organizations" the discovery document names the issuer
// template "https://login.microsoftonline.com/{tenantid}/v2.0" and every
// token is issued by the user's own tenant, so no fixed issuer can be
// compared (go-oidc ran with SkipIssuerCheck; signature, audience and
// expiry are checked). As Microsoft documents, the token's iss must then
// be the template with {tenantid} replaced by the token's tid claim, which
// must be a tenant id; "organizations" also refuses personal accounts. For
// one tenant (an id or a domain) and "consumers", the document names that
// tenant's issuer and iss must equal it.
func (c *oauthClient) azureIssuer(iss, tid string) error {
	want := c.oidc.issuer
	if strings.Contains(want, "{tenantid}") {
		if !tenantID.MatchString(tid) {
			return fmt.Errorf("%w: the ID token's tid %q is not a tenant id", errIdentity, tid)
		}
		if strings.EqualFold(c.integ.Tenant, "organizations") && tid == consumerTenant {
			return fmt.Errorf("%w: personal Microsoft accounts may not sign in to this integration", errIdentity)
		}
		want = strings.ReplaceAll(want, "{tenantid}", tid)
	}
	if iss != want {
		return fmt.Errorf("%w: the ID token's issuer %q is not %q", errIdentity, iss, want)
	}
	return nil
}

// githubIdentity reads the signed-in GitHub user and its primary verified
// e-mail address (none when the user has no verified primary address, or
// the e-mail list cannot be read: the login identifies the guest then).
func (o *oauthProviders) githubIdentity(ctx context.Context, c *oauthClient, tok *oauth2.Token) (app.OAuthIdentity, error) {
	client := c.config.Client(ctx, tok)
	var user struct {
		ID    int64  `json:"id"`
		Login string `json:"login"`
		Name  string `json:"name"`
		Email string `json:"email"`
	}
	userDoc, err := o.githubGet(ctx, client, "/user", &user)
	if err != nil {
		return app.OAuthIdentity{}, err
	}
	if user.ID == 0 || user.Login == "" {
		return app.OAuthIdentity{}, fmt.Errorf("%w: GitHub's /user has no id or login", errIdentity)
	}
	id := app.OAuthIdentity{Provider: app.ProviderGitHub, Subject: strconv.FormatInt(user.ID, 10), Login: user.Login,
		Name: user.Name, Claims: map[string]any{"user": userDoc}}
	var emails []struct {
		Email    string `json:"email"`
		Primary  bool   `json:"primary"`
		Verified bool   `json:"verified"`
	}
	emailDoc, err := o.githubGet(ctx, client, "/user/emails", &emails)
	if err != nil {
		id.Claims["emails_error"] = err.Error()
		return id, nil
	}
	id.Claims["emails"] = emailDoc
	for _, e := range emails {
		if e.Primary && e.Verified {
			id.Email = e.Email
		}
	}
	return id, nil
}

// githubGet reads a GitHub API document into v and also returns it as
// generic JSON (for the test page).
func (o *oauthProviders) githubGet(ctx context.Context, client *http.Client, path string, v any) (any, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, o.ep.GitHubAPIURL+path, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/vnd.github+json")
	req.Header.Set("X-GitHub-Api-Version", "2022-11-28")
	res, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("GitHub %s: %w", path, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, maxProviderBody))
	if err != nil {
		return nil, fmt.Errorf("GitHub %s: %w", path, err)
	}
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GitHub %s: %s", path, res.Status)
	}
	if err := json.Unmarshal(body, v); err != nil {
		return nil, fmt.Errorf("GitHub %s: %w", path, err)
	}
	var doc any
	err = json.Unmarshal(body, &doc)
	return doc, err
}

// claimString reads a string claim; "" when absent or not a string.
func claimString(claims map[string]any, name string) string {
	s, _ := claims[name].(string)
	return s
}
