package core_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/creatorbase/creatorbase/internal/database"
)

type (
	contextT = context.Context
	txT      = pgx.Tx
)

// TestSystemIsUnreachable walks every table and function of the system
// schema, including ones other migrations add: anon and authenticated
// hold no privilege on any, and cannot read them in SQL.
func TestSystemIsUnreachable(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()

	rows, err := b.Owner.Query(ctx, `select c.oid::regclass::text, r.rolname,
			has_table_privilege(r.rolname, c.oid, 'select, insert, update, delete, truncate, references, trigger')
			or has_any_column_privilege(r.rolname, c.oid, 'select, insert, update, references')
		from pg_class c cross join pg_roles r
		where c.relnamespace = 'system'::regnamespace and c.relkind in ('r', 'p', 'v', 'm', 'S', 'f')
		  and r.rolname in ('anon', 'authenticated')
		union all
		select p.oid::regprocedure::text, r.rolname,
			has_function_privilege(r.rolname, p.oid, 'execute') and has_schema_privilege(r.rolname, 'system', 'usage')
		from pg_proc p cross join pg_roles r
		where p.pronamespace = 'system'::regnamespace and r.rolname in ('anon', 'authenticated')`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for _, role := range []string{"anon", "authenticated"} {
		var usage bool
		b.OwnerScan(t, `select has_schema_privilege($1, 'system', 'usage')`, []any{role}, &usage)
		if usage {
			t.Errorf("%s has usage on schema system", role)
		}
	}
	for rows.Next() {
		var obj, role string
		var granted bool
		if err := rows.Scan(&obj, &role, &granted); err != nil {
			t.Fatal(err)
		}
		if granted {
			t.Errorf("%s holds a privilege on %s", role, obj)
		}
		if role == "anon" && !strings.Contains(obj, "(") {
			tables = append(tables, obj)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(tables) < 8 {
		t.Fatalf("found only %d system tables: %v", len(tables), tables)
	}
	for _, table := range tables {
		for _, req := range []database.Request{anon(), user(b.alice), user(b.admin)} {
			_, err := b.Exec(req, true, `select 1 from `+table+` limit 1`)
			wantState(t, err, "42501", req.Role+" reads "+table)
		}
	}
	for _, call := range []string{
		`select system.vault_get('x', 'k')`,
		`select system.vault_put('x', 's', 'kkkkkkkkkkkkkkkk')`,
		`select system.cache_get('x')`,
	} {
		_, err := b.Exec(user(b.admin), true, call)
		wantState(t, err, "42501", "authenticated "+call)
	}

	// The service role reaches what it needs.
	for _, table := range []string{"configurations", "circuit_breakers", "checkpoints", "health_metrics",
		"ai_model_config", "ai_processing_logs", "cache_store"} {
		if _, err := b.Exec(service(), true, `select 1 from system.`+table+` limit 1`); err != nil {
			t.Errorf("service_role reads system.%s: %v", table, err)
		}
	}
}

func TestConfigurations(t *testing.T) {
	t.Parallel()

	t.Run("ValueMustMatchItsType", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		insert := `insert into system.configurations (category, key, value, value_type) values ('test', $1, $2::jsonb, $3)`
		good := map[string][]string{
			"string":   {`"x"`, `""`},
			"number":   {`1.5`, `-3`, `1e3`},
			"integer":  {`1000`, `-1`, `2.0`},
			"boolean":  {`true`, `false`},
			"duration": {`"30s"`, `"1h30m"`, `"250ms"`, `"1.5h"`, `"0"`, `"-2m"`, `"10µs"`},
			"json":     {`{"a": 1}`, `[1, 2]`, `null`, `"s"`},
		}
		bad := map[string][]string{
			"string":   {`1`, `true`, `{"a": 1}`},
			"number":   {`"1"`, `true`, `null`},
			"integer":  {`1.5`, `"1"`, `1e30`},
			"boolean":  {`"true"`, `1`, `null`},
			"duration": {`"soon"`, `"30"`, `30`, `"1 hour"`, `"h"`, `""`},
		}
		i := 0
		for typ, values := range good {
			for _, v := range values {
				i++
				if _, err := b.Exec(service(), false, insert, "good_"+typ+"_"+string(rune('a'+i)), v, typ); err != nil {
					t.Errorf("%s %s refused: %v", typ, v, err)
				}
			}
		}
		for typ, values := range bad {
			for _, v := range values {
				_, err := b.Exec(service(), true, insert, "bad_"+typ, v, typ)
				wantState(t, err, "22023", typ+" "+v)
			}
		}
		_, err := b.Exec(service(), true, insert, "unknown_type", `1`, "float")
		wantState(t, err, "22023", "unknown value_type") // the trigger runs before the check constraint

		// Updates are checked too, also a type change that the old value
		// does not fit.
		_, err = b.Exec(service(), true, `update system.configurations set value = '"lots"' where key = 'max_api_calls_tiktok'`)
		wantState(t, err, "22023", "update to a non-integer")
		_, err = b.Exec(service(), true, `update system.configurations set value_type = 'boolean' where key = 'max_api_calls_tiktok'`)
		wantState(t, err, "22023", "type change the value does not fit")
	})

	t.Run("ChangesAreNotified", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		ctx := context.Background()
		conn, err := b.Owner.Acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Release()
		if _, err := conn.Exec(ctx, `listen creatorbase_config`); err != nil {
			t.Fatal(err)
		}
		b.MustExec(t, service(), `update system.configurations set value = '5' where category = 'api_limits' and key = 'max_api_calls_tiktok'`)
		wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		n, err := conn.Conn().WaitForNotification(wctx)
		if err != nil {
			t.Fatalf("no notification: %v", err)
		}
		if !strings.Contains(n.Payload, `"category" : "api_limits"`) || !strings.Contains(n.Payload, `"key" : "max_api_calls_tiktok"`) ||
			!strings.Contains(n.Payload, `"op" : "update"`) {
			t.Fatalf("payload %s", n.Payload)
		}
		_, _ = conn.Exec(ctx, `unlisten *`)
	})
}

func TestVault(t *testing.T) {
	t.Parallel()
	b := setup(t)
	const key = "0123456789abcdef-test-key"

	var id string
	if err := b.Scan(service(), `select system.vault_put($1, $2, $3)`, []any{"youtube:alice", "ya29.token-value", key}, &id); err != nil {
		t.Fatal(err)
	}
	var got string
	if err := b.Scan(service(), `select system.vault_get($1, $2)`, []any{"youtube:alice", key}, &got); err != nil || got != "ya29.token-value" {
		t.Fatalf("vault_get = %q, err %v", got, err)
	}

	// Put again: same row, new secret.
	var id2 string
	if err := b.Scan(service(), `select system.vault_put($1, $2, $3)`, []any{"youtube:alice", "ya29.rotated", key}, &id2); err != nil || id2 != id {
		t.Fatalf("second put id %q (err %v), want %q", id2, err, id)
	}
	if err := b.Scan(service(), `select system.vault_get($1, $2)`, []any{"youtube:alice", key}, &got); err != nil || got != "ya29.rotated" {
		t.Fatalf("after rotation vault_get = %q, err %v", got, err)
	}

	// Stored encrypted.
	var stored []byte
	b.OwnerScan(t, `select secret from system.vault_secrets where name = 'youtube:alice'`, nil, &stored)
	if bytes.Contains(stored, []byte("ya29")) {
		t.Fatal("secret stored in clear")
	}

	err := b.Scan(service(), `select system.vault_get($1, $2)`, []any{"youtube:alice", "another-key-of-16+"}, &got)
	wantState(t, err, "39000", "wrong key")
	var missing *string
	if err := b.Scan(service(), `select system.vault_get($1, $2)`, []any{"nope", key}, &missing); err != nil || missing != nil {
		t.Fatalf("missing secret: %v, err %v", missing, err)
	}
	err = b.Scan(service(), `select system.vault_put($1, $2, $3)`, []any{"short", "s", "short"}, &id)
	wantState(t, err, "22023", "short key")

	// Only the functions reach the table, and only for the service role.
	_, err = b.Exec(service(), true, `select secret from system.vault_secrets`)
	wantState(t, err, "42501", "service_role reads vault_secrets")
	for _, req := range []database.Request{anon(), user(b.alice), user(b.admin)} {
		err := b.Scan(req, `select system.vault_get($1, $2)`, []any{"youtube:alice", key}, &got)
		wantState(t, err, "42501", req.Role+" vault_get")
		_, err = b.Exec(req, true, `select secret from system.vault_secrets`)
		wantState(t, err, "42501", req.Role+" reads vault_secrets")
	}

	var deleted bool
	if err := b.Scan(service(), `select system.vault_delete($1)`, []any{"youtube:alice"}, &deleted); err != nil || !deleted {
		t.Fatalf("vault_delete = %v, err %v", deleted, err)
	}
}

// TestSecurityRules checks DESIGN §2 from the catalog, for every object
// of the shared-core schemas, so a later migration that forgets a rule
// fails here.
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

	check("table without row level security (public, events)", `
		select c.oid::regclass::text from pg_class c
		where c.relnamespace in ('public'::regnamespace, 'events'::regnamespace)
		  and c.relkind in ('r', 'p') and not c.relrowsecurity and c.relname <> 'goose_db_version'`)
	check("view that is not security_invoker", `
		select c.oid::regclass::text from pg_class c
		where c.relnamespace in ('public'::regnamespace, 'events'::regnamespace, 'system'::regnamespace)
		  and c.relkind = 'v' and not coalesce('security_invoker=true' = any (c.reloptions), false)`)
	check("SECURITY DEFINER function without a fixed search_path", `
		select p.oid::regprocedure::text from pg_proc p
		where p.pronamespace in ('public'::regnamespace, 'events'::regnamespace, 'system'::regnamespace)
		  and p.prosecdef
		  and not exists (select 1 from unnest(p.proconfig) s where s like 'search_path=%')`)
	check("SECURITY DEFINER function executable by PUBLIC", `
		select p.oid::regprocedure::text from pg_proc p
		where p.pronamespace in ('public'::regnamespace, 'events'::regnamespace, 'system'::regnamespace)
		  and p.prosecdef
		  and (p.proacl is null or exists (select 1 from aclexplode(p.proacl) a where a.grantee = 0))`)
	check("table privilege granted to PUBLIC", `
		select c.oid::regclass::text from pg_class c
		where c.relnamespace in ('public'::regnamespace, 'events'::regnamespace, 'system'::regnamespace)
		  and exists (select 1 from aclexplode(c.relacl) a where a.grantee = 0)`)
	check("goose_db_version reachable by a request role", `
		select r.rolname from pg_roles r
		where r.rolname in ('anon', 'authenticated')
		  and has_table_privilege(r.rolname, 'public.goose_db_version', 'select, insert, update, delete')`)
	check("policy calling auth.uid() per row instead of (select auth.uid())", `
		select schemaname || '.' || tablename || ' ' || policyname from pg_policies
		where schemaname in ('public', 'events', 'system')
		  and (coalesce(qual, '') || coalesce(with_check, '')) ~ 'auth\.uid\(\)'
		  and (coalesce(qual, '') || coalesce(with_check, '')) !~ 'SELECT auth\.uid\(\)'`)
}

