package routerostest

import (
	"errors"
	"fmt"
	"net"
	"sync"
	"testing"
	"time"
)

// Options configures a fake router. The zero value is usable: user "admin"
// with an empty password, RouterOS 7.16.2, identity "MikroTik".
type Options struct {
	// User and Password are the only credentials /login accepts.
	User     string
	Password string
	// Version is reported by /system/resource. Versions 7.18 and later
	// answer prints without rows with !empty before !done.
	// Default "7.16.2 (stable)".
	Version string
	// Identity is /system/identity's name. Default "MikroTik".
	Identity string
	// Logf, when set, receives one line per command and reply (e.g. t.Logf).
	// Passwords are masked.
	Logf func(format string, args ...any)
}

// Router is a fake RouterOS device speaking the API protocol on TCP. All
// methods are safe for concurrent use, also while clients are connected.
type Router struct {
	opts    Options
	started time.Time
	empty   bool // answer empty prints with !empty (RouterOS >= 7.18)

	mu       sync.Mutex
	tables   map[string]*table
	faults   faults
	resolver func(host string) []string // nil: defaultResolve

	addr     string // fixed by the first listen; Start reuses it
	ln       net.Listener
	quit     chan struct{} // closed by Stop; one per Start
	sessions map[*session]struct{}
	maxConns int
	closed   bool
	wg       sync.WaitGroup
}

// Listen starts a fake router on addr (e.g. "127.0.0.1:0" or
// "127.0.0.1:8728"). Close it when done.
func Listen(addr string, opts Options) (*Router, error) {
	if opts.User == "" {
		opts.User = "admin"
	}
	if opts.Version == "" {
		opts.Version = "7.16.2 (stable)"
	}
	if opts.Identity == "" {
		opts.Identity = "MikroTik"
	}
	r := &Router{
		opts:     opts,
		started:  time.Now(),
		empty:    versionAtLeast(opts.Version, 7, 18),
		tables:   make(map[string]*table),
		sessions: make(map[*session]struct{}),
		addr:     addr,
	}
	r.faults.init()
	for _, m := range menus() {
		r.tables[m.path] = newTable(m)
	}
	for path, rows := range builtinRows(opts.Identity) {
		for _, row := range rows {
			r.tables[path].insert(row, -1)
		}
	}
	if err := r.Start(); err != nil {
		return nil, err
	}
	return r, nil
}

// New starts a fake router on 127.0.0.1 with a free port for the test tb
// and closes it in tb.Cleanup.
func New(tb testing.TB, opts Options) *Router {
	tb.Helper()
	r, err := Listen("127.0.0.1:0", opts)
	if err != nil {
		tb.Fatalf("routerostest: %v", err)
	}
	tb.Cleanup(func() { r.Close() })
	return r
}

// Addr returns the host:port the router listens on (also while stopped).
func (r *Router) Addr() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.addr
}

// Start makes a stopped router listen again on the same address, as a
// router coming back after a reboot or outage. Tables keep their contents.
// Starting a running router does nothing.
func (r *Router) Start() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return errors.New("routerostest: router is closed")
	}
	if r.ln != nil {
		return nil
	}
	ln, err := net.Listen("tcp", r.addr)
	if err != nil {
		return fmt.Errorf("routerostest: listen: %w", err)
	}
	r.ln, r.addr, r.quit = ln, ln.Addr().String(), make(chan struct{})
	r.wg.Add(1)
	go r.accept(ln, r.quit)
	return nil
}

// Stop closes the listener and every open API connection, like a router
// going down: clients see connection errors, new dials are refused. It
// waits until all connection goroutines have ended.
func (r *Router) Stop() {
	r.mu.Lock()
	if r.ln != nil {
		r.ln.Close()
		close(r.quit)
		r.ln = nil
		for s := range r.sessions {
			s.conn.Close()
		}
	}
	r.mu.Unlock()
	r.wg.Wait()
}

// Close stops the router for good. It always returns nil.
func (r *Router) Close() error {
	r.Stop()
	r.mu.Lock()
	r.closed = true
	r.mu.Unlock()
	return nil
}

func (r *Router) accept(ln net.Listener, quit chan struct{}) {
	defer r.wg.Done()
	for {
		c, err := ln.Accept()
		if err != nil {
			if ne, ok := errors.AsType[net.Error](err); ok && ne.Timeout() {
				continue
			}
			return
		}
		r.mu.Lock()
		select {
		case <-quit:
			r.mu.Unlock()
			c.Close()
			return
		default:
		}
		s := newSession(r, c, quit)
		r.sessions[s] = struct{}{}
		r.maxConns = max(r.maxConns, len(r.sessions))
		r.wg.Add(2)
		r.mu.Unlock()
		go s.readLoop()
		go s.writeLoop()
	}
}

// endSession forgets a finished connection.
func (r *Router) endSession(s *session) {
	r.mu.Lock()
	delete(r.sessions, s)
	r.mu.Unlock()
}

func (r *Router) logf(format string, args ...any) {
	if r.opts.Logf != nil {
		r.opts.Logf(format, args...)
	}
}

// versionAtLeast reports whether a RouterOS version string such as
// "7.18.2 (stable)" is at least major.minor.
func versionAtLeast(v string, major, minor int) bool {
	var ma, mi int
	if n, _ := fmt.Sscanf(v, "%d.%d", &ma, &mi); n < 1 {
		return false
	}
	return ma > major || (ma == major && mi >= minor)
}
