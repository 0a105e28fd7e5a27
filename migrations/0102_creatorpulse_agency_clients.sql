-- CreatorPulse seed 001 section 8: agency_clients, and what an agency may
-- do for its clients.
--
-- The agency manages the relationship (creates, renames, ends it); the
-- client sees it. permissions says what the agency may do with the
-- client's data -- {"drafts": "read"|"write", "sources": ...,
-- "delivery_preferences": ...}, write implying read -- and only the client
-- (or the service role) sets it: an agency that could grant itself
-- permissions over any user id would read anyone's drafts. So the client
-- may update permissions and is_active of its own relationships, and the
-- agency may change everything but permissions (a trigger enforces the
-- split, SQLSTATE 42501).
--
-- agency_client_ids(area, level) lists the clients that have given the
-- signed-in agency that permission; the policies of content_drafts,
-- content_sources and delivery_preferences use it.

-- +goose Up
create table creatorpulse.agency_clients (
  id uuid primary key default gen_random_uuid(),
  agency_user_id uuid not null references auth.users (id) on delete cascade,
  client_user_id uuid not null references auth.users (id) on delete cascade,
  client_name text not null,
  client_brand text,
  permissions jsonb not null default '{}'
    constraint agency_clients_permissions_check check (creatorpulse.valid_agency_permissions(permissions)),
  billing_allocation numeric(5, 2)
    constraint agency_clients_billing_allocation_check check (billing_allocation between 0 and 100),
  is_active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint agency_clients_not_self_check check (agency_user_id <> client_user_id)
);
comment on table creatorpulse.agency_clients is 'Agency-client relationships and the permissions the client gives the agency (seed 001 section 8.1).';
comment on column creatorpulse.agency_clients.permissions is 'What the agency may do for the client: {"drafts"|"sources"|"delivery_preferences": "read"|"write"}. Set by the client.';
comment on column creatorpulse.agency_clients.billing_allocation is 'Percentage of agency credits.';
create index agency_clients_agency_user_idx on creatorpulse.agency_clients (agency_user_id);
create index agency_clients_client_user_idx on creatorpulse.agency_clients (client_user_id);
create unique index agency_clients_agency_client_idx on creatorpulse.agency_clients (agency_user_id, client_user_id);
create index agency_clients_active_idx on creatorpulse.agency_clients (is_active);

create trigger update_agency_clients_updated_at before update on creatorpulse.agency_clients
  for each row execute function creatorpulse.update_updated_at_column();

-- +goose StatementBegin
create function creatorpulse.agency_clients_guard() returns trigger
language plpgsql
set search_path = ''
as $$
declare
  uid uuid := auth.uid();
begin
  if creatorpulse.is_system() then
    return new;
  end if;
  if tg_op = 'INSERT' then
    if new.permissions <> '{}'::jsonb then
      raise exception 'agency_clients.permissions are given by the client, not set by the agency'
        using errcode = '42501', column = 'permissions', table = 'agency_clients', schema = 'creatorpulse';
    end if;
  elsif uid = old.client_user_id then
    if new.agency_user_id <> old.agency_user_id or new.client_user_id <> old.client_user_id
       or new.client_name is distinct from old.client_name or new.client_brand is distinct from old.client_brand
       or new.billing_allocation is distinct from old.billing_allocation then
      raise exception 'agency_clients: a client may change only permissions and is_active'
        using errcode = '42501', table = 'agency_clients', schema = 'creatorpulse';
    end if;
  elsif new.permissions is distinct from old.permissions then
    raise exception 'agency_clients.permissions are given by the client, not set by the agency'
      using errcode = '42501', column = 'permissions', table = 'agency_clients', schema = 'creatorpulse';
  end if;
  return new;
end
$$;
-- +goose StatementEnd
revoke execute on function creatorpulse.agency_clients_guard() from public;
create trigger agency_clients_guard before insert or update on creatorpulse.agency_clients
  for each row execute function creatorpulse.agency_clients_guard();

alter table creatorpulse.agency_clients enable row level security;
revoke all on creatorpulse.agency_clients from public, anon, authenticated;
grant select, delete on creatorpulse.agency_clients to authenticated;
grant insert (agency_user_id, client_user_id, client_name, client_brand, billing_allocation, is_active)
  on creatorpulse.agency_clients to authenticated;
grant update (client_name, client_brand, billing_allocation, is_active, permissions)
  on creatorpulse.agency_clients to authenticated;
grant select, insert, update, delete on creatorpulse.agency_clients to service_role;

create policy "Agency users can manage their clients" on creatorpulse.agency_clients
  for all to authenticated
  using ((select auth.uid()) = agency_user_id)
  with check ((select auth.uid()) = agency_user_id);
create policy "Client users can view their agency relationships" on creatorpulse.agency_clients
  for select to authenticated using ((select auth.uid()) = client_user_id);
create policy "Client users can set their agency's permissions" on creatorpulse.agency_clients
  for update to authenticated
  using ((select auth.uid()) = client_user_id)
  with check ((select auth.uid()) = client_user_id);

-- The clients who gave the signed-in agency `level` (read or write) on
-- `area` (drafts, sources, delivery_preferences), in active relationships.
-- SECURITY DEFINER so policies can call it whatever the caller may read;
-- it only ever answers about the caller's own relationships.
-- +goose StatementBegin
create function creatorpulse.agency_client_ids(area text, level text) returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  select ac.client_user_id
  from creatorpulse.agency_clients ac
  where ac.agency_user_id = (select auth.uid())
    and ac.is_active
    and case level
          when 'read' then ac.permissions ->> area in ('read', 'write')
          when 'write' then ac.permissions ->> area = 'write'
          else false
        end
$$;
-- +goose StatementEnd
revoke execute on function creatorpulse.agency_client_ids(text, text) from public;
grant execute on function creatorpulse.agency_client_ids(text, text) to authenticated, service_role;
comment on function creatorpulse.agency_client_ids(text, text) is
  'Clients that gave the signed-in agency level (read|write) on area (drafts|sources|delivery_preferences).';

-- +goose Down
drop function if exists creatorpulse.agency_client_ids(text, text);
drop table if exists creatorpulse.agency_clients;
drop function if exists creatorpulse.agency_clients_guard();
