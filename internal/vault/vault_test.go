package vault_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/creatorbase/creatorbase/internal/database"
	"github.com/creatorbase/creatorbase/internal/dbtest"
	"github.com/creatorbase/creatorbase/internal/vault"
)

func TestMain(m *testing.M) { os.Exit(dbtest.Main(m)) }

func TestVault(t *testing.T) {
	t.Parallel()
	env := dbtest.NewEnv(t)
	ctx := context.Background()
	v, err := vault.New(vault.DeriveKey([]byte(dbtest.JWTSecret)))
	if err != nil {
		t.Fatal(err)
	}
	asService := func(fn func(ctx context.Context, tx pgx.Tx) error) error {
		return env.Runner.Do(ctx, dbtest.Service(), fn)
	}

	if err := asService(func(ctx context.Context, tx pgx.Tx) error {
		return v.Put(ctx, tx, "youtube.alice.refresh_token", "1//secret-refresh")
	}); err != nil {
		t.Fatal(err)
	}
	var got string
	if err := asService(func(ctx context.Context, tx pgx.Tx) (err error) {
		got, err = v.Get(ctx, tx, "youtube.alice.refresh_token")
		return err
	}); err != nil || got != "1//secret-refresh" {
		t.Fatalf("get: %q %v", got, err)
	}
	if stored := env.OwnerString(t, "select encode(secret, 'escape') from system.vault_secrets where name = $1", "youtube.alice.refresh_token"); strings.Contains(stored, "secret-refresh") {
		t.Fatal("the secret is stored in clear text")
	}

	t.Run("WrongKeyCannotRead", func(t *testing.T) {
		other, _ := vault.New("another-key-0123456789")
		err := asService(func(ctx context.Context, tx pgx.Tx) error {
			_, err := other.Get(ctx, tx, "youtube.alice.refresh_token")
			return err
		})
		if err == nil {
			t.Fatal("a wrong key decrypted the secret")
		}
	})
	t.Run("UnknownName", func(t *testing.T) {
		err := asService(func(ctx context.Context, tx pgx.Tx) error {
			_, err := v.Get(ctx, tx, "nope")
			return err
		})
		if !errors.Is(err, vault.ErrNotFound) {
			t.Fatalf("got %v, want ErrNotFound", err)
		}
	})
	t.Run("UsersCannotCallTheVault", func(t *testing.T) {
		alice := env.NewUser(t, "alice@example.com")
		for _, req := range []database.Request{dbtest.Anon(), dbtest.User(alice)} {
			err := env.Runner.Do(ctx, req, func(ctx context.Context, tx pgx.Tx) error {
				_, err := v.Get(ctx, tx, "youtube.alice.refresh_token")
				return err
			})
			if dbtest.SQLState(err) != "42501" {
				t.Fatalf("%s reading the vault: %v, want 42501", req.Role, err)
			}
		}
	})
	t.Run("Delete", func(t *testing.T) {
		var found bool
		if err := asService(func(ctx context.Context, tx pgx.Tx) (err error) {
			found, err = v.Delete(ctx, tx, "youtube.alice.refresh_token")
			return err
		}); err != nil || !found {
			t.Fatalf("delete: %v %v", found, err)
		}
	})
}

func TestNewRefusesShortKeys(t *testing.T) {
	t.Parallel()
	if _, err := vault.New("short"); err == nil {
		t.Fatal("short key accepted")
	}
	if len(vault.DeriveKey([]byte("x"))) < vault.MinKeyLength {
		t.Fatal("derived key too short")
	}
}
