package avenue

import (
	"context"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"

	"github.com/creatorbase/creatorbase/internal/jobs"
)

// ReleaseArgs is one run of the escrow release.
type ReleaseArgs struct {
	// AsOf releases the sales whose hold ended by then; zero means the
	// job's scheduled time, so that a retried job asks the same question.
	AsOf time.Time `json:"as_of,omitzero"`
}

// Kind names the job in River.
func (ReleaseArgs) Kind() string { return "producers_avenue_release" }

// ReleaseBatch is how many sales one database call releases.
const ReleaseBatch = 1000

// ReleaseWorker moves seller shares from pending to available once the
// hold (producers_avenue.escrow_hold, 7 days) is over. Each batch has an
// idempotency key made of the job id and the batch number: a retry after a
// crash replays committed batches without moving money twice.
type ReleaseWorker struct {
	river.WorkerDefaults[ReleaseArgs]
	Pool *pgxpool.Pool // the owner's pool
}

// Work releases batches until one comes back short.
func (w *ReleaseWorker) Work(ctx context.Context, job *river.Job[ReleaseArgs]) error {
	asOf := job.Args.AsOf
	if asOf.IsZero() {
		asOf = job.ScheduledAt
	}
	for batch := 0; ; batch++ {
		key := "producers_avenue.release:" + strconv.FormatInt(job.ID, 10) + ":" + strconv.Itoa(batch)
		r, err := ReleasePending(ctx, w.Pool, key, asOf, ReleaseBatch)
		if err != nil {
			return err
		}
		if r.Count < ReleaseBatch {
			return nil
		}
	}
}

// Timeout bounds one run.
func (w *ReleaseWorker) Timeout(*river.Job[ReleaseArgs]) time.Duration { return 10 * time.Minute }

// RegisterJobs registers Producers Avenue's workers and schedules the
// escrow release every interval (an hour is plenty for a 7-day hold).
func RegisterJobs(reg *jobs.Registry, pool *pgxpool.Pool, every time.Duration) {
	jobs.AddWorker(reg, &ReleaseWorker{Pool: pool})
	reg.AddPeriodic("producers_avenue_release", every, func() river.JobArgs { return ReleaseArgs{} })
}
