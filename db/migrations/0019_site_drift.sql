-- 0019_site_drift: how many items gatehouse owns someone else changed or
-- removed on the site's router, between passes (issue 16).
ALTER TABLE sites ADD COLUMN drift_count INTEGER NOT NULL DEFAULT 0;
