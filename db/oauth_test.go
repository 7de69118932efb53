package db

import (
	"bytes"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"gatehouse/app"
)

// oauthFixture is a Google integration, an oauth2 instance on one of two
// sites, and a coupon instance on the other.
type oauthFixture struct {
	db          *DB
	integ       app.AuthIntegration
	site, other app.Site
	in          app.Instance
}

func newOAuthFixture(t *testing.T) oauthFixture {
	t.Helper()
	db := openTest(t)
	f := oauthFixture{db: db, integ: mustCreateIntegration(t, db, testIntegration("google")),
		site: mustCreateSite(t, db, testSite("Lobby")), other: mustCreateSite(t, db, testSite("Bar"))}
	in := testInstance("Guests", f.site.ID)
	in.Strategy, in.AuthIntegrationID, in.AuthWindowTTL = app.StrategyOAuth2, f.integ.ID, 300
	f.in = mustCreateInstance(t, db, in)
	mustCreateInstance(t, db, testInstance("Bar coupons", f.other.ID))
	return f
}

func (f oauthFixture) attempt(t *testing.T, now time.Time) app.OAuthAttempt {
	t.Helper()
	a, err := f.db.CreateOAuthAttempt(t.Context(), app.OAuthAttempt{AuthIntegrationID: f.integ.ID, InstanceID: f.in.ID,
		SiteID: strings.ToUpper(f.site.ID), RouterParams: url.Values{"mac": {"aa:bb:cc:00:00:01"}, "ip": {"10.5.50.7"}},
		Verifier: "verifier", Nonce: "nonce", BrowserHash: "hash", CreatedAt: now, ExpiresAt: now.Add(5 * time.Minute)})
	if err != nil {
		t.Fatalf("CreateOAuthAttempt: %v", err)
	}
	return a
}

func TestOAuthAttemptOnce(t *testing.T) {
	f := newOAuthFixture(t)
	ctx := t.Context()
	now := time.Now()
	a := f.attempt(t, now)
	if a.ID == "" || a.SiteID != f.site.ID || a.InstanceID != f.in.ID {
		t.Fatalf("attempt = %+v", a)
	}
	// Many callbacks with the same state at once: exactly one gets it.
	var wg sync.WaitGroup
	results := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			got, err := f.db.UseOAuthAttempt(ctx, a.ID, now.Add(time.Minute))
			if err == nil && (got.Verifier != "verifier" || got.Nonce != "nonce" || got.RouterParams.Get("ip") != "10.5.50.7" || got.UsedAt == nil) {
				t.Errorf("used attempt = %+v", got)
			}
			results <- err
		})
	}
	wg.Wait()
	close(results)
	ok := 0
	for err := range results {
		if err == nil {
			ok++
			continue
		}
		if app.ErrorCode(err) != app.EForbidden || app.ErrorReason(err) != app.ReasonOAuthStateUsed {
			t.Errorf("replay: %v, want forbidden %s", err, app.ReasonOAuthStateUsed)
		}
	}
	if ok != 1 {
		t.Fatalf("%d callbacks used the attempt, want 1", ok)
	}

	// Expired: refused, and not marked used.
	b := f.attempt(t, now)
	if _, err := f.db.UseOAuthAttempt(ctx, b.ID, now.Add(5*time.Minute)); app.ErrorCode(err) != app.EForbidden || app.ErrorReason(err) != app.ReasonOAuthStateExpired {
		t.Fatalf("expired attempt: %v", err)
	}
	for _, id := range []string{"not-a-uuid", "0190c0de-0000-7000-8000-000000000000"} {
		if _, err := f.db.UseOAuthAttempt(ctx, id, now); app.ErrorCode(err) != app.EForbidden || app.ErrorReason(err) != app.ReasonOAuthStateInvalid {
			t.Fatalf("unknown attempt %s: %v", id, err)
		}
	}
	// Attempts that expired long ago go when a new one is made.
	f.attempt(t, now.Add(2*time.Hour))
	if n := rawCount(t, f.db, "oauth_attempts"); n != 1 {
		t.Fatalf("%d attempts kept, want only the new one", n)
	}
}

