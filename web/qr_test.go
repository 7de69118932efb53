package web

import (
	"context"
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/boombuler/barcode/qr"
)

func TestQRModules(t *testing.T) {
	for _, text := range []string{
		"A",
		"http://gatehouse.test/portal/0190c0de-0000-7000-8000-000000000001?code=8B7W3D",
		"https://wifi.example.com/portal/0190c0de-0000-7000-8000-000000000001?code=" + strings.Repeat("ABCDEFGH", 30),
		"Café ☕ Wi-Fi",
	} {
		t.Run(fmt.Sprintf("%d chars", len(text)), func(t *testing.T) {
			m, err := qrModules(text)
			if err != nil {
				t.Fatal(err)
			}
			code, err := qr.Encode(text, qr.M, qr.Auto)
			if err != nil {
				t.Fatal(err)
			}
			n := code.Bounds().Dx()
			if len(m) != n || code.Bounds().Dy() != n {
				t.Fatalf("got %d rows, want the library's %d×%d", len(m), n, code.Bounds().Dy())
			}
			if (n-17)%4 != 0 || n < 21 {
				t.Fatalf("size %d is not a QR version's (21, 25, 29, ...)", n)
			}
			for y, row := range m {
				if len(row) != n {
					t.Fatalf("row %d has %d modules, want %d", y, len(row), n)
				}
			}
			for _, corner := range [][2]int{{0, 0}, {n - 7, 0}, {0, n - 7}} {
				if !finderAt(m, corner[0], corner[1]) {
					t.Errorf("no finder pattern at x=%d y=%d", corner[0], corner[1])
				}
			}
			if finderAt(m, n-7, n-7) {
				t.Errorf("a finder pattern in the bottom-right corner: the matrix is transposed or mirrored")
			}
		})
	}
}

// finderAt reports whether the 7×7 finder pattern (a dark ring, a light
// ring, a dark 3×3 centre) starts at x0, y0 with a light separator on its
// inner sides.
func finderAt(m [][]bool, x0, y0 int) bool {
	n := len(m)
	for y := -1; y <= 7; y++ {
		for x := -1; x <= 7; x++ {
			px, py := x0+x, y0+y
			if px < 0 || py < 0 || px >= n || py >= n {
				continue
			}
			ring := x == 0 || x == 6 || y == 0 || y == 6
			centre := x >= 2 && x <= 4 && y >= 2 && y <= 4
			inside := x >= 0 && x <= 6 && y >= 0 && y <= 6
			if m[py][px] != (inside && (ring || centre)) {
				return false
			}
		}
	}
	return true
}

func TestQRSVG(t *testing.T) {
	text := "http://gatehouse.test/portal/0190c0de-0000-7000-8000-000000000001?code=8B7W3D"
	m, err := qrModules(text)
	if err != nil {
		t.Fatal(err)
	}
	svg := qrSVG(m)
	if again := qrSVG(m); again != svg {
		t.Fatal("two renderings of one code differ")
	}
	if m2, _ := qrModules(text); qrSVG(m2) != svg {
		t.Fatal("two encodings of one text differ")
	}
	uri, err := qrDataURI(text)
	if err != nil {
		t.Fatal(err)
	}
	data, ok := strings.CutPrefix(uri, "data:image/svg+xml;base64,")
	if !ok {
		t.Fatalf("data URI starts %.40q", uri)
	}
	if decoded, err := base64.StdEncoding.DecodeString(data); err != nil || string(decoded) != svg {
		t.Fatalf("data URI does not hold the SVG: %v", err)
	}

	root, paths := parseSVG(t, svg)
	size := len(m) + 2*qrQuietZone
	if got, want := root["viewBox"], fmt.Sprintf("0 0 %d %d", size, size); got != want {
		t.Errorf("viewBox = %q, want %q", got, want)
	}
	if root["shape-rendering"] != "crispEdges" || root["width"] != "" || root["height"] != "" {
		t.Errorf("svg attributes = %v, want crispEdges and no width or height", root)
	}
	if len(paths) != 1 {
		t.Fatalf("%d paths, want one of the dark modules", len(paths))
	}
	// The path covers exactly the dark modules, shifted by the quiet zone.
	drawn := pathModules(t, paths[0], size)
	for y := range size {
		for x := range size {
			mx, my := x-qrQuietZone, y-qrQuietZone
			want := mx >= 0 && my >= 0 && mx < len(m) && my < len(m) && m[my][mx]
			if drawn[y][x] != want {
				t.Fatalf("module x=%d y=%d drawn %v, want %v", x, y, drawn[y][x], want)
			}
		}
	}
	if len(svg) > 8<<10 {
		t.Errorf("SVG of a portal link weighs %d bytes; want it compact", len(svg))
	}
}

