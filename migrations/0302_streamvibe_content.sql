-- StreamVibe (seed 003): platform_connection, social_account, content_item,
-- content_revision.
--
-- platform_connection keeps only vault_secret_name: the OAuth tokens live in
-- system.vault_secrets, written and read by the service role through
-- store_platform_connection_secret() / platform_connection_secret(). A name
-- that is not in the vault is refused (23503); deleting a connection deletes
-- its secret. Connections and social accounts are written by the service
-- role (the OAuth callback and the sync); users read theirs, switch them on
-- and off, and tune sync_mode, visibility and is_primary.
--
-- Ownership of content_item is derived: content_item -> social_account ->
-- user_id (no user_id column). The policies compare social_account_id with
-- the array my_social_account_ids() builds once per statement, so a user's
-- listing is an index scan on (social_account_id, published_at desc).
--
-- Soft delete: social_account and content_item carry deleted_at; deleted
-- rows are invisible to users. Users soft-delete through
-- soft_delete_social_account(id) / soft_delete_content_item(id) (an UPDATE
-- through the Data API could not return a row its SELECT policy hides).
-- Others read an account and its content only when the account is public,
-- the item is public and the owner's user_setting.is_profile_public is on.
--
-- Revisions: every change of title, description, tags, hashtags or category
-- writes content_revision rows (old and new value as text; arrays in
-- PostgreSQL's literal form), by trigger, so every path obeys it.
-- change_source is manual unless the writing function says otherwise
-- (ai_suggestion, revert, bulk_edit, sync: setting streamvibe.change_source).
-- revert_content_revision(id) restores a revision's old value, itself
-- recorded as a revision (change_source revert).

-- +goose Up

-- ---------------------------------------------------------------------------
-- platform_connection
-- ---------------------------------------------------------------------------

create table streamvibe.platform_connection (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references public.users (id) on delete cascade,
  platform_id uuid not null references public.platforms (id) on delete restrict,
  vault_secret_name text unique constraint platform_connection_vault_secret_name_check check (char_length(vault_secret_name) between 1 and 255),
  scopes text[] not null default '{}',
  token_expires_at timestamptz,
  platform_user_id text not null constraint platform_connection_platform_user_id_check check (char_length(platform_user_id) between 1 and 255),
  platform_username text constraint platform_connection_platform_username_check check (char_length(platform_username) <= 255),
  platform_display_name text constraint platform_connection_platform_display_name_check check (char_length(platform_display_name) <= 255),
  platform_avatar_url text constraint platform_connection_platform_avatar_url_check check (char_length(platform_avatar_url) <= 2048),
  is_active boolean not null default true,
  is_verified boolean not null default false,
  last_verified_at timestamptz,
  last_error text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint platform_connection_user_platform_account_key unique (user_id, platform_id, platform_user_id)
);
comment on table streamvibe.platform_connection is 'OAuth connections. Tokens are in system.vault_secrets under vault_secret_name, never here.';
comment on column streamvibe.platform_connection.vault_secret_name is 'Name of the vault secret holding the tokens; set by store_platform_connection_secret().';
create index platform_connection_user_id_platform_id_idx on streamvibe.platform_connection (user_id, platform_id);
create index platform_connection_active_idx on streamvibe.platform_connection (user_id) where is_active;
create index platform_connection_platform_id_idx on streamvibe.platform_connection (platform_id);
create index platform_connection_token_expires_at_idx on streamvibe.platform_connection (token_expires_at) where is_active;
create trigger platform_connection_set_updated_at before update on streamvibe.platform_connection
  for each row execute function public.set_updated_at();
create trigger platform_connection_check_platform before insert or update of platform_id on streamvibe.platform_connection
  for each row execute function streamvibe.check_platform();

-- vault_secret_name must name a secret that exists. SECURITY DEFINER: the
-- vault table is granted to no one.
-- +goose StatementBegin
create function streamvibe.check_vault_secret() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.vault_secret_name is not null
     and (tg_op = 'INSERT' or new.vault_secret_name is distinct from old.vault_secret_name)
     and not exists (select 1 from system.vault_secrets v where v.name = new.vault_secret_name) then
    raise exception 'vault_secret_name "%": no such secret in the vault', new.vault_secret_name
      using errcode = '23503', column = 'vault_secret_name', table = tg_table_name, schema = tg_table_schema,
            hint = 'Store the secret with the connection''s store_*_secret() function.';
  end if;
  return new;
end
$$;
-- +goose StatementEnd
revoke execute on function streamvibe.check_vault_secret() from public;

-- +goose StatementBegin
create function streamvibe.delete_vault_secret() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if old.vault_secret_name is not null then
    perform system.vault_delete(old.vault_secret_name);
  end if;
  return null;
end
$$;
-- +goose StatementEnd
revoke execute on function streamvibe.delete_vault_secret() from public;

create trigger platform_connection_check_vault_secret before insert or update of vault_secret_name on streamvibe.platform_connection
  for each row execute function streamvibe.check_vault_secret();
create trigger platform_connection_delete_vault_secret after delete on streamvibe.platform_connection
  for each row execute function streamvibe.delete_vault_secret();
create trigger platform_connection_audit after insert or update or delete on streamvibe.platform_connection
  for each row execute function events.audit_trigger();

-- Service role: encrypt the connection's tokens (any text, usually JSON)
-- into the vault under a name derived from the connection, and record the name.
-- +goose StatementBegin
create function streamvibe.store_platform_connection_secret(connection_id uuid, secret text, key text) returns text
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  secret_name text := 'streamvibe/platform_connection/' || connection_id;
begin
  if not exists (select 1 from streamvibe.platform_connection c where c.id = connection_id) then
    raise exception 'platform connection % not found', connection_id using errcode = 'PT404';
  end if;
  perform system.vault_put(secret_name, secret, key);
  update streamvibe.platform_connection c set vault_secret_name = secret_name where c.id = connection_id;
  return secret_name;
end
$$;
-- +goose StatementEnd

-- +goose StatementBegin
create function streamvibe.platform_connection_secret(connection_id uuid, key text) returns text
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  secret_name text;
begin
  select c.vault_secret_name into secret_name from streamvibe.platform_connection c where c.id = connection_id;
  if secret_name is null then
    return null;
  end if;
  return system.vault_get(secret_name, key);
end
$$;
-- +goose StatementEnd
revoke execute on function streamvibe.store_platform_connection_secret(uuid, text, text),
  streamvibe.platform_connection_secret(uuid, text) from public;
grant execute on function streamvibe.store_platform_connection_secret(uuid, text, text),
  streamvibe.platform_connection_secret(uuid, text) to service_role;

alter table streamvibe.platform_connection enable row level security;
revoke all on streamvibe.platform_connection from public, anon, authenticated;
grant select, delete on streamvibe.platform_connection to authenticated;
grant update (is_active) on streamvibe.platform_connection to authenticated;
grant select, insert, update, delete on streamvibe.platform_connection to service_role;
create policy platform_connection_select on streamvibe.platform_connection for select to authenticated
  using (user_id = (select auth.uid()) or (select public.has_role('admin')));
create policy platform_connection_update on streamvibe.platform_connection for update to authenticated
  using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
create policy platform_connection_delete on streamvibe.platform_connection for delete to authenticated
  using (user_id = (select auth.uid()));

-- ---------------------------------------------------------------------------
-- social_account
-- ---------------------------------------------------------------------------

create table streamvibe.social_account (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references public.users (id) on delete cascade,
  connection_id uuid references streamvibe.platform_connection (id) on delete set null,
  platform_id uuid not null references public.platforms (id) on delete restrict,
  status_id uuid not null references streamvibe.account_status (id) on delete restrict,
  account_name text not null constraint social_account_account_name_check check (char_length(account_name) between 1 and 255),
  account_url text constraint social_account_account_url_check check (char_length(account_url) <= 2048),
  description text constraint social_account_description_check check (char_length(description) <= 5000),
  follower_count integer not null default 0 constraint social_account_follower_count_check check (follower_count >= 0),
  following_count integer not null default 0 constraint social_account_following_count_check check (following_count >= 0),
  post_count integer not null default 0 constraint social_account_post_count_check check (post_count >= 0),
  sync_mode streamvibe.action_mode_enum not null default 'auto',
  last_synced_at timestamptz,
  last_sync_status text constraint social_account_last_sync_status_check
    check (last_sync_status in ('pending', 'running', 'success', 'partial', 'failed')),
  next_sync_at timestamptz,
  visibility streamvibe.visibility_enum not null default 'private',
  is_primary boolean not null default false,
  deleted_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table streamvibe.social_account is 'Connected accounts and channels. user_id is denormalized from the connection; soft-deleted by deleted_at.';
create index social_account_user_id_platform_id_idx on streamvibe.social_account (user_id, platform_id) where deleted_at is null;
create index social_account_user_id_idx on streamvibe.social_account (user_id);
create index social_account_connection_id_idx on streamvibe.social_account (connection_id);
create index social_account_platform_id_idx on streamvibe.social_account (platform_id);
create index social_account_status_id_idx on streamvibe.social_account (status_id);
create index social_account_next_sync_at_idx on streamvibe.social_account (next_sync_at)
  where deleted_at is null and sync_mode = 'auto';
create index social_account_public_idx on streamvibe.social_account (user_id)
  where deleted_at is null and visibility = 'public';
create unique index social_account_one_primary_idx on streamvibe.social_account (user_id)
  where is_primary and deleted_at is null;
create trigger social_account_set_updated_at before update on streamvibe.social_account
  for each row execute function public.set_updated_at();
create trigger social_account_check_platform before insert or update of platform_id on streamvibe.social_account
  for each row execute function streamvibe.check_platform();
create trigger social_account_audit after insert or update or delete on streamvibe.social_account
  for each row execute function events.audit_trigger();

-- Defaults and consistency: status active when not given; user_id and
-- platform_id agree with the connection; the tier's max_social_accounts.
-- +goose StatementBegin
create function streamvibe.social_account_before_write() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  conn record;
  max_accounts integer;
  n integer;
begin
  if new.status_id is null then
    select s.id into new.status_id from streamvibe.account_status s where s.slug = 'active';
  end if;
  if new.connection_id is not null and (tg_op = 'INSERT' or new.connection_id is distinct from old.connection_id) then
    select c.user_id, c.platform_id into conn from streamvibe.platform_connection c where c.id = new.connection_id;
    if conn.user_id is distinct from new.user_id then
      raise exception 'connection_id %: the connection belongs to another user', new.connection_id
        using errcode = '23514', column = 'connection_id', table = 'social_account', schema = 'streamvibe';
    end if;
    if conn.platform_id is distinct from new.platform_id then
      raise exception 'platform_id: the connection is for another platform'
        using errcode = '23514', column = 'platform_id', table = 'social_account', schema = 'streamvibe';
    end if;
  end if;
  if new.deleted_at is null and (tg_op = 'INSERT' or old.deleted_at is not null) then
    select t.max_social_accounts into max_accounts
    from streamvibe.subscription s join streamvibe.subscription_tier t on t.id = s.tier_id
    where s.user_id = new.user_id;
    if max_accounts is not null then
      select count(*) into n from streamvibe.social_account a
      where a.user_id = new.user_id and a.deleted_at is null and a.id <> new.id;
      if n >= max_accounts then
        raise exception 'social account limit reached: % of % accounts', n, max_accounts
          using errcode = 'PT402', hint = 'Remove an account or upgrade the subscription tier.';
      end if;
    end if;
  end if;
  return new;
end
$$;
-- +goose StatementEnd
revoke execute on function streamvibe.social_account_before_write() from public;
create trigger social_account_before_write before insert or update on streamvibe.social_account
  for each row execute function streamvibe.social_account_before_write();

-- The caller's live social account ids, built once per statement by the
-- content policies ((select ...) makes it an init plan).
-- +goose StatementBegin
create function streamvibe.my_social_account_ids() returns uuid[]
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(array_agg(a.id), '{}')
  from streamvibe.social_account a
  where a.user_id = (select auth.uid()) and a.deleted_at is null
$$;
-- +goose StatementEnd

-- Live public accounts of users whose profile is public.
-- +goose StatementBegin
create function streamvibe.public_social_account_ids() returns uuid[]
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(array_agg(a.id), '{}')
  from streamvibe.social_account a
  join streamvibe.user_setting s on s.user_id = a.user_id and s.is_profile_public
  where a.deleted_at is null and a.visibility = 'public'
$$;
-- +goose StatementEnd
-- What the caller may read content of: their own live accounts, public
-- accounts of public profiles; admins every live account.
-- +goose StatementBegin
create function streamvibe.readable_social_account_ids() returns uuid[]
language sql
stable
security definer
set search_path = ''
as $$
  select case when public.has_role('admin')
    then (select coalesce(array_agg(a.id), '{}') from streamvibe.social_account a where a.deleted_at is null)
    else streamvibe.my_social_account_ids() || streamvibe.public_social_account_ids()
  end
$$;
-- +goose StatementEnd
revoke execute on function streamvibe.my_social_account_ids(), streamvibe.public_social_account_ids(),
  streamvibe.readable_social_account_ids() from public;
grant execute on function streamvibe.my_social_account_ids(), streamvibe.public_social_account_ids(),
  streamvibe.readable_social_account_ids() to anon, authenticated, service_role;

alter table streamvibe.social_account enable row level security;
revoke all on streamvibe.social_account from public, anon, authenticated;
grant select on streamvibe.social_account to anon, authenticated;
grant update (sync_mode, visibility, is_primary, description) on streamvibe.social_account to authenticated;
grant select, insert, update, delete on streamvibe.social_account to service_role;
create policy social_account_select_own on streamvibe.social_account for select to authenticated
  using (user_id = (select auth.uid()) and deleted_at is null);
create policy social_account_select_public on streamvibe.social_account for select to anon, authenticated
  using (deleted_at is null and visibility = 'public' and streamvibe.is_profile_public(user_id));
create policy social_account_select_admin on streamvibe.social_account for select to authenticated
  using ((select public.has_role('admin')));
create policy social_account_update on streamvibe.social_account for update to authenticated
  using (user_id = (select auth.uid()) and deleted_at is null) with check (user_id = (select auth.uid()));

-- ---------------------------------------------------------------------------
-- content_item
-- ---------------------------------------------------------------------------

-- to_tsvector needs an immutable text; array_to_string is only stable.
-- +goose StatementBegin
create function streamvibe.tags_text(tags text[]) returns text
language sql
immutable
parallel safe
set search_path = ''
as $$ select pg_catalog.array_to_string(tags, ' ') $$;
-- +goose StatementEnd
grant execute on function streamvibe.tags_text(text[]) to anon, authenticated, service_role;

create table streamvibe.content_item (
  id uuid primary key default gen_random_uuid(),
  social_account_id uuid not null references streamvibe.social_account (id) on delete cascade,
  platform_id uuid not null references public.platforms (id) on delete restrict,
  content_type_id uuid not null references streamvibe.content_type (id) on delete restrict,
  platform_content_id text not null constraint content_item_platform_content_id_check check (char_length(platform_content_id) between 1 and 255),
  platform_url text constraint content_item_platform_url_check check (char_length(platform_url) <= 2048),
  title text constraint content_item_title_check check (char_length(title) <= 500),
  description text constraint content_item_description_check check (char_length(description) <= 10000),
  thumbnail_url text constraint content_item_thumbnail_url_check check (char_length(thumbnail_url) <= 2048),
  media_url text constraint content_item_media_url_check check (char_length(media_url) <= 2048),
  duration_seconds integer constraint content_item_duration_seconds_check check (duration_seconds >= 0),
  views_count integer not null default 0 constraint content_item_views_count_check check (views_count >= 0),
  likes_count integer not null default 0 constraint content_item_likes_count_check check (likes_count >= 0),
  comments_count integer not null default 0 constraint content_item_comments_count_check check (comments_count >= 0),
  shares_count integer not null default 0 constraint content_item_shares_count_check check (shares_count >= 0),
  tags text[] not null default '{}' constraint content_item_tags_check check (cardinality(tags) <= 500),
  hashtags text[] not null default '{}' constraint content_item_hashtags_check check (cardinality(hashtags) <= 500),
  category text constraint content_item_category_check check (char_length(category) <= 100),
  language text constraint content_item_language_check check (language ~ '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$'),
  search_vector tsvector generated always as (
    setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') ||
    setweight(to_tsvector('english'::regconfig, coalesce(description, '')), 'B') ||
    setweight(to_tsvector('english'::regconfig, streamvibe.tags_text(tags)), 'C') ||
    setweight(to_tsvector('english'::regconfig, streamvibe.tags_text(hashtags)), 'C')
  ) stored,
  published_at timestamptz,
  synced_at timestamptz,
  visibility streamvibe.visibility_enum not null default 'public',
  deleted_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint content_item_account_content_key unique (social_account_id, platform_content_id)
);
comment on table streamvibe.content_item is 'Synced content. Owned through social_account.user_id; platform_id copied from the account; soft-deleted by deleted_at.';
comment on column streamvibe.content_item.search_vector is 'Generated: title (A), description (B), tags and hashtags (C), english configuration.';
create index content_item_social_account_id_published_at_idx on streamvibe.content_item (social_account_id, published_at desc)
  where deleted_at is null;
create index content_item_search_vector_idx on streamvibe.content_item using gin (search_vector);
create index content_item_platform_id_idx on streamvibe.content_item (platform_id);
create index content_item_content_type_id_idx on streamvibe.content_item (content_type_id);
create trigger content_item_set_updated_at before update on streamvibe.content_item
  for each row execute function public.set_updated_at();

-- platform_id always follows the social account (the seed's denormalization).
-- +goose StatementBegin
create function streamvibe.content_item_set_platform() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' or new.social_account_id is distinct from old.social_account_id
     or new.platform_id is distinct from old.platform_id then
    select a.platform_id into new.platform_id from streamvibe.social_account a where a.id = new.social_account_id;
  end if;
  return new;
end
$$;
-- +goose StatementEnd
revoke execute on function streamvibe.content_item_set_platform() from public;
create trigger content_item_set_platform before insert or update on streamvibe.content_item
  for each row execute function streamvibe.content_item_set_platform();

alter table streamvibe.content_item enable row level security;
revoke all on streamvibe.content_item from public, anon, authenticated;
grant select on streamvibe.content_item to anon, authenticated;
grant update (title, description, tags, hashtags, category, language, thumbnail_url, visibility)
  on streamvibe.content_item to authenticated;
grant select, insert, update, delete on streamvibe.content_item to service_role;
-- One SELECT policy, so that the planner sees one indexable condition
-- (social_account_id = any(array)) whoever asks: the owner's live accounts,
-- the public accounts of public profiles, and every account for admins.
create policy content_item_select on streamvibe.content_item for select to anon, authenticated
  using (deleted_at is null
         and social_account_id = any ((select streamvibe.readable_social_account_ids())::uuid[])
         and (visibility = 'public'
              or (select public.has_role('admin'))
              or social_account_id = any ((select streamvibe.my_social_account_ids())::uuid[])));
create policy content_item_update on streamvibe.content_item for update to authenticated
  using (deleted_at is null and social_account_id = any ((select streamvibe.my_social_account_ids())::uuid[]))
  with check (social_account_id = any ((select streamvibe.my_social_account_ids())::uuid[]));

-- ---------------------------------------------------------------------------
-- content_revision
-- ---------------------------------------------------------------------------

create table streamvibe.content_revision (
  id uuid primary key default gen_random_uuid(),
  content_item_id uuid not null references streamvibe.content_item (id) on delete cascade,
  user_id uuid references public.users (id) on delete set null,
  field_name text not null constraint content_revision_field_name_check
    check (field_name in ('title', 'description', 'tags', 'hashtags', 'category')),
  old_value text,
  new_value text,
  change_source text not null default 'manual' constraint content_revision_change_source_check
    check (change_source in ('manual', 'ai_suggestion', 'bulk_edit', 'revert', 'sync')),
  change_reason text constraint content_revision_change_reason_check check (char_length(change_reason) <= 1000),
  created_at timestamptz not null default now()
);
comment on table streamvibe.content_revision is 'Append-only edit history of content items, written by trigger. Arrays are stored in PostgreSQL literal form.';
create index content_revision_content_item_id_created_at_idx on streamvibe.content_revision (content_item_id, created_at desc);
create index content_revision_user_id_idx on streamvibe.content_revision (user_id);
create trigger content_revision_forbid_update before update on streamvibe.content_revision
  for each row execute function events.forbid_change();

-- +goose StatementBegin
create function streamvibe.content_item_write_revisions() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  source text := coalesce(nullif(pg_catalog.current_setting('streamvibe.change_source', true), ''), 'manual');
  reason text := nullif(pg_catalog.current_setting('streamvibe.change_reason', true), '');
  actor uuid := auth.uid();
begin
  if actor is null then
    select a.user_id into actor from streamvibe.social_account a where a.id = new.social_account_id;
  end if;
  insert into streamvibe.content_revision (content_item_id, user_id, field_name, old_value, new_value, change_source, change_reason)
  select new.id, actor, f.name, f.old_value, f.new_value, source, reason
  from (values
    ('title', old.title, new.title),
    ('description', old.description, new.description),
    ('tags', old.tags::text, new.tags::text),
    ('hashtags', old.hashtags::text, new.hashtags::text),
    ('category', old.category, new.category)
  ) as f(name, old_value, new_value)
  where f.old_value is distinct from f.new_value;
  return null;
end
$$;
-- +goose StatementEnd
revoke execute on function streamvibe.content_item_write_revisions() from public;
create trigger content_item_write_revisions after update of title, description, tags, hashtags, category
  on streamvibe.content_item
  for each row execute function streamvibe.content_item_write_revisions();

alter table streamvibe.content_revision enable row level security;
revoke all on streamvibe.content_revision from public, anon, authenticated, service_role;
grant select on streamvibe.content_revision to authenticated, service_role;
create policy content_revision_select on streamvibe.content_revision for select to authenticated
  using (content_item_id in (select c.id from streamvibe.content_item c
                             where c.social_account_id = any ((select streamvibe.my_social_account_ids())::uuid[]))
         or (select public.has_role('admin')));

-- ---------------------------------------------------------------------------
-- Functions: soft delete, revert
-- ---------------------------------------------------------------------------

-- The item's owner, or null when it does not exist or is deleted.
-- +goose StatementBegin
create function streamvibe.content_item_owner(item_id uuid) returns uuid
language sql
stable
security definer
set search_path = ''
as $$
  select a.user_id from streamvibe.content_item c join streamvibe.social_account a on a.id = c.social_account_id
  where c.id = item_id and c.deleted_at is null and a.deleted_at is null
$$;
-- +goose StatementEnd
revoke execute on function streamvibe.content_item_owner(uuid) from public;

-- True for the service role and the owner; otherwise the row is "not found".
-- +goose StatementBegin
create function streamvibe.may_write(owner_id uuid) returns boolean
language sql
stable
set search_path = ''
as $$
  select owner_id is not null
     and (auth.role() = 'service_role' or (auth.uid() is null and auth.role() is null) or owner_id = auth.uid())
$$;
-- +goose StatementEnd
revoke execute on function streamvibe.may_write(uuid) from public;

-- +goose StatementBegin
create function streamvibe.soft_delete_content_item(item_id uuid) returns void
language plpgsql
volatile
security definer
set search_path = ''
as $$
begin
  if not streamvibe.may_write(streamvibe.content_item_owner(item_id)) then
    raise exception 'content item % not found', item_id using errcode = 'PT404';
  end if;
  update streamvibe.content_item set deleted_at = pg_catalog.now() where id = item_id;
end
$$;
-- +goose StatementEnd

-- +goose StatementBegin
create function streamvibe.soft_delete_social_account(account_id uuid) returns void
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  owner_id uuid;
begin
  select a.user_id into owner_id from streamvibe.social_account a where a.id = account_id and a.deleted_at is null;
  if not streamvibe.may_write(owner_id) then
    raise exception 'social account % not found', account_id using errcode = 'PT404';
  end if;
  update streamvibe.social_account set deleted_at = pg_catalog.now(), is_primary = false where id = account_id;
end
$$;
-- +goose StatementEnd

-- Restore a revision's old value. Someone else's revision is "not found".
-- +goose StatementBegin
create function streamvibe.revert_content_revision(revision_id uuid) returns streamvibe.content_item
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  rev streamvibe.content_revision;
  item streamvibe.content_item;
begin
  select r.* into rev from streamvibe.content_revision r where r.id = revision_id;
  if rev.id is null or not streamvibe.may_write(streamvibe.content_item_owner(rev.content_item_id)) then
    raise exception 'revision % not found', revision_id using errcode = 'PT404';
  end if;
  perform pg_catalog.set_config('streamvibe.change_source', 'revert', true);
  perform pg_catalog.set_config('streamvibe.change_reason', 'revert of revision ' || revision_id, true);
  update streamvibe.content_item c set
    title = case when rev.field_name = 'title' then rev.old_value else c.title end,
    description = case when rev.field_name = 'description' then rev.old_value else c.description end,
    tags = case when rev.field_name = 'tags' then coalesce(rev.old_value::text[], '{}') else c.tags end,
    hashtags = case when rev.field_name = 'hashtags' then coalesce(rev.old_value::text[], '{}') else c.hashtags end,
    category = case when rev.field_name = 'category' then rev.old_value else c.category end
  where c.id = rev.content_item_id
  returning c.* into item;
  perform pg_catalog.set_config('streamvibe.change_source', '', true);
  perform pg_catalog.set_config('streamvibe.change_reason', '', true);
  return item;
end
$$;
-- +goose StatementEnd
revoke execute on function streamvibe.soft_delete_content_item(uuid), streamvibe.soft_delete_social_account(uuid),
  streamvibe.revert_content_revision(uuid) from public;
grant execute on function streamvibe.soft_delete_content_item(uuid), streamvibe.soft_delete_social_account(uuid),
  streamvibe.revert_content_revision(uuid) to authenticated, service_role;

-- +goose Down
drop function if exists streamvibe.revert_content_revision(uuid);
drop function if exists streamvibe.soft_delete_social_account(uuid);
drop function if exists streamvibe.soft_delete_content_item(uuid);
drop function if exists streamvibe.may_write(uuid);
drop function if exists streamvibe.content_item_owner(uuid);
drop table if exists streamvibe.content_revision;
drop table if exists streamvibe.content_item;
drop function if exists streamvibe.content_item_write_revisions();
drop function if exists streamvibe.content_item_set_platform();
drop function if exists streamvibe.tags_text(text[]);
drop table if exists streamvibe.social_account;
drop function if exists streamvibe.readable_social_account_ids();
drop function if exists streamvibe.public_social_account_ids();
drop function if exists streamvibe.my_social_account_ids();
drop function if exists streamvibe.social_account_before_write();
drop function if exists streamvibe.platform_connection_secret(uuid, text);
drop function if exists streamvibe.store_platform_connection_secret(uuid, text, text);
drop table if exists streamvibe.platform_connection;
drop function if exists streamvibe.delete_vault_secret();
drop function if exists streamvibe.check_vault_secret();
