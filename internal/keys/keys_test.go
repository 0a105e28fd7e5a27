package keys_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"

	"github.com/creatorbase/creatorbase/internal/keys"
)

func TestLoadSecret(t *testing.T) {
	t.Parallel()

	t.Run("GeneratedOnceAndKept", func(t *testing.T) {
		t.Parallel()
		dir := filepath.Join(t.TempDir(), "data")
		s1, err := keys.LoadSecret(dir, "")
		if err != nil || len(s1) < 32 {
			t.Fatalf("secret %q err %v", s1, err)
		}
		fi, err := os.Stat(filepath.Join(dir, keys.SecretFile))
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("secret file mode %v err %v", fi.Mode().Perm(), err)
		}
		s2, err := keys.LoadSecret(dir, "")
		if err != nil || string(s1) != string(s2) {
			t.Fatal("secret changed between loads")
		}
	})
	t.Run("ConfiguredWins", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		s, err := keys.LoadSecret(dir, strings.Repeat("k", 40))
		if err != nil || string(s) != strings.Repeat("k", 40) {
			t.Fatal(err)
		}
		if _, err := os.Stat(filepath.Join(dir, keys.SecretFile)); !os.IsNotExist(err) {
			t.Fatal("a configured secret must not write the file")
		}
	})
	t.Run("ShortSecretRefused", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, keys.SecretFile), []byte("short"), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := keys.LoadSecret(dir, ""); err == nil {
			t.Fatal("short secret file accepted")
		}
	})
}

func TestDerive(t *testing.T) {
	t.Parallel()
	secret := []byte(strings.Repeat("s", 40))
	p, err := keys.Derive(secret)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := keys.Derive(secret)
	if p != again {
		t.Fatal("keys are not a pure function of the secret")
	}
	other, _ := keys.Derive([]byte(strings.Repeat("t", 40)))
	if other.Anon == p.Anon || other.Publishable == p.Publishable {
		t.Fatal("different secrets gave the same keys")
	}
	for token, role := range map[string]string{p.Anon: "anon", p.ServiceRole: "service_role"} {
		claims := jwt.MapClaims{}
		_, err := jwt.ParseWithClaims(token, claims, func(*jwt.Token) (any, error) { return secret, nil },
			jwt.WithValidMethods([]string{"HS256"}), jwt.WithExpirationRequired())
		if err != nil {
			t.Fatalf("%s key does not verify: %v", role, err)
		}
		if claims["role"] != role || claims["iss"] != keys.Issuer {
			t.Fatalf("%s key claims %v", role, claims)
		}
	}
	if !strings.HasPrefix(p.Publishable, "sb_publishable_") || !strings.HasPrefix(p.Secret, "sb_secret_") {
		t.Fatalf("opaque keys %q %q", p.Publishable, p.Secret)
	}
}
