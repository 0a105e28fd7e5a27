-- StreamVibe (seed 003): users, user_setting, user_role, subscription and
-- quota_usage_history, and the quota rules.
--
-- users and user_role are the shared core's public.users and
-- public.user_roles (one identity for every product), shown here as
-- security_invoker views under the seed's names. user_setting and
-- subscription are made at signup (a trigger on public.users): every user
-- starts on the free tier, active, with a one-month cycle.
--
-- Quotas. subscription.syncs_used, ai_analyses_used and
-- seo_submissions_used change only through these functions (a trigger
-- refuses any other write, SQLSTATE 42501, even the service role's):
--   consume_quota(quota_type, amount, user_id, ...)  increment; the signed-in
--       user for themselves, or the service role for anyone. Refuses past the
--       tier's maximum with SQLSTATE PT402 (HTTP 402), also when many callers
--       race: the check and the increment are one UPDATE on the row.
--   release_quota(...)   decrement (a refund after an upstream failure);
--       service role only; never below zero (22023).
--   reset_quotas(user_id, reason)   all three to zero; service role only.
--   reset_due_quotas(now)   every subscription whose cycle_end_date has
--       passed: reset, and the cycle advanced by whole months past now. Run
--       by the River job in internal/products/streamvibe.
-- Each increment, decrement and reset writes a quota_usage_history row
-- (append-only) with the value after it and the tier's maximum, so the
-- counters can always be recounted from history.
-- quota_type is one of sync, ai_analysis, seo_submission (22023 otherwise).

-- +goose Up

-- ---------------------------------------------------------------------------
-- users, user_role: the shared core under the seed's names
-- ---------------------------------------------------------------------------

create view streamvibe.users with (security_invoker = true) as
  select id, email, full_name, avatar_url, timezone, language, is_onboarded, onboarded_at, created_at, updated_at
  from public.users;
comment on view streamvibe.users is 'Seed 003 users: public.users (one profile per person, made at signup).';
grant select on streamvibe.users to authenticated, service_role;
grant update (full_name, avatar_url, timezone, language, is_onboarded) on streamvibe.users to authenticated;
grant update on streamvibe.users to service_role;

create view streamvibe.user_role with (security_invoker = true) as
  select id, user_id, role, granted_by, granted_at, expires_at, created_at
  from public.user_roles;
comment on view streamvibe.user_role is 'Seed 003 user_role: public.user_roles; role is public.app_role (the seed''s app_role_enum, widened).';
grant select, delete on streamvibe.user_role to authenticated;
grant insert (user_id, role, expires_at), update (expires_at) on streamvibe.user_role to authenticated;
grant select, insert, update, delete on streamvibe.user_role to service_role;

-- ---------------------------------------------------------------------------
-- user_setting
-- ---------------------------------------------------------------------------

create table streamvibe.user_setting (
  user_id uuid primary key references public.users (id) on delete cascade,
  is_email_notifications_enabled boolean not null default true,
  is_push_notifications_enabled boolean not null default false,
  is_weekly_digest_enabled boolean not null default true,
  is_auto_sync_enabled boolean not null default true,
  sync_frequency_hours integer not null default 24
    constraint user_setting_sync_frequency_hours_check check (sync_frequency_hours between 1 and 720),
  is_auto_ai_analysis_enabled boolean not null default false,
  is_auto_apply_ai_suggestions_enabled boolean not null default false,
  is_auto_seo_submission_enabled boolean not null default false,
  is_profile_public boolean not null default false,
  is_analytics_enabled boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table streamvibe.user_setting is 'Preferences, one row per user, made at signup. is_profile_public lets others read public accounts and content.';
create trigger user_setting_set_updated_at before update on streamvibe.user_setting
  for each row execute function public.set_updated_at();

-- Whether a user's public accounts and content may be read by others.
-- SECURITY DEFINER: user_setting rows are private to their owner.
-- +goose StatementBegin
create function streamvibe.is_profile_public(user_id uuid) returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce((select s.is_profile_public from streamvibe.user_setting s where s.user_id = is_profile_public.user_id), false)
$$;
-- +goose StatementEnd
revoke execute on function streamvibe.is_profile_public(uuid) from public;
grant execute on function streamvibe.is_profile_public(uuid) to anon, authenticated, service_role;

alter table streamvibe.user_setting enable row level security;
revoke all on streamvibe.user_setting from public, anon, authenticated;
grant select on streamvibe.user_setting to authenticated;
grant insert (user_id, is_email_notifications_enabled, is_push_notifications_enabled, is_weekly_digest_enabled,
  is_auto_sync_enabled, sync_frequency_hours, is_auto_ai_analysis_enabled, is_auto_apply_ai_suggestions_enabled,
  is_auto_seo_submission_enabled, is_profile_public, is_analytics_enabled) on streamvibe.user_setting to authenticated;
grant update (is_email_notifications_enabled, is_push_notifications_enabled, is_weekly_digest_enabled,
  is_auto_sync_enabled, sync_frequency_hours, is_auto_ai_analysis_enabled, is_auto_apply_ai_suggestions_enabled,
  is_auto_seo_submission_enabled, is_profile_public, is_analytics_enabled) on streamvibe.user_setting to authenticated;
grant select, insert, update, delete on streamvibe.user_setting to service_role;
create policy user_setting_select on streamvibe.user_setting for select to authenticated
  using (user_id = (select auth.uid()) or (select public.has_role('admin')));
create policy user_setting_insert on streamvibe.user_setting for insert to authenticated
  with check (user_id = (select auth.uid()));
create policy user_setting_update on streamvibe.user_setting for update to authenticated
  using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));

