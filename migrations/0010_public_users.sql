-- public.users: one profile per person, for every product (seed 000's
-- unified identity; columns from seed 003's users). A row is made by a
-- trigger when the Auth service creates auth.users, and follows the
-- account's email. Each person reads and edits their own row; id, email,
-- created_at, updated_at and onboarded_at are not theirs to write.

-- +goose Up

-- Shared trigger function: stamp updated_at on every UPDATE. Any schema's
-- table may attach it (before update ... for each row).
-- +goose StatementBegin
create function public.set_updated_at() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := pg_catalog.now();
  return new;
end
$$;
-- +goose StatementEnd
revoke execute on function public.set_updated_at() from public;
comment on function public.set_updated_at() is 'Trigger: sets updated_at to now() on update. Attach before update for each row.';

-- An IANA time zone name, as PostgreSQL knows them (pg_timezone_names).
-- Abbreviations (CEST) and POSIX strings (UTC+3) are not names.
-- +goose StatementBegin
create function public.is_valid_timezone(tz text) returns boolean
language sql stable
set search_path = ''
as $$
  select tz is not null and exists (select 1 from pg_catalog.pg_timezone_names where name = tz)
$$;
-- +goose StatementEnd
revoke execute on function public.is_valid_timezone(text) from public;
grant execute on function public.is_valid_timezone(text) to anon, authenticated, service_role;
comment on function public.is_valid_timezone(text) is 'True when tz is an IANA time zone name known to the server.';

create table public.users (
  id uuid primary key references auth.users (id) on delete cascade,
  email text,
  full_name text check (char_length(full_name) <= 200),
  avatar_url text check (char_length(avatar_url) <= 2048),
  timezone text not null default 'UTC',
  language text not null default 'en' check (language ~ '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$'),
  is_onboarded boolean not null default false,
  onboarded_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.users is 'One profile per person across every product; id = auth.users.id. Made at signup by a trigger.';
comment on column public.users.timezone is 'IANA name (Europe/Berlin), checked against pg_timezone_names on write.';
comment on column public.users.language is 'BCP 47 language tag, e.g. en, pt-BR.';
comment on column public.users.onboarded_at is 'Set by a trigger when is_onboarded becomes true; cleared when it becomes false.';
create index users_email_idx on public.users (lower(email));

-- Validate the time zone and keep onboarded_at in step with is_onboarded.
-- +goose StatementBegin
create function public.users_before_write() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' or new.timezone is distinct from old.timezone then
    if not public.is_valid_timezone(new.timezone) then
      raise exception 'invalid time zone: %', new.timezone
        using errcode = '22023', hint = 'Use an IANA name such as Europe/Berlin or America/New_York.';
    end if;
  end if;
  if new.is_onboarded and (tg_op = 'INSERT' or not old.is_onboarded) then
    new.onboarded_at := coalesce(new.onboarded_at, pg_catalog.now());
  elsif not new.is_onboarded then
    new.onboarded_at := null;
  elsif tg_op = 'UPDATE' then
    new.onboarded_at := old.onboarded_at;
  end if;
  return new;
end
$$;
-- +goose StatementEnd
revoke execute on function public.users_before_write() from public;

create trigger users_before_write before insert or update on public.users
  for each row execute function public.users_before_write();
create trigger users_set_updated_at before update on public.users
  for each row execute function public.set_updated_at();

-- Signup: make the profile from auth.users, reading the metadata the
-- client sent (supabase-js signUp options.data) or the OAuth provider gave.
-- Runs as the table owner so the Auth service needs no rights on public.
-- +goose StatementBegin
create function public.handle_new_auth_user() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  meta jsonb := coalesce(new.raw_user_meta_data, '{}'::jsonb);
  tz text := meta ->> 'timezone';
  lang text := meta ->> 'language';
begin
  if not public.is_valid_timezone(tz) then
    tz := 'UTC';
  end if;
  if lang is null or lang !~ '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$' then
    lang := 'en';
  end if;
  insert into public.users (id, email, full_name, avatar_url, timezone, language, created_at)
  values (
    new.id,
    new.email,
    left(coalesce(meta ->> 'full_name', meta ->> 'name'), 200),
    left(coalesce(meta ->> 'avatar_url', meta ->> 'picture'), 2048),
    tz,
    lang,
    coalesce(new.created_at, pg_catalog.now())
  )
  on conflict (id) do nothing;
  return new;
end
$$;
-- +goose StatementEnd
revoke execute on function public.handle_new_auth_user() from public;

-- Email changes made by the Auth service (confirmed email change, admin
-- update) follow into the profile.
-- +goose StatementBegin
create function public.handle_auth_user_email_change() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  update public.users set email = new.email where id = new.id;
  return new;
end
$$;
-- +goose StatementEnd
revoke execute on function public.handle_auth_user_email_change() from public;

create trigger on_auth_user_created after insert on auth.users
  for each row execute function public.handle_new_auth_user();
create trigger on_auth_user_email_changed after update of email on auth.users
  for each row when (old.email is distinct from new.email)
  execute function public.handle_auth_user_email_change();

alter table public.users enable row level security;
revoke all on public.users from public, anon, authenticated;
grant select on public.users to authenticated;
grant update (full_name, avatar_url, timezone, language, is_onboarded) on public.users to authenticated;
grant select, insert, update, delete on public.users to service_role;

create policy users_select_own on public.users for select to authenticated
  using (id = (select auth.uid()));
create policy users_update_own on public.users for update to authenticated
  using (id = (select auth.uid()))
  with check (id = (select auth.uid()));

-- +goose Down
drop trigger if exists on_auth_user_email_changed on auth.users;
drop trigger if exists on_auth_user_created on auth.users;
drop function if exists public.handle_auth_user_email_change();
drop function if exists public.handle_new_auth_user();
drop table if exists public.users;
drop function if exists public.users_before_write();
drop function if exists public.is_valid_timezone(text);
drop function if exists public.set_updated_at();
