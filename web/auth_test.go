package web_test

import (
	"bytes"
	"compress/gzip"
	"crypto/rand"
	"crypto/rsa"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"gatehouse/app"
	"gatehouse/web"
)

func TestAuthentication(t *testing.T) {
	e := newEnv(t, "")
	ctx := t.Context()
	rec, err := e.store.CreateToken(ctx, "script", app.RoleAdmin, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	claims := func(mut func(jwt.MapClaims)) jwt.MapClaims {
		c := jwt.MapClaims{"jti": rec.ID, "sub": rec.Name, "role": "admin", "iss": "gatehouse",
			"iat": time.Now().Unix(), "exp": time.Now().Add(time.Hour).Unix()}
		if mut != nil {
			mut(c)
		}
		return c
	}
	sign := func(m jwt.SigningMethod, key any, c jwt.MapClaims) string {
		s, err := jwt.NewWithClaims(m, c).SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	none := sign(jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, claims(nil))
	expired, err := e.store.CreateToken(ctx, "old", app.RoleAdmin, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	revoked, err := e.store.CreateToken(ctx, "gone", app.RoleAdmin, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.store.RevokeToken(ctx, revoked.ID); err != nil {
		t.Fatal(err)
	}
	revokedJWT := sign(jwt.SigningMethodHS256, e.keys[0], claims(func(c jwt.MapClaims) { c["jti"] = revoked.ID }))

	cases := []struct {
		name string
		auth string
		code string
	}{
		{"no header", "", "authentication_required"},
		{"basic scheme", "Basic YWRtaW46YWRtaW4=", "invalid_token"},
		{"bearer without token", "Bearer ", "invalid_token"},
		{"garbage", "Bearer not.a.jwt", "invalid_token"},
		{"alg none", "Bearer " + none, "invalid_token"},
		{"HS512", "Bearer " + sign(jwt.SigningMethodHS512, e.keys[0], claims(nil)), "invalid_token"},
		{"RS256", "Bearer " + sign(jwt.SigningMethodRS256, rsaKey, claims(nil)), "invalid_token"},
		{"HS256 with the public key as secret", "Bearer " + sign(jwt.SigningMethodHS256, []byte("wrong-key-wrong-key-wrong-key-32"), claims(nil)), "invalid_token"},
		{"no exp", "Bearer " + sign(jwt.SigningMethodHS256, e.keys[0], claims(func(c jwt.MapClaims) { delete(c, "exp") })), "invalid_token"},
		{"expired", "Bearer " + sign(jwt.SigningMethodHS256, e.keys[0], claims(func(c jwt.MapClaims) {
			c["jti"] = expired.ID
			c["exp"] = time.Now().Add(-time.Minute).Unix()
		})), "invalid_token"},
		{"wrong issuer", "Bearer " + sign(jwt.SigningMethodHS256, e.keys[0], claims(func(c jwt.MapClaims) { c["iss"] = "someone" })), "invalid_token"},
		{"unknown id", "Bearer " + sign(jwt.SigningMethodHS256, e.keys[0], claims(func(c jwt.MapClaims) { c["jti"] = "0190c0de-0000-7000-8000-000000000000" })), "invalid_token"},
		{"revoked", "Bearer " + revokedJWT, "invalid_token"},
		{"huge token", "Bearer " + strings.Repeat("a", 10000), "invalid_token"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := e.call(http.MethodGet, "/captive/instances", tc.auth, nil)
			wantError(t, r, http.StatusUnauthorized, tc.code, "")
			if !strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("WWW-Authenticate = %q, want a Bearer challenge", r.header.Get("WWW-Authenticate"))
			}
		})
	}
	// The same claims, correctly signed, work — so the cases above fail for
	// the reason they name.
	good := sign(jwt.SigningMethodHS256, e.keys[0], claims(nil))
	wantStatus(t, e.call(http.MethodGet, "/captive/instances", "Bearer "+good, nil), http.StatusOK)
	wantStatus(t, e.call(http.MethodGet, "/captive/instances", "bearer "+good, nil), http.StatusOK)

	// A role claim cannot raise the record's role.
	front, err := e.store.CreateToken(ctx, "desk", app.RoleFrontdesk, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	lying := sign(jwt.SigningMethodHS256, e.keys[0], claims(func(c jwt.MapClaims) { c["jti"] = front.ID }))
	wantError(t, e.call(http.MethodPost, "/captive/sites", "Bearer "+lying, map[string]any{}), http.StatusForbidden, "permission_denied", "")
}

func TestTokenAPI(t *testing.T) {
	e := newEnv(t, "")
	r := e.admin(http.MethodPost, "/captive/tokens", map[string]any{"name": "ci", "role": "operator", "ttl": "48h"})
	wantStatus(t, r, http.StatusCreated)
	tok := r.object(t)
	bearer := tok["token"].(string)
	id := tok["id"].(string)
	exp, _ := time.Parse(time.RFC3339, tok["expires_at"].(string))
	if d := time.Until(exp); d < 47*time.Hour || d > 49*time.Hour {
		t.Errorf("expires_at = %v, want about 48h from now", exp)
	}
	wantStatus(t, e.call(http.MethodGet, "/captive/instances", "Bearer "+bearer, nil), http.StatusOK)
	wantError(t, e.call(http.MethodGet, "/captive/tokens", "Bearer "+bearer, nil), http.StatusForbidden, "permission_denied", "")

	list := e.admin(http.MethodGet, "/captive/tokens", nil)
	wantStatus(t, list, http.StatusOK)
	if strings.Contains(string(list.body), bearer) || strings.Contains(string(list.body), `"token"`) {
		t.Fatal("token list reveals bearer strings")
	}
	wantStatus(t, e.admin(http.MethodDelete, "/captive/tokens/"+id, nil), http.StatusNoContent)
	wantError(t, e.call(http.MethodGet, "/captive/instances", "Bearer "+bearer, nil), http.StatusUnauthorized, "invalid_token", "")

	wantError(t, e.admin(http.MethodPost, "/captive/tokens", map[string]any{"name": "x", "role": "root"}), http.StatusBadRequest, "parameter_invalid", "role")
	wantError(t, e.admin(http.MethodPost, "/captive/tokens", map[string]any{"name": "x", "role": "admin", "ttl": "forever"}), http.StatusBadRequest, "parameter_invalid", "ttl")
	wantError(t, e.admin(http.MethodPost, "/captive/tokens", map[string]any{"role": "admin"}), http.StatusBadRequest, "parameter_missing", "name")
	wantError(t, e.admin(http.MethodDelete, "/captive/tokens/0190c0de-0000-7000-8000-000000000000", nil), http.StatusNotFound, "resource_missing", "")
}

func TestPublicEndpointsAndErrors(t *testing.T) {
	e := newEnv(t, "")
	r := e.call(http.MethodGet, "/healthz", "", nil)
	wantStatus(t, r, http.StatusOK)
	if r.object(t)["status"] != "ok" {
		t.Fatalf("healthz = %s", r.body)
	}
	r = e.call(http.MethodGet, "/openapi.yaml", "", nil)
	wantStatus(t, r, http.StatusOK)
	if !strings.Contains(string(r.body), "openapi: 3.0.3") {
		t.Fatal("openapi.yaml not served")
	}
	// Stored gzipped: sent so to a client that takes gzip, unpacked to one that does not.
	for _, enc := range []string{"gzip", "identity", "gzip;q=0, identity"} {
		req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/openapi.yaml", nil)
		req.Header.Set("Accept-Encoding", enc)
		res, err := e.srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		gz := res.Header.Get("Content-Encoding") == "gzip"
		if gz {
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err != nil {
				t.Fatalf("Accept-Encoding %s: %v", enc, err)
			}
			body, _ = io.ReadAll(zr)
		}
		if gz != (enc == "gzip") || !bytes.Equal(body, web.OpenAPIDocument()) || !strings.Contains(res.Header.Get("Vary"), "Accept-Encoding") {
			t.Errorf("Accept-Encoding %s: gzip %v, %d bytes, Vary %q", enc, gz, len(body), res.Header.Get("Vary"))
		}
	}
	for _, h := range []string{"X-Content-Type-Options", "X-Frame-Options", "Content-Security-Policy"} {
		if r.header.Get(h) == "" {
			t.Errorf("missing security header %s", h)
		}
	}
	wantError(t, e.admin(http.MethodGet, "/captive/nothing-here", nil), http.StatusNotFound, "resource_missing", "")
	wantError(t, e.admin(http.MethodPatch, "/captive/instances", nil), http.StatusMethodNotAllowed, "method_not_allowed", "")
}

func TestRestartKeepsEverything(t *testing.T) {
	e := newEnv(t, "")
	site := createSite(t, e, map[string]any{"name": "Lobby", "host": "127.0.0.1", "username": "api", "password": "pw"})["id"].(string)
	integ := createIntegration(t, e)
	inst := createInstance(t, e, map[string]any{"name": "Guest", "strategy": "oauth2", "auth_integration_id": integ,
		"session_ttl": 7200, "sites": []any{map[string]any{"id": site, "subnets": []string{"10.5.50.0/24"}}}})["id"].(string)
	wg := e.admin(http.MethodPost, "/captive/walled-garden/"+site, map[string]any{"name": "n", "ip_address": "1.1.1.1"}).object(t)["id"].(string)
	adminToken := e.tokens[app.RoleAdmin]
	paths := []string{"/captive/sites/" + site, "/captive/auth-integrations/" + integ, "/captive/instances/" + inst,
		"/captive/walled-garden/" + site + "/" + wg}
	before := map[string]string{}
	for _, p := range paths {
		before[p] = string(e.admin(http.MethodGet, p, nil).body)
	}

	e2 := e.restart()
	for _, p := range paths {
		r := e2.call(http.MethodGet, p, "Bearer "+adminToken, nil) // tokens survive a restart too
		wantStatus(t, r, http.StatusOK)
		if p == "/captive/auth-integrations/"+integ {
			continue // test_url is signed afresh each time
		}
		if p == "/captive/sites/"+site || p == "/captive/instances/"+inst {
			got, want := r.object(t), response{body: []byte(before[p])}.object(t)
			for _, moving := range []string{"status", "preview_url"} { // router status, signed link expiry
				delete(got, moving)
				delete(want, moving)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("site after restart:\n got %v\nwant %v", got, want)
			}
			continue
		}
		if string(r.body) != before[p] {
			t.Errorf("%s after restart:\n got %s\nwant %s", p, r.body, before[p])
		}
	}
	stored, err := e2.store.Site(t.Context(), site)
	if err != nil || stored.Password != "pw" {
		t.Fatalf("router password after restart = %q, %v", stored.Password, err)
	}
}
