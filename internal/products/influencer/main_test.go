// Package influencer_test tests the Influencer Platform's schema
// (migrations 0400-0405) through request transactions as the Data API runs
// them, and its River workers against a real database.
package influencer_test

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/creatorbase/creatorbase/internal/dbtest"
)

func TestMain(m *testing.M) { os.Exit(dbtest.Main(m)) }

// The shared helpers of internal/dbtest, under this package's short names.
var anon, user, service, newUUID, oneLine = dbtest.Anon, dbtest.User, dbtest.Service, dbtest.NewUUID, dbtest.OneLine

type testBundle struct {
	*dbtest.Env

	alice string // a brand with a profile
	bob   string // another brand with a profile
	admin string // is_admin on their profile
	root  string // a platform admin (public.has_role('admin')), no profile
}

func setup(t *testing.T) *testBundle {
	t.Helper()
	b := &testBundle{Env: dbtest.NewEnv(t)}
	b.alice = b.NewUser(t, "alice@brand.example")
	b.bob = b.NewUser(t, "bob@brand.example")
	b.admin = b.NewUser(t, "admin@brand.example")
	b.root = b.NewUser(t, "root@brand.example")
	for _, u := range []string{b.alice, b.bob, b.admin} {
		b.OwnerExec(t, `insert into influencer.user_profiles (user_id, full_name, email) select id, email, email from auth.users where id = $1`, u)
	}
	b.OwnerExec(t, `update influencer.user_profiles set is_admin = true where user_id = $1`, b.admin)
	b.OwnerExec(t, `insert into public.user_roles (user_id, role) values ($1, 'admin')`, b.root)
	return b
}

// newCampaign makes a campaign of uid's as the owner would through the API.
func (b *testBundle) newCampaign(t *testing.T, uid, searchType string) string {
	t.Helper()
	var id string
	if err := b.Scan(user(uid), `insert into influencer.campaigns (user_id, name, search_type) values ($1, 'Spring launch', $2) returning id`,
		[]any{uid, searchType}, &id); err != nil {
		t.Fatalf("campaign: %v", err)
	}
	return id
}

func (b *testBundle) setPlan(t *testing.T, uid, plan string) {
	t.Helper()
	b.OwnerExec(t, `update influencer.user_profiles set current_plan = $2 where user_id = $1`, uid, plan)
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
