// Package streamvibe_test tests StreamVibe's schema (migrations 0300-0399)
// through request transactions as anon, users, an admin and the service
// role, exactly as the Data API runs them, and through the Data API itself.
package streamvibe_test

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

// testBundle is one test database with the people every test needs.
type testBundle struct {
	db     *dbtest.DB
	owner  *pgxpool.Pool
	runner *database.Runner

	alice string // a creator: owns the rows under test
	bob   string // another creator
	admin string // holds public.user_roles 'admin'
}

func setup(t *testing.T) *testBundle {
	t.Helper()
	db := dbtest.New(t)
	r, err := database.NewRunner(context.Background(), db.Authenticator(t))
	if err != nil {
		t.Fatalf("runner: %v", err)
	}
	b := &testBundle{db: db, owner: db.Owner(t), runner: r}
	b.alice = b.newUser(t, "alice@example.com")
	b.bob = b.newUser(t, "bob@example.com")
	b.admin = b.newUser(t, "admin@example.com")
	b.ownerExec(t, `insert into public.user_roles (user_id, role) values ($1, 'admin')`, b.admin)
	return b
}

// newUser makes an account the way the Auth service does: a row in
// auth.users, written as the owner; the triggers make public.users, the
// StreamVibe settings and a free subscription.
func (b *testBundle) newUser(t *testing.T, email string) string {
	t.Helper()
	id := newUUID()
	b.ownerExec(t, `insert into auth.users (id, email, raw_user_meta_data, created_at, updated_at)
		values ($1, $2, '{}'::jsonb, now(), now())`, id, email)
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

// ownerInt runs a query as the owner and returns its one integer.
func (b *testBundle) ownerInt(t *testing.T, sql string, args ...any) int64 {
	t.Helper()
	var n int64
	b.ownerScan(t, sql, args, &n)
	return n
}

// ownerString runs a query as the owner and returns its one text value.
func (b *testBundle) ownerString(t *testing.T, sql string, args ...any) string {
	t.Helper()
	var s *string
	b.ownerScan(t, sql, args, &s)
	if s == nil {
		return "<null>"
	}
	return *s
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

// content is a connected account of alice's with one content item.
type content struct {
	conn, account, item string
}

// connect makes, as the service role, a YouTube connection (tokens in the
// vault) and a public social account for who, with one content item.
func (b *testBundle) connect(t *testing.T, who, slug string) content {
	t.Helper()
	var c content
	b.mustScan(t, service(), `insert into streamvibe.platform_connection (user_id, platform_id, platform_user_id, platform_username)
		select $1, id, $2, 'chan' from streamvibe.platform where slug = $3 returning id`, []any{who, "pu-" + newUUID(), slug}, &c.conn)
	var name string
	b.mustScan(t, service(), `select streamvibe.store_platform_connection_secret($1, '{"access_token":"ya29.secret"}', $2)`,
		[]any{c.conn, vaultKey}, &name)
	b.mustScan(t, service(), `insert into streamvibe.social_account (user_id, connection_id, platform_id, account_name, visibility)
		select $1, $2, id, 'Channel', 'public' from streamvibe.platform where slug = $3 returning id`, []any{who, c.conn, slug}, &c.account)
	b.mustScan(t, service(), `insert into streamvibe.content_item (social_account_id, content_type_id, platform_content_id, title, description, tags, published_at)
		select $1, id, $2, 'Cooking pasta at home', 'A quick weeknight recipe', '{pasta,cooking}', now()
		from streamvibe.content_type where slug = 'long_video' returning id`, []any{c.account, "vid-" + newUUID()}, &c.item)
	return c
}

const vaultKey = "streamvibe-test-vault-key-0123456789"

// pgError returns the PostgreSQL error in err, or nil.
func pgError(err error) *pgconn.PgError {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr
	}
	return nil
}

// wantState fails unless err carries SQLSTATE code.
func wantState(t *testing.T, err error, code, what string) *pgconn.PgError {
	t.Helper()
	pgErr := pgError(err)
	if pgErr == nil || pgErr.Code != code {
		t.Fatalf("%s: got error %v, want SQLSTATE %s", what, err, code)
	}
	return pgErr
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
