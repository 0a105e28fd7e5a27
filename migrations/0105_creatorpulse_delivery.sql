-- CreatorPulse seed 001 section 5: delivery_preferences and daily_deliveries.
--
-- delivery_preferences: one row per user; the user creates, reads and
-- updates it, and an agency the client gave "delivery_preferences" read
-- (write) may read (write) it. ensure_delivery_preferences() returns the
-- caller's row, creating it with the defaults on first use.
-- daily_deliveries: one row per user and date, written by the delivery job
-- (service role); the user reads.

-- +goose Up
create table creatorpulse.delivery_preferences (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  delivery_time time not null default '08:00:00',
  delivery_days jsonb not null default '["monday","tuesday","wednesday","thursday","friday"]'
    constraint delivery_preferences_delivery_days_check check (creatorpulse.valid_weekdays(delivery_days)),
  email_enabled boolean not null default true,
  whatsapp_enabled boolean not null default false,
  whatsapp_number text
    constraint delivery_preferences_whatsapp_number_check check (whatsapp_number ~ '^\+[1-9][0-9]{6,14}$'),
  push_notifications_enabled boolean not null default true,
  content_formats jsonb not null default '[]'
    constraint delivery_preferences_content_formats_check check (jsonb_typeof(content_formats) = 'array'),
  platforms jsonb not null default '[]'
    constraint delivery_preferences_platforms_check check (jsonb_typeof(platforms) = 'array'),
  trend_alerts_enabled boolean not null default true,
  max_drafts_per_delivery integer not null default 5
    constraint delivery_preferences_max_drafts_per_delivery_check check (max_drafts_per_delivery between 1 and 50),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint delivery_preferences_whatsapp_enabled_check check (not whatsapp_enabled or whatsapp_number is not null)
);
comment on table creatorpulse.delivery_preferences is 'When and how drafts are delivered, one row per user (seed 001 section 5.1).';
comment on column creatorpulse.delivery_preferences.delivery_time is 'Local delivery time, in creator_profiles.timezone.';
comment on column creatorpulse.delivery_preferences.delivery_days is 'Days of week: lower-case English names.';
comment on column creatorpulse.delivery_preferences.whatsapp_number is 'E.164, e.g. +4915112345678; required when whatsapp_enabled.';
comment on column creatorpulse.delivery_preferences.content_formats is 'Preferred content types.';
comment on column creatorpulse.delivery_preferences.platforms is 'Enabled platforms.';
create unique index delivery_preferences_user_id_idx on creatorpulse.delivery_preferences (user_id);
create index delivery_preferences_delivery_time_idx on creatorpulse.delivery_preferences (delivery_time);

create trigger update_delivery_preferences_updated_at before update on creatorpulse.delivery_preferences
  for each row execute function creatorpulse.update_updated_at_column();

alter table creatorpulse.delivery_preferences enable row level security;
revoke all on creatorpulse.delivery_preferences from public, anon, authenticated;
grant select on creatorpulse.delivery_preferences to authenticated;
grant insert (user_id, delivery_time, delivery_days, email_enabled, whatsapp_enabled, whatsapp_number,
              push_notifications_enabled, content_formats, platforms, trend_alerts_enabled, max_drafts_per_delivery)
  on creatorpulse.delivery_preferences to authenticated;
grant update (delivery_time, delivery_days, email_enabled, whatsapp_enabled, whatsapp_number,
              push_notifications_enabled, content_formats, platforms, trend_alerts_enabled, max_drafts_per_delivery)
  on creatorpulse.delivery_preferences to authenticated;
grant select, insert, update, delete on creatorpulse.delivery_preferences to service_role;

create policy "Users can create their own preferences" on creatorpulse.delivery_preferences
  for insert to authenticated with check ((select auth.uid()) = user_id);
create policy "Users can view their own preferences" on creatorpulse.delivery_preferences
  for select to authenticated using ((select auth.uid()) = user_id);
create policy "Users can update their own preferences" on creatorpulse.delivery_preferences
  for update to authenticated using ((select auth.uid()) = user_id) with check ((select auth.uid()) = user_id);
create policy "Agencies can view their clients' preferences" on creatorpulse.delivery_preferences
  for select to authenticated
  using (user_id in (select creatorpulse.agency_client_ids('delivery_preferences', 'read')));
