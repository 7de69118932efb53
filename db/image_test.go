package db

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"

	"gatehouse/app"
)

// testPNG returns a w×h PNG whose pixels depend on seed, so two seeds give
// two different files.
func testPNG(tb testing.TB, w, h int, seed uint8) []byte {
	tb.Helper()
	img := image.NewGray(image.Rect(0, 0, w, h))
	img.SetGray(0, 0, color.Gray{Y: seed})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func TestPutImage(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	in := mustCreateInstance(t, db, testInstance("Guests"))
	other := mustCreateInstance(t, db, testInstance("Other"))

	logo := testPNG(t, 240, 80, 1)
	got, err := db.PutImage(ctx, strings.ToUpper(in.ID), app.ImageLogo, logo)
	if err != nil {
		t.Fatalf("PutImage: %v", err)
	}
	if got.InstanceID != in.ID || got.ContentType != "image/png" || got.Width != 240 || got.Height != 80 ||
		got.Size != len(logo) || got.Data != nil || got.UpdatedAt.IsZero() {
		t.Errorf("PutImage: got %+v", got)
	}

	stored, err := db.Image(ctx, in.ID, app.ImageLogo)
	if err != nil {
		t.Fatalf("Image: %v", err)
	}
	if !bytes.Equal(stored.Data, logo) || stored.SHA256 != got.SHA256 || stored.Width != 240 || !stored.UpdatedAt.Equal(got.UpdatedAt) {
		t.Errorf("Image: got %+v, want the uploaded bytes", stored)
	}

	// The instance now knows its logo version, alone and in the list.
	loaded, err := db.Instance(ctx, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	if loaded.LogoVersion != got.Version() || loaded.IconVersion != "" || !loaded.UpdatedAt.Equal(got.UpdatedAt) {
		t.Errorf("Instance: logo %q icon %q updated %v, want logo %q, no icon, updated %v",
			loaded.LogoVersion, loaded.IconVersion, loaded.UpdatedAt, got.Version(), got.UpdatedAt)
	}
	list, err := db.ListInstances(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, li := range list {
		want := ""
		if li.ID == in.ID {
			want = got.Version()
		}
		if li.LogoVersion != want || li.IconVersion != "" {
			t.Errorf("ListInstances %s: logo %q icon %q, want logo %q", li.Name, li.LogoVersion, li.IconVersion, want)
		}
	}

	// Re-upload replaces; the icon is separate.
	logo2 := testPNG(t, 300, 100, 2)
	got2, err := db.PutImage(ctx, in.ID, app.ImageLogo, logo2)
	if err != nil {
		t.Fatal(err)
	}
	if got2.Version() == got.Version() {
		t.Fatalf("re-upload kept version %s", got.Version())
	}
	if _, err := db.PutImage(ctx, in.ID, app.ImageIcon, testPNG(t, 64, 64, 3)); err != nil {
		t.Fatal(err)
	}
	if n := rawCount(t, db, "instance_images"); n != 2 {
		t.Errorf("instance_images rows: got %d, want 2", n)
	}
	stored, _ = db.Image(ctx, in.ID, app.ImageLogo)
	if !bytes.Equal(stored.Data, logo2) || stored.Width != 300 {
		t.Errorf("after re-upload: got %dx%d, want the new 300x100 logo", stored.Width, stored.Height)
	}
	loaded, _ = db.Instance(ctx, in.ID)
	if loaded.LogoVersion != got2.Version() || loaded.IconVersion == "" {
		t.Errorf("after re-upload: logo %q icon %q", loaded.LogoVersion, loaded.IconVersion)
	}

	// An update of the instance keeps the images.
	updated, err := db.UpdateInstance(ctx, in.ID, func(in *app.Instance) error { in.Name = "Renamed"; return nil })
	if err != nil || updated.LogoVersion != got2.Version() {
		t.Errorf("UpdateInstance: logo %q, err %v; want %q", updated.LogoVersion, err, got2.Version())
	}

	// Missing images and instances.
	_, err = db.Image(ctx, other.ID, app.ImageLogo)
	wantCode(t, err, app.ENotFound, "")
	_, err = db.Image(ctx, in.ID, "banner")
	wantCode(t, err, app.ENotFound, "")
	_, err = db.Image(ctx, "not-a-uuid", app.ImageLogo)
	wantCode(t, err, app.ENotFound, "")
	_, err = db.PutImage(ctx, unknownID, app.ImageLogo, logo)
	wantCode(t, err, app.ENotFound, "")
	_, err = db.PutImage(ctx, "not-a-uuid", app.ImageLogo, logo)
	wantCode(t, err, app.ENotFound, "")

	// Deleting the instance deletes its images.
	if err := db.DeleteInstance(ctx, in.ID); err != nil {
		t.Fatal(err)
	}
	if n := rawCount(t, db, "instance_images"); n != 0 {
		t.Errorf("instance_images rows after delete: got %d, want 0", n)
	}
}

func TestPutImageRefused(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	in := mustCreateInstance(t, db, testInstance("Guests"))
	good := testPNG(t, 240, 80, 1)
	if _, err := db.PutImage(ctx, in.ID, app.ImageLogo, good); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, typ string
		data      []byte
		code      string
		param     string
	}{
		{"too small", app.ImageLogo, testPNG(t, 100, 80, 2), app.EInvalid, "file"},
		{"not square", app.ImageIcon, testPNG(t, 64, 32, 2), app.EInvalid, "file"},
		{"not an image", app.ImageLogo, []byte("GIF? no."), app.EInvalid, "file"},
		{"unknown type", "banner", good, app.EInvalid, "type"},
		{"too large", app.ImageLogo, append(testPNG(t, 240, 80, 2), make([]byte, app.MaxImageSize)...), app.ETooLarge, "file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := db.PutImage(ctx, in.ID, tc.typ, tc.data)
			wantCode(t, err, tc.code, tc.param)
		})
	}
	// Nothing changed.
	stored, err := db.Image(ctx, in.ID, app.ImageLogo)
	if err != nil || !bytes.Equal(stored.Data, good) {
		t.Fatalf("after refused uploads: %v, logo changed", err)
	}
	if n := rawCount(t, db, "instance_images"); n != 1 {
		t.Errorf("instance_images rows: got %d, want 1", n)
	}
}
