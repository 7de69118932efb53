-- 0020_device_moves: a code of one device moved to another at the portal
-- (a phone's private MAC address changed), limited per day (issue 16).
CREATE TABLE device_moves (
    coupon_id TEXT    NOT NULL REFERENCES coupons (id) ON DELETE CASCADE,
    at        INTEGER NOT NULL,
    from_mac  TEXT    NOT NULL,
    to_mac    TEXT    NOT NULL,
    site_id   TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX device_moves_coupon ON device_moves (coupon_id, at);
