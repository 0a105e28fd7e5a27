package core_test

import (
	"slices"
	"testing"
	"time"

	"github.com/creatorbase/creatorbase/internal/database"
)

func TestUsersFollowAuthUsers(t *testing.T) {
	t.Parallel()

	t.Run("SignupMakesTheProfile", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		id := newUUID()
		// As the Auth service writes it.
		auth := database.Request{Role: "supabase_auth_admin"}
		b.MustExec(t, auth, `insert into auth.users (id, email, raw_user_meta_data, created_at, updated_at)
			values ($1, 'new@example.com', '{"full_name": "New Person", "avatar_url": "https://example.com/a.png",
			  "timezone": "Europe/Berlin", "language": "de"}', now(), now())`, id)
		var email, name, avatar, tz, lang string
		var onboarded bool
		b.OwnerScan(t, `select email, full_name, avatar_url, timezone, language, is_onboarded from public.users where id = $1`,
			[]any{id}, &email, &name, &avatar, &tz, &lang, &onboarded)
		if email != "new@example.com" || name != "New Person" || avatar != "https://example.com/a.png" ||
			tz != "Europe/Berlin" || lang != "de" || onboarded {
			t.Fatalf("profile = %q %q %q %q %q %v", email, name, avatar, tz, lang, onboarded)
		}

		// OAuth metadata names, and a time zone that is not one.
		other := newUUID()
		b.OwnerExec(t, `insert into auth.users (id, email, raw_user_meta_data, created_at, updated_at)
			values ($1, 'oauth@example.com', '{"name": "O Auth", "picture": "https://example.com/p.png", "timezone": "Mars/Olympus"}', now(), now())`, other)
		b.OwnerScan(t, `select full_name, avatar_url, timezone, language from public.users where id = $1`,
			[]any{other}, &name, &avatar, &tz, &lang)
		if name != "O Auth" || avatar != "https://example.com/p.png" || tz != "UTC" || lang != "en" {
			t.Fatalf("oauth profile = %q %q %q %q", name, avatar, tz, lang)
		}
	})

	t.Run("EmailChangesFollow", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.MustExec(t, database.Request{Role: "supabase_auth_admin"},
			`update auth.users set email = 'alice@new.example.com' where id = $1`, b.alice)
		var email string
		b.OwnerScan(t, `select email from public.users where id = $1`, []any{b.alice}, &email)
		if email != "alice@new.example.com" {
			t.Fatalf("profile email %q after the account's email changed", email)
		}
	})

	t.Run("DeletingTheAccountDeletesTheProfile", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.OwnerExec(t, `delete from auth.users where id = $1`, b.bob)
		var n int
		b.OwnerScan(t, `select count(*) from public.users where id = $1`, []any{b.bob}, &n)
		if n != 0 {
			t.Fatal("profile outlived its account")
		}
	})

	t.Run("OwnerEditsOnlyTheirColumns", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		me := user(b.alice)
		for _, sql := range []string{
			`update public.users set email = 'x@example.com' where id = $1`,
			`update public.users set id = gen_random_uuid() where id = $1`,
			`update public.users set created_at = now() - interval '1 year' where id = $1`,
			`update public.users set updated_at = now() - interval '1 year' where id = $1`,
			`update public.users set onboarded_at = now() where id = $1`,
		} {
			_, err := b.Exec(me, true, sql, b.alice)
			wantState(t, err, "42501", sql)
		}

		var before time.Time
		b.OwnerScan(t, `select updated_at from public.users where id = $1`, []any{b.alice}, &before)
		b.MustExec(t, me, `update public.users set full_name = 'A. Example', avatar_url = 'https://example.com/x.png',
			timezone = 'America/New_York', language = 'pt-BR', is_onboarded = true where id = $1`, b.alice)
		var onboardedAt *time.Time
		var after time.Time
		b.OwnerScan(t, `select onboarded_at, updated_at from public.users where id = $1`, []any{b.alice}, &onboardedAt, &after)
		if onboardedAt == nil || !after.After(before) {
			t.Fatalf("onboarded_at %v, updated_at %v -> %v", onboardedAt, before, after)
		}
	})

	t.Run("TimezoneMustBeAnIANAName", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		for _, tz := range []string{"Mars/Olympus", "CEST", "", "europe/berlin"} {
			_, err := b.Exec(user(b.alice), true, `update public.users set timezone = $2 where id = $1`, b.alice, tz)
			wantState(t, err, "22023", "timezone "+tz)
		}
		_, err := b.Exec(user(b.alice), true, `update public.users set language = 'English' where id = $1`, b.alice)
		wantState(t, err, "23514", "language English")
		if n := b.MustExec(t, user(b.alice), `update public.users set timezone = 'Asia/Kolkata' where id = $1`, b.alice); n != 1 {
			t.Fatalf("valid timezone: %d rows", n)
		}
	})
}

