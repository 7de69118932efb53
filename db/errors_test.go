package db

import (
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gatehouse/app"
)

func TestMapError(t *testing.T) {
	db := openTest(t)
	s := mustCreateSite(t, db, testSite("a"))
	in := mustCreateInstance(t, db, testInstance("i", s.ID))
	errStop := errors.New("stop")
	tests := []struct {
		name     string
		sql      string
		args     []any
		wantCode string
		wantMsg  string
	}{
		{"primary key", `INSERT INTO sites SELECT * FROM sites`,
			nil, app.EConflict, "raw: a record with the same key already exists"},
		{"foreign key", `INSERT INTO instance_sites (instance_id, site_id, position) VALUES (?, ?, 1)`,
			[]any{in.ID, unknownID}, app.EConflict, "raw: the record refers to"},
		{"syntax", `SELEC 1`, nil, app.EInternal, "raw: "},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := db.write(t.Context(), "raw", func(tx *sql.Tx, _ time.Time) error {
				_, err := tx.ExecContext(t.Context(), tc.sql, tc.args...)
				return err
			})
			wantCode(t, err, tc.wantCode, "")
			if !strings.Contains(err.Error(), tc.wantMsg) {
				t.Errorf("error: got %q, want it to contain %q", err, tc.wantMsg)
			}
		})
	}
	// A change func's error passes through as it is, even wrapped deeper.
	err := db.write(t.Context(), "raw", func(*sql.Tx, time.Time) error {
		return &changeError{errStop}
	})
	if err != errStop {
		t.Errorf("change error: got %v, want %v", err, errStop)
	}
}

func TestIsBusy(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	other, err := sql.Open("sqlite", filepath.Join(filepath.Dir(db.path), dbFileName)+"?_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	tx, err := db.writer.BeginTx(ctx, nil) // holds the write lock
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	otx, err := other.BeginTx(ctx, nil) // no busy timeout: fails at once
	if err == nil {
		otx.Rollback()
		t.Fatal("second writer: got no error, want SQLITE_BUSY")
	}
	if !isBusy(err) {
		t.Errorf("isBusy(%v): got false, want true", err)
	}
	if isBusy(errors.New("database is locked")) {
		t.Error("isBusy of a plain error: got true, want false")
	}
}

func TestMigrationAppliedOnce(t *testing.T) {
	db := openTest(t)
	// Another process got there first: applying a step again is a no-op.
	for _, m := range migrations {
		if err := db.applyMigration(t.Context(), m); err != nil {
			t.Errorf("applyMigration(%d) again: %v", m.version, err)
		}
	}
	v, err := userVersion(t.Context(), db.writer)
	if err != nil || v != SchemaVersion() {
		t.Errorf("user_version: got %d, %v, want %d", v, err, SchemaVersion())
	}
	// A step that does not follow the database's version is refused.
	err = db.applyMigration(t.Context(), migration{version: SchemaVersion() + 2, name: "future", sql: "SELECT 1"})
	if err == nil || !strings.Contains(err.Error(), "want") {
		t.Errorf("out-of-order migration: got %v, want an error", err)
	}
}
