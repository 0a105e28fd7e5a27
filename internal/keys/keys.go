// Package keys manages the project's JWT secret and the API keys derived
// from it: long-lived anon and service_role JWTs, as `supabase start`
// prints them, and their opaque sb_publishable_/sb_secret_ counterparts.
package keys

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/golang-jwt/jwt/v5"
)

// SecretFile is the JWT secret's file in the data directory (mode 0600).
const SecretFile = "jwt-secret"

// Issuer is the iss claim of the project keys.
const Issuer = "creatorbase"

// The project keys' validity: from 2026-01-01 for ten years. Fixed times
// make the keys a pure function of the secret, so they stay the same
// across restarts and `.env` files keep working.
const (
	keysIssuedAt  = 1767225600 // 2026-01-01T00:00:00Z
	keysExpiresAt = 2082758400 // 2036-01-01T00:00:00Z
)

// ErrBadSecret means the secret file holds something unusable.
var ErrBadSecret = errors.New("JWT secret must be at least 32 characters")

// LoadSecret returns the configured secret, or the one in the data dir,
// generating it (32 random bytes, hex) on first use.
func LoadSecret(dataDir, configured string) ([]byte, error) {
	if configured != "" {
		if len(configured) < 32 {
			return nil, ErrBadSecret
		}
		return []byte(configured), nil
	}
	path := filepath.Join(dataDir, SecretFile)
	b, err := os.ReadFile(path)
	switch {
	case err == nil:
		s := strings.TrimSpace(string(b))
		if len(s) < 32 {
			return nil, fmt.Errorf("%s: %w", path, ErrBadSecret)
		}
		return []byte(s), nil
	case !errors.Is(err, os.ErrNotExist):
		return nil, fmt.Errorf("read JWT secret: %w", err)
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return nil, err
	}
	secret := hex.EncodeToString(raw)
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("create data dir: %w", err)
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(secret), 0o600); err != nil {
		return nil, fmt.Errorf("write JWT secret: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return nil, fmt.Errorf("write JWT secret: %w", err)
	}
	return []byte(secret), nil
}

// Project holds the keys a client needs.
type Project struct {
	Anon        string `json:"anon_key"`
	ServiceRole string `json:"service_role_key"`
	Publishable string `json:"publishable_key"`
	Secret      string `json:"secret_key"`
}

// Derive computes the project keys from the secret.
func Derive(secret []byte) (Project, error) {
	anon, err := Sign(secret, roleClaims("anon"))
	if err != nil {
		return Project{}, err
	}
	service, err := Sign(secret, roleClaims("service_role"))
	if err != nil {
		return Project{}, err
	}
	return Project{
		Anon:        anon,
		ServiceRole: service,
		Publishable: "sb_publishable_" + opaque(secret, "publishable"),
		Secret:      "sb_secret_" + opaque(secret, "secret"),
	}, nil
}

func roleClaims(role string) jwt.MapClaims {
	return jwt.MapClaims{"iss": Issuer, "ref": "local", "role": role, "iat": keysIssuedAt, "exp": keysExpiresAt}
}

func opaque(secret []byte, purpose string) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("creatorbase api key " + purpose))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))[:32]
}

// Sign makes an HS256 JWT of claims.
func Sign(secret []byte, claims jwt.Claims) (string, error) {
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(secret)
	if err != nil {
		return "", fmt.Errorf("sign token: %w", err)
	}
	return s, nil
}
