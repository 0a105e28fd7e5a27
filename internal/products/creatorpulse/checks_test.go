package creatorpulse_test

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// TestChecksRejectBadValues makes every CHECK constraint of the schema
// fail once, as the service role, and expects SQLSTATE 23514 naming that
// constraint (PostgREST turns it into a 400 carrying the name). A
// constraint without a case here fails the test.
func TestChecksRejectBadValues(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ids := b.fixture(t)

	// constraint -> a statement that violates it. "table: set ..." is
	// short for an update of alice's row(s) of that table.
	cases := map[string]string{
		"agency_clients_billing_allocation_check":            "agency_clients: billing_allocation = 100.5",
		"agency_clients_not_self_check":                      "agency_clients: client_user_id = agency_user_id",
		"agency_clients_permissions_check":                   `agency_clients: permissions = '{"drafts": "admin"}'`,
		"content_drafts_actual_performance_check":            "content_drafts: actual_performance = '[]'",
		"content_drafts_content_type_check":                  "content_drafts: content_type = 'carousel'",
		"content_drafts_engagement_prediction_check":         "content_drafts: engagement_prediction = '[]'",
		"content_drafts_feedback_score_check":                "content_drafts: feedback_score = 2",
		"content_drafts_hashtags_check":                      "content_drafts: hashtags = '{}'",
		"content_drafts_media_urls_check":                    `content_drafts: media_urls = '"x"'`,
		"content_drafts_mentions_check":                      "content_drafts: mentions = '1'",
		"content_drafts_platform_check":                      "content_drafts: platform = 'tiktok'",
		"content_drafts_platform_content_type_check":         "content_drafts: content_type = 'instagram_reel'",
		"content_drafts_status_check":                        "content_drafts: status = 'deleted'",
		"content_drafts_voice_confidence_score_check":        "content_drafts: voice_confidence_score = 1.5",
		"content_performance_clicks_check":                   "content_performance: clicks = -1",
		"content_performance_comments_check":                 "content_performance: comments = -1",
		"content_performance_impressions_check":              "content_performance: impressions = -1",
		"content_performance_likes_check":                    "content_performance: likes = -1",
		"content_performance_reach_check":                    "content_performance: reach = -1",
		"content_performance_saves_check":                    "content_performance: saves = -1",
		"content_performance_shares_check":                   "content_performance: shares = -1",
		"content_performance_video_views_check":              "content_performance: video_views = -1",
		"content_performance_summaries_period_check":         "content_performance_summaries: period = 'day'",
		"content_performance_summaries_platform_check":       "content_performance_summaries: platform = 'overall'",
		"content_sources_crawl_frequency_check":              "content_sources: crawl_frequency = '1 minute'",
		"content_sources_priority_level_check":               "content_sources: priority_level = 11",
		"content_sources_source_metadata_check":              "content_sources: source_metadata = '[]'",
		"content_sources_source_type_check":                  "content_sources: source_type = 'tiktok_account'",
		"creator_analytics_avg_review_time_minutes_check":    "creator_analytics: avg_review_time_minutes = -1",
		"creator_analytics_baseline_comparison_check":        "creator_analytics: baseline_comparison = '[]'",
		"creator_analytics_content_published_check":          "creator_analytics: content_published = -1",
		"creator_analytics_drafts_accepted_check":            "creator_analytics: drafts_accepted = -1",
		"creator_analytics_drafts_generated_check":           "creator_analytics: drafts_generated = -1",
		"creator_analytics_drafts_rejected_check":            "creator_analytics: drafts_rejected = -1",
		"creator_analytics_platform_check":                   "creator_analytics: platform = 'tiktok'",
		"creator_analytics_total_engagements_check":          "creator_analytics: total_engagements = -1",
		"creator_analytics_total_impressions_check":          "creator_analytics: total_impressions = -1",
		"creator_analytics_trend_utilization_rate_check":     "creator_analytics: trend_utilization_rate = 1.5",
		"creator_analytics_voice_confidence_avg_check":       "creator_analytics: voice_confidence_avg = 2",
		"creator_profiles_settings_check":                    "creator_profiles: settings = '[]'",
		"creator_profiles_subscription_tier_check":           "creator_profiles: subscription_tier = 'platinum'",
		"creator_profiles_voice_training_status_check":       "creator_profiles: voice_training_status = 'done'",
		"daily_deliveries_content_draft_ids_check":           "daily_deliveries: content_draft_ids = '{}'",
		"daily_deliveries_delivery_channel_check":            "daily_deliveries: delivery_channel = 'sms'",
		"daily_deliveries_delivery_status_check":             "daily_deliveries: delivery_status = 'sent'",
		"daily_deliveries_trend_insight_ids_check":           "daily_deliveries: trend_insight_ids = '{}'",
		"delivery_preferences_content_formats_check":         "delivery_preferences: content_formats = '{}'",
		"delivery_preferences_delivery_days_check":           `delivery_preferences: delivery_days = '["monday", "funday"]'`,
		"delivery_preferences_max_drafts_per_delivery_check": "delivery_preferences: max_drafts_per_delivery = 0",
		"delivery_preferences_platforms_check":               "delivery_preferences: platforms = '{}'",
		"delivery_preferences_whatsapp_enabled_check":        "delivery_preferences: whatsapp_enabled = true",
		"delivery_preferences_whatsapp_number_check":         "delivery_preferences: whatsapp_number = '0151 123'",
		"platform_connections_platform_check":                "platform_connections: platform = 'tiktok'",
		"platform_connections_platform_data_check":           "platform_connections: platform_data = '[]'",
		"subscription_billing_billing_metadata_check":        "subscription_billing: billing_metadata = '[]'",
		"subscription_billing_credit_balance_check":          "subscription_billing: credit_balance = -1",
		"subscription_billing_monthly_credit_limit_check":    "subscription_billing: monthly_credit_limit = -1",
		"subscription_billing_overage_rate_check":            "subscription_billing: overage_rate = -0.5",
		"subscription_billing_period_check":                  "subscription_billing: current_period_start = now(), current_period_end = now() - interval '1 day'",
		"subscription_billing_subscription_status_check":     "subscription_billing: subscription_status = 'free'",
		"trend_content_mapping_relevance_score_check":        "trend_content_mapping: relevance_score = 1.5",
		"trend_insights_confidence_score_check":              "trend_insights: confidence_score = 1.5",
		"trend_insights_content_opportunities_check":         "trend_insights: content_opportunities = '{}'",
		"trend_insights_geographic_data_check":               "trend_insights: geographic_data = '[]'",
		"trend_insights_relevant_keywords_check":             "trend_insights: relevant_keywords = '{}'",
		"trend_insights_source_count_check":                  "trend_insights: source_count = -1",
		"trend_insights_source_evidence_check":               "trend_insights: source_evidence = '{}'",
		"trend_insights_status_check":                        "trend_insights: status = 'trending'",
		"usage_tracking_action_type_check":                   `insert into creatorpulse.usage_tracking (user_id, usage_date, action_type) values ('{alice}', current_date, 'draft_deleted')`,
		"usage_tracking_credits_consumed_check":              `insert into creatorpulse.usage_tracking (user_id, usage_date, action_type, credits_consumed) values ('{alice}', current_date, 'trend_analyzed', -1)`,
		"usage_tracking_metadata_check":                      `insert into creatorpulse.usage_tracking (user_id, usage_date, action_type, metadata) values ('{alice}', current_date, 'trend_analyzed', '[]')`,
		"usage_tracking_platform_check":                      `insert into creatorpulse.usage_tracking (user_id, usage_date, action_type, platform) values ('{alice}', current_date, 'trend_analyzed', 'tiktok')`,
		"voice_models_model_config_check":                    "voice_models: model_config = '[]'",
		"voice_models_training_data_count_check":             "voice_models: training_data_count = -1",
		"voice_models_validation_score_check":                "voice_models: validation_score = 1.5",
		"voice_training_data_content_features_check":         "voice_training_data: content_features = '[]'",
		"voice_training_data_engagement_metrics_check":       "voice_training_data: engagement_metrics = '[]'",
		"voice_training_data_platform_check":                 "voice_training_data: platform = 'tiktok'",
	}

	rows, err := b.Owner.Query(context.Background(), `select conname from pg_constraint
		where connamespace = 'creatorpulse'::regnamespace and contype = 'c' order by conname`)
	if err != nil {
		t.Fatal(err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	if len(names) != len(cases) {
		t.Errorf("%d CHECK constraints in the schema, %d cases", len(names), len(cases))
	}
	for _, name := range names {
		stmt, found := cases[name]
		if !found {
			t.Errorf("CHECK %s has no case", name)
			continue
		}
		if table, set, short := strings.Cut(stmt, ": "); short && !strings.HasPrefix(stmt, "insert") {
			where := "user_id = '{alice}'"
			if table == "agency_clients" {
				where = "client_user_id = '{alice}'"
			}
			stmt = "update creatorpulse." + table + " set " + set + " where " + where
		}
		stmt = ids.Replace(stmt)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := b.Exec(service(), true, stmt)
			pgErr := wantState(t, err, "23514", stmt)
			if pgErr.ConstraintName != name || !strings.Contains(pgErr.Message, name) {
				t.Fatalf("%s: constraint %q, message %q; want %s", stmt, pgErr.ConstraintName, pgErr.Message, name)
			}
		})
	}
}

