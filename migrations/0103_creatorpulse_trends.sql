-- CreatorPulse seed 001 section 4.1-4.2: content_sources (what a creator
-- monitors) and trend_insights (what the trend job found).
--
-- content_sources: the user manages their own; last_crawled_at belongs to
-- the crawler. An agency the client gave "sources" read (write) may read
-- (and write) the client's sources.
-- trend_insights: written by the service role only; the owner reads.

-- +goose Up
create table creatorpulse.content_sources (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  source_type text not null
    constraint content_sources_source_type_check
    check (source_type in ('twitter_handle', 'twitter_hashtag', 'linkedin_profile', 'youtube_channel', 'newsletter_rss', 'instagram_account')),
  source_identifier text not null,
  source_name text not null,
  source_url text,
  priority_level integer not null default 5
    constraint content_sources_priority_level_check check (priority_level between 1 and 10),
  is_active boolean not null default true,
  last_crawled_at timestamptz,
  crawl_frequency interval not null default '1 hour'
    constraint content_sources_crawl_frequency_check check (crawl_frequency >= interval '5 minutes'),
  source_metadata jsonb not null default '{}'
    constraint content_sources_source_metadata_check check (jsonb_typeof(source_metadata) = 'object'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table creatorpulse.content_sources is 'Monitored sources for trend detection (seed 001 section 4.1).';
comment on column creatorpulse.content_sources.source_identifier is 'Handle, hashtag, URL, etc.';
comment on column creatorpulse.content_sources.source_metadata is 'Platform-specific data.';
create index content_sources_user_id_idx on creatorpulse.content_sources (user_id);
create index content_sources_type_idx on creatorpulse.content_sources (source_type);
create index content_sources_active_idx on creatorpulse.content_sources (is_active);
create index content_sources_priority_idx on creatorpulse.content_sources (priority_level);
create index content_sources_last_crawled_idx on creatorpulse.content_sources (last_crawled_at);

create trigger update_content_sources_updated_at before update on creatorpulse.content_sources
  for each row execute function creatorpulse.update_updated_at_column();

alter table creatorpulse.content_sources enable row level security;
revoke all on creatorpulse.content_sources from public, anon, authenticated;
grant select, delete on creatorpulse.content_sources to authenticated;
grant insert (user_id, source_type, source_identifier, source_name, source_url, priority_level, is_active,
              crawl_frequency, source_metadata) on creatorpulse.content_sources to authenticated;
grant update (source_type, source_identifier, source_name, source_url, priority_level, is_active,
              crawl_frequency, source_metadata) on creatorpulse.content_sources to authenticated;
grant select, insert, update, delete on creatorpulse.content_sources to service_role;

create policy "Users can create their own sources" on creatorpulse.content_sources
  for insert to authenticated with check ((select auth.uid()) = user_id);
create policy "Users can view their own sources" on creatorpulse.content_sources
  for select to authenticated using ((select auth.uid()) = user_id);
create policy "Users can update their own sources" on creatorpulse.content_sources
  for update to authenticated using ((select auth.uid()) = user_id) with check ((select auth.uid()) = user_id);
create policy "Users can delete their own sources" on creatorpulse.content_sources
  for delete to authenticated using ((select auth.uid()) = user_id);
create policy "Agencies can view their clients' sources" on creatorpulse.content_sources
  for select to authenticated using (user_id in (select creatorpulse.agency_client_ids('sources', 'read')));
create policy "Agencies can create their clients' sources" on creatorpulse.content_sources
  for insert to authenticated with check (user_id in (select creatorpulse.agency_client_ids('sources', 'write')));
create policy "Agencies can update their clients' sources" on creatorpulse.content_sources
  for update to authenticated
  using (user_id in (select creatorpulse.agency_client_ids('sources', 'write')))
  with check (user_id in (select creatorpulse.agency_client_ids('sources', 'write')));
create policy "Agencies can delete their clients' sources" on creatorpulse.content_sources
  for delete to authenticated using (user_id in (select creatorpulse.agency_client_ids('sources', 'write')));

create table creatorpulse.trend_insights (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  trend_topic text not null,
  trend_description text not null,
  confidence_score numeric(3, 2) not null
    constraint trend_insights_confidence_score_check check (confidence_score between 0 and 1),
  momentum_score numeric(5, 2),
  source_count integer not null
    constraint trend_insights_source_count_check check (source_count >= 0),
  peak_prediction timestamptz,
  relevant_keywords jsonb not null default '[]'
    constraint trend_insights_relevant_keywords_check check (jsonb_typeof(relevant_keywords) = 'array'),
  source_evidence jsonb not null default '[]'
    constraint trend_insights_source_evidence_check check (jsonb_typeof(source_evidence) = 'array'),
  content_opportunities jsonb not null default '[]'
    constraint trend_insights_content_opportunities_check check (jsonb_typeof(content_opportunities) = 'array'),
  trend_category text,
  geographic_data jsonb not null default '{}'
    constraint trend_insights_geographic_data_check check (jsonb_typeof(geographic_data) = 'object'),
  status text not null default 'active'
    constraint trend_insights_status_check check (status in ('active', 'declining', 'expired')),
  expires_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table creatorpulse.trend_insights is 'Detected trends and emerging topics, written by the trend job (seed 001 section 4.2).';
comment on column creatorpulse.trend_insights.confidence_score is '0.0 to 1.0 confidence in trend detection.';
comment on column creatorpulse.trend_insights.momentum_score is 'Trend velocity and growth rate.';
comment on column creatorpulse.trend_insights.source_count is 'Number of sources mentioning this trend.';
comment on column creatorpulse.trend_insights.peak_prediction is 'Predicted peak engagement time.';
comment on column creatorpulse.trend_insights.source_evidence is 'Supporting sources and mentions.';
comment on column creatorpulse.trend_insights.content_opportunities is 'Suggested content angles.';
comment on column creatorpulse.trend_insights.geographic_data is 'Geographic trend distribution.';
create index trend_insights_user_id_idx on creatorpulse.trend_insights (user_id);
create index trend_insights_confidence_idx on creatorpulse.trend_insights (confidence_score);
create index trend_insights_momentum_idx on creatorpulse.trend_insights (momentum_score);
create index trend_insights_status_idx on creatorpulse.trend_insights (status);
create index trend_insights_created_at_idx on creatorpulse.trend_insights (created_at);
create index trend_insights_expires_at_idx on creatorpulse.trend_insights (expires_at);

create trigger update_trend_insights_updated_at before update on creatorpulse.trend_insights
  for each row execute function creatorpulse.update_updated_at_column();

alter table creatorpulse.trend_insights enable row level security;
revoke all on creatorpulse.trend_insights from public, anon, authenticated;
grant select on creatorpulse.trend_insights to authenticated;
grant select, insert, update, delete on creatorpulse.trend_insights to service_role;

create policy "Users can view their own trends" on creatorpulse.trend_insights
  for select to authenticated using ((select auth.uid()) = user_id);
-- "System can create/update trends: service role access only" is the
-- grant above; the service role bypasses RLS.

-- +goose Down
drop table if exists creatorpulse.trend_insights;
drop table if exists creatorpulse.content_sources;