func TestRoles(t *testing.T) {
	t.Parallel()

	t.Run("HasRoleHonoursExpiryAndHierarchy", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.OwnerExec(t, `insert into public.user_roles (user_id, role, granted_at, expires_at)
			values ($1, 'moderator', now() - interval '2 days', now() - interval '1 day')`, b.bob)
		super := b.NewUserMeta(t, "super@example.com", `{}`)
		b.OwnerExec(t, `insert into public.user_roles (user_id, role) values ($1, 'super_admin')`, super)

		check := func(req database.Request, role string, want bool) {
			t.Helper()
			var got bool
			if err := b.Scan(req, `select public.has_role($1)`, []any{role}, &got); err != nil {
				t.Fatalf("has_role(%s) as %s: %v", role, req.Role, err)
			}
			if got != want {
				t.Fatalf("has_role(%s) = %v, want %v", role, got, want)
			}
		}
		check(user(b.bob), "moderator", false) // expired
		check(user(b.admin), "admin", true)
		check(user(b.admin), "moderator", true)
		check(user(b.admin), "super_admin", false)
		check(user(super), "admin", true)
		check(user(super), "author", true)
		check(user(b.alice), "admin", false)
		check(anon(), "admin", false)
		check(service(), "admin", false)
	})

	t.Run("AdminsCannotMakeAdmins", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		for _, role := range []string{"admin", "super_admin"} {
			_, err := b.Exec(user(b.admin), true, `insert into public.user_roles (user_id, role) values ($1, $2)`, b.bob, role)
			wantState(t, err, "42501", "admin grants "+role)
		}
		// Nor name someone else as the granter.
		_, err := b.Exec(user(b.admin), true, `insert into public.user_roles (user_id, role, granted_by) values ($1, 'author', $1)`, b.bob)
		wantState(t, err, "42501", "admin sets granted_by")
		super := b.NewUserMeta(t, "super@example.com", `{}`)
		b.OwnerExec(t, `insert into public.user_roles (user_id, role) values ($1, 'super_admin')`, super)
		if n := b.MustExec(t, user(super), `insert into public.user_roles (user_id, role) values ($1, 'admin')`, b.bob); n != 1 {
			t.Fatal("super admin could not grant admin")
		}
	})
}

