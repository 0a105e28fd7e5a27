-- Producers Avenue: grants and row level security for every table.
--
-- No blanket grants: each table names what anon and authenticated may
-- read, and which columns they may write. Counters, balances, ratings,
-- verification and moderation flags, roles and everything money are never
-- user-writable: triggers and SECURITY DEFINER functions maintain them.
-- The service role (BYPASSRLS) writes product data; money tables are
-- readable only, every cent moves through the functions of 0205.
-- Policies call auth.uid() and the helpers once per statement, as
-- (select ...).
--
-- Helpers (SECURITY DEFINER so policies do not recurse through RLS):
--   group_role(group_id)           the caller's role in the group if active
--   is_participant(conversation)   the caller is in participant_ids
--   is_webinar_host(webinar), is_registered(webinar)

-- +goose Up

-- +goose StatementBegin
create function producers_avenue.group_role(group_id uuid) returns text
language sql
stable
security definer
set search_path = ''
as $$
  select m.role from producers_avenue.group_members m
  where m.group_id = group_role.group_id and m.user_id = (select auth.uid()) and m.status = 'active'
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.group_role(uuid) from public;
grant execute on function producers_avenue.group_role(uuid) to anon, authenticated, service_role;
comment on function producers_avenue.group_role(uuid) is 'The signed-in user''s role (owner, admin, moderator, member) in an active membership of the group, else null.';

-- +goose StatementBegin
create function producers_avenue.is_participant(conversation_id uuid) returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (select 1 from producers_avenue.conversations c
                 where c.id = is_participant.conversation_id and (select auth.uid()) = any (c.participant_ids))
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.is_participant(uuid) from public;
grant execute on function producers_avenue.is_participant(uuid) to authenticated, service_role;

-- +goose StatementBegin
create function producers_avenue.is_webinar_host(webinar_id uuid) returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (select 1 from producers_avenue.webinars w
                 where w.id = is_webinar_host.webinar_id and w.host_id = (select auth.uid()))
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.is_webinar_host(uuid) from public;
grant execute on function producers_avenue.is_webinar_host(uuid) to authenticated, service_role;

-- +goose StatementBegin
create function producers_avenue.is_registered(webinar_id uuid) returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (select 1 from producers_avenue.webinar_registrations r
                 where r.webinar_id = is_registered.webinar_id and r.user_id = (select auth.uid()))
$$;
-- +goose StatementEnd
revoke execute on function producers_avenue.is_registered(uuid) from public;
grant execute on function producers_avenue.is_registered(uuid) to authenticated, service_role;

-- Start from nothing on every table, then enable RLS everywhere.
-- +goose StatementBegin
do $$
declare
  t record;
begin
  for t in select relname from pg_class where relnamespace = 'producers_avenue'::regnamespace and relkind = 'r' loop
    execute format('revoke all on producers_avenue.%I from public, anon, authenticated, service_role', t.relname);
    execute format('alter table producers_avenue.%I enable row level security', t.relname);
  end loop;
end
$$;
-- +goose StatementEnd

-- The service role writes product data on every table except the money
-- tables (below).
grant select, insert, update, delete on
  producers_avenue.user_profiles, producers_avenue.user_locations, producers_avenue.categories, producers_avenue.skills,
  producers_avenue.user_categories, producers_avenue.user_skills, producers_avenue.genres, producers_avenue.user_genres,
  producers_avenue.custom_field_requests, producers_avenue.subscriptions, producers_avenue.followers, producers_avenue.posts,
  producers_avenue.post_likes, producers_avenue.comments, producers_avenue.comment_likes, producers_avenue.groups,
  producers_avenue.group_members, producers_avenue.group_posts, producers_avenue.products, producers_avenue.services,
  producers_avenue.orders, producers_avenue.webinars, producers_avenue.webinar_registrations, producers_avenue.reviews,
  producers_avenue.conversations, producers_avenue.messages, producers_avenue.notifications, producers_avenue.articles,
  producers_avenue.report_abuse_tracking, producers_avenue.reports, producers_avenue.tags
  to service_role;

-- ---------------------------------------------------------------- profiles
grant select on producers_avenue.user_profiles to anon, authenticated;
grant update (username, display_name, bio, avatar_url, banner_url, smart_link, location_visibility,
              experience_level, website_url, profile_visibility)
  on producers_avenue.user_profiles to authenticated;
