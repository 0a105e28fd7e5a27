-- CreatorPulse seed 001 section 3 and 4.3: content_drafts,
-- voice_training_data, voice_models and trend_content_mapping.
--
-- content_drafts: the creator (and an agency the client gave "drafts"
-- read / write) reads and edits drafts. What the AI and the publisher
-- write -- voice_confidence_score, engagement_prediction,
-- actual_performance, published_at -- is not writable by users. status
-- moves only along pending -> approved | rejected | archived, approved ->
-- published | rejected | archived, rejected -> approved | archived,
-- published -> archived for users (the service role moves it freely);
-- becoming published stamps published_at. Accepting, rejecting and
-- publishing update creator_analytics and usage_tracking (migration 0106).
--
-- voice_models: exactly one active model per user. activate_voice_model
-- (seed section 10) deactivates the others under a per-user advisory lock,
-- so concurrent activations serialize; a partial unique index makes a
-- second active model impossible whatever path writes.

-- +goose Up
create table creatorpulse.content_drafts (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  platform text not null
    constraint content_drafts_platform_check check (platform in ('twitter', 'linkedin', 'instagram')),
  content_type text not null
    constraint content_drafts_content_type_check
    check (content_type in ('single_tweet', 'thread', 'quote_tweet', 'linkedin_short', 'linkedin_long',
                            'linkedin_carousel', 'instagram_reel', 'instagram_carousel')),
  content text not null,
  hook text,
  hashtags jsonb not null default '[]'
    constraint content_drafts_hashtags_check check (jsonb_typeof(hashtags) = 'array'),
  mentions jsonb not null default '[]'
    constraint content_drafts_mentions_check check (jsonb_typeof(mentions) = 'array'),
  media_urls jsonb not null default '[]'
    constraint content_drafts_media_urls_check check (jsonb_typeof(media_urls) = 'array'),
  trend_source_id uuid references creatorpulse.trend_insights (id) on delete set null,
  voice_confidence_score numeric(3, 2) not null default 0.0
    constraint content_drafts_voice_confidence_score_check check (voice_confidence_score between 0 and 1),
  engagement_prediction jsonb not null default '{}'
    constraint content_drafts_engagement_prediction_check check (jsonb_typeof(engagement_prediction) = 'object'),
  status text not null default 'pending'
    constraint content_drafts_status_check check (status in ('pending', 'approved', 'rejected', 'published', 'archived')),
  feedback_score integer
    constraint content_drafts_feedback_score_check check (feedback_score in (-1, 0, 1)),
  user_edits text,
  published_at timestamptz,
  published_url text,
  actual_performance jsonb not null default '{}'
    constraint content_drafts_actual_performance_check check (jsonb_typeof(actual_performance) = 'object'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- Named so that it sorts after content_drafts_platform_check: an unknown
  -- platform is reported by the platform's own check.
  constraint content_drafts_platform_content_type_check check (
    case platform
      when 'twitter' then content_type in ('single_tweet', 'thread', 'quote_tweet')
      when 'linkedin' then content_type in ('linkedin_short', 'linkedin_long', 'linkedin_carousel')
      when 'instagram' then content_type in ('instagram_reel', 'instagram_carousel')
      else true
    end)
);
comment on table creatorpulse.content_drafts is 'AI-generated content drafts for every platform (seed 001 section 3.1).';
comment on column creatorpulse.content_drafts.voice_confidence_score is '0.0 to 1.0 confidence in voice matching.';
comment on column creatorpulse.content_drafts.engagement_prediction is 'Predicted likes, shares, comments.';
comment on column creatorpulse.content_drafts.feedback_score is '-1 thumbs down, 0 neutral, 1 thumbs up.';
comment on column creatorpulse.content_drafts.user_edits is 'User modifications to the original draft.';
comment on column creatorpulse.content_drafts.actual_performance is 'Actual engagement metrics after publishing.';
create index content_drafts_user_id_idx on creatorpulse.content_drafts (user_id);
create index content_drafts_platform_idx on creatorpulse.content_drafts (platform);
create index content_drafts_status_idx on creatorpulse.content_drafts (status);
create index content_drafts_created_at_idx on creatorpulse.content_drafts (created_at);
create index content_drafts_feedback_score_idx on creatorpulse.content_drafts (feedback_score);
create index content_drafts_trend_source_idx on creatorpulse.content_drafts (trend_source_id);

create trigger update_content_drafts_updated_at before update on creatorpulse.content_drafts
  for each row execute function creatorpulse.update_updated_at_column();

-- A draft's trend must be its own user's; status moves as described above.
-- SECURITY DEFINER so that the trend check also works for an agency,
-- which cannot read its client's trends.
-- +goose StatementBegin
create function creatorpulse.content_drafts_before_write() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  trend_owner uuid;
begin
  if new.trend_source_id is not null
     and (tg_op = 'INSERT' or new.trend_source_id is distinct from old.trend_source_id) then
    select t.user_id into trend_owner from creatorpulse.trend_insights t where t.id = new.trend_source_id;
    if trend_owner is distinct from new.user_id then
      raise exception 'content_drafts.trend_source_id: trend % is not one of the draft owner''s trends', new.trend_source_id
        using errcode = '23503', column = 'trend_source_id', table = 'content_drafts', schema = 'creatorpulse';
    end if;
  end if;
  if tg_op = 'UPDATE' and new.status is distinct from old.status
     and new.status in ('pending', 'approved', 'rejected', 'published', 'archived')
     and not creatorpulse.is_system()
     and (old.status, new.status) not in (
       ('pending', 'approved'), ('pending', 'rejected'), ('pending', 'archived'),
       ('approved', 'published'), ('approved', 'rejected'), ('approved', 'archived'),
       ('rejected', 'approved'), ('rejected', 'archived'),
       ('published', 'archived')) then
    raise exception 'content_drafts.status cannot move from % to %', old.status, new.status
      using errcode = '23514', column = 'status', constraint = 'content_drafts_status_transition',
            table = 'content_drafts', schema = 'creatorpulse';
  end if;
  if new.status = 'published' and (tg_op = 'INSERT' or old.status <> 'published') then
    new.published_at := coalesce(new.published_at, pg_catalog.now());
  end if;
  return new;
end
$$;
-- +goose StatementEnd
revoke execute on function creatorpulse.content_drafts_before_write() from public;
create trigger content_drafts_before_write before insert or update on creatorpulse.content_drafts
  for each row execute function creatorpulse.content_drafts_before_write();

alter table creatorpulse.content_drafts enable row level security;
revoke all on creatorpulse.content_drafts from public, anon, authenticated;
grant select, delete on creatorpulse.content_drafts to authenticated;
grant insert (user_id, platform, content_type, content, hook, hashtags, mentions, media_urls, trend_source_id, user_edits)
  on creatorpulse.content_drafts to authenticated;
grant update (content, hook, hashtags, mentions, media_urls, status, feedback_score, user_edits, published_url)
  on creatorpulse.content_drafts to authenticated;
grant select, insert, update, delete on creatorpulse.content_drafts to service_role;

create policy "Users can create their own drafts" on creatorpulse.content_drafts
  for insert to authenticated with check ((select auth.uid()) = user_id);
create policy "Users can view their own drafts" on creatorpulse.content_drafts
  for select to authenticated using ((select auth.uid()) = user_id);
create policy "Users can update their own drafts" on creatorpulse.content_drafts
  for update to authenticated using ((select auth.uid()) = user_id) with check ((select auth.uid()) = user_id);
create policy "Users can delete their own drafts" on creatorpulse.content_drafts
  for delete to authenticated using ((select auth.uid()) = user_id);
create policy "Agencies can view their clients' drafts" on creatorpulse.content_drafts
  for select to authenticated using (user_id in (select creatorpulse.agency_client_ids('drafts', 'read')));
create policy "Agencies can create their clients' drafts" on creatorpulse.content_drafts
  for insert to authenticated with check (user_id in (select creatorpulse.agency_client_ids('drafts', 'write')));
create policy "Agencies can update their clients' drafts" on creatorpulse.content_drafts
  for update to authenticated
  using (user_id in (select creatorpulse.agency_client_ids('drafts', 'write')))
  with check (user_id in (select creatorpulse.agency_client_ids('drafts', 'write')));
create policy "Agencies can delete their clients' drafts" on creatorpulse.content_drafts
  for delete to authenticated using (user_id in (select creatorpulse.agency_client_ids('drafts', 'write')));

create table creatorpulse.voice_training_data (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  sample_content text not null,
  platform text not null
    constraint voice_training_data_platform_check check (platform in ('twitter', 'linkedin', 'instagram')),
  engagement_metrics jsonb not null default '{}'
    constraint voice_training_data_engagement_metrics_check check (jsonb_typeof(engagement_metrics) = 'object'),
  content_features jsonb not null default '{}'
    constraint voice_training_data_content_features_check check (jsonb_typeof(content_features) = 'object'),
  is_training_sample boolean not null default true,
  sample_rank integer,
  created_at timestamptz not null default now()
);
comment on table creatorpulse.voice_training_data is 'Voice samples of the creator (seed 001 section 3.2). content_features and sample_rank are the training job''s.';
comment on column creatorpulse.voice_training_data.engagement_metrics is 'Original performance metrics.';
comment on column creatorpulse.voice_training_data.content_features is 'Extracted linguistic features.';
comment on column creatorpulse.voice_training_data.sample_rank is 'Quality ranking of the sample.';
create index voice_training_data_user_id_idx on creatorpulse.voice_training_data (user_id);
create index voice_training_data_platform_idx on creatorpulse.voice_training_data (platform);
create index voice_training_data_training_sample_idx on creatorpulse.voice_training_data (is_training_sample);
create index voice_training_data_rank_idx on creatorpulse.voice_training_data (sample_rank);

alter table creatorpulse.voice_training_data enable row level security;
revoke all on creatorpulse.voice_training_data from public, anon, authenticated;
grant select, delete on creatorpulse.voice_training_data to authenticated;
grant insert (user_id, sample_content, platform, engagement_metrics, is_training_sample)
  on creatorpulse.voice_training_data to authenticated;
grant update (sample_content, platform, engagement_metrics, is_training_sample)
  on creatorpulse.voice_training_data to authenticated;
grant select, insert, update, delete on creatorpulse.voice_training_data to service_role;

create policy "Users can create their own voice data" on creatorpulse.voice_training_data
  for insert to authenticated with check ((select auth.uid()) = user_id);
create policy "Users can view their own voice data" on creatorpulse.voice_training_data
  for select to authenticated using ((select auth.uid()) = user_id);
create policy "Users can update their own voice data" on creatorpulse.voice_training_data
  for update to authenticated using ((select auth.uid()) = user_id) with check ((select auth.uid()) = user_id);
create policy "Users can delete their own voice data" on creatorpulse.voice_training_data
  for delete to authenticated using ((select auth.uid()) = user_id);

create table creatorpulse.voice_models (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  model_version text not null,
  model_config jsonb not null
    constraint voice_models_model_config_check check (jsonb_typeof(model_config) = 'object'),
  training_data_count integer not null
    constraint voice_models_training_data_count_check check (training_data_count >= 0),
  validation_score numeric(5, 4)
    constraint voice_models_validation_score_check check (validation_score between 0 and 1),
  is_active boolean not null default false,
  training_started_at timestamptz,
  training_completed_at timestamptz,
  created_at timestamptz not null default now()
);
comment on table creatorpulse.voice_models is 'Voice model versions per creator, at most one active (seed 001 section 3.3).';
comment on column creatorpulse.voice_models.model_config is 'Model hyperparameters and settings.';
comment on column creatorpulse.voice_models.validation_score is 'Model validation accuracy, 0 to 1.';
create index voice_models_user_id_idx on creatorpulse.voice_models (user_id);
create index voice_models_active_idx on creatorpulse.voice_models (is_active);
create index voice_models_version_idx on creatorpulse.voice_models (model_version);
create unique index voice_models_one_active_idx on creatorpulse.voice_models (user_id) where is_active;

-- Seed section 10, made safe under concurrency: activations of one user's
-- models take a per-user transaction lock before deactivating the others,
-- so the second of two concurrent activations sees the first one's
-- committed model and deactivates it.
-- +goose StatementBegin
create function creatorpulse.activate_voice_model() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.is_active and (tg_op = 'INSERT' or not old.is_active or new.user_id <> old.user_id) then
    perform pg_catalog.pg_advisory_xact_lock(
      pg_catalog.hashtextextended('creatorpulse.voice_models:' || new.user_id::text, 0));
    update creatorpulse.voice_models m
    set is_active = false
    where m.user_id = new.user_id and m.id <> new.id and m.is_active;
  end if;
  return new;
end
$$;
-- +goose StatementEnd
revoke execute on function creatorpulse.activate_voice_model() from public;
create trigger activate_voice_model before insert or update of is_active on creatorpulse.voice_models
  for each row execute function creatorpulse.activate_voice_model();

alter table creatorpulse.voice_models enable row level security;
revoke all on creatorpulse.voice_models from public, anon, authenticated;
grant select on creatorpulse.voice_models to authenticated;
grant select, insert, update, delete on creatorpulse.voice_models to service_role;

create policy "Users can view their own models" on creatorpulse.voice_models
  for select to authenticated using ((select auth.uid()) = user_id);

create table creatorpulse.trend_content_mapping (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  trend_id uuid not null references creatorpulse.trend_insights (id) on delete cascade,
  content_draft_id uuid not null references creatorpulse.content_drafts (id) on delete cascade,
  relevance_score numeric(3, 2)
    constraint trend_content_mapping_relevance_score_check check (relevance_score between 0 and 1),
  created_at timestamptz not null default now()
);
comment on table creatorpulse.trend_content_mapping is 'Which trends led to which drafts (seed 001 section 4.3).';
comment on column creatorpulse.trend_content_mapping.relevance_score is 'How well content matches trend, 0 to 1.';
create index trend_content_mapping_user_id_idx on creatorpulse.trend_content_mapping (user_id);
create index trend_content_mapping_trend_idx on creatorpulse.trend_content_mapping (trend_id);
create index trend_content_mapping_content_idx on creatorpulse.trend_content_mapping (content_draft_id);
create index trend_content_mapping_relevance_idx on creatorpulse.trend_content_mapping (relevance_score);

alter table creatorpulse.trend_content_mapping enable row level security;
revoke all on creatorpulse.trend_content_mapping from public, anon, authenticated;
grant select on creatorpulse.trend_content_mapping to authenticated;
grant select, insert, update, delete on creatorpulse.trend_content_mapping to service_role;

create policy "Users can view their own mappings" on creatorpulse.trend_content_mapping
  for select to authenticated using ((select auth.uid()) = user_id);

-- +goose Down
drop table if exists creatorpulse.trend_content_mapping;
drop table if exists creatorpulse.voice_models;
drop function if exists creatorpulse.activate_voice_model();
drop table if exists creatorpulse.voice_training_data;
drop table if exists creatorpulse.content_drafts;
drop function if exists creatorpulse.content_drafts_before_write();
