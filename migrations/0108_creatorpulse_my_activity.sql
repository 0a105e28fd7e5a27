-- CreatorPulse in the cross-product timeline: creatorpulse.my_activity
-- (the signed-in user's drafts created and published, and deliveries
-- received) and one more `union all` branch of public.my_activity.
--
-- public.my_activity is extended from its current definition
-- (pg_get_viewdef) rather than rewritten, so the branches other products
-- add survive in whatever order their migrations run; Down removes only
-- this branch. A product adding its own branch should do the same.

-- +goose Up
create view creatorpulse.my_activity with (security_invoker = true) as
select 'creatorpulse'::text as product, 'draft_created'::text as kind, d.id::text as entity_id,
       d.created_at as occurred_at,
       jsonb_build_object('platform', d.platform, 'content_type', d.content_type, 'status', d.status) as details
from creatorpulse.content_drafts d
where d.user_id = (select auth.uid())
union all
select 'creatorpulse', 'draft_published', d.id::text, d.published_at,
       jsonb_build_object('platform', d.platform, 'content_type', d.content_type, 'published_url', d.published_url)
from creatorpulse.content_drafts d
where d.user_id = (select auth.uid()) and d.published_at is not null
union all
select 'creatorpulse', 'delivery_received', dd.id::text, dd.delivered_at,
       jsonb_build_object('delivery_date', dd.delivery_date, 'channel', dd.delivery_channel,
                          'drafts', jsonb_array_length(dd.content_draft_ids))
from creatorpulse.daily_deliveries dd
where dd.user_id = (select auth.uid()) and dd.delivered_at is not null;
comment on view creatorpulse.my_activity is 'The signed-in user''s CreatorPulse activity; also a branch of public.my_activity.';
revoke all on creatorpulse.my_activity from public, anon, authenticated;
grant select on creatorpulse.my_activity to authenticated, service_role;

-- +goose StatementBegin
do $$
declare
  def text := pg_catalog.rtrim(pg_catalog.btrim(pg_catalog.pg_get_viewdef('public.my_activity'::regclass)), ';');
begin
  execute 'create or replace view public.my_activity with (security_invoker = true) as ' || def ||
    ' union all select cp_activity.product, cp_activity.kind, cp_activity.entity_id, cp_activity.occurred_at, cp_activity.details'
    ' from creatorpulse.my_activity cp_activity';
end
$$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
do $$
declare
  def text := pg_catalog.rtrim(pg_catalog.btrim(pg_catalog.pg_get_viewdef('public.my_activity'::regclass)), ';');
  without text;
begin
  without := pg_catalog.regexp_replace(def,
    '\s*UNION ALL\s+SELECT cp_activity\.product,\s*cp_activity\.kind,\s*cp_activity\.entity_id,\s*cp_activity\.occurred_at,\s*cp_activity\.details\s+FROM creatorpulse\.my_activity cp_activity',
    '');
  if without = def then
    raise exception 'public.my_activity has no creatorpulse branch to remove';
  end if;
  execute 'create or replace view public.my_activity with (security_invoker = true) as ' || without;
end
$$;
-- +goose StatementEnd
drop view if exists creatorpulse.my_activity;
