package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"gatehouse/app"
	"gatehouse/web"
)

// cmdToken runs "gatehouse token create|list|revoke".
func cmdToken(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	if len(args) == 0 || (args[0] != "create" && args[0] != "list" && args[0] != "revoke") {
		return errors.New("token: want create, list or revoke")
	}
	var cf commonFlags
	fs := newFlagSet("token "+args[0], stderr, &cf)
	name := fs.String("name", "", "name of the token, e.g. the script or person using it")
	role := fs.String("role", string(app.RoleAdmin), "role: admin, operator or frontdesk")
	ttl := fs.Duration("ttl", app.DefaultTokenTTL, "lifetime, e.g. 720h")
	positional, err := parseArgs(fs, args[1:])
	if err != nil {
		return err
	}
	if args[0] != "revoke" && len(positional) > 0 {
		return fmt.Errorf("token %s: unexpected argument %q", args[0], positional[0])
	}
	store, err := cf.openStore(ctx, getenv, stderr)
	if err != nil {
		return err
	}
	defer store.Close()

	switch args[0] {
	case "create":
		t, err := store.CreateToken(ctx, *name, app.Role(*role), *ttl)
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
		fmt.Fprintf(stdout, "# token %s %q role=%s expires %s\n%s\n", t.ID, t.Name, t.Role, t.ExpiresAt.Format(time.RFC3339), bearer)
		return nil
	case "list":
		list, err := store.ListTokens(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
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
	default: // revoke
		if len(positional) != 1 {
			return errors.New("token revoke: want exactly one token ID")
		}
		if err := store.RevokeToken(ctx, positional[0]); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "revoked %s\n", positional[0])
		return nil
	}
}
