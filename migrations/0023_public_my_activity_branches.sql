-- One way for a product to join the cross-product timeline.
--
-- public.my_activity grows by one `union all` branch per product (0015).
-- A product's migration builds its own <schema>.my_activity view and adds
-- it here, extended from the current definition (pg_get_viewdef) so that
-- the branches of other products survive in whatever order their
-- migrations run; its Down takes out exactly that branch and refuses when
-- the branch is not there. 0108 and 0304 spell this out inline (they came
-- first); later products call these two functions. Both are the owner's,
-- for migrations only.

-- +goose Up
-- +goose StatementBegin
create function public.my_activity_add_branch(source regclass, alias name) returns void
language plpgsql
set search_path = ''
as $$
declare
  def text := pg_catalog.rtrim(pg_catalog.btrim(pg_catalog.pg_get_viewdef('public.my_activity'::regclass)), ';');
begin
  execute pg_catalog.format(
    'create or replace view public.my_activity with (security_invoker = true) as %s'
    ' union all select %2$I.product, %2$I.kind, %2$I.entity_id, %2$I.occurred_at, %2$I.details from %3$s %2$I',
    def, alias, source);
end
$$;
-- +goose StatementEnd
revoke execute on function public.my_activity_add_branch(regclass, name) from public;
comment on function public.my_activity_add_branch(regclass, name) is
  'Migrations: append source (a product''s my_activity view, read as alias) to public.my_activity.';

-- +goose StatementBegin
create function public.my_activity_remove_branch(source regclass, alias name) returns void
language plpgsql
set search_path = ''
as $$
declare
  def text := pg_catalog.rtrim(pg_catalog.btrim(pg_catalog.pg_get_viewdef('public.my_activity'::regclass)), ';');
  a text := pg_catalog.regexp_replace(alias, '([.$^*+?()\[\]{}|\\])', '\\\1', 'g');
  s text := pg_catalog.regexp_replace(source::text, '([.$^*+?()\[\]{}|\\])', '\\\1', 'g');
  without text;
begin
  without := pg_catalog.regexp_replace(def, pg_catalog.format(
    '\s*UNION ALL\s+SELECT %1$s\.product,\s*%1$s\.kind,\s*%1$s\.entity_id,\s*%1$s\.occurred_at,\s*%1$s\.details\s+FROM %2$s %1$s(?=\s|$)',
    a, s), '');
  if without = def then
    raise exception 'public.my_activity has no branch from % to remove', source;
  end if;
  execute 'create or replace view public.my_activity with (security_invoker = true) as ' || without;
end
$$;
-- +goose StatementEnd
revoke execute on function public.my_activity_remove_branch(regclass, name) from public;
comment on function public.my_activity_remove_branch(regclass, name) is
  'Migrations: take the branch of source (read as alias) out of public.my_activity; raises when it is not there.';

-- +goose Down
drop function public.my_activity_remove_branch(regclass, name);
drop function public.my_activity_add_branch(regclass, name);
