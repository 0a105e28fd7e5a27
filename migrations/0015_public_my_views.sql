-- Cross-product views of the signed-in user's own data. They run with the
-- caller's rights (security_invoker), so RLS of every table underneath
-- still decides, and they filter on auth.uid() so that an admin, who may
-- read other people's rows, still sees only their own here.
--
-- my_activity is one timeline across products. Each product migration
-- extends it with `create or replace view` and one more `union all` branch
-- (same columns: product, kind, entity_id, occurred_at, details).

-- +goose Up
create view public.my_account with (security_invoker = true) as
select
  u.id,
  u.email,
  u.full_name,
  u.avatar_url,
  u.timezone,
  u.language,
  u.is_onboarded,
  u.onboarded_at,
  u.created_at,
  coalesce((select array_agg(r.role::text order by r.role::text)
            from public.user_roles r
            where r.user_id = u.id and (r.expires_at is null or r.expires_at > now())),
           '{}'::text[]) as roles,
  coalesce((select jsonb_agg(jsonb_build_object('tenant_id', t.id, 'name', t.name, 'slug', t.slug, 'role', m.role)
                             order by t.name)
            from public.tenant_members m
            join public.tenants t on t.id = m.tenant_id
            where m.user_id = u.id),
           '[]'::jsonb) as tenants
from public.users u
where u.id = (select auth.uid());
comment on view public.my_account is 'The signed-in user: profile, active roles and tenants, in one row.';

create view public.my_activity with (security_invoker = true) as
select 'core'::text as product, 'account_created'::text as kind, u.id::text as entity_id,
       u.created_at as occurred_at, jsonb_build_object('email', u.email) as details
from public.users u
where u.id = (select auth.uid())
union all
select 'core', 'role_granted', r.id::text, r.granted_at,
       jsonb_build_object('role', r.role, 'expires_at', r.expires_at)
from public.user_roles r
where r.user_id = (select auth.uid())
union all
select 'core', 'tenant_joined', m.tenant_id::text, m.created_at,
       jsonb_build_object('tenant', t.name, 'slug', t.slug, 'role', m.role)
from public.tenant_members m
join public.tenants t on t.id = m.tenant_id
where m.user_id = (select auth.uid());
comment on view public.my_activity is 'The signed-in user''s activity across products, one row per happening; grows as products land.';

revoke all on public.my_account, public.my_activity from public, anon, authenticated;
grant select on public.my_account, public.my_activity to authenticated, service_role;

-- +goose Down
drop view if exists public.my_activity;
drop view if exists public.my_account;
