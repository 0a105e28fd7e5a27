-- Compatibility views for the seed's system tables, which the shared core
-- keeps once for every product (docs/schema-decisions.md, Influencer):
--
--   seed system_configurations -> system.configurations (0016)
--     view influencer.system_configurations: the seed's columns and types
--     (value as text, is_hot_reloadable as 'true'/'false'). The service
--     role reads it (the admin panel's server side); request roles cannot
--     read system.*, and the view is security_invoker, so they get
--     "permission denied". Writes go to system.configurations.
--   seed events -> events.events (0021)
--     view influencer.events: the seed's columns, events of this product's
--     aggregates (user, onboarding, subscription, scraping_job). Read-only;
--     security_invoker, so platform admins and the service role see rows
--     (events.events' own policy), a plain user sees none.
--   seed background_jobs -> River (system.river_job)
--     no view: River's table is created by the Go migrator after the SQL
--     migrations, and the frontend never read the queue; job progress is
--     on scraping_jobs.

-- +goose Up
create view influencer.system_configurations with (security_invoker = true, security_barrier = true) as
  select c.id, c.category, c.key, c.value #>> '{}' as value, c.value_type, c.description,
         case when c.is_hot_reloadable then 'true' else 'false' end::varchar(5) as is_hot_reloadable,
         c.created_at, c.updated_at
    from system.configurations c;
comment on view influencer.system_configurations is 'Seed 004 system_configurations, read-only, over system.configurations (value as text). Service role only.';
revoke all on influencer.system_configurations from public, anon, authenticated;
grant select on influencer.system_configurations to service_role;

create view influencer.events with (security_invoker = true, security_barrier = true) as
  select e.id, e.aggregate_id, e.aggregate_type, e.event_type, e.event_version, e.event_data, e.metadata,
         e."timestamp", e.processed_at, e.processing_status, e.retry_count, e.error, e.idempotency_key,
         e.source_system, e.correlation_id, e.causation_id
    from events.events e
   where e.idempotency_key like 'influencer:%';
comment on view influencer.events is 'Seed 004 events, read-only, over events.events: the events this product appended (keys influencer:...). Admins and the service role.';
revoke all on influencer.events from public, anon, authenticated;
grant select on influencer.events to authenticated, service_role;

-- +goose Down
drop view if exists influencer.events;
drop view if exists influencer.system_configurations;