-- ---------------------------------------------------------------------------
-- subscription
-- ---------------------------------------------------------------------------

create table streamvibe.subscription (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null unique references public.users (id) on delete cascade,
  tier_id uuid not null references streamvibe.subscription_tier (id) on delete restrict,
  status_id uuid not null references streamvibe.subscription_status (id) on delete restrict,
  syncs_used integer not null default 0 constraint subscription_syncs_used_check check (syncs_used >= 0),
  ai_analyses_used integer not null default 0 constraint subscription_ai_analyses_used_check check (ai_analyses_used >= 0),
  seo_submissions_used integer not null default 0 constraint subscription_seo_submissions_used_check check (seo_submissions_used >= 0),
  cycle_start_date timestamptz not null default now(),
  cycle_end_date timestamptz not null default (now() + interval '1 month'),
  next_billing_date timestamptz,
  stripe_customer_id text,
  stripe_subscription_id text unique,
  stripe_subscription_item_id_syncs text,
  stripe_subscription_item_id_ai text,
  stripe_subscription_item_id_seo text,
  is_auto_renew_enabled boolean not null default true,
  canceled_at timestamptz,
  cancellation_reason text constraint subscription_cancellation_reason_check check (char_length(cancellation_reason) <= 1000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint subscription_cycle_check check (cycle_end_date > cycle_start_date)
);
comment on table streamvibe.subscription is 'One per user: tier, status, billing cycle and the cycle''s quota counters (written only by the quota functions).';
comment on column streamvibe.subscription.syncs_used is 'Syncs this cycle. Changed only by consume_quota / release_quota / reset_quotas.';
create index subscription_tier_id_idx on streamvibe.subscription (tier_id);
create index subscription_status_id_idx on streamvibe.subscription (status_id);
create index subscription_cycle_end_date_idx on streamvibe.subscription (cycle_end_date);
create index subscription_stripe_customer_id_idx on streamvibe.subscription (stripe_customer_id) where stripe_customer_id is not null;
create trigger subscription_set_updated_at before update on streamvibe.subscription
  for each row execute function public.set_updated_at();

-- Counters move only inside the quota functions, which set
-- streamvibe.quota_write for the moment of their own UPDATE.
-- +goose StatementBegin
create function streamvibe.subscription_guard_counters() returns trigger
language plpgsql
set search_path = ''
as $$
declare
  col text;
begin
  if coalesce(pg_catalog.current_setting('streamvibe.quota_write', true), '') = 'on' then
    return new;
  end if;
  if tg_op = 'INSERT' then
    col := case when new.syncs_used <> 0 then 'syncs_used'
                when new.ai_analyses_used <> 0 then 'ai_analyses_used'
                when new.seo_submissions_used <> 0 then 'seo_submissions_used' end;
  else
    col := case when new.syncs_used is distinct from old.syncs_used then 'syncs_used'
                when new.ai_analyses_used is distinct from old.ai_analyses_used then 'ai_analyses_used'
                when new.seo_submissions_used is distinct from old.seo_submissions_used then 'seo_submissions_used' end;
  end if;
  if col is not null then
    raise exception '%: quota counters change only through streamvibe.consume_quota, release_quota and reset_quotas', col
      using errcode = '42501', column = col, table = 'subscription', schema = 'streamvibe';
  end if;
  return new;
end
$$;
-- +goose StatementEnd
revoke execute on function streamvibe.subscription_guard_counters() from public;
create trigger subscription_guard_counters before insert or update on streamvibe.subscription
  for each row execute function streamvibe.subscription_guard_counters();

alter table streamvibe.subscription enable row level security;
revoke all on streamvibe.subscription from public, anon, authenticated;
grant select on streamvibe.subscription to authenticated;
grant update (is_auto_renew_enabled) on streamvibe.subscription to authenticated;
grant select, insert, update, delete on streamvibe.subscription to service_role;
create policy subscription_select on streamvibe.subscription for select to authenticated
  using (user_id = (select auth.uid()) or (select public.has_role('admin')));
create policy subscription_update on streamvibe.subscription for update to authenticated
  using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));

