// Package routeros is gatehouse's RouterOS adapter: a client for the API of
// one MikroTik router (TCP 8728, or API-SSL on 8729) that the reconcilers
// use to read and change the hotspot tables (users, walled garden, active
// sessions). It imports app and its libraries only, never db, web or
// scheduler; package main wires it in. docs/routeros.md is the fact sheet
// it is written against (section numbers below refer to it).
//
// It speaks the wire protocol itself (wire.go) rather than through
// go-routeros, whose sync mode ignores contexts and cannot pipeline and
// whose async mode loses replies (§8).
//
// # Guarantees
//
//   - Every command has a deadline: the commands in flight on a connection
//     fail with EUnavailable when the connection stays silent for
//     Config.CommandTimeout (counted from the last reply sentence, or from
//     the first command sent to an idle connection), and a cancelled ctx
//     ends the call at once. Nothing waits forever, and a router that
//     works slowly through a long queue of writes but keeps answering is
//     never taken for a dead one.
//   - At most Config.Conns connections per router. A connection that saw an
//     I/O error, a timeout, a cancellation or a !fatal is closed and
//     redialled lazily by the next call. Failed dials (or logins) back off,
//     Config.RetryMin doubling to Config.RetryMax, reset by a success; while
//     backing off calls fail at once with EUnavailable.
//   - RunAll pipelines tagged commands on every connection in parallel, so
//     a batch costs a few round trips, not one per command. Each result
//     says exactly what happened to its command: a reply (ok or !trap), or
//     EUnavailable, saying either that it was never sent or that its outcome
//     is unknown. A success is reported only after the router's !done.
//   - Errors are app errors (see errors.go for the Reason words): traps
//     "failure: already have ..." → EConflict, "no such item" → ENotFound,
//     others → EInvalid, all carrying the router's text (TrapMessage);
//     connection trouble → EUnavailable. The password never appears in
//     errors or logs.
//   - A Client is safe for concurrent use.
package routeros

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"slices"
	"strconv"
	"sync"
	"time"
)

// Target is where a router's API is and how to log in. Password never
// appears in logs or errors.
type Target struct {
	Host     string // name or address, without port
	Port     int    // 0 means 8728, or 8729 with TLS
	Username string
	Password string
	TLS      bool // API-SSL
	// Fingerprint, with TLS, pins the router's certificate: the hex SHA-256
	// of the leaf certificate (colons and case ignored). When set, only this
	// certificate is accepted and CA verification is skipped; when empty,
	// the certificate must verify against the system roots and Host.
	Fingerprint string
}

// Addr returns host:port with the default port filled in.
func (t Target) Addr() string {
	port := t.Port
	if port == 0 {
		port = 8728
		if t.TLS {
			port = 8729
		}
	}
	return net.JoinHostPort(t.Host, strconv.Itoa(port))
}

// Config tunes a Client. Zero fields take the defaults.
type Config struct {
	DialTimeout    time.Duration // TCP connect + TLS handshake; default 5s
	CommandTimeout time.Duration // longest silence with commands in flight, and for login; default 10s
	// Conns is how many connections to the router a Client may open;
	// default 2. A batch of several commands uses all but one of them, so
	// a single command (a guest's login at the portal) never waits for a
	// whole reconcile pass.
	Conns int
	// Pipeline is how many commands RunAll keeps in flight on one
	// connection; default 32. Measured (BenchmarkPushBusyRouter,
	// docs/routeros.md §7): a router applies writes one at a time, so a few
	// commands in flight already reach n × service time on a LAN; 32 keeps
	// that on a 50 ms link, while the silence a connection sees before its
	// next reply stays at 32 service times.
	Pipeline int
	// RetryMin and RetryMax bound the wait after a failed dial or login
	// before the next attempt; it doubles per failure. Defaults 0.5s, 30s.
	RetryMin, RetryMax time.Duration
	Logger             *slog.Logger // default: discard
}

func (cfg Config) withDefaults() Config {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&cfg.DialTimeout, 5*time.Second)
	def(&cfg.CommandTimeout, 10*time.Second)
	def(&cfg.RetryMin, 500*time.Millisecond)
	def(&cfg.RetryMax, 30*time.Second)
	cfg.RetryMax = max(cfg.RetryMax, cfg.RetryMin)
	if cfg.Conns <= 0 {
		cfg.Conns = 2
	}
	if cfg.Pipeline <= 0 {
		cfg.Pipeline = 32
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return cfg
}

// Client talks to one router over up to Config.Conns connections, dialled
// on first use. It is safe for concurrent use; Close releases it.
type Client struct {
	target Target
	cfg    Config
	addr   string
	log    *slog.Logger

	slots chan struct{} // one token per connection in use; cap cfg.Conns
	mu    sync.Mutex
	idle  []*conn // free connection slots, most recently used last
	life  context.Context
	shut  context.CancelFunc
	once  sync.Once

	backoff backoff
}

