package routeros

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"sync"
	"time"
)

// RunAll's engine. Each connection slot runs a worker (batch.work) that
// takes commands from a shared queue. On its connection a writer goroutine
// sends tagged commands, up to Config.Pipeline in flight, and the worker
// reads the replies and matches them by .tag (docs/routeros.md §1), so replies may come in
// any order. A command is taken from the queue only when it is about to be
// written, so when a connection breaks only the commands in flight on it
// fail; the rest go to the other connections or to a redialled one.

// maxSessions bounds the connections one worker opens in one RunAll, so a
// router that accepts logins and then drops every connection cannot keep a
// call busy forever.
const maxSessions = 3

// queue hands out the indexes of RunAll's commands.
type queue struct {
	mu   sync.Mutex
	todo []int // not taken yet; commands given back unsent go first
	err  error // the latest connection error
}

func (q *queue) take() (int, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.todo) == 0 {
		return 0, false
	}
	i := q.todo[0]
	q.todo = q.todo[1:]
	return i, true
}

func (q *queue) giveBack(idx []int) {
	q.mu.Lock()
	q.todo = append(slices.Clone(idx), q.todo...)
	q.mu.Unlock()
}

func (q *queue) empty() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.todo) == 0
}

// rest returns what is left; used once all workers have ended.
func (q *queue) rest() []int { return q.todo }

func (q *queue) fail(err error) {
	q.mu.Lock()
	q.err = err
	q.mu.Unlock()
}

func (q *queue) lastErr() error {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.err
}

// batch is one RunAll call.
type batch struct {
	c       *Client
	ctx     context.Context
	q       *queue
	cmds    [][]string
	results []Result // each written by the one reader that completes it
	// each, when not nil, has per command a function that receives its
	// rows one by one as they arrive instead of Reply.Rows (nil: collect).
	each []func(row map[string]string)
}

// work runs commands on one connection slot until the queue is empty, the
// router cannot be reached, or ctx is done.
func (b *batch) work() {
	cn, err := b.c.acquire(b.ctx)
	if err != nil {
		return // what is left fails in RunAll
	}
	defer b.c.release(cn)
	for range maxSessions {
		if b.q.empty() || b.ctx.Err() != nil {
			return
		}
		if err := b.c.connect(b.ctx, cn); err != nil {
			b.q.fail(err)
			return
		}
		err := b.pipeline(cn)
		if err == nil {
			return
		}
		b.q.fail(err)
		b.c.log.Debug("router connection closed", "error", err)
	}
}

// flight is a command sent and waiting for its !done.
type flight struct {
	idx   int
	rows  []map[string]string
	traps []string
}

// exchange is the state shared by a connection's writer and reader.
type exchange struct {
	b      *batch
	cn     *conn
	tokens chan struct{} // one per command in flight; cap = Config.Pipeline
	wake   chan struct{} // writer → reader: something new in flight
	done   chan struct{} // closed when the writer has ended
	stop   chan struct{} // closed when the reader gives up
	werr   error         // the writer's error; read after done

	mu       sync.Mutex
	inflight map[string]*flight // by .tag
	stopped  bool
	// quiet is when the connection last showed life: the last reply
	// sentence, or the first command sent while nothing was in flight.
	quiet time.Time
}

// pipeline runs queued commands on cn until the queue is empty (nil) or the
// connection breaks (its error; cn is closed and every command in flight
// has failed).
func (b *batch) pipeline(cn *conn) error {
	x := &exchange{
		b: b, cn: cn,
		tokens:   make(chan struct{}, b.c.cfg.Pipeline),
		wake:     make(chan struct{}, 1),
		done:     make(chan struct{}),
		stop:     make(chan struct{}),
		inflight: make(map[string]*flight),
	}
	nc := cn.nc
	unwatch := context.AfterFunc(b.ctx, func() { nc.Close() })
	go x.write()
	err := x.read()
	if err != nil {
		x.mu.Lock()
		x.stopped = true
		x.mu.Unlock()
		close(x.stop)
		nc.Close() // ends a blocked write
	}
	<-x.done
	if !unwatch() && err == nil {
		err = context.Cause(b.ctx) // nc was closed under us
	}
	if err == nil {
		err = x.werr
	}
	if err == nil {
		return nil
	}
	cerr := connError(b.ctx, b.c.addr, b.c.cfg.CommandTimeout, err)
	for _, f := range x.inflight {
		b.results[f.idx].Err = fmt.Errorf("%s: %w", b.cmds[f.idx][0], cerr)
	}
	cn.close()
	return err
}

