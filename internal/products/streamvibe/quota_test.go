package streamvibe_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creatorbase/creatorbase/internal/products/streamvibe"
)

// recount checks that every counter of who equals what quota_usage_history
// says: increments minus decrements minus the amounts reset.
func (b *testBundle) recount(t *testing.T, who string) {
	t.Helper()
	for _, q := range [][2]string{{"sync", "syncs_used"}, {"ai_analysis", "ai_analyses_used"}, {"seo_submission", "seo_submissions_used"}} {
		counter := b.OwnerInt(t, `select `+q[1]+` from streamvibe.subscription where user_id = $1`, who)
		fromHistory := b.OwnerInt(t, `select coalesce(sum(case operation when 'increment' then amount else -amount end), 0)
			from streamvibe.quota_usage_history where user_id = $1 and quota_type = $2`, who, q[0])
		if counter != fromHistory {
			t.Fatalf("%s: counter %d, history says %d", q[1], counter, fromHistory)
		}
	}
}

func TestQuota(t *testing.T) {
	t.Parallel()

	t.Run("RefusedPastTheLimit", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		for i := 1; i <= 10; i++ { // free tier: 10 AI analyses
			var v int
			b.MustScan(t, user(b.alice), `select streamvibe.consume_quota('ai_analysis')`, nil, &v)
			if v != i {
				t.Fatalf("consume %d returned %d", i, v)
			}
		}
		_, err := b.Exec(user(b.alice), false, `select streamvibe.consume_quota('ai_analysis')`)
		e := wantState(t, err, "PT402", "11th analysis")
		if !strings.Contains(e.Message, "ai_analysis quota exhausted: 10 of 10") {
			t.Fatalf("message %q", e.Message)
		}
		// Asking for more than remains is refused whole.
		_, err = b.Exec(user(b.bob), false, `select streamvibe.consume_quota('sync', 31)`)
		wantState(t, err, "PT402", "31 syncs at once")
		if n := b.OwnerInt(t, `select syncs_used from streamvibe.subscription where user_id = $1`, b.bob); n != 0 {
			t.Fatalf("bob's syncs_used %d after a refusal", n)
		}
		if n := b.OwnerInt(t, `select count(*) from streamvibe.quota_usage_history where user_id = $1`, b.alice); n != 10 {
			t.Fatalf("history rows %d, want 10", n)
		}
		b.recount(t, b.alice)
	})

	t.Run("RaceForTheLastUnits", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.MustScan(t, service(), `select streamvibe.consume_quota('seo_submission', 7, $1)`, []any{b.alice}, new(int))
		const callers = 32
		var wg sync.WaitGroup
		errs := make([]error, callers)
		for i := range callers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = b.Exec(user(b.alice), false, `select streamvibe.consume_quota('seo_submission')`)
			}()
		}
		wg.Wait()
		granted := 0
		for _, err := range errs {
			switch {
			case err == nil:
				granted++
			case pgError(err) == nil || pgError(err).Code != "PT402":
				t.Fatalf("unexpected error: %v", err)
			}
		}
		if granted != 3 { // free: 10 SEO submissions, 7 used
			t.Fatalf("%d of %d callers granted, want exactly 3", granted, callers)
		}
		if n := b.OwnerInt(t, `select seo_submissions_used from streamvibe.subscription where user_id = $1`, b.alice); n != 10 {
			t.Fatalf("seo_submissions_used %d, want 10", n)
		}
		b.recount(t, b.alice)
	})

	t.Run("CountersChangeOnlyThroughFunctions", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		_, err := b.Exec(user(b.alice), true, `update streamvibe.subscription set syncs_used = 0 where user_id = $1`, b.alice)
		wantState(t, err, "42501", "user writes syncs_used")
		_, err = b.Exec(service(), true, `update streamvibe.subscription set ai_analyses_used = 5 where user_id = $1`, b.alice)
		e := wantState(t, err, "42501", "service role writes ai_analyses_used")
		if e.ColumnName != "ai_analyses_used" {
			t.Fatalf("column %q", e.ColumnName)
		}
		// A user may not spend, refund or reset someone else's quota.
		_, err = b.Exec(user(b.alice), true, `select streamvibe.consume_quota('sync', 1, $1)`, b.bob)
		wantState(t, err, "42501", "alice consumes bob's quota")
		_, err = b.Exec(user(b.alice), true, `select streamvibe.release_quota('sync', 1, $1)`, b.alice)
		wantState(t, err, "42501", "a user refunds themselves")
		_, err = b.Exec(user(b.alice), true, `select streamvibe.reset_quotas($1)`, b.alice)
		wantState(t, err, "42501", "a user resets their quotas")
		// The user may still change what is theirs.
		b.MustExec(t, user(b.alice), `update streamvibe.subscription set is_auto_renew_enabled = false where user_id = $1`, b.alice)
	})

	t.Run("ReleaseAndBadInput", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.MustScan(t, service(), `select streamvibe.consume_quota('sync', 3, $1, 'social_account', null, 'sync run')`, []any{b.alice}, new(int))
		var v int
		b.MustScan(t, service(), `select streamvibe.release_quota('sync', 2, $1, null, null, 'upstream 503')`, []any{b.alice}, &v)
		if v != 1 {
			t.Fatalf("after release: %d, want 1", v)
		}
		_, err := b.Exec(service(), false, `select streamvibe.release_quota('sync', 2, $1)`, b.alice)
		e := wantState(t, err, "22023", "release below zero")
		if e.ColumnName != "amount" {
			t.Fatalf("column %q", e.ColumnName)
		}
		_, err = b.Exec(service(), false, `select streamvibe.consume_quota('video_upload', 1, $1)`, b.alice)
		e = wantState(t, err, "22023", "unknown quota type")
		if e.ColumnName != "quota_type" || !strings.Contains(e.Message, "video_upload") {
			t.Fatalf("column %q message %q", e.ColumnName, e.Message)
		}
		_, err = b.Exec(service(), false, `select streamvibe.consume_quota('sync', 0, $1)`, b.alice)
		wantState(t, err, "22023", "zero amount")
		// An inactive subscription has no quota.
		b.OwnerExec(t, `update streamvibe.subscription set status_id = (select id from streamvibe.subscription_status where slug = 'past_due')
			where user_id = $1`, b.bob)
		_, err = b.Exec(user(b.bob), false, `select streamvibe.consume_quota('sync')`)
		e = wantState(t, err, "PT402", "past_due subscription")
		if !strings.Contains(e.Message, "past_due") {
			t.Fatalf("message %q", e.Message)
		}
		b.recount(t, b.alice)
		b.recount(t, b.bob)
	})

	t.Run("SocialAccountLimit", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.connect(t, b.alice, "youtube") // free: one account
		_, err := b.Exec(service(), false, `insert into streamvibe.social_account (user_id, platform_id, account_name)
			select $1, id, 'Second' from streamvibe.platform where slug = 'tiktok'`, b.alice)
		wantState(t, err, "PT402", "second account on the free tier")
	})
}

