-- influencer.user_profiles (seed 004 section 4): onboarding, the 7-day
-- trial, the plan and its effective limits, payment display fields, usage
-- counters, billing webhook fields and is_admin.
--
-- user_id is the auth.users uuid (the seed: Clerk's text id). The user
-- creates and edits their own profile's basic and onboarding fields;
-- everything else (trial, plan, payment, usage, billing, is_admin) is
-- written by the service role (column grants) or by triggers.
--
-- Trials: when onboarding_step becomes 'completed' a pending trial starts
-- (active, 7 days). trial_status then moves only along
--   pending -> active -> expired | converted | cancelled
-- (anything else: SQLSTATE PT409). Setting the status it already has is a
-- no-op. Every transition appends one event to events.events with the
-- idempotency key influencer:trial_<status>:<user_id> (each status is
-- entered at most once per user), so a retried transition never writes a
-- second event. influencer.expire_trials() ends trials past their end
-- (run by a periodic River job).
--
-- Limits: plan_campaigns_limit / plan_creators_limit / plan_features are
-- the effective limits, kept by a trigger: those of intended_plan during an
-- active trial (the plan the brand chose before checkout), else those of
-- current_plan. -1 is unlimited.

-- +goose Up
create table influencer.user_profiles (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null unique references auth.users (id) on delete cascade,
  -- Basic info
  name text,
  company_name text,
  industry text,
  email text constraint user_profiles_email_check check (email is null or email ~ '^[^@\s]+@[^@\s]+$'),
  -- Onboarding
  signup_timestamp timestamptz not null default now(),
  onboarding_step varchar(50) not null default 'pending'
    constraint user_profiles_onboarding_step_check
    check (onboarding_step in ('pending', 'info_captured', 'intent_captured', 'completed')),
  full_name text,
  business_name text,
  brand_description text,
  email_schedule_status jsonb not null default '{}'
    constraint user_profiles_email_schedule_status_check check (jsonb_typeof(email_schedule_status) = 'object'),
  -- Trial
  trial_start_date timestamptz,
  trial_end_date timestamptz,
  trial_status varchar(20) not null default 'pending'
    constraint user_profiles_trial_status_check
    check (trial_status in ('pending', 'active', 'expired', 'cancelled', 'converted')),
  -- Subscription
  current_plan varchar(50) not null default 'free' references influencer.subscription_plans (plan_key) on update cascade,
  intended_plan varchar(50) references influencer.subscription_plans (plan_key) on update cascade,
  stripe_customer_id text,
  stripe_subscription_id text,
  subscription_status varchar(20) not null default 'none'
    constraint user_profiles_subscription_status_check
    check (subscription_status in ('none', 'trialing', 'active', 'past_due', 'canceled', 'unpaid', 'incomplete', 'incomplete_expired', 'paused')),
  -- Payment info (display only; the card itself stays with the processor)
  payment_method_id text,
  card_last_4 varchar(4) constraint user_profiles_card_last_4_check check (card_last_4 ~ '^[0-9]{4}$'),
  card_brand varchar(20),
  card_exp_month integer constraint user_profiles_card_exp_month_check check (card_exp_month between 1 and 12),
  card_exp_year integer constraint user_profiles_card_exp_year_check check (card_exp_year between 2000 and 2100),
  billing_address_city text,
  billing_address_country varchar(2) constraint user_profiles_billing_address_country_check check (billing_address_country ~ '^[A-Z]{2}$'),
  billing_address_postal_code varchar(20),
  -- Usage
  plan_campaigns_limit integer,
  plan_creators_limit integer,
  plan_features jsonb,
  usage_campaigns_current integer not null default 0
    constraint user_profiles_usage_campaigns_current_check check (usage_campaigns_current >= 0),
  usage_creators_current_month integer not null default 0
    constraint user_profiles_usage_creators_current_month_check check (usage_creators_current_month >= 0),
  usage_reset_date timestamptz not null default (now() + interval '1 month'),
  -- Billing webhooks
  last_webhook_event varchar(100),
  last_webhook_timestamp timestamptz,
  billing_sync_status varchar(20) not null default 'pending'
    constraint user_profiles_billing_sync_status_check check (billing_sync_status in ('pending', 'synced', 'failed')),
  trial_conversion_date timestamptz,
  subscription_cancel_date timestamptz,
  subscription_renewal_date timestamptz,
  -- Admin
  is_admin boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint user_profiles_trial_dates_check check (trial_end_date is null or trial_start_date is null or trial_end_date > trial_start_date)
);
comment on table influencer.user_profiles is 'One profile per user: onboarding, trial, plan, payment display, usage, billing sync, admin flag (seed 004 section 4).';
comment on column influencer.user_profiles.usage_reset_date is 'When usage_creators_current_month next resets to 0 (then moves on by a month); influencer.reset_monthly_usage().';
comment on column influencer.user_profiles.plan_creators_limit is 'Effective creators per usage month (-1 unlimited): intended_plan during an active trial, else current_plan. Kept by a trigger.';
create index idx_user_profiles_full_name_search on influencer.user_profiles using gin (full_name extensions.gin_trgm_ops);
create index idx_user_profiles_admin_search on influencer.user_profiles (created_at desc, onboarding_step, trial_status);
create index idx_user_profiles_trial_info on influencer.user_profiles (trial_status, trial_start_date, trial_end_date)
  where trial_status <> 'pending';
create index idx_user_profiles_usage_reset on influencer.user_profiles (usage_reset_date);
create index idx_user_profiles_admins on influencer.user_profiles (user_id) where is_admin;
create index idx_user_profiles_current_plan on influencer.user_profiles (current_plan);
create index idx_user_profiles_intended_plan on influencer.user_profiles (intended_plan);

create trigger update_user_profiles_updated_at before update on influencer.user_profiles
  for each row execute function influencer.update_updated_at_column();

-- Admins: is_admin on their own profile, or the core's admin role.
-- +goose StatementBegin
create function influencer.is_admin() returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce((select p.is_admin from influencer.user_profiles p where p.user_id = (select auth.uid())), false)
      or public.has_role('admin')
$$;
-- +goose StatementEnd
revoke execute on function influencer.is_admin() from public;
grant execute on function influencer.is_admin() to anon, authenticated, service_role;
comment on function influencer.is_admin() is 'True for an influencer admin (user_profiles.is_admin) or a platform admin (public.has_role(''admin'')).';

alter policy "Anyone can read active plans" on influencer.subscription_plans
  using (is_active or (select influencer.is_admin()));

-- BEFORE: onboarding, trial start and transitions, plan limits.
-- +goose StatementBegin
create function influencer.user_profiles_before() returns trigger
language plpgsql
set search_path = ''
as $$
declare
  old_trial text := case when tg_op = 'UPDATE' then old.trial_status else 'pending' end;
  v_plan text;
  p influencer.subscription_plans;
begin
  if tg_op = 'UPDATE' and old.onboarding_step = 'completed' and new.onboarding_step <> 'completed' then
    raise exception 'user_profiles.onboarding_step: onboarding is already completed'
      using errcode = 'PT409', column = 'onboarding_step', table = 'user_profiles', schema = 'influencer';
  end if;
  -- Completing onboarding starts the 7-day trial.
  if new.onboarding_step = 'completed' and (tg_op = 'INSERT' or old.onboarding_step <> 'completed')
     and old_trial = 'pending' and new.trial_status = 'pending' then
    new.trial_status := 'active';
  end if;

  if new.trial_status <> old_trial then
    if not ((old_trial = 'pending' and new.trial_status = 'active')
            or (old_trial = 'active' and new.trial_status in ('expired', 'converted', 'cancelled'))) then
      raise exception 'user_profiles.trial_status: % -> % is not allowed', old_trial, new.trial_status
        using errcode = 'PT409', column = 'trial_status', table = 'user_profiles', schema = 'influencer',
              hint = 'A trial moves pending -> active -> expired | converted | cancelled.';
    end if;
    case new.trial_status
      when 'active' then
        new.trial_start_date := pg_catalog.now();
        new.trial_end_date := pg_catalog.now() + interval '7 days';
      when 'converted' then
        new.trial_conversion_date := coalesce(new.trial_conversion_date, pg_catalog.now());
      when 'cancelled' then
        new.subscription_cancel_date := coalesce(new.subscription_cancel_date, pg_catalog.now());
      else
        null;
    end case;
  elsif tg_op = 'UPDATE' and (new.trial_start_date is distinct from old.trial_start_date
                              or new.trial_end_date is distinct from old.trial_end_date)
        and new.trial_status <> 'active' then
    raise exception 'user_profiles.trial_end_date: only an active trial can be extended'
      using errcode = 'PT409', column = 'trial_end_date', table = 'user_profiles', schema = 'influencer';
  elsif tg_op = 'INSERT' and new.trial_status = 'pending' then
    new.trial_start_date := null;
    new.trial_end_date := null;
  end if;

  v_plan := case when new.trial_status = 'active' and new.intended_plan is not null
                   then new.intended_plan else new.current_plan end;
  select * into p from influencer.subscription_plans sp where sp.plan_key = v_plan;
  if found then
    new.plan_campaigns_limit := p.campaigns_limit;
    new.plan_creators_limit := p.creators_limit;
    new.plan_features := p.features;
  end if;
  return new;
end
$$;
-- +goose StatementEnd
revoke execute on function influencer.user_profiles_before() from public;
create trigger user_profiles_before before insert or update on influencer.user_profiles
  for each row execute function influencer.user_profiles_before();

-- AFTER: one event per transition (idempotent by key).
-- +goose StatementBegin
create function influencer.user_profiles_events() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  old_trial text := case when tg_op = 'UPDATE' then old.trial_status else 'pending' end;
  src text := influencer.event_source();
  uid text := new.user_id::text;
begin
  if tg_op = 'INSERT' then
    perform events.append_event('user', uid, 'user_registered',
      pg_catalog.jsonb_build_object('product', 'influencer', 'profile_id', new.id, 'plan', new.current_plan),
      'influencer:user_registered:' || uid, src);
  end if;
  if new.onboarding_step = 'completed' and (tg_op = 'INSERT' or old.onboarding_step <> 'completed') then
    perform events.append_event('onboarding', uid, 'onboarding_completed',
      pg_catalog.jsonb_build_object('product', 'influencer', 'profile_id', new.id, 'intended_plan', new.intended_plan),
      'influencer:onboarding_completed:' || uid, src);
  end if;
  if new.trial_status <> old_trial then
    perform events.append_event('user', uid,
      case new.trial_status when 'active' then 'trial_started' else 'trial_' || new.trial_status end,
      pg_catalog.jsonb_build_object('product', 'influencer', 'profile_id', new.id, 'from', old_trial,
        'to', new.trial_status, 'trial_start_date', new.trial_start_date, 'trial_end_date', new.trial_end_date,
        'plan', new.current_plan, 'intended_plan', new.intended_plan),
      'influencer:trial_' || new.trial_status || ':' || uid, src);
  end if;
  return null;
end
$$;
-- +goose StatementEnd
revoke execute on function influencer.user_profiles_events() from public;
create trigger user_profiles_events after insert or update of onboarding_step, trial_status on influencer.user_profiles
  for each row execute function influencer.user_profiles_events();

alter table influencer.user_profiles enable row level security;
revoke all on influencer.user_profiles from public, anon, authenticated;
grant select on influencer.user_profiles to authenticated;
grant insert (user_id, name, company_name, industry, email, onboarding_step, full_name, business_name,
              brand_description, intended_plan)
  on influencer.user_profiles to authenticated;
grant update (name, company_name, industry, email, onboarding_step, full_name, business_name,
              brand_description, intended_plan)
  on influencer.user_profiles to authenticated;
grant select, insert, update, delete on influencer.user_profiles to service_role;

create policy "Users create their own profile" on influencer.user_profiles
  for insert to authenticated with check (user_id = (select auth.uid()));
create policy "Users read their own profile, admins every profile" on influencer.user_profiles
  for select to authenticated using (user_id = (select auth.uid()) or (select influencer.is_admin()));
create policy "Users update their own profile" on influencer.user_profiles
  for update to authenticated using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));

