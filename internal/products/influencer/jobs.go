package influencer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"

	"github.com/creatorbase/creatorbase/internal/database"
	"github.com/creatorbase/creatorbase/internal/jobs"
)

// ScrapingArgs is the River job that works one influencer.scraping_jobs
// row. The schema enqueues it (trigger on insert, same transaction); its
// kind is written there too.
type ScrapingArgs struct {
	JobID string `json:"job_id"`
}

// Kind implements river.JobArgs.
func (ScrapingArgs) Kind() string { return "influencer_scraping_job" }

// InsertOpts matches what the schema's trigger inserts.
func (ScrapingArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 10} }

// ExpireTrialsArgs ends active trials past their trial_end_date.
type ExpireTrialsArgs struct {
	At time.Time `json:"at,omitzero"` // zero: now
}

// Kind implements river.JobArgs.
func (ExpireTrialsArgs) Kind() string { return "influencer_expire_trials" }

// ResetUsageArgs resets monthly usage of profiles whose usage_reset_date came.
type ResetUsageArgs struct {
	At time.Time `json:"at,omitzero"` // zero: now
}

// Kind implements river.JobArgs.
func (ResetUsageArgs) Kind() string { return "influencer_reset_usage" }

// Options configure the workers.
type Options struct {
	Provider Provider      // default: the offline provider
	PageSize int           // creators per provider call (default 50)
	Every    time.Duration // period of the trial and usage jobs (default 1h)
}

// RegisterJobs adds the search job worker (offline provider) and the
// hourly trial expiry and usage reset jobs.
func RegisterJobs(reg *jobs.Registry, owner *pgxpool.Pool) {
	if err := RegisterJobsWith(reg, owner, Options{}); err != nil {
		panic(err) // only the embedded fixtures can fail, and tests load them
	}
}

// RegisterJobsWith is RegisterJobs with a provider and periods of choice.
func RegisterJobsWith(reg *jobs.Registry, owner *pgxpool.Pool, opts Options) error {
	w, err := NewScrapingWorker(owner, opts)
	if err != nil {
		return err
	}
	every := opts.Every
	if every <= 0 {
		every = time.Hour
	}
	jobs.AddWorker(reg, w)
	jobs.AddWorker(reg, &ExpireTrialsWorker{pool: owner})
	jobs.AddWorker(reg, &ResetUsageWorker{pool: owner})
	reg.AddPeriodic("influencer_expire_trials", every, func() river.JobArgs { return ExpireTrialsArgs{} })
	reg.AddPeriodic("influencer_reset_usage", every, func() river.JobArgs { return ResetUsageArgs{} })
	return nil
}

// serviceTx runs fn as the service role (the role the schema lets write
// job progress), in one owner transaction.
func serviceTx(ctx context.Context, pool *pgxpool.Pool, fn func(ctx context.Context, tx pgx.Tx) error) error {
	return database.WithTx(ctx, pool, func(ctx context.Context, tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "select set_config('role', 'service_role', true), set_config('request.jwt.claims', '{\"role\":\"service_role\"}', true)"); err != nil {
			return err
		}
		return fn(ctx, tx)
	})
}

// ExpireTrialsWorker runs influencer.expire_trials().
type ExpireTrialsWorker struct {
	river.WorkerDefaults[ExpireTrialsArgs]
	pool *pgxpool.Pool
}

// Work implements river.Worker.
func (w *ExpireTrialsWorker) Work(ctx context.Context, job *river.Job[ExpireTrialsArgs]) error {
	_, err := ExpireTrials(ctx, w.pool, job.Args.At)
	return err
}

// ExpireTrials expires the trials that ended by at (zero: now) and returns
// how many.
func ExpireTrials(ctx context.Context, pool *pgxpool.Pool, at time.Time) (int, error) {
	return callCount(ctx, pool, "select influencer.expire_trials(coalesce($1, now()))", at)
}

// ResetUsageWorker runs influencer.reset_monthly_usage().
type ResetUsageWorker struct {
	river.WorkerDefaults[ResetUsageArgs]
	pool *pgxpool.Pool
}

