-- 0007_oauth_device: OAuth2 sign-in finished in another browser.

-- A device attempt is started by a captive mini-browser, which shows
-- user_code and keeps the secret whose SHA-256 is poll_hash in a cookie.
-- Its verifier, nonce and browser_hash are empty until a browser enters
-- the code (claimed_at) and goes to the provider. The callback records the
-- guest it let on (site_user_id) or that it failed (failed_at); the
-- mini-browser then hands its device to the router (released_at, first
-- time). All NULL or '' for other attempts.
ALTER TABLE oauth_attempts ADD COLUMN user_code TEXT;
ALTER TABLE oauth_attempts ADD COLUMN poll_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE oauth_attempts ADD COLUMN claimed_at INTEGER;
ALTER TABLE oauth_attempts ADD COLUMN failed_at INTEGER;
ALTER TABLE oauth_attempts ADD COLUMN site_user_id TEXT REFERENCES site_users (id) ON DELETE SET NULL;
ALTER TABLE oauth_attempts ADD COLUMN released_at INTEGER;

CREATE UNIQUE INDEX oauth_attempts_user_code ON oauth_attempts (user_code) WHERE user_code IS NOT NULL;
