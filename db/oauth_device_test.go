package db

import (
	"net/url"
	"sync"
	"testing"
	"time"

	"gatehouse/app"
)

func (f oauthFixture) deviceAttempt(t *testing.T, code string, now time.Time) app.OAuthAttempt {
	t.Helper()
	a, err := f.db.CreateOAuthAttempt(t.Context(), app.OAuthAttempt{AuthIntegrationID: f.integ.ID, InstanceID: f.in.ID,
		SiteID: f.site.ID, RouterParams: url.Values{"mac": {"aa:bb:cc:00:00:02"}}, UserCode: code, PollHash: "poll",
		CreatedAt: now, ExpiresAt: now.Add(2 * time.Minute)})
	if err != nil {
		t.Fatalf("CreateOAuthAttempt(device): %v", err)
	}
	return a
}

func wantReason(t *testing.T, what string, err error, reason string) {
	t.Helper()
	if app.ErrorCode(err) != app.EForbidden || app.ErrorReason(err) != reason {
		t.Fatalf("%s: %v, want forbidden %s", what, err, reason)
	}
}

func TestOAuthDeviceAttempt(t *testing.T) {
	f := newOAuthFixture(t)
	ctx := t.Context()
	now := time.Now()
	a := f.deviceAttempt(t, "ABCDEFGH", now)
	if !a.IsDevice() || a.DeviceStatus(now) != app.DeviceWaiting {
		t.Fatalf("attempt = %+v", a)
	}
	// The same code twice: EConflict (the caller draws another).
	if _, err := f.db.CreateOAuthAttempt(ctx, app.OAuthAttempt{AuthIntegrationID: f.integ.ID, InstanceID: f.in.ID, SiteID: f.site.ID,
		UserCode: "ABCDEFGH", PollHash: "p", CreatedAt: now, ExpiresAt: now.Add(time.Minute)}); app.ErrorCode(err) != app.EConflict {
		t.Fatalf("code in use: %v, want conflict", err)
	}
	// Its state cannot be used before a browser claimed the code.
	wantReason(t, "unclaimed callback", func() error { _, err := f.db.UseOAuthAttempt(ctx, a.ID, now); return err }(), app.ReasonOAuthStateInvalid)

	// Looking finds it (typed sloppily); many browsers claiming at once:
	// one wins, and its sign-in gets the auth window from the claim.
	if got, err := f.db.OAuthDeviceCode(ctx, "abcd-efgh", now); err != nil || got.ID != a.ID {
		t.Fatalf("OAuthDeviceCode = %+v, %v", got, err)
	}
	at := now.Add(time.Minute)
	var wg sync.WaitGroup
	results := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			got, err := f.db.ClaimOAuthDeviceCode(ctx, "ABCD EFGH", app.OAuthDeviceClaim{Verifier: "v", Nonce: "n", BrowserHash: "h", At: at})
			if err == nil && (got.Verifier != "v" || got.BrowserHash != "h" || got.ClaimedAt == nil ||
				!got.ExpiresAt.Equal(at.UTC().Truncate(time.Microsecond).Add(300*time.Second))) {
				t.Errorf("claimed attempt = %+v", got)
			}
			results <- err
		})
	}
	wg.Wait()
	close(results)
	won := 0
	for err := range results {
		if err == nil {
			won++
			continue
		}
		wantReason(t, "second claim", err, app.ReasonDeviceCodeUsed)
	}
	if won != 1 {
		t.Fatalf("%d browsers claimed the code, want 1", won)
	}
	wantReason(t, "look after the claim", func() error { _, err := f.db.OAuthDeviceCode(ctx, "ABCDEFGH", at); return err }(), app.ReasonDeviceCodeUsed)
	got, err := f.db.OAuthDeviceAttempt(ctx, a.ID)
	if err != nil || got.DeviceStatus(at) != app.DeviceSigningIn {
		t.Fatalf("after the claim: %+v, %v", got, err)
	}
	used, err := f.db.UseOAuthAttempt(ctx, a.ID, at.Add(time.Minute))
	if err != nil || used.Verifier != "v" {
		t.Fatalf("callback of the claimed attempt: %+v, %v", used, err)
	}

	// The guest it let on; only the first end counts.
	g, err := f.db.GrantOAuthGuest(ctx, app.OAuthGrant{Attempt: used, Identity: app.OAuthIdentity{Provider: "google", Subject: "s", Email: "a@example.com"},
		Username: "g-device01", Password: "pw", At: at})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.db.FinishOAuthDevice(ctx, a.ID, g.SiteUserID, at); err != nil {
		t.Fatal(err)
	}
	if err := f.db.FinishOAuthDevice(ctx, a.ID, "", at); err != nil {
		t.Fatal(err)
	}
	got, _ = f.db.OAuthDeviceAttempt(ctx, a.ID)
	if got.DeviceStatus(at.Add(time.Hour)) != app.DeviceDone || got.SiteUserID != g.SiteUserID {
		t.Fatalf("finished attempt = %+v", got)
	}
	if first, err := f.db.ReleaseOAuthDevice(ctx, a.ID, at); err != nil || !first {
		t.Fatalf("first release: %v, %v", first, err)
	}
	if first, err := f.db.ReleaseOAuthDevice(ctx, a.ID, at); err != nil || first {
		t.Fatalf("second release: %v, %v", first, err)
	}
	guest, err := f.db.OAuthGuest(ctx, g.SiteUserID)
	if err != nil || guest.Username != "g-device01" || guest.Password != "pw" || guest.Identity != "a@example.com" {
		t.Fatalf("OAuthGuest = %+v, %v", guest, err)
	}

	// Ended early by an admin: it leaves what the router should hold.
	holds := func(at time.Time) bool {
		t.Helper()
		state, err := f.db.SiteState(ctx, f.site.ID, at)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range state.Users {
			if u.Name == "g-device01" {
				return true
			}
		}
		return false
	}
	if !holds(at) {
		t.Fatal("the router should hold the guest before it is ended")
	}
	if err := f.db.EndOAuthGuest(ctx, f.other.ID, g.SiteUserID, at); app.ErrorCode(err) != app.ENotFound {
		t.Fatalf("end at another site: %v, want not found", err)
	}
	end := at.Add(time.Minute)
	if err := f.db.EndOAuthGuest(ctx, f.site.ID, g.SiteUserID, end); err != nil {
		t.Fatal(err)
	}
	if err := f.db.EndOAuthGuest(ctx, f.site.ID, g.SiteUserID, end.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if guest, _ = f.db.OAuthGuest(ctx, g.SiteUserID); !guest.EndsAt.Equal(end.UTC().Truncate(time.Microsecond)) {
		t.Fatalf("ends at %v, want %v", guest.EndsAt, end)
	}
	if holds(end.Add(time.Second)) {
		t.Fatal("the router should no longer hold the ended guest")
	}

	// Expired and unknown codes; a failed sign-in.
	b := f.deviceAttempt(t, "JKMNPQRS", now)
	wantReason(t, "expired code", func() error { _, err := f.db.OAuthDeviceCode(ctx, "JKMNPQRS", now.Add(2*time.Minute)); return err }(), app.ReasonDeviceCodeExpired)
	wantReason(t, "expired claim", func() error {
		_, err := f.db.ClaimOAuthDeviceCode(ctx, "JKMNPQRS", app.OAuthDeviceClaim{At: now.Add(3 * time.Minute)})
		return err
	}(), app.ReasonDeviceCodeExpired)
	for _, code := range []string{"ZZZZZZZZ", "0000-0000", "", "ABCDEFGHJ"} {
		wantReason(t, "code "+code, func() error { _, err := f.db.OAuthDeviceCode(ctx, code, now); return err }(), app.ReasonDeviceCodeInvalid)
	}
	if err := f.db.FinishOAuthDevice(ctx, b.ID, "", now); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.db.OAuthDeviceAttempt(ctx, b.ID); got.DeviceStatus(now) != app.DeviceFailed {
		t.Fatalf("failed attempt = %+v", got)
	}
	// A normal attempt is no device attempt.
	n := f.attempt(t, now)
	if _, err := f.db.OAuthDeviceAttempt(ctx, n.ID); app.ErrorCode(err) != app.ENotFound {
		t.Fatalf("normal attempt as a device one: %v", err)
	}
}