-- ---------------------------------------------------------------------------
-- quota_usage_history
-- ---------------------------------------------------------------------------

create table streamvibe.quota_usage_history (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references public.users (id) on delete cascade,
  quota_type text not null constraint quota_usage_history_quota_type_check check (quota_type in ('sync', 'ai_analysis', 'seo_submission')),
  operation text not null constraint quota_usage_history_operation_check check (operation in ('increment', 'decrement', 'reset')),
  amount integer not null constraint quota_usage_history_amount_check check (amount >= 0),
  current_value integer not null constraint quota_usage_history_current_value_check check (current_value >= 0),
  max_value integer,
  related_entity_type text,
  related_entity_id uuid,
  reason text constraint quota_usage_history_reason_check check (char_length(reason) <= 500),
  billing_cycle_start timestamptz not null,
  billing_cycle_end timestamptz not null,
  created_at timestamptz not null default now(),
  -- The seed's "subscription tracks quota_usage_history": one subscription per user.
  constraint quota_usage_history_subscription_fkey foreign key (user_id)
    references streamvibe.subscription (user_id) on delete cascade
);
comment on table streamvibe.quota_usage_history is 'Append-only: every quota increment, decrement and reset, with the value after it.';
create index quota_usage_history_user_id_created_at_idx on streamvibe.quota_usage_history (user_id, created_at desc);
create index quota_usage_history_related_idx on streamvibe.quota_usage_history (related_entity_type, related_entity_id)
  where related_entity_id is not null;
create trigger quota_usage_history_forbid_update before update on streamvibe.quota_usage_history
  for each row execute function events.forbid_change();

alter table streamvibe.quota_usage_history enable row level security;
revoke all on streamvibe.quota_usage_history from public, anon, authenticated, service_role;
grant select on streamvibe.quota_usage_history to authenticated, service_role;
create policy quota_usage_history_select on streamvibe.quota_usage_history for select to authenticated
  using (user_id = (select auth.uid()) or (select public.has_role('admin')));

-- ---------------------------------------------------------------------------
-- Signup: settings and a free subscription for every user
-- ---------------------------------------------------------------------------

-- +goose StatementBegin
create function streamvibe.handle_new_user() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into streamvibe.user_setting (user_id) values (new.id) on conflict do nothing;
  insert into streamvibe.subscription (user_id, tier_id, status_id, cycle_start_date, cycle_end_date)
  select new.id, t.id, s.id, pg_catalog.now(), pg_catalog.now() + interval '1 month'
  from streamvibe.subscription_tier t, streamvibe.subscription_status s
  where t.slug = 'free' and s.slug = 'active'
  on conflict (user_id) do nothing;
  return new;
end
$$;
-- +goose StatementEnd
revoke execute on function streamvibe.handle_new_user() from public;
create trigger streamvibe_on_user_created after insert on public.users
  for each row execute function streamvibe.handle_new_user();

-- Users who signed up before StreamVibe existed.
insert into streamvibe.user_setting (user_id) select id from public.users on conflict do nothing;
insert into streamvibe.subscription (user_id, tier_id, status_id)
select u.id, t.id, s.id from public.users u, streamvibe.subscription_tier t, streamvibe.subscription_status s
where t.slug = 'free' and s.slug = 'active'
on conflict (user_id) do nothing;

