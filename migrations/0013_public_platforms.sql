-- public.platforms: the social platforms every product connects to (seed
-- 000's shared "platforms"; columns from seed 003's platform lookup).
-- Everyone may read; admins and the service role maintain it. Product
-- tables keep their seed's text platform columns and may reference slug.

-- +goose Up
create table public.platforms (
  id uuid primary key default gen_random_uuid(),
  slug text not null unique check (slug ~ '^[a-z0-9][a-z0-9_]{1,49}$'),
  display_name text not null,
  description text,
  website_url text,
  logo_url text,
  api_docs_url text,
  is_oauth_required boolean not null default true,
  is_active boolean not null default true,
  sort_order integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.platforms is 'Social platforms (twitter, linkedin, instagram, youtube, tiktok, facebook). Public read.';
create trigger platforms_set_updated_at before update on public.platforms
  for each row execute function public.set_updated_at();

insert into public.platforms (slug, display_name, description, website_url, api_docs_url, sort_order) values
  ('twitter', 'X (Twitter)', 'Short posts and threads', 'https://x.com', 'https://docs.x.com', 10),
  ('linkedin', 'LinkedIn', 'Professional network posts and articles', 'https://www.linkedin.com', 'https://learn.microsoft.com/linkedin/', 20),
  ('instagram', 'Instagram', 'Photos, reels and stories', 'https://www.instagram.com', 'https://developers.facebook.com/docs/instagram-platform', 30),
  ('youtube', 'YouTube', 'Long and short videos', 'https://www.youtube.com', 'https://developers.google.com/youtube/v3', 40),
  ('tiktok', 'TikTok', 'Short videos', 'https://www.tiktok.com', 'https://developers.tiktok.com/doc', 50),
  ('facebook', 'Facebook', 'Pages, posts and videos', 'https://www.facebook.com', 'https://developers.facebook.com/docs/graph-api', 60);

alter table public.platforms enable row level security;
revoke all on public.platforms from public, anon, authenticated;
grant select on public.platforms to anon, authenticated;
grant insert, update, delete on public.platforms to authenticated;
grant select, insert, update, delete on public.platforms to service_role;

create policy platforms_select on public.platforms for select to anon, authenticated using (true);
create policy platforms_insert_admin on public.platforms for insert to authenticated
  with check ((select public.has_role('admin')));
create policy platforms_update_admin on public.platforms for update to authenticated
  using ((select public.has_role('admin'))) with check ((select public.has_role('admin')));
create policy platforms_delete_admin on public.platforms for delete to authenticated
  using ((select public.has_role('admin')));

-- +goose Down
drop table if exists public.platforms;
