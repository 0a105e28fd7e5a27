-- CreatorPulse: a billing period counts the usage recorded since it began.
--
-- 0106's record_usage() took the period's first day in UTC and compared it
-- with usage_date, the day in the creator's time zone, so usage near a
-- period boundary could count in the neighbouring period for creators far
-- from UTC. The period now starts at an instant (current_period_start, or
-- the start of the calendar month in the creator's time zone) and usage
-- counts from the instant it was recorded (created_at).
-- creatorpulse.user_timezone() is the one place a user's zone is chosen.

-- +goose Up
-- +goose StatementBegin
create function creatorpulse.user_timezone(user_uuid uuid) returns text
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(
    (select p.timezone from creatorpulse.creator_profiles p where p.user_id = user_uuid),
    (select u.timezone from public.users u where u.id = user_uuid),
    'UTC')
$$;
-- +goose StatementEnd
revoke execute on function creatorpulse.user_timezone(uuid) from public;
comment on function creatorpulse.user_timezone(uuid) is
  'The creator''s time zone: their CreatorPulse profile''s, else their account''s, else UTC.';

-- +goose StatementBegin
create or replace function creatorpulse.local_date(user_uuid uuid) returns date
language sql
stable
security definer
set search_path = ''
as $$
  select (pg_catalog.now() at time zone creatorpulse.user_timezone(user_uuid))::date
$$;
-- +goose StatementEnd

-- +goose StatementBegin
create or replace function creatorpulse.record_usage(
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
  period_from timestamptz;
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
    -- The period starts at an instant; usage counts from the instant it
    -- was recorded. usage_date (the creator's local day) only narrows the
    -- index scan: every time zone is within a day of UTC.
    period_from := coalesce(bill.current_period_start,
      pg_catalog.date_trunc('month', pg_catalog.now(), creatorpulse.user_timezone(user_uuid)));
    select coalesce(sum(u.credits_consumed), 0) into used
    from creatorpulse.usage_tracking u
    where u.user_id = user_uuid
      and u.usage_date >= (period_from at time zone 'UTC')::date - 1
      and u.created_at >= period_from;
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
                detail = pg_catalog.format('%s needs %s credits; %s used since %s.', action_type, credits, used, period_from),
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

-- +goose Down
-- +goose StatementBegin
create or replace function creatorpulse.record_usage(
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

-- +goose StatementBegin
create or replace function creatorpulse.local_date(user_uuid uuid) returns date
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
drop function creatorpulse.user_timezone(uuid);
