package influencer_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/creatorbase/creatorbase/internal/jobs"
	"github.com/creatorbase/creatorbase/internal/products/influencer"
)

// scripted wraps the offline provider: before each page it calls hook
// (which may block, fail or act), counting calls.
type scripted struct {
	off   *influencer.Offline
	calls atomic.Int32
	hook  func(call int) error
}

func (s *scripted) Search(ctx context.Context, req influencer.SearchRequest) (influencer.Page, error) {
	n := int(s.calls.Add(1))
	if s.hook != nil {
		if err := s.hook(n); err != nil {
			return influencer.Page{}, err
		}
	}
	return s.off.Search(ctx, req)
}

func newScripted(t *testing.T, hook func(int) error) *scripted {
	t.Helper()
	off, err := influencer.NewOffline()
	if err != nil {
		t.Fatalf("offline: %v", err)
	}
	return &scripted{off: off, hook: hook}
}

func (b *testBundle) newJob(t *testing.T, uid string, target int) string {
	t.Helper()
	var id string
	if err := b.Scan(user(uid), `insert into influencer.scraping_jobs (user_id, platform, keywords, target_results)
		values ($1, 'Instagram', '["sourdough", "pastry"]', $2) returning id`, []any{uid, target}, &id); err != nil {
		t.Fatalf("job: %v", err)
	}
	return id
}

type jobState struct {
	Status              string
	Runs, Results, Curs int
	Progress            float64
	Err                 *string
}

// progress reads the job as its owner does through the Data API.
func (b *testBundle) progress(t *testing.T, uid, id string) jobState {
	t.Helper()
	var s jobState
	if err := b.Scan(user(uid), `select status, processed_runs, processed_results, cursor, progress::float8, error
		from influencer.scraping_jobs where id = $1`, []any{id}, &s.Status, &s.Runs, &s.Results, &s.Curs, &s.Progress, &s.Err); err != nil {
		t.Fatalf("read job: %v", err)
	}
	return s
}

func workJob(id string, attempt int) *river.Job[influencer.ScrapingArgs] {
	return &river.Job[influencer.ScrapingArgs]{
		JobRow: &rivertype.JobRow{Attempt: attempt, MaxAttempts: 10},
		Args:   influencer.ScrapingArgs{JobID: id},
	}
}

