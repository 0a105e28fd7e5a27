-- CreatorPulse seed 001 section 2: creator_profiles and platform_connections.
--
-- creator_profiles: the creator's product profile (one per user). The user
-- writes their own profile; voice_training_status (moved by voice
-- training) and subscription_tier (moved by billing) are not theirs to
-- write. timezone must be an IANA name (SQLSTATE 22023 otherwise), since
-- daily deliveries and analytics days are computed in it.
--
-- platform_connections: OAuth connections to X, LinkedIn, Instagram. The
-- seed's access_token / refresh_token ("encrypted") are not columns here:
-- the tokens live only in system.vault_secrets, encrypted with pgcrypto
-- under the server's key, and the row keeps the vault secret's name.
-- store_platform_tokens() and platform_tokens() (service role only) write
-- and read them; deleting a connection deletes its secrets.

-- +goose Up
create table creatorpulse.creator_profiles (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  email text not null,
  full_name text,
  creator_handle text,
  bio text,
  avatar_url text,
  timezone text not null default 'UTC',
  voice_training_status text not null default 'pending'
    constraint creator_profiles_voice_training_status_check
    check (voice_training_status in ('pending', 'training', 'completed', 'failed')),
  subscription_tier text not null default 'free'
    constraint creator_profiles_subscription_tier_check
    check (subscription_tier in ('free', 'creator', 'agency', 'enterprise')),
  onboarding_completed boolean not null default false,
  settings jsonb not null default '{}'
    constraint creator_profiles_settings_check check (jsonb_typeof(settings) = 'object'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table creatorpulse.creator_profiles is 'Creator profile and preferences, one per user (seed 001 section 2.1).';
create unique index creator_profiles_user_id_idx on creatorpulse.creator_profiles (user_id);
-- The seed's UNIQUE column and its unique index are one index.
create unique index creator_profiles_creator_handle_idx on creatorpulse.creator_profiles (creator_handle);
create index creator_profiles_subscription_tier_idx on creatorpulse.creator_profiles (subscription_tier);

create trigger update_creator_profiles_updated_at before update on creatorpulse.creator_profiles
  for each row execute function creatorpulse.update_updated_at_column();

-- +goose StatementBegin
create function creatorpulse.creator_profiles_check_timezone() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' or new.timezone is distinct from old.timezone then
    if not public.is_valid_timezone(new.timezone) then
      raise exception 'creator_profiles.timezone: invalid time zone %', new.timezone
        using errcode = '22023', column = 'timezone', table = 'creator_profiles', schema = 'creatorpulse',
              hint = 'Use an IANA name such as Europe/Berlin or America/New_York.';
    end if;
  end if;
  return new;
end
$$;
-- +goose StatementEnd
revoke execute on function creatorpulse.creator_profiles_check_timezone() from public;
create trigger creator_profiles_check_timezone before insert or update on creatorpulse.creator_profiles
  for each row execute function creatorpulse.creator_profiles_check_timezone();

alter table creatorpulse.creator_profiles enable row level security;
revoke all on creatorpulse.creator_profiles from public, anon, authenticated;
grant select on creatorpulse.creator_profiles to authenticated;
grant insert (user_id, email, full_name, creator_handle, bio, avatar_url, timezone, onboarding_completed, settings)
  on creatorpulse.creator_profiles to authenticated;
grant update (email, full_name, creator_handle, bio, avatar_url, timezone, onboarding_completed, settings)
  on creatorpulse.creator_profiles to authenticated;
grant select, insert, update, delete on creatorpulse.creator_profiles to service_role;

create policy "Users can create their own profile" on creatorpulse.creator_profiles
  for insert to authenticated with check ((select auth.uid()) = user_id);
create policy "Users can view their own profile" on creatorpulse.creator_profiles
  for select to authenticated using ((select auth.uid()) = user_id);
create policy "Users can update their own profile" on creatorpulse.creator_profiles
  for update to authenticated using ((select auth.uid()) = user_id) with check ((select auth.uid()) = user_id);

create table creatorpulse.platform_connections (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  platform text not null
    constraint platform_connections_platform_check check (platform in ('twitter', 'linkedin', 'instagram')),
  platform_user_id text not null,
  platform_username text not null,
  access_token_secret text,
  refresh_token_secret text,
  token_expires_at timestamptz,
  platform_data jsonb not null default '{}'
    constraint platform_connections_platform_data_check check (jsonb_typeof(platform_data) = 'object'),
  is_active boolean not null default true,
  last_sync_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table creatorpulse.platform_connections is 'Connections to X, LinkedIn and Instagram (seed 001 section 2.2). Tokens are in system.vault_secrets, never here.';
comment on column creatorpulse.platform_connections.access_token_secret is 'Name of the system.vault_secrets entry holding the encrypted access token (seed: access_token). Set by store_platform_tokens().';
comment on column creatorpulse.platform_connections.refresh_token_secret is 'Name of the system.vault_secrets entry holding the encrypted refresh token (seed: refresh_token). Set by store_platform_tokens().';
comment on column creatorpulse.platform_connections.platform_data is 'Platform-specific metadata.';
create unique index platform_connections_user_platform_idx on creatorpulse.platform_connections (user_id, platform);
create index platform_connections_platform_user_id_idx on creatorpulse.platform_connections (platform, platform_user_id);
create index platform_connections_active_idx on creatorpulse.platform_connections (is_active);

create trigger update_platform_connections_updated_at before update on creatorpulse.platform_connections
  for each row execute function creatorpulse.update_updated_at_column();

alter table creatorpulse.platform_connections enable row level security;
revoke all on creatorpulse.platform_connections from public, anon, authenticated;
grant select, delete on creatorpulse.platform_connections to authenticated;
grant insert (user_id, platform, platform_user_id, platform_username, platform_data, is_active)
  on creatorpulse.platform_connections to authenticated;
grant update (platform_username, platform_data, is_active) on creatorpulse.platform_connections to authenticated;
grant select, insert, update, delete on creatorpulse.platform_connections to service_role;

create policy "Users can create their own connections" on creatorpulse.platform_connections
  for insert to authenticated with check ((select auth.uid()) = user_id);
create policy "Users can view their own connections" on creatorpulse.platform_connections
  for select to authenticated using ((select auth.uid()) = user_id);
create policy "Users can update their own connections" on creatorpulse.platform_connections
  for update to authenticated using ((select auth.uid()) = user_id) with check ((select auth.uid()) = user_id);
create policy "Users can delete their own connections" on creatorpulse.platform_connections
  for delete to authenticated using ((select auth.uid()) = user_id);

-- Tokens: the service role stores them in the vault after the OAuth
-- exchange and reads them to call the platform. key is the server's vault
-- key (never stored). Runs with the caller's rights: the service role may
-- call system.vault_put / vault_get and update the connection.
-- +goose StatementBegin
create function creatorpulse.store_platform_tokens(
  connection_id uuid, access_token text, refresh_token text, expires_at timestamptz, key text
) returns void
language plpgsql
volatile
set search_path = ''
as $$
declare
  base text := 'creatorpulse.platform_connections.' || connection_id::text;
begin
  if not exists (select 1 from creatorpulse.platform_connections c where c.id = connection_id) then
    raise exception 'platform connection % does not exist', connection_id using errcode = 'P0002';
  end if;
  if access_token is not null then
    perform system.vault_put(base || '.access_token', access_token, key);
  end if;
  if refresh_token is not null then
    perform system.vault_put(base || '.refresh_token', refresh_token, key);
  end if;
  update creatorpulse.platform_connections c
  set access_token_secret = case when access_token is not null then base || '.access_token' else c.access_token_secret end,
      refresh_token_secret = case when refresh_token is not null then base || '.refresh_token' else c.refresh_token_secret end,
      token_expires_at = expires_at
  where c.id = connection_id;
end
$$;
-- +goose StatementEnd
revoke execute on function creatorpulse.store_platform_tokens(uuid, text, text, timestamptz, text) from public;
grant execute on function creatorpulse.store_platform_tokens(uuid, text, text, timestamptz, text) to service_role;
comment on function creatorpulse.store_platform_tokens(uuid, text, text, timestamptz, text) is
  'Service role: encrypt a connection''s OAuth tokens into system.vault_secrets and record their names. A null token keeps the stored one.';

-- +goose StatementBegin
create function creatorpulse.platform_tokens(connection_id uuid, key text)
returns table (access_token text, refresh_token text, token_expires_at timestamptz)
language plpgsql
stable
set search_path = ''
as $$
begin
  return query
  select system.vault_get(c.access_token_secret, key),
         system.vault_get(c.refresh_token_secret, key),
         c.token_expires_at
  from creatorpulse.platform_connections c
  where c.id = connection_id;
end
$$;
-- +goose StatementEnd
revoke execute on function creatorpulse.platform_tokens(uuid, text) from public;
grant execute on function creatorpulse.platform_tokens(uuid, text) to service_role;
comment on function creatorpulse.platform_tokens(uuid, text) is 'Service role: the decrypted OAuth tokens of a connection.';

-- A deleted connection (by its user, or with the account) takes its
-- secrets along. SECURITY DEFINER: users may delete their connection but
-- have no rights on the vault.
-- +goose StatementBegin
create function creatorpulse.platform_connections_forget_tokens() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if old.access_token_secret is not null then
    perform system.vault_delete(old.access_token_secret);
  end if;
  if old.refresh_token_secret is not null then
    perform system.vault_delete(old.refresh_token_secret);
  end if;
  return null;
end
$$;
-- +goose StatementEnd
revoke execute on function creatorpulse.platform_connections_forget_tokens() from public;
create trigger platform_connections_forget_tokens after delete on creatorpulse.platform_connections
  for each row execute function creatorpulse.platform_connections_forget_tokens();

-- +goose Down
drop table if exists creatorpulse.platform_connections;
drop function if exists creatorpulse.platform_connections_forget_tokens();
drop function if exists creatorpulse.platform_tokens(uuid, text);
drop function if exists creatorpulse.store_platform_tokens(uuid, text, text, timestamptz, text);
drop table if exists creatorpulse.creator_profiles;
drop function if exists creatorpulse.creator_profiles_check_timezone();
