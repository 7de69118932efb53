-- 0024_site_error_text: a site's last error as a catalogue key with params
-- (JSON of app.Text, '' for none), so the admin page can word it in its
-- reader's language; last_error keeps the English.
ALTER TABLE sites ADD COLUMN last_error_text TEXT NOT NULL DEFAULT '';
