package db

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"regexp"
	"strconv"
)

// migrationFiles holds the schema, one numbered file per step:
// migrations/NNNN_name.sql, numbered 1, 2, 3... without gaps. A step is
// applied once, in its own transaction, and never edited after release;
// a schema change is a new file.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// migration is one schema step.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations are the embedded steps in order. They are checked when the
// package loads: a malformed set is a build mistake, caught by any test.
var migrations = mustLoadMigrations(migrationFiles)

var migrationName = regexp.MustCompile(`^(\d{4})_([a-z0-9_]+)\.sql$`)

// loadMigrations reads the steps in fsys and checks their numbering.
func loadMigrations(fsys fs.FS) ([]migration, error) {
	entries, err := fs.ReadDir(fsys, "migrations")
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var ms []migration
	for _, e := range entries { // ReadDir sorts by name
		m := migrationName.FindStringSubmatch(e.Name())
		if m == nil {
			return nil, fmt.Errorf("migration file %q is not named NNNN_name.sql", e.Name())
		}
		v, err := strconv.Atoi(m[1])
		if err != nil {
			return nil, fmt.Errorf("migration file %q: %w", e.Name(), err)
		}
		if v != len(ms)+1 {
			return nil, fmt.Errorf("migration file %q: want version %d", e.Name(), len(ms)+1)
		}
		b, err := fs.ReadFile(fsys, "migrations/"+e.Name())
		if err != nil {
			return nil, fmt.Errorf("read migration: %w", err)
		}
		ms = append(ms, migration{version: v, name: m[2], sql: string(b)})
	}
	if len(ms) == 0 {
		return nil, fmt.Errorf("no migrations")
	}
	return ms, nil
}

func mustLoadMigrations(fsys fs.FS) []migration {
	ms, err := loadMigrations(fsys)
	if err != nil {
		panic(err)
	}
	return ms
}

// SchemaVersion is the schema version this binary creates and understands:
// the number of the last embedded migration.
func SchemaVersion() int { return migrations[len(migrations)-1].version }

// errNewerSchema is the refusal to open a database from a newer gatehouse.
func errNewerSchema(v int) error {
	return fmt.Errorf("database schema version %d is newer than this gatehouse binary understands (%d): upgrade gatehouse or restore a backup", v, SchemaVersion())
}

// migrate brings the database up to SchemaVersion, one step per
// transaction. The version is read again inside each transaction, so two
// processes starting at once apply each step exactly once.
func (db *DB) migrate(ctx context.Context) error {
	v, err := userVersion(ctx, db.writer)
	if err != nil {
		return err
	}
	if v > SchemaVersion() {
		return errNewerSchema(v)
	}
	for _, m := range migrations {
		if m.version <= v {
			continue
		}
		if err := db.applyMigration(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

// applyMigration runs step m unless another process got there first.
func (db *DB) applyMigration(ctx context.Context, m migration) error {
	tx, err := db.writer.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migration %04d_%s: %w", m.version, m.name, err)
	}
	applied, err := runMigration(ctx, tx, m)
	if err != nil || !applied {
		return rollback(tx, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migration %04d_%s: commit: %w", m.version, m.name, err)
	}
	db.logger.InfoContext(ctx, "applied database migration", "version", m.version, "name", m.name)
	return nil
}

// runMigration executes step m in tx and records its version. It reports
// false when the database already is at m or later.
func runMigration(ctx context.Context, tx *sql.Tx, m migration) (bool, error) {
	v, err := userVersion(ctx, tx)
	switch {
	case err != nil:
		return false, err
	case v > SchemaVersion():
		return false, errNewerSchema(v)
	case v >= m.version:
		return false, nil
	case v != m.version-1:
		return false, fmt.Errorf("migration %04d_%s: database is at version %d, want %d", m.version, m.name, v, m.version-1)
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return false, fmt.Errorf("migration %04d_%s: %w", m.version, m.name, err)
	}
	// PRAGMA takes no parameters; the version is an int we control.
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.version)); err != nil {
		return false, fmt.Errorf("migration %04d_%s: set version: %w", m.version, m.name, err)
	}
	return true, nil
}

// querier is what *sql.DB, *sql.Conn and *sql.Tx have in common.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// userVersion reads the schema version recorded in the database header.
func userVersion(ctx context.Context, q querier) (int, error) {
	var v int
	if err := q.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return v, nil
}
