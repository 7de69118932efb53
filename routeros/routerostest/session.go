package routerostest

import (
	"bufio"
	"maps"
	"net"
	"time"
)

// session is one API connection. readLoop parses and runs commands in the
// order received; writeLoop sends their replies in the same order, each not
// before its due time (see SetLatency).
type session struct {
	r        *Router
	conn     net.Conn
	quit     chan struct{} // closed by Router.Stop
	out      chan outgoing
	dead     chan struct{} // closed when writeLoop has ended
	loggedIn bool          // touched by readLoop only
}

type outgoing struct {
	due    time.Time
	data   []byte
	hangup bool // close the connection after data
}

func newSession(r *Router, c net.Conn, quit chan struct{}) *session {
	return &session{
		r: r, conn: c, quit: quit,
		out:  make(chan outgoing, 1024),
		dead: make(chan struct{}),
	}
}

func (s *session) readLoop() {
	defer s.r.wg.Done()
	defer close(s.out)
	br := bufio.NewReaderSize(s.conn, 64<<10)
	for {
		words, err := readSentence(br)
		if err != nil {
			// EOF, a closed connection or a stream that cannot be parsed
			// (RouterOS drops the connection then too).
			return
		}
		if len(words) == 0 {
			continue // empty sentences are ignored
		}
		item := s.handle(words)
		select {
		case s.out <- item:
		case <-s.dead:
			return
		}
		if item.hangup {
			return
		}
	}
}

func (s *session) writeLoop() {
	defer s.r.wg.Done()
	defer s.r.endSession(s)
	defer close(s.dead)
	defer s.conn.Close()
	for item := range s.out {
		if d := time.Until(item.due); d > 0 {
			t := time.NewTimer(d)
			select {
			case <-t.C:
			case <-s.quit:
				t.Stop()
				return
			}
		}
		if len(item.data) > 0 {
			if _, err := s.conn.Write(item.data); err != nil {
				return
			}
		}
		if item.hangup {
			return
		}
	}
}

// handle runs one command sentence and returns what to send, due after the
// write's service time (SetServiceTime) and the latency (SetLatency).
func (s *session) handle(words []string) outgoing {
	req := parseRequest(words)
	a := s.r.admit(req.word)
	finish := time.Now()
	if s.loggedIn && !a.drop && isWrite(req.word) {
		finish = s.r.serve(finish)
	}
	due := finish.Add(a.latency)
	s.r.logf("routerostest %s < %s", s.conn.RemoteAddr(), masked(words))
	if a.drop {
		s.r.logf("routerostest %s: dropping connection (DropAfter)", s.conn.RemoteAddr())
		return outgoing{due: due, hangup: true}
	}
	var resp *response
	switch {
	case req.word == "/quit":
		// RouterOS sends the reason as a bare word (docs/routeros.md §1).
		b := appendSentence(nil, "!fatal", "session terminated on request")
		return outgoing{due: due, data: b, hangup: true}
	case req.word == "/login":
		resp = s.login(req, a.refuseLogins)
	case !s.loggedIn:
		resp = trapMsg("not logged in")
	case a.hook != nil:
		if t := a.hook(req.word, maps.Clone(req.attrs)); t != nil {
			resp = trapped(t)
			break
		}
		fallthrough
	default:
		if req.word == "/tool/fetch" {
			resp = s.r.toolFetch(req) // downloads without holding the tables' lock
			break
		}
		resp = s.r.exec(req)
	}
	s.r.logf("routerostest %s > %s", s.conn.RemoteAddr(), resp.summary())
	return outgoing{due: due, data: resp.encode(req)}
}

// login implements the post-6.43 method: /login =name= =password=. The
// connection stays open after a failure (its login state unchanged), and a
// later /login may succeed.
func (s *session) login(req *request, refuse bool) *response {
	if !refuse && req.attrs["name"] == s.r.opts.User && req.attrs["password"] == s.r.opts.Password {
		s.loggedIn = true
		return doneWith("")
	}
	return trapMsg("invalid user name or password (6)")
}
