package db

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"gatehouse/app"
)

func testIntegration(name string) app.AuthIntegration {
	return app.AuthIntegration{Name: name, Type: app.ProviderGoogle, ClientID: "client-" + name,
		ClientSecret: "client-secret-" + name}
}

func mustCreateIntegration(tb testing.TB, db *DB, a app.AuthIntegration) app.AuthIntegration {
	tb.Helper()
	got, err := db.CreateAuthIntegration(tb.Context(), a)
	if err != nil {
		tb.Fatalf("CreateAuthIntegration(%s): %v", a.Name, err)
	}
	return got
}

func TestAuthIntegrationCRUD(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	in := app.AuthIntegration{Name: " Staff ", Type: app.ProviderAzure, ClientID: "cid",
		ClientSecret: "azure-secret", Tenant: "contoso.onmicrosoft.com"}
	a := mustCreateIntegration(t, db, in)
	want := app.AuthIntegration{ID: a.ID, Name: "Staff", Type: app.ProviderAzure, ClientID: "cid",
		ClientSecret: "azure-secret", Tenant: "contoso.onmicrosoft.com", CreatedAt: a.CreatedAt, UpdatedAt: a.CreatedAt}
	if !reflect.DeepEqual(a, want) {
		t.Errorf("CreateAuthIntegration:\n got %+v\nwant %+v", a, want)
	}
	if got, err := db.AuthIntegration(ctx, a.ID); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("AuthIntegration:\n got %+v, %v\nwant %+v", got, err, want)
	}

	b := mustCreateIntegration(t, db, testIntegration("gh"))
	list, err := db.ListAuthIntegrations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].ID != a.ID || list[1].ID != b.ID || list[1].ClientSecret != "client-secret-gh" {
		t.Errorf("ListAuthIntegrations: got %+v, want [%s %s] with secrets", list, a.ID, b.ID)
	}

	// Switching to github drops the tenant (Normalize); ID and CreatedAt stay.
	got, err := db.UpdateAuthIntegration(ctx, a.ID, func(x *app.AuthIntegration) error {
		x.Type = app.ProviderGitHub
		x.ID = b.ID
		x.CreatedAt = time.Time{}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != a.ID || !got.CreatedAt.Equal(a.CreatedAt) || got.Tenant != "" || got.Type != app.ProviderGitHub {
		t.Errorf("UpdateAuthIntegration: got %+v, want id %s, created %v, github without tenant", got, a.ID, a.CreatedAt)
	}

	errStop := errors.New("stop")
	if _, err := db.UpdateAuthIntegration(ctx, a.ID, func(x *app.AuthIntegration) error {
		x.Name = "changed"
		return errStop
	}); err != errStop {
		t.Errorf("UpdateAuthIntegration with failing change: got %v, want %v", err, errStop)
	}
	_, err = db.UpdateAuthIntegration(ctx, a.ID, func(x *app.AuthIntegration) error { x.ClientSecret = ""; return nil })
	wantCode(t, err, app.EInvalid, "config.client_secret")
	if read, _ := db.AuthIntegration(ctx, a.ID); !reflect.DeepEqual(read, got) {
		t.Errorf("after failed updates:\n got %+v\nwant %+v", read, got)
	}

	if err := db.DeleteAuthIntegration(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{a.ID, unknownID, "nope"} {
		_, err := db.AuthIntegration(ctx, id)
		wantCode(t, err, app.ENotFound, "")
		_, err = db.UpdateAuthIntegration(ctx, id, func(*app.AuthIntegration) error { return nil })
		wantCode(t, err, app.ENotFound, "")
		wantCode(t, db.DeleteAuthIntegration(ctx, id), app.ENotFound, "")
	}
}

func TestAuthIntegrationInvalid(t *testing.T) {
	db := openTest(t)
	tests := []struct {
		name   string
		change func(*app.AuthIntegration)
		param  string
	}{
		{"no name", func(a *app.AuthIntegration) { a.Name = "" }, "name"},
		{"bad type", func(a *app.AuthIntegration) { a.Type = "facebook" }, "type"},
		{"no client id", func(a *app.AuthIntegration) { a.ClientID = " " }, "config.client_id"},
		{"no secret", func(a *app.AuthIntegration) { a.ClientSecret = "" }, "config.client_secret"},
		{"azure without tenant", func(a *app.AuthIntegration) { a.Type = app.ProviderAzure }, "config.tenant"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := testIntegration("x")
			tc.change(&a)
			_, err := db.CreateAuthIntegration(t.Context(), a)
			wantCode(t, err, app.EInvalid, tc.param)
		})
	}
}
