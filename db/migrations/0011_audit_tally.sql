-- 0011_audit_tally: failed sign-ins are tallied, and the log has a
-- retention.
--
-- Anyone can fail a sign-in, so one row per failure would let anonymous
-- clients fill the log. Instead one row per source address (IPv6 /64) and
-- minute stands for all of that minute's failures, with their number in
-- count (NULL in the rows of admin writes, which are one each). The only
-- change allowed to a stored row is raising the count of such a tally.
--
-- The log is purged of rows older than [audit] retention. Rather than
-- trusting the purge's cutoff, the schema itself refuses to delete any row
-- younger than 30 days by the database's own clock: a bug (or a wrong
-- clock in gatehouse) can at worst remove what the retention would remove
-- soon anyway, never recent history. db.MinAuditRetention mirrors the 30.

ALTER TABLE audit_events ADD COLUMN count INTEGER;

CREATE INDEX audit_events_tally ON audit_events (remote_addr, action, status, at) WHERE count IS NOT NULL;

DROP TRIGGER audit_events_no_update;

CREATE TRIGGER audit_events_no_update BEFORE UPDATE OF
    seq, id, at, actor_id, actor_name, actor_role, action, resource, remote_addr, status ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;

CREATE TRIGGER audit_events_count_grows BEFORE UPDATE OF count ON audit_events
WHEN OLD.count IS NULL OR NEW.count IS NULL OR NEW.count <= OLD.count
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only; only a tally''s count may grow');
END;

DROP TRIGGER audit_events_no_delete;

CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
WHEN OLD.at > (CAST(strftime('%s', 'now') AS INTEGER) - 30 * 86400) * 1000000
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only; only those older than 30 days may be purged');
END;
