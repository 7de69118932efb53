package web_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// testIdP is a small OpenID Connect provider and a stand-in for GitHub's
// OAuth2 endpoints and REST API, on loopback, for the sign-in tests. It is
// not a mock that answers what the code under test wants to hear: it
// serves real discovery documents and a JWKS, checks client credentials,
// redirect URIs and PKCE (S256) like a provider, and signs ID tokens with
// a real RSA key that gatehouse must verify. Knobs make it misbehave.
//
//	/google/…                          an issuer like Google's
//	/azure/{tenant}/v2.0/…             Microsoft identity platform (v2.0)
//	/github/login/oauth/…, /github/api  GitHub
type testIdP struct {
	t        testing.TB
	srv      *httptest.Server
	key      *rsa.PrivateKey
	rogueKey *rsa.PrivateKey // signs "bad signature" tokens under the good key's id

	ClientID, ClientSecret string

	mu    sync.Mutex
	codes map[string]idpGrant
	// Knobs, set by tests (under mu via set).
	deny      bool   // the user declines consent
	audience  string // ID tokens name this audience instead of the client
	rogue     bool   // ID tokens are signed with the rogue key
	issuer    string // ID tokens name this issuer instead of the right one
	nonce     string // ID tokens carry this nonce instead of the request's
	tid       string // Azure: the signed-in user's tenant id
	email     string
	verified  bool // GitHub: the primary address is verified
	authorize []url.Values
	tokens    int
	// down makes discovery documents fail (503) after a wait of down's
	// length, like a provider that is slow to refuse; discoveries counts
	// the requests for them.
	down        time.Duration
	discoveries int
}

// idpGrant is an issued authorization code.
type idpGrant struct {
	flavor, tenant, challenge, nonce, redirect string
}

func newTestIdP(t testing.TB) *testIdP {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	rogue, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	p := &testIdP{t: t, key: key, rogueKey: rogue, ClientID: "client-123", ClientSecret: "secret-456",
		codes: map[string]idpGrant{}, tid: "6f1d0a7e-2c1b-4b7e-9a51-0c7f3d2e1a90", email: "alice@example.com", verified: true}
	p.srv = httptest.NewServer(http.HandlerFunc(p.serve))
	t.Cleanup(p.srv.Close)
	return p
}

// set changes knobs under the lock.
func (p *testIdP) set(f func(p *testIdP)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	f(p)
}

func (p *testIdP) URL() string { return p.srv.URL }

func (p *testIdP) serve(w http.ResponseWriter, r *http.Request) {
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	switch {
	case r.URL.Path == "/keys":
		p.jwks(w)
	case len(parts) >= 2 && parts[0] == "google":
		p.oidc(w, r, "google", "", strings.Join(parts[1:], "/"))
	case len(parts) >= 4 && parts[0] == "azure" && parts[2] == "v2.0":
		p.oidc(w, r, "azure", parts[1], strings.Join(parts[3:], "/"))
	case r.URL.Path == "/github/login/oauth/authorize":
		p.authorizeEndpoint(w, r, "github", "")
	case r.URL.Path == "/github/login/oauth/access_token":
		p.token(w, r)
	case r.URL.Path == "/github/api/user":
		p.githubAPI(w, r, "user")
	case r.URL.Path == "/github/api/user/emails":
		p.githubAPI(w, r, "emails")
	default:
		http.NotFound(w, r)
	}
}

// issuerOf is the issuer a discovery document names: Azure's
// multi-tenant documents name the template with {tenantid}.
func (p *testIdP) issuerOf(flavor, tenant string) string {
	if flavor == "google" {
		return p.srv.URL + "/google"
	}
	switch tenant {
	case "common", "organizations":
		return p.srv.URL + "/azure/{tenantid}/v2.0"
	case "consumers":
		return p.srv.URL + "/azure/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0"
	}
	return p.srv.URL + "/azure/" + tenant + "/v2.0"
}

func (p *testIdP) oidc(w http.ResponseWriter, r *http.Request, flavor, tenant, rest string) {
	base := p.srv.URL + "/" + flavor
	if tenant != "" {
		base += "/" + tenant + "/v2.0"
	}
	switch rest {
	case ".well-known/openid-configuration":
		p.mu.Lock()
		p.discoveries++
		down := p.down
		p.mu.Unlock()
		if down > 0 {
			time.Sleep(down)
			http.Error(w, "provider unavailable", http.StatusServiceUnavailable)
			return
		}
		writeJSONDoc(w, map[string]any{
			"issuer":                                p.issuerOf(flavor, tenant),
			"authorization_endpoint":                base + "/authorize",
			"token_endpoint":                        base + "/token",
			"jwks_uri":                              p.srv.URL + "/keys",
			"response_types_supported":              []string{"code"},
			"subject_types_supported":               []string{"public"},
			"id_token_signing_alg_values_supported": []string{"RS256"},
			"code_challenge_methods_supported":      []string{"S256"},
		})
	case "authorize":
		p.authorizeEndpoint(w, r, flavor, tenant)
	case "token":
		p.token(w, r)
	default:
		http.NotFound(w, r)
	}
}

