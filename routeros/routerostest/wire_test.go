package routerostest

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/go-routeros/routeros/v3/proto"
)

func TestLengthForms(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want []byte
	}{
		{0, []byte{0x00}},
		{0x7F, []byte{0x7F}},
		{0x80, []byte{0x80, 0x80}},
		{0x3FFF, []byte{0xBF, 0xFF}},
		{0x4000, []byte{0xC0, 0x40, 0x00}},
		{0x1FFFFF, []byte{0xDF, 0xFF, 0xFF}},
		{0x200000, []byte{0xE0, 0x20, 0x00, 0x00}},
		{0xFFFFFFF, []byte{0xEF, 0xFF, 0xFF, 0xFF}},
		{0x10000000, []byte{0xF0, 0x10, 0x00, 0x00, 0x00}},
		{0x7FFFFFFF, []byte{0xF0, 0x7F, 0xFF, 0xFF, 0xFF}},
	} {
		got := appendLength(nil, tc.n)
		if !bytes.Equal(got, tc.want) {
			t.Errorf("appendLength(%#x) = % x, want % x", tc.n, got, tc.want)
		}
		n, err := readLength(bufio.NewReader(bytes.NewReader(tc.want)))
		if err != nil || n != tc.n {
			t.Errorf("readLength(% x) = %#x, %v, want %#x", tc.want, n, err, tc.n)
		}
	}
}

func TestControlByte(t *testing.T) {
	for _, b := range []byte{0xF8, 0xFF} {
		_, err := readSentence(bufio.NewReader(bytes.NewReader([]byte{b, 1, 2})))
		if !errors.Is(err, errControlByte) {
			t.Errorf("first byte %#x: got %v, want errControlByte", b, err)
		}
	}
}

// TestCodecMatchesGoRouterOS checks both directions against go-routeros'
// proto package for words of each length form the library can produce.
func TestCodecMatchesGoRouterOS(t *testing.T) {
	words := []string{"/ip/hotspot/user/add", "=name=ü", "=comment=" + strings.Repeat("x", 0x80),
		"=a=" + strings.Repeat("y", 0x4000), "=b=" + strings.Repeat("z", 0x200000), ".tag=7"}
	var buf bytes.Buffer
	w := proto.NewWriter(&buf)
	w.BeginSentence()
	for _, word := range words {
		w.WriteWord(word)
	}
	if err := w.EndSentence(); err != nil {
		t.Fatal(err)
	}
	if want := appendSentence(nil, words...); !bytes.Equal(buf.Bytes(), want) {
		t.Fatal("encoding differs from go-routeros proto.Writer")
	}
	got, err := readSentence(bufio.NewReader(&buf))
	if err != nil || !slices.Equal(got, words) {
		t.Fatalf("readSentence = %d words, %v; want %d words", len(got), err, len(words))
	}

	reply := appendSentence(nil, "!re", ".tag=x", "=name="+strings.Repeat("n", 0x4001), "=x=a=b")
	sen, err := proto.NewReader(bytes.NewReader(reply)).ReadSentence()
	if err != nil {
		t.Fatal(err)
	}
	if sen.Word != "!re" || sen.Tag != "x" || len(sen.Map["name"]) != 0x4001 || sen.Map["x"] != "a=b" {
		t.Fatalf("go-routeros read %v", sen)
	}
}

func TestReadSentenceEdges(t *testing.T) {
	br := bufio.NewReader(bytes.NewReader([]byte{0, 2, 'a', 'b', 0}))
	if s, err := readSentence(br); err != nil || s != nil {
		t.Fatalf("empty sentence: got %q, %v", s, err)
	}
	if s, err := readSentence(br); err != nil || !slices.Equal(s, []string{"ab"}) {
		t.Fatalf("got %q, %v, want [ab]", s, err)
	}
	if _, err := readSentence(br); err != io.EOF {
		t.Fatalf("at end: got %v, want io.EOF", err)
	}
	// A word cut short, and a sentence without its terminator.
	for _, in := range [][]byte{{5, 'a'}, {1, 'a'}, {0x80}} {
		if _, err := readSentence(bufio.NewReader(bytes.NewReader(in))); err != io.ErrUnexpectedEOF {
			t.Errorf("% x: got %v, want io.ErrUnexpectedEOF", in, err)
		}
	}
	// A huge announced length must fail without allocating it.
	if _, err := readSentence(bufio.NewReader(bytes.NewReader([]byte{0xF0, 0x7F, 0, 0, 0}))); !errors.Is(err, errWordTooLong) {
		t.Errorf("huge word: got %v", err)
	}
}

func FuzzReadSentence(f *testing.F) {
	f.Add(appendSentence(nil, "/login", "=name=admin", "=password="))
	f.Add(appendSentence(nil, "/ip/hotspot/user/print", "?name=a", "?#|!", ".tag=1"))
	f.Add([]byte{0x80, 0x81, 'x'})
	f.Add([]byte{0xC0, 0x00, 0x01, 'x', 0})
	f.Add([]byte{0xE0, 0x00, 0x00, 0x01, 'x', 0})
	f.Add([]byte{0xF0, 0x00, 0x00, 0x00, 0x01, 'x', 0})
	f.Add([]byte{0xF8})
	f.Fuzz(func(t *testing.T, data []byte) {
		br := bufio.NewReader(bytes.NewReader(data))
		var all [][]string
		for range len(data) + 1 { // each sentence consumes at least one byte
			s, err := readSentence(br)
			if err != nil {
				break
			}
			all = append(all, s)
		}
		// Whatever was read must survive a round trip.
		var enc []byte
		for _, s := range all {
			enc = appendSentence(enc, s...)
		}
		br = bufio.NewReader(bytes.NewReader(enc))
		for i, want := range all {
			got, err := readSentence(br)
			if err != nil || !slices.Equal(got, want) {
				t.Fatalf("sentence %d: round trip got %q, %v, want %q", i, got, err, want)
			}
		}
		// And the command parser must cope with it.
		for _, s := range all {
			if len(s) > 0 {
				req := parseRequest(s)
				req.path()
				for _, q := range req.queries {
					var st stack
					st.ops(q.val)
				}
			}
		}
	})
}
