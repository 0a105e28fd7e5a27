-- Reliability infrastructure, service role only (seed 000's
-- system_circuit_breakers and system_checkpoints, seed 001's
-- system_health_metrics).
--
-- circuit_breakers: one row per outside service (openai, stripe,
-- youtube, ...) shared by every server process, so that all of them stop
-- calling a failing service together. checkpoints: resumable progress of
-- long jobs (a backfill resumes at its cursor after a restart).

-- +goose Up
create table system.circuit_breakers (
  name text primary key check (name ~ '^[a-z0-9][a-z0-9_.:-]{0,99}$'),
  state text not null default 'closed' check (state in ('closed', 'open', 'half_open')),
  failure_count integer not null default 0 check (failure_count >= 0),
  success_count integer not null default 0 check (success_count >= 0),
  failure_threshold integer not null default 5 check (failure_threshold > 0),
  success_threshold integer not null default 1 check (success_threshold > 0),
  open_duration interval not null default interval '60 seconds' check (open_duration > interval '0'),
  last_failure_at timestamptz,
  last_success_at timestamptz,
  last_error text,
  opened_at timestamptz,
  next_attempt_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint circuit_breakers_open_has_next_attempt check (state <> 'open' or next_attempt_at is not null)
);
comment on table system.circuit_breakers is 'Circuit breaker per outside service: closed -> open after failure_threshold failures -> half_open at next_attempt_at.';
create trigger circuit_breakers_set_updated_at before update on system.circuit_breakers
  for each row execute function public.set_updated_at();

create table system.checkpoints (
  id uuid primary key default gen_random_uuid(),
  job_name text not null check (char_length(job_name) between 1 and 200),
  checkpoint_key text not null default 'default' check (char_length(checkpoint_key) between 1 and 500),
  status text not null default 'running' check (status in ('running', 'paused', 'completed', 'failed')),
  cursor jsonb not null default '{}'::jsonb,
  processed_count bigint not null default 0 check (processed_count >= 0),
  total_count bigint check (total_count >= 0),
  error text,
  started_at timestamptz not null default now(),
  completed_at timestamptz,
  expires_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint checkpoints_job_name_checkpoint_key_key unique (job_name, checkpoint_key)
);
comment on table system.checkpoints is 'Resumable progress of long jobs: where a job got to (cursor) and how far.';
create index checkpoints_status_idx on system.checkpoints (status, updated_at);
create index checkpoints_expires_at_idx on system.checkpoints (expires_at) where expires_at is not null;
create trigger checkpoints_set_updated_at before update on system.checkpoints
  for each row execute function public.set_updated_at();

create table system.health_metrics (
  id uuid primary key default gen_random_uuid(),
  metric_name text not null,
  metric_value numeric(12, 4) not null,
  metric_unit text,
  tags jsonb not null default '{}'::jsonb,
  recorded_at timestamptz not null default now()
);
comment on table system.health_metrics is 'System performance and health samples (seed 001 system_health_metrics).';
comment on column system.health_metrics.tags is 'Additional metric metadata.';
create index system_health_metrics_name_idx on system.health_metrics (metric_name);
create index system_health_metrics_recorded_at_idx on system.health_metrics (recorded_at);
create index system_health_metrics_name_time_idx on system.health_metrics (metric_name, recorded_at);

alter table system.circuit_breakers enable row level security;
alter table system.checkpoints enable row level security;
alter table system.health_metrics enable row level security;
revoke all on system.circuit_breakers, system.checkpoints, system.health_metrics from public, anon, authenticated;
grant select, insert, update, delete on system.circuit_breakers, system.checkpoints, system.health_metrics to service_role;

-- +goose Down
drop table if exists system.health_metrics;
drop table if exists system.checkpoints;
drop table if exists system.circuit_breakers;
