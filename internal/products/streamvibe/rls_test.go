package streamvibe_test

import (
	"strings"
	"testing"

	"github.com/creatorbase/creatorbase/internal/database"
	"github.com/creatorbase/creatorbase/internal/dbtest"
)

// The matrix outcomes of internal/dbtest, under short names. Here ok means
// one row or more: some statements aim at a user's set of rows.
const (
	ok   = dbtest.Some
	none = dbtest.None
	deny = dbtest.Deny
)

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
	applied := b.suggest(t, c.item)
	b.MustScan(t, user(b.alice), `select (streamvibe.apply_ai_suggestion($1, '{title}')).id`, []any{applied}, new(string))
	b.MustExec(t, user(b.alice), `insert into streamvibe.user_ai_setting (user_id, tone) values ($1, 'casual')`, b.alice)
	b.MustExec(t, service(), `insert into streamvibe.ai_usage (user_id, provider_id, content_item_id, operation_type, prompt_tokens)
		select $1, id, $2, 'content_analysis', 100 from streamvibe.ai_provider where slug = 'local'`, b.alice, c.item)
	b.MustExec(t, service(), `insert into streamvibe.trending_keyword (keyword, trending_score) values ('pasta', 70)`)
	b.MustExec(t, service(), `insert into streamvibe.seo_submission (content_item_id, search_engine_id, submitted_url)
		select $1, id, 'https://alice.example/pasta' from streamvibe.search_engine where slug = 'indexnow'`, c.item)
	b.MustExec(t, service(), `insert into streamvibe.seo_usage (user_id, search_engine_id, content_item_id, operation_type)
		select $1, id, $2, 'url_submission' from streamvibe.search_engine where slug = 'indexnow'`, b.alice, c.item)
	ids := strings.NewReplacer("{alice}", b.alice, "{item}", c.item, "{account}", c.account, "{conn}", c.conn,
		"{suggestion}", s, "{applied}", applied)

	actors := map[string]database.Request{
		"anon": anon(), "owner": user(b.alice), "other": user(b.bob), "admin": user(b.admin), "service": service(),
	}
	allDeny := [4]string{deny, deny, deny, deny}
	allOK := [4]string{ok, ok, ok, ok}
	readOnly := map[string][4]string{ // written by functions and triggers only
		"anon": allDeny, "owner": {ok, deny, deny, deny}, "other": {none, deny, deny, deny},
		"admin": {ok, deny, deny, deny}, "service": {ok, deny, deny, deny},
	}
	lookup := map[string][4]string{ // everyone reads; admins and the service role write
		"anon": {ok, deny, deny, deny}, "owner": {ok, deny, none, none}, "other": {ok, deny, none, none},
		"admin": allOK, "service": allOK,
	}
	serviceWritten := map[string][4]string{ // workers write; the owner and admins read
		"anon": allDeny, "owner": {ok, deny, deny, deny}, "other": {none, deny, deny, deny},
		"admin": {ok, deny, deny, deny}, "service": allOK,
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
			table: "subscription_tier",
			sql: [4]string{
				`select 1 from streamvibe.subscription_tier where slug = 'premium'`,
				`insert into streamvibe.subscription_tier (slug, display_name) values ('studio', 'Studio')`,
				`update streamvibe.subscription_tier set price_cents = 3999 where slug = 'premium'`,
				`delete from streamvibe.subscription_tier where slug = 'premium'`,
			},
			want: lookup,
		},
		{
			table: "subscription_status",
			sql: [4]string{
				`select 1 from streamvibe.subscription_status where slug = 'paused'`,
				`insert into streamvibe.subscription_status (slug, display_name) values ('frozen', 'Frozen')`,
				`update streamvibe.subscription_status set display_name = 'On hold' where slug = 'paused'`,
				`delete from streamvibe.subscription_status where slug = 'paused'`,
			},
			want: lookup,
		},
		{
			table: "account_status",
			sql: [4]string{
				`select 1 from streamvibe.account_status where slug = 'suspended'`,
				`insert into streamvibe.account_status (slug, display_name) values ('banned', 'Banned')`,
				`update streamvibe.account_status set display_name = 'Blocked' where slug = 'suspended'`,
				`delete from streamvibe.account_status where slug = 'suspended'`,
			},
			want: lookup,
		},
		{
			table: "search_engine",
			sql: [4]string{
				`select 1 from streamvibe.search_engine where slug = 'yandex'`,
				`insert into streamvibe.search_engine (slug, display_name) values ('naver', 'Naver')`,
				`update streamvibe.search_engine set is_active = false where slug = 'yandex'`,
				`delete from streamvibe.search_engine where slug = 'yandex'`,
			},
			want: lookup,
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
			table: "user_ai_setting",
			sql: [4]string{
				`select 1 from streamvibe.user_ai_setting where user_id = '{alice}'`,
				`insert into streamvibe.user_ai_setting (user_id, tone) values ('{alice}', 'enthusiastic')`,
				`update streamvibe.user_ai_setting set tone = 'professional' where user_id = '{alice}'`,
				`delete from streamvibe.user_ai_setting where user_id = '{alice}'`,
			},
			prep: `delete from streamvibe.user_ai_setting where user_id = '{alice}'`,
			want: map[string][4]string{
				"anon": allDeny, "owner": allOK, "other": {none, deny, none, none},
				"admin": {ok, deny, none, none}, "service": allOK,
			},
		},
		{
			table: "ai_suggestion_application",
			sql: [4]string{
				`select 1 from streamvibe.ai_suggestion_application where suggestion_id = '{applied}'`,
				`insert into streamvibe.ai_suggestion_application (suggestion_id, applied_field, applied_value) values ('{suggestion}', 'title', 'x')`,
				`update streamvibe.ai_suggestion_application set applied_value = 'x' where suggestion_id = '{applied}'`,
				`delete from streamvibe.ai_suggestion_application where suggestion_id = '{applied}'`,
			},
			want: readOnly,
		},
		{
			table: "ai_usage",
			sql: [4]string{
				`select 1 from streamvibe.ai_usage where user_id = '{alice}'`,
				`insert into streamvibe.ai_usage (user_id, provider_id, operation_type)
					select '{alice}', id, 'title_generation' from streamvibe.ai_provider where slug = 'local'`,
				`update streamvibe.ai_usage set cost_cents = 0 where user_id = '{alice}'`,
				`delete from streamvibe.ai_usage where user_id = '{alice}'`,
			},
			want: serviceWritten,
		},
		{
			table: "trending_keyword",
			sql: [4]string{
				`select 1 from streamvibe.trending_keyword where keyword = 'pasta'`,
				`insert into streamvibe.trending_keyword (keyword) values ('noodles')`,
				`update streamvibe.trending_keyword set trending_score = 99 where keyword = 'pasta'`,
				`delete from streamvibe.trending_keyword where keyword = 'pasta'`,
			},
			want: lookup,
		},
		{
			table: "seo_submission",
			sql: [4]string{
				`select 1 from streamvibe.seo_submission where content_item_id = '{item}'`,
				`insert into streamvibe.seo_submission (content_item_id, search_engine_id, submitted_url)
					select '{item}', id, 'https://alice.example/other' from streamvibe.search_engine where slug = 'bing'`,
				`update streamvibe.seo_submission set status = 'submitted' where content_item_id = '{item}'`,
				`delete from streamvibe.seo_submission where content_item_id = '{item}'`,
			},
			want: serviceWritten,
		},
		{
			table: "seo_usage",
			sql: [4]string{
				`select 1 from streamvibe.seo_usage where user_id = '{alice}'`,
				`insert into streamvibe.seo_usage (user_id, search_engine_id, operation_type)
					select '{alice}', id, 'status_check' from streamvibe.search_engine where slug = 'google'`,
				`update streamvibe.seo_usage set urls_count = 2 where user_id = '{alice}'`,
				`delete from streamvibe.seo_usage where user_id = '{alice}'`,
			},
			want: serviceWritten,
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
	// Coverage guard: every table of the schema has a row, and every row
	// names a table of the schema.
	covered := map[string]bool{}
	for _, tc := range cases {
		if covered[tc.table] {
			t.Fatalf("%s: two rows", tc.table)
		}
		covered[tc.table] = true
	}
	b.CoversEveryTable(t, "streamvibe", covered, "the RLS matrix")
	if t.Failed() {
		t.FailNow()
	}
	for _, tc := range cases {
		for actor, req := range actors {
			want, found := tc.want[actor]
			if !found {
				t.Fatalf("%s: no expectations for %s", tc.table, actor)
			}
			for i, op := range dbtest.MatrixOps {
				prep := ""
				if i == 1 {
					prep = ids.Replace(tc.prep)
				}
				sql := ids.Replace(tc.sql[i])
				t.Run(tc.table+"/"+actor+"/"+op, func(t *testing.T) {
					n, err := b.Cell(req, prep, sql)
					dbtest.WantCell(t, n, err, want[i], sql)
				})
			}
		}
	}
}
