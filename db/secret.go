package db

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Secrets at rest: router passwords, OAuth2 client secrets, webhook
// secrets, OAuth2 guests' hotspot passwords and named keys are stored as
// nonce||AES-256-GCM ciphertext. The 32-byte key lives in
// dataDir/secret.key (hex, mode 0600), outside the database, so a copy of
// the database alone reveals no secret. The additional data binds each
// ciphertext to its column and row ("sites.password:<id>"): a ciphertext
// copied into another row does not decrypt there.

const secretKeySize = 32

// errDecrypt is returned when a stored secret fails authentication. It
// says why it may happen and never includes the data.
var errDecrypt = errors.New("stored secret does not decrypt: secret.key does not match this database, or the value was moved or damaged")

// sealer encrypts and decrypts secrets with the store's key.
type sealer struct {
	aead cipher.AEAD
}

func newSealer(key []byte) (*sealer, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("secret key: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("secret key: %w", err)
	}
	return &sealer{aead: aead}, nil
}

// Places: the additional data that binds a ciphertext to where it is stored.
func placeSitePassword(id string) string { return "sites.password:" + id }
func placeClientSecret(id string) string { return "auth_integrations.client_secret:" + id }
func placeKey(name string) string        { return "keys.value:" + name }

// seal encrypts plaintext for place. An empty plaintext is stored as NULL,
// so seal returns nil for it.
func (s *sealer) seal(place string, plaintext []byte) ([]byte, error) {
	if len(plaintext) == 0 {
		return nil, nil
	}
	nonce := make([]byte, s.aead.NonceSize(), s.aead.NonceSize()+len(plaintext)+s.aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("encrypt secret: %w", err)
	}
	return s.aead.Seal(nonce, nonce, plaintext, []byte(place)), nil
}

// open decrypts a value sealed for place; nil (NULL) gives nil. A value
// that fails authentication gives errDecrypt.
func (s *sealer) open(place string, blob []byte) ([]byte, error) {
	if blob == nil {
		return nil, nil
	}
	n := s.aead.NonceSize()
	if len(blob) < n+s.aead.Overhead() {
		return nil, errDecrypt
	}
	plain, err := s.aead.Open(nil, blob[:n], blob[n:], []byte(place))
	if err != nil {
		return nil, errDecrypt
	}
	return plain, nil
}

// openString is open for text secrets.
func (s *sealer) openString(place string, blob []byte) (string, error) {
	b, err := s.open(place, blob)
	return string(b), err
}

// loadSecret reads the key file at path, or creates it when it is missing
// and the database holds no secret it would be needed for.
func (db *DB) loadSecret(ctx context.Context, path string) (*sealer, error) {
	b, err := os.ReadFile(path)
	switch {
	case err == nil:
		db.checkKeyFileMode(path)
	case errors.Is(err, fs.ErrNotExist):
		n, err := db.countSecrets(ctx)
		if err != nil {
			return nil, err
		}
		if n > 0 {
			return nil, fmt.Errorf("secret key file %s is missing but the database holds %d encrypted secrets: restore secret.key from a backup", path, n)
		}
		if b, err = db.createKeyFile(path); err != nil {
			return nil, err
		}
		db.logger.InfoContext(ctx, "created secret key file", "path", path)
	default:
		return nil, fmt.Errorf("read secret key file: %w", err)
	}
	key, err := parseKey(b)
	if err != nil {
		return nil, fmt.Errorf("secret key file %s: %w: refusing to start; restore it from a backup", path, err)
	}
	return newSealer(key)
}

// parseKey decodes the key file's content. Its errors never quote the
// content.
func parseKey(b []byte) ([]byte, error) {
	s := strings.TrimSpace(string(b))
	key, err := hex.DecodeString(s)
	if err != nil || len(key) != secretKeySize {
		return nil, fmt.Errorf("malformed: want %d hex digits", 2*secretKeySize)
	}
	return key, nil
}

// checkKeyFileMode warns when the key file is readable or writable by
// anyone but its owner.
func (db *DB) checkKeyFileMode(path string) {
	fi, err := os.Stat(path)
	if err != nil {
		db.logger.Warn("cannot check secret key file permissions", "path", path, "err", err)
		return
	}
	if perm := fi.Mode().Perm(); perm&^0o600 != 0 {
		db.logger.Warn("secret key file permissions are looser than 0600; run chmod 600 on it",
			"path", path, "mode", fmt.Sprintf("%04o", perm))
	}
}

// createKeyFile writes a new random key to path and returns the file's
// content. The file appears complete or not at all (written aside, then
// hard-linked into place); if another process created it first, that
// process's key is returned.
func (db *DB) createKeyFile(path string) ([]byte, error) {
	key := make([]byte, secretKeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("create secret key: %w", err)
	}
	content := []byte(hex.EncodeToString(key) + "\n")
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, ".secret.key-*") // mode 0600
	if err != nil {
		return nil, fmt.Errorf("create secret key file: %w", err)
	}
	defer func() {
		if err := os.Remove(tmp.Name()); err != nil {
			db.logger.Warn("cannot remove temporary key file", "path", tmp.Name(), "err", err)
		}
	}()
	_, err = tmp.Write(content)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("write secret key file: %w", err)
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			b, err := os.ReadFile(path)
			if err != nil {
				return nil, fmt.Errorf("read secret key file: %w", err)
			}
			return b, nil
		}
		return nil, fmt.Errorf("create secret key file: %w", err)
	}
	if d, err := os.Open(dir); err == nil {
		err = d.Sync()
		if cerr := d.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return nil, fmt.Errorf("sync data directory: %w", err)
		}
	}
	return content, nil
}

// countSecrets counts the encrypted values in the database. A migration
// that adds an encrypted column must add it here.
func (db *DB) countSecrets(ctx context.Context) (int, error) {
	var n int
	err := db.writer.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM sites WHERE password IS NOT NULL) +
		(SELECT count(*) FROM auth_integrations WHERE client_secret IS NOT NULL) +
		(SELECT count(*) FROM notification_groups WHERE webhook_secret IS NOT NULL) +
		(SELECT count(*) FROM keys) +
		(SELECT count(*) FROM oauth_guests WHERE sealed_password IS NOT NULL)`).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count encrypted secrets: %w", err)
	}
	return n, nil
}
