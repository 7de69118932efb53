package db

import (
	"bytes"
	"fmt"
	"sync"
	"testing"
)

func TestConcurrentCreates(t *testing.T) {
	db := openTest(t)
	const n = 20
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			_, errs[i] = db.CreateSite(t.Context(), testSite(fmt.Sprint("site-", i)))
		})
	}
	// Readers run alongside the writers.
	for range 4 {
		wg.Go(func() {
			if _, err := db.ListSites(t.Context()); err != nil {
				t.Errorf("ListSites during creates: %v", err)
			}
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("CreateSite %d: %v", i, err)
		}
	}
	if got := rawCount(t, db, "sites"); got != n {
		t.Errorf("sites: got %d, want %d", got, n)
	}
}

// TestConcurrentKey has callers in one process and in two (two stores on
// one data directory) race for the first use of a key.
func TestConcurrentKey(t *testing.T) {
	dir := t.TempDir()
	stores := []*DB{openAt(t, dir), openAt(t, dir)}
	const callers = 4
	keys := make([][]byte, callers)
	errs := make([]error, callers)
	var wg sync.WaitGroup
	for i := range callers {
		wg.Go(func() {
			keys[i], errs[i] = stores[i%2].Key(t.Context(), "jwt", 32)
		})
	}
	wg.Wait()
	for i := range callers {
		if errs[i] != nil {
			t.Fatalf("Key caller %d: %v", i, errs[i])
		}
		if !bytes.Equal(keys[i], keys[0]) {
			t.Errorf("Key caller %d: got %x, want %x like caller 0", i, keys[i], keys[0])
		}
	}
}

// TestConcurrentOpen has two stores created at once on one new directory:
// both must succeed and share one secret key.
func TestConcurrentOpen(t *testing.T) {
	dir := t.TempDir()
	stores := make([]*DB, 2)
	var wg sync.WaitGroup
	for i := range stores {
		wg.Go(func() { stores[i] = openAt(t, dir) })
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	s := mustCreateSite(t, stores[0], testSite("a"))
	got, err := stores[1].Site(t.Context(), s.ID)
	if err != nil || got.Password != s.Password {
		t.Errorf("site read by the other store: got %q, %v, want %q", got.Password, err, s.Password)
	}
}
