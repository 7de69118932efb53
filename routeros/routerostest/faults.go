package routerostest

import (
	"strings"
	"sync"
	"time"
)

// Fault injection and counters. Every knob takes effect for the next command
// received, on all connections, and may be changed while clients are busy.

// faults is guarded by Router.mu.
type faults struct {
	latency      time.Duration
	serviceTime  time.Duration
	lastFinish   time.Time // when the last configuration write finishes
	dropLeft     int       // commands still answered before a drop; -1 = off
	failWhen     func(cmd string, attrs map[string]string) *Trap
	refuseLogins bool
	commands     map[string]int
	total        int
}

func (f *faults) init() {
	f.dropLeft = -1
	f.commands = make(map[string]int)
}

// SetLatency delays every reply by d, measured from the moment the command
// was read (for a configuration write, from the moment it finishes; see
// SetServiceTime), like a network round trip: commands pipelined on one
// connection wait in parallel (N pipelined commands take about d, N
// sequential ones about N*d), and replies keep their order. The router's
// tables change as soon as a command is read. Zero turns it off.
func (r *Router) SetLatency(d time.Duration) {
	r.mu.Lock()
	r.faults.latency = d
	r.mu.Unlock()
}

// SetServiceTime makes every configuration write take d inside the router,
// the way a small board works (docs/routeros.md §7): writes are add, set,
// remove, enable, disable, unset and reset-counters on any menu, received
// after login, whatever their outcome (print, /login, /cancel and
// /ip/hotspot/active/login are not writes). Writes are served one at a time
// across ALL connections: a write read at time t finishes at
// max(t, finish of the previous write) + d, and its reply is sent at that
// finish plus the latency of SetLatency. So with d = 3ms, 1000 writes take
// about 3s however many connections or pipelined commands carry them. The
// tables still change as soon as a command is read (only the reply waits),
// and replies on one connection keep the order the commands came in (a
// print behind a write waits for it). Zero turns it off.
func (r *Router) SetServiceTime(d time.Duration) {
	r.mu.Lock()
	r.faults.serviceTime = max(d, 0)
	r.mu.Unlock()
}

// serve books a configuration write read at now and returns when it
// finishes (see SetServiceTime).
func (r *Router) serve(now time.Time) time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	f := &r.faults
	if f.serviceTime == 0 {
		return now
	}
	start := now
	if f.lastFinish.After(start) {
		start = f.lastFinish
	}
	f.lastFinish = start.Add(f.serviceTime)
	return f.lastFinish
}

// isWrite reports whether a command word is a configuration write.
func isWrite(word string) bool {
	if word == "/login" {
		return false
	}
	i := strings.LastIndexByte(word, '/')
	switch word[i+1:] {
	case "add", "set", "remove", "enable", "disable", "unset", "reset-counters":
		return true
	}
	return false
}

// DropAfter lets the next n commands (counted over all connections; /login
// is not counted) be answered normally, then closes the connection the
// following command arrives on without answering it. Replies still due for
// earlier commands on that connection are sent first. It fires once; a
// negative n cancels it.
func (r *Router) DropAfter(n int) {
	r.mu.Lock()
	r.faults.dropLeft = max(n, -1)
	r.mu.Unlock()
}

// FailWhen installs a hook called for every command after login, before it
// runs, with the command word ("/ip/hotspot/user/add") and a copy of its
// =name=value attributes. A non-nil Trap is sent instead of running the
// command (the tables are not changed). The hook runs on connection
// goroutines, possibly concurrently; nil removes it. See FailEvery.
func (r *Router) FailWhen(hook func(cmd string, attrs map[string]string) *Trap) {
	r.mu.Lock()
	r.faults.failWhen = hook
	r.mu.Unlock()
}

// FailEvery returns a FailWhen hook that fails every nth command word cmd
// (the nth, 2nth, ... one seen by the hook) with trap t.
func FailEvery(cmd string, n int, t Trap) func(string, map[string]string) *Trap {
	var mu sync.Mutex
	seen := 0
	return func(c string, _ map[string]string) *Trap {
		if c != cmd || n <= 0 {
			return nil
		}
		mu.Lock()
		seen++
		hit := seen%n == 0
		mu.Unlock()
		if !hit {
			return nil
		}
		tr := t
		return &tr
	}
}

// RefuseLogins makes /login fail with "invalid user name or password (6)"
// even for the right credentials, as a router whose API user was removed.
func (r *Router) RefuseLogins(refuse bool) {
	r.mu.Lock()
	r.faults.refuseLogins = refuse
	r.mu.Unlock()
}

// Commands returns how many sentences with the command word word (e.g.
// "/ip/hotspot/user/add", "/login") the router has received, whatever their
// outcome; Commands("") returns the total.
func (r *Router) Commands(word string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	if word == "" {
		return r.faults.total
	}
	return r.faults.commands[word]
}

// MaxConns returns the largest number of API connections that were open at
// the same time.
func (r *Router) MaxConns() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.maxConns
}

// Conns returns the number of API connections open now.
func (r *Router) Conns() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.sessions)
}

// admission is what the fault knobs decide for one received command.
type admission struct {
	latency      time.Duration
	drop         bool
	hook         func(string, map[string]string) *Trap
	refuseLogins bool
}

// admit counts the command and consults the knobs.
func (r *Router) admit(word string) admission {
	r.mu.Lock()
	defer r.mu.Unlock()
	f := &r.faults
	f.total++
	f.commands[word]++
	a := admission{latency: f.latency, hook: f.failWhen, refuseLogins: f.refuseLogins}
	if word != "/login" && f.dropLeft >= 0 {
		if f.dropLeft == 0 {
			a.drop = true
		}
		f.dropLeft--
	}
	return a
}
