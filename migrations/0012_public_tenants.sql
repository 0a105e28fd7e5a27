-- public.tenants and public.tenant_members: agencies and teams. A tenant's
-- creator becomes its owner. Members are owner, admin or member;
-- is_tenant_member(tenant_id, min_role) is the helper product policies use
-- ("any member may read, admins may write"). A tenant always keeps an
-- owner, unless the last owner's account is being deleted.

-- +goose Up
create table public.tenants (
  id uuid primary key default gen_random_uuid(),
  name text not null check (char_length(name) between 1 and 200),
  slug text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  description text check (char_length(description) <= 2000),
  settings jsonb not null default '{}'::jsonb check (jsonb_typeof(settings) = 'object'),
  created_by uuid default auth.uid() references public.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.tenants is 'Agencies and teams; product rows may carry tenant_id and use is_tenant_member() in policies.';
create index tenants_created_by_idx on public.tenants (created_by);
create trigger tenants_set_updated_at before update on public.tenants
  for each row execute function public.set_updated_at();

create table public.tenant_members (
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  user_id uuid not null references public.users (id) on delete cascade,
  role text not null default 'member' check (role in ('owner', 'admin', 'member')),
  invited_by uuid references public.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, user_id)
);
comment on table public.tenant_members is 'Who belongs to which tenant, as owner, admin or member.';
create index tenant_members_user_id_idx on public.tenant_members (user_id, tenant_id, role);
create index tenant_members_invited_by_idx on public.tenant_members (invited_by);
create trigger tenant_members_set_updated_at before update on public.tenant_members
  for each row execute function public.set_updated_at();

-- +goose StatementBegin
create function public.is_tenant_member(tenant_id uuid, min_role text default 'member') returns boolean
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  need int := case min_role when 'member' then 1 when 'admin' then 2 when 'owner' then 3 end;
begin
  if need is null then
    raise exception 'is_tenant_member: unknown role %', min_role
      using errcode = '22023', hint = 'Use member, admin or owner.';
  end if;
  return exists (
    select 1
    from public.tenant_members m
    where m.tenant_id = is_tenant_member.tenant_id
      and m.user_id = (select auth.uid())
      and case m.role when 'member' then 1 when 'admin' then 2 when 'owner' then 3 end >= need
  );
end
$$;
-- +goose StatementEnd
revoke execute on function public.is_tenant_member(uuid, text) from public;
grant execute on function public.is_tenant_member(uuid, text) to anon, authenticated, service_role;
comment on function public.is_tenant_member(uuid, text) is
  'True when the signed-in user belongs to the tenant with at least min_role (member < admin < owner).';

-- The creator of a tenant becomes its owner.
-- +goose StatementBegin
create function public.tenants_add_owner() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.created_by is not null then
    insert into public.tenant_members (tenant_id, user_id, role, invited_by)
    values (new.id, new.created_by, 'owner', new.created_by)
    on conflict do nothing;
  end if;
  return null;
end
$$;
-- +goose StatementEnd
revoke execute on function public.tenants_add_owner() from public;
create trigger tenants_add_owner after insert on public.tenants
  for each row execute function public.tenants_add_owner();

-- invited_by is whoever is signed in.
-- +goose StatementBegin
create function public.tenant_members_set_invited_by() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if (select auth.uid()) is not null then
    new.invited_by := (select auth.uid());
  end if;
  return new;
end
$$;
-- +goose StatementEnd
revoke execute on function public.tenant_members_set_invited_by() from public;
create trigger tenant_members_set_invited_by before insert on public.tenant_members
  for each row execute function public.tenant_members_set_invited_by();

-- Refuse to leave a tenant without an owner. Checked after the statement's
-- rows, so one statement may swap owners. Allowed when the tenant itself
-- is being deleted, or when the owner's account is (purge).
-- +goose StatementBegin
create function public.tenant_members_keep_owner() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if old.role <> 'owner' or (tg_op = 'UPDATE' and new.role = 'owner') then
    return null;
  end if;
  if exists (select 1 from public.tenants t where t.id = old.tenant_id)
     and exists (select 1 from public.users u where u.id = old.user_id)
     and not exists (select 1 from public.tenant_members m
                     where m.tenant_id = old.tenant_id and m.role = 'owner') then
    raise exception 'tenant % must keep at least one owner', old.tenant_id
      using errcode = '23514', hint = 'Make another member owner first, or delete the tenant.';
  end if;
  return null;
end
$$;
-- +goose StatementEnd
revoke execute on function public.tenant_members_keep_owner() from public;
create trigger tenant_members_keep_owner after update or delete on public.tenant_members
  for each row execute function public.tenant_members_keep_owner();

alter table public.tenants enable row level security;
revoke all on public.tenants from public, anon, authenticated;
grant select, delete on public.tenants to authenticated;
grant insert (name, slug, description, settings, created_by) on public.tenants to authenticated;
grant update (name, slug, description, settings) on public.tenants to authenticated;
grant select, insert, update, delete on public.tenants to service_role;

-- created_by lets the creator see the row it just inserted (RETURNING runs
-- before the owner membership exists).
create policy tenants_select on public.tenants for select to authenticated
  using (created_by = (select auth.uid())
         or public.is_tenant_member(id, 'member')
         or (select public.has_role('admin')));
create policy tenants_insert on public.tenants for insert to authenticated
  with check (created_by = (select auth.uid()));
create policy tenants_update on public.tenants for update to authenticated
  using (public.is_tenant_member(id, 'admin'))
  with check (public.is_tenant_member(id, 'admin'));
create policy tenants_delete on public.tenants for delete to authenticated
  using (public.is_tenant_member(id, 'owner'));

alter table public.tenant_members enable row level security;
revoke all on public.tenant_members from public, anon, authenticated;
grant select, delete on public.tenant_members to authenticated;
grant insert (tenant_id, user_id, role) on public.tenant_members to authenticated;
grant update (role) on public.tenant_members to authenticated;
grant select, insert, update, delete on public.tenant_members to service_role;

create policy tenant_members_select on public.tenant_members for select to authenticated
  using (user_id = (select auth.uid())
         or public.is_tenant_member(tenant_id, 'member')
         or (select public.has_role('admin')));
-- Admins add and change members; only owners touch owners.
create policy tenant_members_insert on public.tenant_members for insert to authenticated
  with check (public.is_tenant_member(tenant_id, 'admin')
              and (role <> 'owner' or public.is_tenant_member(tenant_id, 'owner')));
create policy tenant_members_update on public.tenant_members for update to authenticated
  using (public.is_tenant_member(tenant_id, 'admin')
         and (role <> 'owner' or public.is_tenant_member(tenant_id, 'owner')))
  with check (public.is_tenant_member(tenant_id, 'admin')
              and (role <> 'owner' or public.is_tenant_member(tenant_id, 'owner')));
-- Anyone may leave; admins remove members, owners remove anyone.
create policy tenant_members_delete on public.tenant_members for delete to authenticated
  using (user_id = (select auth.uid())
         or (public.is_tenant_member(tenant_id, 'admin')
             and (role <> 'owner' or public.is_tenant_member(tenant_id, 'owner'))));

-- +goose Down
drop table if exists public.tenant_members;
drop table if exists public.tenants;
drop function if exists public.tenant_members_keep_owner();
drop function if exists public.tenant_members_set_invited_by();
drop function if exists public.tenants_add_owner();
drop function if exists public.is_tenant_member(uuid, text);
