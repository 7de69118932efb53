package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
)

// errLedgerBroken is the outcome of a ledger whose chain does not hold.
var errLedgerBroken = errors.New("the sales ledger's hash chain is broken")

// cmdLedgerVerify is "gatehouse ledger verify": the sales ledger's hash
// chain recomputed from the database file, as GET /captive/ledger/verify
// does, without a running server. It exits 1 when the chain is broken.
func cmdLedgerVerify(fs *flag.FlagSet) action {
	cf := configFlags(fs)
	return func(ctx context.Context, c console, _ []string) error {
		store, err := cf.openStore(ctx, c.getenv, c.stderr)
		if err != nil {
			return err
		}
		defer store.Close()
		check, err := store.VerifyLedger(ctx)
		if err != nil {
			return err
		}
		if !check.OK {
			fmt.Fprintf(c.stdout, "BROKEN at entry %d of %d: it, or an entry before it, was changed, removed or inserted\nhead %s\n",
				*check.FirstBadSeq, check.Entries, check.Head)
			return fmt.Errorf("ledger verify: %w at entry %d", errLedgerBroken, *check.FirstBadSeq)
		}
		fmt.Fprintf(c.stdout, "ok: %d entries\nhead %s\n", check.Entries, check.Head)
		fmt.Fprintln(c.stdout, "Compare the head with the one printed on your last Z-report: a ledger cut short ends earlier.")
		return nil
	}
}
