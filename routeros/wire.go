package routeros

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
)

// The RouterOS API word codec (docs/routeros.md §1). A word is its
// length, big-endian in 1 to 5 bytes depending on size, then its bytes; a
// sentence is a run of words ended by a zero-length word. This is gatehouse's
// own codec rather than go-routeros' proto package because that reader
// rejects the bare word a !fatal carries (§1), accepts the reserved
// control bytes and allocates whatever length a corrupt stream announces.

// maxWordLen bounds one received word. Hotspot values are tiny; 16 MiB keeps
// a corrupt length from reserving gigabytes.
const maxWordLen = 16 << 20

// maxSentenceWords bounds the words of one received sentence.
const maxSentenceWords = 1 << 16

var (
	errControlByte  = errors.New("reserved control byte in word length")
	errWordTooLong  = errors.New("word longer than 16 MiB")
	errTooManyWords = errors.New("sentence with too many words")
)

// appendWord appends one length-prefixed word to b.
func appendWord(b []byte, w string) []byte {
	return append(appendLength(b, len(w)), w...)
}

// appendLength appends the encoding of a word length n to b.
func appendLength(b []byte, n int) []byte {
	switch {
	case n < 0x80:
		return append(b, byte(n))
	case n < 0x4000:
		return append(b, byte(n>>8)|0x80, byte(n))
	case n < 0x200000:
		return append(b, byte(n>>16)|0xC0, byte(n>>8), byte(n))
	case n < 0x10000000:
		return append(b, byte(n>>24)|0xE0, byte(n>>16), byte(n>>8), byte(n))
	default:
		return append(b, 0xF0, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	}
}

// appendSentence appends the words and the terminating empty word to b.
func appendSentence(b []byte, words ...string) []byte {
	for _, w := range words {
		b = appendWord(b, w)
	}
	return append(b, 0)
}

// sentence is one reply sentence: the reply word (!re, !done, !trap,
// !fatal, !empty), its .tag, its =name=value attributes and any other words
// (a !fatal's bare reason).
type sentence struct {
	word  string
	tag   string
	attrs map[string]string
	bare  []string
}

// wireReader reads sentences from a connection.
type wireReader struct {
	br      *bufio.Reader
	scratch []byte
}

func newWireReader(r io.Reader) *wireReader {
	return &wireReader{br: bufio.NewReaderSize(r, 64<<10)}
}

// readSentence reads the next non-empty sentence. io.EOF means the stream
// ended cleanly between sentences; a stream that ends inside a sentence
// gives io.ErrUnexpectedEOF.
func (r *wireReader) readSentence() (sentence, error) {
	var s sentence
	words := 0
	for {
		w, err := r.readWord()
		if err != nil {
			if words > 0 && err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return sentence{}, err
		}
		if w == "" {
			if words == 0 {
				continue // empty sentences are ignored
			}
			return s, nil
		}
		if words++; words > maxSentenceWords {
			return sentence{}, errTooManyWords
		}
		switch {
		case words == 1:
			s.word = w
		case strings.HasPrefix(w, ".tag="):
			s.tag = w[len(".tag="):]
		case strings.HasPrefix(w, "="):
			k, v, _ := strings.Cut(w[1:], "=")
			if s.attrs == nil {
				s.attrs = make(map[string]string)
			}
			s.attrs[k] = v
		default:
			s.bare = append(s.bare, w)
		}
	}
}

// readWord reads one word; the empty string is the end of a sentence.
func (r *wireReader) readWord() (string, error) {
	n, err := r.readLength()
	if err != nil || n == 0 {
		return "", err
	}
	if n > maxWordLen {
		return "", errWordTooLong
	}
	if cap(r.scratch) < n {
		r.scratch = make([]byte, n)
	}
	buf := r.scratch[:n]
	if _, err := io.ReadFull(r.br, buf); err != nil {
		return "", unexpectedEOF(err)
	}
	return string(buf), nil
}

// readLength decodes one word length. A first byte of 0xF8 or more is a
// reserved control byte after which the stream cannot be parsed.
func (r *wireReader) readLength() (int, error) {
	c, err := r.br.ReadByte()
	if err != nil {
		return 0, err
	}
	var extra int
	var n uint32
	switch {
	case c < 0x80:
		return int(c), nil
	case c < 0xC0:
		extra, n = 1, uint32(c&0x3F)
	case c < 0xE0:
		extra, n = 2, uint32(c&0x1F)
	case c < 0xF0:
		extra, n = 3, uint32(c&0x0F)
	case c < 0xF8:
		extra = 4
	default:
		return 0, fmt.Errorf("%w 0x%02X", errControlByte, c)
	}
	for range extra {
		c, err = r.br.ReadByte()
		if err != nil {
			return 0, unexpectedEOF(err)
		}
		n = n<<8 | uint32(c)
	}
	return int(n), nil
}

func unexpectedEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}
