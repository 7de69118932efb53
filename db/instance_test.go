package db

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"gatehouse/app"
)

// testInstance is a valid coupon instance on the given sites.
func testInstance(name string, siteIDs ...string) app.Instance {
	in := app.NewInstance()
	in.Name = name
	in.Strategy = app.StrategyCoupon
	in.SessionTTL = 3600
	for _, id := range siteIDs {
		in.Sites = append(in.Sites, app.InstanceSite{ID: id})
	}
	return in
}

func mustCreateInstance(tb testing.TB, db *DB, in app.Instance) app.Instance {
	tb.Helper()
	got, err := db.CreateInstance(tb.Context(), in)
	if err != nil {
		tb.Fatalf("CreateInstance(%s): %v", in.Name, err)
	}
	return got
}

func TestInstanceCRUD(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	s1 := mustCreateSite(t, db, testSite("one"))
	s2 := mustCreateSite(t, db, testSite("two"))
	a := mustCreateIntegration(t, db, testIntegration("google"))

	in := app.Instance{Name: "Guests", Strategy: app.StrategyOAuth2, SessionTTL: 7200,
		AuthIntegrationID: strings.ToUpper(a.ID), TermsText: "Be nice.",
		TermsTranslations: map[string]string{"DE": " Seien Sie nett. ", "fr": ""},
		Theme:             app.Theme{AccentColor: "#ABCDEF"},
		Sites: []app.InstanceSite{
			{ID: s2.ID, Subnets: []string{" 10.0.0.0/24 ", "192.168.88.0/24"}},
			{ID: s1.ID},
		}}
	got := mustCreateInstance(t, db, in)
	theme := app.DefaultTheme()
	theme.AccentColor = "#abcdef"
	want := app.Instance{ID: got.ID, Name: "Guests", Strategy: app.StrategyOAuth2, SessionTTL: 7200,
		AuthWindowTTL: app.DefaultAuthWindowTTL, AuthIntegrationID: a.ID, Theme: theme, TermsText: "Be nice.",
		TermsTranslations: map[string]string{"de": "Seien Sie nett."},
		Sites: []app.InstanceSite{
			{ID: s2.ID, Subnets: []string{"10.0.0.0/24", "192.168.88.0/24"}},
			{ID: s1.ID, Subnets: []string{}},
		},
		Locale: app.DefaultLocale, CouponLength: app.DefaultCouponLength, CouponCharset: app.CharsetAlnum,
		CreatedAt: got.CreatedAt, UpdatedAt: got.CreatedAt}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("CreateInstance:\n got %+v\nwant %+v", got, want)
	}
	if in.Sites[0].Subnets[0] != " 10.0.0.0/24 " {
		t.Errorf("CreateInstance changed the caller's subnets: got %q", in.Sites[0].Subnets[0])
	}
	if read, err := db.Instance(ctx, got.ID); err != nil || !reflect.DeepEqual(read, want) {
		t.Errorf("Instance:\n got %+v, %v\nwant %+v", read, err, want)
	}

	// Turning it into a coupon instance drops the integration; the sites
	// are replaced in the new order.
	upd, err := db.UpdateInstance(ctx, got.ID, func(x *app.Instance) error {
		x.Strategy = app.StrategyCoupon
		x.Sites = []app.InstanceSite{{ID: s1.ID, Subnets: []string{"10.1.0.0/16"}}}
		x.ID, x.CreatedAt = unknownID, time.Time{}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want.Strategy, want.AuthIntegrationID = app.StrategyCoupon, ""
	want.Sites = []app.InstanceSite{{ID: s1.ID, Subnets: []string{"10.1.0.0/16"}}}
	want.UpdatedAt = upd.UpdatedAt
	if !reflect.DeepEqual(upd, want) || upd.UpdatedAt.Before(upd.CreatedAt) {
		t.Errorf("UpdateInstance:\n got %+v\nwant %+v", upd, want)
	}
	if n := rawCount(t, db, "instance_sites"); n != 1 {
		t.Errorf("instance_sites rows: got %d, want 1", n)
	}

	errStop := errors.New("stop")
	if _, err := db.UpdateInstance(ctx, got.ID, func(x *app.Instance) error {
		x.Sites = nil
		return errStop
	}); err != errStop {
		t.Errorf("UpdateInstance with failing change: got %v, want %v", err, errStop)
	}
	if read, _ := db.Instance(ctx, got.ID); !reflect.DeepEqual(read, upd) {
		t.Errorf("after failed update:\n got %+v\nwant %+v", read, upd)
	}

	if err := db.DeleteInstance(ctx, got.ID); err != nil {
		t.Fatal(err)
	}
	if n := rawCount(t, db, "instance_sites"); n != 0 {
		t.Errorf("instance_sites rows after delete: got %d, want 0", n)
	}
	for _, id := range []string{got.ID, unknownID, "x"} {
		_, err := db.Instance(ctx, id)
		wantCode(t, err, app.ENotFound, "")
		_, err = db.UpdateInstance(ctx, id, func(*app.Instance) error { return nil })
		wantCode(t, err, app.ENotFound, "")
		wantCode(t, db.DeleteInstance(ctx, id), app.ENotFound, "")
	}
	// With the instance gone, its sites and integration can go too.
	if err := db.DeleteSite(ctx, s1.ID); err != nil {
		t.Errorf("DeleteSite after instance delete: %v", err)
	}
	if err := db.DeleteAuthIntegration(ctx, a.ID); err != nil {
		t.Errorf("DeleteAuthIntegration after instance delete: %v", err)
	}
}

func TestListInstances(t *testing.T) {
	db := openTest(t)
	s1 := mustCreateSite(t, db, testSite("one"))
	s2 := mustCreateSite(t, db, testSite("two"))
	var want []app.Instance
	for _, in := range []app.Instance{
		testInstance("b", s2.ID, s1.ID),
		testInstance("a"),
		testInstance("c", s1.ID),
	} {
		want = append(want, mustCreateInstance(t, db, in))
	}
	got, err := db.ListInstances(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ListInstances:\n got %+v\nwant %+v", got, want)
	}
}

func TestInstanceReferences(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	s := mustCreateSite(t, db, testSite("one"))
	a := mustCreateIntegration(t, db, testIntegration("google"))
	oauth := func(integration string, sites ...string) app.Instance {
		in := testInstance("o", sites...)
		in.Strategy, in.AuthIntegrationID = app.StrategyOAuth2, integration
		return in
	}
	tests := []struct {
		name  string
		in    app.Instance
		param string
	}{
		{"unknown site", testInstance("x", s.ID, unknownID), "sites[1].id"},
		{"site id not a uuid", testInstance("x", "lobby"), "sites[0].id"},
		{"site listed twice in two spellings", testInstance("x", s.ID, strings.ToUpper(s.ID)), "sites[1].id"},
		{"unknown integration", oauth(unknownID, s.ID), "auth_integration_id"},
		{"integration id not a uuid", oauth("google", s.ID), "auth_integration_id"},
		{"site id is an integration id", testInstance("x", a.ID), "sites[0].id"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := db.CreateInstance(ctx, tc.in)
			wantCode(t, err, app.EInvalid, tc.param)
		})
	}
	if n := rawCount(t, db, "instances"); n != 0 {
		t.Errorf("instances after failed creates: got %d, want 0", n)
	}

	in := mustCreateInstance(t, db, oauth(a.ID, s.ID))
	_, err := db.UpdateInstance(ctx, in.ID, func(x *app.Instance) error {
		x.Sites = append(x.Sites, app.InstanceSite{ID: unknownID})
		return nil
	})
	wantCode(t, err, app.EInvalid, "sites[1].id")

	err = db.DeleteSite(ctx, s.ID)
	wantCode(t, err, app.EConflict, "")
	if want := `site is used by instance "o"; remove it from the instance first`; !strings.Contains(err.Error(), want) {
		t.Errorf("DeleteSite error: got %q, want it to contain %q", err, want)
	}
	err = db.DeleteAuthIntegration(ctx, a.ID)
	wantCode(t, err, app.EConflict, "")
	if want := `auth integration is used by instance "o"`; !strings.Contains(err.Error(), want) {
		t.Errorf("DeleteAuthIntegration error: got %q, want it to contain %q", err, want)
	}
}