func TestPipelineThroughRiver(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.setPlan(t, b.alice, "glow_up")
	gate := make(chan struct{})
	p := newScripted(t, func(call int) error {
		if call == 2 {
			select { // hold the second page until the test has seen the first
			case <-gate:
			case <-time.After(30 * time.Second):
			}
		}
		return nil
	})
	reg := jobs.NewRegistry()
	if err := influencer.RegisterJobsWith(reg, b.Owner, influencer.Options{Provider: p, PageSize: 50}); err != nil {
		t.Fatal(err)
	}
	c, err := jobs.New(b.Owner, reg, jobs.Options{Workers: true, TestOnly: true})
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

	var once sync.Once
	release := func() { once.Do(func() { close(gate) }) }
	t.Cleanup(release)
	id := b.newJob(t, b.alice, 120)
	if n := b.OwnerInt(t, `select count(*) from system.river_job j join influencer.scraping_jobs s on s.qstash_message_id = j.id::text
		where s.id = $1 and j.kind = 'influencer_scraping_job'`, id); n != 1 {
		t.Fatalf("river jobs for the row: %d", n)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		s := b.progress(t, b.alice, id)
		if s.Results == 50 {
			if s.Status != "processing" || s.Progress < 41 || s.Progress > 42 || s.Runs != 1 || s.Curs != 50 {
				t.Fatalf("mid-run state %+v", s)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no progress: %+v", s)
		}
		time.Sleep(20 * time.Millisecond)
	}
	release()
	for {
		s := b.progress(t, b.alice, id)
		if s.Status == "completed" {
			if s.Results != 120 || s.Progress != 100 || s.Runs != 3 {
				t.Fatalf("final state %+v", s)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("not completed: %+v", s)
		}
		time.Sleep(20 * time.Millisecond)
	}
	var creators int64
	if err := b.Scan(user(b.alice), `select coalesce(sum(jsonb_array_length(creators)), 0) from influencer.scraping_results where job_id = $1`,
		[]any{id}, &creators); err != nil || creators != 120 {
		t.Fatalf("owner reads %d creators (err %v)", creators, err)
	}
	if n, _ := b.Exec(user(b.bob), true, `select 1 from influencer.scraping_results where job_id = $1`, id); n != 0 {
		t.Fatal("bob reads alice's results")
	}
}

func TestWorkerResumesFromItsCursor(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.setPlan(t, b.alice, "glow_up")
	ctx := context.Background()
	id := b.newJob(t, b.alice, 120)

	// First attempt: a page, then the provider fails (transient).
	w, err := influencer.NewScrapingWorker(b.Owner, influencer.Options{PageSize: 50, Provider: newScripted(t, func(call int) error {
		if call == 2 {
			return errors.New("503 upstream busy")
		}
		return nil
	})})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Work(ctx, workJob(id, 1)); err == nil {
		t.Fatal("transient failure not returned for retry")
	}
	if s := b.progress(t, b.alice, id); s.Status != "processing" || s.Results != 50 || s.Curs != 50 {
		t.Fatalf("after the failure %+v", s)
	}
	// The page the dead worker wrote, written again, is stored once.
	b.OwnerExec(t, `insert into influencer.scraping_results (job_id, creators, page_cursor) values ($1, '[]', 0) on conflict do nothing`, id)

	p := newScripted(t, nil)
	w2, err := influencer.NewScrapingWorker(b.Owner, influencer.Options{PageSize: 50, Provider: p})
	if err != nil {
		t.Fatal(err)
	}
	if err := w2.Work(ctx, workJob(id, 2)); err != nil {
		t.Fatal(err)
	}
	if s := b.progress(t, b.alice, id); s.Status != "completed" || s.Results != 120 {
		t.Fatalf("after resume %+v", s)
	}
	if got := p.calls.Load(); got != 2 {
		t.Fatalf("resumed worker fetched %d pages, want 2 (cursor 50 and 100)", got)
	}
	if n := b.OwnerInt(t, `select count(*) from (select distinct c->'creator'->>'uniqueId' from influencer.scraping_results r,
		jsonb_array_elements(r.creators) c where r.job_id = $1) x`, id); n != 120 {
		t.Fatalf("distinct creators %d, want 120", n)
	}
	// Usage: all 120 delivered, nothing given back.
	if u := b.OwnerInt(t, "select usage_creators_current_month from influencer.user_profiles where user_id = $1", b.alice); u != 120 {
		t.Fatalf("usage %d", u)
	}
	// Working a finished job again does nothing.
	if err := w2.Work(ctx, workJob(id, 3)); err != nil || p.calls.Load() != 2 {
		t.Fatalf("finished job worked again (err %v)", err)
	}
}

func TestJobEnds(t *testing.T) {
	t.Parallel()

	t.Run("PermanentErrorKeepsPartialResults", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.setPlan(t, b.alice, "glow_up")
		id := b.newJob(t, b.alice, 200)
		w, err := influencer.NewScrapingWorker(b.Owner, influencer.Options{PageSize: 50, Provider: newScripted(t, func(call int) error {
			if call == 3 {
				return influencer.Permanent(errors.New("account is private"))
			}
			return nil
		})})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Work(context.Background(), workJob(id, 1)); err != nil {
			t.Fatal(err)
		}
		s := b.progress(t, b.alice, id)
		if s.Status != "error" || s.Results != 100 || s.Err == nil || *s.Err != "provider: permanent provider error: account is private" {
			t.Fatalf("state %+v", s)
		}
		if n := b.OwnerInt(t, "select count(*) from influencer.scraping_results where job_id = $1 and partial", id); n != 2 {
			t.Fatalf("partial pages %d", n)
		}
		// 200 reserved, 100 delivered: 100 given back.
		if u := b.OwnerInt(t, "select usage_creators_current_month from influencer.user_profiles where user_id = $1", b.alice); u != 100 {
			t.Fatalf("usage %d", u)
		}
	})

	t.Run("LastAttemptEndsInError", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.setPlan(t, b.alice, "glow_up")
		id := b.newJob(t, b.alice, 50)
		w, err := influencer.NewScrapingWorker(b.Owner, influencer.Options{Provider: newScripted(t, func(int) error { return errors.New("connection reset") })})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Work(context.Background(), workJob(id, 10)); err != nil {
			t.Fatal(err)
		}
		if s := b.progress(t, b.alice, id); s.Status != "error" || s.Err == nil || *s.Err != "provider: connection reset" {
			t.Fatalf("state %+v", s)
		}
	})

	t.Run("OwnerCancelsWithinOnePage", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.setPlan(t, b.alice, "glow_up")
		id := b.newJob(t, b.alice, 500)
		if _, err := b.Exec(user(b.bob), false, `select influencer.cancel_scraping_job($1)`, id); err == nil {
			t.Fatal("bob cancelled alice's job")
		}
		w, err := influencer.NewScrapingWorker(b.Owner, influencer.Options{PageSize: 50, Provider: newScripted(t, func(call int) error {
			if call == 2 {
				b.MustExec(t, user(b.alice), `select influencer.cancel_scraping_job($1)`, id)
			}
			return nil
		})})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Work(context.Background(), workJob(id, 1)); err != nil {
			t.Fatal(err)
		}
		if s := b.progress(t, b.alice, id); s.Status != "error" || s.Results != 100 || s.Err == nil || *s.Err != "cancelled by the user" {
			t.Fatalf("state %+v", s)
		}
	})

	t.Run("TimeoutAt", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.setPlan(t, b.alice, "glow_up")
		id := b.newJob(t, b.alice, 500)
		w, err := influencer.NewScrapingWorker(b.Owner, influencer.Options{PageSize: 50, Provider: newScripted(t, func(call int) error {
			if call == 1 {
				b.OwnerExec(t, `update influencer.scraping_jobs set timeout_at = now() - interval '1 second' where id = $1`, id)
			}
			return nil
		})})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Work(context.Background(), workJob(id, 1)); err != nil {
			t.Fatal(err)
		}
		if s := b.progress(t, b.alice, id); s.Status != "timeout" || s.Results != 50 || s.Err == nil {
			t.Fatalf("state %+v", s)
		}
		// Status flow: a finished job goes nowhere.
		_, err = b.Exec(service(), false, `update influencer.scraping_jobs set status = 'processing' where id = $1`, id)
		wantCode(t, err, "PT409", "status")
	})
}