// write sends commands as long as there are some and tokens are free,
// as many per write as are ready.
func (x *exchange) write() {
	defer close(x.done)
	timeout := x.b.c.cfg.CommandTimeout
	var buf []byte
	for {
		select {
		case x.tokens <- struct{}{}:
		case <-x.stop:
			return
		}
		var tags []string
		buf, tags = x.next(buf[:0])
		if len(tags) == 0 {
			return
		}
		select {
		case x.wake <- struct{}{}:
		default:
		}
		x.cn.nc.SetWriteDeadline(time.Now().Add(timeout))
		if n, err := x.cn.nc.Write(buf); err != nil {
			if n == 0 && errors.Is(err, net.ErrClosed) {
				x.unsend(tags) // closed by us before a byte went out
			}
			x.werr = err
			return
		}
	}
}

// next takes commands from the queue, registers them as in flight and
// encodes them into buf. The caller holds one token; next takes one more
// per further command while tokens are free, and releases the one left.
func (x *exchange) next(buf []byte) ([]byte, []string) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if len(x.inflight) == 0 {
		x.quiet = time.Now()
	}
	var tags []string
	for held := true; held; {
		if x.stopped {
			<-x.tokens
			break
		}
		i, ok := x.b.q.take()
		if !ok {
			<-x.tokens
			break
		}
		tag := x.cn.nextTag()
		x.inflight[tag] = &flight{idx: i}
		for _, w := range x.b.cmds[i] {
			buf = appendWord(buf, w)
		}
		buf = appendSentence(buf, ".tag="+tag)
		tags = append(tags, tag)
		select {
		case x.tokens <- struct{}{}:
		default:
			held = false
		}
	}
	return buf, tags
}

// unsend puts commands that were not written back in the queue.
func (x *exchange) unsend(tags []string) {
	x.mu.Lock()
	defer x.mu.Unlock()
	idx := make([]int, 0, len(tags))
	for _, tag := range tags {
		idx = append(idx, x.inflight[tag].idx)
		delete(x.inflight, tag)
	}
	x.b.q.giveBack(idx)
}

// read reads replies until nothing is in flight and the writer has ended
// (nil), or the connection fails. It gives up when the connection has
// been silent for CommandTimeout while commands are in flight: silence,
// not the age of a command, tells a dead router from a busy one, which
// works through a deep pipeline one write at a time but keeps answering
// (docs/routeros.md §7).
func (x *exchange) read() error {
	timeout := x.b.c.cfg.CommandTimeout
	for {
		x.mu.Lock()
		n, quiet := len(x.inflight), x.quiet
		x.mu.Unlock()
		if n == 0 {
			select {
			case <-x.wake:
				continue
			case <-x.done:
				x.mu.Lock()
				n = len(x.inflight)
				x.mu.Unlock()
				if n == 0 {
					return nil
				}
				continue
			}
		}
		x.cn.nc.SetReadDeadline(quiet.Add(timeout))
		s, err := x.cn.rd.readSentence()
		if err != nil {
			return err
		}
		if err := x.handle(s); err != nil {
			return err
		}
	}
}

// handle files one reply sentence under its command.
func (x *exchange) handle(s sentence) error {
	if s.word == "!fatal" {
		return fatal(s)
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	f := x.inflight[s.tag]
	if f == nil {
		return &protocolError{what: fmt.Sprintf("%s with unknown tag %q", s.word, s.tag)}
	}
	x.quiet = time.Now()
	switch s.word {
	case "!re":
		if s.attrs == nil {
			s.attrs = map[string]string{}
		}
		if x.b.each != nil && x.b.each[f.idx] != nil {
			x.b.each[f.idx](s.attrs)
		} else {
			f.rows = append(f.rows, s.attrs)
		}
	case "!trap":
		f.traps = append(f.traps, trapText(s))
	case "!empty": // RouterOS 7.18+: a print without rows (docs/routeros.md §1)
	case "!done":
		delete(x.inflight, s.tag)
		<-x.tokens
		r := &x.b.results[f.idx]
		if len(f.traps) > 0 {
			r.Err = fmt.Errorf("%s: %w", x.b.cmds[f.idx][0], trapError(x.b.c.addr, f.traps))
		} else {
			r.Reply = Reply{Rows: f.rows, Ret: s.attrs["ret"]}
		}
	default:
		return &protocolError{what: fmt.Sprintf("unknown reply word %q", s.word)}
	}
	return nil
}
