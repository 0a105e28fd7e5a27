// Package core_test tests the shared core of the database (migrations
// 0010-0029): the public, system and events schemas, through request
// transactions as anon, authenticated users and the service role, exactly
// as the Data API runs them.
package core_test

import (
	"os"
	"testing"

	"github.com/creatorbase/creatorbase/internal/dbtest"
)

func TestMain(m *testing.M) { os.Exit(dbtest.Main(m)) }

// The shared helpers of internal/dbtest, under this package's short names.
var anon, user, service, newUUID, oneLine, sqlState = dbtest.Anon, dbtest.User, dbtest.Service, dbtest.NewUUID, dbtest.OneLine, dbtest.SQLState

// testBundle is one test database with the people every test needs.
type testBundle struct {
	*dbtest.Env

	alice string // owns things
	bob   string // another user
	admin string // holds the admin role
}

func setup(t *testing.T) *testBundle {
	t.Helper()
	env := dbtest.NewEnv(t)
	b := &testBundle{Env: env}
	b.alice = b.NewUserMeta(t, "alice@example.com", `{"full_name": "Alice Example"}`)
	b.bob = b.NewUserMeta(t, "bob@example.com", `{}`)
	b.admin = b.NewUserMeta(t, "admin@example.com", `{}`)
	b.OwnerExec(t, `insert into public.user_roles (user_id, role) values ($1, 'admin')`, b.admin)
	return b
}

// wantState fails unless err carries SQLSTATE code.
func wantState(t *testing.T, err error, code, what string) {
	t.Helper()
	if got := sqlState(err); got != code {
		t.Fatalf("%s: got error %v (SQLSTATE %q), want SQLSTATE %s", what, err, got, code)
	}
}