-- ---------------------------------------------------------------------------
-- Quota functions
-- ---------------------------------------------------------------------------

-- +goose StatementBegin
create function streamvibe.check_quota_type(quota_type text) returns void
language plpgsql
immutable
set search_path = ''
as $$
begin
  if quota_type is null or quota_type not in ('sync', 'ai_analysis', 'seo_submission') then
    raise exception 'quota_type %: must be sync, ai_analysis or seo_submission', coalesce(quota_type, 'null')
      using errcode = '22023', column = 'quota_type';
  end if;
end
$$;
-- +goose StatementEnd
revoke execute on function streamvibe.check_quota_type(text) from public;

-- consume_quota: the one increment. Returns the counter's new value.
-- +goose StatementBegin
create function streamvibe.consume_quota(
  quota_type text,
  amount integer default 1,
  user_id uuid default null,
  related_entity_type text default null,
  related_entity_id uuid default null,
  reason text default null
) returns integer
language plpgsql
volatile
security definer
set search_path = ''
as $$
#variable_conflict use_variable
declare
  caller uuid := auth.uid();
  target uuid := coalesce(user_id, caller);
  new_value integer;
  max_value integer;
  cycle_start timestamptz;
  cycle_end timestamptz;
  status_slug text;
  active boolean;
  used integer;
begin
  perform streamvibe.check_quota_type(quota_type);
  if amount is null or amount < 1 then
    raise exception 'amount must be a positive integer' using errcode = '22023', column = 'amount';
  end if;
  if target is null then
    raise exception 'user_id is required' using errcode = '22004', column = 'user_id';
  end if;
  if caller is not null and target <> caller and auth.role() is distinct from 'service_role' then
    raise exception 'a user may consume only their own quota' using errcode = '42501';
  end if;

  perform pg_catalog.set_config('streamvibe.quota_write', 'on', true);
  update streamvibe.subscription s set
    syncs_used = s.syncs_used + case when quota_type = 'sync' then amount else 0 end,
    ai_analyses_used = s.ai_analyses_used + case when quota_type = 'ai_analysis' then amount else 0 end,
    seo_submissions_used = s.seo_submissions_used + case when quota_type = 'seo_submission' then amount else 0 end
  from streamvibe.subscription_tier t, streamvibe.subscription_status st
  where s.user_id = target and t.id = s.tier_id and st.id = s.status_id and st.is_active_state
    and coalesce(
          (case quota_type when 'sync' then s.syncs_used
                           when 'ai_analysis' then s.ai_analyses_used
                           else s.seo_submissions_used end) + amount
            <= (case quota_type when 'sync' then t.max_syncs_per_month
                                when 'ai_analysis' then t.max_ai_analyses_per_month
                                else t.max_seo_submissions_per_month end),
          true)  -- a null maximum is unlimited
  returning case quota_type when 'sync' then s.syncs_used
                            when 'ai_analysis' then s.ai_analyses_used
                            else s.seo_submissions_used end,
            case quota_type when 'sync' then t.max_syncs_per_month
                            when 'ai_analysis' then t.max_ai_analyses_per_month
                            else t.max_seo_submissions_per_month end,
            s.cycle_start_date, s.cycle_end_date
  into new_value, max_value, cycle_start, cycle_end;
  perform pg_catalog.set_config('streamvibe.quota_write', 'off', true);

  if new_value is null then
    select st.slug, st.is_active_state,
           case quota_type when 'sync' then s.syncs_used when 'ai_analysis' then s.ai_analyses_used else s.seo_submissions_used end,
           case quota_type when 'sync' then t.max_syncs_per_month when 'ai_analysis' then t.max_ai_analyses_per_month
                           else t.max_seo_submissions_per_month end
    into status_slug, active, used, max_value
    from streamvibe.subscription s
    join streamvibe.subscription_tier t on t.id = s.tier_id
    join streamvibe.subscription_status st on st.id = s.status_id
    where s.user_id = target;
    if status_slug is null then
      raise exception 'no StreamVibe subscription for this user' using errcode = 'PT404';
    elsif not active then
      raise exception 'subscription is %: quotas cannot be used', status_slug
        using errcode = 'PT402', hint = 'Renew or reactivate the subscription.';
    end if;
    raise exception '% quota exhausted: % of % used this cycle', quota_type, used, max_value
      using errcode = 'PT402', column = quota_type,
            detail = pg_catalog.format('requested %s, remaining %s', amount, greatest(max_value - used, 0)),
            hint = 'Wait for the next billing cycle or upgrade the subscription tier.';
  end if;

  insert into streamvibe.quota_usage_history (user_id, quota_type, operation, amount, current_value, max_value,
    related_entity_type, related_entity_id, reason, billing_cycle_start, billing_cycle_end)
  values (target, quota_type, 'increment', amount, new_value, max_value,
    related_entity_type, related_entity_id, reason, cycle_start, cycle_end);
  return new_value;
