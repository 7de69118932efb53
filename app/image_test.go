package app

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// encodeImage returns a w×h image in format (png, jpeg or gif).
func encodeImage(tb testing.TB, format string, w, h int) []byte {
	tb.Helper()
	img := image.NewPaletted(image.Rect(0, 0, w, h), color.Palette{color.White, color.Black})
	var buf bytes.Buffer
	var err error
	switch format {
	case "png":
		err = png.Encode(&buf, img)
	case "jpeg":
		err = jpeg.Encode(&buf, img, nil)
	case "gif":
		err = gif.Encode(&buf, img, nil)
	}
	if err != nil {
		tb.Fatalf("encode %s: %v", format, err)
	}
	return buf.Bytes()
}

// pngHeader is the start of a PNG that claims w×h pixels: signature and a
// valid IHDR chunk, no pixel data.
func pngHeader(w, h uint32) []byte {
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 2 // 8-bit RGB
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	binary.Write(&b, binary.BigEndian, uint32(len(ihdr))) //nolint:errcheck // bytes.Buffer
	chunk := append([]byte("IHDR"), ihdr...)
	b.Write(chunk)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(chunk)) //nolint:errcheck // bytes.Buffer
	return b.Bytes()
}

func TestNewImage(t *testing.T) {
	tests := []struct {
		name, typ string
		data      []byte
		wantType  string // content type when valid
		code      string // error code when not
		param     string
	}{
		{"png logo", ImageLogo, encodeImage(t, "png", 240, 80), "image/png", "", ""},
		{"jpeg logo", ImageLogo, encodeImage(t, "jpeg", 120, 120), "image/jpeg", "", ""},
		{"gif logo", ImageLogo, encodeImage(t, "gif", 300, 100), "image/gif", "", ""},
		{"png icon", ImageIcon, encodeImage(t, "png", 32, 32), "image/png", "", ""},
		{"gif icon", ImageIcon, encodeImage(t, "gif", 64, 64), "image/gif", "", ""},
		{"logo too narrow", ImageLogo, encodeImage(t, "png", 119, 80), "", EInvalid, "file"},
		{"logo too low", ImageLogo, encodeImage(t, "png", 200, 79), "", EInvalid, "file"},
		{"icon not square", ImageIcon, encodeImage(t, "png", 64, 48), "", EInvalid, "file"},
		{"icon too small", ImageIcon, encodeImage(t, "jpeg", 31, 31), "", EInvalid, "file"},
		{"huge claimed size", ImageLogo, pngHeader(100000, 100000), "", EInvalid, "file"},
		{"just over max side", ImageIcon, pngHeader(MaxImageSide+1, MaxImageSide+1), "", EInvalid, "file"},
		{"max side header only", ImageIcon, pngHeader(MaxImageSide, MaxImageSide), "image/png", "", ""},
		{"text", ImageLogo, []byte("hello, this is not an image at all"), "", EInvalid, "file"},
		{"svg", ImageLogo, []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100"/>`), "", EInvalid, "file"},
		{"bmp", ImageLogo, append([]byte("BM"), make([]byte, 200)...), "", EInvalid, "file"},
		{"truncated png header", ImageLogo, pngHeader(200, 100)[:20], "", EInvalid, "file"},
		{"empty", ImageLogo, nil, "", EInvalid, "file"},
		{"too big", ImageLogo, append(encodeImage(t, "png", 200, 100), make([]byte, MaxImageSize)...), "", ETooLarge, "file"},
		{"unknown type", "banner", encodeImage(t, "png", 200, 100), "", EInvalid, "type"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			img, err := NewImage(tc.typ, tc.data)
			if tc.code != "" {
				e, ok := err.(*Error)
				if !ok || e.Code != tc.code || e.Param != tc.param {
					t.Fatalf("NewImage: got %v, want %s error on %q", err, tc.code, tc.param)
				}
				return
			}
			if err != nil {
				t.Fatalf("NewImage: got %v, want no error", err)
			}
			if img.ContentType != tc.wantType || img.Size != len(tc.data) || len(img.SHA256) != 64 || img.Type != tc.typ {
				t.Errorf("NewImage: got %+v, want %s of %d bytes", img, tc.wantType, len(tc.data))
			}
			if img.Version() != img.SHA256[:16] {
				t.Errorf("Version: got %q, want the first 16 hex digits of %s", img.Version(), img.SHA256)
			}
		})
	}
}

