-- Influencer Platform in the cross-product timeline: influencer.my_activity
-- (the signed-in brand's onboarding, trial, campaigns and searches) and one
-- more `union all` branch of public.my_activity.
--
-- Kinds (entity_id in brackets):
--   onboarding_completed   the onboarding_completed event of the user's
--                          profile (events.events) [user_profiles.id];
--   trial_started          the trial_started event: completing onboarding
--                          (or the service role) started the 7-day trial
--                          [user_profiles.id];
--   trial_converted        the trial_converted / trial_cancelled events:
--   trial_cancelled        the brand took the paid plan, or cancelled,
--                          written by billing on the user's behalf
--                          [user_profiles.id];
--   campaign_created       one campaigns row [campaigns.id];
--   search_started         one scraping_jobs row, details.status its
--                          current status [scraping_jobs.id];
--   legacy_search_started  one search_jobs row (the legacy pipeline, which
--                          users may still write) [search_jobs.id].
-- Onboarding and trial moves leave no timestamp on user_profiles, only
-- their events; 0406 lets a user read exactly these (keys influencer:...,
-- aggregate user/onboarding, aggregate_id = auth.uid()), and the key prefix
-- keeps other products' events about the same user out. Not activity:
-- user_registered (the profile made at signup: core's account_created is
-- that happening), trial_expired and usage_reset (the periodic jobs' doing,
-- not the user's). Plan changes are written over current_plan with no
-- event a user can read, so there is no plan_changed row; trial_converted
-- carries the plan taken. No table here soft-deletes: a deleted campaign
-- or job leaves the timeline with its row.
--
-- public.my_activity is extended from its current definition
-- (public.my_activity_add_branch, 0023), so that the branches of other
-- products survive in whatever order their migrations run; Down removes
-- only this branch.

-- +goose Up
create view influencer.my_activity with (security_invoker = true) as
select 'influencer'::text as product, e.event_type::text as kind, e.event_data ->> 'profile_id' as entity_id,
       e."timestamp" as occurred_at,
       case e.event_type
         when 'onboarding_completed' then jsonb_build_object('intended_plan', e.event_data -> 'intended_plan')
         when 'trial_started' then jsonb_build_object('intended_plan', e.event_data -> 'intended_plan',
                                                      'trial_end_date', e.event_data -> 'trial_end_date')
         else jsonb_build_object('plan', e.event_data -> 'plan', 'intended_plan', e.event_data -> 'intended_plan')
       end as details
from events.events e
where e.aggregate_id = ((select auth.uid()))::text
  and e.aggregate_type in ('user', 'onboarding')
  and e.event_type in ('onboarding_completed', 'trial_started', 'trial_converted', 'trial_cancelled')
  and starts_with(e.idempotency_key, 'influencer:')
union all
select 'influencer', 'campaign_created', c.id::text, c.created_at,
       jsonb_build_object('name', c.name, 'search_type', c.search_type, 'status', c.status)
from influencer.campaigns c
where c.user_id = (select auth.uid())
union all
select 'influencer', 'search_started', j.id::text, j.created_at,
       jsonb_build_object('campaign_id', j.campaign_id, 'platform', j.platform,
                          'search_type', case when j.keywords is null then 'similar' else 'keyword' end,
                          'target_results', j.target_results, 'status', j.status)
from influencer.scraping_jobs j
where j.user_id = (select auth.uid())
union all
select 'influencer', 'legacy_search_started', s.id::text, s.created_at,
       jsonb_build_object('campaign_id', s.campaign_id, 'platform', s.platform, 'search_type', s.search_type,
                          'target_results', s.target_results, 'status', s.status)
from influencer.search_jobs s
where s.user_id = (select auth.uid());
comment on view influencer.my_activity is 'The signed-in user''s Influencer Platform activity (onboarding, trial, campaigns, searches); also a branch of public.my_activity.';
revoke all on influencer.my_activity from public, anon, authenticated;
grant select on influencer.my_activity to authenticated, service_role;

select public.my_activity_add_branch('influencer.my_activity', 'inf_activity');

-- +goose Down
select public.my_activity_remove_branch('influencer.my_activity', 'inf_activity');
drop view if exists influencer.my_activity;
