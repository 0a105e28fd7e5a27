-- StreamVibe (seed 003): user_ai_setting, ai_suggestion,
-- ai_suggestion_application, ai_usage, trending_keyword, seo_connection,
-- seo_submission, seo_usage, notification; apply_ai_suggestion().
--
-- AI providers and models are the shared catalogs (public.ai_providers,
-- public.ai_models; views streamvibe.ai_provider / ai_model).
-- Suggestions, usage, submissions and notifications are written by the
-- service role (workers); owners read theirs (suggestions and submissions
-- through the content item's ownership) and admins read all.
--
-- apply_ai_suggestion(suggestion_id, fields, title_index) applies the chosen
-- fields (title, description, tags) to the content item in one transaction:
-- one UPDATE per field (the revision trigger records old and new values with
-- change_source ai_suggestion), one ai_suggestion_application row per field,
-- and the suggestion marked applied. Any refusal (unknown field, a field the
-- suggestion does not carry, already applied: PT409, not yours: PT404)
-- leaves nothing behind.
--
-- seo_connection credentials follow platform_connection: the vault holds
-- them, store_seo_connection_secret() (service role) writes them.

-- +goose Up

-- ---------------------------------------------------------------------------
-- user_ai_setting
-- ---------------------------------------------------------------------------

create table streamvibe.user_ai_setting (
  user_id uuid primary key references public.users (id) on delete cascade,
  preferred_provider_id uuid references public.ai_providers (id) on delete set null,
  preferred_model_id uuid references public.ai_models (id) on delete set null,
  tone text not null default 'professional'
    constraint user_ai_setting_tone_check check (tone in ('professional', 'casual', 'enthusiastic')),
  language text not null default 'en'
    constraint user_ai_setting_language_check check (language ~ '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table streamvibe.user_ai_setting is 'AI preferences, one row per user.';
create index user_ai_setting_preferred_provider_id_idx on streamvibe.user_ai_setting (preferred_provider_id);
create index user_ai_setting_preferred_model_id_idx on streamvibe.user_ai_setting (preferred_model_id);
create trigger user_ai_setting_set_updated_at before update on streamvibe.user_ai_setting
  for each row execute function public.set_updated_at();

-- The preferred model must belong to the preferred provider.
-- +goose StatementBegin
create function streamvibe.user_ai_setting_check_model() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.preferred_model_id is not null and new.preferred_provider_id is not null
     and not exists (select 1 from public.ai_models m
                     where m.id = new.preferred_model_id and m.provider_id = new.preferred_provider_id) then
    raise exception 'preferred_model_id: the model is not one of the preferred provider''s'
      using errcode = '23514', column = 'preferred_model_id', table = 'user_ai_setting', schema = 'streamvibe';
  end if;
  return new;
end
$$;
-- +goose StatementEnd
revoke execute on function streamvibe.user_ai_setting_check_model() from public;
create trigger user_ai_setting_check_model before insert or update on streamvibe.user_ai_setting
  for each row execute function streamvibe.user_ai_setting_check_model();

alter table streamvibe.user_ai_setting enable row level security;
revoke all on streamvibe.user_ai_setting from public, anon, authenticated;
grant select, delete on streamvibe.user_ai_setting to authenticated;
grant insert (user_id, preferred_provider_id, preferred_model_id, tone, language) on streamvibe.user_ai_setting to authenticated;
grant update (preferred_provider_id, preferred_model_id, tone, language) on streamvibe.user_ai_setting to authenticated;
grant select, insert, update, delete on streamvibe.user_ai_setting to service_role;
create policy user_ai_setting_select on streamvibe.user_ai_setting for select to authenticated
  using (user_id = (select auth.uid()) or (select public.has_role('admin')));
create policy user_ai_setting_insert on streamvibe.user_ai_setting for insert to authenticated
  with check (user_id = (select auth.uid()));
create policy user_ai_setting_update on streamvibe.user_ai_setting for update to authenticated
  using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
create policy user_ai_setting_delete on streamvibe.user_ai_setting for delete to authenticated
  using (user_id = (select auth.uid()));

-- ---------------------------------------------------------------------------
-- ai_suggestion, ai_suggestion_application
-- ---------------------------------------------------------------------------

create table streamvibe.ai_suggestion (
  id uuid primary key default gen_random_uuid(),
  content_item_id uuid not null references streamvibe.content_item (id) on delete cascade,
  provider_id uuid not null references public.ai_providers (id) on delete restrict,
  model_id uuid references public.ai_models (id) on delete set null,
  suggested_titles text[] not null default '{}' constraint ai_suggestion_suggested_titles_check check (cardinality(suggested_titles) <= 20),
  suggested_description text constraint ai_suggestion_suggested_description_check check (char_length(suggested_description) <= 10000),
  suggested_tags text[] not null default '{}' constraint ai_suggestion_suggested_tags_check check (cardinality(suggested_tags) <= 500),
  suggested_category text constraint ai_suggestion_suggested_category_check check (char_length(suggested_category) <= 100),
  trending_keywords text[] not null default '{}',
  trending_hashtags text[] not null default '{}',
  related_topics text[] not null default '{}',
  trending_score numeric(5, 2) constraint ai_suggestion_trending_score_check check (trending_score between 0 and 100),
  seo_score numeric(5, 2) constraint ai_suggestion_seo_score_check check (seo_score between 0 and 100),
  readability_score numeric(5, 2) constraint ai_suggestion_readability_score_check check (readability_score between 0 and 100),
  confidence_score numeric(4, 3) constraint ai_suggestion_confidence_score_check check (confidence_score between 0 and 1),
  sentiment text constraint ai_suggestion_sentiment_check check (sentiment in ('positive', 'neutral', 'negative', 'mixed')),
  target_audience text[] not null default '{}',
  prompt_tokens integer constraint ai_suggestion_prompt_tokens_check check (prompt_tokens >= 0),
  completion_tokens integer constraint ai_suggestion_completion_tokens_check check (completion_tokens >= 0),
  total_cost_cents numeric(12, 4) constraint ai_suggestion_total_cost_cents_check check (total_cost_cents >= 0),
  processing_time_ms integer constraint ai_suggestion_processing_time_ms_check check (processing_time_ms >= 0),
  is_applied boolean not null default false,
  applied_at timestamptz,
  version integer not null default 1 constraint ai_suggestion_version_check check (version >= 1),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint ai_suggestion_content_item_id_version_key unique (content_item_id, version)
);
comment on table streamvibe.ai_suggestion is 'AI suggestions per content item (version counts up per item). Applied only through apply_ai_suggestion().';
comment on column streamvibe.ai_suggestion.total_cost_cents is 'Cost estimate in cents (fractional: one request costs less than a cent); not a money movement.';
create index ai_suggestion_content_item_id_created_at_idx on streamvibe.ai_suggestion (content_item_id, created_at desc);
create index ai_suggestion_provider_id_idx on streamvibe.ai_suggestion (provider_id);
create index ai_suggestion_model_id_idx on streamvibe.ai_suggestion (model_id);
create index ai_suggestion_pending_idx on streamvibe.ai_suggestion (content_item_id) where not is_applied;
create trigger ai_suggestion_set_updated_at before update on streamvibe.ai_suggestion
  for each row execute function public.set_updated_at();

-- version: the next number for the item.
-- +goose StatementBegin
create function streamvibe.ai_suggestion_set_version() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('streamvibe.ai_suggestion:' || new.content_item_id, 0));
  select coalesce(max(s.version), 0) + 1 into new.version from streamvibe.ai_suggestion s where s.content_item_id = new.content_item_id;
  return new;
end
$$;
-- +goose StatementEnd
revoke execute on function streamvibe.ai_suggestion_set_version() from public;
create trigger ai_suggestion_set_version before insert on streamvibe.ai_suggestion
  for each row execute function streamvibe.ai_suggestion_set_version();

alter table streamvibe.ai_suggestion enable row level security;
revoke all on streamvibe.ai_suggestion from public, anon, authenticated;
grant select on streamvibe.ai_suggestion to authenticated;
grant select, insert, update, delete on streamvibe.ai_suggestion to service_role;
create policy ai_suggestion_select on streamvibe.ai_suggestion for select to authenticated
  using (content_item_id in (select c.id from streamvibe.content_item c
                             where c.social_account_id = any ((select streamvibe.my_social_account_ids())::uuid[]))
         or (select public.has_role('admin')));

create table streamvibe.ai_suggestion_application (
  id uuid primary key default gen_random_uuid(),
  suggestion_id uuid not null references streamvibe.ai_suggestion (id) on delete cascade,
  applied_field text not null constraint ai_suggestion_application_applied_field_check
    check (applied_field in ('title', 'description', 'tags')),
  applied_value text,
  applied_by_user_id uuid references public.users (id) on delete set null,
  applied_at timestamptz not null default now()
);
comment on table streamvibe.ai_suggestion_application is 'Which fields of a suggestion were applied, by whom. Written by apply_ai_suggestion().';
create index ai_suggestion_application_suggestion_id_idx on streamvibe.ai_suggestion_application (suggestion_id);
create index ai_suggestion_application_applied_by_user_id_idx on streamvibe.ai_suggestion_application (applied_by_user_id);

alter table streamvibe.ai_suggestion_application enable row level security;
revoke all on streamvibe.ai_suggestion_application from public, anon, authenticated, service_role;
grant select on streamvibe.ai_suggestion_application to authenticated, service_role;
create policy ai_suggestion_application_select on streamvibe.ai_suggestion_application for select to authenticated
  using (suggestion_id in (select s.id from streamvibe.ai_suggestion s));

-- +goose StatementBegin
create function streamvibe.apply_ai_suggestion(
  suggestion_id uuid,
  fields text[] default array['title', 'description', 'tags'],
  title_index integer default 1
) returns streamvibe.content_item
language plpgsql
volatile
security definer
set search_path = ''
as $$
#variable_conflict use_variable
declare
  sug streamvibe.ai_suggestion;
  item streamvibe.content_item;
  field text;
  value text;
  actor uuid;
begin
  select s.* into sug from streamvibe.ai_suggestion s where s.id = suggestion_id for update;
  if sug.id is null then
    raise exception 'suggestion % not found', suggestion_id using errcode = 'PT404';
  end if;
  actor := streamvibe.content_item_owner(sug.content_item_id);
  if not streamvibe.may_write(actor) then
    raise exception 'suggestion % not found', suggestion_id using errcode = 'PT404';
  end if;
  actor := coalesce(auth.uid(), actor);
  if sug.is_applied then
    raise exception 'suggestion % was already applied at %', suggestion_id, sug.applied_at using errcode = 'PT409';
  end if;
  if fields is null or cardinality(fields) = 0 then
    raise exception 'fields: choose at least one of title, description, tags' using errcode = '22023', column = 'fields';
  end if;

  perform pg_catalog.set_config('streamvibe.change_source', 'ai_suggestion', true);
  perform pg_catalog.set_config('streamvibe.change_reason', 'ai suggestion ' || suggestion_id, true);
  foreach field in array fields loop
    case field
    when 'title' then
      value := sug.suggested_titles[title_index];
      if value is null then
        raise exception 'title_index %: the suggestion has % titles', title_index, cardinality(sug.suggested_titles)
          using errcode = '22023', column = 'title_index';
      end if;
      update streamvibe.content_item c set title = value where c.id = sug.content_item_id;
    when 'description' then
      value := sug.suggested_description;
      if value is null then
        raise exception 'description: the suggestion has no description' using errcode = '22023', column = 'fields';
      end if;
      update streamvibe.content_item c set description = value where c.id = sug.content_item_id;
    when 'tags' then
      if cardinality(sug.suggested_tags) = 0 then
        raise exception 'tags: the suggestion has no tags' using errcode = '22023', column = 'fields';
      end if;
      value := sug.suggested_tags::text;
      update streamvibe.content_item c set tags = sug.suggested_tags where c.id = sug.content_item_id;
    else
      raise exception 'fields: unknown field "%"; apply title, description or tags', field
        using errcode = '22023', column = 'fields';
    end case;
    insert into streamvibe.ai_suggestion_application (suggestion_id, applied_field, applied_value, applied_by_user_id)
    values (sug.id, field, value, actor);
  end loop;
  update streamvibe.ai_suggestion s set is_applied = true, applied_at = pg_catalog.now() where s.id = sug.id;
  perform pg_catalog.set_config('streamvibe.change_source', '', true);
  perform pg_catalog.set_config('streamvibe.change_reason', '', true);
  select c.* into item from streamvibe.content_item c where c.id = sug.content_item_id;
  return item;
end
$$;
-- +goose StatementEnd
revoke execute on function streamvibe.apply_ai_suggestion(uuid, text[], integer) from public;
grant execute on function streamvibe.apply_ai_suggestion(uuid, text[], integer) to authenticated, service_role;

-- ---------------------------------------------------------------------------
-- ai_usage
-- ---------------------------------------------------------------------------

create table streamvibe.ai_usage (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references public.users (id) on delete cascade,
  provider_id uuid not null references public.ai_providers (id) on delete restrict,
  model_id uuid references public.ai_models (id) on delete set null,
  content_item_id uuid references streamvibe.content_item (id) on delete set null,
  operation_type text not null constraint ai_usage_operation_type_check
    check (operation_type in ('content_analysis', 'title_generation', 'description_generation', 'tag_generation', 'trend_analysis', 'other')),
  prompt_tokens integer not null default 0 constraint ai_usage_prompt_tokens_check check (prompt_tokens >= 0),
  completion_tokens integer not null default 0 constraint ai_usage_completion_tokens_check check (completion_tokens >= 0),
  total_tokens integer generated always as (prompt_tokens + completion_tokens) stored,
  cost_cents numeric(12, 4) not null default 0 constraint ai_usage_cost_cents_check check (cost_cents >= 0),
  processing_time_ms integer constraint ai_usage_processing_time_ms_check check (processing_time_ms >= 0),
  billing_cycle_start timestamptz,
  billing_cycle_end timestamptz,
  created_at timestamptz not null default now()
);
comment on table streamvibe.ai_usage is 'AI API usage per call, for billing and analytics. total_tokens is generated.';
create index ai_usage_user_id_created_at_idx on streamvibe.ai_usage (user_id, created_at desc);
create index ai_usage_provider_id_idx on streamvibe.ai_usage (provider_id);
create index ai_usage_model_id_idx on streamvibe.ai_usage (model_id);
create index ai_usage_content_item_id_idx on streamvibe.ai_usage (content_item_id);

-- ---------------------------------------------------------------------------
-- trending_keyword
-- ---------------------------------------------------------------------------

create table streamvibe.trending_keyword (
  id uuid primary key default gen_random_uuid(),
  platform_id uuid references public.platforms (id) on delete cascade,
  keyword text not null constraint trending_keyword_keyword_check check (char_length(keyword) between 1 and 200),
  category text constraint trending_keyword_category_check check (char_length(category) <= 100),
  trending_score numeric(5, 2) constraint trending_keyword_trending_score_check check (trending_score between 0 and 100),
  search_volume integer constraint trending_keyword_search_volume_check check (search_volume >= 0),
  competition_level text constraint trending_keyword_competition_level_check check (competition_level in ('low', 'medium', 'high')),
  source text constraint trending_keyword_source_check check (char_length(source) <= 100),
  region text constraint trending_keyword_region_check check (char_length(region) <= 10),
  language text constraint trending_keyword_language_check check (language ~ '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$'),
  valid_from timestamptz not null default now(),
  valid_until timestamptz,
  created_at timestamptz not null default now(),
  constraint trending_keyword_validity_check check (valid_until is null or valid_until > valid_from)
);
comment on table streamvibe.trending_keyword is 'Cached trending keywords per platform (null platform: all), from external APIs. source names where the numbers come from.';
create index trending_keyword_platform_id_score_idx on streamvibe.trending_keyword (platform_id, trending_score desc);
create index trending_keyword_keyword_idx on streamvibe.trending_keyword (lower(keyword));
create index trending_keyword_valid_until_idx on streamvibe.trending_keyword (valid_until);
create trigger trending_keyword_check_platform before insert or update of platform_id on streamvibe.trending_keyword
  for each row execute function streamvibe.check_platform();

-- ---------------------------------------------------------------------------
-- seo_connection
-- ---------------------------------------------------------------------------

create table streamvibe.seo_connection (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references public.users (id) on delete cascade,
  search_engine_id uuid not null references streamvibe.search_engine (id) on delete restrict,
  vault_secret_name text unique constraint seo_connection_vault_secret_name_check check (char_length(vault_secret_name) between 1 and 255),
  site_url text not null constraint seo_connection_site_url_check check (site_url ~ '^https?://[^/\s]+' and char_length(site_url) <= 2048),
  is_active boolean not null default true,
  is_verified boolean not null default false,
  last_verified_at timestamptz,
  last_error text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint seo_connection_user_engine_site_key unique (user_id, search_engine_id, site_url)
);
comment on table streamvibe.seo_connection is 'Search engine connections per site. Credentials (API key, service account, IndexNow key) are in the vault under vault_secret_name.';
create index seo_connection_user_id_search_engine_id_idx on streamvibe.seo_connection (user_id, search_engine_id);
create index seo_connection_active_idx on streamvibe.seo_connection (user_id) where is_active;
create index seo_connection_search_engine_id_idx on streamvibe.seo_connection (search_engine_id);
create trigger seo_connection_set_updated_at before update on streamvibe.seo_connection
  for each row execute function public.set_updated_at();
create trigger seo_connection_check_vault_secret before insert or update of vault_secret_name on streamvibe.seo_connection
  for each row execute function streamvibe.check_vault_secret();
create trigger seo_connection_delete_vault_secret after delete on streamvibe.seo_connection
  for each row execute function streamvibe.delete_vault_secret();
create trigger seo_connection_audit after insert or update or delete on streamvibe.seo_connection
  for each row execute function events.audit_trigger();

-- +goose StatementBegin
create function streamvibe.store_seo_connection_secret(connection_id uuid, secret text, key text) returns text
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  secret_name text := 'streamvibe/seo_connection/' || connection_id;
begin
  if not exists (select 1 from streamvibe.seo_connection c where c.id = connection_id) then
    raise exception 'seo connection % not found', connection_id using errcode = 'PT404';
  end if;
  perform system.vault_put(secret_name, secret, key);
  update streamvibe.seo_connection c set vault_secret_name = secret_name where c.id = connection_id;
  return secret_name;
end
$$;
-- +goose StatementEnd

-- +goose StatementBegin
create function streamvibe.seo_connection_secret(connection_id uuid, key text) returns text
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  secret_name text;
begin
  select c.vault_secret_name into secret_name from streamvibe.seo_connection c where c.id = connection_id;
  if secret_name is null then
    return null;
  end if;
  return system.vault_get(secret_name, key);
end
$$;
-- +goose StatementEnd
revoke execute on function streamvibe.store_seo_connection_secret(uuid, text, text),
  streamvibe.seo_connection_secret(uuid, text) from public;
grant execute on function streamvibe.store_seo_connection_secret(uuid, text, text),
  streamvibe.seo_connection_secret(uuid, text) to service_role;

alter table streamvibe.seo_connection enable row level security;
revoke all on streamvibe.seo_connection from public, anon, authenticated;
grant select, delete on streamvibe.seo_connection to authenticated;
grant insert (user_id, search_engine_id, site_url, is_active) on streamvibe.seo_connection to authenticated;
grant update (site_url, is_active) on streamvibe.seo_connection to authenticated;
grant select, insert, update, delete on streamvibe.seo_connection to service_role;
create policy seo_connection_select on streamvibe.seo_connection for select to authenticated
  using (user_id = (select auth.uid()) or (select public.has_role('admin')));
create policy seo_connection_insert on streamvibe.seo_connection for insert to authenticated
  with check (user_id = (select auth.uid()));
create policy seo_connection_update on streamvibe.seo_connection for update to authenticated
  using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
create policy seo_connection_delete on streamvibe.seo_connection for delete to authenticated
  using (user_id = (select auth.uid()));

-- ---------------------------------------------------------------------------
-- seo_submission, seo_usage
-- ---------------------------------------------------------------------------

create table streamvibe.seo_submission (
  id uuid primary key default gen_random_uuid(),
  content_item_id uuid not null references streamvibe.content_item (id) on delete cascade,
  connection_id uuid references streamvibe.seo_connection (id) on delete set null,
  search_engine_id uuid not null references streamvibe.search_engine (id) on delete restrict,
  submitted_url text not null constraint seo_submission_submitted_url_check check (submitted_url ~ '^https?://[^/\s]+' and char_length(submitted_url) <= 2048),
  submission_type text not null default 'url_updated' constraint seo_submission_submission_type_check
    check (submission_type in ('url_updated', 'url_deleted')),
  submission_method text not null default 'indexnow' constraint seo_submission_submission_method_check
    check (submission_method in ('indexing_api', 'indexnow', 'bing_api', 'sitemap')),
  request_payload jsonb,
  response_status integer constraint seo_submission_response_status_check check (response_status between 100 and 599),
  response_body jsonb,
  status text not null default 'pending' constraint seo_submission_status_check
    check (status in ('pending', 'submitted', 'indexed', 'failed', 'rejected')),
  status_checked_at timestamptz,
  index_status_url text,
  coverage_state text,
  error_message text,
  retry_count integer not null default 0 constraint seo_submission_retry_count_check check (retry_count >= 0),
  next_retry_at timestamptz,
  submitted_at timestamptz,
  indexed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table streamvibe.seo_submission is 'One URL submitted to one search engine: the per-URL receipt (response status and body).';
create index seo_submission_content_item_id_idx on streamvibe.seo_submission (content_item_id, created_at desc);
create index seo_submission_connection_id_idx on streamvibe.seo_submission (connection_id);
create index seo_submission_search_engine_id_idx on streamvibe.seo_submission (search_engine_id);
create index seo_submission_retry_idx on streamvibe.seo_submission (next_retry_at) where status in ('pending', 'failed');
create trigger seo_submission_set_updated_at before update on streamvibe.seo_submission
  for each row execute function public.set_updated_at();

-- The connection must be the item owner's, for the same search engine.
-- +goose StatementBegin
create function streamvibe.seo_submission_check_connection() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  conn record;
begin
  if new.connection_id is not null then
    select c.user_id, c.search_engine_id into conn from streamvibe.seo_connection c where c.id = new.connection_id;
    if conn.search_engine_id is distinct from new.search_engine_id then
      raise exception 'search_engine_id: the connection is for another search engine'
        using errcode = '23514', column = 'search_engine_id', table = 'seo_submission', schema = 'streamvibe';
    end if;
    if conn.user_id is distinct from (select a.user_id from streamvibe.content_item i
                                      join streamvibe.social_account a on a.id = i.social_account_id
                                      where i.id = new.content_item_id) then
      raise exception 'connection_id: the connection belongs to another user'
        using errcode = '23514', column = 'connection_id', table = 'seo_submission', schema = 'streamvibe';
    end if;
  end if;
  return new;
end
$$;
-- +goose StatementEnd
revoke execute on function streamvibe.seo_submission_check_connection() from public;
create trigger seo_submission_check_connection before insert or update of connection_id, search_engine_id, content_item_id
  on streamvibe.seo_submission for each row execute function streamvibe.seo_submission_check_connection();

create table streamvibe.seo_usage (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references public.users (id) on delete cascade,
  search_engine_id uuid not null references streamvibe.search_engine (id) on delete restrict,
  content_item_id uuid references streamvibe.content_item (id) on delete set null,
  operation_type text not null constraint seo_usage_operation_type_check
    check (operation_type in ('url_submission', 'batch_submission', 'status_check', 'quota_check')),
  urls_count integer not null default 1 constraint seo_usage_urls_count_check check (urls_count >= 0),
  billing_cycle_start timestamptz,
  billing_cycle_end timestamptz,
  created_at timestamptz not null default now()
);
comment on table streamvibe.seo_usage is 'SEO API usage per call, for billing.';
create index seo_usage_user_id_created_at_idx on streamvibe.seo_usage (user_id, created_at desc);
create index seo_usage_search_engine_id_idx on streamvibe.seo_usage (search_engine_id);
create index seo_usage_content_item_id_idx on streamvibe.seo_usage (content_item_id);

-- ---------------------------------------------------------------------------
-- notification
-- ---------------------------------------------------------------------------

create table streamvibe.notification (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references public.users (id) on delete cascade,
  type streamvibe.notification_type_enum not null,
  title text not null constraint notification_title_check check (char_length(title) between 1 and 200),
  message text constraint notification_message_check check (char_length(message) <= 2000),
  action_url text constraint notification_action_url_check check (char_length(action_url) <= 2048),
  action_label text constraint notification_action_label_check check (char_length(action_label) <= 100),
  metadata jsonb not null default '{}' constraint notification_metadata_check check (jsonb_typeof(metadata) = 'object'),
  related_entity_type text,
  related_entity_id uuid,
  is_read boolean not null default false,
  read_at timestamptz,
  expires_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table streamvibe.notification is 'In-app notifications, written by the service role; read_at follows is_read.';
create index notification_user_id_created_at_idx on streamvibe.notification (user_id, created_at desc);
create index notification_unread_idx on streamvibe.notification (user_id) where not is_read;
create index notification_expires_at_idx on streamvibe.notification (expires_at) where expires_at is not null;
create trigger notification_set_updated_at before update on streamvibe.notification
  for each row execute function public.set_updated_at();

-- +goose StatementBegin
create function streamvibe.notification_set_read_at() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.is_read and (tg_op = 'INSERT' or not old.is_read) then
    new.read_at := coalesce(new.read_at, pg_catalog.now());
  elsif not new.is_read then
    new.read_at := null;
  end if;
  return new;
end
$$;
-- +goose StatementEnd
revoke execute on function streamvibe.notification_set_read_at() from public;
create trigger notification_set_read_at before insert or update on streamvibe.notification
  for each row execute function streamvibe.notification_set_read_at();

-- ---------------------------------------------------------------------------
-- Grants and policies of the service-written tables
-- ---------------------------------------------------------------------------

alter table streamvibe.ai_usage enable row level security;
revoke all on streamvibe.ai_usage from public, anon, authenticated;
grant select on streamvibe.ai_usage to authenticated;
grant select, insert, update, delete on streamvibe.ai_usage to service_role;
create policy ai_usage_select on streamvibe.ai_usage for select to authenticated
  using (user_id = (select auth.uid()) or (select public.has_role('admin')));

alter table streamvibe.trending_keyword enable row level security;
revoke all on streamvibe.trending_keyword from public, anon, authenticated;
grant select on streamvibe.trending_keyword to anon, authenticated;
grant insert, update, delete on streamvibe.trending_keyword to authenticated;
grant select, insert, update, delete on streamvibe.trending_keyword to service_role;
create policy trending_keyword_select on streamvibe.trending_keyword for select to anon, authenticated using (true);
create policy trending_keyword_insert_admin on streamvibe.trending_keyword for insert to authenticated
  with check ((select public.has_role('admin')));
create policy trending_keyword_update_admin on streamvibe.trending_keyword for update to authenticated
  using ((select public.has_role('admin'))) with check ((select public.has_role('admin')));
create policy trending_keyword_delete_admin on streamvibe.trending_keyword for delete to authenticated
  using ((select public.has_role('admin')));

alter table streamvibe.seo_submission enable row level security;
revoke all on streamvibe.seo_submission from public, anon, authenticated;
grant select on streamvibe.seo_submission to authenticated;
grant select, insert, update, delete on streamvibe.seo_submission to service_role;
create policy seo_submission_select on streamvibe.seo_submission for select to authenticated
  using (content_item_id in (select c.id from streamvibe.content_item c
                             where c.social_account_id = any ((select streamvibe.my_social_account_ids())::uuid[]))
         or (select public.has_role('admin')));

alter table streamvibe.seo_usage enable row level security;
revoke all on streamvibe.seo_usage from public, anon, authenticated;
grant select on streamvibe.seo_usage to authenticated;
grant select, insert, update, delete on streamvibe.seo_usage to service_role;
create policy seo_usage_select on streamvibe.seo_usage for select to authenticated
  using (user_id = (select auth.uid()) or (select public.has_role('admin')));

alter table streamvibe.notification enable row level security;
revoke all on streamvibe.notification from public, anon, authenticated;
grant select, delete on streamvibe.notification to authenticated;
grant update (is_read) on streamvibe.notification to authenticated;
grant select, insert, update, delete on streamvibe.notification to service_role;
create policy notification_select on streamvibe.notification for select to authenticated
  using (user_id = (select auth.uid()));
create policy notification_update on streamvibe.notification for update to authenticated
  using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
create policy notification_delete on streamvibe.notification for delete to authenticated
  using (user_id = (select auth.uid()));

-- +goose Down
drop table if exists streamvibe.notification;
drop function if exists streamvibe.notification_set_read_at();
drop table if exists streamvibe.seo_usage;
drop table if exists streamvibe.seo_submission;
drop function if exists streamvibe.seo_submission_check_connection();
drop function if exists streamvibe.seo_connection_secret(uuid, text);
drop function if exists streamvibe.store_seo_connection_secret(uuid, text, text);
drop table if exists streamvibe.seo_connection;
drop table if exists streamvibe.trending_keyword;
drop table if exists streamvibe.ai_usage;
drop function if exists streamvibe.apply_ai_suggestion(uuid, text[], integer);
drop table if exists streamvibe.ai_suggestion_application;
drop table if exists streamvibe.ai_suggestion;
drop function if exists streamvibe.ai_suggestion_set_version();
drop table if exists streamvibe.user_ai_setting;
drop function if exists streamvibe.user_ai_setting_check_model();
