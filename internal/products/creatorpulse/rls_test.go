package creatorpulse_test

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

// A matrix row: one table, the four statements aimed at a row of alice's
// (insert cells insert one on her behalf) and what each actor gets.
// prepInsert, when set, runs first in the insert cell's transaction as the
// service role, to make room for a row that is unique per user.
//
// key, row and set are the same statements for the Data API: the filter
// naming the target row (select, update, delete), the inserted row and the
// update's change, as JSON.
type tableCase struct {
	table      string
	key        string
	row        string
	set        string
	sql        [4]string
	prepInsert string
	want       map[string][4]string
}

// fixture makes one row of alice's in every table and returns their ids
// for the {name} placeholders of the matrix statements.
func (b *testBundle) fixture(t *testing.T) *strings.Replacer {
	t.Helper()
	var trend, draft string
	b.OwnerExec(t, `insert into creatorpulse.subscription_billing (user_id, subscription_status, monthly_credit_limit)
		values ($1, 'active', 1000)`, b.alice)
	b.OwnerExec(t, `insert into creatorpulse.creator_profiles (user_id, email, creator_handle) values ($1, 'alice@example.com', 'alice')`, b.alice)
	b.OwnerExec(t, `insert into creatorpulse.platform_connections (user_id, platform, platform_user_id, platform_username)
		values ($1, 'twitter', '42', 'alice')`, b.alice)
	b.OwnerScan(t, `insert into creatorpulse.trend_insights (user_id, trend_topic, trend_description, confidence_score, source_count)
		values ($1, 'AI agents', 'Everyone talks about agents', 0.9, 3) returning id`, []any{b.alice}, &trend)
	b.OwnerScan(t, `insert into creatorpulse.content_drafts (user_id, platform, content_type, content, trend_source_id)
		values ($1, 'twitter', 'single_tweet', 'Agents are here', $2) returning id`, []any{b.alice, trend}, &draft)
	b.OwnerExec(t, `insert into creatorpulse.trend_content_mapping (user_id, trend_id, content_draft_id, relevance_score)
		values ($1, $2, $3, 0.8)`, b.alice, trend, draft)
	b.OwnerExec(t, `insert into creatorpulse.voice_training_data (user_id, sample_content, platform) values ($1, 'My voice', 'twitter')`, b.alice)
	b.OwnerExec(t, `insert into creatorpulse.voice_models (user_id, model_version, model_config, training_data_count, is_active)
		values ($1, 'v1', '{}', 10, true)`, b.alice)
	b.OwnerExec(t, `insert into creatorpulse.content_sources (user_id, source_type, source_identifier, source_name)
		values ($1, 'twitter_handle', '@openai', 'OpenAI')`, b.alice)
	b.OwnerExec(t, `insert into creatorpulse.delivery_preferences (user_id) values ($1)`, b.alice)
	b.OwnerExec(t, `insert into creatorpulse.daily_deliveries (user_id, delivery_date) values ($1, date '2026-01-01')`, b.alice)
	b.OwnerExec(t, `insert into creatorpulse.creator_analytics (user_id, metric_date, platform) values ($1, date '2026-01-01', 'overall')`, b.alice)
	b.OwnerExec(t, `insert into creatorpulse.content_performance (user_id, content_draft_id, impressions) values ($1, $2, 100)`, b.alice, draft)
	b.OwnerExec(t, `insert into creatorpulse.usage_tracking (user_id, usage_date, action_type) values ($1, date '2026-01-01', 'trend_analyzed')`, b.alice)
	b.OwnerExec(t, `insert into creatorpulse.content_drafts_archive (id, user_id, platform, content_type, content, status)
		values (gen_random_uuid(), $1, 'twitter', 'single_tweet', 'Old', 'rejected')`, b.alice)
	b.OwnerExec(t, `insert into creatorpulse.content_performance_summaries (user_id, period, period_start, platform)
		values ($1, 'month', date '2025-01-01', 'twitter')`, b.alice)
	today := b.OwnerString(t, `select current_date::text`)
	return strings.NewReplacer("{alice}", b.alice, "{bob}", b.bob, "{agent}", b.agent, "{trend}", trend, "{draft}", draft,
		"{today}", today, "{newid}", newUUID())
}