// Work implements river.Worker.
func (w *ResetUsageWorker) Work(ctx context.Context, job *river.Job[ResetUsageArgs]) error {
	_, err := ResetMonthlyUsage(ctx, w.pool, job.Args.At)
	return err
}

// ResetMonthlyUsage resets the usage months that ended by at (zero: now)
// and returns how many profiles were reset.
func ResetMonthlyUsage(ctx context.Context, pool *pgxpool.Pool, at time.Time) (int, error) {
	return callCount(ctx, pool, "select influencer.reset_monthly_usage(coalesce($1, now()))", at)
}

func callCount(ctx context.Context, pool *pgxpool.Pool, sql string, at time.Time) (int, error) {
	var arg *time.Time
	if !at.IsZero() {
		arg = &at
	}
	var n int
	err := serviceTx(ctx, pool, func(ctx context.Context, tx pgx.Tx) error {
		return tx.QueryRow(ctx, sql, arg).Scan(&n)
	})
	if err != nil {
		return 0, fmt.Errorf("influencer: %w", err)
	}
	return n, nil
}

// ScrapingWorker works a scraping job page by page: each page's results
// and the job's cursor and counts are written in one transaction, so a
// worker that dies resumes at its cursor without storing a page twice.
type ScrapingWorker struct {
	river.WorkerDefaults[ScrapingArgs]
	pool     *pgxpool.Pool
	provider Provider
	pageSize int
}

// NewScrapingWorker builds the worker.
func NewScrapingWorker(owner *pgxpool.Pool, opts Options) (*ScrapingWorker, error) {
	p := opts.Provider
	if p == nil {
		off, err := NewOffline()
		if err != nil {
			return nil, err
		}
		p = off
	}
	n := opts.PageSize
	if n <= 0 {
		n = 50
	}
	return &ScrapingWorker{pool: owner, provider: p, pageSize: n}, nil
}

// Timeout lets the job's own timeout_at decide, not River's default minute.
func (w *ScrapingWorker) Timeout(*river.Job[ScrapingArgs]) time.Duration { return -1 }

// Work implements river.Worker. A transient failure returns the error, so
// River retries with backoff; a permanent one, or the last attempt, ends
// the job in error with the error's text.
func (w *ScrapingWorker) Work(ctx context.Context, job *river.Job[ScrapingArgs]) error {
	err := w.Run(ctx, job.Args.JobID)
	if err == nil {
		return nil
	}
	if errors.Is(err, ErrPermanent) || job.Attempt >= job.MaxAttempts {
		if ferr := w.finish(context.WithoutCancel(ctx), job.Args.JobID, "error", err.Error()); ferr != nil {
			return errors.Join(err, ferr)
		}
		return nil
	}
	return err
}

type jobRow struct {
	status, platform, targetUsername string
	keywords                         []string
	target, processed, cursor        int
	timeoutAt, cancelAt              *time.Time
	now                              time.Time
}

// Run works the job until it ends or an error stops it. It is safe to call
// again after any failure: it resumes from the stored cursor.
func (w *ScrapingWorker) Run(ctx context.Context, id string) error {
	for {
		j, err := w.load(ctx, id)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil // deleted with its user or campaign
		}
		if err != nil {
			return err
		}
		switch j.status {
		case "completed", "error", "timeout":
			return nil
		case "pending":
			if err := serviceTx(ctx, w.pool, func(ctx context.Context, tx pgx.Tx) error {
				_, err := tx.Exec(ctx, "update influencer.scraping_jobs set status = 'processing' where id = $1 and status = 'pending'", id)
				return err
			}); err != nil {
				return fmt.Errorf("start job: %w", err)
			}
			continue
		}
		switch {
		case j.cancelAt != nil:
			return w.finish(ctx, id, "error", "cancelled by the user")
		case j.timeoutAt != nil && !j.now.Before(*j.timeoutAt):
			return w.finish(ctx, id, "timeout", fmt.Sprintf("timed out at %s with %d of %d results", j.timeoutAt.UTC().Format(time.RFC3339), j.processed, j.target))
		case j.processed >= j.target:
			return w.finish(ctx, id, "completed", "")
		}
		limit := min(w.pageSize, j.target-j.processed)
		page, err := w.provider.Search(ctx, SearchRequest{
			Platform: j.platform, Keywords: j.keywords, TargetUsername: j.targetUsername, Cursor: j.cursor, Limit: limit,
		})
		if err != nil {
			return fmt.Errorf("provider: %w", err)
		}
		if len(page.Creators) > limit {
			page.Creators = page.Creators[:limit]
		}
		if err := w.appendPage(ctx, id, j, page); err != nil {
			return err
		}
		if page.Done || len(page.Creators) == 0 {
			return w.finish(ctx, id, "completed", "")
		}
	}
}