func TestQRTooLong(t *testing.T) {
	if _, err := qrDataURI(strings.Repeat("x", 5000)); err == nil {
		t.Fatal("5000 bytes encoded; want an error (over a QR code's capacity)")
	}
	if _, err := qrDataURIs(t.Context(), []string{"a", strings.Repeat("x", 5000), "b"}); err == nil {
		t.Fatal("a sheet with one text too long encoded; want an error")
	}
}

func TestQRDataURIsKeepOrder(t *testing.T) {
	texts := make([]string, 40)
	for i := range texts {
		texts[i] = fmt.Sprintf("http://gatehouse.test/portal/x?code=CODE%02d", i)
	}
	got, err := qrDataURIs(t.Context(), texts)
	if err != nil {
		t.Fatal(err)
	}
	for i, text := range texts {
		want, err := qrDataURI(text)
		if err != nil {
			t.Fatal(err)
		}
		if got[i] != want {
			t.Fatalf("code %d is not the one of its text", i)
		}
	}
	if got, err := qrDataURIs(t.Context(), nil); err != nil || len(got) != 0 {
		t.Fatalf("no texts: %v, %v; want none", got, err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := qrDataURIs(ctx, texts); err == nil {
		t.Fatal("a cancelled request drew its codes; want the context's error")
	}
}

// parseSVG checks svg is well-formed XML with an <svg> root and returns
// the root's attributes and the d attributes of its paths.
func parseSVG(t *testing.T, svg string) (map[string]string, []string) {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(svg))
	dec.Strict = true
	var (
		root  map[string]string
		paths []string
		depth int
	)
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v\n%s", err, svg)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			attrs := map[string]string{}
			for _, a := range el.Attr {
				attrs[a.Name.Local] = a.Value
			}
			if depth == 0 {
				if el.Name.Local != "svg" || el.Name.Space != "http://www.w3.org/2000/svg" {
					t.Fatalf("root element = %v, want svg in the SVG namespace", el.Name)
				}
				root = attrs
			}
			if el.Name.Local == "path" {
				paths = append(paths, attrs["d"])
			}
			depth++
		case xml.EndElement:
			depth--
		}
	}
	if root == nil {
		t.Fatal("no root element")
	}
	return root, paths
}

// pathModules replays a path of one-module-wide horizontal strokes
// ("My.5hN" starts a row, "mD 0hN" moves on in it) onto a grid.
func pathModules(t *testing.T, d string, size int) [][]bool {
	t.Helper()
	grid := make([][]bool, size)
	for i := range grid {
		grid[i] = make([]bool, size)
	}
	x, y := 0, -1
	for _, seg := range regexp.MustCompile(`[Mm][^Mm]+`).FindAllString(d, -1) {
		var a, b, n int
		var err error
		if seg[0] == 'M' {
			_, err = fmt.Sscanf(seg, "M%d %d.5h%d", &a, &b, &n)
			x, y = a, b
		} else {
			_, err = fmt.Sscanf(seg, "m%d 0h%d", &a, &n)
			x += a
		}
		if err != nil || n < 1 || y < 0 || x < 0 || x+n > size || y >= size {
			t.Fatalf("path segment %q is not a stroke along a row inside the code: %v", seg, err)
		}
		for i := range n {
			if grid[y][x+i] {
				t.Fatalf("module x=%d y=%d drawn twice", x+i, y)
			}
			grid[y][x+i] = true
		}
		x += n
	}
	return grid
}

// BenchmarkQRDataURI is one card's QR code; a sheet of MaxCouponCards
// costs 500 of these.
func BenchmarkQRDataURI(b *testing.B) {
	link := "https://wifi.example.com/portal/0190c0de-0000-7000-8000-000000000001?code=8B7W3D"
	for b.Loop() {
		if _, err := qrDataURI(link); err != nil {
			b.Fatal(err)
		}
	}
}
