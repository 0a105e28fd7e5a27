// Package jobs runs creatorbase's background work on River, in the same
// database: durable jobs enqueued in the transaction of the write that
// causes them, retries with backoff, and periodic jobs unique by period.
// River's tables live in the `system` schema.
package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"
)

// Schema holds River's tables.
const Schema = "system"

// migrationLock is goose's advisory lock id: River's migrations run under
// the same lock as the SQL migrations, so that concurrent starts migrate once.
const migrationLock int64 = 5887940537704921958

// Migrate applies River's migrations (after goose's, which create the
// schema) and lets service_role enqueue jobs inside request transactions.
func Migrate(ctx context.Context, pool *pgxpool.Pool) error {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("river migrations: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "select pg_advisory_lock($1)", migrationLock); err != nil {
		return fmt.Errorf("river migrations: lock: %w", err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), "select pg_advisory_unlock($1)", migrationLock) //nolint:errcheck // released with the session anyway
	if _, err := conn.Exec(ctx, "create schema if not exists "+Schema); err != nil {
		return fmt.Errorf("river migrations: %w", err)
	}
	m, err := rivermigrate.New(riverpgxv5.New(pool), &rivermigrate.Config{Schema: Schema})
	if err != nil {
		return fmt.Errorf("river migrations: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("river migrations: %w", err)
	}
	_, err = conn.Exec(ctx, `
		grant usage on schema `+Schema+` to service_role;
		grant select, insert, update on `+Schema+`.river_job to service_role;
		grant usage on sequence `+Schema+`.river_job_id_seq to service_role`)
	if err != nil {
		return fmt.Errorf("river grants: %w", err)
	}
	return nil
}

// Registry collects the workers and periodic jobs of every product before
// the client starts.
type Registry struct {
	workers  *river.Workers
	periodic []*river.PeriodicJob
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry { return &Registry{workers: river.NewWorkers()} }

// AddWorker registers the worker for one kind of job.
func AddWorker[T river.JobArgs](r *Registry, w river.Worker[T]) { river.AddWorker(r.workers, w) }

// AddPeriodic schedules a job every interval. Only the elected leader
// schedules, and each job is unique within its period, so several
// processes never run one period twice.
func (r *Registry) AddPeriodic(id string, every time.Duration, args func() river.JobArgs) {
	r.periodic = append(r.periodic, river.NewPeriodicJob(
		river.PeriodicInterval(every),
		func() (river.JobArgs, *river.InsertOpts) {
			return args(), &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: every}}
		},
		&river.PeriodicJobOpts{ID: id, RunOnStart: true},
	))
}

// Client inserts jobs and, when started with workers, works them.
type Client struct {
	river *river.Client[pgx.Tx]
}

// Options configure a Client.
type Options struct {
	Workers  bool // work jobs here (serve and worker do; CLI one-offs do not)
	MaxWork  int  // concurrent jobs (default 10)
	Logger   *slog.Logger
	TestOnly bool // River's test mode: no start-up jitter
}

// New builds a client on the owner pool.
func New(pool *pgxpool.Pool, reg *Registry, opts Options) (*Client, error) {
	cfg := &river.Config{Schema: Schema, Logger: opts.Logger, TestOnly: opts.TestOnly}
	if opts.Workers {
		n := opts.MaxWork
		if n == 0 {
			n = 10
		}
		cfg.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: n}}
		cfg.Workers = reg.workers
		cfg.PeriodicJobs = reg.periodic
	}
	c, err := river.NewClient(riverpgxv5.New(pool), cfg)
	if err != nil {
		return nil, fmt.Errorf("river client: %w", err)
	}
	return &Client{river: c}, nil
}

// Start starts working jobs; it returns at once.
func (c *Client) Start(ctx context.Context) error { return c.river.Start(ctx) }

// Stop lets running jobs finish until ctx ends, then cancels them.
func (c *Client) Stop(ctx context.Context) error {
	err := c.river.Stop(ctx)
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return c.river.StopAndCancel(context.WithoutCancel(ctx))
	}
	return err
}

// InsertTx enqueues a job in tx: it exists, and runs, only if tx commits.
func (c *Client) InsertTx(ctx context.Context, tx pgx.Tx, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error) {
	res, err := c.river.InsertTx(ctx, tx, args, opts)
	if err != nil {
		return nil, fmt.Errorf("enqueue %s: %w", args.Kind(), err)
	}
	return res, nil
}

// Subscribe reports job completions and failures (for metrics and tests).
func (c *Client) Subscribe(kinds ...river.EventKind) (<-chan *river.Event, func()) {
	return c.river.Subscribe(kinds...)
}