// TestRLSMatrix runs every creatorpulse table x (anon, owner, another
// user, an agency with and without the client's permission, service_role)
// x (select, insert, update, delete) as request transactions, each rolled
// back so the cells do not interfere.
func TestRLSMatrix(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ids := b.fixture(t)

	actors := b.rlsActors()
	cases := rlsCases()

	covered := map[string]bool{}
	for _, tc := range cases {
		covered[tc.table] = true
		for actor, req := range actors {
			want, found := tc.want[actor]
			if !found {
				t.Fatalf("%s: no expectations for %s", tc.table, actor)
			}
			for i, op := range ops {
				sql := ids.Replace(tc.sql[i])
				prep := ""
				if op == "insert" {
					prep = ids.Replace(tc.prepInsert)
				}
				t.Run(tc.table+"/"+actor+"/"+op, func(t *testing.T) {
					t.Parallel()
					n, err := b.Cell(req, prep, sql)
					dbtest.WantCell(t, n, err, want[i], sql)
				})
			}
		}
	}

	// Every table of the schema has a row above: a new table fails here
	// until it gets one.
	t.Run("CoversEveryTable", func(t *testing.T) {
		t.Parallel()
		b.CoversEveryTable(t, "creatorpulse", covered, "TestRLSMatrix")
	})
}

// rlsActors are the matrix's columns: who runs the statements.
func (b *testBundle) rlsActors() map[string]database.Request {
	return map[string]database.Request{
		"anon":    anon(),
		"owner":   user(b.alice),
		"other":   user(b.bob),
		"agency":  user(b.agent),
		"noperm":  user(b.nope),
		"service": service(),
	}
}

