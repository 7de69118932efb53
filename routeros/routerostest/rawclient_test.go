package routerostest_test

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"slices"
	"testing"
	"time"

	"gatehouse/routeros/routerostest"
)

// rawConn is a minimal RouterOS API client, independent of the fake's and
// go-routeros' codecs, for checking exact reply sentences, tags and
// pipelining.
type rawConn struct {
	t  testing.TB
	nc net.Conn
	br *bufio.Reader
}

func dialRaw(t testing.TB, r *routerostest.Router) *rawConn {
	t.Helper()
	nc, err := net.Dial("tcp", r.Addr())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nc.Close() })
	nc.SetDeadline(time.Now().Add(10 * time.Second))
	return &rawConn{t: t, nc: nc, br: bufio.NewReader(nc)}
}

func encodeWord(b []byte, w string) []byte {
	n := uint32(len(w))
	var l []byte
	switch {
	case n < 0x80:
		l = []byte{byte(n)}
	case n < 0x4000:
		l = binary.BigEndian.AppendUint16(nil, uint16(n)|0x8000)
	case n < 0x200000:
		l = binary.BigEndian.AppendUint32(nil, n|0xC00000)[1:]
	case n < 0x10000000:
		l = binary.BigEndian.AppendUint32(nil, n|0xE0000000)
	default:
		l = append([]byte{0xF0}, binary.BigEndian.AppendUint32(nil, n)...)
	}
	return append(append(b, l...), w...)
}

// encode renders sentences back to back.
func encode(sentences ...[]string) []byte {
	var b []byte
	for _, s := range sentences {
		for _, w := range s {
			b = encodeWord(b, w)
		}
		b = append(b, 0)
	}
	return b
}

// send writes one sentence.
func (c *rawConn) send(words ...string) {
	c.t.Helper()
	if _, err := c.nc.Write(encode(words)); err != nil {
		c.t.Fatal(err)
	}
}

func (c *rawConn) readWord() (string, error) {
	b, err := c.br.ReadByte()
	if err != nil {
		return "", err
	}
	var n uint32
	switch {
	case b < 0x80:
		n = uint32(b)
	case b < 0xC0:
		b2, err := c.br.ReadByte()
		if err != nil {
			return "", err
		}
		n = uint32(b&0x3F)<<8 | uint32(b2)
	default:
		return "", fmt.Errorf("rawConn: length byte %#x not expected in replies here", b)
	}
	w := make([]byte, n)
	_, err = io.ReadFull(c.br, w)
	return string(w), err
}

// sentence reads one reply sentence.
func (c *rawConn) sentence() []string {
	c.t.Helper()
	var s []string
	for {
		w, err := c.readWord()
		if err != nil {
			c.t.Fatalf("read: %v (so far %q)", err, s)
		}
		if w == "" {
			return s
		}
		s = append(s, w)
	}
}

// reply reads sentences up to and including !done.
func (c *rawConn) reply() [][]string {
	c.t.Helper()
	var out [][]string
	for {
		s := c.sentence()
		out = append(out, s)
		if s[0] == "!done" {
			return out
		}
	}
}

func (c *rawConn) login() {
	c.t.Helper()
	c.send("/login", "=name="+user, "=password="+pass)
	if got := c.reply(); !equalSentences(got, [][]string{{"!done"}}) {
		c.t.Fatalf("login: %q", got)
	}
}

func equalSentences(a, b [][]string) bool {
	return slices.EqualFunc(a, b, func(x, y []string) bool { return slices.Equal(x, y) })
}
