package app

import (
	"testing"
	"time"
)

// chain builds n chained entries.
func chain(n int) []LedgerEntry {
	out := make([]LedgerEntry, n)
	prev := GenesisHash
	for i := range out {
		out[i] = LedgerEntry{Seq: int64(i + 1), At: time.Unix(1_800_000_000+int64(i), 0), ActorID: "a1", ActorName: "maria",
			Kind: LedgerSale, CouponID: "c", Code: "K7QX2M", PlanID: "p", PlanName: "1 day", Amount: 800, Currency: "EUR"}
		out[i].Hash = out[i].ChainHash(prev)
		prev = out[i].Hash
	}
	return out
}

func verify(entries []LedgerEntry) LedgerCheck {
	v := NewLedgerVerifier()
	for _, e := range entries {
		v.Add(e)
	}
	return v.Result()
}

func TestLedgerVerifier(t *testing.T) {
	good := chain(5)
	if c := verify(good); !c.OK || c.Entries != 5 || c.Head != good[4].Hash || c.FirstBadSeq != nil {
		t.Fatalf("good chain: %+v", c)
	}
	if c := verify(nil); !c.OK || c.Head != GenesisHash {
		t.Errorf("empty ledger: %+v", c)
	}
	for name, tc := range map[string]struct {
		change func([]LedgerEntry) []LedgerEntry
		bad    int64
	}{
		"amount edited": {func(e []LedgerEntry) []LedgerEntry { e[2].Amount = 80; return e }, 3},
		"hash recomputed": {func(e []LedgerEntry) []LedgerEntry {
			e[1].ActorName = "boss"
			e[1].Hash = e[1].ChainHash(e[0].Hash)
			return e
		}, 3},
		"entry removed": {func(e []LedgerEntry) []LedgerEntry { return append(e[:1], e[2:]...) }, 2},
		"first removed": {func(e []LedgerEntry) []LedgerEntry { return e[1:] }, 1},
		"void to sale":  {func(e []LedgerEntry) []LedgerEntry { e[4].Kind = LedgerVoid; return e }, 5},
	} {
		if c := verify(tc.change(chain(5))); c.OK || c.FirstBadSeq == nil || *c.FirstBadSeq != tc.bad {
			t.Errorf("%s: %+v, want first bad %d", name, c, tc.bad)
		}
	}
	// Field boundaries are part of the encoding: moving text from one
	// field to the next changes the hash.
	a, b := good[0], good[0]
	a.ActorName, a.Kind = "maria,", "sale"
	b.ActorName, b.Kind = "maria", ",sale"
	if a.ChainHash(GenesisHash) == b.ChainHash(GenesisHash) {
		t.Error("two entries with different fields hash alike")
	}
}
