package core_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/creatorbase/creatorbase/internal/database"
)

const appendSQL = `select id from events.append_event($1, $2, $3, $4::jsonb, $5, $6, $7::jsonb)`

func TestEventStore(t *testing.T) {
	t.Parallel()

	t.Run("ConcurrentAppendsWithOneKeyMakeOneEvent", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		ctx := context.Background()
		// A pool as wide as the callers, so all 32 race for real.
		pool, err := database.Open(ctx, b.DB.AuthenticatorURL, 40)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(pool.Close)
		r, err := database.NewRunner(ctx, pool)
		if err != nil {
			t.Fatal(err)
		}

		const callers = 32
		ids := make([]string, callers)
		errs := make([]error, callers)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range callers {
			wg.Go(func() {
				<-start
				errs[i] = r.Run(ctx, service(), func(batch *pgx.Batch) {
					batch.Queue(appendSQL, "user", b.alice, "user_registered", `{"plan": "free"}`, "signup:"+b.alice,
						"user_action", `{"request_id": "r`+string(rune('a'+i%26))+`"}`).
						QueryRow(func(row pgx.Row) error { return row.Scan(&ids[i]) })
					// Hold the transaction open a moment, so later callers
					// meet an uncommitted row and must wait for it.
					batch.Queue(`select pg_sleep(0.02)`)
				})
			})
		}
		close(start)
		wg.Wait()
		for i := range callers {
			if errs[i] != nil {
				t.Fatalf("caller %d: %v", i, errs[i])
			}
			if ids[i] == "" || ids[i] != ids[0] {
				t.Fatalf("caller %d got event %q, caller 0 got %q", i, ids[i], ids[0])
			}
		}
		var n int
		b.OwnerScan(t, `select count(*) from events.events where idempotency_key = $1`, []any{"signup:" + b.alice}, &n)
		if n != 1 {
			t.Fatalf("%d events stored for one key, want 1", n)
		}
	})

	t.Run("SameKeyDifferentPayloadIsRefused", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		var first, again string
		args := []any{"subscription", "sub_1", "subscription_created", `{"plan": "pro"}`, "stripe:evt_1", "stripe_webhook", `{"request_id": "a"}`}
		if err := b.Scan(service(), appendSQL, args, &first); err != nil {
			t.Fatal(err)
		}
		// A retried webhook: same event, new request id in metadata.
		retry := append([]any{}, args...)
		retry[6] = `{"request_id": "b"}`
		if err := b.Scan(service(), appendSQL, retry, &again); err != nil || again != first {
			t.Fatalf("retry returned %q (err %v), want the stored event %q", again, err, first)
		}
		for name, change := range map[string]func([]any){
			"Data":      func(a []any) { a[3] = `{"plan": "enterprise"}` },
			"EventType": func(a []any) { a[2] = "subscription_canceled" },
			"Aggregate": func(a []any) { a[1] = "sub_2" },
			"Source":    func(a []any) { a[5] = "admin_action" },
		} {
			other := append([]any{}, args...)
			change(other)
			var id string
			err := b.Scan(service(), appendSQL, other, &id)
			wantState(t, err, "PT409", "same key, different "+name)
		}
		var n int
		b.OwnerScan(t, `select count(*) from events.events where idempotency_key = 'stripe:evt_1'`, nil, &n)
		if n != 1 {
			t.Fatalf("%d events for the key, want 1", n)
		}
	})

	t.Run("PayloadCannotChangeNorBeDeleted", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		var id string
		if err := b.Scan(service(), appendSQL, []any{"user", b.alice, "onboarding_completed", `{}`, "k1", "user_action", nil}, &id); err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		// As the owner, so no privilege stands in the way: the trigger refuses.
		for _, sql := range []string{
			`update events.events set event_data = '{"x": 1}' where id = $1`,
			`update events.events set metadata = '{"x": 1}' where id = $1`,
			`update events.events set event_type = 'other' where id = $1`,
			`update events.events set idempotency_key = 'k2' where id = $1`,
			`update events.events set "timestamp" = now() - interval '1 day' where id = $1`,
			`delete from events.events where id = $1`,
		} {
			_, err := b.Owner.Exec(ctx, sql, id)
			wantState(t, err, "PT403", sql)
		}
		_, err := b.Owner.Exec(ctx, `truncate events.events`)
		wantState(t, err, "PT403", "truncate")

		// The service role has no DELETE and no UPDATE of payload columns.
		_, err = b.Exec(service(), false, `delete from events.events where id = $1`, id)
		wantState(t, err, "42501", "service_role delete")
		_, err = b.Exec(service(), false, `update events.events set event_data = '{}' where id = $1`, id)
		wantState(t, err, "42501", "service_role update of event_data")

		// Processing fields move forward.
		b.MustExec(t, service(), `update events.events set processing_status = 'processing', retry_count = 1 where id = $1`, id)
		b.MustExec(t, service(), `update events.events set processing_status = 'processed', processed_at = now(), error = null where id = $1`, id)
		for _, sql := range []string{
			`update events.events set processing_status = 'pending' where id = $1`,
			`update events.events set retry_count = 0 where id = $1`,
			`update events.events set processed_at = null where id = $1`,
		} {
			_, err := b.Exec(service(), false, sql, id)
			wantState(t, err, "PT403", sql)
		}

		// Retention and purge run as the owner and say so explicitly.
		err = database.WithTx(ctx, b.Owner, func(ctx context.Context, tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, `set local events.allow_delete = on`); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `delete from events.events where id = $1`, id)
			return err
		})
		if err != nil {
			t.Fatalf("owner delete with events.allow_delete: %v", err)
		}
	})

	t.Run("OnlyServiceRoleAppendsAndAdminsRead", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		var id string
		for _, req := range []database.Request{anon(), user(b.alice)} {
			err := b.Scan(req, appendSQL, []any{"user", b.alice, "x", `{}`, "k-" + req.Role, "user_action", nil}, &id)
			wantState(t, err, "42501", req.Role+" append_event")
			_, err = b.Exec(req, true, `insert into events.events (aggregate_id, aggregate_type, event_type, event_data, idempotency_key, source_system)
				values ('a', 'user', 'x', '{}', 'k', 'user_action')`)
			wantState(t, err, "42501", req.Role+" insert")
		}
		if err := b.Scan(service(), appendSQL, []any{"user", b.alice, "user_registered", `{}`, "k-read", "user_action", nil}, &id); err != nil {
			t.Fatal(err)
		}
		_, err := b.Exec(anon(), true, `select 1 from events.events`)
		wantState(t, err, "42501", "anon select")
		if n, err := b.Exec(user(b.alice), true, `select 1 from events.events`); err != nil || n != 0 {
			t.Fatalf("alice sees %d events (err %v), want 0", n, err)
		}
		if n, err := b.Exec(user(b.admin), true, `select 1 from events.events`); err != nil || n != 1 {
			t.Fatalf("admin sees %d events (err %v), want 1", n, err)
		}
	})
}

