package main

import (
	"context"
	"flag"
	"fmt"
	"text/tabwriter"
	"time"

	"gatehouse/app"
	"gatehouse/web"
)

// The token verbs manage the API's bearer tokens.

// cmdTokenCreate is "gatehouse token create": a new API token, printed
// once as the last line.
func cmdTokenCreate(fs *flag.FlagSet) action {
	cf := configFlags(fs)
	name := fs.String("name", "", "the token's `NAME`, e.g. the script or person using it (required)")
	role := roleFlag(fs, "the token's `ROLE`: admin, operator or frontdesk")
	ttl := fs.Duration("ttl", app.DefaultTokenTTL, "lifetime, e.g. 720h")
	return func(ctx context.Context, c console, _ []string) error {
		store, err := cf.openStore(ctx, c.getenv, c.stderr)
		if err != nil {
			return err
		}
		defer store.Close()
		t, err := store.CreateToken(ctx, *name, *role, *ttl)
		if err != nil {
			return err
		}
		key, err := store.Key(ctx, keyTokens, keySize)
		if err != nil {
			return err
		}
		bearer, err := web.SignToken(key, t)
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "# token %s %q role=%s expires %s\n%s\n", t.ID, t.Name, t.Role, t.ExpiresAt.Format(time.RFC3339), bearer)
		return nil
	}
}

// cmdTokenList is "gatehouse token list": every token with its status.
func cmdTokenList(fs *flag.FlagSet) action {
	cf := configFlags(fs)
	return func(ctx context.Context, c console, _ []string) error {
		store, err := cf.openStore(ctx, c.getenv, c.stderr)
		if err != nil {
			return err
		}
		defer store.Close()
		list, err := store.ListTokens(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNAME\tROLE\tEXPIRES\tSTATUS")
		now := time.Now()
		for _, t := range list {
			status := "active"
			switch {
			case t.RevokedAt != nil:
				status = "revoked"
			case !t.Active(now):
				status = "expired"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", t.ID, t.Name, t.Role, t.ExpiresAt.Format(time.RFC3339), status)
		}
		return tw.Flush()
	}
}

// cmdTokenRevoke is "gatehouse token revoke ID".
func cmdTokenRevoke(fs *flag.FlagSet) action {
	cf := configFlags(fs)
	return func(ctx context.Context, c console, args []string) error {
		store, err := cf.openStore(ctx, c.getenv, c.stderr)
		if err != nil {
			return err
		}
		defer store.Close()
		if err := store.RevokeToken(ctx, args[0]); err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "revoked %s\n", args[0])
		return nil
	}
}
