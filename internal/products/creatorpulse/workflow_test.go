package creatorpulse_test

import (
	"context"
	"strings"
	"testing"

	"github.com/creatorbase/creatorbase/internal/database"
	"github.com/creatorbase/creatorbase/internal/dbtest"
)

func TestDraftReview(t *testing.T) {
	t.Parallel()
	b := setup(t)
	alice := user(b.alice)
	// Alice lives at UTC+14: her analytics day is hers, not the server's.
	b.OwnerExec(t, `insert into creatorpulse.creator_profiles (user_id, email, timezone) values ($1, 'alice@example.com', 'Pacific/Kiritimati')`, b.alice)
	b.OwnerExec(t, `insert into creatorpulse.subscription_billing (user_id, subscription_status, monthly_credit_limit) values ($1, 'active', 100)`, b.alice)
	newDraft := func(t *testing.T, platform, contentType string) string {
		t.Helper()
		var id string
		b.MustScan(t, service(), `insert into creatorpulse.content_drafts (user_id, platform, content_type, content)
			values ($1, $2, $3, 'Generated draft') returning id`, []any{b.alice, platform, contentType}, &id)
		return id
	}
	counters := func(t *testing.T, platform string) (generated, accepted, rejected, published int64) {
		t.Helper()
		b.OwnerScan(t, `select drafts_generated, drafts_accepted, drafts_rejected, content_published
			from creatorpulse.creator_analytics
			where user_id = $1 and platform = $2 and metric_date = (now() at time zone 'Pacific/Kiritimati')::date`,
			[]any{b.alice, platform}, &generated, &accepted, &rejected, &published)
		return
	}

	accept := newDraft(t, "twitter", "thread")
	reject := newDraft(t, "twitter", "single_tweet")
	other := newDraft(t, "linkedin", "linkedin_carousel")

	for _, score := range []int{-1, 0, 1} {
		b.MustExec(t, alice, `update creatorpulse.content_drafts set feedback_score = $2 where id = $1`, accept, score)
	}
	b.MustExec(t, alice, `update creatorpulse.content_drafts set status = 'approved' where id = $1`, accept)
	b.MustExec(t, alice, `update creatorpulse.content_drafts set status = 'rejected', feedback_score = -1 where id = $1`, reject)
	if g, a, r, p := counters(t, "twitter"); g != 2 || a != 1 || r != 1 || p != 0 {
		t.Fatalf("twitter counters generated %d accepted %d rejected %d published %d, want 2 1 1 0", g, a, r, p)
	}
	if g, a, r, _ := counters(t, "linkedin"); g != 1 || a != 0 || r != 0 {
		t.Fatalf("linkedin counters %d %d %d, want 1 0 0", g, a, r)
	}
	if n := b.OwnerInt(t, `select count(*) from creatorpulse.usage_tracking where user_id = $1
		and action_type in ('draft_accepted', 'draft_rejected') and credits_consumed = 0`, b.alice); n != 2 {
		t.Fatalf("%d accept/reject usage rows, want 2", n)
	}
	if n := b.OwnerInt(t, `select count(*) from creatorpulse.creator_analytics where user_id = $1 and avg_review_time_minutes is not null`, b.alice); n != 1 {
		t.Fatalf("avg_review_time_minutes not recorded")
	}

	// Publishing stamps published_at, which users cannot write themselves.
	b.MustExec(t, alice, `update creatorpulse.content_drafts set status = 'published', published_url = 'https://x.com/alice/status/1' where id = $1`, accept)
	if n := b.OwnerInt(t, `select count(*) from creatorpulse.content_drafts where id = $1 and published_at > now() - interval '1 minute'`, accept); n != 1 {
		t.Fatal("published_at was not stamped")
	}
	if _, _, _, p := counters(t, "twitter"); p != 1 {
		t.Fatalf("content_published %d, want 1", p)
	}

	// Users move status only along the review flow.
	for _, tc := range []struct{ id, to string }{
		{other, "published"}, // not approved yet
		{accept, "pending"},  // published stays published (or archived)
		{reject, "pending"},
	} {
		_, err := b.Exec(alice, false, `update creatorpulse.content_drafts set status = $2 where id = $1`, tc.id, tc.to)
		if pgErr := wantState(t, err, "23514", "move to "+tc.to); pgErr.ColumnName != "status" || pgErr.ConstraintName != "content_drafts_status_transition" {
			t.Fatalf("column %q constraint %q", pgErr.ColumnName, pgErr.ConstraintName)
		}
	}
	b.MustExec(t, alice, `update creatorpulse.content_drafts set status = 'archived' where id = $1`, accept)
	_, err := b.Exec(alice, false, `update creatorpulse.content_drafts set status = 'approved' where id = $1`, accept)
	wantState(t, err, "23514", "un-archive")
	// The service role moves status freely.
	b.MustExec(t, service(), `update creatorpulse.content_drafts set status = 'pending' where id = $1`, accept)
}