func TestOAuthAttemptChecks(t *testing.T) {
	f := newOAuthFixture(t)
	ctx := t.Context()
	now := time.Now()
	base := app.OAuthAttempt{AuthIntegrationID: f.integ.ID, InstanceID: f.in.ID, SiteID: f.site.ID, Verifier: "v",
		Nonce: "n", BrowserHash: "h", CreatedAt: now, ExpiresAt: now.Add(time.Minute)}
	other := mustCreateIntegration(t, f.db, testIntegration("other"))
	for _, tc := range []struct {
		name   string
		change func(*app.OAuthAttempt)
		code   string
	}{
		{"site of no instance", func(a *app.OAuthAttempt) { a.SiteID = f.other.ID }, app.EInvalid},
		{"no site", func(a *app.OAuthAttempt) { a.SiteID = "" }, app.EInvalid},
		{"other integration", func(a *app.OAuthAttempt) { a.AuthIntegrationID = other.ID }, app.EInvalid},
		{"unknown integration", func(a *app.OAuthAttempt) { a.AuthIntegrationID = "0190c0de-0000-7000-8000-000000000000" }, app.ENotFound},
		{"unknown instance", func(a *app.OAuthAttempt) { a.InstanceID = "0190c0de-0000-7000-8000-000000000000" }, app.ENotFound},
	} {
		a := base
		tc.change(&a)
		if _, err := f.db.CreateOAuthAttempt(ctx, a); app.ErrorCode(err) != tc.code {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
		}
	}
	// A test sign-in needs only the integration, and grants nothing.
	test, err := f.db.CreateOAuthAttempt(ctx, app.OAuthAttempt{AuthIntegrationID: other.ID, Verifier: "v", Nonce: "n",
		BrowserHash: "h", CreatedAt: now, ExpiresAt: now.Add(time.Minute)})
	if err != nil || !test.IsTest() {
		t.Fatalf("test attempt: %+v, %v", test, err)
	}
	test, _ = f.db.UseOAuthAttempt(ctx, test.ID, now)
	if _, err := f.db.GrantOAuthGuest(ctx, app.OAuthGrant{Attempt: test, Username: "g-x", Password: "p", At: now}); app.ErrorCode(err) != app.EInvalid {
		t.Fatalf("grant of a test attempt: %v", err)
	}
	if n := rawCount(t, f.db, "site_users"); n != 0 {
		t.Fatalf("%d site users after refusals", n)
	}
}

