-- Producers Avenue (seed 002): the schema and every table, with the
-- seed's key fields, types, defaults, UNIQUE and CHECK constraints, uuid
-- keys, created_at/updated_at and the indexes of its "Indexes" lines and
-- INDEXES STRATEGY. Seed tables first, then the ones this schema adds
-- (docs/schema-decisions.md, "Producers Avenue"):
--   comment_likes    comments.likes_count needs a source of truth
--   reports          abuse reports, which report_abuse_tracking counts
--   user_locations   the private, precise location behind the published one
--   ledger_accounts, ledger_transactions, ledger_entries
--                    the double-entry ledger under transactions/wallets/payouts
--   money_requests   idempotency keys of money-moving calls (Stripe semantics)
--
-- Money: ledger amounts are integer cents (bigint). Listing prices keep the
-- seed's DECIMAL(10,2) for the frontends and carry a generated price_cents
-- that is what the ledger charges.
--
-- Location: PostGIS is not available. location_coords is a plain point,
-- stored as (longitude, latitude) -- the order earthdistance's
-- geo_distance() and every GIS tool expects -- with a GiST index for
-- bounding-box and nearest-neighbour search; geo_distance() (earthdistance,
-- in schema extensions) gives the great-circle distance.
--
-- Rules (triggers, functions), grants and policies come in 0201-0209.

-- +goose Up
create extension if not exists pg_trgm with schema extensions;
create extension if not exists cube with schema extensions;
create extension if not exists earthdistance with schema extensions;

create schema producers_avenue;
comment on schema producers_avenue is 'Producers Avenue (seed 002): social marketplace for music producers.';
revoke all on schema producers_avenue from public;
grant usage on schema producers_avenue to anon, authenticated, service_role;

-- ---------------------------------------------------------------------------
-- 1. Users: profiles, taxonomy, custom field requests
-- ---------------------------------------------------------------------------