// TestProtectedColumns: what the system moves, users cannot write, even in
// their own rows.
func TestProtectedColumns(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ids := b.fixture(t)
	alice := user(b.alice)
	for _, sql := range []string{
		`update creatorpulse.creator_profiles set subscription_tier = 'enterprise' where user_id = '{alice}'`,
		`update creatorpulse.creator_profiles set voice_training_status = 'completed' where user_id = '{alice}'`,
		`update creatorpulse.creator_profiles set user_id = '{bob}' where user_id = '{alice}'`,
		`update creatorpulse.platform_connections set access_token_secret = 'creatorpulse.platform_connections.x.access_token' where user_id = '{alice}'`,
		`update creatorpulse.platform_connections set last_sync_at = now() where user_id = '{alice}'`,
		`update creatorpulse.content_drafts set voice_confidence_score = 1 where id = '{draft}'`,
		`update creatorpulse.content_drafts set engagement_prediction = '{"likes": 1000000}' where id = '{draft}'`,
		`update creatorpulse.content_drafts set actual_performance = '{"likes": 1000000}' where id = '{draft}'`,
		`update creatorpulse.content_drafts set published_at = now() where id = '{draft}'`,
		`update creatorpulse.content_drafts set user_id = '{bob}' where id = '{draft}'`,
		`insert into creatorpulse.content_drafts (user_id, platform, content_type, content, status)
			values ('{alice}', 'twitter', 'thread', 'x', 'published')`,
		`update creatorpulse.content_sources set last_crawled_at = now() where user_id = '{alice}'`,
		`update creatorpulse.voice_training_data set sample_rank = 1 where user_id = '{alice}'`,
		`update creatorpulse.voice_training_data set content_features = '{}' where user_id = '{alice}'`,
		`select creatorpulse.record_usage('{alice}', 'draft_generated')`,
		`select creatorpulse.store_platform_tokens(gen_random_uuid(), 'a', 'r', now(), 'kkkkkkkkkkkkkkkk')`,
	} {
		sql = ids.Replace(sql)
		_, err := b.Exec(alice, true, sql)
		wantState(t, err, "42501", sql)
	}
}

