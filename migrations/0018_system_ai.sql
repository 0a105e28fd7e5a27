-- AI routing and AI request logs, service role only.
--
-- system.ai_model_config (seed 000: "OpenAI, Anthropic, Gemini, routed via
-- ai_model_config"): which model serves which task, the ordered fallbacks
-- tried when it fails or its circuit breaker is open, generation defaults
-- and spending budgets (integer US cents).
--
-- system.ai_processing_logs (seed 001 section 9.1): one row per AI request.
-- processing_type is open to every product's tasks (seed 001 lists only
-- its own four), and provider, task and cost are added so budgets can be
-- enforced from the log.

-- +goose Up
create table system.ai_model_config (
  task text primary key check (task ~ '^[a-z][a-z0-9_]{0,99}$'),
  model_id uuid not null references public.ai_models (id) on delete restrict,
  fallback_model_ids uuid[] not null default '{}',
  temperature numeric(3, 2) check (temperature between 0 and 2),
  max_output_tokens integer check (max_output_tokens > 0),
  timeout interval not null default interval '60 seconds',
  daily_budget_cents bigint check (daily_budget_cents >= 0),
  monthly_budget_cents bigint check (monthly_budget_cents >= 0),
  per_user_daily_budget_cents bigint check (per_user_daily_budget_cents >= 0),
  is_active boolean not null default true,
  description text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint ai_model_config_fallback_not_primary check (not (model_id = any (fallback_model_ids)))
);
comment on table system.ai_model_config is 'Task -> model routing with ordered fallbacks and budgets in US cents.';
create index ai_model_config_model_id_idx on system.ai_model_config (model_id);
create trigger ai_model_config_set_updated_at before update on system.ai_model_config
  for each row execute function public.set_updated_at();

-- Arrays cannot carry foreign keys: check the fallbacks name real models.
-- +goose StatementBegin
create function system.ai_model_config_check_fallbacks() returns trigger
language plpgsql
set search_path = ''
as $$
declare
  missing uuid;
begin
  select f into missing
  from pg_catalog.unnest(new.fallback_model_ids) as f
  where not exists (select 1 from public.ai_models m where m.id = f)
  limit 1;
  if missing is not null then
    raise exception 'ai_model_config %: fallback model % does not exist', new.task, missing
      using errcode = '23503';
  end if;
  return new;
end
$$;
-- +goose StatementEnd
revoke execute on function system.ai_model_config_check_fallbacks() from public;
create trigger ai_model_config_check_fallbacks before insert or update on system.ai_model_config
  for each row execute function system.ai_model_config_check_fallbacks();

insert into system.ai_model_config (task, model_id, fallback_model_ids, temperature, max_output_tokens, description)
select c.task, primary_model.id,
       array(select fm.id from unnest(c.fallbacks) with ordinality as f(slug, n)
             join public.ai_models fm on fm.slug = f.slug order by f.n),
       c.temperature, c.max_output_tokens, c.description
from (values
  ('content_generation', 'claude-sonnet-4-20250514', array['gpt-4o', 'gemini-2.5-flash', 'creatorbase-local'], 0.80, 2048, 'Drafts in the creator''s voice (CreatorPulse).'),
  ('trend_analysis', 'gpt-4o-mini', array['gemini-2.0-flash', 'creatorbase-local'], 0.20, 1024, 'Trend scoring and summaries.'),
  ('voice_training', 'gpt-4.1-mini', array['claude-3-5-haiku-20241022', 'creatorbase-local'], 0.20, 2048, 'Extracting a creator''s voice profile from samples.'),
  ('performance_prediction', 'gpt-4o-mini', array['gemini-2.0-flash', 'creatorbase-local'], 0.00, 512, 'Predicting engagement of a draft.'),
  ('seo_optimization', 'gpt-4o-mini', array['gemini-2.5-flash', 'creatorbase-local'], 0.30, 1024, 'Titles, descriptions and tags (StreamVibe).'),
  ('embedding', 'text-embedding-3-small', array[]::text[], null, null, 'Text embeddings for search and matching.')
) as c(task, model, fallbacks, temperature, max_output_tokens, description)
join public.ai_models primary_model on primary_model.slug = c.model;

create table system.ai_processing_logs (
  id uuid primary key default gen_random_uuid(),
  user_id uuid references auth.users (id) on delete cascade,
  processing_type text not null check (processing_type ~ '^[a-z][a-z0-9_]{0,99}$'),
  input_data jsonb not null,
  output_data jsonb,
  provider text,
  model_version text,
  processing_time_ms integer check (processing_time_ms >= 0),
  tokens_consumed integer check (tokens_consumed >= 0),
  input_tokens integer check (input_tokens >= 0),
  output_tokens integer check (output_tokens >= 0),
  cost_micros bigint check (cost_micros >= 0),
  status text not null default 'pending' check (status in ('pending', 'completed', 'failed', 'timeout')),
  error_message text,
  webhook_response jsonb,
  created_at timestamptz not null default now(),
  completed_at timestamptz
);
comment on table system.ai_processing_logs is 'AI requests and responses for debugging, cost and budgets (seed 001 ai_processing_logs).';
comment on column system.ai_processing_logs.webhook_response is 'Full webhook response for debugging.';
comment on column system.ai_processing_logs.cost_micros is 'Estimated cost in millionths of a US dollar (a cent is too coarse for one request).';
create index ai_processing_logs_user_id_idx on system.ai_processing_logs (user_id);
create index ai_processing_logs_type_idx on system.ai_processing_logs (processing_type);
create index ai_processing_logs_status_idx on system.ai_processing_logs (status);
create index ai_processing_logs_created_at_idx on system.ai_processing_logs (created_at);

alter table system.ai_model_config enable row level security;
alter table system.ai_processing_logs enable row level security;
revoke all on system.ai_model_config, system.ai_processing_logs from public, anon, authenticated;
grant select, insert, update, delete on system.ai_model_config, system.ai_processing_logs to service_role;

-- +goose Down
drop table if exists system.ai_processing_logs;
drop table if exists system.ai_model_config;
drop function if exists system.ai_model_config_check_fallbacks();