func TestCacheAndRouting(t *testing.T) {
	t.Parallel()
	b := setup(t)

	t.Run("CacheExpires", func(t *testing.T) {
		b.MustExec(t, service(), `select system.cache_put('stripe:prices', '{"pro": 900}', 'stripe', interval '1 hour')`)
		b.MustExec(t, service(), `select system.cache_put('trends:old', '[1]', 'trends', interval '-1 second')`)
		b.MustExec(t, service(), `select system.cache_put('stripe:prices', '{"pro": 1000}', 'stripe', interval '1 hour')`) // overwrites
		var fresh, stale *string
		if err := b.Scan(service(), `select system.cache_get('stripe:prices')::text, system.cache_get('trends:old')::text`, nil, &fresh, &stale); err != nil {
			t.Fatal(err)
		}
		if fresh == nil || *fresh != `{"pro": 1000}` || stale != nil {
			t.Fatalf("cache_get: fresh %v, expired %v", fresh, stale)
		}
		var purged int64
		if err := b.Scan(service(), `select system.cache_purge_expired()`, nil, &purged); err != nil || purged != 1 {
			t.Fatalf("cache_purge_expired = %d, err %v", purged, err)
		}
	})

	t.Run("RoutingNamesRealModels", func(t *testing.T) {
		var provider, model string
		var fallbacks int
		if err := b.Scan(service(), `select p.slug, m.slug, cardinality(c.fallback_model_ids)
			from system.ai_model_config c join public.ai_models m on m.id = c.model_id
			join public.ai_providers p on p.id = m.provider_id where c.task = 'content_generation'`, nil, &provider, &model, &fallbacks); err != nil {
			t.Fatal(err)
		}
		if provider != "anthropic" || model == "" || fallbacks != 3 {
			t.Fatalf("content_generation -> %s/%s with %d fallbacks", provider, model, fallbacks)
		}
		_, err := b.Exec(service(), true, `update system.ai_model_config set fallback_model_ids = array[gen_random_uuid()] where task = 'trend_analysis'`)
		wantState(t, err, "23503", "fallback to a model that does not exist")
	})

	t.Run("CircuitBreakerOpenNeedsNextAttempt", func(t *testing.T) {
		_, err := b.Exec(service(), true, `insert into system.circuit_breakers (name, state) values ('openai', 'open')`)
		wantState(t, err, "23514", "open without next_attempt_at")
		b.MustExec(t, service(), `insert into system.circuit_breakers (name, state, failure_count, opened_at, next_attempt_at)
			values ('openai', 'open', 5, now(), now() + interval '60 seconds')`)
	})
}