func TestAgencyPermissions(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ids := b.fixture(t)
	var draft string
	b.OwnerScan(t, `select id from creatorpulse.content_drafts where user_id = $1`, []any{b.alice}, &draft)
	nope := user(b.nope)

	// The agency cannot give itself permissions, on insert or update.
	carol := b.NewUser(t, "carol@example.com")
	_, err := b.Exec(nope, true, `insert into creatorpulse.agency_clients (agency_user_id, client_user_id, client_name, permissions)
		values ($1, $2, 'Carol', '{"drafts": "write"}')`, b.nope, carol)
	wantState(t, err, "42501", "agency inserts its own permissions")
	_, err = b.Exec(nope, true, `update creatorpulse.agency_clients set permissions = '{"drafts": "write"}'
		where agency_user_id = $1 and client_user_id = $2`, b.nope, b.alice)
	wantState(t, err, "42501", "agency updates its own permissions")
	// The client cannot rewrite the agency's side.
	_, err = b.Exec(user(b.alice), true, `update creatorpulse.agency_clients set client_name = 'Someone else', billing_allocation = 0
		where agency_user_id = $1`, b.nope)
	wantState(t, err, "42501", "client renames the relationship")

	if n, err := b.Exec(nope, true, `select 1 from creatorpulse.content_drafts where id = $1`, draft); err != nil || n != 0 {
		t.Fatalf("agency without permission sees %d drafts (%v)", n, err)
	}
	// The client gives read access to drafts: the agency reads, but cannot write.
	b.MustExec(t, user(b.alice), `update creatorpulse.agency_clients set permissions = '{"drafts": "read"}'
		where agency_user_id = $1`, b.nope)
	if n, err := b.Exec(nope, true, `select 1 from creatorpulse.content_drafts where id = $1`, draft); err != nil || n != 1 {
		t.Fatalf("agency with read sees %d drafts (%v)", n, err)
	}
	if n, err := b.Exec(nope, true, `update creatorpulse.content_drafts set content = 'x' where id = $1`, draft); err != nil || n != 0 {
		t.Fatalf("agency with read updated %d drafts (%v)", n, err)
	}
	_, err = b.Exec(nope, true, ids.Replace(`insert into creatorpulse.content_drafts (user_id, platform, content_type, content)
		values ('{alice}', 'twitter', 'thread', 'x')`))
	wantState(t, err, "42501", "agency with read inserts a draft")
	if n, err := b.Exec(nope, true, `select 1 from creatorpulse.content_sources where user_id = $1`, b.alice); err != nil || n != 0 {
		t.Fatalf("drafts permission opened sources: %d rows (%v)", n, err)
	}
	// An inactive relationship gives nothing.
	b.MustExec(t, user(b.nope), `update creatorpulse.agency_clients set is_active = false where client_user_id = $1`, b.alice)
	if n, err := b.Exec(nope, true, `select 1 from creatorpulse.content_drafts where id = $1`, draft); err != nil || n != 0 {
		t.Fatalf("inactive agency sees %d drafts (%v)", n, err)
	}

	// A draft cannot point at another user's trend (foreign keys ignore RLS).
	var bobTrend string
	b.OwnerScan(t, `insert into creatorpulse.trend_insights (user_id, trend_topic, trend_description, confidence_score, source_count)
		values ($1, 'Secret', 'Bob''s', 0.5, 1) returning id`, []any{b.bob}, &bobTrend)
	_, err = b.Exec(user(b.alice), true, `update creatorpulse.content_drafts set hook = 'x' where id = $1`, draft)
	if err != nil {
		t.Fatal(err)
	}
	_, err = b.Exec(user(b.alice), true, `insert into creatorpulse.content_drafts (user_id, platform, content_type, content, trend_source_id)
		values ($1, 'twitter', 'thread', 'x', $2)`, b.alice, bobTrend)
	if pgErr := wantState(t, err, "23503", "draft on another user's trend"); pgErr.ColumnName != "trend_source_id" {
		t.Fatalf("column %q", pgErr.ColumnName)
	}
}

func TestDelivery(t *testing.T) {
	t.Parallel()
	b := setup(t)

	var id, again, days string
	var maxDrafts int
	b.MustScan(t, user(b.bob), `select id, delivery_days::text, max_drafts_per_delivery from creatorpulse.ensure_delivery_preferences()`,
		nil, &id, &days, &maxDrafts)
	if days != `["monday", "tuesday", "wednesday", "thursday", "friday"]` || maxDrafts != 5 {
		t.Fatalf("defaults: days %s, max %d", days, maxDrafts)
	}
	b.MustScan(t, user(b.bob), `select id from creatorpulse.ensure_delivery_preferences()`, nil, &again)
	if again != id {
		t.Fatalf("second call made another row: %s, %s", id, again)
	}
	b.MustScan(t, service(), `select id from creatorpulse.ensure_delivery_preferences($1)`, []any{b.alice}, &again)
	_, err := b.Exec(user(b.bob), true, `select creatorpulse.ensure_delivery_preferences($1)`, b.alice)
	wantState(t, err, "42501", "bob makes alice's preferences")
	_, err = b.Exec(anon(), true, `select creatorpulse.ensure_delivery_preferences()`)
	wantState(t, err, "42501", "anon")

	// WhatsApp needs a number, in E.164.
	b.MustExec(t, user(b.bob), `update creatorpulse.delivery_preferences set whatsapp_enabled = true, whatsapp_number = '+4915112345678' where user_id = $1`, b.bob)

	// One delivery per user and day.
	b.MustExec(t, service(), `insert into creatorpulse.daily_deliveries (user_id, delivery_date, delivery_channel) values ($1, '2026-03-01', 'email')`, b.bob)
	_, err = b.Exec(service(), true, `insert into creatorpulse.daily_deliveries (user_id, delivery_date, delivery_channel) values ($1, '2026-03-01', 'push')`, b.bob)
	if pgErr := wantState(t, err, "23505", "second delivery the same day"); pgErr.ConstraintName != "daily_deliveries_user_date_idx" {
		t.Fatalf("constraint %s", pgErr.ConstraintName)
	}
}

