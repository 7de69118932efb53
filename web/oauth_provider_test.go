package web_test

import (
	"net/http"
	"testing"
	"time"
)

// TestOAuthDiscoveryFailureIsCached: the finding was that OpenID Connect
// discovery failures were not cached, so while a provider was unreachable
// every portal view waited for it (up to 15 s). The first view still
// waits for the provider's refusal; the views after it answer at once
// without asking the provider, until the failure is 30 s old.
func TestOAuthDiscoveryFailureIsCached(t *testing.T) {
	o := newOAuthEnv(t, "google", "")
	const slow = 1500 * time.Millisecond
	o.idp.set(func(p *testIdP) { p.down = slow })
	b := newGuestBrowser(t)
	page := o.base + "/portal/" + o.inst + "?" + o.routerParams().Encode()
	discoveries := func() int {
		o.idp.mu.Lock()
		defer o.idp.mu.Unlock()
		return o.idp.discoveries
	}

	start := time.Now()
	wantStatus(t, b.get(page, o.base), http.StatusOK)
	if d := time.Since(start); d < slow {
		t.Fatalf("first portal view took %s, want it to have waited for the provider (%s)", d, slow)
	}
	if n := discoveries(); n != 1 {
		t.Fatalf("discovery requests after the first view = %d, want 1", n)
	}
	for range 3 {
		start = time.Now()
		wantStatus(t, b.get(page, o.base), http.StatusOK)
		if d := time.Since(start); d >= slow/2 {
			t.Fatalf("portal view while the provider is down took %s, want it at once", d)
		}
	}
	if n := discoveries(); n != 1 {
		t.Fatalf("discovery requests after 4 views = %d, want still 1", n)
	}
	// A sign-in started now is refused at once too, not after a wait.
	start = time.Now()
	r := b.get(o.base+"/portal/"+o.inst+"/oauth/start?accept_terms=yes&"+o.routerParams().Encode(), o.base)
	if r.status == http.StatusFound {
		t.Fatalf("sign-in start with the provider down = %d, want a refusal", r.status)
	}
	if d := time.Since(start); d >= slow/2 {
		t.Fatalf("sign-in start while the provider is down took %s, want it at once", d)
	}

	// The provider is back; after the retry period gatehouse asks again
	// and guests can sign in.
	o.idp.set(func(p *testIdP) { p.down = 0 })
	o.clock.advance(31 * time.Second)
	wantStatus(t, b.get(page, o.base), http.StatusOK)
	if n := discoveries(); n != 2 {
		t.Fatalf("discovery requests after the retry period = %d, want 2", n)
	}
	if _, res := o.signIn(b, o.routerParams(), nil); res.status >= 400 {
		t.Fatalf("sign-in after the provider came back = %d %s", res.status, res.body)
	}
}
