-- The rest of GoTrue's auth tables that the Auth API (/auth/v1) uses:
-- one-time tokens (confirmation, recovery, email change), PKCE flow
-- state, the audit log and the amr claims behind the access token's
-- `amr`. Names, types and indexes are GoTrue's current ones, so that a
-- Supabase project's auth dump loads unchanged.

-- +goose Up
create type auth.one_time_token_type as enum (
  'confirmation_token',
  'reauthentication_token',
  'recovery_token',
  'email_change_token_new',
  'email_change_token_current',
  'phone_change_token'
);

-- One row per user and token type; token_hash is hex(sha224(email || otp)),
-- never the code itself. auth.users keeps a copy in its *_token columns.
create table auth.one_time_tokens (
  id uuid primary key,
  user_id uuid not null references auth.users (id) on delete cascade,
  token_type auth.one_time_token_type not null,
  token_hash text not null check (char_length(token_hash) > 0),
  relates_to text not null,
  created_at timestamp without time zone not null default now(),
  updated_at timestamp without time zone not null default now()
);
create index one_time_tokens_token_hash_hash_idx on auth.one_time_tokens using hash (token_hash);
create index one_time_tokens_relates_to_hash_idx on auth.one_time_tokens using hash (relates_to);
create unique index one_time_tokens_user_id_token_type_key on auth.one_time_tokens (user_id, token_type);

create type auth.code_challenge_method as enum ('s256', 'plain');

-- PKCE: a verified email link yields an auth_code that is exchanged once,
-- with the code verifier, at POST /token?grant_type=pkce.
create table auth.flow_state (
  id uuid primary key,
  user_id uuid,
  auth_code text not null,
  code_challenge_method auth.code_challenge_method not null,
  code_challenge text not null,
  provider_type text not null,
  provider_access_token text,
  provider_refresh_token text,
  created_at timestamptz,
  updated_at timestamptz,
  authentication_method text not null,
  auth_code_issued_at timestamptz
);
create index idx_auth_code on auth.flow_state (auth_code);
create index idx_user_id_auth_method on auth.flow_state (user_id, authentication_method);
create index flow_state_created_at_idx on auth.flow_state (created_at desc);

create table auth.audit_log_entries (
  instance_id uuid,
  id uuid primary key,
  payload json,
  created_at timestamptz,
  ip_address varchar(64) not null default ''
);
create index audit_logs_instance_id_idx on auth.audit_log_entries (instance_id);

-- How a session was authenticated (password, otp, recovery, ...): the
-- access token's amr claim.
create table auth.mfa_amr_claims (
  session_id uuid not null references auth.sessions (id) on delete cascade,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  authentication_method text not null,
  id uuid primary key,
  constraint mfa_amr_claims_session_id_authentication_method_pkey unique (session_id, authentication_method)
);

-- Lookups by address are case-insensitive, as GoTrue's (lower(email) = $1).
-- GoTrue reaches them through (instance_id, lower(email)); creatorbase
-- does not filter on instance_id, so it needs this one.
create index users_lower_email_idx on auth.users (lower(email)) where is_sso_user = false;

revoke all on auth.one_time_tokens, auth.flow_state, auth.audit_log_entries, auth.mfa_amr_claims from public;
grant select, insert, update, delete
  on auth.one_time_tokens, auth.flow_state, auth.audit_log_entries, auth.mfa_amr_claims
  to supabase_auth_admin;

-- +goose Down
drop index if exists auth.users_lower_email_idx;
drop table if exists auth.mfa_amr_claims;
drop table if exists auth.audit_log_entries;
drop table if exists auth.flow_state;
drop type if exists auth.code_challenge_method;
drop table if exists auth.one_time_tokens;
drop type if exists auth.one_time_token_type;