end
$$;
-- +goose StatementEnd
revoke execute on function streamvibe.consume_quota(text, integer, uuid, text, uuid, text) from public;
grant execute on function streamvibe.consume_quota(text, integer, uuid, text, uuid, text) to authenticated, service_role;
comment on function streamvibe.consume_quota(text, integer, uuid, text, uuid, text) is
  'Use amount units of a quota (sync, ai_analysis, seo_submission). Refuses past the tier maximum or in an inactive status: SQLSTATE PT402 (HTTP 402).';

-- release_quota: a refund (the upstream call failed). Service role only.
-- +goose StatementBegin
create function streamvibe.release_quota(
  quota_type text,
  amount integer,
  user_id uuid,
  related_entity_type text default null,
  related_entity_id uuid default null,
  reason text default null
) returns integer
language plpgsql
volatile
security definer
set search_path = ''
as $$
#variable_conflict use_variable
declare
  new_value integer;
  max_value integer;
  cycle_start timestamptz;
  cycle_end timestamptz;
begin
  perform streamvibe.check_quota_type(quota_type);
  if amount is null or amount < 1 then
    raise exception 'amount must be a positive integer' using errcode = '22023', column = 'amount';
  end if;
  perform pg_catalog.set_config('streamvibe.quota_write', 'on', true);
  update streamvibe.subscription s set
    syncs_used = s.syncs_used - case when quota_type = 'sync' then amount else 0 end,
    ai_analyses_used = s.ai_analyses_used - case when quota_type = 'ai_analysis' then amount else 0 end,
    seo_submissions_used = s.seo_submissions_used - case when quota_type = 'seo_submission' then amount else 0 end
  from streamvibe.subscription_tier t
  where s.user_id = release_quota.user_id and t.id = s.tier_id
    and (case quota_type when 'sync' then s.syncs_used when 'ai_analysis' then s.ai_analyses_used
                         else s.seo_submissions_used end) >= amount
  returning case quota_type when 'sync' then s.syncs_used when 'ai_analysis' then s.ai_analyses_used
                            else s.seo_submissions_used end,
            case quota_type when 'sync' then t.max_syncs_per_month when 'ai_analysis' then t.max_ai_analyses_per_month
                            else t.max_seo_submissions_per_month end,
            s.cycle_start_date, s.cycle_end_date
  into new_value, max_value, cycle_start, cycle_end;
  perform pg_catalog.set_config('streamvibe.quota_write', 'off', true);
  if new_value is null then
    if not exists (select 1 from streamvibe.subscription s where s.user_id = release_quota.user_id) then
      raise exception 'no StreamVibe subscription for this user' using errcode = 'PT404';
    end if;
    raise exception 'cannot release % % units: fewer are used this cycle', amount, quota_type
      using errcode = '22023', column = 'amount';
  end if;
  insert into streamvibe.quota_usage_history (user_id, quota_type, operation, amount, current_value, max_value,
    related_entity_type, related_entity_id, reason, billing_cycle_start, billing_cycle_end)
  values (release_quota.user_id, quota_type, 'decrement', amount, new_value, max_value,
    related_entity_type, related_entity_id, reason, cycle_start, cycle_end);
  return new_value;
end
$$;
-- +goose StatementEnd
revoke execute on function streamvibe.release_quota(text, integer, uuid, text, uuid, text) from public;
grant execute on function streamvibe.release_quota(text, integer, uuid, text, uuid, text) to service_role;

-- reset_quotas: the three counters to zero, one history row each, with
-- the cycle being closed. Returns false when the user has no subscription.
-- +goose StatementBegin
create function streamvibe.reset_quotas(user_id uuid, reason text default 'manual reset') returns boolean
language plpgsql
volatile
security definer
set search_path = ''
as $$
#variable_conflict use_variable
declare
  s record;
