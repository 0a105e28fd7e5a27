package retention

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"

	"github.com/creatorbase/creatorbase/internal/jobs"
)

// JobArgs is the periodic retention run.
type JobArgs struct{}

// Kind names the job in River.
func (JobArgs) Kind() string { return "retention_run" }

// Worker runs every registered policy and records each policy's counts as
// an event, keyed by job and attempt: a retry records the work it did.
type Worker struct {
	river.WorkerDefaults[JobArgs]
	Registry *Registry
	Pool     *pgxpool.Pool // the owner's pool: policies reach every schema
}

// Work runs the policies.
func (w *Worker) Work(ctx context.Context, job *river.Job[JobArgs]) error {
	results, runErr := w.Registry.RunAll(ctx, w.Pool)
	for _, res := range results {
		if err := record(ctx, w.Pool, job.ID, job.Attempt, res); err != nil {
			return err
		}
	}
	return runErr
}

// Timeout bounds one run.
func (w *Worker) Timeout(*river.Job[JobArgs]) time.Duration { return 30 * time.Minute }

func record(ctx context.Context, pool *pgxpool.Pool, jobID int64, attempt int, res Result) error {
	data, err := json.Marshal(res)
	if err != nil {
		return err
	}
	key := "retention:" + strconv.FormatInt(jobID, 10) + ":" + strconv.Itoa(attempt) + ":" + res.Policy
	_, err = pool.Exec(ctx,
		`select events.append_event('retention', $1, 'retention_run', $2::jsonb, $3, 'creatorbase')`,
		res.Policy, string(data), key)
	if err != nil {
		return fmt.Errorf("record retention run of %s: %w", res.Policy, err)
	}
	return nil
}

// Schedule registers the worker and runs it every interval.
func Schedule(reg *jobs.Registry, w *Worker, every time.Duration) {
	jobs.AddWorker(reg, w)
	reg.AddPeriodic("retention", every, func() river.JobArgs { return JobArgs{} })
}