create policy user_profiles_select_public on producers_avenue.user_profiles for select to anon
  using (profile_visibility = 'public' and not is_banned);
create policy user_profiles_select on producers_avenue.user_profiles for select to authenticated
  using ((profile_visibility in ('public', 'members_only') and not is_banned)
         or user_id = (select auth.uid()) or (select producers_avenue.is_admin()));
create policy user_profiles_update_own on producers_avenue.user_profiles for update to authenticated
  using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));

grant select, delete on producers_avenue.user_locations to authenticated;
grant insert (user_id, location_city, location_country, location_coords, location_source),
      update (location_city, location_country, location_coords, location_source)
  on producers_avenue.user_locations to authenticated;
create policy user_locations_own on producers_avenue.user_locations for all to authenticated
  using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));

-- ---------------------------------------------------------------- taxonomy
grant select on producers_avenue.categories, producers_avenue.skills, producers_avenue.genres to anon, authenticated;
grant delete on producers_avenue.categories, producers_avenue.skills, producers_avenue.genres to authenticated;
grant insert (name, slug, description, icon, sort_order, is_active),
      update (name, slug, description, icon, sort_order, is_active)
  on producers_avenue.categories to authenticated;
grant insert (category_id, name, slug, is_active, is_admin_approved),
      update (category_id, name, slug, is_active, is_admin_approved)
  on producers_avenue.skills to authenticated;
grant insert (name, slug, parent_genre_id, is_active),
      update (name, slug, parent_genre_id, is_active)
  on producers_avenue.genres to authenticated;

create policy categories_select on producers_avenue.categories for select to anon, authenticated
  using (is_active or (select producers_avenue.is_admin()));
create policy skills_select on producers_avenue.skills for select to anon, authenticated
  using ((is_active and is_admin_approved) or (select producers_avenue.is_admin()));
create policy genres_select on producers_avenue.genres for select to anon, authenticated
  using (is_active or (select producers_avenue.is_admin()));
create policy categories_admin_insert on producers_avenue.categories for insert to authenticated
  with check ((select producers_avenue.is_admin()));
create policy categories_admin_update on producers_avenue.categories for update to authenticated
  using ((select producers_avenue.is_admin())) with check ((select producers_avenue.is_admin()));
create policy categories_admin_delete on producers_avenue.categories for delete to authenticated
  using ((select producers_avenue.is_admin()));
create policy skills_admin_insert on producers_avenue.skills for insert to authenticated
  with check ((select producers_avenue.is_admin()));
create policy skills_admin_update on producers_avenue.skills for update to authenticated
  using ((select producers_avenue.is_admin())) with check ((select producers_avenue.is_admin()));
create policy skills_admin_delete on producers_avenue.skills for delete to authenticated
  using ((select producers_avenue.is_admin()));
create policy genres_admin_insert on producers_avenue.genres for insert to authenticated
  with check ((select producers_avenue.is_admin()));
create policy genres_admin_update on producers_avenue.genres for update to authenticated
  using ((select producers_avenue.is_admin())) with check ((select producers_avenue.is_admin()));
create policy genres_admin_delete on producers_avenue.genres for delete to authenticated
  using ((select producers_avenue.is_admin()));

