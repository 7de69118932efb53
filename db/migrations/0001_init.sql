-- 0001_init: sites, instances, auth integrations, walled garden, tokens, keys.
--
-- Conventions: ids are canonical UUID text; timestamps are INTEGER unix
-- microseconds (UTC); secrets are BLOB nonce||AES-256-GCM ciphertext, NULL
-- when empty; tables are STRICT so a wrong type is an error, not a surprise.

CREATE TABLE sites (
    id               TEXT    NOT NULL PRIMARY KEY,
    name             TEXT    NOT NULL,
    host             TEXT    NOT NULL,
    port             INTEGER NOT NULL,
    username         TEXT    NOT NULL,
    password         BLOB,
    tls              INTEGER NOT NULL DEFAULT 0,
    tls_fingerprint  TEXT    NOT NULL DEFAULT '',
    hotspot_server   TEXT    NOT NULL,
    state            TEXT    NOT NULL DEFAULT 'unknown',
    last_seen_at     INTEGER,
    last_sync_at     INTEGER,
    last_error       TEXT    NOT NULL DEFAULT '',
    identity         TEXT    NOT NULL DEFAULT '',
    routeros_version TEXT    NOT NULL DEFAULT '',
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
) STRICT;

CREATE INDEX sites_created ON sites (created_at, id);

CREATE TABLE auth_integrations (
    id            TEXT    NOT NULL PRIMARY KEY,
    name          TEXT    NOT NULL,
    type          TEXT    NOT NULL,
    client_id     TEXT    NOT NULL,
    client_secret BLOB,
    tenant        TEXT    NOT NULL DEFAULT '',
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
) STRICT;

CREATE INDEX auth_integrations_created ON auth_integrations (created_at, id);

CREATE TABLE instances (
    id                         TEXT    NOT NULL PRIMARY KEY,
    name                       TEXT    NOT NULL,
    strategy                   TEXT    NOT NULL,
    session_ttl                INTEGER NOT NULL,
    auth_window_ttl            INTEGER NOT NULL,
    auth_integration_id        TEXT    REFERENCES auth_integrations (id),
    theme_accent_text          TEXT    NOT NULL,
    theme_accent_color         TEXT    NOT NULL,
    theme_text_color           TEXT    NOT NULL,
    theme_secondary_text_color TEXT    NOT NULL,
    theme_background_color     TEXT    NOT NULL,
    theme_border_color         TEXT    NOT NULL,
    theme_box_color            TEXT    NOT NULL,
    terms_text                 TEXT    NOT NULL DEFAULT '',
    locale                     TEXT    NOT NULL,
    created_at                 INTEGER NOT NULL,
    updated_at                 INTEGER NOT NULL
) STRICT;

CREATE INDEX instances_created ON instances (created_at, id);
CREATE INDEX instances_auth_integration ON instances (auth_integration_id);

-- The sites an instance applies to, in the order the operator gave them;
-- subnets is a JSON array of CIDR strings.
CREATE TABLE instance_sites (
    instance_id TEXT    NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
    site_id     TEXT    NOT NULL REFERENCES sites (id),
    position    INTEGER NOT NULL,
    subnets     TEXT    NOT NULL DEFAULT '[]',
    PRIMARY KEY (instance_id, site_id)
) STRICT;

CREATE INDEX instance_sites_site ON instance_sites (site_id);

CREATE TABLE walled_garden (
    id         TEXT    NOT NULL PRIMARY KEY,
    site_id    TEXT    NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    name       TEXT    NOT NULL,
    type       TEXT    NOT NULL,
    ip_address TEXT    NOT NULL DEFAULT '',
    host       TEXT    NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;

CREATE INDEX walled_garden_site ON walled_garden (site_id, created_at, id);

-- API token records; the JWT itself is never stored.
CREATE TABLE tokens (
    id         TEXT    NOT NULL PRIMARY KEY,
    name       TEXT    NOT NULL,
    role       TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER
) STRICT;

CREATE INDEX tokens_created ON tokens (created_at, id);

-- Named server keys (JWT signing, URL signing), encrypted like secrets.
CREATE TABLE keys (
    name       TEXT    NOT NULL PRIMARY KEY,
    value      BLOB    NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;
