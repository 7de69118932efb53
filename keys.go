package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"gatehouse/db"
)

// cmdKeysRotate is "gatehouse keys rotate [-jwt] [-links] [-secrets]";
// no flag means all three.
func cmdKeysRotate(fs *flag.FlagSet) action {
	cf := configFlags(fs)
	jwt := fs.Bool("jwt", false, "new API token signing key: every API token stops working")
	links := fs.Bool("links", false, "new link signing key: every signed link handed out stops working")
	secrets := fs.Bool("secrets", false, "new secret.key: re-encrypt every stored secret (serve must be stopped)")
	return func(ctx context.Context, c console, _ []string) error {
		if !*jwt && !*links && !*secrets {
			*jwt, *links, *secrets = true, true, true
		}
		cfg, err := cf.configure(c.getenv, nil)
		if err != nil {
			return err
		}
		store, err := openForRotation(ctx, cfg, *secrets, c.stderr)
		if err != nil {
			return fmt.Errorf("keys rotate: %w", err)
		}
		defer store.Close()
		if *jwt {
			if err := rotateTokenKey(ctx, store, c.stdout); err != nil {
				return err
			}
		}
		if *links {
			if err := store.RotateKey(ctx, keyLinks, keySize); err != nil {
				return fmt.Errorf("keys rotate: %w", err)
			}
			fmt.Fprintln(c.stdout, "rotated the link signing key: signed coupon links, image links, preview and test links handed out before now no longer work")
		}
		if *secrets {
			if err := rotateSecretKey(ctx, store, cfg.Storage.DataDir, c.stdout); err != nil {
				return err
			}
		}
		if *jwt || *links {
			fmt.Fprintln(c.stdout, "gatehouse serve reads these keys when it starts: restart it if it is running")
		}
		return nil
	}
}

// openForRotation opens the store for keys rotate. The secret key needs
// the database to itself, and is checked first: with serve running,
// nothing is rotated. The signing keys can change under a running
// server, which reads them at start.
func openForRotation(ctx context.Context, cfg Config, exclusive bool, stderr io.Writer) (*db.DB, error) {
	if err := requireDatabase(cfg.Storage.DataDir); err != nil {
		return nil, err
	}
	if exclusive {
		return db.OpenExclusive(ctx, cfg.Storage.DataDir, newLogger(cfg.Log, stderr))
	}
	return openStore(ctx, cfg, stderr)
}

// rotateSecretKey re-encrypts every stored secret under a new secret.key
// in dir.
func rotateSecretKey(ctx context.Context, store *db.DB, dir string, stdout io.Writer) error {
	r, err := store.RotateSecretKey(ctx)
	if err != nil {
		return fmt.Errorf("keys rotate: %w", err)
	}
	fmt.Fprintf(stdout, "re-encrypted %d secrets under a new key in %s\n", r.Secrets, r.KeyFile)
	fmt.Fprintf(stdout, "kept the previous key as %s (mode 0600): backups made before now, including those in %s, need it; delete it when you no longer need them\n",
		r.OldKeyFile, filepath.Join(dir, backupsDir))
	return nil
}

// rotateTokenKey replaces the API token signing key and revokes the
// token records still active: their bearer tokens can no longer verify,
// and token list says so.
func rotateTokenKey(ctx context.Context, store *db.DB, stdout io.Writer) error {
	if err := store.RotateKey(ctx, keyTokens, keySize); err != nil {
		return fmt.Errorf("keys rotate: %w", err)
	}
	list, err := store.ListTokens(ctx)
	if err != nil {
		return fmt.Errorf("keys rotate: %w", err)
	}
	revoked := 0
	now := time.Now()
	for _, t := range list {
		if t.RevokedAt != nil || !t.Active(now) {
			continue
		}
		if err := store.RevokeToken(ctx, t.ID); err != nil {
			return fmt.Errorf("keys rotate: revoke token %s: %w", t.ID, err)
		}
		revoked++
	}
	fmt.Fprintf(stdout, "rotated the API token signing key: every API token stops working (%d revoked)\n", revoked)
	fmt.Fprintln(stdout, "create a new one with: gatehouse token create -name NAME -role admin")
	return nil
}
