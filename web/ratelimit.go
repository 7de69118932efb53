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
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.wait(l.recent(key, now), now)
}

// wait is how long a key with the recent failures must wait (under mu).
func (l *failureLimiter) wait(recent []time.Time, now time.Time) time.Duration {
	if len(recent) < l.limit {
		return 0
	}
	return recent[len(recent)-l.limit].Add(l.window).Sub(now)
}

// reserve counts an attempt of key as failed before it is made, in one
// step with the check, so that attempts made at the same time cannot all
// pass the check: it returns how long key must wait (and counts nothing),
// or 0 and the time to hand to forgive if the attempt succeeds.
func (l *failureLimiter) reserve(key string, now time.Time) (time.Duration, time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
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
