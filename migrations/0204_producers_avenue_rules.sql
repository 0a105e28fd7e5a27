-- Producers Avenue: the seed's rules as triggers and functions, so that
-- every path (Data API, functions, service role) obeys them. Refusals
-- raise SQLSTATE 23514 (check_violation: HTTP 400) or 42501 (the wrong
-- party: HTTP 403) with a message that says what to do.
--
--   counters        followers/following/products_count, likes_count,
--                   comments_count, members_count (active), posts_count
--                   (approved), registrations_count, attendees_count,
--                   reviews_count + rating_average, orders_count,
--                   completion_rate: increments under the row lock, or a
--                   recount after locking the parent, so concurrent writers
--                   never lose an update
--   followers       no self-follow; follow_status(other) and the
--                   connections view give following / follower / connected
--   custom fields   a repeated value adds the requester; skills auto-approve
--                   at 3 distinct requesters, genres at 5, categories only by
--                   an admin; approval creates the field and notifies
--   groups          owner membership, join approval, roles, post approval
--   products        featured limits by tier at write; recordings only via
--                   convert_webinar_recording(); paid files via product_file_urls()
--   orders          package terms snapshotted; the state machine by party
--   webinars        max_attendees; co-hosts for Premium+; webinar_access()
--   reviews         one per reviewer per item; purchase required; only the
--                   seller responds
--   messages        participants only; per-user soft delete (hide_message)
--   reports         3 false reports: 30-day report ban; 5: permanent

-- +goose Up

-- True for the service role and for work with no request claims at all
-- (the owner: migrations, jobs, the CLI); false for anon and users.
-- +goose StatementBegin
create function producers_avenue.actor_is_system() returns boolean
language sql
stable
set search_path = ''
as $$
  select coalesce((select auth.role()), '') in ('service_role', '')
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.actor_is_system() from public;
grant execute on function producers_avenue.actor_is_system() to authenticated, service_role;

-- ============================================================== followers
-- +goose StatementBegin
create function producers_avenue.followers_before_insert() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.follower_id = new.following_id then
    raise exception 'you cannot follow yourself' using errcode = '23514';
  end if;
  return new;
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.followers_before_insert() from public;
create trigger followers_before_insert before insert on producers_avenue.followers
  for each row execute function producers_avenue.followers_before_insert();

-- +goose StatementBegin
create function producers_avenue.followers_count() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  r record := coalesce(new, old);
  d int := case tg_op when 'INSERT' then 1 else -1 end;
begin
  -- Lock both profiles in id order: A follows B while B follows A never deadlocks.
  perform 1 from producers_avenue.user_profiles p where p.user_id in (r.follower_id, r.following_id)
    order by p.user_id for update;
  update producers_avenue.user_profiles set following_count = following_count + d where user_id = r.follower_id;
  update producers_avenue.user_profiles set followers_count = followers_count + d where user_id = r.following_id;
  if tg_op = 'INSERT' then
    perform producers_avenue.notify(r.following_id, 'follow', 'New follower',
      case when exists (select 1 from producers_avenue.followers f where f.follower_id = r.following_id and f.following_id = r.follower_id)
           then 'You are now connected.' else 'Someone started following you.' end,
      null, r.follower_id, r.follower_id);
  end if;
  return null;
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.followers_count() from public;
create trigger followers_count after insert or delete on producers_avenue.followers
  for each row execute function producers_avenue.followers_count();

-- +goose StatementBegin
create function producers_avenue.follow_status(other uuid) returns text
language sql
stable
set search_path = ''
as $$
  select case
    when (select auth.uid()) is null then 'none'
    when other = (select auth.uid()) then 'self'
    when o.out and o.inn then 'connected'
    when o.out then 'following'
    when o.inn then 'follower'
    else 'none' end
  from (select
          exists (select 1 from producers_avenue.followers f where f.follower_id = (select auth.uid()) and f.following_id = other) as out,
          exists (select 1 from producers_avenue.followers f where f.follower_id = other and f.following_id = (select auth.uid())) as inn) o
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.follow_status(uuid) from public;
grant execute on function producers_avenue.follow_status(uuid) to anon, authenticated, service_role;
comment on function producers_avenue.follow_status(uuid) is 'The signed-in user''s relation to another: self, connected (mutual), following, follower or none.';

create view producers_avenue.connections with (security_invoker = true) as
  select a.follower_id as user_id, a.following_id as connected_user_id, greatest(a.created_at, b.created_at) as connected_at
  from producers_avenue.followers a
  join producers_avenue.followers b on b.follower_id = a.following_id and b.following_id = a.follower_id;
comment on view producers_avenue.connections is 'Mutual follows ("Connected"): one row per direction.';
grant select on producers_avenue.connections to anon, authenticated, service_role;

-- ============================================================== posts, likes, comments
-- +goose StatementBegin
create function producers_avenue.post_likes_count() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  r record := coalesce(new, old);
  author uuid;
begin
  update producers_avenue.posts set likes_count = likes_count + case tg_op when 'INSERT' then 1 else -1 end
   where id = r.post_id returning user_id into author;
  if tg_op = 'INSERT' then
    perform producers_avenue.notify(author, 'like', 'New like', 'Someone liked your post.', null, r.user_id, r.post_id);
  end if;
  return null;
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.post_likes_count() from public;
create trigger post_likes_count after insert or delete on producers_avenue.post_likes
  for each row execute function producers_avenue.post_likes_count();

-- +goose StatementBegin
create function producers_avenue.comment_likes_count() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  r record := coalesce(new, old);
begin
  update producers_avenue.comments set likes_count = likes_count + case tg_op when 'INSERT' then 1 else -1 end
   where id = r.comment_id;
  return null;
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.comment_likes_count() from public;
create trigger comment_likes_count after insert or delete on producers_avenue.comment_likes
  for each row execute function producers_avenue.comment_likes_count();

-- +goose StatementBegin
create function producers_avenue.comments_before_insert() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.parent_comment_id is not null and not exists (
       select 1 from producers_avenue.comments c where c.id = new.parent_comment_id and c.post_id = new.post_id) then
    raise exception 'a reply must answer a comment on the same post' using errcode = '23514';
  end if;
  if not producers_avenue.actor_is_system() then
    new.likes_count := 0;
    new.is_hidden := false;
    new.hidden_reason := null;
  end if;
  return new;
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.comments_before_insert() from public;
create trigger comments_before_insert before insert on producers_avenue.comments
  for each row execute function producers_avenue.comments_before_insert();

-- +goose StatementBegin
create function producers_avenue.comments_count() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  r record := coalesce(new, old);
  author uuid;
begin
  update producers_avenue.posts set comments_count = comments_count + case tg_op when 'INSERT' then 1 else -1 end
   where id = r.post_id returning user_id into author;
  if tg_op = 'INSERT' then
    perform producers_avenue.notify(author, 'comment', 'New comment', pg_catalog.left(r.content, 100), null, r.user_id, r.post_id);
  end if;
  return null;
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.comments_count() from public;
create trigger comments_count after insert or delete on producers_avenue.comments
  for each row execute function producers_avenue.comments_count();

-- Admins hide and unhide posts and comments.
-- +goose StatementBegin
create function producers_avenue.moderate_content(target_type text, target_id uuid, hidden boolean, reason text default null)
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  if not (producers_avenue.is_admin() or coalesce(auth.role(), '') = 'service_role') then
    raise exception 'only admins moderate content' using errcode = '42501';
  end if;
  if target_type = 'post' then
    update producers_avenue.posts set is_hidden = hidden, hidden_reason = case when hidden then reason end where id = target_id;
  elsif target_type = 'comment' then
    update producers_avenue.comments set is_hidden = hidden, hidden_reason = case when hidden then reason end where id = target_id;
  else
    raise exception 'moderate_content: unknown target type %', target_type using errcode = '22023', hint = 'Use post or comment.';
  end if;
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.moderate_content(text, uuid, boolean, text) from public;
grant execute on function producers_avenue.moderate_content(text, uuid, boolean, text) to authenticated, service_role;

