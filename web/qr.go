package web

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/boombuler/barcode/qr"
)

// qrQuietZone is the blank margin around a QR code, in modules; the
// standard asks for four.
const qrQuietZone = 4

// qrDataURI returns a QR code of text as an SVG data URI
// (data:image/svg+xml;base64,...), for an <img> on a printed card.
func qrDataURI(text string) (string, error) {
	modules, err := qrModules(text)
	if err != nil {
		return "", err
	}
	return "data:image/svg+xml;base64," + base64.StdEncoding.EncodeToString([]byte(qrSVG(modules))), nil
}

// qrDataURIs is qrDataURI of each text, in order. The encoder takes about
// 2 ms a code (most of it choosing the mask), so a sheet of hundreds is
// drawn on GOMAXPROCS goroutines; it stops early when ctx ends.
func qrDataURIs(ctx context.Context, texts []string) ([]string, error) {
	out := make([]string, len(texts))
	errs := make([]error, len(texts))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(texts)) {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := int(next.Add(1)) - 1
				if i >= len(texts) {
					return
				}
				out[i], errs[i] = qrDataURI(texts[i])
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

// qrModules encodes text as a QR code (error correction M, the most
// compact encoding) and returns its modules: modules[y][x] is true for a
// dark module.
func qrModules(text string) ([][]bool, error) {
	code, err := qr.Encode(text, qr.M, qr.Auto)
	if err != nil {
		return nil, fmt.Errorf("encode QR code: %w", err)
	}
	b := code.Bounds()
	modules := make([][]bool, b.Dy())
	for y := range modules {
		modules[y] = make([]bool, b.Dx())
		for x := range modules[y] {
			r, g, bl, _ := code.At(b.Min.X+x, b.Min.Y+y).RGBA()
			modules[y][x] = r+g+bl < 3*0x8000 // dark
		}
	}
	return modules, nil
}

// qrSVG draws modules as a compact SVG: a white square with the quiet
// zone, and one path of the dark modules, stroked one module wide along
// the middle of each row, a segment per horizontal run. Its viewBox is in
// modules and it has no width or height, so it scales to any size;
// crispEdges keeps the modules sharp.
func qrSVG(modules [][]bool) string {
	size := strconv.Itoa(len(modules) + 2*qrQuietZone)
	var b strings.Builder
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ` + size + ` ` + size +
		`" shape-rendering="crispEdges"><rect width="` + size + `" height="` + size +
		`" fill="#fff"/><path fill="none" stroke="#000" stroke-width="1" d="`)
	for y, row := range modules {
		end := -1 // where the pen stopped in this row; -1 before the first run
		for x := 0; x < len(row); {
			if !row[x] {
				x++
				continue
			}
			run := 1
			for x+run < len(row) && row[x+run] {
				run++
			}
			if end < 0 {
				b.WriteString("M" + strconv.Itoa(x+qrQuietZone) + " " + strconv.Itoa(y+qrQuietZone) + ".5")
			} else {
				b.WriteString("m" + strconv.Itoa(x-end) + " 0")
			}
			b.WriteString("h" + strconv.Itoa(run))
			x += run
			end = x
		}
	}
	b.WriteString(`"/></svg>`)
	return b.String()
}
