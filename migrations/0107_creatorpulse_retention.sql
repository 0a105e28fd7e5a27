-- CreatorPulse seed 001 section 11: where retention moves data
-- (internal/products/creatorpulse/retention.go registers the policies).
--
-- content_drafts_archive: rejected drafts older than 90 days and
-- published drafts older than a year, moved out of content_drafts. Same
-- columns in the same order (the retention job inserts the deleted rows
-- as they are) plus archived_at; "reduced indexing": only the primary key
-- and (user_id, created_at), no checks, no foreign key but the owner's
-- (account deletion still purges the archive). The owner reads it.
--
-- content_performance_summaries: content_performance rows older than six
-- months, rolled up per user, platform and week and month (UTC), with
-- sums and sample counts so that several runs add up exactly.

-- +goose Up
create table creatorpulse.content_drafts_archive (
  id uuid primary key,
  user_id uuid not null references auth.users (id) on delete cascade,
  platform text not null,
  content_type text not null,
  content text not null,
  hook text,
  hashtags jsonb,
  mentions jsonb,
  media_urls jsonb,
  trend_source_id uuid,
  voice_confidence_score numeric(3, 2),
  engagement_prediction jsonb,
  status text not null,
  feedback_score integer,
  user_edits text,
  published_at timestamptz,
  published_url text,
  actual_performance jsonb,
  created_at timestamptz,
  updated_at timestamptz,
  archived_at timestamptz not null default now()
);
comment on table creatorpulse.content_drafts_archive is 'Drafts moved out of content_drafts by retention (seed 001 section 11): rejected after 90 days, published after a year.';
create index content_drafts_archive_user_id_idx on creatorpulse.content_drafts_archive (user_id, created_at);

alter table creatorpulse.content_drafts_archive enable row level security;
revoke all on creatorpulse.content_drafts_archive from public, anon, authenticated;
grant select on creatorpulse.content_drafts_archive to authenticated;
grant select, delete on creatorpulse.content_drafts_archive to service_role;
create policy "Users can view their own archived drafts" on creatorpulse.content_drafts_archive
  for select to authenticated using ((select auth.uid()) = user_id);

create table creatorpulse.content_performance_summaries (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  period text not null
    constraint content_performance_summaries_period_check check (period in ('week', 'month')),
  period_start date not null,
  platform text not null
    constraint content_performance_summaries_platform_check check (platform in ('twitter', 'linkedin', 'instagram')),
  content_count integer not null default 0,
  impressions bigint not null default 0,
  likes bigint not null default 0,
  shares bigint not null default 0,
  comments bigint not null default 0,
  clicks bigint not null default 0,
  saves bigint not null default 0,
  reach bigint not null default 0,
  video_views bigint not null default 0,
  engagement_rate_sum numeric not null default 0,
  engagement_rate_samples integer not null default 0,
  performance_score_sum numeric not null default 0,
  performance_score_samples integer not null default 0,
  avg_engagement_rate numeric generated always as
    (round(engagement_rate_sum / nullif(engagement_rate_samples, 0), 4)) stored,
  avg_performance_score numeric generated always as
    (round(performance_score_sum / nullif(performance_score_samples, 0), 2)) stored,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint content_performance_summaries_key unique (user_id, period, period_start, platform)
);
comment on table creatorpulse.content_performance_summaries is 'Weekly and monthly roll-ups of content_performance rows older than six months (seed 001 section 11).';
create trigger update_content_performance_summaries_updated_at before update on creatorpulse.content_performance_summaries
  for each row execute function creatorpulse.update_updated_at_column();

alter table creatorpulse.content_performance_summaries enable row level security;
revoke all on creatorpulse.content_performance_summaries from public, anon, authenticated;
grant select on creatorpulse.content_performance_summaries to authenticated;
grant select, insert, update, delete on creatorpulse.content_performance_summaries to service_role;
create policy "Users can view their own performance summaries" on creatorpulse.content_performance_summaries
  for select to authenticated using ((select auth.uid()) = user_id);

-- Retention finds expiring rows by date.
create index content_performance_created_at_idx on creatorpulse.content_performance (created_at);
create index content_drafts_published_at_idx on creatorpulse.content_drafts (published_at) where status = 'published';

-- +goose Down
drop index if exists creatorpulse.content_drafts_published_at_idx;
drop index if exists creatorpulse.content_performance_created_at_idx;
drop table if exists creatorpulse.content_performance_summaries;
drop table if exists creatorpulse.content_drafts_archive;
