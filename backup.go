package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"gatehouse/db"
)

// backupsDir is the folder of the data directory that scheduled backups
// go to.
const backupsDir = "backups"

// cmdBackup runs "gatehouse backup FILE": a consistent copy of the
// database, taken while serve keeps running.
func cmdBackup(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	var cf commonFlags
	fs := newFlagSet("backup", stderr, &cf)
	force := fs.Bool("force", false, "replace FILE (and FILE.key) if it exists")
	withKey := fs.Bool("with-key", false, "also copy secret.key to FILE.key (mode 0600)")
	positional, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(positional) != 1 {
		return errors.New("backup: want exactly one FILE to write")
	}
	file := positional[0]
	cfg, err := cf.configure(getenv, nil)
	if err != nil {
		return err
	}
	if err := requireDatabase(cfg.Storage.DataDir); err != nil {
		return err
	}
	store, err := openStore(ctx, cfg, stderr)
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
	fmt.Fprintf(stdout, "wrote %s (%d bytes, schema version %d, integrity ok, %d encrypted secrets)\n",
		info.Path, info.Size, info.SchemaVersion, info.Secrets)
	if *withKey {
		fmt.Fprintf(stdout, "wrote %s.key (mode 0600): it decrypts the secrets in the backup; keep it as safe as the secrets themselves\n", info.Path)
	} else {
		fmt.Fprintf(stdout, "the secret key is not in the backup: keep a copy of %s with it (or use -with-key); without that key the encrypted secrets in the backup cannot be read\n",
			db.KeyFile(cfg.Storage.DataDir))
	}
	return nil
}

// cmdRestore runs "gatehouse restore FILE": replaces the database with a
// backup while serve is stopped.
func cmdRestore(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	var cf commonFlags
	fs := newFlagSet("restore", stderr, &cf)
	keyFile := fs.String("key", "", "the secret.key in use when FILE was made (default: FILE.key if it exists, else the data directory's secret.key)")
	positional, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(positional) != 1 {
		return errors.New("restore: want exactly one backup FILE")
	}
	cfg, err := cf.configure(getenv, nil)
	if err != nil {
		return err
	}
	dir := cfg.Storage.DataDir
	r, err := db.Restore(ctx, dir, positional[0], db.RestoreOptions{KeyFile: *keyFile})
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
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
	return nil
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