func TestTenants(t *testing.T) {
	t.Parallel()

	t.Run("CreatorBecomesOwnerAndSeesTheRow", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		var id string
		if err := b.Scan(user(b.alice), `insert into public.tenants (name, slug) values ('Studio', 'studio') returning id`, nil, &id); err != nil {
			t.Fatalf("insert returning: %v", err)
		}
		var role string
		b.OwnerScan(t, `select role from public.tenant_members where tenant_id = $1 and user_id = $2`, []any{id, b.alice}, &role)
		if role != "owner" {
			t.Fatalf("creator's role %q, want owner", role)
		}
		var member, admin bool
		if err := b.Scan(user(b.alice), `select public.is_tenant_member($1, 'member'), public.is_tenant_member($1, 'owner')`, []any{id}, &member, &admin); err != nil || !member || !admin {
			t.Fatalf("is_tenant_member for the owner: %v %v (err %v)", member, admin, err)
		}
		if err := b.Scan(user(b.bob), `select public.is_tenant_member($1)`, []any{id}, &member); err != nil || member {
			t.Fatalf("is_tenant_member for a stranger: %v (err %v)", member, err)
		}
		err := b.Scan(user(b.alice), `select public.is_tenant_member($1, 'boss')`, []any{id}, &member)
		wantState(t, err, "22023", "unknown min_role")
	})

	t.Run("RolesInsideATenant", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		var id string
		if err := b.Scan(user(b.alice), `insert into public.tenants (name, slug) values ('Team', 'team') returning id`, nil, &id); err != nil {
			t.Fatal(err)
		}
		carol := b.NewUserMeta(t, "carol@example.com", `{}`)
		b.MustExec(t, user(b.alice), `insert into public.tenant_members (tenant_id, user_id, role) values ($1, $2, 'admin')`, id, b.bob)
		b.MustExec(t, user(b.alice), `insert into public.tenant_members (tenant_id, user_id, role) values ($1, $2, 'member')`, id, carol)

		// A tenant admin manages members but not owners.
		bob := user(b.bob)
		if n := b.MustExec(t, bob, `update public.tenants set description = 'ours' where id = $1`, id); n != 1 {
			t.Fatal("tenant admin could not edit the tenant")
		}
		_, err := b.Exec(bob, true, `update public.tenant_members set role = 'owner' where tenant_id = $1 and user_id = $2`, id, carol)
		wantState(t, err, "42501", "admin promotes to owner")
		if n, err := b.Exec(bob, true, `delete from public.tenant_members where tenant_id = $1 and user_id = $2`, id, b.alice); err != nil || n != 0 {
			t.Fatalf("admin removed the owner: %d rows, err %v", n, err)
		}
		if n, err := b.Exec(bob, true, `delete from public.tenants where id = $1`, id); err != nil || n != 0 {
			t.Fatalf("admin deleted the tenant: %d rows, err %v", n, err)
		}
		// A member reads co-members but changes nothing.
		if n, err := b.Exec(user(carol), true, `select 1 from public.tenant_members where tenant_id = $1`, id); err != nil || n != 3 {
			t.Fatalf("member sees %d co-members (err %v), want 3", n, err)
		}
		if n, err := b.Exec(user(carol), true, `update public.tenants set name = 'x' where id = $1`, id); err != nil || n != 0 {
			t.Fatalf("member renamed the tenant: %d rows, err %v", n, err)
		}
		// Anyone may leave.
		if n := b.MustExec(t, user(carol), `delete from public.tenant_members where tenant_id = $1 and user_id = $2`, id, carol); n != 1 {
			t.Fatal("member could not leave")
		}
	})

	t.Run("ATenantKeepsAnOwner", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		var id string
		if err := b.Scan(user(b.alice), `insert into public.tenants (name, slug) values ('Solo', 'solo') returning id`, nil, &id); err != nil {
			t.Fatal(err)
		}
		_, err := b.Exec(user(b.alice), true, `delete from public.tenant_members where tenant_id = $1 and user_id = $2`, id, b.alice)
		wantState(t, err, "23514", "last owner leaves")
		_, err = b.Exec(user(b.alice), true, `update public.tenant_members set role = 'member' where tenant_id = $1 and user_id = $2`, id, b.alice)
		wantState(t, err, "23514", "last owner demotes themselves")

		// With a second owner, the first may go.
		b.MustExec(t, user(b.alice), `insert into public.tenant_members (tenant_id, user_id, role) values ($1, $2, 'owner')`, id, b.bob)
		if n := b.MustExec(t, user(b.alice), `delete from public.tenant_members where tenant_id = $1 and user_id = $2`, id, b.alice); n != 1 {
			t.Fatal("owner could not leave with another owner in place")
		}
		// Deleting the tenant, or the last owner's account, is allowed.
		b.OwnerExec(t, `delete from auth.users where id = $1`, b.bob)
		var members int
		b.OwnerScan(t, `select count(*) from public.tenant_members where tenant_id = $1`, []any{id}, &members)
		if members != 0 {
			t.Fatalf("%d members left after the owner's account was deleted", members)
		}
	})
}

func TestMyViews(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.OwnerExec(t, `insert into public.user_roles (user_id, role) values ($1, 'author')`, b.alice)
	if err := b.Scan(user(b.alice), `insert into public.tenants (name, slug) values ('Mine', 'mine') returning id`, nil, new(string)); err != nil {
		t.Fatal(err)
	}

	var id, name string
	var roles []string
	var tenants []map[string]any
	if err := b.Scan(user(b.alice), `select id, full_name, roles, tenants from public.my_account`, nil, &id, &name, &roles, &tenants); err != nil {
		t.Fatal(err)
	}
	if id != b.alice || name != "Alice Example" || !slices.Equal(roles, []string{"author"}) ||
		len(tenants) != 1 || tenants[0]["slug"] != "mine" || tenants[0]["role"] != "owner" {
		t.Fatalf("my_account = %s %q %v %v", id, name, roles, tenants)
	}

	kinds := map[string]int{}
	err := b.Runner.Do(t.Context(), user(b.alice), func(ctx contextT, tx txT) error {
		rows, err := tx.Query(ctx, `select kind from public.my_activity`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var k string
			if err := rows.Scan(&k); err != nil {
				return err
			}
			kinds[k]++
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	if kinds["account_created"] != 1 || kinds["role_granted"] != 1 || kinds["tenant_joined"] != 1 || len(kinds) != 3 {
		t.Fatalf("my_activity kinds = %v", kinds)
	}

	// An admin, who may read every profile, still sees only themselves.
	if n, err := b.Exec(user(b.admin), true, `select 1 from public.my_account`); err != nil || n != 1 {
		t.Fatalf("admin my_account rows %d (err %v), want 1", n, err)
	}
	if n, err := b.Exec(user(b.bob), true, `select 1 from public.my_activity where entity_id = $1`, b.alice); err != nil || n != 0 {
		t.Fatalf("bob sees %d of alice's activity rows (err %v)", n, err)
	}
	for _, v := range []string{"my_account", "my_activity"} {
		_, err := b.Exec(anon(), true, `select 1 from public.`+v)
		wantState(t, err, "42501", "anon "+v)
	}
}
