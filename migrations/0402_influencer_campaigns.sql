-- influencer.campaigns (seed 004 section 1): a user's campaigns.
--
-- user_id references the user's influencer profile (user_profiles.user_id,
-- itself the auth.users id), as the seed's ERD draws it: a profile is made
-- first (onboarding), then campaigns. A campaign beyond the effective
-- plan_campaigns_limit is refused with SQLSTATE PT402; concurrent inserts
-- are serialized on the profile row, so a limit is never passed by a race.
-- usage_campaigns_current counts the user's campaigns (every status:
-- archiving keeps a campaign's jobs and results; deleting frees the slot),
-- kept by triggers.

-- +goose Up
create table influencer.campaigns (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references influencer.user_profiles (user_id) on delete cascade,
  name text not null constraint campaigns_name_check check (btrim(name) <> '' and length(name) <= 200),
  description text constraint campaigns_description_check check (length(description) <= 5000),
  search_type varchar(20) not null constraint campaigns_search_type_check check (search_type in ('keyword', 'similar')),
  status varchar(20) not null default 'draft'
    constraint campaigns_status_check check (status in ('draft', 'active', 'completed', 'archived')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table influencer.campaigns is 'Campaigns: containers for searches (seed 004 section 1). Limited by the plan''s campaigns_limit (PT402).';
create index idx_campaigns_user_created on influencer.campaigns (user_id, created_at desc);

create trigger update_campaigns_updated_at before update on influencer.campaigns
  for each row execute function influencer.update_updated_at_column();

-- +goose StatementBegin
create function influencer.campaigns_limit() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  p influencer.user_profiles;
begin
  if tg_op = 'UPDATE' then
    if new.user_id <> old.user_id then
      raise exception 'campaigns.user_id: a campaign cannot change owner'
        using errcode = '42501', column = 'user_id', table = 'campaigns', schema = 'influencer';
    end if;
    return new;
  end if;
  -- Lock the profile: concurrent inserts of one user run one after another.
  select * into p from influencer.user_profiles up where up.user_id = new.user_id for update;
  if not found then
    return new; -- the foreign key refuses it
  end if;
  if p.plan_campaigns_limit is not null and p.plan_campaigns_limit >= 0
     and p.usage_campaigns_current >= p.plan_campaigns_limit then
    raise exception 'campaigns: campaign limit reached (% of % on plan %)',
      p.usage_campaigns_current, p.plan_campaigns_limit,
      case when p.trial_status = 'active' and p.intended_plan is not null then p.intended_plan else p.current_plan end
      using errcode = 'PT402', table = 'campaigns', schema = 'influencer',
            detail = pg_catalog.format('campaigns_limit=%s usage_campaigns_current=%s', p.plan_campaigns_limit, p.usage_campaigns_current),
            hint = 'Delete a campaign or upgrade the plan.';
  end if;
  update influencer.user_profiles set usage_campaigns_current = usage_campaigns_current + 1 where user_id = new.user_id;
  return new;
end
$$;
-- +goose StatementEnd
revoke execute on function influencer.campaigns_limit() from public;
create trigger campaigns_limit before insert or update of user_id on influencer.campaigns
  for each row execute function influencer.campaigns_limit();

-- +goose StatementBegin
create function influencer.campaigns_count_delete() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  update influencer.user_profiles set usage_campaigns_current = greatest(usage_campaigns_current - 1, 0)
   where user_id = old.user_id;
  return null;
end
$$;
-- +goose StatementEnd
revoke execute on function influencer.campaigns_count_delete() from public;
create trigger campaigns_count_delete after delete on influencer.campaigns
  for each row execute function influencer.campaigns_count_delete();

alter table influencer.campaigns enable row level security;
revoke all on influencer.campaigns from public, anon, authenticated;
grant select, delete on influencer.campaigns to authenticated;
grant insert (user_id, name, description, search_type, status) on influencer.campaigns to authenticated;
grant update (name, description, search_type, status) on influencer.campaigns to authenticated;
grant select, insert, update, delete on influencer.campaigns to service_role;

create policy "Users create their own campaigns" on influencer.campaigns
  for insert to authenticated with check (user_id = (select auth.uid()));
create policy "Users read their own campaigns, admins every campaign" on influencer.campaigns
  for select to authenticated using (user_id = (select auth.uid()) or (select influencer.is_admin()));
create policy "Users update their own campaigns" on influencer.campaigns
  for update to authenticated using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
create policy "Users delete their own campaigns" on influencer.campaigns
  for delete to authenticated using (user_id = (select auth.uid()));

-- +goose Down
drop table if exists influencer.campaigns;
drop function if exists influencer.campaigns_count_delete();
drop function if exists influencer.campaigns_limit();
