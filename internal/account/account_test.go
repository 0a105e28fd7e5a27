package account_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/creatorbase/creatorbase/internal/account"
	"github.com/creatorbase/creatorbase/internal/dbtest"
)

func TestMain(m *testing.M) { os.Exit(dbtest.Main(m)) }

const (
	alice = "a0000000-0000-4000-8000-000000000001"
	bob   = "b0000000-0000-4000-8000-000000000002"
	admin = "c0000000-0000-4000-8000-000000000003"
)

type testBundle struct {
	owner *pgxpool.Pool
}

func setup(t *testing.T) *testBundle {
	t.Helper()
	db := dbtest.New(t)
	owner := db.Owner(t)
	ctx := context.Background()
	_, err := owner.Exec(ctx, `
		insert into auth.users (id, email, encrypted_password, raw_user_meta_data, created_at, updated_at) values
		  ('`+alice+`', 'alice@example.com', '$argon2id$secret-hash', '{"full_name":"Alice"}', now(), now()),
		  ('`+bob+`', 'bob@example.com', 'x', '{}', now(), now()),
		  ('`+admin+`', 'admin@example.com', 'x', '{}', now(), now());
		insert into public.user_roles (user_id, role, granted_by) values
		  ('`+alice+`', 'moderator', '`+admin+`'),
		  ('`+bob+`', 'author', '`+alice+`');
		insert into public.tenants (id, name, slug, created_by) values ('d0000000-0000-4000-8000-000000000004', 'Alice Agency', 'alice-agency', '`+alice+`');
		insert into public.tenant_members (tenant_id, user_id, role, invited_by) values
		  ('d0000000-0000-4000-8000-000000000004', '`+bob+`', 'member', '`+alice+`');
		insert into auth.sessions (id, user_id, created_at) values (gen_random_uuid(), '`+alice+`', now());
		create table public.notes (id serial primary key, user_id uuid not null references auth.users(id), body text);
		insert into public.notes (user_id, body) values ('`+alice+`', 'mine'), ('`+bob+`', 'his');
	`)
	if err != nil {
		t.Fatal(err)
	}
	return &testBundle{owner: owner}
}

func TestExport(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	id, err := account.Resolve(ctx, b.owner, "ALICE@example.com")
	if err != nil || id != alice {
		t.Fatalf("resolve by email: %q %v", id, err)
	}
	raw, err := account.Export(ctx, b.owner, alice)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		UserID string                       `json:"user_id"`
		Tables map[string][]json.RawMessage `json:"tables"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	want := map[string]int{
		"auth.users": 1, "public.users": 1, "public.user_roles": 2, "public.tenants": 1,
		"public.tenant_members": 2, "auth.sessions": 1, "public.notes": 1,
	}
	for table, n := range want {
		if got := len(doc.Tables[table]); got != n {
			t.Errorf("%s: %d rows, want %d", table, got, n)
		}
	}
	if strings.Contains(string(raw), "secret-hash") || strings.Contains(string(raw), "encrypted_password") {
		t.Fatal("the export carries the password hash")
	}
	if strings.Contains(string(raw), `"his"`) {
		t.Fatal("the export carries another user's row")
	}
	if _, err := account.Export(ctx, b.owner, "e0000000-0000-4000-8000-000000000009"); !errors.Is(err, account.ErrNotFound) {
		t.Fatalf("unknown user: %v", err)
	}
}

func TestPurge(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	counts, err := account.Purge(ctx, b.owner, alice)
	if err != nil {
		t.Fatal(err)
	}
	if counts["public.notes"] != 1 {
		t.Fatalf("counts %v", counts)
	}
	// Walk every uuid column of every table: nothing names Alice any more.
	rows, err := b.owner.Query(ctx, `select format('%I.%I', n.nspname, c.relname), a.attname from pg_attribute a
		join pg_class c on c.oid = a.attrelid and c.relkind = 'r'
		join pg_namespace n on n.oid = c.relnamespace
		where a.atttypid = 'uuid'::regtype and a.attnum > 0 and not a.attisdropped
		  and n.nspname not in ('pg_catalog', 'information_schema')`)
	if err != nil {
		t.Fatal(err)
	}
	type col struct{ table, column string }
	var cols []col
	for rows.Next() {
		var c col
		if err := rows.Scan(&c.table, &c.column); err != nil {
			t.Fatal(err)
		}
		cols = append(cols, c)
	}
	for _, c := range cols {
		var n int
		if err := b.owner.QueryRow(ctx, "select count(*) from "+c.table+" where "+c.column+" = $1", alice).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("%s.%s still names the purged user in %d row(s)", c.table, c.column, n)
		}
	}
	// Other people's rows stay, with the purged user's references cleared.
	var bobRoles, bobNotes int
	if err := b.owner.QueryRow(ctx, `select (select count(*) from public.user_roles where user_id = $1 and granted_by is null),
		(select count(*) from public.notes where user_id = $1)`, bob).Scan(&bobRoles, &bobNotes); err != nil {
		t.Fatal(err)
	}
	if bobRoles != 1 || bobNotes != 1 {
		t.Fatalf("bob lost data: roles %d notes %d", bobRoles, bobNotes)
	}
	var purged int
	if err := b.owner.QueryRow(ctx, `select count(*) from events.events where event_type = 'account_purged' and aggregate_id = $1`, alice).Scan(&purged); err != nil || purged != 1 {
		t.Fatalf("purge event %d (err %v)", purged, err)
	}
	if _, err := account.Purge(ctx, b.owner, alice); !errors.Is(err, account.ErrNotFound) {
		t.Fatalf("second purge: %v", err)
	}
}

func TestPurgeRefusesRowsThatMustBeKept(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	_, err := b.owner.Exec(ctx, `
		create table public.ledger (id serial primary key, user_id uuid references auth.users(id), cents int);
		insert into public.ledger (user_id, cents) values ('`+alice+`', 500);
		create function public.no_delete() returns trigger language plpgsql as $$ begin raise exception 'ledger is append-only'; end $$;
		create trigger ledger_keep before delete on public.ledger for each row execute function public.no_delete();`)
	if err != nil {
		t.Fatal(err)
	}
	_, err = account.Purge(ctx, b.owner, alice)
	if !errors.Is(err, account.ErrMustKeep) || !strings.Contains(err.Error(), "ledger") {
		t.Fatalf("got %v, want ErrMustKeep naming the ledger", err)
	}
	var n int
	if err := b.owner.QueryRow(ctx, "select count(*) from public.notes where user_id = $1", alice).Scan(&n); err != nil || n != 1 {
		t.Fatalf("a refused purge deleted something: notes %d", n)
	}
}
