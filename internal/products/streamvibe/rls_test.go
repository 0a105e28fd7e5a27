package streamvibe_test

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/creatorbase/creatorbase/internal/database"
)

// Outcomes of one matrix cell.
const (
	ok   = "ok"   // the statement touches the target row
	none = "none" // it runs, but RLS hides the row: 0 rows
	deny = "deny" // refused: SQLSTATE 42501
)

// cell runs sql in a rolled-back request transaction, after prep (as the
// service role) when given.
func (b *testBundle) cell(req database.Request, prep, sql string) (int64, error) {
	req.Rollback = true
	var n int64
	err := b.Runner.Do(context.Background(), req, func(ctx context.Context, tx pgx.Tx) error {
		if prep != "" {
			if _, err := tx.Exec(ctx, `select set_config('role', 'service_role', true)`); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, prep); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `select set_config('role', $1, true)`, req.Role); err != nil {
				return err
			}
		}
		tag, err := tx.Exec(ctx, sql)
		n = tag.RowsAffected()
		return err
	})
	return n, err
}

// TestRLSMatrix runs streamvibe tables x (anon, owner, another user, admin,
// service_role) x (select, insert, update, delete), each cell rolled back.
func TestRLSMatrix(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.connect(t, b.alice, "youtube")
	s := b.suggest(t, c.item)
	b.MustExec(t, user(b.alice), `update streamvibe.content_item set title = 'Edited' where id = $1`, c.item)
	b.MustScan(t, service(), `select streamvibe.consume_quota('sync', 1, $1)`, []any{b.alice}, new(int))
	b.MustExec(t, service(), `insert into streamvibe.notification (user_id, type, title) values ($1, 'sync_completed', 'Synced')`, b.alice)
	b.MustExec(t, user(b.alice), `insert into streamvibe.seo_connection (user_id, search_engine_id, site_url)
		select $1, id, 'https://alice.example' from streamvibe.search_engine where slug = 'indexnow'`, b.alice)
	ids := strings.NewReplacer("{alice}", b.alice, "{item}", c.item, "{account}", c.account, "{conn}", c.conn, "{suggestion}", s)

	actors := map[string]database.Request{
		"anon": anon(), "owner": user(b.alice), "other": user(b.bob), "admin": user(b.admin), "service": service(),
	}
	allDeny := [4]string{deny, deny, deny, deny}
	allOK := [4]string{ok, ok, ok, ok}
	readOnly := map[string][4]string{ // written by functions and triggers only
		"anon": allDeny, "owner": {ok, deny, deny, deny}, "other": {none, deny, deny, deny},
		"admin": {ok, deny, deny, deny}, "service": {ok, deny, deny, deny},
	}
	cases := []struct {
		table string
		sql   [4]string
		prep  string
		want  map[string][4]string
	}{
		{
			table: "content_type",
			sql: [4]string{
				`select 1 from streamvibe.content_type where slug = 'story'`,
				`insert into streamvibe.content_type (slug, display_name) values ('live', 'Live')`,
				`update streamvibe.content_type set display_name = 'Stories' where slug = 'story'`,
				`delete from streamvibe.content_type where slug = 'story'`,
			},
			want: map[string][4]string{
				"anon": {ok, deny, deny, deny}, "owner": {ok, deny, none, none}, "other": {ok, deny, none, none},
				"admin": allOK, "service": allOK,
			},
		},
		{
			table: "user_setting",
			sql: [4]string{
				`select 1 from streamvibe.user_setting where user_id = '{alice}'`,
				`insert into streamvibe.user_setting (user_id) values ('{alice}')`,
				`update streamvibe.user_setting set sync_frequency_hours = 12 where user_id = '{alice}'`,
				`delete from streamvibe.user_setting where user_id = '{alice}'`,
			},
			prep: `delete from streamvibe.user_setting where user_id = '{alice}'`,
			want: map[string][4]string{
				"anon": allDeny, "owner": {ok, ok, ok, deny}, "other": {none, deny, none, deny},
				"admin": {ok, deny, none, deny}, "service": allOK,
			},
		},
		{
			table: "subscription",
			sql: [4]string{
				`select 1 from streamvibe.subscription where user_id = '{alice}'`,
				`insert into streamvibe.subscription (user_id, tier_id, status_id) select '{alice}', t.id, s.id
					from streamvibe.subscription_tier t, streamvibe.subscription_status s where t.slug = 'basic' and s.slug = 'active'`,
				`update streamvibe.subscription set is_auto_renew_enabled = false where user_id = '{alice}'`,
				`delete from streamvibe.subscription where user_id = '{alice}'`,
			},
			prep: `delete from streamvibe.subscription where user_id = '{alice}'`,
			want: map[string][4]string{
				"anon": allDeny, "owner": {ok, deny, ok, deny}, "other": {none, deny, none, deny},
				"admin": {ok, deny, none, deny}, "service": allOK,
			},
		},
		{
			table: "quota_usage_history",
			sql: [4]string{
				`select 1 from streamvibe.quota_usage_history where user_id = '{alice}'`,
				`insert into streamvibe.quota_usage_history (user_id, quota_type, operation, amount, current_value, billing_cycle_start, billing_cycle_end)
					values ('{alice}', 'sync', 'decrement', 1, 0, now(), now())`,
				`update streamvibe.quota_usage_history set amount = 0 where user_id = '{alice}'`,
				`delete from streamvibe.quota_usage_history where user_id = '{alice}'`,
			},
			want: readOnly,
		},
		{
			table: "platform_connection",
			sql: [4]string{
				`select 1 from streamvibe.platform_connection where id = '{conn}'`,
				`insert into streamvibe.platform_connection (user_id, platform_id, platform_user_id)
					select '{alice}', id, 'another' from streamvibe.platform where slug = 'tiktok'`,
				`update streamvibe.platform_connection set is_active = false where id = '{conn}'`,
				`delete from streamvibe.platform_connection where id = '{conn}'`,
			},
			want: map[string][4]string{
				"anon": allDeny, "owner": {ok, deny, ok, ok}, "other": {none, deny, none, none},
				"admin": {ok, deny, none, none}, "service": allOK,
			},
		},
		{
			table: "social_account",
			sql: [4]string{
				`select 1 from streamvibe.social_account where id = '{account}'`,
				`insert into streamvibe.social_account (user_id, platform_id, account_name)
					select '{alice}', id, 'Second' from streamvibe.platform where slug = 'tiktok'`,
				`update streamvibe.social_account set sync_mode = 'manual' where id = '{account}'`,
				`delete from streamvibe.social_account where id = '{account}'`,
			},
			prep: `update streamvibe.subscription set tier_id = (select id from streamvibe.subscription_tier where slug = 'premium')
				where user_id = '{alice}'`,
			want: map[string][4]string{
				"anon": {none, deny, deny, deny}, "owner": {ok, deny, ok, deny}, "other": {none, deny, none, deny},
				"admin": {ok, deny, none, deny}, "service": allOK,
			},
		},
		{
			table: "content_item",
			sql: [4]string{
				`select 1 from streamvibe.content_item where id = '{item}'`,
				`insert into streamvibe.content_item (social_account_id, content_type_id, platform_content_id)
					select '{account}', id, 'new-video' from streamvibe.content_type where slug = 'reel'`,
				`update streamvibe.content_item set title = 'Mine now' where id = '{item}'`,
				`delete from streamvibe.content_item where id = '{item}'`,
			},
			want: map[string][4]string{
				"anon": {none, deny, deny, deny}, "owner": {ok, deny, ok, deny}, "other": {none, deny, none, deny},
				"admin": {ok, deny, none, deny}, "service": allOK,
			},
		},
		{
			table: "content_revision",
			sql: [4]string{
				`select 1 from streamvibe.content_revision where content_item_id = '{item}'`,
				`insert into streamvibe.content_revision (content_item_id, field_name) values ('{item}', 'title')`,
				`update streamvibe.content_revision set new_value = 'x' where content_item_id = '{item}'`,
				`delete from streamvibe.content_revision where content_item_id = '{item}'`,
			},
			want: readOnly,
		},
		{
			table: "ai_suggestion",
			sql: [4]string{
				`select 1 from streamvibe.ai_suggestion where id = '{suggestion}'`,
				`insert into streamvibe.ai_suggestion (content_item_id, provider_id) select '{item}', id from streamvibe.ai_provider where slug = 'local'`,
				`update streamvibe.ai_suggestion set is_applied = true where id = '{suggestion}'`,
				`delete from streamvibe.ai_suggestion where id = '{suggestion}'`,
			},
			want: map[string][4]string{
				"anon": allDeny, "owner": {ok, deny, deny, deny}, "other": {none, deny, deny, deny},
				"admin": {ok, deny, deny, deny}, "service": allOK,
			},
		},
		{
			table: "seo_connection",
			sql: [4]string{
				`select 1 from streamvibe.seo_connection where user_id = '{alice}'`,
				`insert into streamvibe.seo_connection (user_id, search_engine_id, site_url)
					select '{alice}', id, 'https://alice.example' from streamvibe.search_engine where slug = 'bing'`,
				`update streamvibe.seo_connection set is_active = false where user_id = '{alice}'`,
				`delete from streamvibe.seo_connection where user_id = '{alice}'`,
			},
			want: map[string][4]string{
				"anon": allDeny, "owner": allOK, "other": {none, deny, none, none},
				"admin": {ok, deny, none, none}, "service": allOK,
			},
		},
		{
			table: "notification",
			sql: [4]string{
				`select 1 from streamvibe.notification where user_id = '{alice}'`,
				`insert into streamvibe.notification (user_id, type, title) values ('{alice}', 'system', 'Hi')`,
				`update streamvibe.notification set is_read = true where user_id = '{alice}'`,
				`delete from streamvibe.notification where user_id = '{alice}'`,
			},
			want: map[string][4]string{
				"anon": allDeny, "owner": {ok, deny, ok, ok}, "other": {none, deny, none, none},
				"admin": {none, deny, none, none}, "service": allOK,
			},
		},
	}
	ops := [4]string{"select", "insert", "update", "delete"}
	for _, tc := range cases {
		for actor, req := range actors {
			want, found := tc.want[actor]
			if !found {
				t.Fatalf("%s: no expectations for %s", tc.table, actor)
			}
			for i, op := range ops {
				prep := ""
				if i == 1 {
					prep = ids.Replace(tc.prep)
				}
				n, err := b.cell(req, prep, ids.Replace(tc.sql[i]))
				got := ok
				switch {
				case err != nil:
					if e := pgError(err); e == nil || e.Code != "42501" {
						t.Errorf("%s %s as %s: %v", tc.table, op, actor, err)
						continue
					}
					got = deny
				case n == 0:
					got = none
				}
				if got != want[i] {
					t.Errorf("%s %s as %s: got %s, want %s (err %v)", tc.table, op, actor, got, want[i], err)
				}
			}
		}
	}
}
