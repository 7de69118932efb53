-- 0010_site_hotspot_hosts: the names and addresses of a site's hotspot
-- login pages (hotspot-address and dns-name of the router's
-- /ip/hotspot/profile rows), read by the reconcile loop. The guest portal
-- hands a browser only to one of them. Space-separated, lower case.

ALTER TABLE sites ADD COLUMN hotspot_hosts TEXT NOT NULL DEFAULT '';
