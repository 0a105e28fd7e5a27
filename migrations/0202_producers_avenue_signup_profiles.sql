-- Producers Avenue: shared helpers, the signup trigger and profile rules.
--
--   config(key)        a producers_avenue setting from system.configurations
--   is_admin()         public.has_role('admin') or a profile role admin/super_admin
--   notify(...)        an in-app notification (internal)
--   signup             an auth.users INSERT makes user_profiles, subscriptions
--                      (basic, active) and wallets
--   smart_link         only rolink.me; https:// prepended when missing
--   location           user_locations holds the precise location; the
--                      profile publishes what location_visibility allows
--                      (exact: all; city: city, country, coordinates rounded
--                      to 0.1 degree; country: country; hidden: nothing)

-- +goose Up

-- +goose StatementBegin
create function producers_avenue.config(key text) returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select c.value from system.configurations c
  where c.category = 'producers_avenue' and c.key = config.key
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.config(text) from public;
grant execute on function producers_avenue.config(text) to authenticated, service_role;
comment on function producers_avenue.config(text) is 'A producers_avenue setting from system.configurations (null when missing).';

-- +goose StatementBegin
create function producers_avenue.is_admin() returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select (select auth.uid()) is not null and (
    public.has_role('admin')
    or exists (select 1 from producers_avenue.user_profiles p
               where p.user_id = (select auth.uid()) and p.role in ('admin', 'super_admin')))
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.is_admin() from public;
grant execute on function producers_avenue.is_admin() to anon, authenticated, service_role;
comment on function producers_avenue.is_admin() is 'True for platform admins (public.user_roles) and Producers Avenue admins (user_profiles.role).';

-- +goose StatementBegin
create function producers_avenue.notify(
  recipient uuid, kind text, title text, message text,
  link_url text default null, actor uuid default null, related uuid default null
) returns void
language sql
security definer
set search_path = ''
as $$
  insert into producers_avenue.notifications (user_id, type, title, message, link_url, actor_id, related_id)
  select notify.recipient, notify.kind, notify.title, notify.message, notify.link_url, notify.actor, notify.related
  where notify.recipient is not null and notify.recipient is distinct from notify.actor
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.notify(uuid, text, text, text, text, uuid, uuid) from public;

-- Signup. The username comes from metadata (username) or the email's
-- local part, made valid; a taken one gets a suffix from the user id.
-- +goose StatementBegin
create function producers_avenue.handle_new_user() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  meta jsonb := coalesce(new.raw_user_meta_data, '{}'::jsonb);
  base text;
  suffix text := pg_catalog.substr(pg_catalog.replace(new.id::text, '-', ''), 1, 8);
begin
  base := pg_catalog.lower(coalesce(nullif(meta ->> 'username', ''), pg_catalog.split_part(coalesce(new.email, ''), '@', 1)));
  base := pg_catalog.regexp_replace(base, '[^a-z0-9_.-]', '', 'g');
  base := pg_catalog.regexp_replace(base, '^[.-]+', '');
  base := pg_catalog.left(base, 20);
  if pg_catalog.char_length(base) < 3 then
    base := 'producer_' || suffix;
  end if;
  begin
    insert into producers_avenue.user_profiles (user_id, username, display_name, avatar_url)
    values (new.id, base, pg_catalog.left(coalesce(meta ->> 'display_name', meta ->> 'full_name', meta ->> 'name'), 100),
            pg_catalog.left(coalesce(meta ->> 'avatar_url', meta ->> 'picture'), 2048))
    on conflict (user_id) do nothing;
  exception when unique_violation then
    insert into producers_avenue.user_profiles (user_id, username, display_name, avatar_url)
    values (new.id, pg_catalog.left(base, 20) || '_' || suffix,
            pg_catalog.left(coalesce(meta ->> 'display_name', meta ->> 'full_name', meta ->> 'name'), 100),
            pg_catalog.left(coalesce(meta ->> 'avatar_url', meta ->> 'picture'), 2048))
    on conflict (user_id) do nothing;
  end;
  insert into producers_avenue.subscriptions (user_id, tier, status) values (new.id, 'basic', 'active')
  on conflict (user_id) do nothing;
  insert into producers_avenue.wallets (user_id) values (new.id)
  on conflict (user_id) do nothing;
  return new;
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.handle_new_user() from public;
create trigger producers_avenue_on_auth_user_created after insert on auth.users
  for each row execute function producers_avenue.handle_new_user();

-- Profile writes: normalise username and smart_link, stamp bans, publish
-- the location when its visibility changes.
-- +goose StatementBegin
create function producers_avenue.user_profiles_before_write() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v text;
  loc producers_avenue.user_locations;
