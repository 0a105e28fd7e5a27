-- public.ai_providers and public.ai_models: which AI providers and models
-- exist (seed 003's ai_provider, seed 000's "routed via ai_model_config").
-- Everyone may read; admins and the service role maintain them. Which
-- model serves which task is system.ai_model_config (service role only).
-- Prices are list prices in US dollars per million tokens, for estimates
-- and budgets; they are not money movements (those are integer cents).

-- +goose Up
create table public.ai_providers (
  id uuid primary key default gen_random_uuid(),
  slug text not null unique check (slug ~ '^[a-z0-9][a-z0-9_-]{1,49}$'),
  display_name text not null,
  base_url text,
  is_api_key_required boolean not null default true,
  is_streaming_supported boolean not null default true,
  is_active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.ai_providers is 'AI providers: openai, anthropic, google and the offline local provider. Public read.';
create trigger ai_providers_set_updated_at before update on public.ai_providers
  for each row execute function public.set_updated_at();

create table public.ai_models (
  id uuid primary key default gen_random_uuid(),
  provider_id uuid not null references public.ai_providers (id) on delete restrict,
  slug text not null check (char_length(slug) between 1 and 100),
  display_name text not null,
  kind text not null default 'chat' check (kind in ('chat', 'embedding', 'image', 'audio')),
  context_window integer check (context_window > 0),
  max_output_tokens integer check (max_output_tokens > 0),
  input_usd_per_mtok numeric(10, 4) check (input_usd_per_mtok >= 0),
  output_usd_per_mtok numeric(10, 4) check (output_usd_per_mtok >= 0),
  is_active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint ai_models_provider_id_slug_key unique (provider_id, slug)
);
comment on table public.ai_models is 'AI models per provider; slug is the name the provider API takes. Public read.';
comment on column public.ai_models.input_usd_per_mtok is 'List price, USD per million input tokens.';
create trigger ai_models_set_updated_at before update on public.ai_models
  for each row execute function public.set_updated_at();

insert into public.ai_providers (slug, display_name, base_url, is_api_key_required, is_streaming_supported) values
  ('openai', 'OpenAI', 'https://api.openai.com/v1', true, true),
  ('anthropic', 'Anthropic', 'https://api.anthropic.com/v1', true, true),
  ('google', 'Google Gemini', 'https://generativelanguage.googleapis.com/v1beta', true, true),
  ('local', 'Local (offline)', null, false, false);

insert into public.ai_models (provider_id, slug, display_name, kind, context_window, max_output_tokens, input_usd_per_mtok, output_usd_per_mtok)
select p.id, m.slug, m.display_name, m.kind, m.context_window, m.max_output_tokens, m.input_price, m.output_price
from (values
  ('openai', 'gpt-4o', 'GPT-4o', 'chat', 128000, 16384, 2.50, 10.00),
  ('openai', 'gpt-4o-mini', 'GPT-4o mini', 'chat', 128000, 16384, 0.15, 0.60),
  ('openai', 'gpt-4.1', 'GPT-4.1', 'chat', 1047576, 32768, 2.00, 8.00),
  ('openai', 'gpt-4.1-mini', 'GPT-4.1 mini', 'chat', 1047576, 32768, 0.40, 1.60),
  ('openai', 'text-embedding-3-small', 'Embedding 3 small', 'embedding', 8191, null, 0.02, null),
  ('anthropic', 'claude-sonnet-4-20250514', 'Claude Sonnet 4', 'chat', 200000, 64000, 3.00, 15.00),
  ('anthropic', 'claude-opus-4-20250514', 'Claude Opus 4', 'chat', 200000, 32000, 15.00, 75.00),
  ('anthropic', 'claude-3-5-haiku-20241022', 'Claude Haiku 3.5', 'chat', 200000, 8192, 0.80, 4.00),
  ('google', 'gemini-2.5-pro', 'Gemini 2.5 Pro', 'chat', 1048576, 65536, 1.25, 10.00),
  ('google', 'gemini-2.5-flash', 'Gemini 2.5 Flash', 'chat', 1048576, 65536, 0.30, 2.50),
  ('google', 'gemini-2.0-flash', 'Gemini 2.0 Flash', 'chat', 1048576, 8192, 0.10, 0.40),
  ('local', 'creatorbase-local', 'Local writer (learns from your samples)', 'chat', 8192, 2048, 0, 0)
) as m(provider, slug, display_name, kind, context_window, max_output_tokens, input_price, output_price)
join public.ai_providers p on p.slug = m.provider;

alter table public.ai_providers enable row level security;
revoke all on public.ai_providers from public, anon, authenticated;
grant select on public.ai_providers to anon, authenticated;
grant insert, update, delete on public.ai_providers to authenticated;
grant select, insert, update, delete on public.ai_providers to service_role;
create policy ai_providers_select on public.ai_providers for select to anon, authenticated using (true);
create policy ai_providers_insert_admin on public.ai_providers for insert to authenticated
  with check ((select public.has_role('admin')));
create policy ai_providers_update_admin on public.ai_providers for update to authenticated
  using ((select public.has_role('admin'))) with check ((select public.has_role('admin')));
create policy ai_providers_delete_admin on public.ai_providers for delete to authenticated
  using ((select public.has_role('admin')));

alter table public.ai_models enable row level security;
revoke all on public.ai_models from public, anon, authenticated;
grant select on public.ai_models to anon, authenticated;
grant insert, update, delete on public.ai_models to authenticated;
grant select, insert, update, delete on public.ai_models to service_role;
create policy ai_models_select on public.ai_models for select to anon, authenticated using (true);
create policy ai_models_insert_admin on public.ai_models for insert to authenticated
  with check ((select public.has_role('admin')));
create policy ai_models_update_admin on public.ai_models for update to authenticated
  using ((select public.has_role('admin'))) with check ((select public.has_role('admin')));
create policy ai_models_delete_admin on public.ai_models for delete to authenticated
  using ((select public.has_role('admin')));

-- +goose Down
drop table if exists public.ai_models;
drop table if exists public.ai_providers;
