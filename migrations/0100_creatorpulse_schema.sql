-- CreatorPulse (seed 001): the schema and the helpers its tables share.
--
-- Every table of the seed lives in schema creatorpulse, except
-- ai_processing_logs and system_health_metrics, which the shared core keeps
-- once for every product in system.ai_processing_logs and
-- system.health_metrics (migrations 0017, 0018).
--
-- Secure by default: usage on the schema for the three request roles, and
-- nothing else until each table grants what its policies allow.

-- +goose Up
create schema creatorpulse;
comment on schema creatorpulse is 'CreatorPulse, the AI content studio (seed 001). Frontends use createClient(url, key, { db: { schema: ''creatorpulse'' } }).';
grant usage on schema creatorpulse to anon, authenticated, service_role;
revoke all on schema creatorpulse from public;

-- Seed section 10: stamp updated_at on every update.
-- +goose StatementBegin
create function creatorpulse.update_updated_at_column() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := pg_catalog.now();
  return new;
end
$$;
-- +goose StatementEnd
revoke execute on function creatorpulse.update_updated_at_column() from public;
comment on function creatorpulse.update_updated_at_column() is 'Trigger (seed 001 section 10): sets updated_at to now() on update.';

-- True for work the system does: the service role, or the database owner
-- (migrations, retention, maintenance), which carries no request claims.
-- Users (anon, authenticated) are never the system: both the role claim
-- and the role the request switched to must say so (the `role` setting is
-- the request's role even inside SECURITY DEFINER functions), so a token
-- without a role claim does not pass for the system.
-- +goose StatementBegin
create function creatorpulse.is_system() returns boolean
language sql
stable
set search_path = ''
as $$
  select coalesce(auth.role(), '') not in ('anon', 'authenticated')
     and coalesce(pg_catalog.current_setting('role', true), 'none') not in ('anon', 'authenticated')
$$;
-- +goose StatementEnd
revoke execute on function creatorpulse.is_system() from public;
grant execute on function creatorpulse.is_system() to anon, authenticated, service_role;
comment on function creatorpulse.is_system() is 'True for the service role and the database owner; false for anon and authenticated requests.';

-- An agency's permissions for a client: {"drafts": "read"|"write",
-- "sources": "read"|"write", "delivery_preferences": "read"|"write"};
-- write implies read. Anything else is refused by a CHECK.
-- +goose StatementBegin
create function creatorpulse.valid_agency_permissions(p jsonb) returns boolean
language sql
immutable
set search_path = ''
as $$
  select pg_catalog.jsonb_typeof(p) = 'object'
     and not exists (
       select 1 from pg_catalog.jsonb_each(p) as e(key, value)
       where e.key not in ('drafts', 'sources', 'delivery_preferences')
          or e.value not in ('"read"'::jsonb, '"write"'::jsonb))
$$;
-- +goose StatementEnd
revoke execute on function creatorpulse.valid_agency_permissions(jsonb) from public;
grant execute on function creatorpulse.valid_agency_permissions(jsonb) to authenticated, service_role;

-- Days of the week, lower case, as delivery_preferences.delivery_days holds them.
-- +goose StatementBegin
create function creatorpulse.valid_weekdays(days jsonb) returns boolean
language sql
immutable
set search_path = ''
as $$
  select pg_catalog.jsonb_typeof(days) = 'array'
     and not exists (
       select 1 from pg_catalog.jsonb_array_elements(days) as d(value)
       where d.value not in ('"monday"'::jsonb, '"tuesday"'::jsonb, '"wednesday"'::jsonb, '"thursday"'::jsonb,
                             '"friday"'::jsonb, '"saturday"'::jsonb, '"sunday"'::jsonb))
$$;
-- +goose StatementEnd
revoke execute on function creatorpulse.valid_weekdays(jsonb) from public;
grant execute on function creatorpulse.valid_weekdays(jsonb) to authenticated, service_role;

-- +goose Down
drop function if exists creatorpulse.valid_weekdays(jsonb);
drop function if exists creatorpulse.valid_agency_permissions(jsonb);
drop function if exists creatorpulse.is_system();
drop function if exists creatorpulse.update_updated_at_column();
drop schema if exists creatorpulse;
