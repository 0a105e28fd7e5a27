-- influencer.search_jobs and search_results (seed 004 section 9, legacy):
-- the alternative pipeline that stores one row per creator instead of
-- JSONB pages. The seed names them without columns; these are the columns
-- its frontend reads (job with status and counts; per-creator rows with the
-- fields of the scraping_results creator objects). Same rules as
-- scraping_jobs: the user creates and reads their own, target_results is
-- reserved against the month's creators limit (PT402), the service role
-- writes status and results, status flows pending -> processing ->
-- completed | error | timeout. No worker works this table: new searches go
-- through scraping_jobs.

-- +goose Up
create table influencer.search_jobs (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references influencer.user_profiles (user_id) on delete cascade,
  campaign_id uuid references influencer.campaigns (id) on delete cascade,
  platform varchar(50) not null default 'TikTok'
    constraint search_jobs_platform_check check (platform in ('TikTok', 'Instagram', 'YouTube')),
  search_type varchar(20) not null constraint search_jobs_search_type_check check (search_type in ('keyword', 'similar')),
  keywords jsonb constraint search_jobs_keywords_check check (keywords is null or influencer.valid_keywords(keywords)),
  target_username text,
  status varchar(20) not null default 'pending'
    constraint search_jobs_status_check check (status in ('pending', 'processing', 'completed', 'error', 'timeout')),
  target_results integer not null default 100 constraint search_jobs_target_results_check check (target_results > 0),
  processed_results integer not null default 0 constraint search_jobs_processed_results_check check (processed_results >= 0),
  error text,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  completed_at timestamptz,
  updated_at timestamptz not null default now(),
  constraint search_jobs_search_check check (
    (search_type = 'keyword' and keywords is not null) or (search_type = 'similar' and target_username is not null))
);
comment on table influencer.search_jobs is 'Legacy search jobs (seed 004 section 9); results one row per creator in search_results.';
create index idx_search_jobs_user_created on influencer.search_jobs (user_id, created_at desc);
create index idx_search_jobs_status_created on influencer.search_jobs (status, created_at desc);
create index idx_search_jobs_campaign on influencer.search_jobs (campaign_id);
create trigger update_search_jobs_updated_at before update on influencer.search_jobs
  for each row execute function influencer.update_updated_at_column();

-- +goose StatementBegin
create function influencer.search_jobs_guard() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    new.platform := influencer.normalize_platform(new.platform);
    if new.platform not in ('TikTok', 'Instagram', 'YouTube') then
      raise exception 'search_jobs.platform: unknown platform %', new.platform
        using errcode = '22023', column = 'platform', table = 'search_jobs', schema = 'influencer';
    end if;
    if new.campaign_id is not null and not exists (
         select 1 from influencer.campaigns c where c.id = new.campaign_id and c.user_id = new.user_id) then
      raise exception 'search_jobs.campaign_id: campaign % not found', new.campaign_id
        using errcode = '23503', column = 'campaign_id', table = 'search_jobs', schema = 'influencer';
    end if;
    new.status := 'pending';
    new.processed_results := 0;
    perform influencer.reserve_creators(new.user_id, new.target_results, 'search_jobs');
    return new;
  end if;
  if (new.user_id, new.campaign_id, new.platform, new.search_type, new.keywords, new.target_username, new.target_results)
     is distinct from
     (old.user_id, old.campaign_id, old.platform, old.search_type, old.keywords, old.target_username, old.target_results) then
    raise exception 'search_jobs: a job''s search cannot change once created'
      using errcode = '42501', table = 'search_jobs', schema = 'influencer';
  end if;
  if new.status <> old.status then
    if not ((old.status = 'pending' and new.status = 'processing')
            or (old.status = 'processing' and new.status in ('completed', 'error', 'timeout'))) then
      raise exception 'search_jobs.status: % -> % is not allowed', old.status, new.status
        using errcode = 'PT409', column = 'status', table = 'search_jobs', schema = 'influencer';
    end if;
    if new.status = 'processing' then
      new.started_at := coalesce(new.started_at, pg_catalog.now());
    else
      new.completed_at := coalesce(new.completed_at, pg_catalog.now());
      perform influencer.release_creators(new.user_id, new.target_results - least(new.processed_results, new.target_results),
                                          new.created_at);
    end if;
  end if;
  return new;
end
$$;
-- +goose StatementEnd
revoke execute on function influencer.search_jobs_guard() from public;
create trigger search_jobs_guard before insert or update on influencer.search_jobs
  for each row execute function influencer.search_jobs_guard();

create table influencer.search_results (
  id uuid primary key default gen_random_uuid(),
  job_id uuid not null references influencer.search_jobs (id) on delete cascade,
  platform varchar(50) not null constraint search_results_platform_check check (platform in ('TikTok', 'Instagram', 'YouTube')),
  creator_username text not null constraint search_results_creator_username_check check (btrim(creator_username) <> ''),
  creator_name text,
  followers bigint constraint search_results_followers_check check (followers >= 0),
  avatar_url text,
  profile_url text,
  bio text,
  emails jsonb not null default '[]' constraint search_results_emails_check check (jsonb_typeof(emails) = 'array'),
  verified boolean not null default false,
  engagement_rate numeric constraint search_results_engagement_rate_check check (engagement_rate >= 0),
  creator_data jsonb not null default '{}' constraint search_results_creator_data_check check (jsonb_typeof(creator_data) = 'object'),
  created_at timestamptz not null default now(),
  constraint search_results_job_creator_unique unique (job_id, platform, creator_username)
);
comment on table influencer.search_results is 'Legacy per-creator results of search_jobs (seed 004 section 9). creator_data keeps the provider record.';

alter table influencer.search_jobs enable row level security;
revoke all on influencer.search_jobs from public, anon, authenticated;
grant select on influencer.search_jobs to authenticated;
grant insert (user_id, campaign_id, platform, search_type, keywords, target_username, target_results)
  on influencer.search_jobs to authenticated;
grant select, insert, update, delete on influencer.search_jobs to service_role;
create policy "Users create their own search jobs" on influencer.search_jobs
  for insert to authenticated with check (user_id = (select auth.uid()));
create policy "Users read their own search jobs, admins every job" on influencer.search_jobs
  for select to authenticated using (user_id = (select auth.uid()) or (select influencer.is_admin()));

alter table influencer.search_results enable row level security;
revoke all on influencer.search_results from public, anon, authenticated;
grant select on influencer.search_results to authenticated;
grant select, insert, update, delete on influencer.search_results to service_role;
create index idx_search_results_job on influencer.search_results (job_id);
create policy "Users read their own search results, admins every result" on influencer.search_results
  for select to authenticated using (
    exists (select 1 from influencer.search_jobs j where j.id = job_id and j.user_id = (select auth.uid()))
    or (select influencer.is_admin()));

-- +goose Down
drop table if exists influencer.search_results;
drop table if exists influencer.search_jobs;
drop function if exists influencer.search_jobs_guard();
