// Package influencer_test tests the Influencer Platform's schema
// (migrations 0400-0405) through request transactions as the Data API runs
// them, and its River workers against a real database.
package influencer_test

import (
	"context"
	"crypto/rand"
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

type testBundle struct {
	db     *dbtest.DB
	owner  *pgxpool.Pool
	runner *database.Runner

	alice string // a brand with a profile
	bob   string // another brand with a profile
	admin string // is_admin on their profile
	root  string // a platform admin (public.has_role('admin')), no profile
}

func setup(t *testing.T) *testBundle {
	t.Helper()
	db := dbtest.New(t)
	r, err := database.NewRunner(context.Background(), db.Authenticator(t))
	if err != nil {
		t.Fatalf("runner: %v", err)
	}
	b := &testBundle{db: db, owner: db.Owner(t), runner: r}
	b.alice = b.newUser(t, "alice@brand.example")
	b.bob = b.newUser(t, "bob@brand.example")
	b.admin = b.newUser(t, "admin@brand.example")
	b.root = b.newUser(t, "root@brand.example")
	for _, u := range []string{b.alice, b.bob, b.admin} {
		b.ownerExec(t, `insert into influencer.user_profiles (user_id, full_name, email) select id, email, email from auth.users where id = $1`, u)
	}
	b.ownerExec(t, `update influencer.user_profiles set is_admin = true where user_id = $1`, b.admin)
	b.ownerExec(t, `insert into public.user_roles (user_id, role) values ($1, 'admin')`, b.root)
	return b
}

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

func (b *testBundle) ownerInt(t *testing.T, sql string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := b.owner.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatalf("owner: %s: %v", oneLine(sql), err)
	}
	return n
}

func (b *testBundle) ownerString(t *testing.T, sql string, args ...any) string {
	t.Helper()
	var s string
	if err := b.owner.QueryRow(context.Background(), sql, args...).Scan(&s); err != nil {
		t.Fatalf("owner: %s: %v", oneLine(sql), err)
	}
	return s
}

func anon() database.Request { return database.Request{Role: "anon"} }

func user(id string) database.Request {
	return database.Request{Role: "authenticated", Claims: []byte(`{"role":"authenticated","sub":"` + id + `"}`)}
}

func service() database.Request {
	return database.Request{Role: "service_role", Claims: []byte(`{"role":"service_role"}`)}
}

// exec runs one statement in a request transaction (rolled back when
// rollback) and returns the rows it touched or returned.
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

func (b *testBundle) mustExec(t *testing.T, req database.Request, sql string, args ...any) int64 {
	t.Helper()
	n, err := b.exec(req, false, sql, args...)
	if err != nil {
		t.Fatalf("%s: %v", oneLine(sql), err)
	}
	return n
}

func (b *testBundle) scan(req database.Request, sql string, args []any, dst ...any) error {
	return b.runner.Do(context.Background(), req, func(ctx context.Context, tx pgx.Tx) error {
		return tx.QueryRow(ctx, sql, args...).Scan(dst...)
	})
}

// newCampaign makes a campaign of uid's as the owner would through the API.
func (b *testBundle) newCampaign(t *testing.T, uid, searchType string) string {
	t.Helper()
	var id string
	if err := b.scan(user(uid), `insert into influencer.campaigns (user_id, name, search_type) values ($1, 'Spring launch', $2) returning id`,
		[]any{uid, searchType}, &id); err != nil {
		t.Fatalf("campaign: %v", err)
	}
	return id
}

func (b *testBundle) setPlan(t *testing.T, uid, plan string) {
	t.Helper()
	b.ownerExec(t, `update influencer.user_profiles set current_plan = $2 where user_id = $1`, uid, plan)
}

// wantCode fails unless err is a Postgres error with that SQLSTATE (and,
// when column is set, naming that column in COLUMN or the message).
func wantCode(t *testing.T, err error, code, column string) *pgconn.PgError {
	t.Helper()
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		t.Fatalf("want SQLSTATE %s, got %v", code, err)
	}
	if pe.Code != code {
		t.Fatalf("want SQLSTATE %s, got %s: %s", code, pe.Code, pe.Message)
	}
	if column != "" && pe.ColumnName != column && !strings.Contains(pe.Message, column) {
		t.Fatalf("error does not name %s: %s (column %q)", column, pe.Message, pe.ColumnName)
	}
	return pe
}

func newUUID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
