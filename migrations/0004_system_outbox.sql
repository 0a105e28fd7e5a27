-- The outbox: every message to the outside world (mail now; WhatsApp and
-- push later) is a row written in the same transaction as the change that
-- causes it, and a dispatcher sends pending rows afterwards, with retries.
-- The dev mailbox (`creatorbase mail list|show`) reads this table.
--
-- `system` is infrastructure: service_role only. Other migrations add
-- their own tables to it, so this one creates the schema only when
-- missing, and its Down drops the table, never the schema.

-- +goose Up
create schema if not exists system;
revoke all on schema system from public;
grant usage on schema system to service_role, supabase_auth_admin;

create table system.outbox (
  id bigint generated always as identity primary key,
  channel text not null check (channel in ('mail', 'whatsapp', 'push')),
  recipient text not null check (char_length(recipient) between 1 and 320),
  template text not null,
  subject text not null default '',
  payload jsonb not null default '{}',
  status text not null default 'pending' check (status in ('pending', 'sent', 'failed')),
  attempts integer not null default 0 check (attempts >= 0),
  last_error text,
  next_attempt_at timestamptz not null default now(),
  created_at timestamptz not null default now(),
  sent_at timestamptz,
  check ((status = 'sent') = (sent_at is not null))
);
comment on table system.outbox is 'Messages waiting for (or done with) delivery; status pending -> sent | failed.';
-- The dispatcher's scan: due rows of one channel.
create index outbox_due_idx on system.outbox (channel, next_attempt_at) where status = 'pending';
create index outbox_created_at_idx on system.outbox (created_at desc);

revoke all on system.outbox from public;
grant select, insert, update, delete on system.outbox to service_role;
-- The Auth service enqueues mail in its own transactions.
grant insert on system.outbox to supabase_auth_admin;

-- +goose Down
drop table if exists system.outbox;