// New returns a client for the router at t. It does not connect: the first
// call does.
func New(t Target, cfg Config) *Client {
	cfg = cfg.withDefaults()
	c := &Client{
		target: t,
		cfg:    cfg,
		addr:   t.Addr(),
		slots:  make(chan struct{}, cfg.Conns),
	}
	c.log = cfg.Logger.With("component", "routeros", "router", c.addr)
	c.life, c.shut = context.WithCancel(context.Background())
	c.backoff.min, c.backoff.max = cfg.RetryMin, cfg.RetryMax
	for range cfg.Conns {
		c.idle = append(c.idle, &conn{})
	}
	return c
}

// Close aborts calls in progress (they fail with EUnavailable), closes the
// connections and makes later calls fail with EUnavailable. It waits for
// the aborted calls to return and always returns nil.
func (c *Client) Close() error {
	c.once.Do(func() {
		c.shut()
		for range c.cfg.Conns {
			c.slots <- struct{}{} // wait until no call holds a connection
		}
		c.mu.Lock()
		for _, cn := range c.idle {
			cn.close()
		}
		c.mu.Unlock()
	})
	return nil
}

// Reply is the answer to one successful command: the !re rows (absent
// properties are absent keys, docs/routeros.md §3) and the =ret= of !done (the new .id
// after add, the count after print =count-only=).
type Reply struct {
	Rows []map[string]string
	Ret  string
}

// Result is the outcome of one command of RunAll: Err is nil and Reply
// holds the answer, or Err says what went wrong (see Client.Run).
type Result struct {
	Reply Reply
	Err   error
}

// Run runs one command and returns its reply. words are the command path
// ("/ip/hotspot/user/add") then =name=value attribute words and ?query
// words (docs/routeros.md §1); the client adds the .tag itself.
//
// Errors: EConflict (duplicate), ENotFound (no such item) or EInvalid
// (other traps, or words that cannot be sent) when the router refused the
// command; EUnavailable when the router is unreachable, refused the login,
// timed out, the connection broke, ctx was cancelled or the client is
// closed (errors.Is(err, context.Canceled) etc. tells the last two apart).
func (c *Client) Run(ctx context.Context, words ...string) (Reply, error) {
	r := c.RunAll(ctx, [][]string{words})[0]
	return r.Reply, r.Err
}

// RunAll runs independent commands, pipelined on all connections in
// parallel, in no particular order, and returns one Result per command in
// the order given. Commands whose reply did not arrive fail with
// EUnavailable; nothing is retried, so each result is exact. See Run for
// the words and errors.
func (c *Client) RunAll(ctx context.Context, cmds [][]string) []Result {
	return c.runEach(ctx, cmds, nil)
}

// runEach is RunAll for commands whose rows are consumed as they arrive:
// each[i], when not nil, receives command i's rows one by one (on a
// connection's reader goroutine, never two of one command at once) and its
// Reply.Rows stays empty. A big print then never has to be held whole.
func (c *Client) runEach(ctx context.Context, cmds [][]string, each []func(map[string]string)) []Result {
	results := make([]Result, len(cmds))
	var todo []int
	for i, words := range cmds {
		if err := checkWords(words); err != nil {
			results[i].Err = err
			continue
		}
		todo = append(todo, i)
	}
	if len(todo) == 0 {
		return results
	}
	ctx, cancel := context.WithCancelCause(ctx)
	stop := context.AfterFunc(c.life, func() { cancel(errClosed) })
	defer func() { stop(); cancel(nil) }()

	q := &queue{todo: todo}
	b := &batch{c: c, ctx: ctx, q: q, cmds: cmds, results: results, each: each}
	workers := min(c.cfg.Conns, len(todo))
	if len(todo) > 1 && c.cfg.Conns > 1 {
		workers = min(workers, c.cfg.Conns-1) // one connection stays free for single commands
	}
	var wg sync.WaitGroup
	for range workers {
		wg.Go(b.work)
	}
	wg.Wait()
	for _, i := range q.rest() {
		results[i].Err = fmt.Errorf("%s: %w", cmds[i][0], notSent(ctx, c.addr, q.lastErr()))
	}
	return results
}

// acquire waits for a free connection slot, preferring the most recently
// used one, which is the most likely to be connected.
func (c *Client) acquire(ctx context.Context) (*conn, error) {
	select {
	case c.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, context.Cause(ctx)
	}
	if c.life.Err() != nil {
		<-c.slots
		return nil, errClosed
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	i := len(c.idle) - 1 // the token guarantees one
	for j := i; j >= 0; j-- {
		if c.idle[j].nc != nil {
			i = j
			break
		}
	}
	cn := c.idle[i]
	c.idle = slices.Delete(c.idle, i, i+1)
	return cn, nil
}

// release returns a slot; after Close its connection is closed.
func (c *Client) release(cn *conn) {
	if c.life.Err() != nil {
		cn.close()
	}
	c.mu.Lock()
	c.idle = append(c.idle, cn)
	c.mu.Unlock()
	<-c.slots
}