-- Trials past their end become expired. Returns how many.
-- +goose StatementBegin
create function influencer.expire_trials(at timestamptz default now()) returns integer
language sql
security definer
set search_path = ''
as $$
  with e as (
    update influencer.user_profiles p set trial_status = 'expired'
    where p.trial_status = 'active' and p.trial_end_date <= expire_trials.at
    returning 1)
  select count(*)::integer from e
$$;
-- +goose StatementEnd
revoke execute on function influencer.expire_trials(timestamptz) from public;
grant execute on function influencer.expire_trials(timestamptz) to service_role;

-- Monthly usage: every profile whose usage_reset_date has come gets
-- usage_creators_current_month = 0 and its reset date moved on by whole
-- months past `at` (a server down for two months resets once). Returns how
-- many profiles were reset; each reset appends a usage_reset event keyed by
-- the period it closes.
-- +goose StatementBegin
create function influencer.reset_monthly_usage(at timestamptz default now()) returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  r record;
  n integer := 0;
begin
  for r in
    update influencer.user_profiles p
       set usage_creators_current_month = 0,
           usage_reset_date = p.usage_reset_date
             + pg_catalog.make_interval(months => (
                 (extract(year from pg_catalog.age(reset_monthly_usage.at, p.usage_reset_date)) * 12
                  + extract(month from pg_catalog.age(reset_monthly_usage.at, p.usage_reset_date)))::integer + 1))
     from influencer.user_profiles o
     where o.id = p.id and p.usage_reset_date <= reset_monthly_usage.at
     returning p.user_id, p.id, o.usage_reset_date as period_end, o.usage_creators_current_month as used, p.usage_reset_date as next_reset
  loop
    perform events.append_event('user', r.user_id::text, 'usage_reset',
      pg_catalog.jsonb_build_object('product', 'influencer', 'profile_id', r.id, 'period_end', r.period_end,
        'creators_used', r.used, 'next_reset', r.next_reset),
      'influencer:usage_reset:' || r.user_id || ':' || pg_catalog.to_char(r.period_end at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS'),
      'system');
    n := n + 1;
  end loop;
  return n;
end
$$;
-- +goose StatementEnd
revoke execute on function influencer.reset_monthly_usage(timestamptz) from public;
grant execute on function influencer.reset_monthly_usage(timestamptz) to service_role;

-- +goose Down
drop function if exists influencer.reset_monthly_usage(timestamptz);
drop function if exists influencer.expire_trials(timestamptz);
alter policy "Anyone can read active plans" on influencer.subscription_plans
  using (is_active or (select public.has_role('admin')));
drop table if exists influencer.user_profiles;
drop function if exists influencer.user_profiles_events();
drop function if exists influencer.user_profiles_before();
drop function if exists influencer.is_admin();
