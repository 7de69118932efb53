-- 0003_site_users: redemptions and the guest sessions seen on routers.

-- Where and by which device a coupon was first used.
ALTER TABLE coupons ADD COLUMN redeemed_site_id TEXT;
ALTER TABLE coupons ADD COLUMN redeemed_mac TEXT NOT NULL DEFAULT '';

-- One row per guest session seen at a site. router_session is the
-- router's .id of the active session while it lasts.
CREATE TABLE site_users (
    id             TEXT    NOT NULL PRIMARY KEY,
    site_id        TEXT    NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    instance_id    TEXT,
    coupon_id      TEXT,
    username       TEXT    NOT NULL,
    identity       TEXT    NOT NULL DEFAULT '',
    ip_address     TEXT    NOT NULL DEFAULT '',
    mac_address    TEXT    NOT NULL DEFAULT '',
    router_session TEXT    NOT NULL DEFAULT '',
    login_at       INTEGER,
    expires_at     INTEGER,
    logout_at      INTEGER,
    active         INTEGER NOT NULL DEFAULT 1,
    bytes_in       INTEGER NOT NULL DEFAULT 0,
    bytes_out      INTEGER NOT NULL DEFAULT 0,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
) STRICT;

CREATE INDEX site_users_site ON site_users (site_id, created_at DESC);
CREATE INDEX site_users_active ON site_users (site_id, username) WHERE active = 1;
