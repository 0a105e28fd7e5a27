package jobs_test

import (
	"context"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/creatorbase/creatorbase/internal/database"
	"github.com/creatorbase/creatorbase/internal/dbtest"
	"github.com/creatorbase/creatorbase/internal/jobs"
)

func TestMain(m *testing.M) { os.Exit(dbtest.Main(m)) }

type noteArgs struct {
	Note string `json:"note"`
}

func (noteArgs) Kind() string { return "test_note" }

type noteWorker struct {
	river.WorkerDefaults[noteArgs]
	runs atomic.Int32
	seen chan string
}

func (w *noteWorker) Work(_ context.Context, job *river.Job[noteArgs]) error {
	w.runs.Add(1)
	w.seen <- job.Args.Note
	return nil
}

type testBundle struct {
	db     *dbtest.DB
	client *jobs.Client
	worker *noteWorker
}

func setup(t *testing.T) *testBundle {
	t.Helper()
	db := dbtest.New(t)
	w := &noteWorker{seen: make(chan string, 10)}
	reg := jobs.NewRegistry()
	jobs.AddWorker(reg, w)
	c, err := jobs.New(db.Owner(t), reg, jobs.Options{Workers: true, TestOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		_ = c.Stop(sctx)
	})
	return &testBundle{db: db, client: c, worker: w}
}

func TestJobsRunOnlyAfterCommit(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	owner := b.db.Owner(t)

	err := database.WithTx(ctx, owner, func(ctx context.Context, tx pgx.Tx) error {
		if _, err := b.client.InsertTx(ctx, tx, noteArgs{Note: "rolled back"}, nil); err != nil {
			return err
		}
		return context.Canceled // any error rolls back
	})
	if err == nil {
		t.Fatal("expected the rollback error")
	}
	if err := database.WithTx(ctx, owner, func(ctx context.Context, tx pgx.Tx) error {
		_, err := b.client.InsertTx(ctx, tx, noteArgs{Note: "committed"}, nil)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	select {
	case got := <-b.worker.seen:
		if got != "committed" {
			t.Fatalf("worked %q", got)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("committed job never ran")
	}
	var n int
	if err := owner.QueryRow(ctx, "select count(*) from system.river_job").Scan(&n); err != nil || n != 1 {
		t.Fatalf("river_job rows %d (err %v), want 1: the rolled-back job must not exist", n, err)
	}
	if b.worker.runs.Load() != 1 {
		t.Fatalf("runs %d", b.worker.runs.Load())
	}
}

func TestServiceRoleEnqueuesInRequestTransaction(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	r, err := database.NewRunner(ctx, b.db.Authenticator(t))
	if err != nil {
		t.Fatal(err)
	}
	err = r.Do(ctx, database.Request{Role: "service_role"}, func(ctx context.Context, tx pgx.Tx) error {
		_, err := b.client.InsertTx(ctx, tx, noteArgs{Note: "from a request"}, nil)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	select {
	case got := <-b.worker.seen:
		if got != "from a request" {
			t.Fatalf("worked %q", got)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("job enqueued by service_role never ran")
	}
}

func TestRequestRolesCannotTouchJobs(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	ctx := context.Background()
	r, err := database.NewRunner(ctx, db.Authenticator(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, role := range []string{"anon", "authenticated"} {
		err := r.Run(ctx, database.Request{Role: role}, func(b *pgx.Batch) {
			b.Queue("select count(*) from system.river_job")
		})
		if err == nil {
			t.Fatalf("%s read system.river_job", role)
		}
	}
}
