package creatorpulse_test

import (
	"context"
	"strings"
	"testing"

	"github.com/creatorbase/creatorbase/internal/products/creatorpulse"
	"github.com/creatorbase/creatorbase/internal/retention"
)

// retentionFixture writes dated rows on both sides of every limit of seed
// 001 section 11, as the owner (as imports and maintenance do).
const retentionFixture = `
-- drafts: rejected 100 and 80 days old; published 400 and 300 days ago; a
-- pending draft 500 days old, which no policy touches.
insert into creatorpulse.content_drafts (id, user_id, platform, content_type, content, status, created_at, published_at) values
  ('00000000-0000-4000-8000-000000000001', '{alice}', 'twitter', 'thread', 'old rejected', 'rejected', now() - interval '100 days', null),
  ('00000000-0000-4000-8000-000000000002', '{alice}', 'twitter', 'thread', 'young rejected', 'rejected', now() - interval '80 days', null),
  ('00000000-0000-4000-8000-000000000003', '{alice}', 'linkedin', 'linkedin_long', 'old published', 'published', now() - interval '410 days', now() - interval '400 days'),
  ('00000000-0000-4000-8000-000000000004', '{alice}', 'linkedin', 'linkedin_long', 'young published', 'published', now() - interval '310 days', now() - interval '300 days'),
  ('00000000-0000-4000-8000-000000000005', '{alice}', 'twitter', 'single_tweet', 'old pending', 'pending', now() - interval '500 days', null);
-- performance of the young published draft: two rows in the same week and
-- month (June 2024, well over 6 months ago), one 5 months ago.
insert into creatorpulse.content_performance (user_id, content_draft_id, impressions, likes, engagement_rate, created_at) values
  ('{alice}', '00000000-0000-4000-8000-000000000004', 1000, 10, 0.0100, timestamptz '2024-06-04 12:00:00+00'),
  ('{alice}', '00000000-0000-4000-8000-000000000004', 3000, 30, 0.0300, timestamptz '2024-06-05 12:00:00+00'),
  ('{alice}', '00000000-0000-4000-8000-000000000004', 500, 5, 0.0500, now() - interval '5 months');
-- AI logs: CreatorPulse's 31 and 29 days old, another product's 31 days old.
insert into system.ai_processing_logs (user_id, processing_type, input_data, created_at) values
  ('{alice}', 'content_generation', '{}', now() - interval '31 days'),
  ('{alice}', 'trend_analysis', '{}', now() - interval '29 days'),
  ('{alice}', 'seo_optimization', '{}', now() - interval '31 days');
`

