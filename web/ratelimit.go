package web

import (
	"sync"
	"time"
)

// failureLimiter counts failed attempts per key (a device, an address) in
// a sliding window and blocks a key that reached the limit until its
// oldest failure leaves the window. It bounds its memory by forgetting
// keys whose failures are all old.
type failureLimiter struct {
	limit  int
	window time.Duration

	mu       sync.Mutex
	failures map[string][]time.Time
	swept    time.Time
}

func newFailureLimiter(limit int, window time.Duration) *failureLimiter {
	return &failureLimiter{limit: limit, window: window, failures: map[string][]time.Time{}}
}

// blocked returns how long key must wait before its next attempt, or 0.
func (l *failureLimiter) blocked(key string, now time.Time) time.Duration {
	return l.blockedAt(key, now, l.limit)
}

// blockedAt is blocked with a limit of its own for key (at most the
// limiter's, which bounds what is remembered).
func (l *failureLimiter) blockedAt(key string, now time.Time, limit int) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	recent := l.recent(key, now)
	if len(recent) < limit {
		return 0
	}
	return recent[len(recent)-limit].Add(l.window).Sub(now)
}

// fail records a failed attempt of key.
func (l *failureLimiter) fail(key string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.failures[key] = append(l.recent(key, now), now)
	if now.Sub(l.swept) > l.window {
		for k := range l.failures {
			if len(l.recent(k, now)) == 0 {
				delete(l.failures, k)
			}
		}
		l.swept = now
	}
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