-- user_categories, user_skills, user_genres: public read, users manage own
-- (only visible, i.e. approved and active, entries: the subquery runs
-- under the caller's RLS).
grant select on producers_avenue.user_categories, producers_avenue.user_skills, producers_avenue.user_genres to anon, authenticated;
grant delete on producers_avenue.user_categories, producers_avenue.user_skills, producers_avenue.user_genres to authenticated;
grant insert (user_id, category_id) on producers_avenue.user_categories to authenticated;
grant insert (user_id, skill_id) on producers_avenue.user_skills to authenticated;
grant insert (user_id, genre_id) on producers_avenue.user_genres to authenticated;
create policy user_categories_select on producers_avenue.user_categories for select to anon, authenticated using (true);
create policy user_categories_insert on producers_avenue.user_categories for insert to authenticated
  with check (user_id = (select auth.uid())
              and exists (select 1 from producers_avenue.categories c where c.id = category_id and c.is_active));
create policy user_categories_delete on producers_avenue.user_categories for delete to authenticated
  using (user_id = (select auth.uid()));
create policy user_skills_select on producers_avenue.user_skills for select to anon, authenticated using (true);
create policy user_skills_insert on producers_avenue.user_skills for insert to authenticated
  with check (user_id = (select auth.uid())
              and exists (select 1 from producers_avenue.skills s where s.id = skill_id and s.is_active and s.is_admin_approved));
create policy user_skills_delete on producers_avenue.user_skills for delete to authenticated
  using (user_id = (select auth.uid()));
create policy user_genres_select on producers_avenue.user_genres for select to anon, authenticated using (true);
create policy user_genres_insert on producers_avenue.user_genres for insert to authenticated
  with check (user_id = (select auth.uid())
              and exists (select 1 from producers_avenue.genres g where g.id = genre_id and g.is_active));
create policy user_genres_delete on producers_avenue.user_genres for delete to authenticated
  using (user_id = (select auth.uid()));

-- custom_field_requests: users insert (the trigger of 0204 merges repeats
-- and fills requested_by); users read approved ones; admins review.
grant select on producers_avenue.custom_field_requests to authenticated;
grant insert (field_type, field_value, category_id) on producers_avenue.custom_field_requests to authenticated;
grant update (status, rejection_reason) on producers_avenue.custom_field_requests to authenticated;
grant delete on producers_avenue.custom_field_requests to authenticated;
create policy custom_field_requests_select on producers_avenue.custom_field_requests for select to authenticated
  using (status in ('approved', 'auto_approved') or (select producers_avenue.is_admin()));
create policy custom_field_requests_insert on producers_avenue.custom_field_requests for insert to authenticated
  with check ((select auth.uid()) is not null);
create policy custom_field_requests_admin_update on producers_avenue.custom_field_requests for update to authenticated
  using ((select producers_avenue.is_admin())) with check ((select producers_avenue.is_admin()));
create policy custom_field_requests_admin_delete on producers_avenue.custom_field_requests for delete to authenticated
  using ((select producers_avenue.is_admin()));

-- ---------------------------------------------------------------- subscriptions
-- Written by the billing webhook (service role) only.
grant select on producers_avenue.subscriptions to authenticated;
create policy subscriptions_select on producers_avenue.subscriptions for select to authenticated
  using (user_id = (select auth.uid()) or (select producers_avenue.is_admin()));

-- ---------------------------------------------------------------- social
grant select on producers_avenue.followers to anon, authenticated;
grant insert (follower_id, following_id), delete on producers_avenue.followers to authenticated;
create policy followers_select on producers_avenue.followers for select to anon, authenticated using (true);
create policy followers_insert on producers_avenue.followers for insert to authenticated
  with check (follower_id = (select auth.uid()));
-- Unfollow, or remove a follower.
create policy followers_delete on producers_avenue.followers for delete to authenticated
  using (follower_id = (select auth.uid()) or following_id = (select auth.uid()));

grant select on producers_avenue.posts to anon, authenticated;
grant insert (user_id, content, media_urls, link_url, link_preview, post_type, poll_options, poll_ends_at, is_pinned),
      update (content, media_urls, link_url, link_preview, post_type, poll_options, poll_ends_at, is_pinned),
      delete
  on producers_avenue.posts to authenticated;
create policy posts_select_public on producers_avenue.posts for select to anon using (not is_hidden);
create policy posts_select on producers_avenue.posts for select to authenticated
  using (not is_hidden or user_id = (select auth.uid()) or (select producers_avenue.is_admin()));
create policy posts_insert on producers_avenue.posts for insert to authenticated
  with check (user_id = (select auth.uid()));
create policy posts_update on producers_avenue.posts for update to authenticated
  using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
create policy posts_delete on producers_avenue.posts for delete to authenticated
  using (user_id = (select auth.uid()) or (select producers_avenue.is_admin()));

grant select on producers_avenue.post_likes, producers_avenue.comment_likes to anon, authenticated;
grant insert (post_id, user_id), delete on producers_avenue.post_likes to authenticated;
grant insert (comment_id, user_id), delete on producers_avenue.comment_likes to authenticated;
create policy post_likes_select on producers_avenue.post_likes for select to anon, authenticated using (true);
create policy post_likes_insert on producers_avenue.post_likes for insert to authenticated
  with check (user_id = (select auth.uid())
              and exists (select 1 from producers_avenue.posts p where p.id = post_id));
create policy post_likes_delete on producers_avenue.post_likes for delete to authenticated
  using (user_id = (select auth.uid()));
create policy comment_likes_select on producers_avenue.comment_likes for select to anon, authenticated using (true);
create policy comment_likes_insert on producers_avenue.comment_likes for insert to authenticated
  with check (user_id = (select auth.uid())
              and exists (select 1 from producers_avenue.comments c where c.id = comment_id));
create policy comment_likes_delete on producers_avenue.comment_likes for delete to authenticated
  using (user_id = (select auth.uid()));

grant select on producers_avenue.comments to anon, authenticated;
grant insert (post_id, user_id, parent_comment_id, content), update (content), delete
  on producers_avenue.comments to authenticated;
create policy comments_select_public on producers_avenue.comments for select to anon using (not is_hidden);
create policy comments_select on producers_avenue.comments for select to authenticated
  using (not is_hidden or user_id = (select auth.uid()) or (select producers_avenue.is_admin()));
create policy comments_insert on producers_avenue.comments for insert to authenticated
  with check (user_id = (select auth.uid())
              and exists (select 1 from producers_avenue.posts p where p.id = post_id and not p.is_hidden));
create policy comments_update on producers_avenue.comments for update to authenticated
  using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
create policy comments_delete on producers_avenue.comments for delete to authenticated
  using (user_id = (select auth.uid()) or (select producers_avenue.is_admin()));

-- ---------------------------------------------------------------- groups
-- public and private groups are listed for everyone; secret ones only for
-- their members. Content (members, posts) is for active members.
grant select on producers_avenue.groups to anon, authenticated;
grant insert (owner_id, name, slug, description, avatar_url, banner_url, visibility, join_approval_required,
              post_approval_required, rules, tags),
      update (name, slug, description, avatar_url, banner_url, visibility, join_approval_required,
              post_approval_required, rules, tags),
      delete
  on producers_avenue.groups to authenticated;
create policy groups_select_public on producers_avenue.groups for select to anon using (visibility <> 'secret');
create policy groups_select on producers_avenue.groups for select to authenticated
  using (visibility <> 'secret' or owner_id = (select auth.uid())
         or (select producers_avenue.group_role(id)) is not null or (select producers_avenue.is_admin()));
create policy groups_insert on producers_avenue.groups for insert to authenticated
  with check (owner_id = (select auth.uid()));
create policy groups_update on producers_avenue.groups for update to authenticated
  using (owner_id = (select auth.uid()) or (select producers_avenue.group_role(id)) = 'admin' or (select producers_avenue.is_admin()))
  with check (true);
create policy groups_delete on producers_avenue.groups for delete to authenticated
  using (owner_id = (select auth.uid()) or (select producers_avenue.is_admin()));

grant select on producers_avenue.group_members to authenticated;
grant insert (group_id, user_id, role), update (role, status), delete on producers_avenue.group_members to authenticated;
create policy group_members_select on producers_avenue.group_members for select to authenticated
  using (user_id = (select auth.uid()) or (select producers_avenue.group_role(group_id)) is not null
         or (select producers_avenue.is_admin()));
-- Join (yourself) a group you can see, or add someone as a group admin;
-- the trigger of 0204 decides status and refuses the rest.
create policy group_members_insert on producers_avenue.group_members for insert to authenticated
  with check ((user_id = (select auth.uid()) and exists (select 1 from producers_avenue.groups g where g.id = group_id))
              or (select producers_avenue.group_role(group_id)) in ('owner', 'admin'));
create policy group_members_update on producers_avenue.group_members for update to authenticated
  using ((select producers_avenue.group_role(group_id)) in ('owner', 'admin', 'moderator') or (select producers_avenue.is_admin()))
  with check (true);
create policy group_members_delete on producers_avenue.group_members for delete to authenticated
  using (user_id = (select auth.uid()) or (select producers_avenue.group_role(group_id)) in ('owner', 'admin')
         or (select producers_avenue.is_admin()));

grant select on producers_avenue.group_posts to authenticated;
grant insert (group_id, user_id, content, media_urls, link_url, link_preview, post_type),
      update (content, media_urls, link_url, link_preview, post_type, is_pinned, is_approved),
      delete
  on producers_avenue.group_posts to authenticated;
create policy group_posts_select on producers_avenue.group_posts for select to authenticated
  using ((is_approved and (select producers_avenue.group_role(group_id)) is not null)
         or user_id = (select auth.uid())
         or (select producers_avenue.group_role(group_id)) in ('owner', 'admin', 'moderator')
         or (select producers_avenue.is_admin()));
create policy group_posts_insert on producers_avenue.group_posts for insert to authenticated
  with check (user_id = (select auth.uid()) and (select producers_avenue.group_role(group_id)) is not null);
create policy group_posts_update on producers_avenue.group_posts for update to authenticated
  using (user_id = (select auth.uid()) or (select producers_avenue.group_role(group_id)) in ('owner', 'admin', 'moderator'))
  with check (true);
create policy group_posts_delete on producers_avenue.group_posts for delete to authenticated
  using (user_id = (select auth.uid()) or (select producers_avenue.group_role(group_id)) in ('owner', 'admin', 'moderator')
         or (select producers_avenue.is_admin()));

-- ---------------------------------------------------------------- marketplace
-- products.file_urls (the paid files) and webinars.room_id/recording_url
-- are not readable by column: buyers, registrants and sellers get them from
-- product_file_urls() and webinar_access() (0204). Select named columns.
grant select (id, seller_id, title, slug, description, product_type, source_webinar_id, thumbnail_url, preview_images,
              preview_audio_url, preview_video_url, file_size_bytes, file_types, price, price_cents, is_free,
              allow_name_your_price, minimum_price, technical_details, license_type, license_text, category_id, tags,
              genre_tags, views_count, likes_count, purchases_count, rating_average, reviews_count, status, is_featured,
              featured_at, is_approved, approval_notes, search_vector, created_at, updated_at)
  on producers_avenue.products to anon, authenticated;
grant insert (seller_id, title, slug, description, thumbnail_url, preview_images, preview_audio_url, preview_video_url,
              file_urls, file_size_bytes, file_types, price, is_free, allow_name_your_price, minimum_price,
              technical_details, license_type, license_text, category_id, tags, genre_tags, status, is_featured),
      update (title, slug, description, thumbnail_url, preview_images, preview_audio_url, preview_video_url,
              file_urls, file_size_bytes, file_types, price, is_free, allow_name_your_price, minimum_price,
              technical_details, license_type, license_text, category_id, tags, genre_tags, status, is_featured),
      delete
  on producers_avenue.products to authenticated;
create policy products_select_public on producers_avenue.products for select to anon
  using (status = 'active' and is_approved);
create policy products_select on producers_avenue.products for select to authenticated
  using ((status = 'active' and is_approved) or seller_id = (select auth.uid()) or (select producers_avenue.is_admin()));
create policy products_insert on producers_avenue.products for insert to authenticated
  with check (seller_id = (select auth.uid()));
create policy products_update on producers_avenue.products for update to authenticated
  using (seller_id = (select auth.uid())) with check (seller_id = (select auth.uid()));
create policy products_delete on producers_avenue.products for delete to authenticated
  using (seller_id = (select auth.uid()) or (select producers_avenue.is_admin()));

grant select on producers_avenue.services to anon, authenticated;
grant insert (seller_id, title, slug, description, service_type, is_mentoring, thumbnail_url, portfolio_urls, packages,
              buyer_requirements, category_id, tags, genre_tags, status, is_featured),
      update (title, slug, description, service_type, is_mentoring, thumbnail_url, portfolio_urls, packages,
              buyer_requirements, category_id, tags, genre_tags, status, is_featured),
      delete
  on producers_avenue.services to authenticated;
create policy services_select_public on producers_avenue.services for select to anon using (status = 'active');
create policy services_select on producers_avenue.services for select to authenticated
  using (status = 'active' or seller_id = (select auth.uid()) or (select producers_avenue.is_admin()));
create policy services_insert on producers_avenue.services for insert to authenticated
  with check (seller_id = (select auth.uid()));
create policy services_update on producers_avenue.services for update to authenticated
  using (seller_id = (select auth.uid())) with check (seller_id = (select auth.uid()));
create policy services_delete on producers_avenue.services for delete to authenticated
  using (seller_id = (select auth.uid()) or (select producers_avenue.is_admin()));

-- Orders: buyer and seller; the transition trigger of 0204 checks who may
-- change what.
grant select on producers_avenue.orders to authenticated;
grant insert (service_id, buyer_id, package_name, requirements, requirement_files),
      update (status, requirements, requirement_files, delivery_files, delivery_notes, cancellation_reason)
  on producers_avenue.orders to authenticated;
create policy orders_select on producers_avenue.orders for select to authenticated
  using (buyer_id = (select auth.uid()) or seller_id = (select auth.uid()) or (select producers_avenue.is_admin()));
create policy orders_insert on producers_avenue.orders for insert to authenticated
  with check (buyer_id = (select auth.uid()));
create policy orders_update on producers_avenue.orders for update to authenticated
  using (buyer_id = (select auth.uid()) or seller_id = (select auth.uid()))
  with check (buyer_id = (select auth.uid()) or seller_id = (select auth.uid()));

grant select (id, host_id, co_hosts, title, slug, description, thumbnail_url, cover_image_url, scheduled_at,
              duration_minutes, price, price_cents, max_attendees, status, category_id, tags, registrations_count,
              attendees_count, is_recorded, recording_available, created_at, updated_at)
  on producers_avenue.webinars to anon, authenticated;
grant insert (host_id, co_hosts, title, slug, description, thumbnail_url, cover_image_url, scheduled_at, duration_minutes,
              price, max_attendees, room_id, recording_url, status, category_id, tags, is_recorded, recording_available),
      update (co_hosts, title, slug, description, thumbnail_url, cover_image_url, scheduled_at, duration_minutes,
              price, max_attendees, room_id, recording_url, status, category_id, tags, is_recorded, recording_available),
      delete
  on producers_avenue.webinars to authenticated;
create policy webinars_select_public on producers_avenue.webinars for select to anon
  using (status in ('upcoming', 'live'));
create policy webinars_select on producers_avenue.webinars for select to authenticated
  using (status in ('upcoming', 'live') or host_id = (select auth.uid()) or (select auth.uid()) = any (co_hosts)
         or producers_avenue.is_registered(id)
         or (select producers_avenue.is_admin()));
create policy webinars_insert on producers_avenue.webinars for insert to authenticated
  with check (host_id = (select auth.uid()));
create policy webinars_update on producers_avenue.webinars for update to authenticated
  using (host_id = (select auth.uid())) with check (host_id = (select auth.uid()));
create policy webinars_delete on producers_avenue.webinars for delete to authenticated
  using (host_id = (select auth.uid()) or (select producers_avenue.is_admin()));

grant select on producers_avenue.webinar_registrations to authenticated;
grant insert (webinar_id, user_id), update (attended), delete on producers_avenue.webinar_registrations to authenticated;
create policy webinar_registrations_select on producers_avenue.webinar_registrations for select to authenticated
  using (user_id = (select auth.uid()) or producers_avenue.is_webinar_host(webinar_id)
         or (select producers_avenue.is_admin()));
create policy webinar_registrations_insert on producers_avenue.webinar_registrations for insert to authenticated
  with check (user_id = (select auth.uid()));
-- The host marks attendance.
create policy webinar_registrations_update on producers_avenue.webinar_registrations for update to authenticated
  using (producers_avenue.is_webinar_host(webinar_id))
  with check (true);
-- Cancel an unpaid registration (paid ones are refunded).
create policy webinar_registrations_delete on producers_avenue.webinar_registrations for delete to authenticated
  using (user_id = (select auth.uid()) and payment_status in ('pending', 'free'));

grant select on producers_avenue.reviews to anon, authenticated;
grant insert (reviewer_id, reviewable_type, reviewable_id, rating, review_text),
      update (rating, review_text, seller_response),
      delete
  on producers_avenue.reviews to authenticated;
create policy reviews_select on producers_avenue.reviews for select to anon, authenticated using (true);
create policy reviews_insert on producers_avenue.reviews for insert to authenticated
  with check (reviewer_id = (select auth.uid()));
create policy reviews_update on producers_avenue.reviews for update to authenticated
  using (reviewer_id = (select auth.uid()) or seller_id = (select auth.uid()))
  with check (reviewer_id = (select auth.uid()) or seller_id = (select auth.uid()));
create policy reviews_delete on producers_avenue.reviews for delete to authenticated
  using (reviewer_id = (select auth.uid()) or (select producers_avenue.is_admin()));

-- ---------------------------------------------------------------- money
-- Read-only for everyone: the functions of 0205 (SECURITY DEFINER) move
-- money. Users set their PayPal address; the processors' ids and flags
-- come from the service role (onboarding webhooks).
grant select on producers_avenue.transactions, producers_avenue.wallets, producers_avenue.payouts,
  producers_avenue.ledger_accounts, producers_avenue.ledger_entries to authenticated;
grant select on producers_avenue.transactions, producers_avenue.wallets, producers_avenue.payouts,
  producers_avenue.ledger_accounts, producers_avenue.ledger_transactions, producers_avenue.ledger_entries,
  producers_avenue.money_requests to service_role;
grant update (paypal_email) on producers_avenue.wallets to authenticated;
grant update (stripe_account_id, stripe_account_status, paypal_email, paypal_verified, payouts_enabled)
  on producers_avenue.wallets to service_role;
grant update (stripe_payment_intent_id, stripe_charge_id, paypal_transaction_id, paypal_order_id, metadata)
  on producers_avenue.transactions to service_role;
grant update (stripe_payout_id, paypal_batch_id) on producers_avenue.payouts to service_role;
create policy transactions_select on producers_avenue.transactions for select to authenticated
  using (buyer_id = (select auth.uid()) or seller_id = (select auth.uid()) or (select producers_avenue.is_admin()));
create policy wallets_select on producers_avenue.wallets for select to authenticated
  using (user_id = (select auth.uid()) or (select producers_avenue.is_admin()));
create policy wallets_update_own on producers_avenue.wallets for update to authenticated
  using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
create policy payouts_select on producers_avenue.payouts for select to authenticated
  using (user_id = (select auth.uid()) or (select producers_avenue.is_admin()));
create policy ledger_accounts_select on producers_avenue.ledger_accounts for select to authenticated
  using (user_id = (select auth.uid()) or (select producers_avenue.is_admin()));
create policy ledger_entries_select on producers_avenue.ledger_entries for select to authenticated
  using (exists (select 1 from producers_avenue.ledger_accounts a where a.id = account_id and a.user_id = (select auth.uid()))
         or (select producers_avenue.is_admin()));

-- ---------------------------------------------------------------- messaging
grant select on producers_avenue.conversations to authenticated;
grant insert (participant_ids, is_group, group_name, group_avatar_url),
      update (group_name, group_avatar_url)
  on producers_avenue.conversations to authenticated;
create policy conversations_select on producers_avenue.conversations for select to authenticated
  using ((select auth.uid()) = any (participant_ids));
create policy conversations_insert on producers_avenue.conversations for insert to authenticated
  with check ((select auth.uid()) = any (participant_ids));
create policy conversations_update on producers_avenue.conversations for update to authenticated
  using (is_group and (select auth.uid()) = any (participant_ids))
  with check ((select auth.uid()) = any (participant_ids));

grant select on producers_avenue.messages to authenticated;
grant insert (conversation_id, sender_id, content, attachment_urls),
      update (content, is_read, read_at, is_deleted)
  on producers_avenue.messages to authenticated;
create policy messages_select on producers_avenue.messages for select to authenticated
  using ((select producers_avenue.is_participant(conversation_id)) and not ((select auth.uid()) = any (deleted_for)));
create policy messages_insert on producers_avenue.messages for insert to authenticated
  with check (sender_id = (select auth.uid()) and (select producers_avenue.is_participant(conversation_id)));
create policy messages_update on producers_avenue.messages for update to authenticated
  using ((select producers_avenue.is_participant(conversation_id)))
  with check ((select producers_avenue.is_participant(conversation_id)));

-- ---------------------------------------------------------------- notifications
grant select, delete on producers_avenue.notifications to authenticated;
grant update (is_read, read_at) on producers_avenue.notifications to authenticated;
create policy notifications_own on producers_avenue.notifications for select to authenticated
  using (user_id = (select auth.uid()));
create policy notifications_update_own on producers_avenue.notifications for update to authenticated
  using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
create policy notifications_delete_own on producers_avenue.notifications for delete to authenticated
  using (user_id = (select auth.uid()));

-- ---------------------------------------------------------------- content, moderation, tags
grant select on producers_avenue.articles to anon, authenticated;
grant insert (author_id, title, slug, content, excerpt, thumbnail_url, category, tags, is_published),
      update (title, slug, content, excerpt, thumbnail_url, category, tags, is_published),
      delete
  on producers_avenue.articles to authenticated;
create policy articles_select_public on producers_avenue.articles for select to anon using (is_published);
create policy articles_select on producers_avenue.articles for select to authenticated
  using (is_published or author_id = (select auth.uid()) or (select producers_avenue.is_admin()));
-- Writing articles needs the author role (platform or profile role).
create policy articles_insert on producers_avenue.articles for insert to authenticated
  with check (author_id = (select auth.uid())
              and ((select public.has_role('author'))
                   or exists (select 1 from producers_avenue.user_profiles p
                              where p.user_id = (select auth.uid()) and p.role = 'author')));
create policy articles_update on producers_avenue.articles for update to authenticated
  using (author_id = (select auth.uid())) with check (author_id = (select auth.uid()));
create policy articles_delete on producers_avenue.articles for delete to authenticated
  using (author_id = (select auth.uid()) or (select producers_avenue.is_admin()));

grant select, delete on producers_avenue.report_abuse_tracking to authenticated;
grant insert (user_id, false_report_count, is_report_banned, report_ban_until, permanent_ban),
      update (false_report_count, is_report_banned, report_ban_until, permanent_ban)
  on producers_avenue.report_abuse_tracking to authenticated;
create policy report_abuse_tracking_select on producers_avenue.report_abuse_tracking for select to authenticated
  using (user_id = (select auth.uid()) or (select producers_avenue.is_admin()));
create policy report_abuse_tracking_admin_insert on producers_avenue.report_abuse_tracking for insert to authenticated
  with check ((select producers_avenue.is_admin()));
create policy report_abuse_tracking_admin_update on producers_avenue.report_abuse_tracking for update to authenticated
  using ((select producers_avenue.is_admin())) with check ((select producers_avenue.is_admin()));
create policy report_abuse_tracking_admin_delete on producers_avenue.report_abuse_tracking for delete to authenticated
  using ((select producers_avenue.is_admin()));

grant select, delete on producers_avenue.reports to authenticated;
grant insert (reporter_id, target_type, target_id, reason, details),
      update (status, resolution_notes)
  on producers_avenue.reports to authenticated;
create policy reports_select on producers_avenue.reports for select to authenticated
  using (reporter_id = (select auth.uid()) or (select producers_avenue.is_admin()));
create policy reports_insert on producers_avenue.reports for insert to authenticated
  with check (reporter_id = (select auth.uid()));
create policy reports_admin_update on producers_avenue.reports for update to authenticated
  using ((select producers_avenue.is_admin())) with check ((select producers_avenue.is_admin()));
create policy reports_admin_delete on producers_avenue.reports for delete to authenticated
  using ((select producers_avenue.is_admin()));

grant select on producers_avenue.tags to anon, authenticated;
create policy tags_select on producers_avenue.tags for select to anon, authenticated using (true);

-- +goose Down
-- +goose StatementBegin
do $$
declare
  p record;
  t record;
begin
  for p in select policyname, tablename from pg_policies where schemaname = 'producers_avenue' loop
    execute format('drop policy %I on producers_avenue.%I', p.policyname, p.tablename);
  end loop;
  for t in select relname from pg_class where relnamespace = 'producers_avenue'::regnamespace and relkind = 'r' loop
    execute format('revoke all on producers_avenue.%I from anon, authenticated, service_role', t.relname);
    execute format('alter table producers_avenue.%I disable row level security', t.relname);
  end loop;
end
$$;
-- +goose StatementEnd
drop function if exists producers_avenue.is_registered(uuid);
drop function if exists producers_avenue.is_webinar_host(uuid);
drop function if exists producers_avenue.is_participant(uuid);
drop function if exists producers_avenue.group_role(uuid);