-- +goose StatementBegin
create function producers_avenue.set_user_ban(target uuid, banned boolean, reason text default null) returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  if not (producers_avenue.is_admin() or coalesce(auth.role(), '') = 'service_role') then
    raise exception 'only admins ban users' using errcode = '42501';
  end if;
  if target = (select auth.uid()) then
    raise exception 'you cannot ban yourself' using errcode = '23514';
  end if;
  update producers_avenue.user_profiles set is_banned = banned, ban_reason = case when banned then reason end
   where user_id = target;
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.set_user_ban(uuid, boolean, text) from public;
grant execute on function producers_avenue.set_user_ban(uuid, boolean, text) to authenticated, service_role;

-- ============================================================== custom field requests
-- A request for a value that is already requested adds the requester (once)
-- to that request instead of inserting a row; a request for a value that
-- already exists is refused. An advisory lock on the value serialises
-- concurrent requests, so each distinct requester counts exactly once.
-- +goose StatementBegin
create function producers_avenue.custom_field_requests_before_insert() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  uid uuid := (select auth.uid());
  existing producers_avenue.custom_field_requests;
begin
  new.field_value := pg_catalog.btrim(pg_catalog.regexp_replace(new.field_value, '\s+', ' ', 'g'));
  if new.field_type = 'skill' and new.category_id is null then
    raise exception 'a custom skill needs its category' using errcode = '23514', hint = 'Pass category_id.';
  elsif new.field_type <> 'skill' then
    new.category_id := null;
  end if;
  if uid is not null and exists (select 1 from producers_avenue.user_profiles p where p.user_id = uid and p.is_banned) then
    raise exception 'banned accounts cannot request new fields' using errcode = '42501';
  end if;
  if (new.field_type = 'skill' and exists (select 1 from producers_avenue.skills s
        where s.category_id = new.category_id and pg_catalog.lower(s.name) = pg_catalog.lower(new.field_value)))
     or (new.field_type = 'genre' and exists (select 1 from producers_avenue.genres g where pg_catalog.lower(g.name) = pg_catalog.lower(new.field_value)))
     or (new.field_type = 'category' and exists (select 1 from producers_avenue.categories c where pg_catalog.lower(c.name) = pg_catalog.lower(new.field_value))) then
    raise exception '% "%" already exists', new.field_type, new.field_value using errcode = '23505';
  end if;

  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended(
    'producers_avenue.custom_field:' || new.field_type || ':' || pg_catalog.lower(new.field_value) || ':' || coalesce(new.category_id::text, ''), 0));
  select * into existing from producers_avenue.custom_field_requests r
   where r.field_type = new.field_type and pg_catalog.lower(r.field_value) = pg_catalog.lower(new.field_value)
     and r.category_id is not distinct from new.category_id
   for update;
  if found then
    if existing.status = 'pending' and uid is not null and not (uid = any (existing.requested_by)) then
      update producers_avenue.custom_field_requests
         set requested_by = requested_by || uid, request_count = request_count + 1
       where id = existing.id;
    end if;
    return null; -- merged into the existing request
  end if;

  if uid is not null then
    new.requested_by := array[uid];
    new.request_count := 1;
  else
    new.request_count := coalesce(pg_catalog.cardinality(new.requested_by), 0);
  end if;
  new.status := 'pending';
  new.reviewed_by := null;
  new.reviewed_at := null;
  new.rejection_reason := null;
  new.created_id := null;
  return new;
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.custom_field_requests_before_insert() from public;
create trigger custom_field_requests_before_insert before insert on producers_avenue.custom_field_requests
  for each row execute function producers_avenue.custom_field_requests_before_insert();

-- +goose StatementBegin
create function producers_avenue.custom_field_requests_before_update() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.status is distinct from old.status then
    if old.status in ('approved', 'auto_approved') then
      raise exception 'request % is already approved', old.id using errcode = '23514';
    end if;
    if new.status = 'auto_approved' and old.field_type = 'category' then
      raise exception 'categories are approved by an admin only' using errcode = '23514';
    end if;
    new.reviewed_at := pg_catalog.now();
    new.reviewed_by := coalesce((select auth.uid()), new.reviewed_by);
    if new.status <> 'rejected' then
      new.rejection_reason := null;
    end if;
  end if;
  return new;
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.custom_field_requests_before_update() from public;
create trigger custom_field_requests_before_update before update on producers_avenue.custom_field_requests
  for each row execute function producers_avenue.custom_field_requests_before_update();

-- Threshold reached: auto-approve. Approved: create the field, notify
-- every requester. Rejected: tell them why.
-- +goose StatementBegin
create function producers_avenue.custom_field_requests_after_write() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  threshold int := (producers_avenue.config('custom_field_thresholds') ->> new.field_type)::int;
  new_id uuid;
  v_slug text := producers_avenue.slugify(new.field_value);
  requester uuid;
begin
  if v_slug = '' then
    v_slug := 'field';
  end if;
  if new.status = 'pending' and new.field_type in ('skill', 'genre')
     and new.request_count >= coalesce(threshold, case new.field_type when 'skill' then 3 else 5 end) then
    update producers_avenue.custom_field_requests set status = 'auto_approved' where id = new.id;
    return null;
  end if;

  if new.status in ('approved', 'auto_approved') and (tg_op = 'INSERT' or old.status not in ('approved', 'auto_approved')) then
    if exists (select 1 from producers_avenue.skills s where s.slug = v_slug)
       or exists (select 1 from producers_avenue.genres g where g.slug = v_slug)
       or exists (select 1 from producers_avenue.categories c where c.slug = v_slug) then
      v_slug := v_slug || '-' || pg_catalog.substr(pg_catalog.md5(new.id::text), 1, 6);
    end if;
    if new.field_type = 'skill' then
      insert into producers_avenue.skills (category_id, name, slug, is_admin_approved)
      values (new.category_id, new.field_value, v_slug, true) returning id into new_id;
    elsif new.field_type = 'genre' then
      insert into producers_avenue.genres (name, slug) values (new.field_value, v_slug) returning id into new_id;
    else
      insert into producers_avenue.categories (name, slug, sort_order)
      values (new.field_value, v_slug, (select coalesce(max(c.sort_order), 0) + 1 from producers_avenue.categories c))
      returning id into new_id;
    end if;
    update producers_avenue.custom_field_requests set created_id = new_id where id = new.id;
    foreach requester in array new.requested_by loop
      perform producers_avenue.notify(requester, 'custom_field', 'Your ' || new.field_type || ' was added',
        '"' || new.field_value || '" is now available to everyone.', null, null, new_id);
    end loop;
  elsif new.status = 'rejected' and tg_op = 'UPDATE' and old.status <> 'rejected' then
    foreach requester in array new.requested_by loop
      perform producers_avenue.notify(requester, 'custom_field', 'Your ' || new.field_type || ' request was declined',
        coalesce(new.rejection_reason, '"' || new.field_value || '" was not added.'), null, null, new.id);
    end loop;
  end if;
  return null;
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.custom_field_requests_after_write() from public;
create trigger custom_field_requests_after_write after insert or update of status, request_count on producers_avenue.custom_field_requests
  for each row execute function producers_avenue.custom_field_requests_after_write();

