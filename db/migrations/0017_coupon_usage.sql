-- 0017_coupon_usage: what a coupon made with a plan sold, and what the
-- guest has used of it (issue 14). session_seconds and data_limit_mb are
-- the plan's, frozen when the coupon is made (NULL: the instance's
-- session_ttl, unlimited data); bytes_in/bytes_out are the router's count
-- of the code's traffic (the largest seen, so a router that lost its
-- counters gives nothing back); used_up_at is when the data ran out.

ALTER TABLE coupons ADD COLUMN session_seconds INTEGER;
ALTER TABLE coupons ADD COLUMN data_limit_mb INTEGER;
ALTER TABLE coupons ADD COLUMN bytes_in INTEGER NOT NULL DEFAULT 0;
ALTER TABLE coupons ADD COLUMN bytes_out INTEGER NOT NULL DEFAULT 0;
ALTER TABLE coupons ADD COLUMN used_up_at INTEGER;
