-- influencer.scraping_jobs and scraping_results (seed 004 sections 2-3):
-- the search job pipeline.
--
-- A user creates a job (keywords or target_username, platform,
-- target_results, optional campaign of theirs). In the same statement a
-- BEFORE INSERT trigger validates it, reserves target_results against the
-- month's creators limit (PT402), and enqueues the River job
-- `influencer_scraping_job` by inserting into system.river_job (River
-- v0.51's table, schema 008; River polls the queue, so no NOTIFY is
-- needed). The job exists iff the row commits. qstash_message_id (the
-- seed's external job id) holds the River job id.
--
-- The worker (internal/products/influencer) is the service role: only it
-- writes status, progress, cursor, counts, timestamps and error (column
-- grants). status moves pending -> processing -> completed | error |
-- timeout (PT409 otherwise). A user stops a job with
-- influencer.cancel_scraping_job(id): cancel_requested_at is set and the
-- worker ends the job (status error, error 'cancelled by the user') before
-- fetching another page.
--
-- Usage: target_results is reserved when the job is created; when it ends,
-- the part not delivered (target_results - processed_results) is given
-- back if the job was created in the current usage month. A job ending in
-- error or timeout keeps its results, marked partial = true.
--
-- scraping_results: one row per fetched page, unique (job_id, page_cursor),
-- so a worker that dies after writing a page and retries it never stores
-- it twice.

-- +goose Up
create table influencer.scraping_jobs (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references influencer.user_profiles (user_id) on delete cascade,
  campaign_id uuid references influencer.campaigns (id) on delete cascade,
  status varchar(20) not null default 'pending'
    constraint scraping_jobs_status_check check (status in ('pending', 'processing', 'completed', 'error', 'timeout')),
  keywords jsonb,
  target_username text constraint scraping_jobs_target_username_check
    check (target_username is null or target_username ~ '^@?[A-Za-z0-9._-]{1,100}$'),
  platform varchar(50) not null default 'TikTok'
    constraint scraping_jobs_platform_check check (platform in ('TikTok', 'Instagram', 'YouTube')),
  search_params jsonb constraint scraping_jobs_search_params_check check (search_params is null or jsonb_typeof(search_params) = 'object'),
  processed_runs integer not null default 0 constraint scraping_jobs_processed_runs_check check (processed_runs >= 0),
  processed_results integer not null default 0 constraint scraping_jobs_processed_results_check check (processed_results >= 0),
  target_results integer not null default 1000 constraint scraping_jobs_target_results_check check (target_results > 0),
  cursor integer not null default 0 constraint scraping_jobs_cursor_check check (cursor >= 0),
  progress numeric not null default 0 constraint scraping_jobs_progress_check check (progress between 0 and 100),
  qstash_message_id text,
  cancel_requested_at timestamptz,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  completed_at timestamptz,
  timeout_at timestamptz,
  updated_at timestamptz not null default now(),
  error text,
  constraint scraping_jobs_search_check check (
    (keywords is not null and target_username is null) or (keywords is null and target_username is not null))
);
comment on table influencer.scraping_jobs is 'Search jobs run by River (seed 004 section 2). Users create and read; only the service role writes progress.';
comment on column influencer.scraping_jobs.qstash_message_id is 'The River job id (system.river_job.id) working this row (the seed: QStash message id).';
comment on column influencer.scraping_jobs.cancel_requested_at is 'Set by cancel_scraping_job(); the worker stops before the next page.';
comment on column influencer.scraping_jobs.cursor is 'The provider''s page cursor of the next page; a retried worker resumes here.';
create index idx_scraping_jobs_status_created on influencer.scraping_jobs (status, created_at desc);
create index idx_scraping_jobs_user_created on influencer.scraping_jobs (user_id, created_at desc);
create index idx_scraping_jobs_campaign on influencer.scraping_jobs (campaign_id);

create trigger update_scraping_jobs_updated_at before update on influencer.scraping_jobs
  for each row execute function influencer.update_updated_at_column();

-- A keyword list: a non-empty JSON array of non-blank strings.
-- +goose StatementBegin
create function influencer.valid_keywords(k jsonb) returns boolean
language sql
immutable
set search_path = ''
as $$
  select pg_catalog.jsonb_typeof(k) = 'array' and pg_catalog.jsonb_array_length(k) between 1 and 50
     and not exists (select 1 from pg_catalog.jsonb_array_elements(k) e(v)
                     where pg_catalog.jsonb_typeof(e.v) <> 'string' or pg_catalog.btrim(e.v #>> '{}') = ''
                        or pg_catalog.length(e.v #>> '{}') > 100)
$$;
-- +goose StatementEnd
revoke execute on function influencer.valid_keywords(jsonb) from public;
grant execute on function influencer.valid_keywords(jsonb) to authenticated, service_role;

-- Reserve `target` creators of the user's month (PT402 past the limit).
-- Locks the profile, so concurrent jobs of one user are counted one by one.
-- +goose StatementBegin
create function influencer.reserve_creators(uid uuid, target integer, tbl text) returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  p influencer.user_profiles;
begin
  select * into p from influencer.user_profiles up where up.user_id = uid for update;
  if not found then
    raise exception '%.user_id: no influencer profile for this user', tbl
      using errcode = '23503', column = 'user_id', table = tbl, schema = 'influencer',
            hint = 'Create the user''s user_profiles row first.';
  end if;
  if p.plan_creators_limit is null or p.plan_creators_limit < 0 then
    return;
  end if;
  if target > p.plan_creators_limit then
    raise exception '%.target_results: % is above the plan''s creators limit of % per month', tbl, target, p.plan_creators_limit
      using errcode = 'PT402', column = 'target_results', table = tbl, schema = 'influencer',
            detail = pg_catalog.format('creators_limit=%s target_results=%s', p.plan_creators_limit, target),
            hint = 'Lower target_results or upgrade the plan.';
  end if;
  if p.usage_creators_current_month + target > p.plan_creators_limit then
    raise exception '%.target_results: % more creators would pass this month''s limit (% of % used)',
      tbl, target, p.usage_creators_current_month, p.plan_creators_limit
      using errcode = 'PT402', column = 'target_results', table = tbl, schema = 'influencer',
            detail = pg_catalog.format('creators_limit=%s usage_creators_current_month=%s target_results=%s usage_reset_date=%s',
                                       p.plan_creators_limit, p.usage_creators_current_month, target, p.usage_reset_date),
            hint = 'Lower target_results, wait for usage_reset_date, or upgrade the plan.';
  end if;
  update influencer.user_profiles set usage_creators_current_month = usage_creators_current_month + target
   where user_id = uid;
end
$$;
-- +goose StatementEnd
revoke execute on function influencer.reserve_creators(uuid, integer, text) from public;

-- Give back what a finished job did not deliver, if it was reserved in the
-- current usage month.
-- +goose StatementBegin
create function influencer.release_creators(uid uuid, amount integer, reserved_at timestamptz) returns void
language sql
security definer
set search_path = ''
as $$
  update influencer.user_profiles
     set usage_creators_current_month = greatest(usage_creators_current_month - amount, 0)
   where user_id = uid and amount > 0 and reserved_at >= usage_reset_date - interval '1 month'
$$;
-- +goose StatementEnd
revoke execute on function influencer.release_creators(uuid, integer, timestamptz) from public;

-- Platform names as the seed spells them, whatever the case ('Tiktok' was
-- the seed's default).
-- +goose StatementBegin
create function influencer.normalize_platform(p text) returns text
language sql
immutable
set search_path = ''
as $$
  select case pg_catalog.lower(p) when 'tiktok' then 'TikTok' when 'instagram' then 'Instagram'
                                  when 'youtube' then 'YouTube' else p end
$$;
-- +goose StatementEnd
revoke execute on function influencer.normalize_platform(text) from public;

-- The job timeout: system.configurations timeouts/influencer_scraping_job
-- (a duration such as "1h"), default 1 hour.
-- +goose StatementBegin
create function influencer.scraping_job_timeout() returns interval
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v text;
  m text[];
  total interval := interval '0';
begin
  select c.value #>> '{}' into v from system.configurations c
   where c.category = 'timeouts' and c.key = 'influencer_scraping_job' and c.value_type = 'duration';
  if v is null or v !~ '^([0-9]+(h|m|s))+$' then
    return interval '1 hour';
  end if;
  for m in select pg_catalog.regexp_matches(v, '([0-9]+)(h|m|s)', 'g') loop
    total := total + pg_catalog.make_interval(
      hours => case m[2] when 'h' then m[1]::integer else 0 end,
      mins => case m[2] when 'm' then m[1]::integer else 0 end,
      secs => case m[2] when 's' then m[1]::integer else 0 end);
  end loop;
  return case when total > interval '0' then total else interval '1 hour' end;
end
$$;
-- +goose StatementEnd
revoke execute on function influencer.scraping_job_timeout() from public;

-- +goose StatementBegin
create function influencer.scraping_jobs_before_insert() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  c influencer.campaigns;
  river_id bigint;
begin
  new.platform := influencer.normalize_platform(new.platform);
  if new.platform not in ('TikTok', 'Instagram', 'YouTube') then
    raise exception 'scraping_jobs.platform: unknown platform %', new.platform
      using errcode = '22023', column = 'platform', table = 'scraping_jobs', schema = 'influencer',
            hint = 'One of TikTok, Instagram, YouTube.';
  end if;
  if new.keywords is not null and not influencer.valid_keywords(new.keywords) then
    raise exception 'scraping_jobs.keywords: a keyword search needs a JSON array of 1 to 50 non-empty keywords'
      using errcode = '22023', column = 'keywords', table = 'scraping_jobs', schema = 'influencer';
  end if;
  if new.campaign_id is not null then
    select * into c from influencer.campaigns where id = new.campaign_id;
    if not found or c.user_id <> new.user_id then
      raise exception 'scraping_jobs.campaign_id: campaign % not found', new.campaign_id
        using errcode = '23503', column = 'campaign_id', table = 'scraping_jobs', schema = 'influencer';
    end if;
    if c.search_type = 'keyword' and new.keywords is null then
      raise exception 'scraping_jobs.keywords: campaign % is a keyword search; keywords are required', c.id
        using errcode = '22023', column = 'keywords', table = 'scraping_jobs', schema = 'influencer';
    elsif c.search_type = 'similar' and new.target_username is null then
      raise exception 'scraping_jobs.target_username: campaign % is a similar search; target_username is required', c.id
        using errcode = '22023', column = 'target_username', table = 'scraping_jobs', schema = 'influencer';
    end if;
  end if;
  if new.keywords is null and new.target_username is null then
    raise exception 'scraping_jobs.keywords: give keywords (keyword search) or target_username (similar search)'
      using errcode = '22023', column = 'keywords', table = 'scraping_jobs', schema = 'influencer';
  end if;
  if new.target_results is null or new.target_results <= 0 then
    raise exception 'scraping_jobs.target_results: must be greater than 0'
      using errcode = '23514', column = 'target_results', table = 'scraping_jobs', schema = 'influencer',
            constraint = 'scraping_jobs_target_results_check';
  end if;
  -- A new job always starts from the beginning.
  new.status := 'pending';
  new.processed_runs := 0;
  new.processed_results := 0;
  new.cursor := 0;
  new.progress := 0;
  new.started_at := null;
  new.completed_at := null;
  new.error := null;
  new.cancel_requested_at := null;
  new.timeout_at := coalesce(new.timeout_at, pg_catalog.now() + influencer.scraping_job_timeout());

  perform influencer.reserve_creators(new.user_id, new.target_results, 'scraping_jobs');

  insert into system.river_job (args, kind, max_attempts, priority, queue, state, scheduled_at, metadata, tags)
  values (pg_catalog.jsonb_build_object('job_id', new.id), 'influencer_scraping_job', 10, 1, 'default',
          'available', pg_catalog.now(), '{}', array['influencer'])
  returning id into river_id;
  new.qstash_message_id := river_id::text;
  return new;
end
$$;
-- +goose StatementEnd
revoke execute on function influencer.scraping_jobs_before_insert() from public;
create trigger scraping_jobs_before_insert before insert on influencer.scraping_jobs
  for each row execute function influencer.scraping_jobs_before_insert();

-- +goose StatementBegin
create function influencer.scraping_jobs_before_update() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if (new.user_id, new.campaign_id, new.keywords, new.target_username, new.platform, new.search_params, new.target_results)
     is distinct from
     (old.user_id, old.campaign_id, old.keywords, old.target_username, old.platform, old.search_params, old.target_results) then
    raise exception 'scraping_jobs: a job''s search cannot change once created'
      using errcode = '42501', table = 'scraping_jobs', schema = 'influencer', hint = 'Create a new job.';
  end if;
  if new.status <> old.status then
    if not ((old.status = 'pending' and new.status = 'processing')
            or (old.status = 'processing' and new.status in ('completed', 'error', 'timeout'))) then
      raise exception 'scraping_jobs.status: % -> % is not allowed', old.status, new.status
        using errcode = 'PT409', column = 'status', table = 'scraping_jobs', schema = 'influencer',
              hint = 'A job moves pending -> processing -> completed | error | timeout.';
    end if;
    if new.status = 'processing' then
      new.started_at := coalesce(new.started_at, pg_catalog.now());
    else
      new.completed_at := coalesce(new.completed_at, pg_catalog.now());
      if new.status = 'completed' then
        new.progress := 100;
      end if;
    end if;
  elsif old.status in ('completed', 'error', 'timeout')
        and (new.processed_runs, new.processed_results, new.cursor, new.progress)
            is distinct from (old.processed_runs, old.processed_results, old.cursor, old.progress) then
    raise exception 'scraping_jobs: job % is % and cannot progress', old.id, old.status
      using errcode = 'PT409', column = 'status', table = 'scraping_jobs', schema = 'influencer';
  end if;
  if new.status = 'error' and coalesce(pg_catalog.btrim(new.error), '') = '' then
    raise exception 'scraping_jobs.error: a job ending in error needs its error text'
      using errcode = '23514', column = 'error', table = 'scraping_jobs', schema = 'influencer';
  end if;
  return new;
end
$$;
-- +goose StatementEnd
revoke execute on function influencer.scraping_jobs_before_update() from public;
create trigger scraping_jobs_before_update before update on influencer.scraping_jobs
  for each row execute function influencer.scraping_jobs_before_update();

create table influencer.scraping_results (
  id uuid primary key default gen_random_uuid(),
  job_id uuid not null references influencer.scraping_jobs (id) on delete cascade,
  creators jsonb not null constraint scraping_results_creators_check check (jsonb_typeof(creators) = 'array'),
  page_cursor integer not null default 0 constraint scraping_results_page_cursor_check check (page_cursor >= 0),
  partial boolean not null default false,
  created_at timestamptz not null default now(),
  constraint scraping_results_job_page_unique unique (job_id, page_cursor)
);
comment on table influencer.scraping_results is 'Pages of creators found by a job (seed 004 section 3). Written by the service role; partial = the job ended in error or timeout.';
comment on column influencer.scraping_results.page_cursor is 'The provider cursor this page was fetched at; unique per job, so a retried page is stored once.';

-- When a job ends: give back undelivered creators, mark partial results.
-- +goose StatementBegin
create function influencer.scraping_jobs_after_end() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform influencer.release_creators(new.user_id, new.target_results - least(new.processed_results, new.target_results),
                                      new.created_at);
  if new.status in ('error', 'timeout') then
    update influencer.scraping_results set partial = true where job_id = new.id;
  end if;
  return null;
end
$$;
-- +goose StatementEnd
revoke execute on function influencer.scraping_jobs_after_end() from public;
create trigger scraping_jobs_after_end after update of status on influencer.scraping_jobs
  for each row when (old.status is distinct from new.status and new.status in ('completed', 'error', 'timeout'))
  execute function influencer.scraping_jobs_after_end();

-- +goose StatementBegin
create function influencer.cancel_scraping_job(job_id uuid) returns influencer.scraping_jobs
language plpgsql
security definer
set search_path = ''
as $$
declare
  j influencer.scraping_jobs;
begin
  update influencer.scraping_jobs s set cancel_requested_at = coalesce(s.cancel_requested_at, pg_catalog.now())
   where s.id = cancel_scraping_job.job_id
     and (s.user_id = (select auth.uid()) or influencer.event_source() <> 'user_action')
  returning * into j;
  if not found then
    raise exception 'scraping_jobs: job % not found', cancel_scraping_job.job_id
      using errcode = 'PT404', table = 'scraping_jobs', schema = 'influencer';
  end if;
  return j;
end
$$;
-- +goose StatementEnd
revoke execute on function influencer.cancel_scraping_job(uuid) from public;
grant execute on function influencer.cancel_scraping_job(uuid) to authenticated, service_role;
comment on function influencer.cancel_scraping_job(uuid) is 'Ask the worker to stop the caller''s job before its next page (it ends as error ''cancelled by the user''). Idempotent.';

alter table influencer.scraping_jobs enable row level security;
revoke all on influencer.scraping_jobs from public, anon, authenticated;
grant select on influencer.scraping_jobs to authenticated;
grant insert (user_id, campaign_id, keywords, target_username, platform, search_params, target_results)
  on influencer.scraping_jobs to authenticated;
grant select, insert, update, delete on influencer.scraping_jobs to service_role;
create policy "Users create their own jobs" on influencer.scraping_jobs
  for insert to authenticated with check (user_id = (select auth.uid()));
create policy "Users read their own jobs, admins every job" on influencer.scraping_jobs
  for select to authenticated using (user_id = (select auth.uid()) or (select influencer.is_admin()));

alter table influencer.scraping_results enable row level security;
revoke all on influencer.scraping_results from public, anon, authenticated;
grant select on influencer.scraping_results to authenticated;
grant select, insert, update, delete on influencer.scraping_results to service_role;
create policy "Users read their own results, admins every result" on influencer.scraping_results
  for select to authenticated using (
    exists (select 1 from influencer.scraping_jobs j where j.id = job_id and j.user_id = (select auth.uid()))
    or (select influencer.is_admin()));

-- +goose Down
drop function if exists influencer.cancel_scraping_job(uuid);
drop table if exists influencer.scraping_results;
drop table if exists influencer.scraping_jobs;
drop function if exists influencer.scraping_jobs_after_end();
drop function if exists influencer.scraping_jobs_before_update();
drop function if exists influencer.scraping_jobs_before_insert();
drop function if exists influencer.scraping_job_timeout();
drop function if exists influencer.normalize_platform(text);
drop function if exists influencer.release_creators(uuid, integer, timestamptz);
drop function if exists influencer.reserve_creators(uuid, integer, text);
drop function if exists influencer.valid_keywords(jsonb);