begin
  select sub.syncs_used, sub.ai_analyses_used, sub.seo_submissions_used, sub.cycle_start_date, sub.cycle_end_date,
         t.max_syncs_per_month, t.max_ai_analyses_per_month, t.max_seo_submissions_per_month
  into s
  from streamvibe.subscription sub join streamvibe.subscription_tier t on t.id = sub.tier_id
  where sub.user_id = reset_quotas.user_id
  for update of sub;
  if not found then
    return false;
  end if;
  perform pg_catalog.set_config('streamvibe.quota_write', 'on', true);
  update streamvibe.subscription sub set syncs_used = 0, ai_analyses_used = 0, seo_submissions_used = 0
  where sub.user_id = reset_quotas.user_id;
  perform pg_catalog.set_config('streamvibe.quota_write', 'off', true);
  insert into streamvibe.quota_usage_history (user_id, quota_type, operation, amount, current_value, max_value,
    reason, billing_cycle_start, billing_cycle_end)
  values
    (reset_quotas.user_id, 'sync', 'reset', s.syncs_used, 0, s.max_syncs_per_month, reason, s.cycle_start_date, s.cycle_end_date),
    (reset_quotas.user_id, 'ai_analysis', 'reset', s.ai_analyses_used, 0, s.max_ai_analyses_per_month, reason, s.cycle_start_date, s.cycle_end_date),
    (reset_quotas.user_id, 'seo_submission', 'reset', s.seo_submissions_used, 0, s.max_seo_submissions_per_month, reason, s.cycle_start_date, s.cycle_end_date);
  return true;
end
$$;
-- +goose StatementEnd
revoke execute on function streamvibe.reset_quotas(uuid, text) from public;
grant execute on function streamvibe.reset_quotas(uuid, text) to service_role;

-- reset_due_quotas: every subscription whose cycle has ended by as_of is
-- reset and moved to the cycle containing as_of (whole months from the old
-- end, so a missed run catches up in one step). Rows locked by someone else
-- are skipped and picked up by the next run. Returns the number reset.
-- +goose StatementBegin
create function streamvibe.reset_due_quotas(as_of timestamptz default now(), batch_size integer default 1000) returns integer
language plpgsql
volatile
security definer
set search_path = ''
as $$
#variable_conflict use_variable
declare
  sub record;
  n integer := 0;
  new_start timestamptz;
  new_end timestamptz;
begin
  for sub in
    select s.user_id, s.cycle_end_date
    from streamvibe.subscription s
    where s.cycle_end_date <= as_of
    order by s.cycle_end_date
    limit batch_size
    for update skip locked
  loop
    perform streamvibe.reset_quotas(sub.user_id, 'cycle_end');
    new_start := sub.cycle_end_date;
    new_end := sub.cycle_end_date + interval '1 month';
    while new_end <= as_of loop
      new_start := new_end;
      new_end := new_end + interval '1 month';
    end loop;
    update streamvibe.subscription s
    set cycle_start_date = new_start, cycle_end_date = new_end,
        next_billing_date = case when s.next_billing_date is null then null else new_end end
    where s.user_id = sub.user_id;
    n := n + 1;
  end loop;
  return n;
end
$$;
-- +goose StatementEnd
revoke execute on function streamvibe.reset_due_quotas(timestamptz, integer) from public;
grant execute on function streamvibe.reset_due_quotas(timestamptz, integer) to service_role;

-- Subscription changes are audited from here on (not the backfill above).
create trigger subscription_audit after insert or update or delete on streamvibe.subscription
  for each row execute function events.audit_trigger();

-- +goose Down
drop function if exists streamvibe.reset_due_quotas(timestamptz, integer);
drop function if exists streamvibe.reset_quotas(uuid, text);
drop function if exists streamvibe.release_quota(text, integer, uuid, text, uuid, text);
drop function if exists streamvibe.consume_quota(text, integer, uuid, text, uuid, text);
drop function if exists streamvibe.check_quota_type(text);
drop trigger if exists streamvibe_on_user_created on public.users;
drop function if exists streamvibe.handle_new_user();
drop table if exists streamvibe.quota_usage_history;
drop table if exists streamvibe.subscription;
drop function if exists streamvibe.subscription_guard_counters();
drop function if exists streamvibe.is_profile_public(uuid);
drop table if exists streamvibe.user_setting;
drop view if exists streamvibe.user_role;
drop view if exists streamvibe.users;
