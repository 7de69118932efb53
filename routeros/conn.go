package routeros

import (
	"context"
	"errors"
	"net"
	"strconv"
	"strings"
	"time"
)

// conn is one connection slot of a Client. Only the call holding the slot
// (see Client.acquire) touches it, so it needs no lock of its own. nc is nil
// while disconnected; the next call that holds the slot dials.
type conn struct {
	nc  net.Conn
	rd  *wireReader
	seq uint64 // last .tag used on nc
}

func (cn *conn) open(nc net.Conn) {
	cn.nc, cn.rd, cn.seq = nc, newWireReader(nc), 0
}

// close drops the connection; it is redialled on next use.
func (cn *conn) close() {
	if cn.nc != nil {
		cn.nc.Close()
		cn.nc, cn.rd = nil, nil
	}
}

// nextTag returns a .tag value not yet used on this connection.
func (cn *conn) nextTag() string {
	cn.seq++
	return strconv.FormatUint(cn.seq, 36)
}

// login runs the post-6.43 /login =name= =password= (docs/routeros.md §1) within timeout,
// or until ctx is done. The returned error never contains the password.
func (cn *conn) login(ctx context.Context, user, password string, timeout time.Duration) error {
	nc := cn.nc
	stop := context.AfterFunc(ctx, func() { nc.Close() })
	defer stop()
	nc.SetDeadline(time.Now().Add(timeout))
	if _, err := nc.Write(appendSentence(nil, "/login", "=name="+user, "=password="+password)); err != nil {
		return err
	}
	var traps []string
	for {
		s, err := cn.rd.readSentence()
		if err != nil {
			return err
		}
		switch s.word {
		case "!trap":
			traps = append(traps, trapText(s))
		case "!fatal":
			return fatal(s)
		case "!re", "!empty":
		case "!done":
			if len(traps) > 0 {
				return &loginRefused{user: user, reason: strings.Join(traps, "; ")}
			}
			if s.attrs["ret"] != "" {
				return errors.New("router wants the pre-6.43 challenge login, which is not supported")
			}
			return nc.SetDeadline(time.Time{})
		default:
			return &protocolError{what: "login answered with " + strconv.Quote(s.word)}
		}
	}
}

// trapText is the =message= of a !trap.
func trapText(s sentence) string {
	if m, ok := s.attrs["message"]; ok {
		return m
	}
	return "(trap without message)"
}

// fatal returns the error for a !fatal sentence, whose reason RouterOS
// sends as a bare word (docs/routeros.md §1) or, perhaps, as =message=.
func fatal(s sentence) error {
	reason := strings.Join(s.bare, " ")
	if m, ok := s.attrs["message"]; ok {
		reason = m
	}
	return &fatalError{reason: reason}
}

// checkWords refuses commands that cannot be sent as one sentence: no
// words, a first word that is not a path, an empty word (it would end the
// sentence early) or a .tag (the client owns tags).
func checkWords(words []string) error {
	if len(words) == 0 {
		return badCommand("empty command")
	}
	if !strings.HasPrefix(words[0], "/") {
		return badCommand("command %q does not start with /", words[0])
	}
	for _, w := range words[1:] {
		switch {
		case w == "":
			return badCommand("%s: empty word", words[0])
		case strings.HasPrefix(w, ".tag="):
			return badCommand("%s: .tag is set by the client", words[0])
		}
	}
	return nil
}

// loginRefused is the router's !trap to /login: a wrong user name or
// password, or a user without the api policy; reason is its text.
type loginRefused struct{ user, reason string }

func (e *loginRefused) Error() string {
	return "login as " + strconv.Quote(e.user) + " refused: " + e.reason
}