func TestNewImageDimensions(t *testing.T) {
	img, err := NewImage(ImageLogo, encodeImage(t, "gif", 321, 123))
	if err != nil {
		t.Fatal(err)
	}
	if img.Width != 321 || img.Height != 123 {
		t.Errorf("dimensions: got %dx%d, want 321x123", img.Width, img.Height)
	}
}

func TestImageURL(t *testing.T) {
	now := time.Date(2026, 3, 1, 10, 30, 0, 0, time.UTC)
	l := &LinkSigner{BaseURL: "http://gh.test/", Key: bytes.Repeat([]byte{7}, 32), Now: func() time.Time { return now }}
	link := l.ImageURL("0190c0de-0000-7000-8000-000000000001", ImageLogo, "abcdef0123456789")
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	if want := "/portal/0190c0de-0000-7000-8000-000000000001/images/logo"; u.Path != want || u.Host != "gh.test" {
		t.Fatalf("link %s: want host gh.test and path %s", link, want)
	}
	if err := l.Verify("GET", u.Path, u.Query(), "v"); err != nil {
		t.Fatalf("Verify(own link): %v", err)
	}
	want := time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC).Unix() // now+7d, rounded up to a day
	if exp := u.Query().Get("expires"); exp != strconv.FormatInt(want, 10) {
		t.Errorf("expires: got %s, want %d", exp, want)
	}

	// The link stays the same for the rest of the day.
	now = now.Add(13 * time.Hour)
	if again := l.ImageURL("0190c0de-0000-7000-8000-000000000001", ImageLogo, "abcdef0123456789"); again != link {
		t.Errorf("link changed within the day:\n%s\n%s", link, again)
	}

	// Another version or type is another signature.
	q := u.Query()
	q.Set("v", "0000000000000000")
	if err := l.Verify("GET", u.Path, q, "v"); ErrorCode(err) != EForbidden {
		t.Errorf("Verify(changed v): got %v, want forbidden", err)
	}
	if err := l.Verify("GET", strings.Replace(u.Path, "logo", "icon", 1), u.Query(), "v"); ErrorCode(err) != EForbidden {
		t.Errorf("Verify(changed type): got %v, want forbidden", err)
	}

	// Eight days later it has expired.
	now = now.Add(8 * 24 * time.Hour)
	if err := l.Verify("GET", u.Path, u.Query(), "v"); err == nil || err.(*Error).Reason != ReasonSignatureExpired {
		t.Errorf("Verify(after 8 days): got %v, want signature_expired", err)
	}
}

// FuzzNewImage feeds arbitrary bytes to NewImage: nothing may panic, and
// whatever it accepts must respect the limits of its type.
func FuzzNewImage(f *testing.F) {
	f.Add(encodeImage(f, "png", 40, 40))
	f.Add(encodeImage(f, "jpeg", 40, 40))
	f.Add(encodeImage(f, "gif", 40, 40))
	f.Add(pngHeader(64, 64))
	f.Add([]byte("GIF89a"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, typ := range []string{ImageLogo, ImageIcon} {
			img, err := NewImage(typ, data)
			if err != nil {
				if c := ErrorCode(err); c != EInvalid && c != ETooLarge {
					t.Fatalf("error %v has code %q", err, c)
				}
				continue
			}
			if img.Width > MaxImageSide || img.Height > MaxImageSide || img.Width < 1 || img.Height < 1 ||
				(typ == ImageIcon && img.Width != img.Height) {
				t.Fatalf("accepted a %dx%d %s", img.Width, img.Height, typ)
			}
			switch img.ContentType {
			case "image/png", "image/jpeg", "image/gif":
			default:
				t.Fatalf("accepted content type %q", img.ContentType)
			}
		}
	})
}
