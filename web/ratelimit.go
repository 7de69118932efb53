package web

import (
	"net/netip"
	"sync"
	"time"
)

// failureLimiter counts failed attempts per key (a device, an address, an
// account) in a sliding window. The first limit failures in the window
// cost nothing. Past them, a plain limiter (step 0) makes the key wait
// until its oldest failure leaves the window; a growing one makes it wait
// step after its latest failure, doubling with every further failure up to
// maxDelay. Growing delays slow a guesser down as much as a block would
// without locking out the hotel guests or front-desk clerks who happen to
// share its key for more than maxDelay. Keys whose failures are all old are
// forgotten, so memory stays bounded by the keys active in one window.
type failureLimiter struct {
	limit          int
	window         time.Duration
	step, maxDelay time.Duration

	mu       sync.Mutex
	failures map[string][]time.Time
	swept    time.Time
}

func newFailureLimiter(limit int, window time.Duration) *failureLimiter {
	return &failureLimiter{limit: limit, window: window, failures: map[string][]time.Time{}}
}

// newGrowingLimiter is a failureLimiter with growing delays.
func newGrowingLimiter(limit int, window, step, maxDelay time.Duration) *failureLimiter {
	l := newFailureLimiter(limit, window)
	l.step, l.maxDelay = step, maxDelay
	return l
}

// blocked returns how long key must wait before its next attempt, or 0.
func (l *failureLimiter) blocked(key string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.wait(l.recent(key, now), now)
}

// wait is how long a key with the recent failures must wait (under mu).
func (l *failureLimiter) wait(recent []time.Time, now time.Time) time.Duration {
	over := len(recent) - l.limit
	if over < 0 {
		return 0
	}
	if l.step == 0 {
		return recent[over].Add(l.window).Sub(now)
	}
	delay := l.maxDelay
	if over < 30 {
		delay = min(l.step<<over, l.maxDelay)
	}
	return max(recent[len(recent)-1].Add(delay).Sub(now), 0)
}

// reserve counts an attempt of key as failed before it is made, in one
// step with the check, so that attempts made at the same time cannot all
// pass the check: it returns how long key must wait (and counts nothing),
// or 0 and the time to hand to forgive if the attempt succeeds.
func (l *failureLimiter) reserve(key string, now time.Time) (time.Duration, time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sweep(now)
	recent := l.recent(key, now)
	if wait := l.wait(recent, now); wait > 0 {
		return wait, time.Time{}
	}
	l.failures[key] = append(recent, now)
	return 0, now
}

// forgive takes back the attempt reserve counted at the given time.
func (l *failureLimiter) forgive(key string, at time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	list := l.failures[key]
	for i := len(list) - 1; i >= 0; i-- {
		if list[i].Equal(at) {
			l.failures[key] = append(list[:i:i], list[i+1:]...)
			break
		}
	}
	if len(l.failures[key]) == 0 {
		delete(l.failures, key)
	}
}

// fail records a failed attempt of key.
func (l *failureLimiter) fail(key string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sweep(now)
	l.failures[key] = append(l.recent(key, now), now)
}

// failing reports whether key has failures in the window.
func (l *failureLimiter) failing(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.recent(key, now)) > 0
}

// sweep forgets, once per window, the keys whose failures all left it
// (under mu).
func (l *failureLimiter) sweep(now time.Time) {
	if now.Sub(l.swept) <= l.window {
		return
	}
	for k := range l.failures {
		l.recent(k, now)
	}
	l.swept = now
}

// recent drops the failures of key that left the window (under mu).
func (l *failureLimiter) recent(key string, now time.Time) []time.Time {
	list := l.failures[key]
	i := 0
	for i < len(list) && now.Sub(list[i]) >= l.window {
		i++
	}
	list = list[i:]
	if len(list) == 0 {
		delete(l.failures, key)
	} else {
		l.failures[key] = list
	}
	return list
}

// limitKey is one limiter and the key an attempt counts under.
type limitKey struct {
	l   *failureLimiter
	key string
}

// reservation is one attempt counted as failed in advance under each of
// its keys; a success takes it back.
type reservation []reserved

// reserved is the attempt as one limiter counted it.
type reserved struct {
	limitKey
	at time.Time
}

// reserveAll counts an attempt under every key, or, when one of them must
// wait, under none, and says how long to wait.
func reserveAll(keys []limitKey, now time.Time) (reservation, time.Duration) {
	res := make(reservation, 0, len(keys))
	for _, k := range keys {
		wait, at := k.l.reserve(k.key, now)
		if wait > 0 {
			res.forgive()
			return nil, wait
		}
		res = append(res, reserved{k, at})
	}
	return res, 0
}

// forgive takes the attempt back: it succeeded, or was no guess.
func (res reservation) forgive() {
	for _, r := range res {
		r.l.forgive(r.key, r.at)
	}
}

// sourceKey names the source of a request for the limits: its address, or
// for IPv6 its /64, which one subscriber usually holds whole.
func sourceKey(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return "src:" + ip
	}
	if a = a.Unmap(); a.Is6() {
		p, _ := a.Prefix(64)
		return "src:" + p.String()
	}
	return "src:" + a.String()
}
