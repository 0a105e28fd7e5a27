-- Influencer Platform (seed 004): the schema, its helpers and the plans.
--
-- Every table of the seed lives in schema influencer, except the three the
-- shared core keeps once for every product: system_configurations
-- (system.configurations, 0016), events (events.events, 0021) and
-- background_jobs (River's system.river_job). 0405 adds read-only
-- compatibility views for the first two; see docs/schema-decisions.md.
--
-- pg_trgm (for the trigram index on user_profiles.full_name, 0401) is
-- installed into schema extensions if missing. Other products may come to
-- rely on it, so Down drops it only if this migration created it (recorded
-- in the comment on the schema); a later migration that needs it should
-- also say `create extension if not exists`.
--
-- SQLSTATEs raised by this product (PostgREST's PTxxx convention: the
-- Data API answers with that HTTP status):
--   PT402  a plan limit is reached (campaigns_limit, creators_limit)
--   PT409  a status transition that is not allowed (trial_status,
--          scraping_jobs.status, onboarding going back)
--   22023  bad input a CHECK cannot express (keywords, platform), with
--          COLUMN set to the column at fault
--   23503  a referenced row that is not the caller's or does not exist

-- +goose Up
create schema influencer;
comment on schema influencer is 'Influencer Platform (seed 004). Frontends use createClient(url, key, { db: { schema: ''influencer'' } }).';
grant usage on schema influencer to anon, authenticated, service_role;
revoke all on schema influencer from public;

-- +goose StatementBegin
do $$
begin
  if not exists (select 1 from pg_extension where extname = 'pg_trgm') then
    create extension pg_trgm schema extensions;
    comment on schema influencer is 'Influencer Platform (seed 004). Frontends use createClient(url, key, { db: { schema: ''influencer'' } }). [created pg_trgm]';
  end if;
end
$$;
-- +goose StatementEnd

-- +goose StatementBegin
create function influencer.update_updated_at_column() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := pg_catalog.now();
  return new;
end
$$;
-- +goose StatementEnd
revoke execute on function influencer.update_updated_at_column() from public;

-- The source_system of an event caused by the current request.
-- +goose StatementBegin
create function influencer.event_source() returns text
language sql
stable
set search_path = ''
as $$
  select case coalesce(auth.role(), '')
    when 'authenticated' then 'user_action'
    when 'service_role' then 'service'
    else 'system' end
$$;
-- +goose StatementEnd
revoke execute on function influencer.event_source() from public;

-- subscription_plans: the seed's table. Prices in integer cents;
-- a limit of -1 means unlimited. The Stripe price ids are nullable (the
-- seed: NOT NULL) because the seeded rows cannot know a deployment's ids;
-- a paid plan without them cannot be checked out, which billing decides.
create table influencer.subscription_plans (
  id uuid primary key default gen_random_uuid(),
  plan_key varchar(50) not null unique
    constraint subscription_plans_plan_key_check check (plan_key ~ '^[a-z][a-z0-9_]*$'),
  display_name text not null constraint subscription_plans_display_name_check check (btrim(display_name) <> ''),
  description text,
  monthly_price integer not null constraint subscription_plans_monthly_price_check check (monthly_price >= 0),
  yearly_price integer constraint subscription_plans_yearly_price_check check (yearly_price >= 0),
  stripe_monthly_price_id text,
  stripe_yearly_price_id text,
  campaigns_limit integer not null constraint subscription_plans_campaigns_limit_check check (campaigns_limit >= -1),
  creators_limit integer not null constraint subscription_plans_creators_limit_check check (creators_limit >= -1),
  features jsonb not null default '{}'
    constraint subscription_plans_features_check check (jsonb_typeof(features) = 'object'),
  is_active boolean not null default true,
  sort_order integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table influencer.subscription_plans is 'Plans and their limits (seed 004 section 8). Prices in cents; a limit of -1 is unlimited. Public read of active plans.';
comment on column influencer.subscription_plans.campaigns_limit is 'Campaigns a user may have at once; -1: unlimited.';
comment on column influencer.subscription_plans.creators_limit is 'Creators (target_results of jobs) per usage month; -1: unlimited.';
create trigger update_subscription_plans_updated_at before update on influencer.subscription_plans
  for each row execute function influencer.update_updated_at_column();

insert into influencer.subscription_plans
  (plan_key, display_name, description, monthly_price, yearly_price, campaigns_limit, creators_limit, features, sort_order)
values
  ('free', 'Free', 'Try the search on a small scale.', 0, 0, 1, 50,
   '{"platforms": ["TikTok", "Instagram", "YouTube"], "keyword_search": true, "similar_search": false, "csv_export": false, "email_extraction": false, "api_access": false, "support": "community"}', 0),
  ('glow_up', 'Glow Up Plan', 'For brands starting with creators.', 9900, 95000, 3, 1000,
   '{"platforms": ["TikTok", "Instagram", "YouTube"], "keyword_search": true, "similar_search": true, "csv_export": true, "email_extraction": true, "api_access": false, "support": "email"}', 1),
  ('viral_surge', 'Viral Surge Plan', 'For teams running several campaigns a month.', 24900, 239000, 10, 10000,
   '{"platforms": ["TikTok", "Instagram", "YouTube"], "keyword_search": true, "similar_search": true, "csv_export": true, "email_extraction": true, "api_access": false, "support": "priority"}', 2),
  ('fame_flex', 'Fame Flex Plan', 'Unlimited campaigns and creators for agencies.', 49900, 479000, -1, -1,
   '{"platforms": ["TikTok", "Instagram", "YouTube"], "keyword_search": true, "similar_search": true, "csv_export": true, "email_extraction": true, "api_access": true, "support": "dedicated"}', 3);

alter table influencer.subscription_plans enable row level security;
revoke all on influencer.subscription_plans from public, anon, authenticated;
grant select on influencer.subscription_plans to anon, authenticated;
grant select, insert, update, delete on influencer.subscription_plans to service_role;
create policy "Anyone can read active plans" on influencer.subscription_plans
  for select to anon, authenticated using (is_active or (select public.has_role('admin')));

-- +goose Down
drop table if exists influencer.subscription_plans;
drop function if exists influencer.event_source();
drop function if exists influencer.update_updated_at_column();
-- +goose StatementBegin
do $$
begin
  if obj_description('influencer'::regnamespace, 'pg_namespace') like '%[created pg_trgm]%' then
    drop extension if exists pg_trgm;
  end if;
end
$$;
-- +goose StatementEnd
drop schema if exists influencer;
