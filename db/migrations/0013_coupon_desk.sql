-- 0013_coupon_desk: the front desk's work on single coupons.

-- A note for the desk (room number, guest name), searchable with the code.
ALTER TABLE coupons ADD COLUMN note TEXT NOT NULL DEFAULT '';
-- Session time added to a redeemed coupon; its session ends at
-- redeemed_at + the instance's session_ttl + extra_seconds.
ALTER TABLE coupons ADD COLUMN extra_seconds INTEGER NOT NULL DEFAULT 0;
-- Set when the desk frees a redeemed coupon from its device (redeemed_mac
-- is then ''); cleared when the next device logs in with it and is locked.
ALTER TABLE coupons ADD COLUMN released_at INTEGER;
