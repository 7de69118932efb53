package db

import (
	"sync"
	"time"

	"gatehouse/app"
)

// maxCachedLists bounds the signed-list cache; it is emptied when full.
const maxCachedLists = 256

// listCache remembers the valid-coupon lists of schedules, the hot path of
// signed coupon links that kiosks and PMS systems poll. An entry is good
// while no write transaction of this store has committed since it was read
// (the generation) and until the first of its coupons expires. Writes by
// another process are not seen: gatehouse runs one server per database.
type listCache struct {
	mu      sync.Mutex
	gen     uint64
	entries map[string]cachedList
}

type cachedList struct {
	gen     uint64
	until   time.Time // the earliest expiry among the coupons
	coupons []app.Coupon
}

// generation returns the current write generation.
func (c *listCache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// invalidate starts a new generation; every write commit calls it.
func (c *listCache) invalidate() {
	c.mu.Lock()
	c.gen++
	c.mu.Unlock()
}

// get returns the cached list of a schedule if it is still good at now.
func (c *listCache) get(scheduleID string, now time.Time) ([]app.Coupon, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[scheduleID]
	if !ok || e.gen != c.gen || !now.Before(e.until) {
		return nil, false
	}
	return e.coupons, true
}

// put stores a list read at generation gen.
func (c *listCache) put(scheduleID string, gen uint64, coupons []app.Coupon) {
	until := time.Unix(1<<40, 0) // far future when the list is empty
	for _, cp := range coupons {
		if cp.ExpiresAt.Before(until) {
			until = cp.ExpiresAt
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return // a write committed meanwhile; the list may be stale already
	}
	if c.entries == nil || len(c.entries) >= maxCachedLists {
		c.entries = map[string]cachedList{}
	}
	c.entries[scheduleID] = cachedList{gen: gen, until: until, coupons: coupons}
}