create policy "Agencies can create their clients' preferences" on creatorpulse.delivery_preferences
  for insert to authenticated
  with check (user_id in (select creatorpulse.agency_client_ids('delivery_preferences', 'write')));
create policy "Agencies can update their clients' preferences" on creatorpulse.delivery_preferences
  for update to authenticated
  using (user_id in (select creatorpulse.agency_client_ids('delivery_preferences', 'write')))
  with check (user_id in (select creatorpulse.agency_client_ids('delivery_preferences', 'write')));

-- The caller's preferences, made with the defaults on first use. Runs with
-- the caller's rights (RLS decides); the service role names the user.
-- Callable as POST /rest/v1/rpc/ensure_delivery_preferences.
-- +goose StatementBegin
create function creatorpulse.ensure_delivery_preferences(for_user uuid default null)
returns creatorpulse.delivery_preferences
language plpgsql
volatile
set search_path = ''
as $$
declare
  target uuid := coalesce(for_user, auth.uid());
  prefs creatorpulse.delivery_preferences;
begin
  if target is null then
    raise exception 'ensure_delivery_preferences: no user' using errcode = '42501';
  end if;
  insert into creatorpulse.delivery_preferences (user_id) values (target)
  on conflict (user_id) do nothing;
  select * into prefs from creatorpulse.delivery_preferences p where p.user_id = target;
  if not found then
    raise exception 'ensure_delivery_preferences: not allowed for user %', target using errcode = '42501';
  end if;
  return prefs;
end
$$;
-- +goose StatementEnd
revoke execute on function creatorpulse.ensure_delivery_preferences(uuid) from public;
grant execute on function creatorpulse.ensure_delivery_preferences(uuid) to authenticated, service_role;
comment on function creatorpulse.ensure_delivery_preferences(uuid) is
  'The delivery preferences of for_user (default: the caller), created with the defaults on first use.';

create table creatorpulse.daily_deliveries (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  delivery_date date not null,
  delivery_status text not null default 'pending'
    constraint daily_deliveries_delivery_status_check check (delivery_status in ('pending', 'delivered', 'failed', 'skipped')),
  content_draft_ids jsonb not null default '[]'
    constraint daily_deliveries_content_draft_ids_check check (jsonb_typeof(content_draft_ids) = 'array'),
  trend_insight_ids jsonb not null default '[]'
    constraint daily_deliveries_trend_insight_ids_check check (jsonb_typeof(trend_insight_ids) = 'array'),
  delivery_channel text
    constraint daily_deliveries_delivery_channel_check check (delivery_channel in ('email', 'whatsapp', 'push')),
  delivered_at timestamptz,
  opened_at timestamptz,
  error_message text,
  created_at timestamptz not null default now()
);
comment on table creatorpulse.daily_deliveries is 'One delivery of drafts and trends per user and day (seed 001 section 5.2).';
comment on column creatorpulse.daily_deliveries.content_draft_ids is 'Array of delivered draft ids.';
comment on column creatorpulse.daily_deliveries.trend_insight_ids is 'Array of included trend ids.';
create unique index daily_deliveries_user_date_idx on creatorpulse.daily_deliveries (user_id, delivery_date);
create index daily_deliveries_status_idx on creatorpulse.daily_deliveries (delivery_status);
create index daily_deliveries_delivery_date_idx on creatorpulse.daily_deliveries (delivery_date);
create index daily_deliveries_delivered_at_idx on creatorpulse.daily_deliveries (delivered_at);

alter table creatorpulse.daily_deliveries enable row level security;
revoke all on creatorpulse.daily_deliveries from public, anon, authenticated;
grant select on creatorpulse.daily_deliveries to authenticated;
grant select, insert, update, delete on creatorpulse.daily_deliveries to service_role;

create policy "Users can view their own deliveries" on creatorpulse.daily_deliveries
  for select to authenticated using ((select auth.uid()) = user_id);

-- +goose Down
drop table if exists creatorpulse.daily_deliveries;
drop function if exists creatorpulse.ensure_delivery_preferences(uuid);
drop table if exists creatorpulse.delivery_preferences;
