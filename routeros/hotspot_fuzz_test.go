package routeros

import (
	"bytes"
	"testing"
	"time"
)

// FuzzParseDuration feeds arbitrary text to the reader of RouterOS
// durations, which reads what the router prints for limit-uptime and
// session-timeout: it must not panic, must refuse what is not a duration
// rather than return a negative or wrapped-around one, and what it
// accepts must survive a round trip through formatDuration.
func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"1h", "12h", "1w2d3h4m5s", "00:20:00", "1d 00:00:00", "2d03:04:05", "3600", "300ms",
		"0s", "none", "", "1x", "1d:", "::", "1:2", "1w 1d 01:02:03", "5m30s500ms"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := parseDuration(s)
		if !ok {
			if d != 0 {
				t.Fatalf("parseDuration(%q) = %v, false; want 0 with false", s, d)
			}
			return
		}
		if d < 0 {
			t.Fatalf("parseDuration(%q) = %v, true: a negative (or overflowed) duration", s, d)
		}
		printed := formatDuration(d)
		back, ok := parseDuration(printed)
		if !ok || back != d.Truncate(time.Second) {
			t.Fatalf("parseDuration(%q) = %v; formatDuration gives %q, which reads back as %v %v", s, d, printed, back, ok)
		}
	})
}

// FuzzSentenceRoundTrip writes fuzzed words as a reply sentence and reads
// it back: the reply word, the tag and every =name=value attribute (the
// last one of a name) must come back unchanged, whatever bytes they hold.
func FuzzSentenceRoundTrip(f *testing.F) {
	f.Add("!re", "1", "name", "a=b", "comment", "")
	f.Add("!trap", "", "message", "failure: already have such name", "category", "1")
	f.Add("!done", "t", "ret", "*1", "", "")
	f.Add("!fatal", "", "x", string(bytes.Repeat([]byte{0xFF}, 200)), "y", "\x00")
	f.Fuzz(func(t *testing.T, word, tag, k1, v1, k2, v2 string) {
		if word == "" || word[0] == '=' || word[0] == '.' {
			return // the reply word is never empty, an attribute or a tag
		}
		words := []string{word}
		if tag != "" {
			words = append(words, ".tag="+tag)
		}
		want := map[string]string{}
		for _, kv := range [][2]string{{k1, v1}, {k2, v2}} {
			if kv[0] == "" || bytes.IndexByte([]byte(kv[0]), '=') >= 0 {
				continue // names hold no '='
			}
			words = append(words, "="+kv[0]+"="+kv[1])
			want[kv[0]] = kv[1]
		}
		s, err := newWireReader(bytes.NewReader(appendSentence(nil, words...))).readSentence()
		if err != nil {
			t.Fatalf("read back %q: %v", words, err)
		}
		if s.word != word || s.tag != tag || len(s.attrs) != len(want) {
			t.Fatalf("wrote %q, read %+v", words, s)
		}
		for k, v := range want {
			if s.attrs[k] != v {
				t.Fatalf("attribute %q: wrote %q, read %q", k, v, s.attrs[k])
			}
		}
	})
}
