-- 0012_seal_oauth_guest_passwords: the one-off hotspot passwords of
-- OAuth2 guests are encrypted at rest, like router passwords.
--
-- sealed_password holds nonce||AES-256-GCM ciphertext under secret.key,
-- bound to "oauth_guests.password:<site_user_id>" (db/secret.go). SQL
-- cannot encrypt (the key is not in the database, and a new one is only
-- made after the migrations), so rows written before this step keep their
-- plaintext in password until db.Open, right after loading the key, seals
-- them in one transaction and empties password. From then on password is
-- always '' (STRICT tables cannot store the ciphertext in a TEXT column).

ALTER TABLE oauth_guests ADD COLUMN sealed_password BLOB;