create table producers_avenue.user_profiles (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null unique references auth.users (id) on delete cascade,
  username text not null unique check (username ~ '^[a-z0-9_][a-z0-9_.-]{2,29}$'),
  display_name text check (char_length(display_name) <= 100),
  bio text check (char_length(bio) <= 2000),
  avatar_url text check (char_length(avatar_url) <= 2048),
  banner_url text check (char_length(banner_url) <= 2048),
  smart_link text check (smart_link ~ '^https?://(www\.)?rolink\.me/.*$' and char_length(smart_link) <= 2048),
  location_city text check (char_length(location_city) <= 200),
  location_country text check (char_length(location_country) <= 100),
  location_coords point,
  location_source text check (location_source in ('ip', 'gps', 'manual')),
  location_visibility text not null default 'city' check (location_visibility in ('exact', 'city', 'country', 'hidden')),
  location_last_updated timestamptz,
  experience_level text check (experience_level in ('beginner', 'intermediate', 'professional', 'veteran')),
  website_url text check (char_length(website_url) <= 2048),
  role text not null default 'member' check (role in ('member', 'admin', 'super_admin', 'author')),
  profile_visibility text not null default 'public' check (profile_visibility in ('public', 'members_only', 'private')),
  is_partner_account boolean not null default false,
  followers_count integer not null default 0 check (followers_count >= 0),
  following_count integer not null default 0 check (following_count >= 0),
  products_count integer not null default 0 check (products_count >= 0),
  is_banned boolean not null default false,
  ban_reason text,
  banned_at timestamptz,
  banned_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table producers_avenue.user_profiles is 'One profile per user, made at signup. Location columns hold what location_visibility publishes; the precise location is in user_locations.';
comment on column producers_avenue.user_profiles.smart_link is 'rolink.me URL only; https:// is prepended when missing; any other domain is refused.';
comment on column producers_avenue.user_profiles.location_coords is 'point(longitude, latitude) as published: exact, rounded to 0.1 degree for city visibility, null otherwise.';
create index user_profiles_username_trgm_idx on producers_avenue.user_profiles using gin (username extensions.gin_trgm_ops);
create index user_profiles_display_name_trgm_idx on producers_avenue.user_profiles using gin (display_name extensions.gin_trgm_ops);
create index user_profiles_location_coords_idx on producers_avenue.user_profiles using gist (location_coords);
create index user_profiles_country_city_idx on producers_avenue.user_profiles (location_country, location_city);
create index user_profiles_banned_by_idx on producers_avenue.user_profiles (banned_by);

create table producers_avenue.user_locations (
  user_id uuid primary key references auth.users (id) on delete cascade,
  location_city text check (char_length(location_city) <= 200),
  location_country text check (char_length(location_country) <= 100),
  location_coords point check (location_coords is null or (location_coords[0] between -180 and 180 and location_coords[1] between -90 and 90)),
  location_source text check (location_source in ('ip', 'gps', 'manual')),
  location_last_updated timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table producers_avenue.user_locations is 'The precise location a user gave (or IP detection found); only the user reads it. user_profiles publishes what location_visibility allows.';

create table producers_avenue.categories (
  id uuid primary key default gen_random_uuid(),
  name text not null check (char_length(name) between 1 and 100),
  slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  description text,
  icon text,
  sort_order integer not null default 0,
  is_active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table producers_avenue.skills (
  id uuid primary key default gen_random_uuid(),
  category_id uuid not null references producers_avenue.categories (id) on delete restrict,
  name text not null check (char_length(name) between 1 and 100),
  slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  is_active boolean not null default true,
  is_admin_approved boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index skills_category_id_idx on producers_avenue.skills (category_id);
create index skills_name_trgm_idx on producers_avenue.skills using gin (name extensions.gin_trgm_ops);

create table producers_avenue.user_categories (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  category_id uuid not null references producers_avenue.categories (id) on delete cascade,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (user_id, category_id)
);
create index user_categories_category_id_idx on producers_avenue.user_categories (category_id);

create table producers_avenue.user_skills (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  skill_id uuid not null references producers_avenue.skills (id) on delete cascade,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (user_id, skill_id)
);
create index user_skills_skill_id_idx on producers_avenue.user_skills (skill_id);

create table producers_avenue.genres (
  id uuid primary key default gen_random_uuid(),
  name text not null check (char_length(name) between 1 and 100),
  slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  parent_genre_id uuid references producers_avenue.genres (id) on delete set null,
  is_active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (parent_genre_id is distinct from id)
);
create index genres_parent_genre_id_idx on producers_avenue.genres (parent_genre_id);

create table producers_avenue.user_genres (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  genre_id uuid not null references producers_avenue.genres (id) on delete cascade,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (user_id, genre_id)
);
create index user_genres_genre_id_idx on producers_avenue.user_genres (genre_id);

create table producers_avenue.custom_field_requests (
  id uuid primary key default gen_random_uuid(),
  field_type text not null check (field_type in ('skill', 'genre', 'category')),
  field_value text not null check (char_length(field_value) between 1 and 100 and field_value = btrim(field_value)),
  category_id uuid references producers_avenue.categories (id) on delete cascade,
  requested_by uuid[] not null default '{}',
  request_count integer not null default 1 check (request_count >= 0),
  status text not null default 'pending' check (status in ('pending', 'approved', 'auto_approved', 'rejected')),
  reviewed_by uuid references auth.users (id) on delete set null,
  reviewed_at timestamptz,
  rejection_reason text,
  created_id uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((field_type = 'skill') = (category_id is not null))
);
comment on column producers_avenue.custom_field_requests.created_id is 'The skill, genre or category made on approval.';
-- The seed's UNIQUE (field_type, field_value, category_id), case-insensitive
-- and with NULL category ids equal (genres and categories have none).
create unique index custom_field_requests_value_key on producers_avenue.custom_field_requests
  (field_type, lower(field_value), category_id) nulls not distinct;
create index custom_field_requests_status_idx on producers_avenue.custom_field_requests (status, created_at desc);
create index custom_field_requests_requested_by_idx on producers_avenue.custom_field_requests using gin (requested_by);

-- ---------------------------------------------------------------------------
-- 2. Subscriptions
-- ---------------------------------------------------------------------------

create table producers_avenue.subscriptions (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null unique references auth.users (id) on delete cascade,
  tier text not null default 'basic' check (tier in ('basic', 'standard', 'premium', 'ultimate')),
  "interval" text check ("interval" in ('monthly', 'annual')),
  status text not null default 'active' check (status in ('active', 'cancelled', 'past_due', 'unpaid')),
  stripe_subscription_id text unique,
  stripe_customer_id text,
  stripe_price_id text,
  current_period_start timestamptz,
  current_period_end timestamptz,
  cancel_at timestamptz,
  cancelled_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (tier <> 'basic' or "interval" is null)
);
create index subscriptions_stripe_customer_id_idx on producers_avenue.subscriptions (stripe_customer_id);

-- ---------------------------------------------------------------------------
-- 3. Social
-- ---------------------------------------------------------------------------

create table producers_avenue.followers (
  id uuid primary key default gen_random_uuid(),
  follower_id uuid not null references auth.users (id) on delete cascade,
  following_id uuid not null references auth.users (id) on delete cascade,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (follower_id, following_id),
  constraint followers_no_self_follow check (follower_id <> following_id)
);
create index followers_following_id_idx on producers_avenue.followers (following_id, follower_id);

create table producers_avenue.posts (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  content text check (char_length(content) <= 20000),
  media_urls text[] not null default '{}',
  link_url text,
  link_preview jsonb check (link_preview is null or jsonb_typeof(link_preview) = 'object'),
  post_type text not null default 'text' check (post_type in ('text', 'image', 'video', 'link', 'poll')),
  poll_options jsonb check (poll_options is null or jsonb_typeof(poll_options) = 'array'),
  poll_ends_at timestamptz,
  likes_count integer not null default 0 check (likes_count >= 0),
  comments_count integer not null default 0 check (comments_count >= 0),
  shares_count integer not null default 0 check (shares_count >= 0),
  is_pinned boolean not null default false,
  is_hidden boolean not null default false,
  hidden_reason text,
  search_vector tsvector generated always as (to_tsvector('english', coalesce(content, ''))) stored,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (post_type <> 'poll' or poll_options is not null)
);
create index posts_user_id_idx on producers_avenue.posts (user_id, created_at desc);
create index posts_created_at_idx on producers_avenue.posts (created_at desc);
create index posts_search_idx on producers_avenue.posts using gin (search_vector);
create index posts_link_preview_idx on producers_avenue.posts using gin (link_preview jsonb_path_ops);

create table producers_avenue.post_likes (
  id uuid primary key default gen_random_uuid(),
  post_id uuid not null references producers_avenue.posts (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (post_id, user_id)
);
create index post_likes_user_id_idx on producers_avenue.post_likes (user_id);

create table producers_avenue.comments (
  id uuid primary key default gen_random_uuid(),
  post_id uuid not null references producers_avenue.posts (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  parent_comment_id uuid references producers_avenue.comments (id) on delete cascade,
  content text not null check (char_length(content) between 1 and 5000),
  likes_count integer not null default 0 check (likes_count >= 0),
  is_hidden boolean not null default false,
  hidden_reason text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index comments_post_id_idx on producers_avenue.comments (post_id, created_at);
create index comments_user_id_idx on producers_avenue.comments (user_id);
create index comments_parent_comment_id_idx on producers_avenue.comments (parent_comment_id);

create table producers_avenue.comment_likes (
  id uuid primary key default gen_random_uuid(),
  comment_id uuid not null references producers_avenue.comments (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (comment_id, user_id)
);
create index comment_likes_user_id_idx on producers_avenue.comment_likes (user_id);

-- ---------------------------------------------------------------------------
-- 4. Groups
-- ---------------------------------------------------------------------------

create table producers_avenue.groups (
  id uuid primary key default gen_random_uuid(),
  owner_id uuid not null references auth.users (id) on delete cascade,
  name text not null check (char_length(name) between 1 and 100),
  slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  description text,
  avatar_url text,
  banner_url text,
  visibility text not null default 'public' check (visibility in ('public', 'private', 'secret')),
  join_approval_required boolean not null default false,
  post_approval_required boolean not null default false,
  rules text,
  tags text[] not null default '{}',
  members_count integer not null default 0 check (members_count >= 0),
  posts_count integer not null default 0 check (posts_count >= 0),
  is_verified boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index groups_owner_id_idx on producers_avenue.groups (owner_id);
create index groups_visibility_idx on producers_avenue.groups (visibility);
create index groups_tags_idx on producers_avenue.groups using gin (tags);

create table producers_avenue.group_members (
  id uuid primary key default gen_random_uuid(),
  group_id uuid not null references producers_avenue.groups (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  role text not null default 'member' check (role in ('owner', 'admin', 'moderator', 'member')),
  status text not null default 'active' check (status in ('active', 'pending', 'banned')),
  joined_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (group_id, user_id)
);
create index group_members_user_id_idx on producers_avenue.group_members (user_id, status);
create index group_members_group_status_idx on producers_avenue.group_members (group_id, status);

create table producers_avenue.group_posts (
  id uuid primary key default gen_random_uuid(),
  group_id uuid not null references producers_avenue.groups (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  content text check (char_length(content) <= 20000),
  media_urls text[] not null default '{}',
  link_url text,
  link_preview jsonb check (link_preview is null or jsonb_typeof(link_preview) = 'object'),
  post_type text not null default 'text' check (post_type in ('text', 'image', 'video', 'link', 'poll')),
  is_pinned boolean not null default false,
  is_approved boolean not null default true,
  likes_count integer not null default 0 check (likes_count >= 0),
  comments_count integer not null default 0 check (comments_count >= 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index group_posts_group_id_idx on producers_avenue.group_posts (group_id, created_at desc);
create index group_posts_user_id_idx on producers_avenue.group_posts (user_id);

-- ---------------------------------------------------------------------------
-- 5. Marketplace
-- ---------------------------------------------------------------------------

create table producers_avenue.webinars (
  id uuid primary key default gen_random_uuid(),
  host_id uuid not null references auth.users (id) on delete cascade,
  co_hosts uuid[] not null default '{}',
  title text not null check (char_length(title) between 1 and 200),
  slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  description text,
  thumbnail_url text,
  cover_image_url text,
  scheduled_at timestamptz not null,
  duration_minutes integer check (duration_minutes > 0),
  price numeric(10, 2) not null default 0 check (price >= 0),
  price_cents integer generated always as ((price * 100)::integer) stored,
  max_attendees integer check (max_attendees > 0),
  room_id text,
  recording_url text,
  status text not null default 'upcoming' check (status in ('upcoming', 'live', 'ended', 'cancelled')),
  category_id uuid references producers_avenue.categories (id) on delete set null,
  tags text[] not null default '{}',
  registrations_count integer not null default 0 check (registrations_count >= 0),
  attendees_count integer not null default 0 check (attendees_count >= 0),
  is_recorded boolean not null default false,
  recording_available boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (max_attendees is null or registrations_count <= max_attendees),
  check (not recording_available or recording_url is not null)
);
create index webinars_host_id_idx on producers_avenue.webinars (host_id);
create index webinars_scheduled_at_idx on producers_avenue.webinars (scheduled_at);
create index webinars_status_idx on producers_avenue.webinars (status, scheduled_at);
create index webinars_tags_idx on producers_avenue.webinars using gin (tags);
create index webinars_co_hosts_idx on producers_avenue.webinars using gin (co_hosts);
create index webinars_category_id_idx on producers_avenue.webinars (category_id);

create table producers_avenue.products (
  id uuid primary key default gen_random_uuid(),
  seller_id uuid not null references auth.users (id) on delete cascade,
  title text not null check (char_length(title) between 1 and 200),
  slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  description text,
  product_type text not null default 'regular' check (product_type in ('regular', 'recorded_webinar')),
  source_webinar_id uuid unique references producers_avenue.webinars (id) on delete set null,
  thumbnail_url text,
  preview_images text[] not null default '{}',
  preview_audio_url text,
  preview_video_url text,
  file_urls text[] not null default '{}',
  file_size_bytes bigint check (file_size_bytes >= 0),
  file_types text[] not null default '{}',
  price numeric(10, 2) not null default 0 check (price >= 0),
  price_cents integer generated always as ((price * 100)::integer) stored,
  is_free boolean not null default false,
  allow_name_your_price boolean not null default false,
  minimum_price numeric(10, 2) check (minimum_price >= 0),
  technical_details jsonb not null default '{}' check (jsonb_typeof(technical_details) = 'object'),
  license_type text not null default 'personal' check (license_type in ('personal', 'commercial', 'exclusive', 'custom')),
  license_text text,
  category_id uuid references producers_avenue.categories (id) on delete set null,
  tags text[] not null default '{}',
  genre_tags text[] not null default '{}',
  views_count integer not null default 0 check (views_count >= 0),
  likes_count integer not null default 0 check (likes_count >= 0),
  purchases_count integer not null default 0 check (purchases_count >= 0),
  rating_average numeric(3, 2) not null default 0.00 check (rating_average between 0 and 5),
  reviews_count integer not null default 0 check (reviews_count >= 0),
  status text not null default 'draft' check (status in ('draft', 'active', 'paused', 'deleted')),
  is_featured boolean not null default false,
  featured_at timestamptz,
  is_approved boolean not null default true,
  approval_notes text,
  search_vector tsvector generated always as (
    setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
    setweight(to_tsvector('english', coalesce(description, '')), 'B')) stored,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (is_free = (price = 0)),
  check (not allow_name_your_price or minimum_price is not null),
  check (product_type = 'regular' or source_webinar_id is not null),
  check (license_type <> 'custom' or license_text is not null)
);
comment on column producers_avenue.products.price_cents is 'The listed price in integer cents; what a purchase charges (or the minimum with name-your-price).';
create index products_seller_id_idx on producers_avenue.products (seller_id, created_at desc);
create index products_status_idx on producers_avenue.products (status, is_approved);
create index products_is_featured_idx on producers_avenue.products (seller_id) where is_featured;
create index products_featured_at_idx on producers_avenue.products (featured_at desc) where is_featured;
create index products_tags_idx on producers_avenue.products using gin (tags);
create index products_genre_tags_idx on producers_avenue.products using gin (genre_tags);
create index products_technical_details_idx on producers_avenue.products using gin (technical_details jsonb_path_ops);
create index products_created_at_idx on producers_avenue.products (created_at desc);
create index products_search_idx on producers_avenue.products using gin (search_vector);
create index products_title_trgm_idx on producers_avenue.products using gin (title extensions.gin_trgm_ops);
create index products_category_id_idx on producers_avenue.products (category_id);

create table producers_avenue.services (
  id uuid primary key default gen_random_uuid(),
  seller_id uuid not null references auth.users (id) on delete cascade,
  title text not null check (char_length(title) between 1 and 200),
  slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  description text,
  service_type text not null default 'other' check (service_type in
    ('production', 'mixing', 'mastering', 'recording', 'vocals', 'design', 'video', 'consultation', 'other')),
  is_mentoring boolean not null default false,
  thumbnail_url text,
  portfolio_urls text[] not null default '{}',
  packages jsonb not null default '[]' check (jsonb_typeof(packages) = 'array'),
  buyer_requirements text,
  category_id uuid references producers_avenue.categories (id) on delete set null,
  tags text[] not null default '{}',
  genre_tags text[] not null default '{}',
  views_count integer not null default 0 check (views_count >= 0),
  orders_count integer not null default 0 check (orders_count >= 0),
  rating_average numeric(3, 2) not null default 0.00 check (rating_average between 0 and 5),
  reviews_count integer not null default 0 check (reviews_count >= 0),
  response_time_hours integer check (response_time_hours >= 0),
  completion_rate numeric(5, 2) check (completion_rate between 0 and 100),
  status text not null default 'draft' check (status in ('draft', 'active', 'paused', 'deleted')),
  is_featured boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on column producers_avenue.services.packages is '[{name, price, delivery_days, revisions, features: []}]; checked on write.';
create index services_seller_id_idx on producers_avenue.services (seller_id, created_at desc);
create index services_status_idx on producers_avenue.services (status);
create index services_is_featured_idx on producers_avenue.services (is_featured) where is_featured;
create index services_is_mentoring_idx on producers_avenue.services (is_mentoring) where is_mentoring;
create index services_tags_idx on producers_avenue.services using gin (tags);
create index services_genre_tags_idx on producers_avenue.services using gin (genre_tags);
create index services_packages_idx on producers_avenue.services using gin (packages jsonb_path_ops);
create index services_created_at_idx on producers_avenue.services (created_at desc);
create index services_category_id_idx on producers_avenue.services (category_id);

create table producers_avenue.orders (
  id uuid primary key default gen_random_uuid(),
  service_id uuid not null references producers_avenue.services (id) on delete restrict,
  buyer_id uuid references auth.users (id) on delete set null,
  seller_id uuid references auth.users (id) on delete set null,
  package_name text not null,
  package_price numeric(10, 2) not null check (package_price >= 0),
  package_price_cents integer generated always as ((package_price * 100)::integer) stored,
  delivery_days integer not null check (delivery_days > 0),
  revisions_included integer not null default 0 check (revisions_included >= 0),
  requirements text,
  requirement_files text[] not null default '{}',
  delivery_files text[] not null default '{}',
  delivery_notes text,
  delivered_at timestamptz,
  status text not null default 'pending' check (status in
    ('pending', 'in_progress', 'delivered', 'revision_requested', 'completed', 'cancelled', 'refunded')),
  revisions_used integer not null default 0 check (revisions_used >= 0),
  buyer_approved boolean not null default false,
  transaction_id uuid,
  completed_at timestamptz,
  cancelled_at timestamptz,
  cancellation_reason text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint orders_revisions_within_package check (revisions_used <= revisions_included),
  check (buyer_id is distinct from seller_id or buyer_id is null)
);
comment on column producers_avenue.orders.transaction_id is 'The purchase that paid for the order (record_purchase).';
create index orders_service_id_idx on producers_avenue.orders (service_id);
create index orders_buyer_id_idx on producers_avenue.orders (buyer_id, created_at desc);
create index orders_seller_id_idx on producers_avenue.orders (seller_id, created_at desc);
create index orders_status_idx on producers_avenue.orders (status);
create index orders_created_at_idx on producers_avenue.orders (created_at desc);

create table producers_avenue.webinar_registrations (
  id uuid primary key default gen_random_uuid(),
  webinar_id uuid not null references producers_avenue.webinars (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  payment_status text not null default 'pending' check (payment_status in ('pending', 'paid', 'refunded', 'free')),
  attended boolean not null default false,
  attended_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (webinar_id, user_id)
);
create index webinar_registrations_user_id_idx on producers_avenue.webinar_registrations (user_id);

create table producers_avenue.reviews (
  id uuid primary key default gen_random_uuid(),
  reviewer_id uuid not null references auth.users (id) on delete cascade,
  reviewable_type text not null check (reviewable_type in ('product', 'service', 'webinar')),
  reviewable_id uuid not null,
  seller_id uuid references auth.users (id) on delete cascade,
  rating integer not null check (rating >= 1 and rating <= 5),
  review_text text check (char_length(review_text) <= 5000),
  seller_response text check (char_length(seller_response) <= 5000),
  seller_responded_at timestamptz,
  is_verified_purchase boolean not null default false,
  helpful_count integer not null default 0 check (helpful_count >= 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint reviews_one_per_reviewer unique (reviewer_id, reviewable_type, reviewable_id)
);
create index reviews_reviewable_idx on producers_avenue.reviews (reviewable_type, reviewable_id);
create index reviews_reviewable_id_idx on producers_avenue.reviews (reviewable_id);
create index reviews_seller_id_idx on producers_avenue.reviews (seller_id);
create index reviews_reviewer_id_idx on producers_avenue.reviews (reviewer_id);

-- ---------------------------------------------------------------------------
-- 6. Financial: the seed's transactions, wallets, payouts, on a ledger
-- ---------------------------------------------------------------------------

create table producers_avenue.transactions (
  id uuid primary key default gen_random_uuid(),
  buyer_id uuid references auth.users (id) on delete set null,
  seller_id uuid references auth.users (id) on delete set null,
  transaction_type text not null check (transaction_type in
    ('product_purchase', 'service_purchase', 'webinar_registration', 'subscription_payment', 'payout', 'refund', 'chargeback')),
  related_id uuid,
  amount_total integer not null default 0 check (amount_total >= 0),
  amount_fees integer not null default 0 check (amount_fees >= 0),
  amount_commission integer not null default 0 check (amount_commission >= 0),
  amount_seller integer not null default 0,
  commission_rate numeric(5, 2) check (commission_rate between 0 and 100),
  seller_tier text check (seller_tier in ('basic', 'standard', 'premium', 'ultimate')),
  fee_schedule_version integer,
  payment_processor text check (payment_processor in ('stripe', 'paypal', 'wallet')),
  stripe_payment_intent_id text,
  stripe_charge_id text,
  paypal_transaction_id text,
  paypal_order_id text,
  payment_method text check (payment_method in ('card', 'paypal', 'wallet_balance')),
  status text not null default 'pending' check (status in ('pending', 'completed', 'refunded', 'failed', 'disputed')),
  completed_at timestamptz,
  refunded_at timestamptz,
  available_at timestamptz,
  released_at timestamptz,
  refund_of uuid references producers_avenue.transactions (id) on delete restrict,
  idempotency_key text,
  metadata jsonb not null default '{}' check (jsonb_typeof(metadata) = 'object'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (amount_total = amount_fees + amount_commission + amount_seller or transaction_type in ('payout', 'refund', 'chargeback'))
);
comment on table producers_avenue.transactions is 'One row per sale, refund or payout, in integer cents; the money itself moves in ledger_entries.';
comment on column producers_avenue.transactions.available_at is 'When the seller share leaves the 7-day hold (completed_at + hold).';
comment on column producers_avenue.transactions.released_at is 'When release_pending() moved the seller share to available.';
create index transactions_buyer_id_idx on producers_avenue.transactions (buyer_id, created_at desc);
create index transactions_seller_id_idx on producers_avenue.transactions (seller_id, created_at desc);
create index transactions_type_idx on producers_avenue.transactions (transaction_type);
create index transactions_status_idx on producers_avenue.transactions (status);
create index transactions_created_at_idx on producers_avenue.transactions (created_at desc);
create index transactions_related_id_idx on producers_avenue.transactions (related_id);
create unique index transactions_refund_of_key on producers_avenue.transactions (refund_of) where refund_of is not null;
create index transactions_stripe_payment_intent_idx on producers_avenue.transactions (stripe_payment_intent_id) where stripe_payment_intent_id is not null;
create index transactions_stripe_charge_idx on producers_avenue.transactions (stripe_charge_id) where stripe_charge_id is not null;
create index transactions_paypal_transaction_idx on producers_avenue.transactions (paypal_transaction_id) where paypal_transaction_id is not null;
create index transactions_paypal_order_idx on producers_avenue.transactions (paypal_order_id) where paypal_order_id is not null;
-- The release job's scan: completed sales whose hold is over.
create index transactions_release_due_idx on producers_avenue.transactions (available_at)
  where status = 'completed' and released_at is null and available_at is not null;

alter table producers_avenue.orders add constraint orders_transaction_id_fkey
  foreign key (transaction_id) references producers_avenue.transactions (id) on delete set null;

create table producers_avenue.wallets (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null unique references auth.users (id) on delete cascade,
  balance_available integer not null default 0,
  balance_pending integer not null default 0,
  balance_reserved integer not null default 0,
  total_earned_stripe integer not null default 0,
  total_earned_paypal integer not null default 0,
  total_earned integer not null default 0,
  total_withdrawn_stripe integer not null default 0,
  total_withdrawn_paypal integer not null default 0,
  total_withdrawn integer not null default 0,
  total_spent_on_platform integer not null default 0,
  stripe_account_id text,
  stripe_account_status text check (stripe_account_status in ('enabled', 'pending', 'disabled')),
  paypal_email text check (paypal_email ~ '^[^@\s]+@[^@\s]+$'),
  paypal_verified boolean not null default false,
  payouts_enabled boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table producers_avenue.wallets is 'Balances in cents, derived from ledger_entries by trigger (ledger_violations() proves it). May go negative after a refund; payouts then wait.';
comment on column producers_avenue.wallets.balance_reserved is 'Cents in requested payouts not yet completed or failed.';

create table producers_avenue.payouts (
  id uuid primary key default gen_random_uuid(),
  user_id uuid references auth.users (id) on delete set null,
  wallet_id uuid references producers_avenue.wallets (id) on delete set null,
  amount integer not null check (amount >= 5000),
  payout_method text not null check (payout_method in ('stripe', 'paypal')),
  stripe_payout_id text,
  paypal_batch_id text,
  status text not null default 'pending' check (status in ('pending', 'processing', 'completed', 'failed', 'cancelled')),
  requested_at timestamptz not null default now(),
  approved_at timestamptz,
  approved_by uuid references auth.users (id) on delete set null,
  completed_at timestamptz,
  failed_at timestamptz,
  failure_reason text,
  idempotency_key text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index payouts_user_id_idx on producers_avenue.payouts (user_id, requested_at desc);
create index payouts_status_idx on producers_avenue.payouts (status);
create index payouts_requested_at_idx on producers_avenue.payouts (requested_at desc);
create index payouts_wallet_id_idx on producers_avenue.payouts (wallet_id);

create table producers_avenue.ledger_accounts (
  id uuid primary key default gen_random_uuid(),
  code text not null unique,
  user_id uuid references auth.users (id) on delete set null,
  kind text not null check (kind in (
    'user_pending', 'user_available', 'user_reserved',
    'processor_stripe', 'processor_paypal', 'fees_stripe', 'fees_paypal',
    'platform_commission', 'payouts_sent')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((kind like 'user\_%') = (code like 'user:%'))
);
comment on table producers_avenue.ledger_accounts is 'Ledger accounts: three per user (pending, available, reserved) and the platform''s (processor clearing, processor fees, commission, payouts sent).';
create index ledger_accounts_user_id_idx on producers_avenue.ledger_accounts (user_id);

create table producers_avenue.ledger_transactions (
  id uuid primary key default gen_random_uuid(),
  kind text not null check (kind in (
    'purchase', 'refund', 'chargeback', 'release', 'payout_request', 'payout_complete', 'payout_fail', 'payout_cancel')),
  transaction_id uuid references producers_avenue.transactions (id) on delete restrict,
  payout_id uuid references producers_avenue.payouts (id) on delete restrict,
  idempotency_key text not null,
  memo text,
  created_at timestamptz not null default now()
);
comment on table producers_avenue.ledger_transactions is 'Journal: one row per money movement; its entries sum to zero (checked at commit). Append-only.';
create index ledger_transactions_transaction_id_idx on producers_avenue.ledger_transactions (transaction_id);
create index ledger_transactions_payout_id_idx on producers_avenue.ledger_transactions (payout_id);
create index ledger_transactions_idempotency_key_idx on producers_avenue.ledger_transactions (idempotency_key);

create table producers_avenue.ledger_entries (
  id uuid primary key default gen_random_uuid(),
  ledger_transaction_id uuid not null references producers_avenue.ledger_transactions (id) on delete restrict,
  account_id uuid not null references producers_avenue.ledger_accounts (id) on delete restrict,
  amount bigint not null check (amount <> 0),
  created_at timestamptz not null default now()
);
comment on table producers_avenue.ledger_entries is 'Signed amounts in cents; an account''s balance is the sum of its entries. Append-only.';
create index ledger_entries_transaction_idx on producers_avenue.ledger_entries (ledger_transaction_id);
create index ledger_entries_account_idx on producers_avenue.ledger_entries (account_id);

create table producers_avenue.money_requests (
  idempotency_key text primary key check (char_length(idempotency_key) between 1 and 255),
  operation text not null,
  request_hash text not null,
  result jsonb not null,
  created_at timestamptz not null default now()
);
comment on table producers_avenue.money_requests is 'Idempotency keys of money-moving calls: the same key returns the stored result; the same key with other parameters is refused (PT409).';

-- ---------------------------------------------------------------------------
-- 7. Messaging
-- ---------------------------------------------------------------------------

create table producers_avenue.conversations (
  id uuid primary key default gen_random_uuid(),
  participant_ids uuid[] not null check (cardinality(participant_ids) between 2 and 100 and array_position(participant_ids, null) is null),
  last_message_at timestamptz,
  last_message_preview text check (char_length(last_message_preview) <= 100),
  is_group boolean not null default false,
  group_name text,
  group_avatar_url text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (is_group or cardinality(participant_ids) = 2)
);
create index conversations_participant_ids_idx on producers_avenue.conversations using gin (participant_ids);
create index conversations_last_message_at_idx on producers_avenue.conversations (last_message_at desc nulls last);

create table producers_avenue.messages (
  id uuid primary key default gen_random_uuid(),
  conversation_id uuid not null references producers_avenue.conversations (id) on delete cascade,
  sender_id uuid references auth.users (id) on delete set null,
  content text check (char_length(content) <= 10000),
  attachment_urls text[] not null default '{}',
  is_read boolean not null default false,
  read_at timestamptz,
  is_deleted boolean not null default false,
  deleted_for uuid[] not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index messages_conversation_id_idx on producers_avenue.messages (conversation_id, created_at);
create index messages_sender_id_idx on producers_avenue.messages (sender_id);
create index messages_created_at_idx on producers_avenue.messages (created_at);

-- ---------------------------------------------------------------------------
-- 8. Notifications
-- ---------------------------------------------------------------------------

create table producers_avenue.notifications (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  type text not null check (type in ('like', 'comment', 'follow', 'message', 'order', 'payout', 'mention', 'review',
    'custom_field', 'group', 'webinar', 'sale', 'refund', 'report', 'system')),
  title text,
  message text,
  link_url text,
  actor_id uuid references auth.users (id) on delete set null,
  related_id uuid,
  is_read boolean not null default false,
  read_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index notifications_user_id_idx on producers_avenue.notifications (user_id, created_at desc);
create index notifications_unread_idx on producers_avenue.notifications (user_id) where not is_read;
create index notifications_actor_id_idx on producers_avenue.notifications (actor_id);

-- ---------------------------------------------------------------------------
-- 9. Content and moderation
-- ---------------------------------------------------------------------------

create table producers_avenue.articles (
  id uuid primary key default gen_random_uuid(),
  author_id uuid references auth.users (id) on delete set null,
  title text not null check (char_length(title) between 1 and 200),
  slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  content text,
  excerpt text,
  thumbnail_url text,
  category text,
  tags text[] not null default '{}',
  views_count integer not null default 0 check (views_count >= 0),
  likes_count integer not null default 0 check (likes_count >= 0),
  comments_count integer not null default 0 check (comments_count >= 0),
  is_published boolean not null default false,
  published_at timestamptz,
  search_vector tsvector generated always as (
    setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
    setweight(to_tsvector('english', coalesce(content, '')), 'B')) stored,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index articles_author_id_idx on producers_avenue.articles (author_id);
create index articles_is_published_idx on producers_avenue.articles (is_published, published_at desc);
create index articles_published_at_idx on producers_avenue.articles (published_at desc);
create index articles_search_idx on producers_avenue.articles using gin (search_vector);
create index articles_tags_idx on producers_avenue.articles using gin (tags);

create table producers_avenue.report_abuse_tracking (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null unique references auth.users (id) on delete cascade,
  false_report_count integer not null default 0 check (false_report_count >= 0),
  is_report_banned boolean not null default false,
  report_ban_until timestamptz,
  permanent_ban boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table producers_avenue.reports (
  id uuid primary key default gen_random_uuid(),
  reporter_id uuid not null references auth.users (id) on delete cascade,
  target_type text not null check (target_type in ('user', 'post', 'comment', 'group', 'group_post', 'product', 'service', 'webinar', 'review', 'message', 'article')),
  target_id uuid not null,
  reason text not null check (reason in ('spam', 'harassment', 'copyright', 'scam', 'inappropriate', 'other')),
  details text check (char_length(details) <= 5000),
  status text not null default 'pending' check (status in ('pending', 'actioned', 'dismissed', 'false_report')),
  reviewed_by uuid references auth.users (id) on delete set null,
  reviewed_at timestamptz,
  resolution_notes text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (reporter_id, target_type, target_id)
);
comment on table producers_avenue.reports is 'Abuse reports. An admin marking one false_report counts against the reporter (report_abuse_tracking).';
create index reports_status_idx on producers_avenue.reports (status, created_at);
create index reports_target_idx on producers_avenue.reports (target_type, target_id);

-- ---------------------------------------------------------------------------
-- 10. Tags
-- ---------------------------------------------------------------------------

create table producers_avenue.tags (
  id uuid primary key default gen_random_uuid(),
  name text not null check (char_length(name) between 1 and 100),
  slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  usage_count integer not null default 0 check (usage_count >= 0),
  trending_score numeric(10, 2) not null default 0.00,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index tags_usage_count_idx on producers_avenue.tags (usage_count desc);
create index tags_trending_score_idx on producers_avenue.tags (trending_score desc);

-- updated_at on every UPDATE, on every table that has it.
-- +goose StatementBegin
do $$
declare
  t record;
begin
  for t in select c.relname from pg_class c
           join pg_attribute a on a.attrelid = c.oid and a.attname = 'updated_at' and not a.attisdropped
           where c.relnamespace = 'producers_avenue'::regnamespace and c.relkind = 'r'
  loop
    execute format('create trigger %I before update on producers_avenue.%I for each row execute function public.set_updated_at()',
                   t.relname || '_set_updated_at', t.relname);
  end loop;
end
$$;
-- +goose StatementEnd

-- +goose Down
drop schema producers_avenue cascade;
-- The extensions go too, unless another schema still uses one (they are
-- database-wide): then it stays for its other users.
-- +goose StatementBegin
do $$
declare
  e text;
begin
  foreach e in array array['earthdistance', 'cube', 'pg_trgm'] loop
    begin
      execute format('drop extension if exists %I', e);
    exception when dependent_objects_still_exist then
      null;
    end;
  end loop;
end
$$;
-- +goose StatementEnd
