-- system.vault_secrets: OAuth tokens and API credentials, encrypted with
-- pgcrypto (OpenPGP symmetric, AES-256) under a key that the server holds
-- in its configuration and passes with every call; the key is never
-- stored in the database. Other tables keep only the secret's name
-- (seed 003: platform_connection.vault_secret_name).
--
-- Nobody reads the table directly, not even the service role: the three
-- functions below are the only way in, and only the service role may call
-- them. A wrong key fails with pgcrypto's "Wrong key or corrupt data"
-- (SQLSTATE 39000).

-- +goose Up
create extension if not exists pgcrypto with schema extensions;

create table system.vault_secrets (
  id uuid primary key default gen_random_uuid(),
  name text not null unique check (char_length(name) between 1 and 255),
  secret bytea not null,
  description text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table system.vault_secrets is 'Encrypted secrets by name; read and written only through system.vault_put / vault_get / vault_delete.';
create trigger vault_secrets_set_updated_at before update on system.vault_secrets
  for each row execute function public.set_updated_at();

-- +goose StatementBegin
create function system.vault_put(name text, secret text, key text) returns uuid
language plpgsql
volatile
security definer
set search_path = ''
as $$
#variable_conflict use_column
declare
  stored uuid;
begin
  if vault_put.name is null or vault_put.secret is null then
    raise exception 'vault_put: name and secret are required' using errcode = '22004';
  end if;
  if vault_put.key is null or length(vault_put.key) < 16 then
    raise exception 'vault_put: the key must be at least 16 characters' using errcode = '22023';
  end if;
  insert into system.vault_secrets (name, secret)
  values (vault_put.name, extensions.pgp_sym_encrypt(vault_put.secret, vault_put.key, 'cipher-algo=aes256'))
  on conflict on constraint vault_secrets_name_key do update set secret = excluded.secret
  returning id into stored;
  return stored;
end
$$;
-- +goose StatementEnd

-- +goose StatementBegin
create function system.vault_get(name text, key text) returns text
language plpgsql
stable
security definer
set search_path = ''
as $$
#variable_conflict use_column
declare
  ciphertext bytea;
begin
  select v.secret into ciphertext from system.vault_secrets v where v.name = vault_get.name;
  if ciphertext is null then
    return null;
  end if;
  return extensions.pgp_sym_decrypt(ciphertext, vault_get.key);
end
$$;
-- +goose StatementEnd

-- +goose StatementBegin
create function system.vault_delete(name text) returns boolean
language plpgsql
volatile
security definer
set search_path = ''
as $$
#variable_conflict use_column
begin
  delete from system.vault_secrets v where v.name = vault_delete.name;
  return found;
end
$$;
-- +goose StatementEnd

revoke execute on function system.vault_put(text, text, text), system.vault_get(text, text),
  system.vault_delete(text) from public;
grant execute on function system.vault_put(text, text, text), system.vault_get(text, text),
  system.vault_delete(text) to service_role;

alter table system.vault_secrets enable row level security;
revoke all on system.vault_secrets from public, anon, authenticated, service_role;

-- +goose Down
drop function if exists system.vault_delete(text);
drop function if exists system.vault_get(text, text);
drop function if exists system.vault_put(text, text, text);
drop table if exists system.vault_secrets;
-- pgcrypto was installed for the vault; nothing else in the schema uses it.
drop extension if exists pgcrypto;
