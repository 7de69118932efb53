package db

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// backupsDirName is the folder of the data directory that serve writes its
// scheduled backups to (package main's backupsDir).
const backupsDirName = "backups"

// Private modes: what the data directory, its folders and the files that
// hold the database or a key may allow at most.
const (
	privateDirMode  fs.FileMode = 0o700
	privateFileMode fs.FileMode = 0o600
)

// tightenModes takes away what the owner alone should have from the data
// directory dataDir and the files gatehouse keeps there: the directory
// and its backups folder become at most 0700; the database and its WAL,
// shared-memory and journal files, the secret key and the copies kept
// beside them (gatehouse.db*, secret.key*) and the backups become at most
// 0600. A data directory made by hand or by an older gatehouse keeps the
// modes it was made with otherwise (gatehouse.db 0644 under a 0755
// directory). Only modes are lowered, never raised; symbolic links and
// anything else in the directory are left alone. Each change is logged;
// a file that cannot be changed (another owner) is logged and skipped,
// since the directory's mode already keeps others out of it.
func (db *DB) tightenModes(ctx context.Context, dataDir string) {
	db.tightenMode(ctx, dataDir, privateDirMode)
	for _, dir := range []string{dataDir, filepath.Join(dataDir, backupsDirName)} {
		entries, err := os.ReadDir(dir)
		if err != nil {
			if !errors.Is(err, fs.ErrNotExist) {
				db.logger.WarnContext(ctx, "cannot check file permissions", "path", dir, "err", err)
			}
			continue
		}
		if dir != dataDir {
			db.tightenMode(ctx, dir, privateDirMode)
		}
		for _, e := range entries {
			if !e.Type().IsRegular() || !(dir != dataDir || holdsSecrets(e.Name())) {
				continue
			}
			db.tightenMode(ctx, filepath.Join(dir, e.Name()), privateFileMode)
		}
	}
}

// holdsSecrets reports whether a file of the data directory is the
// database, one of SQLite's files beside it, the secret key, or a copy of
// one of them that gatehouse kept (gatehouse.db.before-restore-…,
// secret.key.old-…).
func holdsSecrets(name string) bool {
	return strings.HasPrefix(name, dbFileName) || strings.HasPrefix(name, secretFileName)
}

// tightenMode removes from path's permissions every bit max does not
// have, and logs the change when there was one.
func (db *DB) tightenMode(ctx context.Context, path string, max fs.FileMode) {
	fi, err := os.Lstat(path)
	if err != nil {
		db.logger.WarnContext(ctx, "cannot check file permissions", "path", path, "err", err)
		return
	}
	perm := fi.Mode().Perm()
	if perm&^max == 0 {
		return
	}
	want := perm & max
	if err := os.Chmod(path, fi.Mode()&^fs.ModePerm|want); err != nil {
		db.logger.WarnContext(ctx, "cannot tighten file permissions", "path", path,
			"mode", fmt.Sprintf("%04o", perm), "want", fmt.Sprintf("%04o", want), "err", err)
		return
	}
	db.logger.WarnContext(ctx, "tightened file permissions: only gatehouse's user may read its data", "path", path,
		"from", fmt.Sprintf("%04o", perm), "to", fmt.Sprintf("%04o", want))
}

// createPrivate creates the empty file path with mode 0600 unless it
// exists. SQLite reads an empty file as a new database and gives the WAL
// and shared-memory files it makes beside a database the database file's
// mode, so a new store is private from its first byte.
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_RDONLY|os.O_CREATE, privateFileMode)
	if err != nil {
		return fmt.Errorf("create database %s: %w", path, err)
	}
	return f.Close()
}
