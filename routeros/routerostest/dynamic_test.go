package routerostest_test

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/go-routeros/routeros/v3"
)

const gardenIP = "/ip/hotspot/walled-garden/ip"

// rowsOf renders a print as "dst-host|dst-address|dynamic|comment" lines.
func rowsOf(rep *routeros.Reply) string {
	var out []string
	for _, s := range rep.Re {
		m := s.Map
		out = append(out, m["dst-host"]+"|"+m["dst-address"]+"|"+m["dynamic"]+"|"+m["comment"])
	}
	return strings.Join(out, "\n")
}

func TestDynamicRowsDefaultResolver(t *testing.T) {
	r := newRouter(t)
	c := dial(t, r)
	id := run(t, c, gardenIP+"/add", "=dst-host=portal.example.com", "=action=reject", "=protocol=tcp",
		"=dst-port=443", "=comment=gh").Done.Map["ret"]
	rows := run(t, c, gardenIP+"/print").Re
	if len(rows) != 2 {
		t.Fatalf("got %d rows, want the static row and one dynamic row", len(rows))
	}
	dyn := rows[1].Map
	addr, err := netip.ParseAddr(dyn["dst-address"])
	if err != nil || !netip.MustParsePrefix("198.18.0.0/15").Contains(addr) {
		t.Errorf("dynamic dst-address = %q, want an address in 198.18.0.0/15", dyn["dst-address"])
	}
	want := map[string]string{"dynamic": "true", "action": "reject", "protocol": "tcp", "dst-port": "443", "comment": "gh"}
	for k, v := range want {
		if dyn[k] != v {
			t.Errorf("dynamic row %s = %q, want %q", k, dyn[k], v)
		}
	}
	for k := range dyn {
		if strings.ContainsRune(k, 0) {
			t.Errorf("print shows the hidden key %q", k)
		}
	}
	// Same name, same address: the default is deterministic.
	run(t, c, gardenIP+"/add", "=dst-host=portal.example.com")
	again := run(t, c, gardenIP+"/print", "?dynamic=true").Re
	if len(again) != 2 || again[1].Map["dst-address"] != dyn["dst-address"] {
		t.Errorf("got %v, want the same address twice", again)
	}
	if got := r.Row(gardenIP, id)["dynamic"]; got != "false" {
		t.Errorf("static row dynamic = %q, want false", got)
	}
}

func TestDynamicRowsLifecycle(t *testing.T) {
	r := newRouter(t)
	c := dial(t, r)
	r.SetResolver(func(host string) []string {
		switch host {
		case "two.example":
			return []string{"192.0.2.1", "192.0.2.2"}
		case "three.example":
			return []string{"192.0.2.7", "192.0.2.8", "192.0.2.9"}
		}
		return nil
	})
	first := run(t, c, gardenIP+"/add", "=dst-host=two.example", "=comment=a").Done.Map["ret"]
	run(t, c, gardenIP+"/add", "=dst-address=10.0.0.1", "=comment=b")
	run(t, c, gardenIP+"/add", "=dst-host=none.example", "=comment=c")
	want := "two.example||false|a\n|192.0.2.1|true|a\n|192.0.2.2|true|a\n|10.0.0.1|false|b\nnone.example||false|c"
	if got := rowsOf(run(t, c, gardenIP+"/print")); got != want {
		t.Fatalf("print:\n%s\nwant:\n%s", got, want)
	}

	dyn := run(t, c, gardenIP+"/print", "?dynamic=true", "=.proplist=.id").Re[0].Map[".id"]
	wantTrap(t, c, "failure: can not change dynamic", gardenIP+"/set", "=.id="+dyn, "=comment=x")
	wantTrap(t, c, "failure: can not change dynamic", gardenIP+"/disable", "=.id="+dyn)
	wantTrap(t, c, "failure: can not remove dynamic", gardenIP+"/remove", "=.id="+dyn)
	wantTrap(t, c, "failure: can not remove dynamic", gardenIP+"/remove", "=.id="+first+","+dyn)
	if n := len(r.Rows(gardenIP)); n != 5 {
		t.Errorf("after refused commands: %d rows, want 5", n)
	}

	// Changing dst-host re-creates the dynamic rows, right after the row.
	run(t, c, gardenIP+"/set", "=.id="+first, "=dst-host=three.example", "=comment=a2")
	want = "three.example||false|a2\n|192.0.2.7|true|a2\n|192.0.2.8|true|a2\n|192.0.2.9|true|a2\n|10.0.0.1|false|b\nnone.example||false|c"
	if got := rowsOf(run(t, c, gardenIP+"/print")); got != want {
		t.Errorf("after set:\n%s\nwant:\n%s", got, want)
	}
	if got := r.Row(gardenIP, dyn); got != nil {
		t.Errorf("old dynamic row still there: %v", got)
	}
	// Disabled: no dynamic rows (a guess); enabled again: back.
	run(t, c, gardenIP+"/disable", "=.id="+first)
	if n := len(run(t, c, gardenIP+"/print", "?dynamic=true").Re); n != 0 {
		t.Errorf("disabled static row: %d dynamic rows, want 0", n)
	}
	run(t, c, gardenIP+"/enable", "=.id="+first)
	if n := len(run(t, c, gardenIP+"/print", "?dynamic=true").Re); n != 3 {
		t.Errorf("enabled again: %d dynamic rows, want 3", n)
	}
	// Removing the static row removes its dynamic rows.
	run(t, c, gardenIP+"/remove", "=.id="+first)
	if got, want := rowsOf(run(t, c, gardenIP+"/print")), "|10.0.0.1|false|b\nnone.example||false|c"; got != want {
		t.Errorf("after remove:\n%s\nwant:\n%s", got, want)
	}
	// The HTTP-level walled garden has no dynamic rows.
	run(t, c, "/ip/hotspot/walled-garden/add", "=dst-host=two.example")
	if n := len(r.Rows("/ip/hotspot/walled-garden")); n != 1 {
		t.Errorf("HTTP walled garden: %d rows, want 1", n)
	}
}

// TestDynamicRowsSeeding: the test helpers follow the same rules.
func TestDynamicRowsSeeding(t *testing.T) {
	r := newRouter(t)
	c := dial(t, r)
	r.SetResolver(func(string) []string { return []string{"192.0.2.5"} })
	id := r.AddRow(gardenIP, map[string]string{"dst-host": "seed.example", "comment": "s"})
	r.AddRow(gardenIP, map[string]string{"dst-address": "192.0.2.99", "dynamic": "true"})
	if got, want := rowsOf(run(t, c, gardenIP+"/print")),
		"seed.example||false|s\n|192.0.2.5|true|s\n|192.0.2.99|true|"; got != want {
		t.Errorf("seeded:\n%s\nwant:\n%s", got, want)
	}
	r.SetResolver(nil)
	r.SetRow(gardenIP, id, map[string]string{"dst-host": "other.example"})
	rows := r.Rows(gardenIP)
	if len(rows) != 3 || rows[1]["dynamic"] != "true" || !strings.HasPrefix(rows[1]["dst-address"], "198.1") {
		t.Errorf("after SetRow: %v, want a default-resolved dynamic row after the static row", rows)
	}
	r.RemoveRow(gardenIP, id)
	if rows := r.Rows(gardenIP); len(rows) != 1 || rows[0]["dst-address"] != "192.0.2.99" {
		t.Errorf("after RemoveRow: %v, want the seeded dynamic row only", rows)
	}
}