func TestPlatformTokens(t *testing.T) {
	t.Parallel()
	b := setup(t)
	const key = "vault-key-0123456789abcdef"
	var conn string
	b.MustScan(t, user(b.alice), `insert into creatorpulse.platform_connections (user_id, platform, platform_user_id, platform_username)
		values ($1, 'twitter', '123', 'alice') returning id`, []any{b.alice}, &conn)
	b.MustExec(t, service(), `select creatorpulse.store_platform_tokens($1, 'access-XYZ', 'refresh-XYZ', now() + interval '2 hours', $2)`, conn, key)

	var access, refresh string
	b.MustScan(t, service(), `select access_token, refresh_token from creatorpulse.platform_tokens($1, $2)`, []any{conn, key}, &access, &refresh)
	if access != "access-XYZ" || refresh != "refresh-XYZ" {
		t.Fatalf("tokens %q %q", access, refresh)
	}
	// The owner sees the connection, never the tokens.
	var row string
	b.MustScan(t, user(b.alice), `select row_to_json(c)::text from creatorpulse.platform_connections c where id = $1`, []any{conn}, &row)
	if strings.Contains(row, "XYZ") || !strings.Contains(row, "creatorpulse.platform_connections."+conn+".access_token") {
		t.Fatalf("row as the owner: %s", row)
	}
	if n := b.OwnerInt(t, `select count(*) from system.vault_secrets where position('XYZ'::bytea in secret) > 0`); n != 0 {
		t.Fatal("tokens stored in clear text")
	}
	for _, req := range []database.Request{user(b.alice), anon()} {
		_, err := b.Exec(req, true, `select * from creatorpulse.platform_tokens($1, $2)`, conn, key)
		wantState(t, err, "42501", req.Role+" reads tokens")
		_, err = b.Exec(req, true, `select system.vault_get($1, $2)`, "creatorpulse.platform_connections."+conn+".access_token", key)
		wantState(t, err, "42501", req.Role+" reads the vault")
	}
	// Deleting the connection deletes its secrets.
	b.MustExec(t, user(b.alice), `delete from creatorpulse.platform_connections where id = $1`, conn)
	if n := b.OwnerInt(t, `select count(*) from system.vault_secrets where name like $1`, "creatorpulse.platform_connections."+conn+"%"); n != 0 {
		t.Fatalf("%d secrets left after the connection was deleted", n)
	}
}

func TestMyActivity(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.OwnerExec(t, `insert into creatorpulse.content_drafts (user_id, platform, content_type, content, status, published_at)
		values ($1, 'twitter', 'thread', 'x', 'published', now())`, b.alice)
	b.OwnerExec(t, `insert into creatorpulse.daily_deliveries (user_id, delivery_date, delivery_status, delivered_at)
		values ($1, current_date, 'delivered', now())`, b.alice)
	var kinds string
	b.MustScan(t, user(b.alice), `select string_agg(kind, ',' order by kind) from public.my_activity where product = 'creatorpulse'`, nil, &kinds)
	if kinds != "delivery_received,draft_created,draft_published" {
		t.Fatalf("alice's creatorpulse activity: %q", kinds)
	}
	if n, err := b.Exec(user(b.bob), true, `select 1 from public.my_activity where product = 'creatorpulse'`); err != nil || n != 0 {
		t.Fatalf("bob sees %d of alice's rows (%v)", n, err)
	}
	if n, err := b.Exec(user(b.alice), true, `select 1 from public.my_activity where product = 'core'`); err != nil || n == 0 {
		t.Fatalf("the core's branches are gone: %d rows (%v)", n, err)
	}
}

