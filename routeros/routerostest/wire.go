package routerostest

import (
	"bufio"
	"errors"
	"fmt"
	"io"
)

// The RouterOS API word codec (docs/routeros.md §1): a word is its length,
// big-endian in 1 to 5 bytes depending on size, followed by the bytes; a
// sentence is a run of words ended by a zero-length word.

// maxWordLen bounds a single word the fake accepts. RouterOS has its own
// (undocumented) limits; 16 MiB is far above anything a hotspot client sends
// and keeps a corrupt length from reserving gigabytes.
const maxWordLen = 16 << 20

// maxSentenceWords bounds the words of one sentence for the same reason.
const maxSentenceWords = 1 << 16

var (
	errControlByte  = errors.New("routerostest: reserved control byte in word length")
	errWordTooLong  = errors.New("routerostest: word too long")
	errTooManyWords = errors.New("routerostest: too many words in sentence")
)

// appendLength appends the encoded length n to b.
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

// appendWord appends one length-prefixed word to b.
func appendWord(b []byte, w string) []byte {
	return append(appendLength(b, len(w)), w...)
}

// appendSentence appends the words and the terminating empty word to b.
func appendSentence(b []byte, words ...string) []byte {
	for _, w := range words {
		b = appendWord(b, w)
	}
	return append(b, 0)
}

// readLength decodes one word length. A first byte of 0xF8 or more is a
// reserved control byte after which the stream cannot be parsed.
func readLength(br *bufio.Reader) (int, error) {
	c, err := br.ReadByte()
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
		extra, n = 4, 0
	default:
		return 0, fmt.Errorf("%w 0x%02X", errControlByte, c)
	}
	for range extra {
		c, err = br.ReadByte()
		if err != nil {
			return 0, unexpectedEOF(err)
		}
		n = n<<8 | uint32(c)
	}
	return int(n), nil
}

// readWord reads one word. Memory grows with the bytes actually received,
// not with the announced length.
func readWord(br *bufio.Reader) ([]byte, error) {
	n, err := readLength(br)
	if err != nil {
		return nil, err
	}
	if n > maxWordLen {
		return nil, errWordTooLong
	}
	const chunk = 64 << 10
	buf := make([]byte, 0, min(n, chunk))
	for len(buf) < n {
		k := min(n-len(buf), chunk)
		start := len(buf)
		buf = append(buf, make([]byte, k)...)
		if _, err := io.ReadFull(br, buf[start:]); err != nil {
			return nil, unexpectedEOF(err)
		}
	}
	return buf, nil
}

// readSentence reads words up to the empty word that ends a sentence. An
// empty sentence (a lone empty word) returns a nil slice and no error. io.EOF
// is returned only when the stream ends cleanly between sentences.
func readSentence(br *bufio.Reader) ([]string, error) {
	var words []string
	for {
		w, err := readWord(br)
		if err != nil {
			if len(words) > 0 {
				err = unexpectedEOF(err)
			}
			return nil, err
		}
		if len(w) == 0 {
			return words, nil
		}
		if len(words) == maxSentenceWords {
			return nil, errTooManyWords
		}
		words = append(words, string(w))
	}
}

func unexpectedEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}
