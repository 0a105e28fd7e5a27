-- Roles as Supabase defines them. PostgREST-style requests log in as
-- `authenticator` and switch, per transaction, to one of the three request
-- roles; the Auth service switches to `supabase_auth_admin`.
--
-- Roles are cluster-wide objects, shared by every database of the cluster
-- (test clones, a second creatorbase database). So this step only writes
-- what is missing -- a second database migrating at the same moment finds
-- nothing to do and cannot collide -- and the Down step does not drop the
-- roles: it revokes what this database granted and leaves them to the
-- other databases.

-- +goose Up
-- +goose StatementBegin
do $$
declare
  r record;
begin
  for r in select * from (values
      ('anon', 'nologin noinherit'),
      ('authenticated', 'nologin noinherit'),
      ('service_role', 'nologin noinherit bypassrls'),
      ('supabase_auth_admin', 'nologin noinherit'),
      -- The password is set at start-up, derived from the project's secret.
      ('authenticator', 'login noinherit')
    ) as t(name, attrs)
  loop
    if not exists (select from pg_roles where rolname = r.name) then
      begin
        execute format('create role %I %s', r.name, r.attrs);
      exception when duplicate_object or unique_violation then
        null; -- created by a concurrent migration of another database
      end;
    end if;
  end loop;

  for r in select unnest(array['anon', 'authenticated', 'service_role', 'supabase_auth_admin']) as name loop
    if not pg_has_role('authenticator', r.name, 'member') then
      execute format('grant %I to authenticator', r.name);
    end if;
  end loop;

  -- SET ROLE does not load a role's settings; the request runner reads
  -- these and applies them to every transaction it opens for the role.
  for r in select * from (values
      ('anon', 'statement_timeout', '3s'),
      ('authenticated', 'statement_timeout', '8s'),
      ('authenticator', 'statement_timeout', '8s'),
      ('authenticator', 'lock_timeout', '8s')
    ) as t(role, setting, value)
  loop
    if not exists (select from pg_roles
                   where rolname = r.role and r.setting || '=' || r.value = any (coalesce(rolconfig, '{}'))) then
      execute format('alter role %I set %s = %L', r.role, r.setting, r.value);
    end if;
  end loop;
end
$$;
-- +goose StatementEnd

-- Extensions live in their own schema, as on Supabase.
create schema if not exists extensions;
grant usage on schema extensions to anon, authenticated, service_role;
grant usage on schema public to anon, authenticated, service_role;

-- +goose Down
revoke usage on schema public from anon, authenticated, service_role;
drop schema if exists extensions;
