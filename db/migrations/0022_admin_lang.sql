-- 0022_admin_lang: the language an admin account chose for the admin page
-- ('' follows the browser) (issue 18).
ALTER TABLE admins ADD COLUMN lang TEXT NOT NULL DEFAULT '';
