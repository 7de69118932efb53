-- 0002_coupons: coupons, coupon schedules and their runs, notification
-- groups and the notification outbox; per-instance coupon code format.

ALTER TABLE instances ADD COLUMN coupon_length INTEGER NOT NULL DEFAULT 6;
ALTER TABLE instances ADD COLUMN coupon_charset TEXT NOT NULL DEFAULT 'alnum';

CREATE TABLE notification_groups (
    id             TEXT    NOT NULL PRIMARY KEY, -- "ng_" + 32 hex digits
    name           TEXT    NOT NULL,
    emails         TEXT    NOT NULL DEFAULT '[]', -- JSON array
    webhook_url    TEXT    NOT NULL DEFAULT '',
    webhook_secret BLOB,                          -- encrypted
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
) STRICT;

CREATE INDEX notification_groups_created ON notification_groups (created_at, id);

CREATE TABLE coupon_schedules (
    id                    TEXT    NOT NULL PRIMARY KEY,
    instance_id           TEXT    NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
    name                  TEXT    NOT NULL,
    count                 INTEGER NOT NULL,
    recurrence            TEXT    NOT NULL,
    day_of_week           INTEGER,
    day_of_month          INTEGER,
    valid_for_minutes     INTEGER NOT NULL,
    timezone              TEXT    NOT NULL,
    run_at                TEXT    NOT NULL,
    notification_group_id TEXT    REFERENCES notification_groups (id),
    created_at            INTEGER NOT NULL,
    updated_at            INTEGER NOT NULL
) STRICT;

CREATE INDEX coupon_schedules_instance ON coupon_schedules (instance_id, created_at, id);
CREATE INDEX coupon_schedules_group ON coupon_schedules (notification_group_id);

-- One row per generated batch. (schedule_id, slot_key) is unique, so a
-- planned slot generates at most once, whoever runs it and however often.
CREATE TABLE schedule_runs (
    id           TEXT    NOT NULL PRIMARY KEY,
    schedule_id  TEXT    NOT NULL REFERENCES coupon_schedules (id) ON DELETE CASCADE,
    slot_key     TEXT    NOT NULL,
    ran_at       INTEGER NOT NULL,
    generated    INTEGER NOT NULL,
    notify_error TEXT    NOT NULL DEFAULT '',
    UNIQUE (schedule_id, slot_key)
) STRICT;

CREATE INDEX schedule_runs_latest ON schedule_runs (schedule_id, ran_at);

-- schedule_id and run_id are history, not references: deleting a schedule
-- keeps its coupons.
CREATE TABLE coupons (
    id          TEXT    NOT NULL PRIMARY KEY,
    instance_id TEXT    NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
    schedule_id TEXT,
    run_id      TEXT,
    code        TEXT    NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    redeemed_at INTEGER,
    revoked_at  INTEGER
) STRICT;

CREATE INDEX coupons_instance ON coupons (instance_id, created_at, id);
-- Covers the signed coupon list (a schedule's unused coupons, in order)
-- without touching the table.
CREATE INDEX coupons_schedule_unused ON coupons (schedule_id, created_at, id, code, expires_at)
    WHERE revoked_at IS NULL AND redeemed_at IS NULL;
CREATE INDEX coupons_run ON coupons (run_id);

-- The notification outbox: written in the run's transaction, drained by
-- the notifier with retries.
CREATE TABLE notification_deliveries (
    id              TEXT    NOT NULL PRIMARY KEY,
    group_id        TEXT    NOT NULL,
    channel         TEXT    NOT NULL,
    target          TEXT    NOT NULL,
    instance_id     TEXT    NOT NULL,
    schedule_id     TEXT    NOT NULL,
    run_id          TEXT    NOT NULL REFERENCES schedule_runs (id) ON DELETE CASCADE,
    count           INTEGER NOT NULL,
    ran_at          INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT    NOT NULL DEFAULT '',
    delivered_at    INTEGER,
    failed_at       INTEGER,
    created_at      INTEGER NOT NULL
) STRICT;

CREATE INDEX notification_deliveries_due ON notification_deliveries (next_attempt_at)
    WHERE delivered_at IS NULL AND failed_at IS NULL;
CREATE INDEX notification_deliveries_run ON notification_deliveries (run_id);