// rlsCases is the matrix shared by TestRLSMatrix (SQL) and TestAPIMatrix
// (the Data API): every table, its four statements and what each actor gets.
func rlsCases() []tableCase {
	allDeny := [4]string{deny, deny, deny, deny}
	allOK := [4]string{ok, ok, ok, ok}
	hidden := [4]string{none, deny, none, none} // reads and writes nothing of alice's
	// Service-role-only tables: the owner reads, nobody else sees a thing.
	systemWritten := map[string][4]string{
		"anon": allDeny, "owner": {ok, deny, deny, deny}, "other": {none, deny, deny, deny},
		"agency": {none, deny, deny, deny}, "noperm": {none, deny, deny, deny}, "service": allOK,
	}
	// Tables the seed gives full own-row access, and agencies by permission.
	ownedWithAgency := map[string][4]string{
		"anon": allDeny, "owner": allOK, "other": hidden, "agency": allOK, "noperm": hidden, "service": allOK,
	}

	return []tableCase{
		{
			table: "creator_profiles",
			key:   `user_id=eq.{alice}`,
			row:   `{"user_id": "{alice}", "email": "alice@example.com"}`,
			set:   `{"bio": "Hi"}`,
			sql: [4]string{
				`select 1 from creatorpulse.creator_profiles where user_id = '{alice}'`,
				`insert into creatorpulse.creator_profiles (user_id, email) values ('{alice}', 'alice@example.com')`,
				`update creatorpulse.creator_profiles set bio = 'Hi' where user_id = '{alice}'`,
				`delete from creatorpulse.creator_profiles where user_id = '{alice}'`,
			},
			prepInsert: `delete from creatorpulse.creator_profiles where user_id = '{alice}'`,
			want: map[string][4]string{
				"anon": allDeny, "owner": {ok, ok, ok, deny}, "other": {none, deny, none, deny},
				"agency": {none, deny, none, deny}, "noperm": {none, deny, none, deny}, "service": allOK,
			},
		},
		{
			table: "platform_connections",
			key:   `user_id=eq.{alice}`,
			row:   `{"user_id": "{alice}", "platform": "linkedin", "platform_user_id": "li-1", "platform_username": "alice"}`,
			set:   `{"platform_username": "alice2"}`,
			sql: [4]string{
				`select 1 from creatorpulse.platform_connections where user_id = '{alice}'`,
				`insert into creatorpulse.platform_connections (user_id, platform, platform_user_id, platform_username)
					values ('{alice}', 'linkedin', 'li-1', 'alice')`,
				`update creatorpulse.platform_connections set platform_username = 'alice2' where user_id = '{alice}'`,
				`delete from creatorpulse.platform_connections where user_id = '{alice}'`,
			},
			want: map[string][4]string{
				"anon": allDeny, "owner": allOK, "other": hidden, "agency": hidden, "noperm": hidden, "service": allOK,
			},
		},
		{
			table: "content_drafts",
			key:   `id=eq.{draft}`,
			row:   `{"user_id": "{alice}", "platform": "linkedin", "content_type": "linkedin_short", "content": "Hello LinkedIn"}`,
			set:   `{"content": "Edited", "feedback_score": 1}`,
			sql: [4]string{
				`select 1 from creatorpulse.content_drafts where id = '{draft}'`,
				`insert into creatorpulse.content_drafts (user_id, platform, content_type, content)
					values ('{alice}', 'linkedin', 'linkedin_short', 'Hello LinkedIn')`,
				`update creatorpulse.content_drafts set content = 'Edited', feedback_score = 1 where id = '{draft}'`,
				`delete from creatorpulse.content_drafts where id = '{draft}'`,
			},
			want: ownedWithAgency,
		},
		{
			table: "voice_training_data",
			key:   `user_id=eq.{alice}`,
			row:   `{"user_id": "{alice}", "sample_content": "More", "platform": "linkedin"}`,
			set:   `{"is_training_sample": false}`,
			sql: [4]string{
				`select 1 from creatorpulse.voice_training_data where user_id = '{alice}'`,
				`insert into creatorpulse.voice_training_data (user_id, sample_content, platform) values ('{alice}', 'More', 'linkedin')`,
				`update creatorpulse.voice_training_data set is_training_sample = false where user_id = '{alice}'`,
				`delete from creatorpulse.voice_training_data where user_id = '{alice}'`,
			},
			want: map[string][4]string{
				"anon": allDeny, "owner": allOK, "other": hidden, "agency": hidden, "noperm": hidden, "service": allOK,
			},
		},
		{
			table: "voice_models",
			key:   `user_id=eq.{alice}`,
			row:   `{"user_id": "{alice}", "model_version": "v2", "model_config": {}, "training_data_count": 12}`,
			set:   `{"validation_score": 0.9}`,
			sql: [4]string{
				`select 1 from creatorpulse.voice_models where user_id = '{alice}'`,
				`insert into creatorpulse.voice_models (user_id, model_version, model_config, training_data_count)
					values ('{alice}', 'v2', '{}', 12)`,
				`update creatorpulse.voice_models set validation_score = 0.9 where user_id = '{alice}'`,
				`delete from creatorpulse.voice_models where user_id = '{alice}'`,
			},
			want: systemWritten,
		},
		{
			table: "content_sources",
			key:   `user_id=eq.{alice}`,
			row:   `{"user_id": "{alice}", "source_type": "newsletter_rss", "source_identifier": "https://example.com/feed", "source_name": "Example"}`,
			set:   `{"priority_level": 9}`,
			sql: [4]string{
				`select 1 from creatorpulse.content_sources where user_id = '{alice}'`,
				`insert into creatorpulse.content_sources (user_id, source_type, source_identifier, source_name)
					values ('{alice}', 'newsletter_rss', 'https://example.com/feed', 'Example')`,
				`update creatorpulse.content_sources set priority_level = 9 where user_id = '{alice}'`,
				`delete from creatorpulse.content_sources where user_id = '{alice}'`,
			},
			want: ownedWithAgency,
		},
		{
			table: "trend_insights",
			key:   `id=eq.{trend}`,
			row:   `{"user_id": "{alice}", "trend_topic": "Go 1.26", "trend_description": "New release", "confidence_score": 0.5, "source_count": 1}`,
			set:   `{"status": "declining"}`,
			sql: [4]string{
				`select 1 from creatorpulse.trend_insights where id = '{trend}'`,
				`insert into creatorpulse.trend_insights (user_id, trend_topic, trend_description, confidence_score, source_count)
					values ('{alice}', 'Go 1.26', 'New release', 0.5, 1)`,
				`update creatorpulse.trend_insights set status = 'declining' where id = '{trend}'`,
				`delete from creatorpulse.trend_insights where id = '{trend}'`,
			},
			want: systemWritten,
		},
		{
			table: "trend_content_mapping",
			key:   `user_id=eq.{alice}`,
			row:   `{"user_id": "{alice}", "trend_id": "{trend}", "content_draft_id": "{draft}"}`,
			set:   `{"relevance_score": 0.1}`,
			sql: [4]string{
				`select 1 from creatorpulse.trend_content_mapping where user_id = '{alice}'`,
				`insert into creatorpulse.trend_content_mapping (user_id, trend_id, content_draft_id) values ('{alice}', '{trend}', '{draft}')`,
				`update creatorpulse.trend_content_mapping set relevance_score = 0.1 where user_id = '{alice}'`,
				`delete from creatorpulse.trend_content_mapping where user_id = '{alice}'`,
			},
			want: systemWritten,
		},
		{
			table: "delivery_preferences",
			key:   `user_id=eq.{alice}`,
			row:   `{"user_id": "{alice}", "delivery_time": "07:30"}`,
			set:   `{"max_drafts_per_delivery": 3}`,
			sql: [4]string{
				`select 1 from creatorpulse.delivery_preferences where user_id = '{alice}'`,
				`insert into creatorpulse.delivery_preferences (user_id, delivery_time) values ('{alice}', '07:30')`,
				`update creatorpulse.delivery_preferences set max_drafts_per_delivery = 3 where user_id = '{alice}'`,
				`delete from creatorpulse.delivery_preferences where user_id = '{alice}'`,
			},
			prepInsert: `delete from creatorpulse.delivery_preferences where user_id = '{alice}'`,
			want: map[string][4]string{
				"anon": allDeny, "owner": {ok, ok, ok, deny}, "other": {none, deny, none, deny},
				"agency": {ok, ok, ok, deny}, "noperm": {none, deny, none, deny}, "service": allOK,
			},
		},
		{
			table: "daily_deliveries",
			key:   `user_id=eq.{alice}`,
			row:   `{"user_id": "{alice}", "delivery_date": "2026-01-02"}`,
			set:   `{"opened_at": "2026-01-02T08:00:00Z"}`,
			sql: [4]string{
				`select 1 from creatorpulse.daily_deliveries where user_id = '{alice}'`,
				`insert into creatorpulse.daily_deliveries (user_id, delivery_date) values ('{alice}', date '2026-01-02')`,
				`update creatorpulse.daily_deliveries set opened_at = '2026-01-02 08:00:00+00' where user_id = '{alice}'`,
				`delete from creatorpulse.daily_deliveries where user_id = '{alice}'`,
			},
			want: systemWritten,
		},
		{
			table: "creator_analytics",
			key:   `user_id=eq.{alice}`,
			row:   `{"user_id": "{alice}", "metric_date": "2026-01-01", "platform": "twitter"}`,
			set:   `{"drafts_accepted": 99}`,
			sql: [4]string{
				`select 1 from creatorpulse.creator_analytics where user_id = '{alice}'`,
				`insert into creatorpulse.creator_analytics (user_id, metric_date, platform) values ('{alice}', date '2026-01-01', 'twitter')`,
				`update creatorpulse.creator_analytics set drafts_accepted = 99 where user_id = '{alice}'`,
				`delete from creatorpulse.creator_analytics where user_id = '{alice}'`,
			},
			want: systemWritten,
		},
		{
			table: "content_performance",
			key:   `user_id=eq.{alice}`,
			row:   `{"user_id": "{alice}", "content_draft_id": "{draft}"}`,
			set:   `{"likes": 1000000}`,
			sql: [4]string{
				`select 1 from creatorpulse.content_performance where user_id = '{alice}'`,
				`insert into creatorpulse.content_performance (user_id, content_draft_id) values ('{alice}', '{draft}')`,
				`update creatorpulse.content_performance set likes = 1000000 where user_id = '{alice}'`,
				`delete from creatorpulse.content_performance where user_id = '{alice}'`,
			},
			want: systemWritten,
		},
		{
			table: "usage_tracking",
			key:   `user_id=eq.{alice}`,
			row:   `{"user_id": "{alice}", "usage_date": "{today}", "action_type": "voice_training"}`,
			set:   `{"credits_consumed": 0}`,
			sql: [4]string{
				`select 1 from creatorpulse.usage_tracking where user_id = '{alice}'`,
				`insert into creatorpulse.usage_tracking (user_id, usage_date, action_type) values ('{alice}', date '{today}', 'voice_training')`,
				`update creatorpulse.usage_tracking set credits_consumed = 0 where user_id = '{alice}'`,
				`delete from creatorpulse.usage_tracking where user_id = '{alice}'`,
			},
			want: map[string][4]string{ // an append-only ledger, even for the service role
				"anon": allDeny, "owner": {ok, deny, deny, deny}, "other": {none, deny, deny, deny},
				"agency": {none, deny, deny, deny}, "noperm": {none, deny, deny, deny}, "service": {ok, ok, deny, deny},
			},
		},
		{
			table: "subscription_billing",
			key:   `user_id=eq.{alice}`,
			row:   `{"user_id": "{alice}", "subscription_status": "trialing"}`,
			set:   `{"credit_balance": 1000000}`,
			sql: [4]string{
				`select 1 from creatorpulse.subscription_billing where user_id = '{alice}'`,
				`insert into creatorpulse.subscription_billing (user_id, subscription_status) values ('{alice}', 'trialing')`,
				`update creatorpulse.subscription_billing set credit_balance = 1000000 where user_id = '{alice}'`,
				`delete from creatorpulse.subscription_billing where user_id = '{alice}'`,
			},
			prepInsert: `delete from creatorpulse.subscription_billing where user_id = '{alice}'`,
			want:       systemWritten,
		},
		{
			table: "agency_clients",
			key:   `agency_user_id=eq.{agent}&client_user_id=eq.{alice}`,
			row:   `{"agency_user_id": "{agent}", "client_user_id": "{bob}", "client_name": "Bob"}`,
			set:   `{"is_active": false}`,
			sql: [4]string{
				`select 1 from creatorpulse.agency_clients where agency_user_id = '{agent}' and client_user_id = '{alice}'`,
				`insert into creatorpulse.agency_clients (agency_user_id, client_user_id, client_name) values ('{agent}', '{bob}', 'Bob')`,
				`update creatorpulse.agency_clients set is_active = false where agency_user_id = '{agent}' and client_user_id = '{alice}'`,
				`delete from creatorpulse.agency_clients where agency_user_id = '{agent}' and client_user_id = '{alice}'`,
			},
			want: map[string][4]string{ // owner = alice, the client; agency = the agency
				"anon": allDeny, "owner": {ok, deny, ok, none}, "other": hidden,
				"agency": allOK, "noperm": hidden, "service": allOK,
			},
		},
		{
			table: "content_drafts_archive",
			key:   `user_id=eq.{alice}`,
			row:   `{"id": "{newid}", "user_id": "{alice}", "platform": "twitter", "content_type": "thread", "content": "x", "status": "rejected"}`,
			set:   `{"content": "y"}`,
			sql: [4]string{
				`select 1 from creatorpulse.content_drafts_archive where user_id = '{alice}'`,
				`insert into creatorpulse.content_drafts_archive (id, user_id, platform, content_type, content, status)
					values ('{newid}', '{alice}', 'twitter', 'thread', 'x', 'rejected')`,
				`update creatorpulse.content_drafts_archive set content = 'y' where user_id = '{alice}'`,
				`delete from creatorpulse.content_drafts_archive where user_id = '{alice}'`,
			},
			want: map[string][4]string{
				"anon": allDeny, "owner": {ok, deny, deny, deny}, "other": {none, deny, deny, deny},
				"agency": {none, deny, deny, deny}, "noperm": {none, deny, deny, deny}, "service": {ok, deny, deny, ok},
			},
		},
		{
			table: "content_performance_summaries",
			key:   `user_id=eq.{alice}`,
			row:   `{"user_id": "{alice}", "period": "week", "period_start": "2025-01-06", "platform": "twitter"}`,
			set:   `{"likes": 5}`,
			sql: [4]string{
				`select 1 from creatorpulse.content_performance_summaries where user_id = '{alice}'`,
				`insert into creatorpulse.content_performance_summaries (user_id, period, period_start, platform)
					values ('{alice}', 'week', date '2025-01-06', 'twitter')`,
				`update creatorpulse.content_performance_summaries set likes = 5 where user_id = '{alice}'`,
				`delete from creatorpulse.content_performance_summaries where user_id = '{alice}'`,
			},
			want: systemWritten,
		},
	}
}