func TestRetention(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	if _, err := b.Owner.Exec(ctx, strings.ReplaceAll(retentionFixture, "{alice}", b.alice)); err != nil {
		t.Fatalf("fixture: %v", err)
	}

	var reg retention.Registry
	creatorpulse.RegisterRetention(&reg)
	policies := map[string]retention.Policy{}
	for _, p := range reg.Policies() {
		policies[p.Name] = p
	}
	if len(policies) != 4 {
		t.Fatalf("%d policies registered, want 4", len(policies))
	}
	run := func(t *testing.T, name string) retention.Result {
		t.Helper()
		res, err := retention.RunPolicy(ctx, b.Owner, policies[name])
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return res
	}
	drafts := func(t *testing.T, table string) string {
		t.Helper()
		var s string
		b.OwnerScan(t, `select coalesce(string_agg(right(id::text, 1), '' order by id), '') from creatorpulse.`+table, nil, &s)
		return s
	}

	// In the order RegisterRetention gives: summaries first.
	if res := run(t, creatorpulse.PolicyContentPerformance); res.Rows != 2 {
		t.Fatalf("content_performance rolled up %d rows, want 2", res.Rows)
	}
	var weeks, months, impressions, likes, count int64
	var avgRate float64
	b.OwnerScan(t, `select count(*) filter (where period = 'week'), count(*) filter (where period = 'month'),
			max(impressions), max(likes), max(content_count), max(avg_engagement_rate)
		from creatorpulse.content_performance_summaries where user_id = $1 and platform = 'linkedin'`,
		[]any{b.alice}, &weeks, &months, &impressions, &likes, &count, &avgRate)
	if weeks != 1 || months != 1 || impressions != 4000 || likes != 40 || count != 2 || avgRate != 0.02 {
		t.Fatalf("summaries: %d weeks, %d months, impressions %d, likes %d, count %d, avg rate %v",
			weeks, months, impressions, likes, count, avgRate)
	}
	if n := b.OwnerInt(t, `select count(*) from creatorpulse.content_performance`); n != 1 {
		t.Fatalf("%d performance rows left, want the 5-month-old one", n)
	}

	if res := run(t, creatorpulse.PolicyRejectedDrafts); res.Rows != 1 {
		t.Fatalf("archived %d rejected drafts, want 1", res.Rows)
	}
	if res := run(t, creatorpulse.PolicyPublishedDrafts); res.Rows != 1 {
		t.Fatalf("archived %d published drafts, want 1", res.Rows)
	}
	if got := drafts(t, "content_drafts"); got != "245" {
		t.Fatalf("drafts left %q, want 2, 4 and 5", got)
	}
	if got := drafts(t, "content_drafts_archive"); got != "13" {
		t.Fatalf("archived drafts %q, want 1 and 3", got)
	}
	// The archive keeps the draft as it was, and its owner can read it.
	var content, status string
	b.MustScan(t, user(b.alice), `select content, status from creatorpulse.content_drafts_archive
		where id = '00000000-0000-4000-8000-000000000003'`, nil, &content, &status)
	if content != "old published" || status != "published" {
		t.Fatalf("archived row: %q %q", content, status)
	}
	if n, err := b.Exec(user(b.bob), true, `select 1 from creatorpulse.content_drafts_archive`); err != nil || n != 0 {
		t.Fatalf("bob reads %d archived drafts (%v)", n, err)
	}

	if res := run(t, creatorpulse.PolicyAIProcessingLogs); res.Rows != 1 {
		t.Fatalf("deleted %d AI logs, want 1", res.Rows)
	}
	var kept string
	b.OwnerScan(t, `select string_agg(processing_type, ',' order by processing_type) from system.ai_processing_logs`, nil, &kept)
	if kept != "seo_optimization,trend_analysis" {
		t.Fatalf("AI logs kept: %s", kept)
	}

	// A second run finds nothing left to do.
	results, err := reg.RunAll(ctx, b.Owner)
	if err != nil {
		t.Fatal(err)
	}
	for _, res := range results {
		if res.Rows != 0 {
			t.Fatalf("second run: %+v", res)
		}
	}
}

// TestRetentionSummariesAddUp runs the roll-up in batches of one row: the
// weekly and monthly sums must come out the same as in one batch.
func TestRetentionSummariesAddUp(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	b.OwnerExec(t, `insert into creatorpulse.content_drafts (id, user_id, platform, content_type, content, status, published_at)
		values ('00000000-0000-4000-8000-0000000000aa', $1, 'instagram', 'instagram_reel', 'reel', 'published', now() - interval '300 days')`, b.alice)
	b.OwnerExec(t, `insert into creatorpulse.content_performance (user_id, content_draft_id, impressions, video_views, performance_score, created_at)
		select $1, '00000000-0000-4000-8000-0000000000aa', g, g * 2, 50, timestamptz '2024-01-01' + make_interval(days => g)
		from generate_series(1, 60) g`, b.alice)
	p := creatorpulse.Policies()[0]
	p.BatchSize = 1
	res, err := retention.RunPolicy(ctx, b.Owner, p)
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows != 60 || res.Batches != 60 {
		t.Fatalf("%+v", res)
	}
	var weekly, monthly, weeklyViews, monthlyViews, months int64
	var avgScore float64
	b.OwnerScan(t, `select sum(impressions) filter (where period = 'week'), sum(impressions) filter (where period = 'month'),
			sum(video_views) filter (where period = 'week'), sum(video_views) filter (where period = 'month'),
			count(*) filter (where period = 'month'), max(avg_performance_score)
		from creatorpulse.content_performance_summaries where user_id = $1`, []any{b.alice},
		&weekly, &monthly, &weeklyViews, &monthlyViews, &months, &avgScore)
	if weekly != 1830 || monthly != 1830 || weeklyViews != 3660 || monthlyViews != 3660 || months != 3 || avgScore != 50 {
		t.Fatalf("weekly %d monthly %d views %d/%d months %d avg score %v", weekly, monthly, weeklyViews, monthlyViews, months, avgScore)
	}
}
