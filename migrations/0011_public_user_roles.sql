-- public.user_roles and public.has_role(role): application roles (seed
-- 003's user_role, widened to every product's roles) for admin policies
-- everywhere. A role may expire; an expired grant counts for nothing.
--
-- Hierarchy in has_role: super_admin satisfies every check, admin also
-- satisfies 'moderator'. 'user' and 'author' are plain grants.

-- +goose Up
create type public.app_role as enum ('user', 'moderator', 'admin', 'super_admin', 'author');

create table public.user_roles (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references public.users (id) on delete cascade,
  role public.app_role not null,
  granted_by uuid references public.users (id) on delete set null,
  granted_at timestamptz not null default now(),
  expires_at timestamptz,
  created_at timestamptz not null default now(),
  constraint user_roles_user_id_role_key unique (user_id, role),
  constraint user_roles_expires_after_grant check (expires_at is null or expires_at > granted_at)
);
comment on table public.user_roles is 'Application roles per user; has_role() reads it. Admins grant roles below admin, super admins any.';
create index user_roles_granted_by_idx on public.user_roles (granted_by);

-- The granter is whoever is signed in; only the service role may name one.
-- +goose StatementBegin
create function public.user_roles_set_granted_by() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if (select auth.uid()) is not null then
    new.granted_by := (select auth.uid());
  end if;
  return new;
end
$$;
-- +goose StatementEnd
revoke execute on function public.user_roles_set_granted_by() from public;
create trigger user_roles_set_granted_by before insert on public.user_roles
  for each row execute function public.user_roles_set_granted_by();

-- has_role: SECURITY DEFINER so policies on user_roles itself (and on
-- every other table) can call it without recursing through RLS.
-- +goose StatementBegin
create function public.has_role(role public.app_role) returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1
    from public.user_roles ur
    where ur.user_id = (select auth.uid())
      and (ur.expires_at is null or ur.expires_at > pg_catalog.now())
      and (ur.role = has_role.role
           or ur.role = 'super_admin'
           or (ur.role = 'admin' and has_role.role = 'moderator'))
  )
$$;
-- +goose StatementEnd
revoke execute on function public.has_role(public.app_role) from public;
grant execute on function public.has_role(public.app_role) to anon, authenticated, service_role;
comment on function public.has_role(public.app_role) is
  'True when the signed-in user holds role (unexpired). super_admin satisfies every role, admin also moderator.';

alter table public.user_roles enable row level security;
revoke all on public.user_roles from public, anon, authenticated;
grant select, delete on public.user_roles to authenticated;
grant insert (user_id, role, expires_at) on public.user_roles to authenticated;
grant update (expires_at) on public.user_roles to authenticated;
grant select, insert, update, delete on public.user_roles to service_role;

create policy user_roles_select on public.user_roles for select to authenticated
  using (user_id = (select auth.uid()) or (select public.has_role('admin')));
-- Admins manage roles below admin; super admins manage every role.
create policy user_roles_insert on public.user_roles for insert to authenticated
  with check ((select public.has_role('super_admin'))
              or ((select public.has_role('admin')) and role in ('user', 'moderator', 'author')));
create policy user_roles_update on public.user_roles for update to authenticated
  using ((select public.has_role('super_admin'))
         or ((select public.has_role('admin')) and role in ('user', 'moderator', 'author')))
  with check ((select public.has_role('super_admin'))
              or ((select public.has_role('admin')) and role in ('user', 'moderator', 'author')));
create policy user_roles_delete on public.user_roles for delete to authenticated
  using ((select public.has_role('super_admin'))
         or ((select public.has_role('admin')) and role in ('user', 'moderator', 'author')));

-- Admins read every profile (support, moderation).
create policy users_select_admin on public.users for select to authenticated
  using ((select public.has_role('admin')));

-- +goose Down
drop policy if exists users_select_admin on public.users;
drop table if exists public.user_roles;
drop function if exists public.has_role(public.app_role);
drop function if exists public.user_roles_set_granted_by();
drop type if exists public.app_role;
