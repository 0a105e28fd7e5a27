// Package vault keeps secrets — OAuth tokens, API credentials — encrypted
// in system.vault_secrets (pgcrypto, AES-256) under the key from
// configuration; other tables hold only a secret's name. The SQL
// functions behind it run for service_role only, so callers pass a
// service_role request transaction or the owner's pool.
package vault

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/creatorbase/creatorbase/internal/database"
)

// ErrNotFound means no secret has that name.
var ErrNotFound = errors.New("vault: no such secret")

// MinKeyLength is the shortest key the vault accepts.
const MinKeyLength = 16

// Vault stores and reads secrets under one key.
type Vault struct{ key string }

// New returns a vault using key, which must be at least MinKeyLength long.
func New(key string) (*Vault, error) {
	if len(key) < MinKeyLength {
		return nil, fmt.Errorf("vault: the key must be at least %d characters", MinKeyLength)
	}
	return &Vault{key: key}, nil
}

// DeriveKey makes the vault key from the project's JWT secret, for setups
// that configure no key of their own (CREATORBASE_VAULT_KEY).
func DeriveKey(jwtSecret []byte) string {
	m := hmac.New(sha256.New, jwtSecret)
	m.Write([]byte("creatorbase vault key v1"))
	return hex.EncodeToString(m.Sum(nil))
}

// Put stores (or replaces) the secret under name.
func (v *Vault) Put(ctx context.Context, db database.DBTX, name, secret string) error {
	if _, err := db.Exec(ctx, "select system.vault_put($1, $2, $3)", name, secret, v.key); err != nil {
		return fmt.Errorf("vault put %s: %w", name, err)
	}
	return nil
}

// Get reads the secret stored under name.
func (v *Vault) Get(ctx context.Context, db database.DBTX, name string) (string, error) {
	var s *string
	if err := db.QueryRow(ctx, "select system.vault_get($1, $2)", name, v.key).Scan(&s); err != nil {
		return "", fmt.Errorf("vault get %s: %w", name, err)
	}
	if s == nil {
		return "", fmt.Errorf("%w: %s", ErrNotFound, name)
	}
	return *s, nil
}

// Delete removes the secret; it reports whether there was one.
func (v *Vault) Delete(ctx context.Context, db database.DBTX, name string) (bool, error) {
	var found bool
	if err := db.QueryRow(ctx, "select system.vault_delete($1)", name).Scan(&found); err != nil {
		return false, fmt.Errorf("vault delete %s: %w", name, err)
	}
	return found, nil
}