// authorizeEndpoint checks the request like a provider would and, the
// user having "consented" (or not), sends the browser back.
func (p *testIdP) authorizeEndpoint(w http.ResponseWriter, r *http.Request, flavor, tenant string) {
	q := r.URL.Query()
	p.mu.Lock()
	p.authorize = append(p.authorize, q)
	deny := p.deny
	p.mu.Unlock()
	redirect := q.Get("redirect_uri")
	switch {
	case q.Get("client_id") != p.ClientID:
		http.Error(w, "unknown client", http.StatusBadRequest)
		return
	case redirect == "" || q.Get("response_type") != "code" || q.Get("state") == "":
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	case q.Get("code_challenge_method") != "S256" || len(q.Get("code_challenge")) != 43:
		http.Error(w, "PKCE S256 required", http.StatusBadRequest)
		return
	case flavor != "github" && (!strings.Contains(q.Get("scope"), "openid") || q.Get("nonce") == ""):
		http.Error(w, "openid scope and nonce required", http.StatusBadRequest)
		return
	}
	back := url.Values{"state": {q.Get("state")}}
	if deny {
		back.Set("error", "access_denied")
		back.Set("error_description", "The user declined.")
	} else {
		code := randomText()
		p.mu.Lock()
		p.codes[code] = idpGrant{flavor: flavor, tenant: tenant, challenge: q.Get("code_challenge"), nonce: q.Get("nonce"), redirect: redirect}
		p.mu.Unlock()
		back.Set("code", code)
	}
	http.Redirect(w, r, redirect+"?"+back.Encode(), http.StatusFound)
}

// token redeems a code once, for the right client, redirect URI and PKCE
// verifier.
func (p *testIdP) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil || r.Method != http.MethodPost {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	id, secret, ok := r.BasicAuth()
	if ok {
		id, _ = url.QueryUnescape(id)
		secret, _ = url.QueryUnescape(secret)
	} else {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	oauthErr := func(status int, code string) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(map[string]string{"error": code})
	}
	if id != p.ClientID || secret != p.ClientSecret {
		oauthErr(http.StatusUnauthorized, "invalid_client")
		return
	}
	p.mu.Lock()
	g, ok := p.codes[r.PostForm.Get("code")]
	delete(p.codes, r.PostForm.Get("code"))
	p.tokens++
	p.mu.Unlock()
	sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
	switch {
	case !ok || r.PostForm.Get("grant_type") != "authorization_code" || r.PostForm.Get("redirect_uri") != g.redirect:
		oauthErr(http.StatusBadRequest, "invalid_grant")
		return
	case base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge:
		oauthErr(http.StatusBadRequest, "invalid_grant") // wrong or missing PKCE verifier
		return
	}
	access := "at-" + randomText()
	resp := map[string]any{"access_token": access, "token_type": "Bearer", "expires_in": 3600}
	if g.flavor != "github" {
		resp["id_token"] = p.idToken(g)
	}
	writeJSONDoc(w, resp)
}

// idToken signs the ID token of a grant, misbehaving as the knobs say.
func (p *testIdP) idToken(g idpGrant) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	claims := jwt.MapClaims{"aud": p.ClientID, "iat": now.Unix(), "exp": now.Add(5 * time.Minute).Unix(),
		"nonce": g.nonce, "name": "Alice Example", "email": p.email}
	if g.flavor == "google" {
		claims["iss"], claims["sub"], claims["email_verified"] = p.srv.URL+"/google", "google-sub-1", true
	} else {
		tid := p.tid
		claims["iss"], claims["sub"], claims["tid"] = p.srv.URL+"/azure/"+tid+"/v2.0", "azure-sub-1", tid
		claims["preferred_username"], claims["oid"] = "alice@contoso.example", "00000000-0000-0000-0000-0000000000aa"
	}
	if p.audience != "" {
		claims["aud"] = p.audience
	}
	if p.issuer != "" {
		claims["iss"] = p.issuer
	}
	if p.nonce != "" {
		claims["nonce"] = p.nonce
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	tok.Header["kid"] = "k1"
	key := p.key
	if p.rogue {
		key = p.rogueKey
	}
	s, err := tok.SignedString(key)
	if err != nil {
		p.t.Errorf("sign ID token: %v", err)
	}
	return s
}

func (p *testIdP) jwks(w http.ResponseWriter) {
	pub := p.key.PublicKey
	writeJSONDoc(w, map[string]any{"keys": []any{map[string]any{
		"kty": "RSA", "use": "sig", "alg": "RS256", "kid": "k1",
		"n": base64.RawURLEncoding.EncodeToString(pub.N.Bytes()),
		"e": base64.RawURLEncoding.EncodeToString(big.NewInt(int64(pub.E)).Bytes()),
	}}})
}

// githubAPI answers /user and /user/emails for a bearer token it issued.
func (p *testIdP) githubAPI(w http.ResponseWriter, r *http.Request, doc string) {
	if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer at-") {
		http.Error(w, `{"message":"Requires authentication"}`, http.StatusUnauthorized)
		return
	}
	p.mu.Lock()
	email, verified := p.email, p.verified
	p.mu.Unlock()
	if doc == "user" {
		writeJSONDoc(w, map[string]any{"id": 583231, "login": "octocat", "name": "The Octocat", "email": nil})
		return
	}
	writeJSONDoc(w, []any{
		map[string]any{"email": "octocat@users.noreply.github.com", "primary": false, "verified": true},
		map[string]any{"email": email, "primary": true, "verified": verified},
	})
}

func writeJSONDoc(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

func randomText() string {
	b := make([]byte, 16)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
