-- 0005_audit: the audit log of admin writes. Rows are only ever added:
-- the triggers below refuse UPDATE, DELETE and an INSERT that would
-- replace a row (INSERT OR REPLACE deletes without firing DELETE
-- triggers), so not even a bug in gatehouse can rewrite history. There is no retention yet; the table
-- grows with every admin write (a few hundred bytes a row).
-- Request bodies are never stored: they may hold passwords and secrets.

CREATE TABLE audit_events (
    seq         INTEGER PRIMARY KEY,      -- insertion order, breaks ties of at
    id          TEXT    NOT NULL UNIQUE,  -- UUID v7
    at          INTEGER NOT NULL,         -- unix microseconds, UTC
    actor_id    TEXT    NOT NULL,         -- token id
    actor_name  TEXT    NOT NULL,
    actor_role  TEXT    NOT NULL,
    action      TEXT    NOT NULL,         -- "METHOD /route/:pattern"
    resource    TEXT,                     -- the most specific path id; NULL for none
    remote_addr TEXT    NOT NULL,
    status      INTEGER NOT NULL
) STRICT;

CREATE INDEX audit_events_at ON audit_events (at);
CREATE INDEX audit_events_resource ON audit_events (resource, at);
CREATE INDEX audit_events_actor_id ON audit_events (actor_id, at);
CREATE INDEX audit_events_actor_name ON audit_events (actor_name, at);

CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;

CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;

CREATE TRIGGER audit_events_no_replace BEFORE INSERT ON audit_events
WHEN EXISTS (SELECT 1 FROM audit_events WHERE id = NEW.id OR seq = NEW.seq)
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;
