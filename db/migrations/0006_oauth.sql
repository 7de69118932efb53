-- 0006_oauth: OAuth2 guest sign-in.

-- One sign-in in progress. The browser carries only a signed reference to
-- the row (the OAuth2 state); everything else stays here. verifier is the
-- PKCE code_verifier and browser_hash the SHA-256 of the secret in the
-- starting browser's cookie: neither is ever sent to the provider.
-- instance_id and site_id are NULL for the sign-in of an auth
-- integration's test link. used_at is set by the callback, once.
CREATE TABLE oauth_attempts (
    id                  TEXT    NOT NULL PRIMARY KEY,
    auth_integration_id TEXT    NOT NULL REFERENCES auth_integrations (id) ON DELETE CASCADE,
    instance_id         TEXT    REFERENCES instances (id) ON DELETE CASCADE,
    site_id             TEXT    REFERENCES sites (id) ON DELETE CASCADE,
    router_params       TEXT    NOT NULL DEFAULT '', -- URL-encoded
    verifier            TEXT    NOT NULL,
    nonce               TEXT    NOT NULL,
    browser_hash        TEXT    NOT NULL,
    created_at          INTEGER NOT NULL,
    expires_at          INTEGER NOT NULL,
    used_at             INTEGER
) STRICT;

CREATE INDEX oauth_attempts_expires ON oauth_attempts (expires_at);

-- A signed-in guest: the one-off hotspot user gatehouse keeps on the
-- guest's site until ends_at, and the site user that records the identity.
CREATE TABLE oauth_guests (
    site_user_id TEXT    NOT NULL PRIMARY KEY REFERENCES site_users (id) ON DELETE CASCADE,
    site_id      TEXT    NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    instance_id  TEXT    NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
    provider     TEXT    NOT NULL,
    subject      TEXT    NOT NULL,
    username     TEXT    NOT NULL UNIQUE,
    password     TEXT    NOT NULL,
    mac_address  TEXT    NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    ends_at      INTEGER NOT NULL
) STRICT;

CREATE INDEX oauth_guests_site ON oauth_guests (site_id, ends_at);
CREATE INDEX oauth_guests_device ON oauth_guests (instance_id, mac_address, ends_at);
