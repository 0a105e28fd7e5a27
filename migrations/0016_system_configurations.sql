-- The system schema: infrastructure for the service role only. anon and
-- authenticated get no usage on the schema and no grant on any table; RLS
-- is on everywhere with no policy, so even a stray grant reads nothing.
-- (system.outbox comes from 0004, which also creates the schema.)
--
-- system.configurations: runtime settings without a deploy (seed 004's
-- system_configurations). value is jsonb and must match value_type, checked
-- at write time. Every change NOTIFYs channel creatorbase_config with
-- {"op","category","key"}; internal/sysconfig listens and reloads, so a
-- running server sees a change within milliseconds. Rows with
-- is_hot_reloadable = false keep their start-up value until a restart.

-- +goose Up
create schema if not exists system;
revoke all on schema system from public;
grant usage on schema system to service_role;

create table system.configurations (
  id uuid primary key default gen_random_uuid(),
  category varchar(50) not null check (category ~ '^[a-z][a-z0-9_]*$'),
  key varchar(100) not null check (key ~ '^[a-z][a-z0-9_.-]*$'),
  value jsonb not null,
  value_type varchar(20) not null check (value_type in ('string', 'number', 'integer', 'boolean', 'duration', 'json')),
  description text,
  is_hot_reloadable boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint system_configurations_category_key_unique unique (category, key)
);
comment on table system.configurations is 'Runtime settings by category and key; value must match value_type; changes are NOTIFYed on creatorbase_config.';
comment on column system.configurations.value_type is
  'string: JSON string; number: JSON number; integer: whole JSON number; boolean: true/false; duration: JSON string in Go syntax (1h30m, 250ms); json: anything.';

-- +goose StatementBegin
create function system.configurations_check_value() returns trigger
language plpgsql
set search_path = ''
as $$
declare
  t text := pg_catalog.jsonb_typeof(new.value);
  ok boolean;
begin
  ok := case new.value_type
    when 'string' then t = 'string'
    when 'number' then t = 'number'
    when 'integer' then case when t = 'number'
                         then (new.value #>> '{}')::numeric = pg_catalog.trunc((new.value #>> '{}')::numeric)
                              and abs((new.value #>> '{}')::numeric) <= 9223372036854775807
                         else false end
    when 'boolean' then t = 'boolean'
    when 'duration' then t = 'string'
                         and ((new.value #>> '{}') ~ '^[-+]?(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+$'
                              or (new.value #>> '{}') ~ '^[-+]?0$')
    when 'json' then true
    else false
  end;
  if not coalesce(ok, false) then
    raise exception 'configuration %.%: value % is not a valid %', new.category, new.key, new.value::text, new.value_type
      using errcode = '22023',
            hint = case new.value_type
              when 'duration' then 'A duration is a JSON string such as "30s", "1h30m" or "250ms".'
              when 'integer' then 'An integer is a whole JSON number such as 1000.'
              when 'boolean' then 'A boolean is JSON true or false (not a string).'
              when 'string' then 'A string is a JSON string, e.g. "text".'
              else 'A number is a JSON number such as 1.5.' end;
  end if;
  return new;
end
$$;
-- +goose StatementEnd
revoke execute on function system.configurations_check_value() from public;

-- +goose StatementBegin
create function system.configurations_notify() returns trigger
language plpgsql
set search_path = ''
as $$
declare
  r record := coalesce(new, old);
begin
  if tg_op = 'UPDATE' and old is not distinct from new then
    return null;
  end if;
  perform pg_catalog.pg_notify('creatorbase_config',
    pg_catalog.json_build_object('op', lower(tg_op), 'category', r.category, 'key', r.key)::text);
  if tg_op = 'UPDATE' and (old.category, old.key) is distinct from (new.category, new.key) then
    perform pg_catalog.pg_notify('creatorbase_config',
      pg_catalog.json_build_object('op', 'delete', 'category', old.category, 'key', old.key)::text);
  end if;
  return null;
end
$$;
-- +goose StatementEnd
revoke execute on function system.configurations_notify() from public;

create trigger configurations_check_value before insert or update on system.configurations
  for each row execute function system.configurations_check_value();
create trigger configurations_set_updated_at before update on system.configurations
  for each row execute function public.set_updated_at();
create trigger configurations_notify after insert or update or delete on system.configurations
  for each row execute function system.configurations_notify();

alter table system.configurations enable row level security;
revoke all on system.configurations from public, anon, authenticated;
grant select, insert, update, delete on system.configurations to service_role;

insert into system.configurations (category, key, value, value_type, description, is_hot_reloadable) values
  ('api_limits', 'max_api_calls_tiktok', '1000', 'integer', 'TikTok API calls per day across all users.', true),
  ('timeouts', 'ai_request', '"60s"', 'duration', 'Time limit for one AI provider request.', true),
  ('timeouts', 'platform_request', '"30s"', 'duration', 'Time limit for one social platform API request.', true),
  ('job_processing', 'max_attempts', '5', 'integer', 'Attempts before a background job is discarded.', true),
  ('email', 'from_name', '"creatorbase"', 'string', 'Display name of outgoing mail.', true),
  ('feature_flags', 'maintenance_mode', 'false', 'boolean', 'Refuse writes with 503 while true.', true);

-- +goose Down
drop table if exists system.configurations;
drop function if exists system.configurations_notify();
drop function if exists system.configurations_check_value();
-- The schema may also hold 0004's outbox; drop it only when empty.
-- +goose StatementBegin
do $$
begin
  if exists (select 1 from pg_namespace where nspname = 'system')
     and not exists (select 1 from pg_class where relnamespace = 'system'::regnamespace)
     and not exists (select 1 from pg_proc where pronamespace = 'system'::regnamespace)
     and not exists (select 1 from pg_type where typnamespace = 'system'::regnamespace) then
    drop schema system;
  end if;
end
$$;
-- +goose StatementEnd
