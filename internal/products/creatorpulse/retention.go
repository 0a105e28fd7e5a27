// Package creatorpulse holds the Go side of CreatorPulse, the AI content
// studio (seed 001). Its tables, policies, triggers and functions live in
// schema creatorpulse (migrations 0100-0199); this package registers what
// runs around them.
package creatorpulse

import "github.com/creatorbase/creatorbase/internal/retention"

// Retention policies of seed 001 section 11, by name.
const (
	PolicyRejectedDrafts     = "creatorpulse.rejected_drafts"
	PolicyPublishedDrafts    = "creatorpulse.published_drafts"
	PolicyAIProcessingLogs   = "creatorpulse.ai_processing_logs"
	PolicyContentPerformance = "creatorpulse.content_performance"
)

// aiProcessingTypes are seed 001's processing types: the shared
// system.ai_processing_logs also holds other products' requests, which
// keep their own retention.
const aiProcessingTypes = "('content_generation', 'trend_analysis', 'voice_training', 'performance_prediction')"

// summarizePerformance rolls expiring content_performance rows up into one
// weekly and one monthly row per user and platform (UTC weeks starting on
// Monday), adding to the rows earlier runs wrote.
const summarizePerformance = `insert into creatorpulse.content_performance_summaries as s
  (user_id, period, period_start, platform, content_count, impressions, likes, shares, comments, clicks, saves,
   reach, video_views, engagement_rate_sum, engagement_rate_samples, performance_score_sum, performance_score_samples)
select e.user_id, p.period,
       date_trunc(p.period, e.created_at at time zone 'UTC')::date,
       d.platform,
       count(*), sum(e.impressions), sum(e.likes), sum(e.shares), sum(e.comments), sum(e.clicks), sum(e.saves),
       coalesce(sum(e.reach), 0), coalesce(sum(e.video_views), 0),
       coalesce(sum(e.engagement_rate), 0), count(e.engagement_rate),
       coalesce(sum(e.performance_score), 0), count(e.performance_score)
from expired e
join creatorpulse.content_drafts d on d.id = e.content_draft_id
cross join (values ('week'), ('month')) as p (period)
group by e.user_id, p.period, date_trunc(p.period, e.created_at at time zone 'UTC')::date, d.platform
on conflict (user_id, period, period_start, platform) do update set
  content_count = s.content_count + excluded.content_count,
  impressions = s.impressions + excluded.impressions,
  likes = s.likes + excluded.likes,
  shares = s.shares + excluded.shares,
  comments = s.comments + excluded.comments,
  clicks = s.clicks + excluded.clicks,
  saves = s.saves + excluded.saves,
  reach = s.reach + excluded.reach,
  video_views = s.video_views + excluded.video_views,
  engagement_rate_sum = s.engagement_rate_sum + excluded.engagement_rate_sum,
  engagement_rate_samples = s.engagement_rate_samples + excluded.engagement_rate_samples,
  performance_score_sum = s.performance_score_sum + excluded.performance_score_sum,
  performance_score_samples = s.performance_score_samples + excluded.performance_score_samples`

// Policies returns CreatorPulse's retention policies, in the order they
// must run: performance detail is summarised before the published drafts
// it belongs to are archived (archiving a draft deletes its performance
// rows with it).
func Policies() []retention.Policy {
	return []retention.Policy{
		{
			// Detailed performance metrics become weekly and monthly summaries after 6 months.
			Name:         PolicyContentPerformance,
			Table:        "creatorpulse.content_performance",
			Where:        "created_at < now() - interval '6 months'",
			Action:       retention.Aggregate,
			AggregateSQL: summarizePerformance,
		},
		{
			// Drafts older than 90 days with status rejected are archived.
			Name:         PolicyRejectedDrafts,
			Table:        "creatorpulse.content_drafts",
			Where:        "status = 'rejected' and created_at < now() - interval '90 days'",
			Action:       retention.Archive,
			ArchiveTable: "creatorpulse.content_drafts_archive",
		},
		{
			// Published drafts are kept one year for performance analysis, then archived.
			Name:         PolicyPublishedDrafts,
			Table:        "creatorpulse.content_drafts",
			Where:        "status = 'published' and published_at < now() - interval '1 year'",
			Action:       retention.Archive,
			ArchiveTable: "creatorpulse.content_drafts_archive",
		},
		{
			// AI processing logs are kept 30 days for debugging.
			Name:   PolicyAIProcessingLogs,
			Table:  "system.ai_processing_logs",
			Where:  "created_at < now() - interval '30 days' and processing_type in " + aiProcessingTypes,
			Action: retention.Delete,
		},
	}
}

// RegisterRetention registers CreatorPulse's retention policies (seed 001
// section 11) with the shared retention job.
func RegisterRetention(r *retention.Registry) {
	for _, p := range Policies() {
		r.Register(p)
	}
}