func TestAuditTrigger(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	b.OwnerExec(t, `create table public.audit_probe (
			id uuid primary key default gen_random_uuid(),
			owner_id uuid not null default auth.uid(),
			note text)`)
	b.OwnerExec(t, `alter table public.audit_probe enable row level security`)
	b.OwnerExec(t, `grant select, insert, update, delete on public.audit_probe to authenticated`)
	b.OwnerExec(t, `create policy mine on public.audit_probe to authenticated
		using (owner_id = (select auth.uid())) with check (owner_id = (select auth.uid()))`)
	b.OwnerExec(t, `create trigger audit after insert or update or delete on public.audit_probe
		for each row execute function events.audit_trigger()`)

	req := user(b.alice)
	req.Headers = []byte(`{"x-forwarded-for": "203.0.113.7, 10.0.0.1", "user-agent": "probe/1.0"}`)
	var id string
	if err := b.Scan(req, `insert into public.audit_probe (note) values ('first') returning id`, nil, &id); err != nil {
		t.Fatal(err)
	}
	b.MustExec(t, req, `update public.audit_probe set note = 'second' where id = $1`, id)
	b.MustExec(t, req, `update public.audit_probe set note = 'second' where id = $1`, id) // changes nothing: not recorded
	b.MustExec(t, req, `delete from public.audit_probe where id = $1`, id)

	type entry struct {
		UserID, ActorRole, Action, EntityType, EntityID string
		Old, New                                        map[string]any
		IP, UserAgent                                   *string
	}
	rows, err := b.Owner.Query(ctx, `select coalesce(user_id::text, ''), coalesce(actor_role, ''), action, entity_type,
			coalesce(entity_id, ''), old_values, new_values, host(ip_address), user_agent
		from events.audit_log where entity_type = 'public.audit_probe' order by created_at, action desc`)
	if err != nil {
		t.Fatal(err)
	}
	var got []entry
	for rows.Next() {
		var e entry
		if err := rows.Scan(&e.UserID, &e.ActorRole, &e.Action, &e.EntityType, &e.EntityID, &e.Old, &e.New, &e.IP, &e.UserAgent); err != nil {
			t.Fatal(err)
		}
		got = append(got, e)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("%d audit rows, want 3 (insert, update, delete): %+v", len(got), got)
	}
	for i, action := range []string{"insert", "update", "delete"} {
		e := got[i]
		if e.Action != action || e.EntityType != "public.audit_probe" || e.EntityID != id || e.UserID != b.alice || e.ActorRole != "authenticated" {
			t.Fatalf("row %d: %+v, want %s of %s by alice", i, e, action, id)
		}
		if e.IP == nil || *e.IP != "203.0.113.7" || e.UserAgent == nil || *e.UserAgent != "probe/1.0" {
			t.Fatalf("row %d: ip %v user agent %v", i, e.IP, e.UserAgent)
		}
	}
	if got[0].Old != nil || got[0].New["note"] != "first" {
		t.Fatalf("insert: old %v new %v", got[0].Old, got[0].New)
	}
	if got[1].Old["note"] != "first" || got[1].New["note"] != "second" {
		t.Fatalf("update: old %v new %v", got[1].Old, got[1].New)
	}
	if got[2].Old["note"] != "second" || got[2].New != nil {
		t.Fatalf("delete: old %v new %v", got[2].Old, got[2].New)
	}

	t.Run("BadForwardedForIsNoIP", func(t *testing.T) {
		req := user(b.alice)
		req.Headers = []byte(`{"x-forwarded-for": "unknown"}`)
		b.MustExec(t, req, `insert into public.audit_probe (note) values ('no ip')`)
		var ip *string
		b.OwnerScan(t, `select host(ip_address) from events.audit_log
			where entity_type = 'public.audit_probe' and new_values ->> 'note' = 'no ip'`, nil, &ip)
		if ip != nil {
			t.Fatalf("ip %q from a bad x-forwarded-for", *ip)
		}
	})

	t.Run("AuditLogIsAppendOnly", func(t *testing.T) {
		for _, sql := range []string{
			`update events.audit_log set action = 'forged'`,
			`delete from events.audit_log`,
			`truncate events.audit_log`,
		} {
			_, err := b.Owner.Exec(ctx, sql)
			wantState(t, err, "PT403", sql)
		}
		_, err := b.Exec(service(), true, `delete from events.audit_log`)
		wantState(t, err, "42501", "service_role delete")
	})

	t.Run("OnlyAdminsRead", func(t *testing.T) {
		_, err := b.Exec(anon(), true, `select 1 from events.audit_log`)
		wantState(t, err, "42501", "anon select")
		if n, err := b.Exec(user(b.alice), true, `select 1 from events.audit_log`); err != nil || n != 0 {
			t.Fatalf("alice reads %d audit rows (err %v), want 0", n, err)
		}
		if n, err := b.Exec(user(b.admin), true, `select 1 from events.audit_log where entity_type = 'public.audit_probe'`); err != nil || n < 3 {
			t.Fatalf("admin reads %d audit rows (err %v), want >= 3", n, err)
		}
	})

	t.Run("RoleGrantsAreAudited", func(t *testing.T) {
		b.MustExec(t, user(b.admin), `insert into public.user_roles (user_id, role) values ($1, 'moderator')`, b.bob)
		var actor, granter string
		var newValues json.RawMessage
		b.OwnerScan(t, `select user_id::text, new_values, new_values ->> 'granted_by' from events.audit_log
			where entity_type = 'public.user_roles' and action = 'insert' and new_values ->> 'user_id' = $1`,
			[]any{b.bob}, &actor, &newValues, &granter)
		if actor != b.admin || granter != b.admin {
			t.Fatalf("role grant audited as by %s, granted_by %s; want the admin %s (%s)", actor, granter, b.admin, newValues)
		}
	})
}
