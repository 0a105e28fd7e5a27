// Package avenue_test tests Producers Avenue's database (migrations
// 0200-0299): tables, policies, rules and the money ledger, through
// request transactions as anon, authenticated users and the service role,
// exactly as the Data API runs them.
package avenue_test

import (
	"os"
	"strings"
	"testing"

	"github.com/creatorbase/creatorbase/internal/dbtest"
)

func TestMain(m *testing.M) { os.Exit(dbtest.Main(m)) }

// The shared helpers of internal/dbtest, under this package's short names.
var anon, user, service, newUUID, oneLine, sqlState = dbtest.Anon, dbtest.User, dbtest.Service, dbtest.NewUUID, dbtest.OneLine, dbtest.SQLState

// testBundle is one test database with the people most tests need.
type testBundle struct {
	*dbtest.Env

	alice string // a producer who owns things
	bob   string // another user
	admin string // holds the platform admin role
}

func setup(t *testing.T) *testBundle {
	t.Helper()
	// Wide pools: the concurrency tests run dozens of transactions at once.
	b := &testBundle{Env: dbtest.NewEnvConns(t, 40)}
	b.alice = b.NewUserMeta(t, "alice@example.com", `{"username": "alice_beats", "full_name": "Alice Example"}`)
	b.bob = b.NewUserMeta(t, "bob@example.com", `{}`)
	b.admin = b.NewUserMeta(t, "admin@example.com", `{}`)
	b.OwnerExec(t, `insert into public.user_roles (user_id, role) values ($1, 'admin')`, b.admin)
	return b
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
