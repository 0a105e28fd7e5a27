-- StreamVibe in the cross-product timeline: streamvibe.my_activity (the
-- signed-in user's edits of their content and the AI suggestions they
-- applied) and one more `union all` branch of public.my_activity.
--
-- Kinds:
--   content_edited      one content_revision the user wrote (change_source
--                       manual or bulk_edit), one row per changed field;
--   revision_reverted   one content_revision written by
--                       revert_content_revision();
--   suggestion_applied  one applied AI suggestion (its
--                       ai_suggestion_application rows folded into one,
--                       details.fields lists the applied fields).
-- Revisions written by apply_ai_suggestion() are the suggestion_applied row
-- rather than one row per field, and sync revisions are the platform's
-- doing, not the user's, so neither is a content_edited row.
--
-- public.my_activity is extended from its current definition
-- (pg_get_viewdef), as 0108 does, so that the branches of other products
-- survive in whatever order their migrations run; Down removes only this
-- branch.

-- +goose Up
create view streamvibe.my_activity with (security_invoker = true) as
select 'streamvibe'::text as product,
       case r.change_source when 'revert' then 'revision_reverted' else 'content_edited' end as kind,
       r.id::text as entity_id,
       r.created_at as occurred_at,
       jsonb_build_object('content_item_id', r.content_item_id, 'field', r.field_name, 'change_source', r.change_source) as details
from streamvibe.content_revision r
where r.user_id = (select auth.uid()) and r.change_source in ('manual', 'bulk_edit', 'revert')
union all
select 'streamvibe', 'suggestion_applied', s.id::text, min(a.applied_at),
       jsonb_build_object('content_item_id', s.content_item_id, 'version', s.version,
                          'fields', jsonb_agg(a.applied_field order by a.applied_field))
from streamvibe.ai_suggestion_application a
join streamvibe.ai_suggestion s on s.id = a.suggestion_id
where a.applied_by_user_id = (select auth.uid())
group by s.id, s.content_item_id, s.version;
comment on view streamvibe.my_activity is 'The signed-in user''s StreamVibe activity (content edits, reverts, applied AI suggestions); also a branch of public.my_activity.';
revoke all on streamvibe.my_activity from public, anon, authenticated;
grant select on streamvibe.my_activity to authenticated, service_role;

-- +goose StatementBegin
do $$
declare
  def text := pg_catalog.rtrim(pg_catalog.btrim(pg_catalog.pg_get_viewdef('public.my_activity'::regclass)), ';');
begin
  execute 'create or replace view public.my_activity with (security_invoker = true) as ' || def ||
    ' union all select sv_activity.product, sv_activity.kind, sv_activity.entity_id, sv_activity.occurred_at, sv_activity.details'
    ' from streamvibe.my_activity sv_activity';
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
    '\s*UNION ALL\s+SELECT sv_activity\.product,\s*sv_activity\.kind,\s*sv_activity\.entity_id,\s*sv_activity\.occurred_at,\s*sv_activity\.details\s+FROM streamvibe\.my_activity sv_activity',
    '');
  if without = def then
    raise exception 'public.my_activity has no streamvibe branch to remove';
  end if;
  execute 'create or replace view public.my_activity with (security_invoker = true) as ' || without;
end
$$;
-- +goose StatementEnd
drop view if exists streamvibe.my_activity;
