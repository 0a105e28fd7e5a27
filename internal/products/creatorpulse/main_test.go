// Package creatorpulse_test tests CreatorPulse's schema (migrations
// 0100-0199) through request transactions as anon, users, agencies and the
// service role, exactly as the Data API runs them.
package creatorpulse_test

import (
	"os"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/creatorbase/creatorbase/internal/dbtest"
)

func TestMain(m *testing.M) { os.Exit(dbtest.Main(m)) }

// The shared helpers of internal/dbtest, under this package's short names.
var anon, user, service, newUUID, oneLine, pgError = dbtest.Anon, dbtest.User, dbtest.Service, dbtest.NewUUID, dbtest.OneLine, dbtest.PgError

// testBundle is one test database with the people every test needs.
type testBundle struct {
	*dbtest.Env

	alice string // a creator: owns the rows under test
	bob   string // another creator
	agent string // an agency alice gave permissions to
	nope  string // an agency of alice's without permissions
}

func setup(t *testing.T) *testBundle {
	t.Helper()
	b := &testBundle{Env: dbtest.NewEnv(t)}
	b.alice = b.NewUser(t, "alice@example.com")
	b.bob = b.NewUser(t, "bob@example.com")
	b.agent = b.NewUser(t, "agent@example.com")
	b.nope = b.NewUser(t, "nope@example.com")
	b.OwnerExec(t, `insert into creatorpulse.agency_clients (agency_user_id, client_user_id, client_name, permissions)
		values ($1, $2, 'Alice', '{"drafts": "write", "sources": "write", "delivery_preferences": "write"}'),
		       ($3, $2, 'Alice', '{}')`, b.agent, b.alice, b.nope)
	return b
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
