-- The events schema: immutable history, shared by every product.
--
-- events.events is seed 004's event store, column for column (timestamps
-- with time zone). It is append-only: a trigger refuses any change to the
-- payload columns and any DELETE or TRUNCATE; only the processing fields
-- (processed_at, processing_status, retry_count, error) move, and only
-- forward. Append with events.append_event(), which is idempotent on
-- idempotency_key, also under concurrency.
--
-- SQLSTATEs (PostgREST's PTxxx convention, so the Data API answers with
-- that HTTP status):
--   PT409  the idempotency key was already used for a different event
--   PT403  an append-only rule was broken (payload change, DELETE, going
--          back from a final status, retry_count decreasing)
--
-- Deleting history is possible only for the database owner and only with
-- `set local events.allow_delete = on` (retention and account purge, which
-- run as the owner); request roles have no DELETE grant at all.

-- +goose Up
create schema events;
revoke all on schema events from public;
grant usage on schema events to authenticated, service_role;

create table events.events (
  id uuid primary key default gen_random_uuid(),
  aggregate_id text not null,
  aggregate_type varchar(50) not null,
  event_type varchar(100) not null,
  event_version integer not null default 1 check (event_version > 0),
  event_data jsonb not null,
  metadata jsonb,
  "timestamp" timestamptz not null default now(),
  processed_at timestamptz,
  processing_status varchar(20) not null default 'pending'
    check (processing_status in ('pending', 'processing', 'processed', 'failed', 'skipped')),
  retry_count integer not null default 0 check (retry_count >= 0),
  error text,
  idempotency_key text not null unique,
  source_system varchar(50) not null,
  correlation_id text,
  causation_id text
);
comment on table events.events is 'Append-only event store (seed 004). Append with events.append_event(); only processing fields may change.';
comment on column events.events.idempotency_key is 'Unique; appending the same key again returns the stored event.';
create index idx_events_aggregate_type_timestamp on events.events (aggregate_id, aggregate_type, "timestamp" desc);
create index idx_events_processing_pending on events.events (processing_status, "timestamp") where processing_status = 'pending';
create index idx_events_correlation_id on events.events (correlation_id) where correlation_id is not null;
create index idx_events_event_type_timestamp on events.events (event_type, "timestamp" desc);

-- +goose StatementBegin
create function events.events_guard() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_op = 'DELETE' then
    if pg_catalog.current_setting('events.allow_delete', true) = 'on' then
      return old;
    end if;
    raise exception 'events.events is append-only: events cannot be deleted'
      using errcode = 'PT403';
  end if;
  if (new.id, new.aggregate_id, new.aggregate_type, new.event_type, new.event_version, new.event_data,
      new.metadata, new."timestamp", new.idempotency_key, new.source_system, new.correlation_id, new.causation_id)
     is distinct from
     (old.id, old.aggregate_id, old.aggregate_type, old.event_type, old.event_version, old.event_data,
      old.metadata, old."timestamp", old.idempotency_key, old.source_system, old.correlation_id, old.causation_id) then
    raise exception 'events.events is append-only: event % cannot be changed, only its processing fields', old.id
      using errcode = 'PT403';
  end if;
  if old.processing_status in ('processed', 'skipped') and new.processing_status <> old.processing_status then
    raise exception 'event % is already %; its status is final', old.id, old.processing_status
      using errcode = 'PT403';
  end if;
  if new.retry_count < old.retry_count then
    raise exception 'event %: retry_count cannot go back from % to %', old.id, old.retry_count, new.retry_count
      using errcode = 'PT403';
  end if;
  if old.processed_at is not null and new.processed_at is distinct from old.processed_at then
    raise exception 'event %: processed_at is already set', old.id
      using errcode = 'PT403';
  end if;
  return new;
end
$$;
-- +goose StatementEnd
revoke execute on function events.events_guard() from public;

-- +goose StatementBegin
create function events.forbid_truncate() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if pg_catalog.current_setting('events.allow_delete', true) = 'on' then
    return null;
  end if;
  raise exception '%.% is append-only: it cannot be truncated', tg_table_schema, tg_table_name
    using errcode = 'PT403';
end
$$;
-- +goose StatementEnd
revoke execute on function events.forbid_truncate() from public;

create trigger events_guard before update or delete on events.events
  for each row execute function events.events_guard();
create trigger events_forbid_truncate before truncate on events.events
  for each statement execute function events.forbid_truncate();

-- Append an event once. The same idempotency key returns the stored event
-- (never a second row, also when many sessions append it at the same
-- moment: ON CONFLICT waits for the first writer, then the SELECT sees its
-- row). The same key for a different event (aggregate, type, version,
-- data or source differ) is refused with SQLSTATE PT409. metadata,
-- correlation_id and causation_id are not compared: a retried webhook has
-- a new request id.
-- +goose StatementBegin
create function events.append_event(
  aggregate_type text,
  aggregate_id text,
  event_type text,
  event_data jsonb,
  idempotency_key text,
  source_system text,
  metadata jsonb default null,
  event_version integer default 1,
  correlation_id text default null,
  causation_id text default null
) returns events.events
language plpgsql
volatile
set search_path = ''
as $$
#variable_conflict use_column
declare
  e events.events;
begin
  insert into events.events (aggregate_type, aggregate_id, event_type, event_version, event_data, metadata,
                             idempotency_key, source_system, correlation_id, causation_id)
  values (append_event.aggregate_type, append_event.aggregate_id, append_event.event_type,
          coalesce(append_event.event_version, 1), append_event.event_data, append_event.metadata,
          append_event.idempotency_key, append_event.source_system, append_event.correlation_id,
          append_event.causation_id)
  on conflict on constraint events_idempotency_key_key do nothing
  returning * into e;
  if found then
    return e;
  end if;

  select * into e from events.events ev where ev.idempotency_key = append_event.idempotency_key;
  if not found then
    -- Only under REPEATABLE READ or SERIALIZABLE: the winner committed after
    -- our snapshot. Retrying the transaction sees it.
    raise exception 'idempotency key % is being appended concurrently', append_event.idempotency_key
      using errcode = '40001';
  end if;
  if (e.aggregate_type::text, e.aggregate_id, e.event_type::text, e.event_version, e.event_data, e.source_system::text)
     is distinct from
     (append_event.aggregate_type, append_event.aggregate_id, append_event.event_type,
      coalesce(append_event.event_version, 1), append_event.event_data, append_event.source_system) then
    raise exception 'idempotency key % was already used for a different event', append_event.idempotency_key
      using errcode = 'PT409',
            detail = pg_catalog.format('The key belongs to event %s (%s %s of %s).', e.id, e.aggregate_type, e.event_type, e.aggregate_id),
            hint = 'Use a new idempotency key for a new event.';
  end if;
  return e;
end
$$;
-- +goose StatementEnd
revoke execute on function events.append_event(text, text, text, jsonb, text, text, jsonb, integer, text, text) from public;
grant execute on function events.append_event(text, text, text, jsonb, text, text, jsonb, integer, text, text) to service_role;

alter table events.events enable row level security;
revoke all on events.events from public, anon, authenticated;
grant select on events.events to authenticated;
grant select, insert on events.events to service_role;
grant update (processed_at, processing_status, retry_count, error) on events.events to service_role;
create policy events_select_admin on events.events for select to authenticated
  using ((select public.has_role('admin')));

-- +goose Down
drop function if exists events.append_event(text, text, text, jsonb, text, text, jsonb, integer, text, text);
drop table if exists events.events;
drop function if exists events.forbid_truncate();
drop function if exists events.events_guard();
drop schema if exists events;
