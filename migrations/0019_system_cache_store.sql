-- system.cache_store (seed 003): a shared key/value cache in the database
-- for slow outside answers (Stripe prices, trends, platform metadata), so
-- every server process shares one cache. Expired rows are invisible to
-- system.cache_get and removed by system.cache_purge_expired (run by the
-- retention job).

-- +goose Up
create table system.cache_store (
  key text primary key check (char_length(key) between 1 and 500),
  value jsonb not null,
  category text,
  expires_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table system.cache_store is 'Multi-purpose cache (seed 003): key, jsonb value, category, expires_at.';
create index cache_store_category_idx on system.cache_store (category);
create index cache_store_expires_at_idx on system.cache_store (expires_at) where expires_at is not null;
create trigger cache_store_set_updated_at before update on system.cache_store
  for each row execute function public.set_updated_at();

-- +goose StatementBegin
create function system.cache_get(key text) returns jsonb
language sql
stable
set search_path = ''
as $$
  select c.value from system.cache_store c
  where c.key = cache_get.key and (c.expires_at is null or c.expires_at > pg_catalog.now())
$$;
-- +goose StatementEnd

-- +goose StatementBegin
create function system.cache_put(key text, value jsonb, category text default null, ttl interval default null)
returns void
language sql
set search_path = ''
as $$
  insert into system.cache_store as c (key, value, category, expires_at)
  values (cache_put.key, cache_put.value, cache_put.category, pg_catalog.now() + cache_put.ttl)
  on conflict on constraint cache_store_pkey do update
    set value = excluded.value, category = excluded.category, expires_at = excluded.expires_at
$$;
-- +goose StatementEnd

-- +goose StatementBegin
create function system.cache_purge_expired() returns bigint
language sql
set search_path = ''
as $$
  with gone as (
    delete from system.cache_store where expires_at <= pg_catalog.now() returning 1
  )
  select count(*) from gone
$$;
-- +goose StatementEnd

revoke execute on function system.cache_get(text), system.cache_put(text, jsonb, text, interval),
  system.cache_purge_expired() from public;
grant execute on function system.cache_get(text), system.cache_put(text, jsonb, text, interval),
  system.cache_purge_expired() to service_role;

alter table system.cache_store enable row level security;
revoke all on system.cache_store from public, anon, authenticated;
grant select, insert, update, delete on system.cache_store to service_role;

-- +goose Down
drop function if exists system.cache_purge_expired();
drop function if exists system.cache_put(text, jsonb, text, interval);
drop function if exists system.cache_get(text);
drop table if exists system.cache_store;
