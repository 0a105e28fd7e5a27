package core_test

import (
	"strings"
	"testing"

	"github.com/creatorbase/creatorbase/internal/database"
	"github.com/creatorbase/creatorbase/internal/dbtest"
)

// The matrix outcomes of internal/dbtest, under short names.
const (
	ok   = dbtest.OK
	none = dbtest.None
	deny = dbtest.Deny
)

var ops = dbtest.MatrixOps

// A matrix row: one public table, the four statements aimed at a row that
// belongs to "owner" (alice), and what each actor gets. Insert cells insert
// a row on the owner's behalf.
type tableCase struct {
	table string
	sql   [4]string
	want  map[string][4]string
}

// TestRLSMatrix runs every public table x (anon, owner, another user,
// admin, service_role) x (select, insert, update, delete) as request
// transactions, each rolled back so the cells do not interfere.
func TestRLSMatrix(t *testing.T) {
	t.Parallel()
	b := setup(t)

	member := b.NewUserMeta(t, "member@example.com", `{}`)
	carol := b.NewUserMeta(t, "carol@example.com", `{}`)
	dave := b.NewUserMeta(t, "dave@example.com", `{}`)
	b.OwnerExec(t, `delete from public.users where id = $1`, dave) // an account without a profile yet

	var tenant, roleRow, provider, model string
	b.OwnerScan(t, `insert into public.tenants (name, slug, created_by) values ('Alice Agency', 'alice-agency', $1) returning id`,
		[]any{b.alice}, &tenant)
	b.OwnerExec(t, `insert into public.tenant_members (tenant_id, user_id, role) values ($1, $2, 'member')`, tenant, member)
	b.OwnerScan(t, `insert into public.user_roles (user_id, role) values ($1, 'author') returning id`, []any{b.alice}, &roleRow)
	b.OwnerScan(t, `insert into public.ai_providers (slug, display_name) values ('testprov', 'Test') returning id`, nil, &provider)
	b.OwnerScan(t, `insert into public.ai_models (provider_id, slug, display_name)
		select id, 'test-model', 'Test model' from public.ai_providers where slug = 'local' returning id`, nil, &model)

	ids := strings.NewReplacer("{alice}", b.alice, "{tenant}", tenant, "{member}", member, "{carol}", carol,
		"{dave}", dave, "{role}", roleRow, "{provider}", provider, "{model}", model)

	actors := map[string]database.Request{
		"anon":    anon(),
		"owner":   user(b.alice),
		"other":   user(b.bob),
		"admin":   user(b.admin),
		"service": service(),
	}
	allDeny := [4]string{deny, deny, deny, deny}
	allOK := [4]string{ok, ok, ok, ok}
	catalog := map[string][4]string{ // public read, admin write
		"anon": {ok, deny, deny, deny}, "owner": {ok, deny, none, none}, "other": {ok, deny, none, none},
		"admin": allOK, "service": allOK,
	}

	cases := []tableCase{
		{
			table: "users",
			sql: [4]string{
				`select 1 from public.users where id = '{alice}'`,
				`insert into public.users (id, email) values ('{dave}', 'dave@example.com')`,
				`update public.users set full_name = 'Changed' where id = '{alice}'`,
				`delete from public.users where id = '{alice}'`,
			},
			want: map[string][4]string{
				"anon": allDeny, "owner": {ok, deny, ok, deny}, "other": {none, deny, none, deny},
				"admin": {ok, deny, none, deny}, "service": allOK,
			},
		},
		{
			table: "tenants",
			sql: [4]string{
				`select 1 from public.tenants where id = '{tenant}'`,
				`insert into public.tenants (name, slug, created_by) values ('New', 'new-tenant', '{alice}')`,
				`update public.tenants set name = 'Renamed' where id = '{tenant}'`,
				`delete from public.tenants where id = '{tenant}'`,
			},
			want: map[string][4]string{
				"anon": allDeny, "owner": allOK, "other": {none, deny, none, none},
				"admin": {ok, deny, none, none}, "service": allOK,
			},
		},
		{
			table: "tenant_members",
			sql: [4]string{
				`select 1 from public.tenant_members where tenant_id = '{tenant}' and user_id = '{member}'`,
				`insert into public.tenant_members (tenant_id, user_id, role) values ('{tenant}', '{carol}', 'member')`,
				`update public.tenant_members set role = 'admin' where tenant_id = '{tenant}' and user_id = '{member}'`,
				`delete from public.tenant_members where tenant_id = '{tenant}' and user_id = '{member}'`,
			},
			want: map[string][4]string{
				"anon": allDeny, "owner": allOK, "other": {none, deny, none, none},
				"admin": {ok, deny, none, none}, "service": allOK,
			},
		},
		{
			table: "user_roles",
			sql: [4]string{
				`select 1 from public.user_roles where id = '{role}'`,
				`insert into public.user_roles (user_id, role) values ('{alice}', 'moderator')`,
				`update public.user_roles set expires_at = now() + interval '1 day' where id = '{role}'`,
				`delete from public.user_roles where id = '{role}'`,
			},
			want: map[string][4]string{
				"anon": allDeny, "owner": {ok, deny, none, none}, "other": {none, deny, none, none},
				"admin": allOK, "service": allOK,
			},
		},
		{
			table: "platforms",
			sql: [4]string{
				`select 1 from public.platforms where slug = 'twitter'`,
				`insert into public.platforms (slug, display_name) values ('mastodon', 'Mastodon')`,
				`update public.platforms set sort_order = 99 where slug = 'twitter'`,
				`delete from public.platforms where slug = 'twitter'`,
			},
			want: catalog,
		},
		{
			table: "ai_providers",
			sql: [4]string{
				`select 1 from public.ai_providers where id = '{provider}'`,
				`insert into public.ai_providers (slug, display_name) values ('newprov', 'New provider')`,
				`update public.ai_providers set display_name = 'Renamed' where id = '{provider}'`,
				`delete from public.ai_providers where id = '{provider}'`,
			},
			want: catalog,
		},
		{
			table: "ai_models",
			sql: [4]string{
				`select 1 from public.ai_models where id = '{model}'`,
				`insert into public.ai_models (provider_id, slug, display_name) values ('{provider}', 'new-model', 'New')`,
				`update public.ai_models set is_active = false where id = '{model}'`,
				`delete from public.ai_models where id = '{model}'`,
			},
			want: catalog,
		},
	}

	for _, tc := range cases {
		for actor, req := range actors {
			want, found := tc.want[actor]
			if !found {
				t.Fatalf("%s: no expectations for %s", tc.table, actor)
			}
			for i, op := range ops {
				sql := ids.Replace(tc.sql[i])
				t.Run(tc.table+"/"+actor+"/"+op, func(t *testing.T) {
					t.Parallel()
					n, err := b.Exec(req, true, sql)
					dbtest.WantCell(t, n, err, want[i], sql)
				})
			}
		}
	}
}

// Every public table has a row in the matrix above: a new table fails here
// until it gets one.
func TestRLSMatrixCoversEveryPublicTable(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.CoversEveryTable(t, "public", map[string]bool{
		"goose_db_version": true, // the migrator's own; no grants (TestSecurityRules)
		"users":            true, "tenants": true, "tenant_members": true, "user_roles": true,
		"platforms": true, "ai_providers": true, "ai_models": true}, "TestRLSMatrix")
}
