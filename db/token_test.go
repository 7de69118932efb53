package db

import (
	"bytes"
	"reflect"
	"testing"
	"time"

	"gatehouse/app"
)

func TestTokens(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	before := time.Now().UTC().Truncate(time.Microsecond)
	tok, err := db.CreateToken(ctx, " ci ", app.RoleOperator, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if tok.Name != "ci" || tok.Role != app.RoleOperator || tok.RevokedAt != nil ||
		tok.CreatedAt.Before(before) || !tok.ExpiresAt.Equal(tok.CreatedAt.Add(time.Hour)) {
		t.Errorf("CreateToken: got %+v, want ci operator created now expiring in an hour", tok)
	}
	if got, err := db.Token(ctx, tok.ID); err != nil || !reflect.DeepEqual(got, tok) {
		t.Errorf("Token:\n got %+v, %v\nwant %+v", got, err, tok)
	}

	second, err := db.CreateToken(ctx, "admin page", app.RoleAdmin, app.DefaultTokenTTL)
	if err != nil {
		t.Fatal(err)
	}
	list, err := db.ListTokens(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].ID != second.ID || list[1].ID != tok.ID {
		t.Errorf("ListTokens: got %+v, want newest first [%s %s]", list, second.ID, tok.ID)
	}

	if err := db.RevokeToken(ctx, tok.ID); err != nil {
		t.Fatal(err)
	}
	first, _ := db.Token(ctx, tok.ID)
	if first.RevokedAt == nil || first.Active(time.Now()) {
		t.Fatalf("revoked token: got %+v, want revoked_at set and inactive", first)
	}
	time.Sleep(time.Millisecond)
	if err := db.RevokeToken(ctx, tok.ID); err != nil {
		t.Errorf("second RevokeToken: %v", err)
	}
	again, _ := db.Token(ctx, tok.ID)
	if !again.RevokedAt.Equal(*first.RevokedAt) {
		t.Errorf("RevokedAt after second revoke: got %v, want first time %v", again.RevokedAt, first.RevokedAt)
	}

	for _, id := range []string{unknownID, "not-a-token"} {
		_, err := db.Token(ctx, id)
		wantCode(t, err, app.ENotFound, "")
		wantCode(t, db.RevokeToken(ctx, id), app.ENotFound, "")
	}
}

func TestCreateTokenInvalid(t *testing.T) {
	db := openTest(t)
	tests := []struct {
		name      string
		tokenName string
		role      app.Role
		ttl       time.Duration
		param     string
	}{
		{"no name", "  ", app.RoleAdmin, time.Hour, "name"},
		{"bad role", "x", "root", time.Hour, "role"},
		{"zero ttl", "x", app.RoleAdmin, 0, "ttl"},
		{"ttl too long", "x", app.RoleAdmin, app.MaxTokenTTL + time.Second, "ttl"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := db.CreateToken(t.Context(), tc.tokenName, tc.role, tc.ttl)
			wantCode(t, err, app.EInvalid, tc.param)
		})
	}
	if n := rawCount(t, db, "tokens"); n != 0 {
		t.Errorf("tokens after invalid creates: got %d, want 0", n)
	}
}

func TestKey(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	k1, err := db.Key(ctx, "jwt", 32)
	if err != nil {
		t.Fatal(err)
	}
	if len(k1) != 32 || bytes.Equal(k1, make([]byte, 32)) {
		t.Fatalf("Key: got %x, want 32 random bytes", k1)
	}
	k2, err := db.Key(ctx, "jwt", 32)
	if err != nil || !bytes.Equal(k1, k2) {
		t.Errorf("Key again: got %x, %v, want %x", k2, err, k1)
	}
	other, err := db.Key(ctx, "url", 32)
	if err != nil || bytes.Equal(other, k1) {
		t.Errorf("Key(url): got %x, %v, want a different key", other, err)
	}
	if _, err := db.Key(ctx, "jwt", 64); err == nil || app.ErrorCode(err) != app.EInternal {
		t.Errorf("Key with another size: got %v, want an internal error", err)
	}
	_, err = db.Key(ctx, "", 32)
	wantCode(t, err, app.EInvalid, "name")
	_, err = db.Key(ctx, "x", 0)
	wantCode(t, err, app.EInvalid, "size")
}