begin
  new.username := pg_catalog.lower(new.username);

  if new.smart_link is not null and (tg_op = 'INSERT' or new.smart_link is distinct from old.smart_link) then
    v := pg_catalog.btrim(new.smart_link);
    if v = '' then
      v := null;
    else
      if v !~* '^[a-z][a-z0-9+.-]*://' then
        v := 'https://' || v;
      end if;
      if v ~* '^https?://(www\.)?rolink\.me$' then
        v := v || '/';
      end if;
      if v !~* '^https?://(www\.)?rolink\.me/' then
        raise exception 'smart_link must be a rolink.me link, got %', pg_catalog.left(new.smart_link, 200)
          using errcode = '23514', hint = 'Use your Release Organizer Smart Link, e.g. https://rolink.me/yourname.';
      end if;
      -- Scheme and host in lower case; the path as given.
      v := pg_catalog.lower(substring(v from '(?i)^(https?://(?:www\.)?rolink\.me/)'))
           || substring(v from '(?i)^https?://(?:www\.)?rolink\.me/(.*)$');
    end if;
    new.smart_link := v;
  end if;

  if tg_op = 'UPDATE' and new.is_banned is distinct from old.is_banned then
    if new.is_banned then
      new.banned_at := pg_catalog.now();
      new.banned_by := (select auth.uid());
    else
      new.banned_at := null;
      new.banned_by := null;
      new.ban_reason := null;
    end if;
  end if;

  -- Location columns are published, never written directly: recompute
  -- them from the precise location on every write.
  begin
    select * into loc from producers_avenue.user_locations l where l.user_id = new.user_id;
    new.location_coords := case new.location_visibility
      when 'exact' then loc.location_coords
      when 'city' then case when loc.location_coords is not null
                            then pg_catalog.point(round(loc.location_coords[0]::numeric, 1), round(loc.location_coords[1]::numeric, 1)) end
    end;
    new.location_city := case when new.location_visibility in ('exact', 'city') then loc.location_city end;
    new.location_country := case when new.location_visibility in ('exact', 'city', 'country') then loc.location_country end;
    new.location_source := case when new.location_visibility <> 'hidden' then loc.location_source end;
    new.location_last_updated := case when new.location_visibility <> 'hidden' then loc.location_last_updated end;
  end;
  return new;
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.user_profiles_before_write() from public;
create trigger user_profiles_before_write before insert or update on producers_avenue.user_profiles
  for each row execute function producers_avenue.user_profiles_before_write();

-- A precise location: GPS needs a paid tier (seed: "Paid users: Can
-- enable GPS"); every change republishes the profile's location.
-- +goose StatementBegin
create function producers_avenue.user_locations_before_write() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.location_source = 'gps' and (tg_op = 'INSERT' or old.location_source is distinct from 'gps') and not exists (
       select 1 from producers_avenue.subscriptions s
       where s.user_id = new.user_id and s.tier <> 'basic' and s.status in ('active', 'past_due'))
     and not exists (select 1 from producers_avenue.user_profiles p where p.user_id = new.user_id and p.is_partner_account) then
    raise exception 'precise GPS location needs a paid plan'
      using errcode = '23514', hint = 'Use city-level location (source ip or manual), or upgrade.';
  end if;
  new.location_last_updated := pg_catalog.now();
  return new;
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.user_locations_before_write() from public;
create trigger user_locations_before_write before insert or update on producers_avenue.user_locations
  for each row execute function producers_avenue.user_locations_before_write();

-- +goose StatementBegin
create function producers_avenue.user_locations_publish() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  -- Any update makes user_profiles_before_write republish.
  update producers_avenue.user_profiles p
     set location_visibility = p.location_visibility
   where p.user_id = coalesce(new.user_id, old.user_id);
  return null;
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.user_locations_publish() from public;
create trigger user_locations_publish after insert or update or delete on producers_avenue.user_locations
  for each row execute function producers_avenue.user_locations_publish();

-- +goose Down
drop trigger if exists user_locations_publish on producers_avenue.user_locations;
drop function if exists producers_avenue.user_locations_publish();
drop trigger if exists user_locations_before_write on producers_avenue.user_locations;
drop function if exists producers_avenue.user_locations_before_write();
drop trigger if exists user_profiles_before_write on producers_avenue.user_profiles;
drop function if exists producers_avenue.user_profiles_before_write();
drop trigger if exists producers_avenue_on_auth_user_created on auth.users;
drop function if exists producers_avenue.handle_new_user();
drop function if exists producers_avenue.notify(uuid, text, text, text, text, uuid, uuid);
drop function if exists producers_avenue.is_admin();
drop function if exists producers_avenue.config(text);
