-- events.audit_log (seed 003's audit_log) and events.audit_trigger(), a
-- trigger function any table can attach:
--
--   create trigger audit after insert or update or delete on my.table
--     for each row execute function events.audit_trigger();          -- id column "id"
--   ... execute function events.audit_trigger('slug');                -- another id column
--
-- Each row change records the action, the table (entity_type =
-- 'schema.table'), the row's id, the old and new row as jsonb, the acting
-- user (auth.uid()) and role, and the request's client ip (first
-- x-forwarded-for address) and user agent from request.headers. Updates
-- that change nothing are not recorded. Append-only, like events.events
-- (SQLSTATE PT403), and readable by admins only.

-- +goose Up
create table events.audit_log (
  id uuid primary key default gen_random_uuid(),
  user_id uuid,
  actor_role text,
  action text not null check (action ~ '^[a-z][a-z0-9_.]{0,49}$'),
  entity_type text not null,
  entity_id text,
  old_values jsonb,
  new_values jsonb,
  ip_address inet,
  user_agent text,
  created_at timestamptz not null default now()
);
comment on table events.audit_log is 'Append-only audit trail: who did what to which row, from where (seed 003).';
comment on column events.audit_log.user_id is 'The acting user (auth.uid()); null for owner and background work.';
comment on column events.audit_log.entity_type is 'schema.table for trigger rows, or an application noun for entries written by code.';
create index audit_log_user_id_created_at_idx on events.audit_log (user_id, created_at desc);
create index audit_log_entity_idx on events.audit_log (entity_type, entity_id, created_at desc);
create index audit_log_created_at_idx on events.audit_log (created_at);

-- +goose StatementBegin
create function events.forbid_change() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_op = 'DELETE' and pg_catalog.current_setting('events.allow_delete', true) = 'on' then
    return old;
  end if;
  raise exception '%.% is append-only: rows cannot be %d', tg_table_schema, tg_table_name, lower(tg_op)
    using errcode = 'PT403';
end
$$;
-- +goose StatementEnd
revoke execute on function events.forbid_change() from public;
create trigger audit_log_forbid_change before update or delete on events.audit_log
  for each row execute function events.forbid_change();
create trigger audit_log_forbid_truncate before truncate on events.audit_log
  for each statement execute function events.forbid_truncate();

-- +goose StatementBegin
create function events.audit_trigger() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  old_row jsonb;
  new_row jsonb;
  id_column text := coalesce(tg_argv[0], 'id');
  headers jsonb := nullif(pg_catalog.current_setting('request.headers', true), '')::jsonb;
  forwarded text;
  client_ip inet;
begin
  if tg_op in ('UPDATE', 'DELETE') then
    old_row := pg_catalog.to_jsonb(old);
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    new_row := pg_catalog.to_jsonb(new);
  end if;
  if tg_op = 'UPDATE' and old_row = new_row then
    return null;
  end if;

  forwarded := pg_catalog.btrim(pg_catalog.split_part(headers ->> 'x-forwarded-for', ',', 1));
  if forwarded ~ '^[0-9A-Fa-f:.]{2,45}$' then
    begin
      client_ip := forwarded::inet;
    exception when invalid_text_representation then
      client_ip := null;
    end;
  end if;

  insert into events.audit_log (user_id, actor_role, action, entity_type, entity_id, old_values, new_values, ip_address, user_agent)
  values (
    auth.uid(),
    coalesce(auth.role(), session_user::text),
    lower(tg_op),
    tg_table_schema || '.' || tg_table_name,
    coalesce(new_row, old_row) ->> id_column,
    old_row,
    new_row,
    client_ip,
    left(headers ->> 'user-agent', 1000)
  );
  return null;
end
$$;
-- +goose StatementEnd
revoke execute on function events.audit_trigger() from public;
comment on function events.audit_trigger() is
  'Attach after insert/update/delete for each row; optional argument: the id column (default id).';

alter table events.audit_log enable row level security;
revoke all on events.audit_log from public, anon, authenticated;
grant select on events.audit_log to authenticated;
grant select, insert on events.audit_log to service_role;
create policy audit_log_select_admin on events.audit_log for select to authenticated
  using ((select public.has_role('admin')));

-- What the shared core audits itself: who holds which role, who belongs
-- to which tenant, and every runtime setting.
create trigger user_roles_audit after insert or update or delete on public.user_roles
  for each row execute function events.audit_trigger();
create trigger tenant_members_audit after insert or update or delete on public.tenant_members
  for each row execute function events.audit_trigger('tenant_id');
create trigger configurations_audit after insert or update or delete on system.configurations
  for each row execute function events.audit_trigger();

-- +goose Down
drop trigger if exists configurations_audit on system.configurations;
drop trigger if exists tenant_members_audit on public.tenant_members;
drop trigger if exists user_roles_audit on public.user_roles;
drop function if exists events.audit_trigger();
drop table if exists events.audit_log;
drop function if exists events.forbid_change();
