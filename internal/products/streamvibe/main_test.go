// Package streamvibe_test tests StreamVibe's schema (migrations 0300-0399)
// through request transactions as anon, users, an admin and the service
// role, exactly as the Data API runs them, and through the Data API itself.
package streamvibe_test

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
	admin string // holds public.user_roles 'admin'
}

func setup(t *testing.T) *testBundle {
	t.Helper()
	b := &testBundle{Env: dbtest.NewEnv(t)}
	b.alice = b.NewUser(t, "alice@example.com")
	b.bob = b.NewUser(t, "bob@example.com")
	b.admin = b.NewUser(t, "admin@example.com")
	b.OwnerExec(t, `insert into public.user_roles (user_id, role) values ($1, 'admin')`, b.admin)
	return b
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
	b.MustScan(t, service(), `insert into streamvibe.platform_connection (user_id, platform_id, platform_user_id, platform_username)
		select $1, id, $2, 'chan' from streamvibe.platform where slug = $3 returning id`, []any{who, "pu-" + newUUID(), slug}, &c.conn)
	var name string
	b.MustScan(t, service(), `select streamvibe.store_platform_connection_secret($1, '{"access_token":"ya29.secret"}', $2)`,
		[]any{c.conn, vaultKey}, &name)
	b.MustScan(t, service(), `insert into streamvibe.social_account (user_id, connection_id, platform_id, account_name, visibility)
		select $1, $2, id, 'Channel', 'public' from streamvibe.platform where slug = $3 returning id`, []any{who, c.conn, slug}, &c.account)
	b.MustScan(t, service(), `insert into streamvibe.content_item (social_account_id, content_type_id, platform_content_id, title, description, tags, published_at)
		select $1, id, $2, 'Cooking pasta at home', 'A quick weeknight recipe', '{pasta,cooking}', now()
		from streamvibe.content_type where slug = 'long_video' returning id`, []any{c.account, "vid-" + newUUID()}, &c.item)
	return c
}

const vaultKey = "streamvibe-test-vault-key-0123456789"

// wantState fails unless err carries SQLSTATE code.
func wantState(t *testing.T, err error, code, what string) *pgconn.PgError {
	t.Helper()
	pgErr := pgError(err)
	if pgErr == nil || pgErr.Code != code {
		t.Fatalf("%s: got error %v, want SQLSTATE %s", what, err, code)
	}
	return pgErr
}