-- The RPC form: request a value, get back its status and count.
-- +goose StatementBegin
create function producers_avenue.request_custom_field(field_type text, field_value text, category_id uuid default null)
returns table (status text, request_count integer)
language plpgsql
security definer
set search_path = ''
as $$
#variable_conflict use_column
begin
  if (select auth.uid()) is null then
    raise exception 'sign in to request a field' using errcode = '42501';
  end if;
  insert into producers_avenue.custom_field_requests (field_type, field_value, category_id)
  values (request_custom_field.field_type, request_custom_field.field_value, request_custom_field.category_id);
  return query
    select r.status, r.request_count from producers_avenue.custom_field_requests r
     where r.field_type = request_custom_field.field_type
       and pg_catalog.lower(r.field_value) = pg_catalog.lower(pg_catalog.btrim(pg_catalog.regexp_replace(request_custom_field.field_value, '\s+', ' ', 'g')))
       and r.category_id is not distinct from case when request_custom_field.field_type = 'skill' then request_custom_field.category_id end;
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.request_custom_field(text, text, uuid) from public;
grant execute on function producers_avenue.request_custom_field(text, text, uuid) to authenticated;

-- ============================================================== groups
-- +goose StatementBegin
create function producers_avenue.groups_after_insert() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into producers_avenue.group_members (group_id, user_id, role, status)
  values (new.id, new.owner_id, 'owner', 'active');
  return null;
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.groups_after_insert() from public;
create trigger groups_after_insert after insert on producers_avenue.groups
  for each row execute function producers_avenue.groups_after_insert();

-- +goose StatementBegin
create function producers_avenue.group_members_before_write() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  uid uuid := (select auth.uid());
  g producers_avenue.groups;
  mine text;
begin
  select * into g from producers_avenue.groups where id = new.group_id;
  if tg_op = 'INSERT' then
    if new.role = 'owner' then
      if new.user_id <> g.owner_id or exists (select 1 from producers_avenue.group_members m
                                              where m.group_id = new.group_id and m.role = 'owner') then
        raise exception 'a group has one owner, its creator' using errcode = '23514';
      end if;
      new.status := 'active';
    elsif not producers_avenue.actor_is_system() then
      mine := producers_avenue.group_role(new.group_id);
      if new.user_id = uid and mine is null then
        -- Joining: public groups at once unless approval is required;
        -- private groups always ask; secret groups are by invitation.
        if g.visibility = 'secret' then
          raise exception 'secret groups are joined by invitation only' using errcode = '42501';
        end if;
        new.role := 'member';
        new.status := case when g.join_approval_required or g.visibility = 'private' then 'pending' else 'active' end;
      elsif mine in ('owner', 'admin') then
        if new.role = 'admin' and mine <> 'owner' then
          raise exception 'only the group owner appoints admins' using errcode = '42501';
        end if;
        new.status := 'active';
      else
        raise exception 'only group owners and admins add other people' using errcode = '42501';
      end if;
    end if;
  else
    if new.group_id <> old.group_id or new.user_id <> old.user_id then
      raise exception 'a membership cannot move' using errcode = '23514';
    end if;
    if not producers_avenue.actor_is_system() and not producers_avenue.is_admin() then
      mine := producers_avenue.group_role(new.group_id);
      if old.role = 'owner' and (new.role <> 'owner' or new.status <> 'active') then
        raise exception 'the group owner''s membership cannot be changed' using errcode = '42501';
      end if;
      if new.role is distinct from old.role then
        if new.role = 'owner' then
          raise exception 'ownership cannot be given by changing a role' using errcode = '42501';
        elsif mine = 'owner' then
          null;
        elsif mine = 'admin' and old.role in ('member', 'moderator') and new.role in ('member', 'moderator') then
          null;
        else
          raise exception 'your group role (%) cannot change this member''s role', coalesce(mine, 'none') using errcode = '42501';
        end if;
      end if;
      if new.status is distinct from old.status and not (
           mine in ('owner', 'admin') or (mine = 'moderator' and old.role = 'member')) then
        raise exception 'your group role (%) cannot change this membership', coalesce(mine, 'none') using errcode = '42501';
      end if;
    elsif old.role = 'owner' and new.role <> 'owner' then
      raise exception 'the group owner''s membership cannot be changed' using errcode = '42501';
    end if;
  end if;
  if new.status = 'active' and (tg_op = 'INSERT' or old.status <> 'active') then
    new.joined_at := pg_catalog.now();
  end if;
  return new;
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.group_members_before_write() from public;
create trigger group_members_before_write before insert or update on producers_avenue.group_members
  for each row execute function producers_avenue.group_members_before_write();

-- +goose StatementBegin
create function producers_avenue.group_members_before_delete() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if old.role = 'owner'
     and exists (select 1 from producers_avenue.groups g where g.id = old.group_id)
     and exists (select 1 from auth.users u where u.id = old.user_id) then
    raise exception 'the owner cannot leave the group; delete the group instead' using errcode = '23514';
  end if;
  return old;
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.group_members_before_delete() from public;
create trigger group_members_before_delete before delete on producers_avenue.group_members
  for each row execute function producers_avenue.group_members_before_delete();

-- +goose StatementBegin
create function producers_avenue.group_members_count() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  d int := (case when tg_op <> 'DELETE' and new.status = 'active' then 1 else 0 end)
         - (case when tg_op <> 'INSERT' and old.status = 'active' then 1 else 0 end);
begin
  if d <> 0 then
    update producers_avenue.groups set members_count = members_count + d where id = coalesce(new.group_id, old.group_id);
  end if;
  return null;
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.group_members_count() from public;
create trigger group_members_count after insert or update of status or delete on producers_avenue.group_members
  for each row execute function producers_avenue.group_members_count();

-- +goose StatementBegin
create function producers_avenue.group_posts_before_write() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  uid uuid := (select auth.uid());
  mine text;
begin
  if producers_avenue.actor_is_system() then
    return new;
  end if;
  mine := producers_avenue.group_role(new.group_id);
  if tg_op = 'INSERT' then
    new.is_approved := mine in ('owner', 'admin', 'moderator')
                       or not (select g.post_approval_required from producers_avenue.groups g where g.id = new.group_id);
    new.is_pinned := false;
    new.likes_count := 0;
    new.comments_count := 0;
  else
    if (new.is_approved is distinct from old.is_approved or new.is_pinned is distinct from old.is_pinned)
       and coalesce(mine, '') not in ('owner', 'admin', 'moderator') then
      raise exception 'only group moderators approve or pin posts' using errcode = '42501';
    end if;
    if (new.content, new.media_urls, new.link_url, new.link_preview, new.post_type)
       is distinct from (old.content, old.media_urls, old.link_url, old.link_preview, old.post_type)
       and old.user_id <> uid then
      raise exception 'only the author edits a post' using errcode = '42501';
    end if;
  end if;
  return new;
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.group_posts_before_write() from public;
create trigger group_posts_before_write before insert or update on producers_avenue.group_posts
  for each row execute function producers_avenue.group_posts_before_write();

-- +goose StatementBegin
create function producers_avenue.group_posts_count() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  d int := (case when tg_op <> 'DELETE' and new.is_approved then 1 else 0 end)
         - (case when tg_op <> 'INSERT' and old.is_approved then 1 else 0 end);
begin
  if d <> 0 then
    update producers_avenue.groups set posts_count = posts_count + d where id = coalesce(new.group_id, old.group_id);
  end if;
  return null;
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.group_posts_count() from public;
create trigger group_posts_count after insert or update of is_approved or delete on producers_avenue.group_posts
  for each row execute function producers_avenue.group_posts_count();