func (w *ScrapingWorker) load(ctx context.Context, id string) (jobRow, error) {
	var j jobRow
	var kw []byte
	var tu *string
	err := w.pool.QueryRow(ctx, `select status, platform, keywords, target_username, target_results, processed_results,
		       cursor, timeout_at, cancel_requested_at, now()
		  from influencer.scraping_jobs where id = $1`, id).
		Scan(&j.status, &j.platform, &kw, &tu, &j.target, &j.processed, &j.cursor, &j.timeoutAt, &j.cancelAt, &j.now)
	if err != nil {
		return j, err
	}
	if tu != nil {
		j.targetUsername = *tu
	}
	if kw != nil {
		if err := json.Unmarshal(kw, &j.keywords); err != nil {
			return j, fmt.Errorf("job %s keywords: %w", id, err)
		}
	}
	return j, nil
}

func (w *ScrapingWorker) appendPage(ctx context.Context, id string, j jobRow, page Page) error {
	creators := page.Creators
	if creators == nil {
		creators = []Result{}
	}
	body, err := json.Marshal(creators)
	if err != nil {
		return fmt.Errorf("encode page: %w", err)
	}
	processed := j.processed + len(creators)
	progress := float64(processed) * 100 / float64(j.target)
	return serviceTx(ctx, w.pool, func(ctx context.Context, tx pgx.Tx) error {
		if len(creators) > 0 {
			if _, err := tx.Exec(ctx, `insert into influencer.scraping_results (job_id, creators, page_cursor)
				values ($1, $2::jsonb, $3) on conflict (job_id, page_cursor) do nothing`, id, string(body), j.cursor); err != nil {
				return fmt.Errorf("store page: %w", err)
			}
		}
		tag, err := tx.Exec(ctx, `update influencer.scraping_jobs
			   set processed_runs = processed_runs + 1, processed_results = $2, cursor = $3,
			       progress = least(round($4::numeric, 2), 100)
			 where id = $1 and status = 'processing' and cursor = $5`,
			id, processed, page.NextCursor, progress, j.cursor)
		if err != nil {
			return fmt.Errorf("record progress: %w", err)
		}
		if tag.RowsAffected() != 1 {
			return fmt.Errorf("job %s moved while this page was fetched", id)
		}
		return nil
	})
}

func (w *ScrapingWorker) finish(ctx context.Context, id, status, msg string) error {
	var e *string
	if msg = strings.TrimSpace(msg); msg != "" {
		e = &msg
	}
	return serviceTx(ctx, w.pool, func(ctx context.Context, tx pgx.Tx) error {
		// A job still pending (its first attempt failed before starting)
		// passes through processing, as the status flow requires.
		if _, err := tx.Exec(ctx, "update influencer.scraping_jobs set status = 'processing' where id = $1 and status = 'pending'", id); err != nil {
			return fmt.Errorf("finish job: %w", err)
		}
		_, err := tx.Exec(ctx, `update influencer.scraping_jobs set status = $2, error = $3
			 where id = $1 and status = 'processing'`, id, status, e)
		if err != nil {
			return fmt.Errorf("finish job: %w", err)
		}
		return nil
	})
}
