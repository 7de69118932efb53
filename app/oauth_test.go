package app

import (
	"bytes"
	"crypto/rand"
	"strings"
	"testing"
	"time"
)

func TestOAuthState(t *testing.T) {
	key := bytes.Repeat([]byte{7}, 32)
	now := time.Unix(1_800_000_000, 0)
	id := "0190c0de-0000-7000-8000-000000000001"
	good := SignOAuthState(key, id, now.Add(5*time.Minute))
	parts := strings.Split(good, ".")
	for _, tc := range []struct {
		name   string
		state  string
		key    []byte
		at     time.Time
		wantID string
		reason string
	}{
		{"valid", good, key, now, id, ""},
		{"last second", good, key, now.Add(5*time.Minute - time.Second), id, ""},
		{"expired", good, key, now.Add(5 * time.Minute), "", ReasonOAuthStateExpired},
		{"other key", good, bytes.Repeat([]byte{8}, 32), now, "", ReasonOAuthStateInvalid},
		{"other id", "0190c0de-0000-7000-8000-000000000002." + parts[1] + "." + parts[2], key, now, "", ReasonOAuthStateInvalid},
		{"later expiry", parts[0] + "." + "1900000000" + "." + parts[2], key, now, "", ReasonOAuthStateInvalid},
		{"no mac", parts[0] + "." + parts[1], key, now, "", ReasonOAuthStateInvalid},
		{"empty", "", key, now, "", ReasonOAuthStateInvalid},
		{"extra part", good + ".x", key, now, "", ReasonOAuthStateInvalid},
		{"huge", strings.Repeat("a", 300) + "." + parts[1] + "." + parts[2], key, now, "", ReasonOAuthStateInvalid},
	} {
		got, err := VerifyOAuthState(tc.key, tc.state, tc.at)
		if tc.reason == "" {
			if err != nil || got != tc.wantID {
				t.Errorf("%s: got %q, %v; want %q", tc.name, got, err, tc.wantID)
			}
			continue
		}
		e, ok := err.(*Error)
		if !ok || e.Code != EForbidden || e.Reason != tc.reason || got != "" {
			t.Errorf("%s: got %q, %v; want forbidden %s", tc.name, got, err, tc.reason)
		}
	}
	// A signed link's MAC over the same id cannot pass as a state.
	l := &LinkSigner{Key: key, Now: func() time.Time { return now }}
	link := l.URL("GET", "/oauth2/callback", nil, time.Minute)
	if _, err := VerifyOAuthState(key, id+"."+parts[1]+"."+link[strings.LastIndex(link, "=")+1:], now); err == nil {
		t.Error("a link signature was accepted as a state")
	}
}

func TestNewGuestCredentials(t *testing.T) {
	seen := map[string]bool{}
	for range 200 {
		u, p, err := NewGuestCredentials(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(u, GuestUserPrefix) || len(u) != 10 || len(p) != 20 {
			t.Fatalf("credentials %q / %q: want g- and 8 characters, 20-character password", u, p)
		}
		if strings.ContainsAny(u[2:]+p, "0O1lIL-") {
			t.Fatalf("look-alike characters in %q / %q", u, p)
		}
		if seen[u] {
			t.Fatalf("user name %s drawn twice", u)
		}
		seen[u] = true
		if NormalizeCouponCode(u) == u {
			t.Fatalf("user name %s could be a coupon code", u)
		}
	}
	if _, _, err := NewGuestCredentials(bytes.NewReader(nil)); err == nil {
		t.Fatal("no randomness: want an error")
	}
}

func TestProviderSignInHosts(t *testing.T) {
	for _, p := range []string{ProviderGoogle, ProviderGitHub, ProviderAzure} {
		hosts := ProviderSignInHosts(p)
		if len(hosts) == 0 {
			t.Fatalf("%s: no hosts", p)
		}
		comments := map[string]bool{}
		for _, h := range hosts {
			// Exact names only: the IP-level rule that opens HTTPS takes no wildcards.
			if !IsDNSName(h, false) || strings.Contains(h, "*") || h != strings.ToLower(h) {
				t.Errorf("%s: host %q is not an exact lower-case DNS name", p, h)
			}
			c := ProviderGardenComment(p, h)
			if !strings.HasPrefix(c, CommentPrefix) || comments[c] || len(c) > 200 {
				t.Errorf("%s: comment %q is not a unique gatehouse comment", p, c)
			}
			comments[c] = true
		}
		if ProviderName(p) == p {
			t.Errorf("%s has no display name", p)
		}
	}
	if ProviderSignInHosts("oidc") != nil {
		t.Error("unknown provider has hosts")
	}
	if _, ok := CouponIDFromComment(OAuthGuestComment("x")); ok {
		t.Error("an OAuth guest's comment reads as a coupon's")
	}
}

func TestOAuthIdentityDisplay(t *testing.T) {
	for _, tc := range []struct {
		id   OAuthIdentity
		want string
	}{
		{OAuthIdentity{Subject: "1", Email: "a@example.com", Login: "a"}, "a@example.com"},
		{OAuthIdentity{Subject: "1", Login: "octocat"}, "octocat"},
		{OAuthIdentity{Subject: "1"}, "1"},
	} {
		if got := tc.id.Display(); got != tc.want {
			t.Errorf("%+v: got %q, want %q", tc.id, got, tc.want)
		}
	}
}
