-- 0021_guest_privacy: what gatehouse holds about guests, for how long, and
-- what they agreed to (issue 16).
--
-- After [guests] retention a site user keeps its counts and times, but its
-- MAC address, IP address and identity become a keyed hash ("anon:…": the
-- same device or person gives the same hash, so repeat visits can still be
-- counted); so do the MACs a coupon, a device move, an OAuth2 guest or a
-- consent kept. anonymized_at marks rows done.
ALTER TABLE site_users ADD COLUMN anonymized_at INTEGER;
CREATE INDEX site_users_anonymize ON site_users (anonymized_at, active, updated_at);

-- Every version of an instance's terms a guest accepted, by its SHA-256.
CREATE TABLE terms_versions (
    hash          TEXT    NOT NULL PRIMARY KEY, -- hex SHA-256 of text
    text          TEXT    NOT NULL,
    first_seen_at INTEGER NOT NULL
);

-- A consent receipt: at this time, on this instance, the guest of this code
-- (or OAuth2 identity) on this device accepted the terms with this hash.
CREATE TABLE consents (
    id            TEXT    NOT NULL PRIMARY KEY,
    instance_id   TEXT    NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
    terms_hash    TEXT    NOT NULL REFERENCES terms_versions (hash),
    lang          TEXT    NOT NULL,
    at            INTEGER NOT NULL,
    site_id       TEXT    NOT NULL DEFAULT '',
    coupon_id     TEXT    NOT NULL DEFAULT '',
    username      TEXT    NOT NULL DEFAULT '', -- the hotspot user: a code or an OAuth2 guest's
    mac_address   TEXT    NOT NULL DEFAULT '',
    identity      TEXT    NOT NULL DEFAULT '',
    anonymized_at INTEGER
);
CREATE INDEX consents_instance ON consents (instance_id, at);
CREATE INDEX consents_mac ON consents (mac_address);
CREATE INDEX site_users_mac ON site_users (mac_address);
