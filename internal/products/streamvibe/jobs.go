// Package streamvibe holds StreamVibe's background work. The schema and its
// rules live in migrations 0300-0399; this package runs what the database
// cannot run by itself, such as the monthly quota reset.
package streamvibe

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"

	"github.com/creatorbase/creatorbase/internal/jobs"
)

// QuotaResetEvery is how often the quota reset runs. A subscription is
// reset at most this long after its cycle_end_date.
const QuotaResetEvery = 15 * time.Minute

// resetBatch bounds one transaction of the reset.
const resetBatch = 1000

// QuotaResetArgs is the periodic quota reset.
type QuotaResetArgs struct{}

// Kind names the job in River.
func (QuotaResetArgs) Kind() string { return "streamvibe_quota_reset" }

// QuotaResetWorker resets the quota counters of every subscription whose
// billing cycle has ended and advances its cycle.
type QuotaResetWorker struct {
	river.WorkerDefaults[QuotaResetArgs]
	Pool *pgxpool.Pool    // the owner's pool
	Now  func() time.Time // defaults to time.Now
}

// Work runs the reset.
func (w *QuotaResetWorker) Work(ctx context.Context, _ *river.Job[QuotaResetArgs]) error {
	now := time.Now
	if w.Now != nil {
		now = w.Now
	}
	_, err := ResetDueQuotas(ctx, w.Pool, now())
	return err
}

// Timeout bounds one run.
func (w *QuotaResetWorker) Timeout(*river.Job[QuotaResetArgs]) time.Duration { return 10 * time.Minute }

// ResetDueQuotas resets, in batches of one transaction each, every
// subscription whose cycle ended at or before asOf (streamvibe.reset_due_quotas:
// counters to zero with a quota_usage_history row each, cycle moved to the
// one containing asOf). It returns how many subscriptions it reset.
// Rows another transaction holds are skipped and left to the next run.
func ResetDueQuotas(ctx context.Context, pool *pgxpool.Pool, asOf time.Time) (int, error) {
	total := 0
	for {
		var n int
		err := pool.QueryRow(ctx, `select streamvibe.reset_due_quotas($1, $2)`, asOf, resetBatch).Scan(&n)
		if err != nil {
			return total, fmt.Errorf("streamvibe: reset due quotas: %w", err)
		}
		total += n
		if n < resetBatch {
			return total, nil
		}
	}
}

// RegisterJobs registers StreamVibe's workers and periodic jobs.
func RegisterJobs(reg *jobs.Registry, owner *pgxpool.Pool) {
	jobs.AddWorker(reg, &QuotaResetWorker{Pool: owner})
	reg.AddPeriodic("streamvibe_quota_reset", QuotaResetEvery, func() river.JobArgs { return QuotaResetArgs{} })
}
