// Package avenue_test tests Producers Avenue's database (migrations
// 0200-0299): tables, policies, rules and the money ledger, through
// request transactions as anon, authenticated users and the service role,
// exactly as the Data API runs them.
package avenue_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/creatorbase/creatorbase/internal/database"
	"github.com/creatorbase/creatorbase/internal/dbtest"
)

func TestMain(m *testing.M) { os.Exit(dbtest.Main(m)) }

// testBundle is one test database with the people most tests need.
type testBundle struct {
	db     *dbtest.DB
	owner  *pgxpool.Pool
	runner *database.Runner

	alice string // a producer who owns things
	bob   string // another user
	admin string // holds the platform admin role
}

func setup(t *testing.T) *testBundle {
	t.Helper()
	db := dbtest.New(t)
	ctx := context.Background()
	owner, err := database.Open(ctx, db.OwnerURL, 40)
	if err != nil {
		t.Fatalf("owner pool: %v", err)
	}
	t.Cleanup(owner.Close)
	auth, err := database.Open(ctx, db.AuthenticatorURL, 40)
	if err != nil {
		t.Fatalf("authenticator pool: %v", err)
	}
	t.Cleanup(auth.Close)
	r, err := database.NewRunner(ctx, auth)
	if err != nil {
		t.Fatalf("runner: %v", err)
	}
	b := &testBundle{db: db, owner: owner, runner: r}
	b.alice = b.newUser(t, "alice@example.com", `{"username": "alice_beats", "full_name": "Alice Example"}`)
	b.bob = b.newUser(t, "bob@example.com", `{}`)
	b.admin = b.newUser(t, "admin@example.com", `{}`)
	b.ownerExec(t, `insert into public.user_roles (user_id, role) values ($1, 'admin')`, b.admin)
	return b
}

// newUser makes an account the way the Auth service does: a row in
// auth.users, written as the owner.
func (b *testBundle) newUser(t *testing.T, email, meta string) string {
	t.Helper()
	id := newUUID()
	b.ownerExec(t, `insert into auth.users (id, email, raw_user_meta_data, created_at, updated_at)
		values ($1, $2, $3::jsonb, now(), now())`, id, email, meta)
	return id
}

func (b *testBundle) ownerExec(t *testing.T, sql string, args ...any) {
	t.Helper()
	if _, err := b.owner.Exec(context.Background(), sql, args...); err != nil {
		t.Fatalf("owner: %s: %v", oneLine(sql), err)
	}
}

func (b *testBundle) ownerScan(t *testing.T, sql string, args []any, dst ...any) {
	t.Helper()
	if err := b.owner.QueryRow(context.Background(), sql, args...).Scan(dst...); err != nil {
		t.Fatalf("owner: %s: %v", oneLine(sql), err)
	}
}

// Requests as the Data API makes them.
func anon() database.Request { return database.Request{Role: "anon"} }

func user(id string) database.Request {
	return database.Request{Role: "authenticated", Claims: []byte(`{"role":"authenticated","sub":"` + id + `"}`)}
}

func service() database.Request {
	return database.Request{Role: "service_role", Claims: []byte(`{"role":"service_role"}`)}
}

// exec runs one statement in a request transaction and returns the rows
// it touched. With rollback the transaction is rolled back.
func (b *testBundle) exec(req database.Request, rollback bool, sql string, args ...any) (int64, error) {
	req.Rollback = rollback
	var n int64
	err := b.runner.Do(context.Background(), req, func(ctx context.Context, tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, sql, args...)
		n = tag.RowsAffected()
		return err
	})
	return n, err
}

// scan runs a query in a committed request transaction and scans its row.
func (b *testBundle) scan(req database.Request, sql string, args []any, dst ...any) error {
	return b.runner.Do(context.Background(), req, func(ctx context.Context, tx pgx.Tx) error {
		return tx.QueryRow(ctx, sql, args...).Scan(dst...)
	})
}

// mustExec is exec, committed, failing the test on error.
func (b *testBundle) mustExec(t *testing.T, req database.Request, sql string, args ...any) int64 {
	t.Helper()
	n, err := b.exec(req, false, sql, args...)
	if err != nil {
		t.Fatalf("%s as %s: %v", oneLine(sql), req.Role, err)
	}
	return n
}

// mustScan is scan, failing the test on error.
func (b *testBundle) mustScan(t *testing.T, req database.Request, sql string, args []any, dst ...any) {
	t.Helper()
	if err := b.scan(req, sql, args, dst...); err != nil {
		t.Fatalf("%s as %s: %v", oneLine(sql), req.Role, err)
	}
}

// sqlState returns the SQLSTATE of err, or "" when it is not a
// PostgreSQL error.
func sqlState(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code
	}
	return ""
}

// wantError fails unless err carries SQLSTATE code and its message
// contains text.
func wantError(t *testing.T, err error, code, text string) {
	t.Helper()
	if got := sqlState(err); got != code {
		t.Fatalf("got error %v (SQLSTATE %q), want SQLSTATE %s", err, got, code)
	}
	if text != "" && !strings.Contains(err.Error(), text) {
		t.Fatalf("error %q does not say %q", err.Error(), text)
	}
}

func newUUID() string {
	var u [16]byte
	_, _ = rand.Read(u[:])
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	h := hex.EncodeToString(u[:])
	return fmt.Sprintf("%s-%s-%s-%s-%s", h[0:8], h[8:12], h[12:16], h[16:20], h[20:])
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