// TestSecurityRules checks DESIGN section 2 from the catalog for every
// object of the schema, so that a later migration that forgets one fails.
func TestSecurityRules(t *testing.T) {
	t.Parallel()
	b := setup(t)
	check := func(what, sql string) {
		t.Helper()
		rows, err := b.Owner.Query(context.Background(), sql)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		defer rows.Close()
		for rows.Next() {
			var obj string
			if err := rows.Scan(&obj); err != nil {
				t.Fatal(err)
			}
			t.Errorf("%s: %s", what, obj)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
	}
	check("table without row level security", `select c.oid::regclass::text from pg_class c
		where c.relnamespace = 'creatorpulse'::regnamespace and c.relkind in ('r', 'p') and not c.relrowsecurity`)
	check("view that is not security_invoker", `select c.oid::regclass::text from pg_class c
		where c.relnamespace = 'creatorpulse'::regnamespace and c.relkind = 'v'
		  and not coalesce('security_invoker=true' = any (c.reloptions), false)`)
	check("function without a fixed search_path", `select p.oid::regprocedure::text from pg_proc p
		where p.pronamespace = 'creatorpulse'::regnamespace
		  and not exists (select 1 from unnest(p.proconfig) s where s like 'search_path=%')`)
	check("function executable by PUBLIC", `select p.oid::regprocedure::text from pg_proc p
		where p.pronamespace = 'creatorpulse'::regnamespace
		  and (p.proacl is null or exists (select 1 from aclexplode(p.proacl) a where a.grantee = 0))`)
	check("privilege granted to PUBLIC or anon", `select c.oid::regclass::text from pg_class c
		where c.relnamespace = 'creatorpulse'::regnamespace
		  and (exists (select 1 from aclexplode(c.relacl) a where a.grantee = 0)
		       or has_table_privilege('anon', c.oid, 'select, insert, update, delete, truncate, references, trigger')
		       or has_any_column_privilege('anon', c.oid, 'select, insert, update, references'))`)
	check("authenticated may truncate, reference or trigger", `select c.oid::regclass::text from pg_class c
		where c.relnamespace = 'creatorpulse'::regnamespace
		  and has_table_privilege('authenticated', c.oid, 'truncate, references, trigger')`)
	check("policy calling auth.uid() per row", `select tablename || ' ' || policyname from pg_policies
		where schemaname = 'creatorpulse'
		  and (coalesce(qual, '') || coalesce(with_check, '')) ~ 'auth\.uid\(\)'
		  and (coalesce(qual, '') || coalesce(with_check, '')) !~ 'SELECT auth\.uid\(\)'`)
	check("policy for anon or public", `select tablename || ' ' || policyname from pg_policies
		where schemaname = 'creatorpulse' and not (roles <@ array['authenticated', 'service_role']::name[])`)
	check("user_id without an index leading with it", `select c.conrelid::regclass::text || '.' || a.attname
		from pg_constraint c join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
		where c.connamespace = 'creatorpulse'::regnamespace and c.contype = 'f' and a.attname like '%user_id'
		  and not exists (select 1 from pg_index i where i.indrelid = c.conrelid and i.indkey[0] = a.attnum)`)
	check("the seed's tables re-created here instead of in system", `select c.relname::text from pg_class c
		where c.relnamespace = 'creatorpulse'::regnamespace and c.relname in ('ai_processing_logs', 'system_health_metrics')`)
}

// TestMigrationsDownAndUp rolls CreatorPulse's migrations back and applies
// them again on a database of its own.
func TestMigrationsDownAndUp(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, m, _ := dbtest.NewMigrated(t)
	owner := db.Owner(t)
	viewDef := func() string { return db.ViewDef(t, "public.my_activity") }
	if !strings.Contains(viewDef(), "creatorpulse.my_activity") {
		t.Fatal("public.my_activity has no creatorpulse branch")
	}
	if _, err := m.DownTo(ctx, 99); err != nil {
		t.Fatalf("down to 0099: %v", err)
	}
	var schema bool
	if err := owner.QueryRow(ctx, `select exists (select from pg_namespace where nspname = 'creatorpulse')`).Scan(&schema); err != nil || schema {
		t.Fatalf("schema creatorpulse still there after down (%v)", err)
	}
	if def := viewDef(); strings.Contains(def, "creatorpulse") || !strings.Contains(def, "tenant_joined") {
		t.Fatalf("public.my_activity after down: %s", def)
	}
	if _, err := m.Up(ctx); err != nil {
		t.Fatalf("up again: %v", err)
	}
	if err := m.CheckCurrent(ctx); err != nil {
		t.Fatal(err)
	}
}
