package routeros

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

func TestWordLengths(t *testing.T) {
	tests := []struct {
		n      int
		prefix []byte
	}{
		{0x00, []byte{0x00}},
		{0x7F, []byte{0x7F}},
		{0x80, []byte{0x80, 0x80}},
		{0x3FFF, []byte{0xBF, 0xFF}},
		{0x4000, []byte{0xC0, 0x40, 0x00}},
		{0x1FFFFF, []byte{0xDF, 0xFF, 0xFF}},
		{0x200000, []byte{0xE0, 0x20, 0x00, 0x00}},
	}
	for _, tt := range tests {
		w := strings.Repeat("x", tt.n)
		b := appendWord(nil, w)
		if !bytes.HasPrefix(b, tt.prefix) || len(b) != len(tt.prefix)+tt.n {
			t.Errorf("length %#x: got prefix % X, want % X", tt.n, b[:min(len(b), 5)], tt.prefix)
			continue
		}
		if tt.n < 3 {
			continue
		}
		v := w[3:] // "=k=" + v is tt.n bytes long
		s, err := newWireReader(bytes.NewReader(appendSentence(nil, "!re", "=k="+v))).readSentence()
		if err != nil || s.attrs["k"] != v {
			t.Errorf("length %#x: read back %d bytes, %v", tt.n, len(s.attrs["k"]), err)
		}
	}
	if b := appendLength(nil, 0x10000000); !bytes.Equal(b, []byte{0xF0, 0x10, 0, 0, 0}) {
		t.Errorf("length 0x10000000: got % X", b)
	}
	if b := appendLength(nil, 0xFFFFFFF); !bytes.Equal(b, []byte{0xEF, 0xFF, 0xFF, 0xFF}) {
		t.Errorf("length 0xFFFFFFF: got % X", b)
	}
}

func TestReadSentence(t *testing.T) {
	var in []byte
	in = append(in, 0, 0) // empty sentences are skipped
	in = appendSentence(in, "!re", ".tag=a1", "=.id=*1", "=name=x=y", "=comment=", "=flag")
	in = appendSentence(in, "!fatal", "session terminated on request")
	rd := newWireReader(bytes.NewReader(in))

	s, err := rd.readSentence()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{".id": "*1", "name": "x=y", "comment": "", "flag": ""}
	if s.word != "!re" || s.tag != "a1" || len(s.attrs) != len(want) {
		t.Fatalf("got %+v", s)
	}
	for k, v := range want {
		if got, ok := s.attrs[k]; !ok || got != v {
			t.Errorf("attr %q: got %q, %v; want %q", k, got, ok, v)
		}
	}
	s, err = rd.readSentence()
	if err != nil || s.word != "!fatal" || fatal(s).Error() != "router closed the session: session terminated on request" {
		t.Errorf("fatal: got %+v, %v", s, err)
	}
	if _, err := rd.readSentence(); err != io.EOF {
		t.Errorf("at the end: got %v, want io.EOF", err)
	}

	cut := appendSentence(nil, "!done", "=ret=*1")
	if _, err := newWireReader(bytes.NewReader(cut[:len(cut)-3])).readSentence(); err != io.ErrUnexpectedEOF {
		t.Errorf("truncated: got %v, want io.ErrUnexpectedEOF", err)
	}
	if _, err := newWireReader(bytes.NewReader([]byte{0xF8})).readSentence(); !errors.Is(err, errControlByte) {
		t.Errorf("control byte: got %v", err)
	}
	if _, err := newWireReader(bytes.NewReader([]byte{0xF0, 0x7F, 0, 0, 0})).readSentence(); err != errWordTooLong {
		t.Errorf("huge word: got %v", err)
	}
}

func FuzzReadSentence(f *testing.F) {
	f.Add(appendSentence(nil, "!re", ".tag=1", "=name=a"))
	f.Add(appendSentence(nil, "!fatal", "bye"))
	f.Add([]byte{0xC0, 0x40})
	f.Fuzz(func(t *testing.T, b []byte) {
		rd := newWireReader(bytes.NewReader(b))
		for range 100 {
			s, err := rd.readSentence()
			if err != nil {
				return
			}
			if s.word == "" {
				t.Fatalf("sentence without reply word: %+v", s)
			}
		}
	})
}

func TestBackoffDelay(t *testing.T) {
	b := backoff{min: 500 * time.Millisecond, max: 30 * time.Second}
	want := []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second,
		8 * time.Second, 16 * time.Second, 30 * time.Second, 30 * time.Second}
	for i, w := range want {
		if got := b.delay(i + 1); got != w {
			t.Errorf("after %d failures: got %v, want %v", i+1, got, w)
		}
	}
	if got := b.delay(1000); got != 30*time.Second {
		t.Errorf("after 1000 failures: got %v", got)
	}

	start := time.Now()
	if n := b.failed(start, io.EOF); n != 1 {
		t.Errorf("first failure counted %d", n)
	}
	if n := b.failed(start, io.EOF); n != 1 {
		t.Errorf("an overlapping attempt counted again: %d", n)
	}
	if err := b.check(time.Now(), "r:8728"); err == nil {
		t.Error("no error while backing off")
	}
	if n := b.succeeded(); n != 1 || b.check(time.Now(), "r:8728") != nil {
		t.Errorf("succeeded: ended %d failures, check %v", n, b.check(time.Now(), "r:8728"))
	}
}

func TestCheckWords(t *testing.T) {
	for _, words := range [][]string{
		{"/ip/hotspot/user/add", "=name=a", "=comment=", "?x"},
		{"/system/identity/print"},
	} {
		if err := checkWords(words); err != nil {
			t.Errorf("%q: %v", words, err)
		}
	}
	for _, words := range [][]string{nil, {""}, {"print"}, {"/x", ""}, {"/x", ".tag=1"}} {
		if err := checkWords(words); err == nil {
			t.Errorf("%q: accepted", words)
		}
	}
}