-- ============================================================== products
-- The seller's featured-product limit by tier, checked when a product
-- becomes featured (after a downgrade, those already featured stay: the
-- seed's grandfather clause). The subscription row is locked, so two
-- products featured at once are counted one after the other.
-- +goose StatementBegin
create function producers_avenue.featured_limit(seller uuid) returns table (tier text, max_featured integer)
language sql
stable
security definer
set search_path = ''
as $$
  select t.tier, coalesce((producers_avenue.config('featured_limits') ->> t.tier)::int,
                          case t.tier when 'standard' then 1 when 'premium' then 3 when 'ultimate' then 10
                                      when 'partner' then 10 else 0 end)
  from (select case
          when p.is_partner_account then 'partner'
          when s.status in ('active', 'past_due') then s.tier
          else 'basic' end as tier
        from producers_avenue.user_profiles p
        left join producers_avenue.subscriptions s on s.user_id = p.user_id
        where p.user_id = seller) t
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.featured_limit(uuid) from public;
grant execute on function producers_avenue.featured_limit(uuid) to authenticated, service_role;

-- +goose StatementBegin
create function producers_avenue.products_before_write() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  lim record;
  n int;
begin
  new.is_free := new.price = 0;
  if new.source_webinar_id is not null and (tg_op = 'INSERT' or new.source_webinar_id is distinct from old.source_webinar_id)
     and not exists (select 1 from producers_avenue.webinars w where w.id = new.source_webinar_id and w.host_id = new.seller_id) then
    raise exception 'only the webinar''s host sells its recording' using errcode = '42501';
  end if;
  if new.is_featured and (tg_op = 'INSERT' or not old.is_featured) then
    perform 1 from producers_avenue.subscriptions s where s.user_id = new.seller_id for update;
    select * into lim from producers_avenue.featured_limit(new.seller_id);
    select count(*) into n from producers_avenue.products p
     where p.seller_id = new.seller_id and p.is_featured and p.id <> new.id;
    if n >= coalesce(lim.max_featured, 0) then
      raise exception 'your % plan allows % featured product%; % already featured',
        coalesce(lim.tier, 'basic'), coalesce(lim.max_featured, 0), case when lim.max_featured = 1 then '' else 's' end, n
        using errcode = '23514', hint = 'Unfeature another product or upgrade your plan.';
    end if;
    new.featured_at := pg_catalog.now();
  elsif not new.is_featured then
    new.featured_at := null;
  end if;
  return new;
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.products_before_write() from public;
create trigger products_before_write before insert or update on producers_avenue.products
  for each row execute function producers_avenue.products_before_write();

-- +goose StatementBegin
create function producers_avenue.products_count() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  d int := (case when tg_op <> 'DELETE' and new.status <> 'deleted' then 1 else 0 end)
         - (case when tg_op <> 'INSERT' and old.status <> 'deleted' then 1 else 0 end);
begin
  if d <> 0 then
    update producers_avenue.user_profiles set products_count = products_count + d
     where user_id = coalesce(new.seller_id, old.seller_id);
  end if;
  return null;
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.products_count() from public;
create trigger products_count after insert or update of status or delete on producers_avenue.products
  for each row execute function producers_avenue.products_count();

-- The product's files, for its seller, an admin, a buyer with a completed
-- purchase, or anyone when it is free and on sale.
-- +goose StatementBegin
create function producers_avenue.product_file_urls(product_id uuid) returns text[]
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  p producers_avenue.products;
  uid uuid := (select auth.uid());
begin
  select * into p from producers_avenue.products where id = product_id;
  if not found then
    raise exception 'no such product' using errcode = 'P0002';
  end if;
  if p.seller_id = uid or producers_avenue.is_admin() or coalesce(auth.role(), '') = 'service_role'
     or (p.is_free and p.status = 'active' and p.is_approved and uid is not null)
     or exists (select 1 from producers_avenue.transactions t
                where t.transaction_type = 'product_purchase' and t.related_id = p.id
                  and t.buyer_id = uid and t.status = 'completed') then
    return p.file_urls;
  end if;
  raise exception 'buy this product to download its files' using errcode = '42501';
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.product_file_urls(uuid) from public;
grant execute on function producers_avenue.product_file_urls(uuid) to authenticated, service_role;

-- ============================================================== services and orders
-- +goose StatementBegin
create function producers_avenue.services_before_write() returns trigger
language plpgsql
set search_path = ''
as $$
declare
  pkg jsonb;
begin
  for pkg in select * from pg_catalog.jsonb_array_elements(new.packages) loop
    if pg_catalog.jsonb_typeof(pkg) <> 'object'
       or pg_catalog.jsonb_typeof(pkg -> 'name') <> 'string' or pkg ->> 'name' = ''
       or pg_catalog.jsonb_typeof(pkg -> 'price') <> 'number' or (pkg ->> 'price')::numeric < 0
       or pg_catalog.jsonb_typeof(pkg -> 'delivery_days') <> 'number' or (pkg ->> 'delivery_days')::numeric <= 0
       or (pkg ->> 'delivery_days')::numeric <> pg_catalog.trunc((pkg ->> 'delivery_days')::numeric)
       or pg_catalog.jsonb_typeof(coalesce(pkg -> 'revisions', '0')) <> 'number' or coalesce((pkg ->> 'revisions')::numeric, 0) < 0 then
      raise exception 'invalid package %', pkg::text
        using errcode = '23514', hint = 'Each package is {"name": text, "price": number >= 0, "delivery_days": integer > 0, "revisions": integer >= 0, "features": [text]}.';
    end if;
  end loop;
  if (select count(distinct p ->> 'name') from pg_catalog.jsonb_array_elements(new.packages) p) <> pg_catalog.jsonb_array_length(new.packages) then
    raise exception 'package names must be unique' using errcode = '23514';
  end if;
  return new;
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.services_before_write() from public;
create trigger services_before_write before insert or update of packages on producers_avenue.services
  for each row execute function producers_avenue.services_before_write();

-- A new order snapshots the package's terms and the seller.
-- +goose StatementBegin
create function producers_avenue.orders_before_insert() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  s producers_avenue.services;
  pkg jsonb;
begin
  select * into s from producers_avenue.services where id = new.service_id;
  if not found or (s.status <> 'active' and not producers_avenue.actor_is_system()) then
    raise exception 'this service is not available' using errcode = '23514';
  end if;
  new.buyer_id := coalesce(new.buyer_id, (select auth.uid()));
  if new.buyer_id = s.seller_id then
    raise exception 'you cannot order your own service' using errcode = '23514';
  end if;
  select p into pkg from pg_catalog.jsonb_array_elements(s.packages) p where p ->> 'name' = new.package_name;
  if pkg is null then
    raise exception 'service has no package "%"', new.package_name using errcode = '23514';
  end if;
  new.seller_id := s.seller_id;
  new.package_price := (pkg ->> 'price')::numeric;
  new.delivery_days := (pkg ->> 'delivery_days')::int;
  new.revisions_included := coalesce((pkg ->> 'revisions')::int, 0);
  new.status := 'pending';
  new.revisions_used := 0;
  new.buyer_approved := false;
  new.transaction_id := null;
  new.delivery_files := '{}';
  new.delivery_notes := null;
  new.delivered_at := null;
  new.completed_at := null;
  new.cancelled_at := null;
  return new;
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.orders_before_insert() from public;
create trigger orders_before_insert before insert on producers_avenue.orders
  for each row execute function producers_avenue.orders_before_insert();

-- The order state machine. Each transition has its party:
--   pending            -> in_progress         seller (once paid)
--   pending            -> cancelled           buyer or seller
--   in_progress        -> delivered           seller
--   in_progress        -> cancelled           seller; buyer once the delivery date passed
--   delivered          -> revision_requested  buyer, while revisions remain
--   delivered          -> completed           buyer
--   revision_requested -> delivered           seller
--   any paid state     -> refunded            refund_purchase() only
-- The service role may make any transition of the graph except refunded.
-- +goose StatementBegin
create function producers_avenue.orders_before_update() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  uid uuid := (select auth.uid());
  party text;
  ok boolean;
begin
  if pg_catalog.current_setting('producers_avenue.refunding', true) = 'on' then
    return new; -- refund_purchase()
  end if;
  party := case when producers_avenue.actor_is_system() then 'system'
                when uid = old.buyer_id then 'buyer'
                when uid = old.seller_id then 'seller' end;
  if party is null then
    raise exception 'only the buyer and the seller change an order' using errcode = '42501';
  end if;

  if party = 'buyer' and (new.delivery_files, new.delivery_notes) is distinct from (old.delivery_files, old.delivery_notes) then
    raise exception 'only the seller delivers' using errcode = '42501';
  end if;
  if party = 'seller' and (new.requirements, new.requirement_files) is distinct from (old.requirements, old.requirement_files) then
    raise exception 'only the buyer gives requirements' using errcode = '42501';
  end if;
  if (new.requirements, new.requirement_files) is distinct from (old.requirements, old.requirement_files)
     and old.status not in ('pending', 'in_progress') then
    raise exception 'requirements can change only before delivery' using errcode = '23514';
  end if;

  if new.status is distinct from old.status then
    ok := case old.status || '>' || new.status
      when 'pending>in_progress' then party in ('seller', 'system')
      when 'pending>cancelled' then true
      when 'in_progress>delivered' then party in ('seller', 'system')
      when 'in_progress>cancelled' then party in ('seller', 'system')
        or (party = 'buyer' and pg_catalog.now() > old.created_at + pg_catalog.make_interval(days => old.delivery_days))
      when 'delivered>revision_requested' then party in ('buyer', 'system')
      when 'delivered>completed' then party in ('buyer', 'system')
      when 'revision_requested>delivered' then party in ('seller', 'system')
      else null end;
    if new.status = 'refunded' then
      raise exception 'orders are refunded through refund_purchase(), never by an update' using errcode = '23514';
    elsif ok is null then
      raise exception 'an order cannot go from % to %', old.status, new.status using errcode = '23514';
    elsif not ok then
      raise exception 'the % cannot move an order from % to %', party, old.status, new.status
        using errcode = '42501';
    end if;
    if new.status = 'in_progress' and old.transaction_id is null and old.package_price > 0 then
      raise exception 'the order is not paid yet' using errcode = '23514';
    end if;
    if new.status = 'revision_requested' then
      if old.revisions_used >= old.revisions_included then
        raise exception 'no revisions left: % of % used', old.revisions_used, old.revisions_included using errcode = '23514';
      end if;
      new.revisions_used := old.revisions_used + 1;
    end if;
    if new.status = 'delivered' then
      new.delivered_at := pg_catalog.now();
    end if;
    if new.status = 'completed' then
      new.buyer_approved := true;
      new.completed_at := pg_catalog.now();
    end if;
    if new.status = 'cancelled' then
      new.cancelled_at := pg_catalog.now();
    end if;
    perform producers_avenue.notify(case when party = 'buyer' then old.seller_id else old.buyer_id end, 'order',
      'Order ' || pg_catalog.replace(new.status, '_', ' '), 'Order ' || old.package_name || ' is now ' || pg_catalog.replace(new.status, '_', ' ') || '.',
      null, uid, old.id);
  elsif party <> 'system' then
    new.revisions_used := old.revisions_used;
  end if;
  return new;
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.orders_before_update() from public;
create trigger orders_before_update before update on producers_avenue.orders
  for each row execute function producers_avenue.orders_before_update();

-- orders_count counts orders that started; completion_rate is completed
-- out of finished (completed or cancelled after starting) orders.
-- +goose StatementBegin
create function producers_avenue.orders_after_update() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.status = 'in_progress' and old.status = 'pending' then
    update producers_avenue.services set orders_count = orders_count + 1 where id = new.service_id;
  end if;
  if new.status in ('completed', 'cancelled', 'refunded') and old.status <> new.status then
    perform 1 from producers_avenue.services where id = new.service_id for update;
    update producers_avenue.services s set completion_rate = (
      select round(100.0 * count(*) filter (where o.status = 'completed') / nullif(count(*), 0), 2)
      from producers_avenue.orders o
      where o.service_id = new.service_id and (o.status = 'completed' or (o.status in ('cancelled', 'refunded') and o.transaction_id is not null)))
    where s.id = new.service_id;
  end if;
  return null;
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.orders_after_update() from public;
create trigger orders_after_update after update of status on producers_avenue.orders
  for each row execute function producers_avenue.orders_after_update();

-- ============================================================== webinars
-- +goose StatementBegin
create function producers_avenue.webinars_before_write() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  lim record;
begin
  if pg_catalog.cardinality(new.co_hosts) > 0 and (tg_op = 'INSERT' or new.co_hosts is distinct from old.co_hosts) then
    select * into lim from producers_avenue.featured_limit(new.host_id);
    if coalesce(lim.tier, 'basic') not in ('premium', 'ultimate', 'partner') then
      raise exception 'co-hosts need a Premium plan or higher' using errcode = '23514';
    end if;
    if new.host_id = any (new.co_hosts) then
      raise exception 'the host is not a co-host' using errcode = '23514';
    end if;
  end if;
  if tg_op = 'UPDATE' and new.max_attendees is not null and new.max_attendees < old.registrations_count then
    raise exception 'max_attendees (%) is below the % registrations', new.max_attendees, old.registrations_count
      using errcode = '23514';
  end if;
  return new;
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.webinars_before_write() from public;
create trigger webinars_before_write before insert or update on producers_avenue.webinars
  for each row execute function producers_avenue.webinars_before_write();

-- Registration takes a seat under the webinar's row lock, so max_attendees
-- holds with any number of people registering at once.
-- +goose StatementBegin
create function producers_avenue.webinar_registrations_before_insert() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  w producers_avenue.webinars;
begin
  select * into w from producers_avenue.webinars where id = new.webinar_id for update;
  if not found or w.status not in ('upcoming', 'live') then
    raise exception 'this webinar is not open for registration' using errcode = '23514';
  end if;
  if w.host_id = new.user_id then
    raise exception 'the host does not register for their own webinar' using errcode = '23514';
  end if;
  if w.max_attendees is not null and w.registrations_count >= w.max_attendees then
    raise exception 'this webinar is full (% seats)', w.max_attendees using errcode = '23514';
  end if;
  if not producers_avenue.actor_is_system() or new.payment_status is null then
    new.payment_status := case when w.price_cents = 0 then 'free' else 'pending' end;
    new.attended := false;
    new.attended_at := null;
  end if;
  update producers_avenue.webinars set registrations_count = registrations_count + 1 where id = w.id;
  return new;
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.webinar_registrations_before_insert() from public;
create trigger webinar_registrations_before_insert before insert on producers_avenue.webinar_registrations
  for each row execute function producers_avenue.webinar_registrations_before_insert();

-- +goose StatementBegin
create function producers_avenue.webinar_registrations_after_change() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'DELETE' then
    update producers_avenue.webinars set registrations_count = registrations_count - 1,
           attendees_count = attendees_count - case when old.attended then 1 else 0 end
     where id = old.webinar_id;
  elsif new.attended is distinct from old.attended then
    update producers_avenue.webinars set attendees_count = attendees_count + case when new.attended then 1 else -1 end
     where id = new.webinar_id;
  end if;
  return null;
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.webinar_registrations_after_change() from public;
create trigger webinar_registrations_after_change after update of attended or delete on producers_avenue.webinar_registrations
  for each row execute function producers_avenue.webinar_registrations_after_change();

-- +goose StatementBegin
create function producers_avenue.webinar_registrations_before_update() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.attended and not old.attended then
    new.attended_at := pg_catalog.now();
  elsif not new.attended then
    new.attended_at := null;
  end if;
  return new;
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.webinar_registrations_before_update() from public;
create trigger webinar_registrations_before_update before update on producers_avenue.webinar_registrations
  for each row execute function producers_avenue.webinar_registrations_before_update();

-- The room and the recording, for the host, co-hosts, admins and
-- registrants who paid (or registered for free).
-- +goose StatementBegin
create function producers_avenue.webinar_access(webinar_id uuid) returns table (room_id text, recording_url text)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  w producers_avenue.webinars;
  uid uuid := (select auth.uid());
begin
  select * into w from producers_avenue.webinars where id = webinar_id;
  if not found then
    raise exception 'no such webinar' using errcode = 'P0002';
  end if;
  if w.host_id = uid or uid = any (w.co_hosts) or producers_avenue.is_admin() or coalesce(auth.role(), '') = 'service_role'
     or exists (select 1 from producers_avenue.webinar_registrations r
                where r.webinar_id = w.id and r.user_id = uid and r.payment_status in ('paid', 'free')) then
    return query select w.room_id, case when w.recording_available then w.recording_url end;
    return;
  end if;
  raise exception 'register for this webinar first' using errcode = '42501';
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.webinar_access(uuid) from public;
grant execute on function producers_avenue.webinar_access(uuid) to authenticated, service_role;

-- A recording becomes a product only when its host asks: one product per
-- webinar, as a draft the host then prices and publishes.
-- +goose StatementBegin
create function producers_avenue.convert_webinar_recording(webinar_id uuid, price numeric default null)
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  w producers_avenue.webinars;
  product uuid;
begin
  select * into w from producers_avenue.webinars where id = webinar_id for update;
  if not found or w.host_id is distinct from (select auth.uid()) then
    raise exception 'only the webinar''s host converts its recording' using errcode = '42501';
  end if;
  if not w.recording_available or w.recording_url is null then
    raise exception 'the webinar has no recording yet' using errcode = '23514';
  end if;
  if exists (select 1 from producers_avenue.products p where p.source_webinar_id = w.id) then
    raise exception 'this recording is already a product' using errcode = '23505';
  end if;
  insert into producers_avenue.products (seller_id, title, slug, description, product_type, source_webinar_id,
                                         thumbnail_url, file_urls, price, category_id, tags, status)
  values (w.host_id, w.title || ' (recording)', w.slug || '-recording', w.description, 'recorded_webinar', w.id,
          coalesce(w.thumbnail_url, w.cover_image_url), array[w.recording_url], coalesce(price, w.price), w.category_id, w.tags, 'draft')
  returning id into product;
  return product;
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.convert_webinar_recording(uuid, numeric) from public;
grant execute on function producers_avenue.convert_webinar_recording(uuid, numeric) to authenticated;

-- ============================================================== reviews
-- +goose StatementBegin
create function producers_avenue.reviews_before_insert() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  seller uuid;
begin
  new.reviewer_id := coalesce(new.reviewer_id, (select auth.uid()));
  seller := case new.reviewable_type
    when 'product' then (select p.seller_id from producers_avenue.products p where p.id = new.reviewable_id)
    when 'service' then (select s.seller_id from producers_avenue.services s where s.id = new.reviewable_id)
    when 'webinar' then (select w.host_id from producers_avenue.webinars w where w.id = new.reviewable_id) end;
  if seller is null then
    raise exception 'no such %', new.reviewable_type using errcode = '23503';
  end if;
  if seller = new.reviewer_id then
    raise exception 'you cannot review your own %', new.reviewable_type using errcode = '23514';
  end if;
  new.seller_id := seller;
  new.is_verified_purchase := case new.reviewable_type
    when 'product' then exists (select 1 from producers_avenue.transactions t
      where t.transaction_type = 'product_purchase' and t.related_id = new.reviewable_id
        and t.buyer_id = new.reviewer_id and t.status = 'completed')
    when 'service' then exists (select 1 from producers_avenue.orders o
      where o.service_id = new.reviewable_id and o.buyer_id = new.reviewer_id and o.status = 'completed')
    else exists (select 1 from producers_avenue.webinar_registrations r
      where r.webinar_id = new.reviewable_id and r.user_id = new.reviewer_id and r.payment_status in ('paid', 'free')) end;
  if not new.is_verified_purchase and not producers_avenue.actor_is_system() then
    raise exception 'only buyers review: no completed purchase of this % found', new.reviewable_type
      using errcode = '23514';
  end if;
  new.seller_response := null;
  new.seller_responded_at := null;
  new.helpful_count := 0;
  return new;
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.reviews_before_insert() from public;
create trigger reviews_before_insert before insert on producers_avenue.reviews
  for each row execute function producers_avenue.reviews_before_insert();

-- +goose StatementBegin
create function producers_avenue.reviews_before_update() returns trigger
language plpgsql
set search_path = ''
as $$
declare
  uid uuid := (select auth.uid());
begin
  if (new.reviewer_id, new.reviewable_type, new.reviewable_id, new.seller_id)
     is distinct from (old.reviewer_id, old.reviewable_type, old.reviewable_id, old.seller_id) then
    raise exception 'a review cannot move' using errcode = '23514';
  end if;
  if producers_avenue.actor_is_system() then
    return new;
  end if;
  if (new.rating, new.review_text) is distinct from (old.rating, old.review_text) and uid <> old.reviewer_id then
    raise exception 'only the reviewer edits a review' using errcode = '42501';
  end if;
  if new.seller_response is distinct from old.seller_response then
    if uid <> old.seller_id then
      raise exception 'only the seller responds to a review' using errcode = '42501';
    end if;
    new.seller_responded_at := case when new.seller_response is not null then pg_catalog.now() end;
  end if;
  return new;
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.reviews_before_update() from public;
create trigger reviews_before_update before update on producers_avenue.reviews
  for each row execute function producers_avenue.reviews_before_update();

-- reviews_count and rating_average: lock the item, then recount (the
-- recount's snapshot is taken after the lock, so it sees every committed
-- review).
-- +goose StatementBegin
create function producers_avenue.reviews_after_change() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  r record := coalesce(new, old);
begin
  if tg_op = 'INSERT' then
    perform producers_avenue.notify(r.seller_id, 'review', 'New review', r.rating || ' stars', null, r.reviewer_id, r.reviewable_id);
  end if;
  if r.reviewable_type = 'product' then
    perform 1 from producers_avenue.products where id = r.reviewable_id for update;
    update producers_avenue.products p set (reviews_count, rating_average) = (
      select count(*), coalesce(round(avg(v.rating), 2), 0) from producers_avenue.reviews v
       where v.reviewable_type = 'product' and v.reviewable_id = r.reviewable_id)
     where p.id = r.reviewable_id;
  elsif r.reviewable_type = 'service' then
    perform 1 from producers_avenue.services where id = r.reviewable_id for update;
    update producers_avenue.services s set (reviews_count, rating_average) = (
      select count(*), coalesce(round(avg(v.rating), 2), 0) from producers_avenue.reviews v
       where v.reviewable_type = 'service' and v.reviewable_id = r.reviewable_id)
     where s.id = r.reviewable_id;
  end if;
  return null;
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.reviews_after_change() from public;
create trigger reviews_after_change after insert or update of rating or delete on producers_avenue.reviews
  for each row execute function producers_avenue.reviews_after_change();

-- ============================================================== messaging
-- +goose StatementBegin
create function producers_avenue.conversations_before_insert() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if (select count(distinct p) from pg_catalog.unnest(new.participant_ids) p) <> pg_catalog.cardinality(new.participant_ids) then
    raise exception 'participants must be distinct' using errcode = '23514';
  end if;
  new.last_message_at := null;
  new.last_message_preview := null;
  return new;
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.conversations_before_insert() from public;
create trigger conversations_before_insert before insert on producers_avenue.conversations
  for each row execute function producers_avenue.conversations_before_insert();

-- +goose StatementBegin
create function producers_avenue.messages_before_write() returns trigger
language plpgsql
set search_path = ''
as $$
declare
  uid uuid := (select auth.uid());
begin
  if tg_op = 'INSERT' then
    if not producers_avenue.actor_is_system() then
      new.sender_id := uid;
      new.is_read := false;
      new.read_at := null;
      new.is_deleted := false;
      new.deleted_for := '{}';
    end if;
    return new;
  end if;
  if producers_avenue.actor_is_system() then
    return new;
  end if;
  if (new.content, new.attachment_urls, new.is_deleted) is distinct from (old.content, old.attachment_urls, old.is_deleted)
     and uid is distinct from old.sender_id then
    raise exception 'only the sender edits or deletes a message' using errcode = '42501';
  end if;
  if (new.is_read, new.read_at) is distinct from (old.is_read, old.read_at) then
    if uid = old.sender_id then
      raise exception 'the recipient marks a message read' using errcode = '42501';
    end if;
    new.read_at := case when new.is_read then coalesce(old.read_at, pg_catalog.now()) end;
  end if;
  if new.is_deleted then
    new.content := null;
    new.attachment_urls := '{}';
  end if;
  return new;
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.messages_before_write() from public;
create trigger messages_before_write before insert or update on producers_avenue.messages
  for each row execute function producers_avenue.messages_before_write();

-- +goose StatementBegin
create function producers_avenue.messages_after_insert() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  c producers_avenue.conversations;
  p uuid;
begin
  update producers_avenue.conversations
     set last_message_at = new.created_at, last_message_preview = pg_catalog.left(new.content, 100)
   where id = new.conversation_id
  returning * into c;
  foreach p in array c.participant_ids loop
    perform producers_avenue.notify(p, 'message', 'New message', pg_catalog.left(new.content, 100), null, new.sender_id, new.conversation_id);
  end loop;
  return null;
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.messages_after_insert() from public;
create trigger messages_after_insert after insert on producers_avenue.messages
  for each row execute function producers_avenue.messages_after_insert();

-- Delete a message for yourself only (deleted_for); the others still see it.
-- +goose StatementBegin
create function producers_avenue.hide_message(message_id uuid) returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  uid uuid := (select auth.uid());
begin
  update producers_avenue.messages m set deleted_for = m.deleted_for || uid
   where m.id = message_id and not (uid = any (m.deleted_for))
     and exists (select 1 from producers_avenue.conversations c where c.id = m.conversation_id and uid = any (c.participant_ids));
  if not found and not exists (select 1 from producers_avenue.messages m
      join producers_avenue.conversations c on c.id = m.conversation_id
      where m.id = message_id and uid = any (c.participant_ids)) then
    raise exception 'no such message' using errcode = 'P0002';
  end if;
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.hide_message(uuid) from public;
grant execute on function producers_avenue.hide_message(uuid) to authenticated;

-- ============================================================== reports and report bans
-- +goose StatementBegin
create function producers_avenue.is_report_banned(who uuid) returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (select 1 from producers_avenue.report_abuse_tracking t
                 where t.user_id = who
                   and (t.permanent_ban or (t.is_report_banned and (t.report_ban_until is null or t.report_ban_until > pg_catalog.now()))))
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.is_report_banned(uuid) from public;
grant execute on function producers_avenue.is_report_banned(uuid) to authenticated, service_role;

-- +goose StatementBegin
create function producers_avenue.reports_before_insert() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  until timestamptz;
begin
  new.reporter_id := coalesce(new.reporter_id, (select auth.uid()));
  if producers_avenue.is_report_banned(new.reporter_id) then
    select case when t.permanent_ban then null else t.report_ban_until end into until
      from producers_avenue.report_abuse_tracking t where t.user_id = new.reporter_id;
    raise exception 'you cannot report content %', coalesce('until ' || pg_catalog.to_char(until at time zone 'UTC', 'YYYY-MM-DD'), 'any more')
      using errcode = '42501', hint = 'Too many of your reports were false.';
  end if;
  if new.target_type = 'user' and new.target_id = new.reporter_id then
    raise exception 'you cannot report yourself' using errcode = '23514';
  end if;
  if not producers_avenue.actor_is_system() then
    new.status := 'pending';
    new.reviewed_by := null;
    new.reviewed_at := null;
    new.resolution_notes := null;
  end if;
  return new;
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.reports_before_insert() from public;
create trigger reports_before_insert before insert on producers_avenue.reports
  for each row execute function producers_avenue.reports_before_insert();

-- +goose StatementBegin
create function producers_avenue.reports_before_update() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.status is distinct from old.status then
    new.reviewed_by := (select auth.uid());
    new.reviewed_at := pg_catalog.now();
  end if;
  return new;
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.reports_before_update() from public;
create trigger reports_before_update before update on producers_avenue.reports
  for each row execute function producers_avenue.reports_before_update();

-- A report found false counts against its reporter.
-- +goose StatementBegin
create function producers_avenue.reports_after_update() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.status = 'false_report' and old.status <> 'false_report' then
    insert into producers_avenue.report_abuse_tracking (user_id) values (new.reporter_id)
    on conflict (user_id) do nothing;
    update producers_avenue.report_abuse_tracking set false_report_count = false_report_count + 1
     where user_id = new.reporter_id;
  end if;
  return null;
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.reports_after_update() from public;
create trigger reports_after_update after update of status on producers_avenue.reports
  for each row execute function producers_avenue.reports_after_update();

-- When the false-report count grows: 3 -> a 30-day report ban, 5 ->
-- permanent (thresholds in configuration), with an in-app notification and
-- an email each time. Admins override by writing the row directly: a
-- lower count or a lifted ban is kept as they set it.
-- +goose StatementBegin
create function producers_avenue.report_abuse_tracking_before_write() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  cfg jsonb := coalesce(producers_avenue.config('report_bans'), '{}');
  temp_after int := coalesce((cfg ->> 'temporary_after')::int, 3);
  temp_days int := coalesce((cfg ->> 'temporary_days')::int, 30);
  perm_after int := coalesce((cfg ->> 'permanent_after')::int, 5);
  before int := case when tg_op = 'UPDATE' then old.false_report_count else 0 end;
  email text;
  what text;
begin
  if new.false_report_count <= before then
    return new;
  end if;
  if new.false_report_count >= perm_after then
    new.permanent_ban := true;
    new.is_report_banned := true;
    new.report_ban_until := null;
    what := 'You can no longer report content: ' || new.false_report_count || ' of your reports were false.';
  elsif new.false_report_count >= temp_after and before < temp_after then
    new.is_report_banned := true;
    new.report_ban_until := pg_catalog.now() + pg_catalog.make_interval(days => temp_days);
    what := 'You cannot report content for ' || temp_days || ' days: ' || new.false_report_count || ' of your reports were false.';
  else
    what := 'One of your reports was found to be false (' || new.false_report_count || ' so far). At '
            || temp_after || ' you lose the right to report for ' || temp_days || ' days.';
  end if;
  perform producers_avenue.notify(new.user_id, 'report', 'About your reports', what);
  select u.email into email from auth.users u where u.id = new.user_id;
  if email is not null then
    insert into system.outbox (channel, recipient, template, subject, payload)
    values ('mail', email, 'producers_avenue.false_report', 'About your reports on Producers Avenue',
            pg_catalog.jsonb_build_object('false_report_count', new.false_report_count, 'message', what,
                                          'report_ban_until', new.report_ban_until, 'permanent_ban', new.permanent_ban));
  end if;
  return new;
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.report_abuse_tracking_before_write() from public;
create trigger report_abuse_tracking_before_write before insert or update on producers_avenue.report_abuse_tracking
  for each row execute function producers_avenue.report_abuse_tracking_before_write();

-- ============================================================== wallets
-- A new PayPal address must be verified again.
-- +goose StatementBegin
create function producers_avenue.wallets_before_update() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.paypal_email is distinct from old.paypal_email and new.paypal_verified and old.paypal_verified then
    new.paypal_verified := false;
  end if;
  return new;
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.wallets_before_update() from public;
create trigger wallets_before_update before update of paypal_email on producers_avenue.wallets
  for each row execute function producers_avenue.wallets_before_update();

-- ============================================================== tags
-- tags.usage_count follows the tags of products, services, groups,
-- webinars and articles.
-- +goose StatementBegin
create function producers_avenue.tags_usage() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  added text[] := case when tg_op <> 'DELETE' then new.tags else '{}' end;
  removed text[] := case when tg_op <> 'INSERT' then old.tags else '{}' end;
  tag text;
begin
  for tag in select distinct producers_avenue.slugify(x) from pg_catalog.unnest(added) x
             except select distinct producers_avenue.slugify(x) from pg_catalog.unnest(removed) x loop
    continue when tag = '';
    insert into producers_avenue.tags as t (name, slug, usage_count)
    values ((select x from pg_catalog.unnest(added) x where producers_avenue.slugify(x) = tag limit 1), tag, 1)
    on conflict (slug) do update set usage_count = t.usage_count + 1;
  end loop;
  for tag in select distinct producers_avenue.slugify(x) from pg_catalog.unnest(removed) x
             except select distinct producers_avenue.slugify(x) from pg_catalog.unnest(added) x loop
    update producers_avenue.tags set usage_count = greatest(usage_count - 1, 0) where slug = tag;
  end loop;
  return null;
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.tags_usage() from public;
create trigger products_tags_usage after insert or update of tags or delete on producers_avenue.products
  for each row execute function producers_avenue.tags_usage();
create trigger services_tags_usage after insert or update of tags or delete on producers_avenue.services
  for each row execute function producers_avenue.tags_usage();
create trigger groups_tags_usage after insert or update of tags or delete on producers_avenue.groups
  for each row execute function producers_avenue.tags_usage();
create trigger webinars_tags_usage after insert or update of tags or delete on producers_avenue.webinars
  for each row execute function producers_avenue.tags_usage();
create trigger articles_tags_usage after insert or update of tags or delete on producers_avenue.articles
  for each row execute function producers_avenue.tags_usage();

-- Articles: published_at is stamped on first publication.
-- +goose StatementBegin
create function producers_avenue.articles_before_write() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.is_published and (tg_op = 'INSERT' or not old.is_published) then
    new.published_at := coalesce(new.published_at, pg_catalog.now());
  end if;
  return new;
end
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.articles_before_write() from public;
create trigger articles_before_write before insert or update on producers_avenue.articles
  for each row execute function producers_avenue.articles_before_write();

-- +goose Down
-- +goose StatementBegin
do $$
declare
  r record;
begin
  -- Every trigger this migration made (all but updated_at and 0202's).
  for r in select tgname, c.relname from pg_trigger t join pg_class c on c.oid = t.tgrelid
           where c.relnamespace = 'producers_avenue'::regnamespace and not t.tgisinternal
             and tgname not like '%\_set\_updated\_at'
             and tgname not in ('user_profiles_before_write', 'user_locations_before_write', 'user_locations_publish') loop
    execute format('drop trigger %I on producers_avenue.%I', r.tgname, r.relname);
  end loop;
end
$$;
-- +goose StatementEnd
drop view if exists producers_avenue.connections;
drop function if exists producers_avenue.articles_before_write();
drop function if exists producers_avenue.tags_usage();
drop function if exists producers_avenue.wallets_before_update();
drop function if exists producers_avenue.report_abuse_tracking_before_write();
drop function if exists producers_avenue.reports_after_update();
drop function if exists producers_avenue.reports_before_update();
drop function if exists producers_avenue.reports_before_insert();
drop function if exists producers_avenue.is_report_banned(uuid);
drop function if exists producers_avenue.hide_message(uuid);
drop function if exists producers_avenue.messages_after_insert();
drop function if exists producers_avenue.messages_before_write();
drop function if exists producers_avenue.conversations_before_insert();
drop function if exists producers_avenue.reviews_after_change();
drop function if exists producers_avenue.reviews_before_update();
drop function if exists producers_avenue.reviews_before_insert();
drop function if exists producers_avenue.convert_webinar_recording(uuid, numeric);
drop function if exists producers_avenue.webinar_access(uuid);
drop function if exists producers_avenue.webinar_registrations_before_update();
drop function if exists producers_avenue.webinar_registrations_after_change();
drop function if exists producers_avenue.webinar_registrations_before_insert();
drop function if exists producers_avenue.webinars_before_write();
drop function if exists producers_avenue.orders_after_update();
drop function if exists producers_avenue.orders_before_update();
drop function if exists producers_avenue.orders_before_insert();
drop function if exists producers_avenue.services_before_write();
drop function if exists producers_avenue.product_file_urls(uuid);
drop function if exists producers_avenue.products_count();
drop function if exists producers_avenue.products_before_write();
drop function if exists producers_avenue.featured_limit(uuid);
drop function if exists producers_avenue.group_posts_count();
drop function if exists producers_avenue.group_posts_before_write();
drop function if exists producers_avenue.group_members_count();
drop function if exists producers_avenue.group_members_before_delete();
drop function if exists producers_avenue.group_members_before_write();
drop function if exists producers_avenue.groups_after_insert();
drop function if exists producers_avenue.request_custom_field(text, text, uuid);
drop function if exists producers_avenue.custom_field_requests_after_write();
drop function if exists producers_avenue.custom_field_requests_before_update();
drop function if exists producers_avenue.custom_field_requests_before_insert();
drop function if exists producers_avenue.set_user_ban(uuid, boolean, text);
drop function if exists producers_avenue.moderate_content(text, uuid, boolean, text);
drop function if exists producers_avenue.comments_count();
drop function if exists producers_avenue.comments_before_insert();
drop function if exists producers_avenue.comment_likes_count();
drop function if exists producers_avenue.post_likes_count();
drop function if exists producers_avenue.follow_status(uuid);
drop function if exists producers_avenue.followers_count();
drop function if exists producers_avenue.followers_before_insert();
drop function if exists producers_avenue.actor_is_system();
