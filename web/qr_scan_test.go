package web

import (
	"image"
	"image/color"
	"regexp"
	"strconv"
	"testing"

	"github.com/makiuchi-d/gozxing"
	qrdecode "github.com/makiuchi-d/gozxing/qrcode"
)

// TestQRCodeScans draws the SVG a card gets back into pixels (following
// its path: a stroked segment per horizontal run of dark modules) and
// reads it with an independent QR decoder: what a phone's camera sees
// must be the portal link.
func TestQRCodeScans(t *testing.T) {
	for _, text := range []string{
		"http://gatehouse.test/portal/0190c0de-0000-7000-8000-000000000001?code=8B7W3D",
		"https://wifi.example.com:8443/portal/0190c0de-0000-7000-8000-000000000001?code=ABCDEFGHJKMNPQRS",
		// A card whose hotspot is known opens the hotspot's login page.
		"http://login.seaside-hotel.example/login?dst=https%3A%2F%2Fwifi.example.com%3A8443%2Fportal%2F0190c0de-0000-7000-8000-000000000001" +
			"&password=ABCDEFGHJKMNPQRS&username=ABCDEFGHJKMNPQRS",
	} {
		modules, err := qrModules(text)
		if err != nil {
			t.Fatal(err)
		}
		img := rasterSVG(t, qrSVG(modules), len(modules)+2*qrQuietZone, 6)
		bmp, err := gozxing.NewBinaryBitmapFromImage(img)
		if err != nil {
			t.Fatal(err)
		}
		got, err := qrdecode.NewQRCodeReader().Decode(bmp, nil)
		if err != nil {
			t.Fatalf("%q: the drawn code does not scan: %v", text, err)
		}
		if got.GetText() != text {
			t.Fatalf("scanned %q, want %q", got.GetText(), text)
		}
	}
}

var svgPathData = regexp.MustCompile(` d="([^"]*)"`)
var svgPathOp = regexp.MustCompile(`([Mmh])(-?[0-9.]+)(?: (-?[0-9.]+))?`)

// rasterSVG paints qrSVG's path on a white square of size modules, each
// module scale pixels wide.
func rasterSVG(t *testing.T, svg string, size, scale int) image.Image {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, size*scale, size*scale))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	m := svgPathData.FindStringSubmatch(svg)
	if m == nil {
		t.Fatalf("no path in %s", svg)
	}
	var x, y float64
	for _, op := range svgPathOp.FindAllStringSubmatch(m[1], -1) {
		a, _ := strconv.ParseFloat(op[2], 64)
		b, _ := strconv.ParseFloat(op[3], 64)
		switch op[1] {
		case "M":
			x, y = a, b
		case "m":
			x, y = x+a, y+b
		case "h": // a stroke one module high, centred on y
			for px := int(x * float64(scale)); px < int((x+a)*float64(scale)); px++ {
				for py := int((y - 0.5) * float64(scale)); py < int((y+0.5)*float64(scale)); py++ {
					img.SetGray(px, py, color.Gray{})
				}
			}
			x += a
		}
	}
	return img
}
