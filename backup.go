package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"

	"gatehouse/db"
)

// backupsDir is the folder of the data directory that scheduled backups
// go to.
const backupsDir = "backups"

// cmdBackup is "gatehouse backup FILE": a consistent copy of the
// database, taken while serve keeps running.
func cmdBackup(fs *flag.FlagSet) action {
	cf := configFlags(fs)
	force := fs.Bool("force", false, "replace FILE (and FILE.key) if it exists")
	withKey := fs.Bool("with-key", false, "also copy secret.key to FILE.key (mode 0600)")
	return func(ctx context.Context, c console, args []string) error {
		file := args[0]
		cfg, err := cf.configure(c.getenv, nil)
		if err != nil {
			return err
		}
		if err := requireDatabase(cfg.Storage.DataDir); err != nil {
			return err
		}
		store, err := openStore(ctx, cfg, c.stderr)
		if err != nil {
			return err
		}
		defer store.Close()
		if err := store.BackupWith(ctx, file, db.BackupOptions{Replace: *force, WithKey: *withKey}); err != nil {
			return err
		}
		info, err := db.CheckBackup(ctx, file)
		if err != nil {
			return fmt.Errorf("the backup just written does not pass its check: %w", err)
		}
		fmt.Fprintf(c.stdout, "wrote %s (%d bytes, schema version %d, integrity ok, %d encrypted secrets)\n",
			info.Path, info.Size, info.SchemaVersion, info.Secrets)
		if *withKey {
			fmt.Fprintf(c.stdout, "wrote %s.key (mode 0600): it decrypts the secrets in the backup; keep it as safe as the secrets themselves\n", info.Path)
		} else {
			fmt.Fprintf(c.stdout, "the secret key is not in the backup: keep a copy of %s with it (or use -with-key); without that key the encrypted secrets in the backup cannot be read\n",
				db.KeyFile(cfg.Storage.DataDir))
		}
		return nil
	}
}

// cmdRestore is "gatehouse restore FILE": replaces the database with a
// backup while serve is stopped.
func cmdRestore(fs *flag.FlagSet) action {
	cf := configFlags(fs)
	keyFile := fs.String("key", "", "the secret.key in use when FILE was made (default: FILE.key if it exists, else the data directory's secret.key)")
	return func(ctx context.Context, c console, args []string) error {
		cfg, err := cf.configure(c.getenv, nil)
		if err != nil {
			return err
		}
		r, err := db.Restore(ctx, cfg.Storage.DataDir, args[0], db.RestoreOptions{KeyFile: *keyFile})
		if err != nil {
			return fmt.Errorf("restore: %w", err)
		}
		reportRestore(c.stdout, cfg.Storage.DataDir, r)
		return nil
	}
}

// reportRestore says what restore checked, installed and kept.
func reportRestore(stdout io.Writer, dir string, r db.Restored) {
	b := r.Backup
	fmt.Fprintf(stdout, "checked %s: integrity ok, schema version %d", b.Path, b.SchemaVersion)
	if b.SchemaVersion < db.SchemaVersion() {
		fmt.Fprintf(stdout, " (this gatehouse: %d; it migrates the database at the next start)", db.SchemaVersion())
	}
	switch {
	case r.KeyFile != "":
		fmt.Fprintf(stdout, ", %d encrypted secrets decrypt with %s\n", b.Secrets, r.KeyFile)
	default:
		fmt.Fprintln(stdout, ", no encrypted secrets")
	}
	if r.PreviousDB != "" {
		fmt.Fprintf(stdout, "kept the replaced database as %s\n", r.PreviousDB)
	}
	if r.KeyInstalled {
		fmt.Fprintf(stdout, "installed %s as %s\n", r.KeyFile, db.KeyFile(dir))
	}
	if r.PreviousKey != "" {
		fmt.Fprintf(stdout, "kept the replaced secret key as %s\n", r.PreviousKey)
	}
	fmt.Fprintf(stdout, "restored %s from %s; start gatehouse serve again\n", db.DatabaseFile(dir), b.Path)
}

// requireDatabase fails unless dataDir holds a database, so that a
// mistyped -data-dir is reported rather than filled with a new one.
func requireDatabase(dataDir string) error {
	_, err := os.Stat(db.DatabaseFile(dataDir))
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("no gatehouse database in %s: is the data directory (storage.data_dir, -data-dir) right?", dataDir)
	}
	return err
}
