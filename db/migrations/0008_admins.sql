-- 0008_admins: accounts of the admin page, and sign-in sessions as token
-- records tied to an account.

CREATE TABLE admins (
    id            TEXT    NOT NULL PRIMARY KEY,
    username      TEXT    NOT NULL COLLATE NOCASE UNIQUE,
    role          TEXT    NOT NULL,
    password_hash TEXT    NOT NULL, -- argon2id, PHC string form
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    last_login_at INTEGER
) STRICT;

-- A session is a token record with admin_id set; API tokens have NULL.
-- admin_id is history, not a reference: deleting an account revokes its
-- sessions and keeps the column, so the audit trail still names it.
ALTER TABLE tokens ADD COLUMN admin_id TEXT;
CREATE INDEX tokens_admin ON tokens (admin_id) WHERE admin_id IS NOT NULL;
