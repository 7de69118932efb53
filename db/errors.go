package db

import (
	"errors"
	"fmt"

	"gatehouse/app"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// This file is the one place in gatehouse that inspects SQLite driver
// errors. Everything else sees app errors or wrapped internal errors.

// changeError carries the error of a caller's change func through a write
// transaction, so that it is returned exactly as the caller made it.
type changeError struct{ err error }

func (e *changeError) Error() string { return e.err.Error() }
func (e *changeError) Unwrap() error { return e.err }

// mapError turns the error of a store operation into what callers get:
// app errors and change func errors unchanged, constraint violations as
// EConflict, and anything else wrapped with op as context (EInternal).
func mapError(op string, err error) error {
	if err == nil {
		return nil
	}
	if ce, ok := errors.AsType[*changeError](err); ok {
		return ce.err
	}
	if _, ok := errors.AsType[*app.Error](err); ok {
		return err
	}
	if se, ok := errors.AsType[*sqlite.Error](err); ok && se.Code()&0xff == sqlite3.SQLITE_CONSTRAINT {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return &app.Error{Code: app.EConflict, Reason: app.ReasonResourceConflict,
				Message: op + ": a record with the same key already exists"}
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return &app.Error{Code: app.EConflict, Reason: app.ReasonResourceConflict,
				Message: op + ": the record refers to, or is referred to by, another record that changed"}
		}
	}
	return fmt.Errorf("%s: %w", op, err)
}

// isBusy reports whether err is SQLite's "database is locked" that the
// busy timeout did not absorb: SQLite returns it at once, without waiting,
// when waiting could deadlock (two connections both upgrading a lock).
func isBusy(err error) bool {
	se, ok := errors.AsType[*sqlite.Error](err)
	return ok && se.Code()&0xff == sqlite3.SQLITE_BUSY
}
