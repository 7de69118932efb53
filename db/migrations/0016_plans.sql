-- 0016_plans: plans coupons are sold by (issue 14). A coupon made with a
-- plan keeps the plan's price and currency as they were then; a coupon
-- without one has NULL in all three columns and behaves as before.

CREATE TABLE plans (
    id              TEXT    NOT NULL PRIMARY KEY,
    name            TEXT    NOT NULL,
    session_minutes INTEGER NOT NULL,
    data_limit_mb   INTEGER,          -- NULL: unlimited
    download_kbps   INTEGER,          -- NULL: unlimited
    upload_kbps     INTEGER,          -- NULL: unlimited
    devices         INTEGER NOT NULL,
    valid_minutes   INTEGER NOT NULL,
    price           INTEGER NOT NULL, -- minor units
    currency        TEXT    NOT NULL, -- ISO 4217, '' when free
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX plans_created ON plans (created_at, id);

ALTER TABLE coupons ADD COLUMN plan_id TEXT REFERENCES plans (id);
ALTER TABLE coupons ADD COLUMN price INTEGER;
ALTER TABLE coupons ADD COLUMN currency TEXT;
CREATE INDEX coupons_plan ON coupons (plan_id) WHERE plan_id IS NOT NULL;

ALTER TABLE coupon_schedules ADD COLUMN plan_id TEXT REFERENCES plans (id);
CREATE INDEX coupon_schedules_plan ON coupon_schedules (plan_id) WHERE plan_id IS NOT NULL;
