package routerostest_test

import (
	"slices"
	"testing"

	"gatehouse/routeros/routerostest"
)

// Strict property lists (docs/routeros.md §2): a word outside a menu's
// documented list traps "unknown parameter", as a real router does.

func TestCommentOnlyWhereDocumented(t *testing.T) {
	r := newRouter(t)
	c := dial(t, r)
	wantTrap(t, c, "unknown parameter", "/ip/hotspot/user/profile/add", "=name=x", "=comment=y")
	run(t, c, "/ip/hotspot/user/profile/add", "=name=x")
	wantTrap(t, c, "unknown parameter", "/ip/hotspot/user/profile/set", "=.id=x", "=comment=y")
	if n := len(r.Rows("/ip/hotspot/user/profile")); n != 2 {
		t.Errorf("got %d profiles, want 2 (default and x)", n)
	}
	run(t, c, "/ip/hotspot/user/add", "=name=u", "=comment=y")
	run(t, c, "/ip/hotspot/walled-garden/add", "=dst-host=a.example", "=comment=y")
	run(t, c, "/ip/hotspot/walled-garden/ip/add", "=dst-address=10.0.0.1", "=comment=y")
	run(t, c, "/ip/hotspot/ip-binding/add", "=mac-address=AA:BB:CC:DD:EE:01", "=comment=y")
	for _, menu := range []string{"/ip/hotspot", "/ip/hotspot/profile", "/ip/hotspot/user/profile"} {
		w, _, _ := routerostest.Properties(menu)
		if slices.Contains(w, "comment") {
			t.Errorf("Properties(%s) has comment, want none (no source)", menu)
		}
	}
}

// TestUndocumentedWordRefused sends an invented word to add and set of every
// menu; menus without add/set answer "no such command".
func TestUndocumentedWordRefused(t *testing.T) {
	r := newRouter(t)
	c := dial(t, r)
	readOnlyMenus := []string{"/file", "/ip/hotspot/active", "/ip/hotspot/cookie", "/ip/hotspot/host", "/system/resource", "/tool"}
	for _, menu := range r.Menus() {
		w, _, ok := routerostest.Properties(menu)
		if !ok {
			t.Errorf("Properties(%s): ok = false, want true for a served menu", menu)
			continue
		}
		var id []string
		if menu != "/system/identity" && menu != "/system/resource" && menu != "/tool" {
			id = []string{"=.id=" + r.AddRow(menu, nil)}
		}
		want := "unknown parameter"
		if slices.Contains(readOnlyMenus, menu) {
			want = "no such command"
			if len(w) != 0 {
				t.Errorf("Properties(%s) writable = %v, want none", menu, w)
			}
		}
		wantTrap(t, c, want, append([]string{menu + "/set", "=frobnicate=1"}, id...)...)
		if menu != "/system/identity" {
			wantTrap(t, c, want, menu+"/add", "=name=frob", "=frobnicate=1")
		}
	}
	if _, _, ok := routerostest.Properties("/ip/address"); ok {
		t.Error("Properties(/ip/address): ok = true, want false")
	}
}

// TestReadOnlyWordsRefused: every read-only property traps on add and set.
func TestReadOnlyWordsRefused(t *testing.T) {
	r := newRouter(t)
	c := dial(t, r)
	for _, menu := range []string{"/ip/hotspot", "/ip/hotspot/profile", "/ip/hotspot/user",
		"/ip/hotspot/user/profile", "/ip/hotspot/walled-garden", "/ip/hotspot/walled-garden/ip"} {
		_, ro, _ := routerostest.Properties(menu)
		if len(ro) == 0 {
			t.Errorf("Properties(%s): no read-only properties, want some", menu)
		}
		id := r.AddRow(menu, nil)
		for _, p := range ro {
			wantTrap(t, c, "unknown parameter", menu+"/set", "=.id="+id, "="+p+"=1")
			wantTrap(t, c, "unknown parameter", menu+"/add", "="+p+"=1")
		}
	}
	// dst-address of the HTTP walled garden is set by the router only.
	wantTrap(t, c, "unknown parameter", "/ip/hotspot/walled-garden/add", "=dst-address=10.0.0.1")
}

func TestPropertiesSorted(t *testing.T) {
	w, ro, ok := routerostest.Properties("/ip/hotspot/user")
	if !ok || !slices.IsSorted(w) || !slices.IsSorted(ro) {
		t.Fatalf("Properties(/ip/hotspot/user) = %v, %v, %v, want sorted lists", w, ro, ok)
	}
	for _, p := range []string{"name", "password", "profile", "comment", "limit-uptime"} {
		if !slices.Contains(w, p) {
			t.Errorf("writable %v lacks %s", w, p)
		}
	}
	if !slices.Contains(ro, "uptime") || slices.Contains(w, "uptime") {
		t.Errorf("got writable %v, read-only %v, want uptime read-only", w, ro)
	}
}