func TestOAuthGuestLifecycle(t *testing.T) {
	f := newOAuthFixture(t)
	ctx := t.Context()
	now := time.Now()

	// Before any guest: the site holds the provider's sign-in hosts; the
	// coupon-only site does not.
	st, err := f.db.SiteState(ctx, f.site.ID, now)
	if err != nil {
		t.Fatal(err)
	}
	hosts := app.ProviderSignInHosts(app.ProviderGoogle)
	if len(st.Garden) != len(hosts) || st.Garden[0].DstHost != hosts[0] || st.Garden[0].Comment != app.ProviderGardenComment(app.ProviderGoogle, hosts[0]) {
		t.Fatalf("garden = %+v, want Google's hosts", st.Garden)
	}
	if st, _ := f.db.SiteState(ctx, f.other.ID, now); len(st.Garden) != 0 {
		t.Fatalf("coupon site garden = %+v, want none", st.Garden)
	}

	a := f.attempt(t, now)
	a, err = f.db.UseOAuthAttempt(ctx, a.ID, now)
	if err != nil {
		t.Fatal(err)
	}
	id := app.OAuthIdentity{Provider: app.ProviderGoogle, Subject: "1234", Email: "alice@example.com"}
	g, err := f.db.GrantOAuthGuest(ctx, app.OAuthGrant{Attempt: a, Identity: id, Username: "g-abcdefgh", Password: "pw", At: now})
	if err != nil {
		t.Fatal(err)
	}
	if g.Identity != "alice@example.com" || g.MACAddress != "AA:BB:CC:00:00:01" || !g.EndsAt.Equal(now.Add(time.Hour).Truncate(time.Microsecond)) {
		t.Fatalf("guest = %+v", g)
	}
	if _, err := f.db.GrantOAuthGuest(ctx, app.OAuthGrant{Attempt: a, Identity: id, Username: "g-abcdefgh", Password: "x", At: now}); app.ErrorCode(err) != app.EConflict {
		t.Fatalf("same user name twice: %v, want conflict", err)
	}
	st, _ = f.db.SiteState(ctx, f.site.ID, now)
	if len(st.Users) != 1 {
		t.Fatalf("users = %+v", st.Users)
	}
	if u := st.Users[0]; u.Name != "g-abcdefgh" || u.Password != "pw" || u.LimitUptime != time.Hour || u.MACAddress != "AA:BB:CC:00:00:01" ||
		u.Comment != "gatehouse:o="+g.SiteUserID || u.Profile != app.ProfileName(f.in.ID) {
		t.Fatalf("router user = %+v", u)
	}
	// Not online until the router says so.
	if _, err := f.db.ActiveOAuthGuest(ctx, f.in.ID, "aa:bb:cc:00:00:01", now); app.ErrorCode(err) != app.ENotFound {
		t.Fatalf("ActiveOAuthGuest before the router's report: %v", err)
	}

	// The site user waits for the router: a pass before the guest logs in
	// does not end it.
	if _, err := f.db.RecordSessions(ctx, f.site.ID, nil, now); err != nil {
		t.Fatal(err)
	}
	users, _ := f.db.ListSiteUsers(ctx, f.site.ID, false)
	if len(users) != 1 || users[0].Active || users[0].LogoutAt != nil || users[0].Identity != "alice@example.com" || users[0].Username != "g-abcdefgh" {
		t.Fatalf("pending site user = %+v", users)
	}
	// The router reports the session: the site user is active.
	sess := []app.HotspotSession{{RouterID: "*9", User: "g-abcdefgh", Address: "10.5.50.7", MACAddress: "AA:BB:CC:00:00:01", Uptime: time.Minute, BytesIn: 7}}
	if redeemed, err := f.db.RecordSessions(ctx, f.site.ID, sess, now.Add(2*time.Minute)); err != nil || len(redeemed) != 0 {
		t.Fatalf("RecordSessions = %v, %v", redeemed, err)
	}
	users, _ = f.db.ListSiteUsers(ctx, f.site.ID, true)
	if len(users) != 1 || users[0].ID != g.SiteUserID || users[0].BytesIn != 7 || users[0].LoginAt == nil ||
		!users[0].LoginAt.Equal(now.Add(time.Minute).Truncate(time.Microsecond)) {
		t.Fatalf("active site user = %+v", users)
	}
	if active, err := f.db.ActiveOAuthGuest(ctx, f.in.ID, "aa:bb:cc:00:00:01", now); err != nil || active.SiteUserID != g.SiteUserID ||
		active.Identity != "alice@example.com" {
		t.Fatalf("ActiveOAuthGuest = %+v, %v", active, err)
	}

	// The session ends by the wall clock: the router user goes.
	if st, _ = f.db.SiteState(ctx, f.site.ID, now.Add(time.Hour)); len(st.Users) != 0 {
		t.Fatalf("users after the session = %+v", st.Users)
	}
	if _, err := f.db.ActiveOAuthGuest(ctx, f.in.ID, "AA:BB:CC:00:00:01", now.Add(time.Hour)); app.ErrorCode(err) != app.ENotFound {
		t.Fatalf("ActiveOAuthGuest after the session: %v", err)
	}

	// No instance needs the sign-in hosts any more: they go, and so do
	// the instance's guests.
	if _, err := f.db.UpdateInstance(ctx, f.in.ID, func(in *app.Instance) error {
		in.Strategy = app.StrategyCoupon
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if st, _ = f.db.SiteState(ctx, f.site.ID, now); len(st.Garden) != 0 || len(st.Users) != 0 {
		t.Fatalf("after the switch to coupons: garden %+v users %+v", st.Garden, st.Users)
	}
}

// rawOAuthGuest reads a guest's stored password columns as they are on
// disk.
func rawOAuthGuest(t *testing.T, db *DB, siteUserID string) (plain string, sealed []byte) {
	t.Helper()
	err := db.writer.QueryRowContext(t.Context(), `SELECT password, sealed_password FROM oauth_guests WHERE site_user_id = ?`,
		siteUserID).Scan(&plain, &sealed)
	if err != nil {
		t.Fatal(err)
	}
	return plain, sealed
}

// TestOAuthGuestPasswordSealed: the finding was that the one-off hotspot
// passwords of OAuth2 guests were stored in plaintext while router
// passwords were encrypted. They are now sealed under secret.key like
// router passwords; a row an older gatehouse wrote in plaintext is sealed
// at the next Open (and its plaintext overwritten), and key rotation
// re-encrypts them with the other secrets.
func TestOAuthGuestPasswordSealed(t *testing.T) {
	dir := t.TempDir()
	ctx := t.Context()
	db := openAt(t, dir)
	f := oauthFixture{db: db, integ: mustCreateIntegration(t, db, testIntegration("google")), site: mustCreateSite(t, db, testSite("Lobby"))}
	in := testInstance("Guests", f.site.ID)
	in.Strategy, in.AuthIntegrationID, in.AuthWindowTTL = app.StrategyOAuth2, f.integ.ID, 300
	f.in = mustCreateInstance(t, db, in)
	now := time.Now()
	grant := func(user, password string) app.OAuthGuest {
		t.Helper()
		a, err := db.UseOAuthAttempt(ctx, f.attempt(t, now).ID, now)
		if err != nil {
			t.Fatal(err)
		}
		g, err := db.GrantOAuthGuest(ctx, app.OAuthGrant{Attempt: a, Username: user, Password: password, At: now,
			Identity: app.OAuthIdentity{Provider: app.ProviderGoogle, Subject: user}})
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	wantPassword := func(db *DB, id, want string) {
		t.Helper()
		g, err := db.OAuthGuest(ctx, id)
		if err != nil || g.Password != want {
			t.Fatalf("OAuthGuest(%s).Password = %q, %v; want %q", id, g.Password, err, want)
		}
		st, err := db.SiteState(ctx, f.site.ID, now)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range st.Users {
			if u.Comment == app.OAuthGuestComment(id) && u.Password != want {
				t.Fatalf("router user of %s has password %q, want %q", id, u.Password, want)
			}
		}
	}

	const newPW, oldPW = "fresh-guest-pw-7f3a", "legacy-guest-pw-91c2"
	fresh := grant("g-fresh", newPW)
	plain, sealed := rawOAuthGuest(t, db, fresh.SiteUserID)
	if plain != "" || sealed == nil || bytes.Contains(sealed, []byte(newPW)) {
		t.Fatalf("stored password = %q, sealed %x: want it encrypted only", plain, sealed)
	}
	wantPassword(db, fresh.SiteUserID, newPW)

	// A row as an older gatehouse left it: the password in plaintext.
	legacy := grant("g-legacy", "replaced")
	if _, err := db.writer.ExecContext(ctx, `UPDATE oauth_guests SET password = ?, sealed_password = NULL WHERE site_user_id = ?`,
		oldPW, legacy.SiteUserID); err != nil {
		t.Fatal(err)
	}
	wantPassword(db, legacy.SiteUserID, oldPW) // read as it is until sealed
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = openAt(t, dir)
	if plain, sealed := rawOAuthGuest(t, db, legacy.SiteUserID); plain != "" || sealed == nil || bytes.Contains(sealed, []byte(oldPW)) {
		t.Fatalf("after Open the legacy password = %q, sealed %x: want it encrypted only", plain, sealed)
	}
	wantPassword(db, legacy.SiteUserID, oldPW)
	wantPassword(db, fresh.SiteUserID, newPW)
	var raw []byte
	for _, name := range []string{dbFileName, dbFileName + "-wal"} {
		b, _ := os.ReadFile(filepath.Join(dir, name))
		raw = append(raw, b...)
	}
	if !bytes.Contains(raw, []byte("g-legacy")) {
		t.Fatal("the raw database does not hold the guest's user name: the check reads the wrong thing")
	}
	for _, pw := range []string{newPW, oldPW} {
		if bytes.Contains(raw, []byte(pw)) {
			t.Errorf("the database files still hold %q in plaintext", pw)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	// Key rotation re-encrypts them with the rest.
	ex, err := OpenExclusive(ctx, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ex.RotateSecretKey(ctx); err != nil {
		t.Fatalf("RotateSecretKey: %v", err)
	}
	if err := ex.Close(); err != nil {
		t.Fatal(err)
	}
	db = openAt(t, dir)
	wantPassword(db, legacy.SiteUserID, oldPW)
	wantPassword(db, fresh.SiteUserID, newPW)
}