// TestBadInputIsRefusedWhole sends what the issue calls bad input as the
// creator: each statement writes a good row and a bad one, and must be
// refused with the column named in the error and nothing written.
func TestBadInputIsRefusedWhole(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ids := b.fixture(t)
	alice := user(b.alice)
	b.OwnerExec(t, `insert into creatorpulse.content_drafts (user_id, platform, content_type, content)
		values ($1, 'instagram', 'instagram_reel', 'A second draft')`, b.alice)

	cases := []struct {
		name, column, sql string
	}{
		{"UnknownPlatform", "platform", `insert into creatorpulse.content_drafts (user_id, platform, content_type, content)
			values ('{alice}', 'twitter', 'thread', 'good'), ('{alice}', 'tiktok', 'single_tweet', 'bad')`},
		{"UnknownContentType", "content_type", `insert into creatorpulse.content_drafts (user_id, platform, content_type, content)
			values ('{alice}', 'twitter', 'thread', 'good'), ('{alice}', 'twitter', 'short_video', 'bad')`},
		{"UnknownStatus", "status", `update creatorpulse.content_drafts
			set status = case when id = '{draft}' then 'approved' else 'deleted' end where user_id = '{alice}'`},
		{"UnknownSourceType", "source_type", `insert into creatorpulse.content_sources (user_id, source_type, source_identifier, source_name)
			values ('{alice}', 'twitter_handle', '@go', 'Go'), ('{alice}', 'tiktok_account', '@x', 'X')`},
		{"FeedbackTwo", "feedback_score", `update creatorpulse.content_drafts set feedback_score = 2 where id = '{draft}'`},
		{"PriorityZero", "priority_level", `insert into creatorpulse.content_sources (user_id, source_type, source_identifier, source_name, priority_level)
			values ('{alice}', 'twitter_handle', '@go', 'Go', 1), ('{alice}', 'twitter_handle', '@x', 'X', 0)`},
		{"PriorityEleven", "priority_level", `update creatorpulse.content_sources set priority_level = 11 where user_id = '{alice}'`},
		{"PlatformConnectionPlatform", "platform", `insert into creatorpulse.platform_connections (user_id, platform, platform_user_id, platform_username)
			values ('{alice}', 'linkedin', '1', 'a'), ('{alice}', 'myspace', '2', 'b')`},
		{"VoiceSamplePlatform", "platform", `insert into creatorpulse.voice_training_data (user_id, sample_content, platform)
			values ('{alice}', 'ok', 'linkedin'), ('{alice}', 'bad', 'mastodon')`},
	}
	snapshot := func() string {
		var s string
		b.OwnerScan(t, `select concat_ws(',',
			(select count(*) from creatorpulse.content_drafts), (select string_agg(status || coalesce(feedback_score::text, ''), '' order by id) from creatorpulse.content_drafts),
			(select count(*) from creatorpulse.content_sources), (select sum(priority_level) from creatorpulse.content_sources),
			(select count(*) from creatorpulse.platform_connections), (select count(*) from creatorpulse.voice_training_data),
			(select count(*) from creatorpulse.usage_tracking), (select count(*) from creatorpulse.creator_analytics))`, nil, &s)
		return s
	}
	before := snapshot()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := b.Exec(alice, false, ids.Replace(tc.sql))
			pgErr := wantState(t, err, "23514", tc.name)
			if !strings.Contains(pgErr.ConstraintName, "_"+tc.column+"_check") || !strings.Contains(pgErr.Message, tc.column) {
				t.Fatalf("error names constraint %q (%s), want the %s column's", pgErr.ConstraintName, pgErr.Message, tc.column)
			}
			if after := snapshot(); after != before {
				t.Fatalf("something was written: %s -> %s", before, after)
			}
		})
	}
}