// TestQuotaResetJob runs the reset on dated fixtures: a cycle that ended
// weeks ago is reset and moved to the cycle containing "now"; a current
// cycle is left alone.
func TestQuotaResetJob(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	b.OwnerExec(t, `update streamvibe.subscription set cycle_start_date = '2026-01-01Z', cycle_end_date = '2026-02-01Z',
		next_billing_date = '2026-02-01Z' where user_id = $1`, b.alice)
	b.OwnerExec(t, `update streamvibe.subscription set cycle_start_date = '2026-03-01Z', cycle_end_date = '2026-04-01Z'
		where user_id = $1`, b.bob)
	b.OwnerExec(t, `update streamvibe.subscription set cycle_start_date = '2026-03-10Z', cycle_end_date = '2026-04-10Z'
		where user_id = $1`, b.admin)
	for _, who := range []string{b.alice, b.bob} {
		b.MustScan(t, service(), `select streamvibe.consume_quota('sync', 4, $1)`, []any{who}, new(int))
		b.MustScan(t, service(), `select streamvibe.consume_quota('ai_analysis', 2, $1)`, []any{who}, new(int))
	}

	now := time.Date(2026, 3, 15, 12, 0, 0, 0, time.UTC)
	w := &streamvibe.QuotaResetWorker{Pool: b.Owner, Now: func() time.Time { return now }}
	if err := w.Work(ctx, nil); err != nil {
		t.Fatalf("work: %v", err)
	}
	var start, end time.Time
	var syncs, ai int
	b.OwnerScan(t, `select cycle_start_date, cycle_end_date, syncs_used, ai_analyses_used from streamvibe.subscription where user_id = $1`,
		[]any{b.alice}, &start, &end, &syncs, &ai)
	if !start.Equal(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)) || !end.Equal(time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("alice's cycle %v - %v, want 2026-03-01 - 2026-04-01", start, end)
	}
	if syncs != 0 || ai != 0 {
		t.Fatalf("alice's counters %d/%d after reset", syncs, ai)
	}
	if got := b.OwnerString(t, `select next_billing_date::date::text from streamvibe.subscription where user_id = $1`, b.alice); got != "2026-04-01" {
		t.Fatalf("next_billing_date %s", got)
	}
	if n := b.OwnerInt(t, `select count(*) from streamvibe.quota_usage_history where user_id = $1 and operation = 'reset'
		and reason = 'cycle_end' and billing_cycle_end = '2026-02-01Z'`, b.alice); n != 3 {
		t.Fatalf("%d reset rows for alice, want 3", n)
	}
	if n := b.OwnerInt(t, `select syncs_used from streamvibe.subscription where user_id = $1`, b.bob); n != 4 {
		t.Fatalf("bob's current cycle was reset: syncs_used %d", n)
	}
	b.recount(t, b.alice)
	b.recount(t, b.bob)

	// A second run in the same cycle does nothing.
	n, err := streamvibe.ResetDueQuotas(ctx, b.Owner, now)
	if err != nil || n != 0 {
		t.Fatalf("second run: %d reset, err %v", n, err)
	}
	// Alice's new cycle and bob's end on April 1st; the admin's on the 10th.
	n, err = streamvibe.ResetDueQuotas(ctx, b.Owner, time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC))
	if err != nil || n != 2 {
		t.Fatalf("run at bob's cycle end: %d reset, err %v", n, err)
	}
	b.recount(t, b.bob)
}
