-- 0009_instance_wifi_name: the Wi-Fi network name printed on coupon cards,
-- and the indexes the admin dashboard counts coupons by.

ALTER TABLE instances ADD COLUMN wifi_name TEXT NOT NULL DEFAULT '';

-- Coupons issued since a time, over all instances (coupons_instance
-- starts with instance_id, so it cannot serve this range).
CREATE INDEX coupons_created ON coupons (created_at);
-- Coupons redeemed since a time; unredeemed coupons are left out.
CREATE INDEX coupons_redeemed ON coupons (redeemed_at) WHERE redeemed_at IS NOT NULL;
