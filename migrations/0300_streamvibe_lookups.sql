-- StreamVibe (seed 003): the schema, its enums and its lookup tables.
--
-- Lookups the shared core already holds are views here, so that a
-- StreamVibe frontend (createClient(..., { db: { schema: 'streamvibe' } }))
-- reads them under the seed's names while every product shares one catalog:
--   platform     view over public.platforms, the seed's five slugs
--                (youtube, instagram, tiktok, facebook, twitter; linkedin is
--                CreatorPulse's). Product tables reference public.platforms(id)
--                and a trigger refuses a platform outside this view.
--   ai_provider  view over public.ai_providers (openai, anthropic, google,
--                local: the seed's four).
--   ai_model     view over public.ai_models with the seed's column names
--                (model_name = slug, max_context_tokens = context_window,
--                costs per 1k tokens in USD = list price per million / 1000).
-- Lookups only StreamVibe has are tables: content_type (7),
-- subscription_tier (3, with quotas and prices), subscription_status (5),
-- account_status (4), search_engine (4). Everyone reads them; admins
-- (public.has_role('admin')) and the service role maintain them.
--
-- Enums: app_role_enum is public.app_role (the shared user_roles); the
-- others are streamvibe types.

-- +goose Up
create schema streamvibe;
comment on schema streamvibe is 'StreamVibe (seed 003): content sync, AI suggestions and SEO submission.';
revoke all on schema streamvibe from public;
grant usage on schema streamvibe to anon, authenticated, service_role;

create type streamvibe.action_mode_enum as enum ('auto', 'manual', 'disabled');
create type streamvibe.visibility_enum as enum ('public', 'unlisted', 'private');
create type streamvibe.notification_type_enum as enum (
  'sync_completed', 'sync_failed', 'ai_suggestion_ready', 'ai_suggestion_applied',
  'seo_submitted', 'seo_indexed', 'seo_failed', 'quota_warning', 'quota_exceeded',
  'subscription_updated', 'account_disconnected', 'system');
grant usage on type streamvibe.action_mode_enum, streamvibe.visibility_enum,
  streamvibe.notification_type_enum to anon, authenticated, service_role;

-- ---------------------------------------------------------------------------
-- Views over the shared catalogs
-- ---------------------------------------------------------------------------

-- The platforms StreamVibe syncs. Used by the product tables' trigger.
-- +goose StatementBegin
create function streamvibe.is_supported_platform(platform_id uuid) returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.platforms p
    where p.id = is_supported_platform.platform_id
      and p.slug in ('youtube', 'instagram', 'tiktok', 'facebook', 'twitter'))
$$;
-- +goose StatementEnd
revoke execute on function streamvibe.is_supported_platform(uuid) from public;
grant execute on function streamvibe.is_supported_platform(uuid) to anon, authenticated, service_role;

create view streamvibe.platform with (security_invoker = true) as
  select id, slug, display_name, description, website_url, logo_url, api_docs_url,
         is_oauth_required, is_active, sort_order, created_at, updated_at
  from public.platforms
  where slug in ('youtube', 'instagram', 'tiktok', 'facebook', 'twitter');
comment on view streamvibe.platform is 'Seed 003 platform lookup: the StreamVibe platforms of public.platforms. Written through public.platforms (admins).';

create view streamvibe.ai_provider with (security_invoker = true) as
  select id, slug, display_name, base_url, is_api_key_required, is_streaming_supported,
         is_active, created_at, updated_at
  from public.ai_providers;
comment on view streamvibe.ai_provider is 'Seed 003 ai_provider lookup over public.ai_providers.';

create view streamvibe.ai_model with (security_invoker = true) as
  select id, provider_id, slug as model_name, display_name,
         array[kind] as capabilities,
         context_window as max_context_tokens,
         round(input_usd_per_mtok / 1000, 6) as input_cost_per_1k_tokens,
         round(output_usd_per_mtok / 1000, 6) as output_cost_per_1k_tokens,
         is_active, created_at, updated_at
  from public.ai_models;
comment on view streamvibe.ai_model is 'Seed 003 ai_model over public.ai_models; costs in USD per 1k tokens.';

grant select on streamvibe.platform, streamvibe.ai_provider, streamvibe.ai_model to anon, authenticated, service_role;

-- Refuses a platform_id outside streamvibe.platform, naming the column.
-- +goose StatementBegin
create function streamvibe.check_platform() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.platform_id is not null and not streamvibe.is_supported_platform(new.platform_id) then
    raise exception 'platform_id %: not a StreamVibe platform', new.platform_id
      using errcode = '23503', column = 'platform_id', table = tg_table_name, schema = tg_table_schema,
            hint = 'Use an id from streamvibe.platform (youtube, instagram, tiktok, facebook, twitter).';
  end if;
  return new;
end
$$;
-- +goose StatementEnd
revoke execute on function streamvibe.check_platform() from public;

-- ---------------------------------------------------------------------------
-- StreamVibe's own lookups
-- ---------------------------------------------------------------------------

create table streamvibe.content_type (
  id uuid primary key default gen_random_uuid(),
  slug text not null unique constraint content_type_slug_check check (slug ~ '^[a-z][a-z0-9_]{1,49}$'),
  display_name text not null constraint content_type_display_name_check check (char_length(display_name) between 1 and 100),
  description text,
  is_active boolean not null default true,
  sort_order integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table streamvibe.content_type is 'Kinds of content item (seed 003: 7).';

create table streamvibe.subscription_tier (
  id uuid primary key default gen_random_uuid(),
  slug text not null unique constraint subscription_tier_slug_check check (slug ~ '^[a-z][a-z0-9_]{1,49}$'),
  display_name text not null,
  description text,
  max_social_accounts integer constraint subscription_tier_max_social_accounts_check check (max_social_accounts >= 0),
  max_syncs_per_month integer constraint subscription_tier_max_syncs_per_month_check check (max_syncs_per_month >= 0),
  max_ai_analyses_per_month integer constraint subscription_tier_max_ai_analyses_per_month_check check (max_ai_analyses_per_month >= 0),
  max_seo_submissions_per_month integer constraint subscription_tier_max_seo_submissions_per_month_check check (max_seo_submissions_per_month >= 0),
  price_cents integer not null default 0 constraint subscription_tier_price_cents_check check (price_cents >= 0),
  currency text not null default 'usd' constraint subscription_tier_currency_check check (currency ~ '^[a-z]{3}$'),
  stripe_price_id text,
  stripe_product_id text,
  is_featured boolean not null default false,
  is_active boolean not null default true,
  sort_order integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table streamvibe.subscription_tier is 'Pricing tiers and their monthly quotas (null max: unlimited). Prices in integer cents.';

create table streamvibe.subscription_status (
  id uuid primary key default gen_random_uuid(),
  slug text not null unique constraint subscription_status_slug_check check (slug ~ '^[a-z][a-z0-9_]{1,49}$'),
  display_name text not null,
  description text,
  is_active_state boolean not null default false,
  created_at timestamptz not null default now()
);
comment on table streamvibe.subscription_status is 'Subscription states; quotas are consumed only in an is_active_state status.';

create table streamvibe.account_status (
  id uuid primary key default gen_random_uuid(),
  slug text not null unique constraint account_status_slug_check check (slug ~ '^[a-z][a-z0-9_]{1,49}$'),
  display_name text not null,
  description text,
  created_at timestamptz not null default now()
);
comment on table streamvibe.account_status is 'Social account connection states.';

create table streamvibe.search_engine (
  id uuid primary key default gen_random_uuid(),
  slug text not null unique constraint search_engine_slug_check check (slug ~ '^[a-z][a-z0-9_]{1,49}$'),
  display_name text not null,
  api_endpoint text,
  api_docs_url text,
  supports_indexnow boolean not null default false,
  is_active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table streamvibe.search_engine is 'SEO indexing services.';

create trigger content_type_set_updated_at before update on streamvibe.content_type
  for each row execute function public.set_updated_at();
create trigger subscription_tier_set_updated_at before update on streamvibe.subscription_tier
  for each row execute function public.set_updated_at();
create trigger search_engine_set_updated_at before update on streamvibe.search_engine
  for each row execute function public.set_updated_at();

insert into streamvibe.content_type (slug, display_name, description, sort_order) values
  ('long_video', 'Long video', 'Videos longer than a minute (YouTube videos, Facebook videos)', 10),
  ('short_video', 'Short video', 'Vertical videos up to a minute (YouTube Shorts, TikTok)', 20),
  ('image', 'Image', 'A single photo or graphic', 30),
  ('carousel', 'Carousel', 'Several images or videos in one post', 40),
  ('story', 'Story', 'Content that expires after 24 hours', 50),
  ('reel', 'Reel', 'Instagram and Facebook reels', 60),
  ('post', 'Post', 'A text post, with or without media', 70);

-- Quotas and prices are StreamVibe's choice (the seed names the columns only).
insert into streamvibe.subscription_tier (slug, display_name, description, max_social_accounts, max_syncs_per_month,
    max_ai_analyses_per_month, max_seo_submissions_per_month, price_cents, currency, is_featured, sort_order) values
  ('free', 'Free', 'One account, a taste of AI suggestions', 1, 30, 10, 10, 0, 'usd', false, 10),
  ('basic', 'Basic', 'For growing creators', 5, 300, 100, 100, 999, 'usd', true, 20),
  ('premium', 'Premium', 'For professionals and small teams', 25, 3000, 1000, 1000, 2999, 'usd', false, 30);

insert into streamvibe.subscription_status (slug, display_name, description, is_active_state) values
  ('active', 'Active', 'Paid up or on the free tier', true),
  ('trialing', 'Trialing', 'In a free trial', true),
  ('past_due', 'Past due', 'A payment failed; quotas are paused', false),
  ('canceled', 'Canceled', 'Ended by the user or by billing', false),
  ('paused', 'Paused', 'Paused by the user', false);

insert into streamvibe.account_status (slug, display_name, description) values
  ('active', 'Active', 'Connected and syncing'),
  ('inactive', 'Inactive', 'Connected, not syncing'),
  ('suspended', 'Suspended', 'Suspended by the platform or by StreamVibe'),
  ('disconnected', 'Disconnected', 'The connection was revoked or expired');

insert into streamvibe.search_engine (slug, display_name, api_endpoint, api_docs_url, supports_indexnow) values
  ('google', 'Google', 'https://indexing.googleapis.com/v3/urlNotifications:publish', 'https://developers.google.com/search/apis/indexing-api/v3/quickstart', false),
  ('bing', 'Bing', 'https://ssl.bing.com/webmaster/api.svc/json/SubmitUrlBatch', 'https://learn.microsoft.com/bingwebmaster/', true),
  ('yandex', 'Yandex', 'https://yandex.com/indexnow', 'https://yandex.com/support/webmaster/indexnow/', true),
  ('indexnow', 'IndexNow', 'https://api.indexnow.org/indexnow', 'https://www.indexnow.org/documentation', true);

-- Tier changes (prices, quotas) are audited; the seed rows above are not.
create trigger subscription_tier_audit after insert or update or delete on streamvibe.subscription_tier
  for each row execute function events.audit_trigger();

-- Everyone reads the lookups; admins and the service role write them.
-- +goose StatementBegin
do $$
declare
  t text;
begin
  foreach t in array array['content_type', 'subscription_tier', 'subscription_status', 'account_status', 'search_engine'] loop
    execute format('alter table streamvibe.%I enable row level security', t);
    execute format('revoke all on streamvibe.%I from public, anon, authenticated', t);
    execute format('grant select on streamvibe.%I to anon, authenticated', t);
    execute format('grant insert, update, delete on streamvibe.%I to authenticated', t);
    execute format('grant select, insert, update, delete on streamvibe.%I to service_role', t);
    execute format('create policy %I on streamvibe.%I for select to anon, authenticated using (true)', t || '_select', t);
    execute format('create policy %I on streamvibe.%I for insert to authenticated with check ((select public.has_role(''admin'')))', t || '_insert_admin', t);
    execute format('create policy %I on streamvibe.%I for update to authenticated using ((select public.has_role(''admin''))) with check ((select public.has_role(''admin'')))', t || '_update_admin', t);
    execute format('create policy %I on streamvibe.%I for delete to authenticated using ((select public.has_role(''admin'')))', t || '_delete_admin', t);
  end loop;
end
$$;
-- +goose StatementEnd

-- +goose Down
drop table if exists streamvibe.search_engine;
drop table if exists streamvibe.account_status;
drop table if exists streamvibe.subscription_status;
drop table if exists streamvibe.subscription_tier;
drop table if exists streamvibe.content_type;
drop function if exists streamvibe.check_platform();
drop view if exists streamvibe.ai_model;
drop view if exists streamvibe.ai_provider;
drop view if exists streamvibe.platform;
drop function if exists streamvibe.is_supported_platform(uuid);
drop type if exists streamvibe.notification_type_enum;
drop type if exists streamvibe.visibility_enum;
drop type if exists streamvibe.action_mode_enum;
drop schema if exists streamvibe;
