-- CreatorPulse seed 001 sections 6-7 and 10: creator_analytics,
-- content_performance, usage_tracking, subscription_billing, the credit
-- rules and calculate_daily_credits().
--
-- All four tables are written by the system only; the owner reads.
--
-- Credits. record_usage() is the one way usage_tracking grows. A
-- credit-consuming action (credits > 0) locks the user's
-- subscription_billing row, draws first from the period's
-- monthly_credit_limit (usage since current_period_start, or the calendar
-- month), then from credit_balance (purchased credits, decremented here),
-- then -- only when the plan has an overage_rate -- as overage billed at
-- that rate. When none is left it raises SQLSTATE PT402 (HTTP 402 in the
-- Data API) with a message naming the limit, and nothing is written.
-- Drafts the service role writes (generation) cost 1 credit each
-- (draft_generated); accepting and rejecting a draft are recorded at 0
-- credits (draft_accepted, draft_rejected); trend analysis and voice
-- training are recorded by their jobs through record_usage().
--
-- Analytics. A generated draft, an accepted, a rejected and a published
-- draft each bump that day's creator_analytics row of the draft's
-- platform (the day in the creator's time zone), created on first use.

-- +goose Up
create table creatorpulse.creator_analytics (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  metric_date date not null,
  platform text not null
    constraint creator_analytics_platform_check check (platform in ('twitter', 'linkedin', 'instagram', 'overall')),
  drafts_generated integer not null default 0
    constraint creator_analytics_drafts_generated_check check (drafts_generated >= 0),
  drafts_accepted integer not null default 0
    constraint creator_analytics_drafts_accepted_check check (drafts_accepted >= 0),
  drafts_rejected integer not null default 0
    constraint creator_analytics_drafts_rejected_check check (drafts_rejected >= 0),
  content_published integer not null default 0
    constraint creator_analytics_content_published_check check (content_published >= 0),
  avg_review_time_minutes numeric(8, 2)
    constraint creator_analytics_avg_review_time_minutes_check check (avg_review_time_minutes >= 0),
  total_impressions bigint not null default 0
    constraint creator_analytics_total_impressions_check check (total_impressions >= 0),
  total_engagements bigint not null default 0
    constraint creator_analytics_total_engagements_check check (total_engagements >= 0),
  follower_count integer,
  engagement_rate numeric(5, 4),
  voice_confidence_avg numeric(3, 2)
    constraint creator_analytics_voice_confidence_avg_check check (voice_confidence_avg between 0 and 1),
  trend_utilization_rate numeric(3, 2)
    constraint creator_analytics_trend_utilization_rate_check check (trend_utilization_rate between 0 and 1),
  baseline_comparison jsonb not null default '{}'
    constraint creator_analytics_baseline_comparison_check check (jsonb_typeof(baseline_comparison) = 'object'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table creatorpulse.creator_analytics is 'Daily creator metrics per platform (seed 001 section 6.1); kept indefinitely.';
comment on column creatorpulse.creator_analytics.trend_utilization_rate is 'Share of trends acted upon, 0 to 1.';
comment on column creatorpulse.creator_analytics.baseline_comparison is 'Pre-AI vs AI-assisted metrics.';
-- The seed's (user_id, metric_date) index, made unique with the platform:
-- one row per user, day and platform, which the counters upsert into.
create unique index creator_analytics_user_date_idx on creatorpulse.creator_analytics (user_id, metric_date, platform);
create index creator_analytics_platform_idx on creatorpulse.creator_analytics (platform);
create index creator_analytics_metric_date_idx on creatorpulse.creator_analytics (metric_date);

create trigger update_creator_analytics_updated_at before update on creatorpulse.creator_analytics
  for each row execute function creatorpulse.update_updated_at_column();

alter table creatorpulse.creator_analytics enable row level security;
revoke all on creatorpulse.creator_analytics from public, anon, authenticated;
grant select on creatorpulse.creator_analytics to authenticated;
grant select, insert, update, delete on creatorpulse.creator_analytics to service_role;
create policy "Users can view their own analytics" on creatorpulse.creator_analytics
  for select to authenticated using ((select auth.uid()) = user_id);

create table creatorpulse.content_performance (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  content_draft_id uuid not null references creatorpulse.content_drafts (id) on delete cascade,
  platform_post_id text,
  impressions bigint not null default 0 constraint content_performance_impressions_check check (impressions >= 0),
  likes integer not null default 0 constraint content_performance_likes_check check (likes >= 0),
  shares integer not null default 0 constraint content_performance_shares_check check (shares >= 0),
  comments integer not null default 0 constraint content_performance_comments_check check (comments >= 0),
  clicks integer not null default 0 constraint content_performance_clicks_check check (clicks >= 0),
  saves integer not null default 0 constraint content_performance_saves_check check (saves >= 0),
  engagement_rate numeric(5, 4),
  reach bigint constraint content_performance_reach_check check (reach >= 0),
  video_views bigint constraint content_performance_video_views_check check (video_views >= 0),
  performance_score numeric(5, 2),
  vs_prediction_accuracy numeric(3, 2),
  last_updated_at timestamptz not null default now(),
  created_at timestamptz not null default now()
);
comment on table creatorpulse.content_performance is 'Performance of each published draft (seed 001 section 6.2); rolled up into content_performance_summaries after 6 months.';
comment on column creatorpulse.content_performance.platform_post_id is 'Platform-specific post id.';
comment on column creatorpulse.content_performance.video_views is 'For video content.';
comment on column creatorpulse.content_performance.performance_score is 'Normalized performance score.';
comment on column creatorpulse.content_performance.vs_prediction_accuracy is 'How accurate the prediction was.';
create index content_performance_user_id_idx on creatorpulse.content_performance (user_id);
create index content_performance_content_draft_idx on creatorpulse.content_performance (content_draft_id);
create index content_performance_score_idx on creatorpulse.content_performance (performance_score);
create index content_performance_engagement_rate_idx on creatorpulse.content_performance (engagement_rate);

alter table creatorpulse.content_performance enable row level security;
revoke all on creatorpulse.content_performance from public, anon, authenticated;
grant select on creatorpulse.content_performance to authenticated;
grant select, insert, update, delete on creatorpulse.content_performance to service_role;
create policy "Users can view their own performance data" on creatorpulse.content_performance
  for select to authenticated using ((select auth.uid()) = user_id);

create table creatorpulse.usage_tracking (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  usage_date date not null,
  action_type text not null
    constraint usage_tracking_action_type_check
    check (action_type in ('draft_generated', 'draft_accepted', 'draft_rejected', 'trend_analyzed', 'voice_training')),
  platform text
    constraint usage_tracking_platform_check check (platform in ('twitter', 'linkedin', 'instagram')),
  credits_consumed numeric(8, 2) not null default 1.0
    constraint usage_tracking_credits_consumed_check check (credits_consumed >= 0),
  metadata jsonb not null default '{}'
    constraint usage_tracking_metadata_check check (jsonb_typeof(metadata) = 'object'),
  created_at timestamptz not null default now()
);
comment on table creatorpulse.usage_tracking is 'Usage ledger for billing and analytics (seed 001 section 7.1), written through record_usage(); append-only for the service role.';
comment on column creatorpulse.usage_tracking.metadata is 'Usage context; record_usage() adds credits_from_limit, credits_from_balance, overage_credits and overage_cost.';
create index usage_tracking_user_date_idx on creatorpulse.usage_tracking (user_id, usage_date);
create index usage_tracking_action_type_idx on creatorpulse.usage_tracking (action_type);
create index usage_tracking_created_at_idx on creatorpulse.usage_tracking (created_at);

alter table creatorpulse.usage_tracking enable row level security;
revoke all on creatorpulse.usage_tracking from public, anon, authenticated;
grant select on creatorpulse.usage_tracking to authenticated;
grant select, insert on creatorpulse.usage_tracking to service_role;
create policy "Users can view their own usage" on creatorpulse.usage_tracking
  for select to authenticated using ((select auth.uid()) = user_id);

create table creatorpulse.subscription_billing (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  stripe_customer_id text,
  stripe_subscription_id text,
  subscription_status text not null
    constraint subscription_billing_subscription_status_check
    check (subscription_status in ('active', 'past_due', 'canceled', 'unpaid', 'trialing')),
  current_period_start timestamptz,
  current_period_end timestamptz,
  credit_balance numeric(10, 2) not null default 0.0
    constraint subscription_billing_credit_balance_check check (credit_balance >= 0),
  monthly_credit_limit numeric(10, 2)
    constraint subscription_billing_monthly_credit_limit_check check (monthly_credit_limit >= 0),
  overage_rate numeric(6, 4)
    constraint subscription_billing_overage_rate_check check (overage_rate >= 0),
  billing_metadata jsonb not null default '{}'
    constraint subscription_billing_billing_metadata_check check (jsonb_typeof(billing_metadata) = 'object'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- The seed's UNIQUE columns and their indexes are one index each.
  constraint subscription_billing_stripe_customer_idx unique (stripe_customer_id),
  constraint subscription_billing_stripe_subscription_idx unique (stripe_subscription_id),
  constraint subscription_billing_period_check check (current_period_end > current_period_start)
);
comment on table creatorpulse.subscription_billing is 'Subscription and credits per user (seed 001 section 7.2); audited in events.audit_log.';
comment on column creatorpulse.subscription_billing.credit_balance is 'Purchased credits left; drawn after the monthly limit is used up.';
comment on column creatorpulse.subscription_billing.monthly_credit_limit is 'Credits included per billing period; null means none.';
comment on column creatorpulse.subscription_billing.overage_rate is 'Cost per credit over limit; null means the plan allows no overage.';
create unique index subscription_billing_user_id_idx on creatorpulse.subscription_billing (user_id);
create index subscription_billing_status_idx on creatorpulse.subscription_billing (subscription_status);

create trigger update_subscription_billing_updated_at before update on creatorpulse.subscription_billing
  for each row execute function creatorpulse.update_updated_at_column();
create trigger subscription_billing_audit after insert or update or delete on creatorpulse.subscription_billing
  for each row execute function events.audit_trigger();

alter table creatorpulse.subscription_billing enable row level security;
revoke all on creatorpulse.subscription_billing from public, anon, authenticated;
grant select on creatorpulse.subscription_billing to authenticated;
grant select, insert, update, delete on creatorpulse.subscription_billing to service_role;
create policy "Users can view their own billing" on creatorpulse.subscription_billing
  for select to authenticated using ((select auth.uid()) = user_id);

-- The creator's calendar day: creator_profiles.timezone, else the
-- account's, else UTC.
-- +goose StatementBegin
create function creatorpulse.local_date(user_uuid uuid) returns date
language sql
stable
security definer
set search_path = ''
as $$
  select (pg_catalog.now() at time zone coalesce(
            (select p.timezone from creatorpulse.creator_profiles p where p.user_id = user_uuid),
            (select u.timezone from public.users u where u.id = user_uuid),
            'UTC'))::date
$$;
-- +goose StatementEnd
revoke execute on function creatorpulse.local_date(uuid) from public;

-- +goose StatementBegin
create function creatorpulse.record_usage(
  user_uuid uuid,
  action_type text,
  platform text default null,
  credits numeric default 1.0,
  metadata jsonb default '{}'
) returns uuid
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  bill creatorpulse.subscription_billing;
  period_start date;
  used numeric;
  allowance numeric;
  from_limit numeric := 0;
  from_balance numeric := 0;
  overage numeric := 0;
  rest numeric;
  extra jsonb := '{}';
  usage_id uuid;
begin
  if credits is null or credits < 0 then
    raise exception 'record_usage: credits must be zero or more, got %', credits
      using errcode = '22023', column = 'credits_consumed';
  end if;
  if credits > 0 then
    -- One writer per user at a time: concurrent generations queue here.
    select * into bill from creatorpulse.subscription_billing b where b.user_id = user_uuid for update;
    if not found then
      raise exception 'credit limit reached: no subscription, monthly_credit_limit is 0 and credit_balance is 0'
        using errcode = 'PT402', hint = 'Start a subscription or buy credits.';
    end if;
    if bill.subscription_status in ('canceled', 'unpaid') then
      raise exception 'credit limit reached: subscription_status is %', bill.subscription_status
        using errcode = 'PT402', hint = 'Renew the subscription.';
    end if;
    period_start := (coalesce(bill.current_period_start, pg_catalog.date_trunc('month', pg_catalog.now())) at time zone 'UTC')::date;
    select coalesce(sum(u.credits_consumed), 0) into used
    from creatorpulse.usage_tracking u
    where u.user_id = user_uuid and u.usage_date >= period_start;
    allowance := coalesce(bill.monthly_credit_limit, 0);
    from_limit := greatest(0, least(credits, allowance - used));
    rest := credits - from_limit;
    from_balance := least(rest, bill.credit_balance);
    rest := rest - from_balance;
    if rest > 0 then
      if bill.overage_rate is null then
        raise exception 'credit limit reached: monthly_credit_limit of % credits is used up and credit_balance is %',
            allowance, bill.credit_balance
          using errcode = 'PT402',
                detail = pg_catalog.format('%s needs %s credits; %s used since %s.', action_type, credits, used, period_start),
                hint = 'Buy credits or upgrade the plan.';
      end if;
      overage := rest;
    end if;
    if from_balance > 0 then
      update creatorpulse.subscription_billing b
      set credit_balance = b.credit_balance - from_balance
      where b.id = bill.id;
    end if;
    extra := pg_catalog.jsonb_build_object(
      'credits_from_limit', from_limit, 'credits_from_balance', from_balance,
      'overage_credits', overage, 'overage_cost', overage * coalesce(bill.overage_rate, 0));
  end if;
  insert into creatorpulse.usage_tracking (user_id, usage_date, action_type, platform, credits_consumed, metadata)
  values (user_uuid, creatorpulse.local_date(user_uuid), record_usage.action_type, record_usage.platform, credits,
          coalesce(record_usage.metadata, '{}'::jsonb) || extra)
  returning id into usage_id;
  return usage_id;
end
$$;
-- +goose StatementEnd
revoke execute on function creatorpulse.record_usage(uuid, text, text, numeric, jsonb) from public;
grant execute on function creatorpulse.record_usage(uuid, text, text, numeric, jsonb) to service_role;
comment on function creatorpulse.record_usage(uuid, text, text, numeric, jsonb) is
  'Service role: record usage and consume credits (monthly limit, then credit_balance, then overage). Raises PT402 when none are left.';

-- Seed section 10, fixed: the seed's SECURITY DEFINER version answered
-- for any user_uuid. Users may ask about themselves only; the service
-- role about anyone.
-- +goose StatementBegin
create function creatorpulse.calculate_daily_credits(user_uuid uuid, target_date date) returns numeric
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  total_credits numeric;
begin
  if not creatorpulse.is_system() and user_uuid is distinct from (select auth.uid()) then
    raise exception 'calculate_daily_credits: you may only read your own credits'
      using errcode = '42501';
  end if;
  select coalesce(sum(u.credits_consumed), 0) into total_credits
  from creatorpulse.usage_tracking u
  where u.user_id = user_uuid and u.usage_date = target_date;
  return total_credits;
end
$$;
-- +goose StatementEnd
revoke execute on function creatorpulse.calculate_daily_credits(uuid, date) from public;
grant execute on function creatorpulse.calculate_daily_credits(uuid, date) to authenticated, service_role;
comment on function creatorpulse.calculate_daily_credits(uuid, date) is
  'Credits a user consumed on a day. Callers other than the service role may ask only about themselves.';

-- Add to that day's counters of one platform.
-- +goose StatementBegin
create function creatorpulse.bump_creator_analytics(
  user_uuid uuid, platform text, generated integer, accepted integer, rejected integer, published integer,
  review_minutes numeric
) returns void
language sql
volatile
security definer
set search_path = ''
as $$
  insert into creatorpulse.creator_analytics as a
    (user_id, metric_date, platform, drafts_generated, drafts_accepted, drafts_rejected, content_published, avg_review_time_minutes)
  values (user_uuid, creatorpulse.local_date(user_uuid), platform, generated, accepted, rejected, published, review_minutes)
  on conflict (user_id, metric_date, platform) do update set
    drafts_generated = a.drafts_generated + excluded.drafts_generated,
    drafts_accepted = a.drafts_accepted + excluded.drafts_accepted,
    drafts_rejected = a.drafts_rejected + excluded.drafts_rejected,
    content_published = a.content_published + excluded.content_published,
    avg_review_time_minutes = case
      when excluded.avg_review_time_minutes is null then a.avg_review_time_minutes
      when a.avg_review_time_minutes is null then excluded.avg_review_time_minutes
      else round((a.avg_review_time_minutes * (a.drafts_accepted + a.drafts_rejected) + excluded.avg_review_time_minutes)
                 / (a.drafts_accepted + a.drafts_rejected + 1), 2)
    end
$$;
-- +goose StatementEnd
revoke execute on function creatorpulse.bump_creator_analytics(uuid, text, integer, integer, integer, integer, numeric) from public;

-- +goose StatementBegin
create function creatorpulse.content_drafts_track() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  review numeric;
  meta jsonb := pg_catalog.jsonb_build_object('content_draft_id', new.id);
begin
  if tg_op = 'INSERT' then
    -- Drafts the service role writes are generated: charged and counted.
    -- Drafts users write by hand, and the owner's maintenance, are not.
    if auth.role() = 'service_role' then
      perform creatorpulse.record_usage(new.user_id, 'draft_generated', new.platform, 1.0, meta);
      perform creatorpulse.bump_creator_analytics(new.user_id, new.platform, 1, 0, 0, 0, null);
    end if;
    return null;
  end if;
  if new.status is not distinct from old.status then
    return null;
  end if;
  review := least(round((extract(epoch from pg_catalog.now() - new.created_at) / 60)::numeric, 2), 999999.99);
  if new.status = 'approved' then
    perform creatorpulse.record_usage(new.user_id, 'draft_accepted', new.platform, 0, meta);
    perform creatorpulse.bump_creator_analytics(new.user_id, new.platform, 0, 1, 0, 0, review);
  elsif new.status = 'rejected' then
    perform creatorpulse.record_usage(new.user_id, 'draft_rejected', new.platform, 0, meta);
    perform creatorpulse.bump_creator_analytics(new.user_id, new.platform, 0, 0, 1, 0, review);
  elsif new.status = 'published' then
    perform creatorpulse.bump_creator_analytics(new.user_id, new.platform, 0, 0, 0, 1, null);
  end if;
  return null;
end
$$;
-- +goose StatementEnd
revoke execute on function creatorpulse.content_drafts_track() from public;
create trigger content_drafts_track after insert or update of status on creatorpulse.content_drafts
  for each row execute function creatorpulse.content_drafts_track();

-- +goose Down
drop trigger if exists content_drafts_track on creatorpulse.content_drafts;
drop function if exists creatorpulse.content_drafts_track();
drop function if exists creatorpulse.bump_creator_analytics(uuid, text, integer, integer, integer, integer, numeric);
drop function if exists creatorpulse.calculate_daily_credits(uuid, date);
drop function if exists creatorpulse.record_usage(uuid, text, text, numeric, jsonb);
drop function if exists creatorpulse.local_date(uuid);
drop table if exists creatorpulse.subscription_billing;
drop table if exists creatorpulse.usage_tracking;
drop table if exists creatorpulse.content_performance;
drop table if exists creatorpulse.creator_analytics;
