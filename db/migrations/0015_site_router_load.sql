-- 0015_site_router_load: what a site's router last said of its load, for
-- the dashboard: CPU load in percent and uptime in seconds
-- (/system/resource cpu-load and uptime). NULL until a pass read them.

ALTER TABLE sites ADD COLUMN cpu_load INTEGER;
ALTER TABLE sites ADD COLUMN uptime_seconds INTEGER;
