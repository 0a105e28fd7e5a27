package influencer_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/creatorbase/creatorbase/internal/products/influencer"
)

func TestPlanLimits(t *testing.T) {
	t.Parallel()

	t.Run("CampaignAtTheLimitIsRefused", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.setPlan(t, b.alice, "glow_up") // 3 campaigns
		for range 3 {
			b.newCampaign(t, b.alice, "keyword")
		}
		_, err := b.Exec(user(b.alice), false, `insert into influencer.campaigns (user_id, name, search_type) values ($1, 'four', 'keyword')`, b.alice)
		pe := wantCode(t, err, "PT402", "")
		if pe.Message != "campaigns: campaign limit reached (3 of 3 on plan glow_up)" {
			t.Fatalf("message %q", pe.Message)
		}
		if n := b.OwnerInt(t, "select usage_campaigns_current from influencer.user_profiles where user_id = $1", b.alice); n != 3 {
			t.Fatalf("usage %d", n)
		}
		// Deleting one frees a slot; the counter follows.
		b.MustExec(t, user(b.alice), `delete from influencer.campaigns where id = (select id from influencer.campaigns where user_id = $1 limit 1)`, b.alice)
		b.newCampaign(t, b.alice, "similar")
		if n := b.OwnerInt(t, "select usage_campaigns_current from influencer.user_profiles where user_id = $1", b.alice); n != 3 {
			t.Fatalf("usage after delete+insert %d", n)
		}
	})

	t.Run("ParallelCampaignsNeverPassTheLimit", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.setPlan(t, b.alice, "viral_surge") // 10 campaigns
		var wg sync.WaitGroup
		errs := make(chan error, 30)
		for range 30 {
			wg.Go(func() {
				_, err := b.Exec(user(b.alice), false, `insert into influencer.campaigns (user_id, name, search_type) values ($1, 'race', 'keyword')`, b.alice)
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		ok := 0
		for err := range errs {
			if err == nil {
				ok++
				continue
			}
			wantCode(t, err, "PT402", "")
		}
		n := b.OwnerInt(t, "select count(*) from influencer.campaigns where user_id = $1", b.alice)
		u := b.OwnerInt(t, "select usage_campaigns_current from influencer.user_profiles where user_id = $1", b.alice)
		if ok != 10 || n != 10 || u != 10 {
			t.Fatalf("succeeded %d, campaigns %d, usage %d; want 10", ok, n, u)
		}
	})

	t.Run("CreatorsLimitAtTheBoundary", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.setPlan(t, b.alice, "glow_up") // 1000 creators a month
		ins := `insert into influencer.scraping_jobs (user_id, keywords, target_results) values ($1, '["run club"]', $2)`
		_, err := b.Exec(user(b.alice), false, ins, b.alice, 1001)
		pe := wantCode(t, err, "PT402", "target_results")
		if pe.Message != "scraping_jobs.target_results: 1001 is above the plan's creators limit of 1000 per month" {
			t.Fatalf("message %q", pe.Message)
		}
		b.MustExec(t, user(b.alice), ins, b.alice, 600)
		b.MustExec(t, user(b.alice), ins, b.alice, 400) // exactly 1000
		_, err = b.Exec(user(b.alice), false, ins, b.alice, 1)
		wantCode(t, err, "PT402", "target_results")
		if n := b.OwnerInt(t, "select usage_creators_current_month from influencer.user_profiles where user_id = $1", b.alice); n != 1000 {
			t.Fatalf("usage %d", n)
		}
		// Unlimited plans have no ceiling.
		b.setPlan(t, b.bob, "fame_flex")
		b.MustExec(t, user(b.bob), ins, b.bob, 1000000)
	})

	t.Run("ParallelJobsNeverPassTheMonth", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.setPlan(t, b.alice, "glow_up")
		var wg sync.WaitGroup
		var mu sync.Mutex
		ok := 0
		for range 20 {
			wg.Go(func() {
				_, err := b.Exec(user(b.alice), false, `insert into influencer.scraping_jobs (user_id, keywords, target_results) values ($1, '["x"]', 150)`, b.alice)
				if err == nil {
					mu.Lock()
					ok++
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if ok != 6 { // 6 × 150 = 900 ≤ 1000 < 7 × 150
			t.Fatalf("%d jobs accepted, want 6", ok)
		}
		if n := b.OwnerInt(t, "select usage_creators_current_month from influencer.user_profiles where user_id = $1", b.alice); n != 900 {
			t.Fatalf("usage %d", n)
		}
	})
}

func TestBadInputRefusedWhole(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.setPlan(t, b.alice, "glow_up")
	kw := b.newCampaign(t, b.alice, "keyword")
	bobs := b.newCampaign(t, b.bob, "keyword")
	jobs := func() int64 {
		return b.OwnerInt(t, "select count(*) from influencer.scraping_jobs") + b.OwnerInt(t, "select count(*) from system.river_job")
	}
	before := jobs()
	cases := []struct {
		name, sql    string
		args         []any
		code, column string
	}{
		{"UnknownPlatform", `insert into influencer.scraping_jobs (user_id, platform, keywords, target_results) values ($1, 'MySpace', '["x"]', 10)`, []any{b.alice}, "22023", "platform"},
		{"EmptyKeywords", `insert into influencer.scraping_jobs (user_id, keywords, target_results) values ($1, '[]', 10)`, []any{b.alice}, "22023", "keywords"},
		{"BlankKeyword", `insert into influencer.scraping_jobs (user_id, keywords, target_results) values ($1, '["  "]', 10)`, []any{b.alice}, "22023", "keywords"},
		{"KeywordCampaignWithoutKeywords", `insert into influencer.scraping_jobs (user_id, campaign_id, target_username, target_results) values ($1, $2, 'miatorres.fit', 10)`, []any{b.alice, kw}, "22023", "keywords"},
		{"NoSearchAtAll", `insert into influencer.scraping_jobs (user_id, target_results) values ($1, 10)`, []any{b.alice}, "22023", "keywords"},
		{"ZeroTarget", `insert into influencer.scraping_jobs (user_id, keywords, target_results) values ($1, '["x"]', 0)`, []any{b.alice}, "23514", "target_results"},
		{"NegativeTarget", `insert into influencer.scraping_jobs (user_id, keywords, target_results) values ($1, '["x"]', -5)`, []any{b.alice}, "23514", "target_results"},
		{"AboveThePlan", `insert into influencer.scraping_jobs (user_id, keywords, target_results) values ($1, '["x"]', 5000)`, []any{b.alice}, "PT402", "target_results"},
		{"AnotherUsersCampaign", `insert into influencer.scraping_jobs (user_id, campaign_id, keywords, target_results) values ($1, $2, '["x"]', 10)`, []any{b.alice, bobs}, "23503", "campaign_id"},
		{"BadCampaignStatus", `insert into influencer.campaigns (user_id, name, search_type, status) values ($1, 'x', 'keyword', 'live')`, []any{b.alice}, "23514", "campaigns_status_check"},
		{"BadSearchType", `insert into influencer.campaigns (user_id, name, search_type) values ($1, 'x', 'fuzzy')`, []any{b.alice}, "23514", "campaigns_search_type_check"},
		{"BadOnboardingStep", `update influencer.user_profiles set onboarding_step = 'done' where user_id = $1`, []any{b.alice}, "23514", "user_profiles_onboarding_step_check"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := b.Exec(user(b.alice), false, c.sql, c.args...)
			pe := wantCode(t, err, c.code, "")
			if pe.ColumnName != c.column && pe.ConstraintName != c.column && !contains(pe.Message, c.column) {
				t.Fatalf("error does not name %s: %+v", c.column, pe)
			}
		})
	}
	if after := jobs(); after != before {
		t.Fatalf("jobs or River jobs written by refused inserts: %d -> %d", before, after)
	}
	if n := b.OwnerInt(t, "select usage_creators_current_month from influencer.user_profiles where user_id = $1", b.alice); n != 0 {
		t.Fatalf("refused jobs reserved %d creators", n)
	}
	// 'tiktok' and the seed's 'Tiktok' are TikTok.
	b.MustExec(t, user(b.alice), `insert into influencer.scraping_jobs (user_id, platform, keywords, target_results) values ($1, 'tiktok', '["x"]', 10)`, b.alice)
	if p := b.OwnerString(t, "select platform from influencer.scraping_jobs where user_id = $1", b.alice); p != "TikTok" {
		t.Fatalf("platform %q", p)
	}
}

func contains(s, sub string) bool {
	return len(sub) > 0 && len(s) >= len(sub) && (s == sub || indexOf(s, sub) >= 0)
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

func (b *testBundle) events(t *testing.T, uid, typ string) int64 {
	t.Helper()
	return b.OwnerInt(t, "select count(*) from events.events where aggregate_id = $1 and event_type = $2", uid, typ)
}

func TestTrials(t *testing.T) {
	t.Parallel()

	t.Run("OnboardingStartsASevenDayTrial", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.MustExec(t, user(b.alice), `update influencer.user_profiles set onboarding_step = 'intent_captured', intended_plan = 'viral_surge' where user_id = $1`, b.alice)
		if s := b.OwnerString(t, "select trial_status from influencer.user_profiles where user_id = $1", b.alice); s != "pending" {
			t.Fatalf("trial %s before completion", s)
		}
		b.MustExec(t, user(b.alice), `update influencer.user_profiles set onboarding_step = 'completed' where user_id = $1`, b.alice)
		var status string
		var days float64
		var limit int64
		if err := b.Owner.QueryRow(context.Background(), `select trial_status, extract(epoch from trial_end_date - trial_start_date) / 86400, plan_creators_limit
			from influencer.user_profiles where user_id = $1`, b.alice).Scan(&status, &days, &limit); err != nil {
			t.Fatal(err)
		}
		if status != "active" || days != 7 || limit != 10000 {
			t.Fatalf("status %s, %v days, creators limit %d (want the intended plan's 10000)", status, days, limit)
		}
		if b.events(t, b.alice, "trial_started") != 1 || b.events(t, b.alice, "onboarding_completed") != 1 || b.events(t, b.alice, "user_registered") != 1 {
			t.Fatal("missing events")
		}
		// Going back is refused; completing again changes nothing.
		_, err := b.Exec(user(b.alice), false, `update influencer.user_profiles set onboarding_step = 'pending' where user_id = $1`, b.alice)
		wantCode(t, err, "PT409", "onboarding_step")
		b.MustExec(t, user(b.alice), `update influencer.user_profiles set onboarding_step = 'completed' where user_id = $1`, b.alice)
		if b.events(t, b.alice, "trial_started") != 1 {
			t.Fatal("second trial_started")
		}
		// Users cannot move their trial themselves.
		if _, err := b.Exec(user(b.alice), false, `update influencer.user_profiles set trial_status = 'converted' where user_id = $1`, b.alice); err == nil {
			t.Fatal("user converted their own trial")
		}
	})

	t.Run("Transitions", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		set := func(uid, status string) error {
			_, err := b.Exec(service(), false, `update influencer.user_profiles set trial_status = $2 where user_id = $1`, uid, status)
			return err
		}
		// pending -> expired | converted | cancelled: refused.
		for _, s := range []string{"expired", "converted", "cancelled"} {
			wantCode(t, set(b.alice, s), "PT409", "trial_status")
		}
		if err := set(b.alice, "active"); err != nil {
			t.Fatal(err)
		}
		if err := set(b.alice, "converted"); err != nil {
			t.Fatal(err)
		}
		// Retried: same status, no new event; anything else refused.
		for range 3 {
			if err := set(b.alice, "converted"); err != nil {
				t.Fatal(err)
			}
		}
		for _, s := range []string{"active", "pending", "expired", "cancelled"} {
			wantCode(t, set(b.alice, s), "PT409", "trial_status")
		}
		if b.events(t, b.alice, "trial_started") != 1 || b.events(t, b.alice, "trial_converted") != 1 {
			t.Fatal("want exactly one event per transition")
		}
		if b.OwnerInt(t, "select count(*) from influencer.user_profiles where user_id = $1 and trial_conversion_date is not null", b.alice) != 1 {
			t.Fatal("trial_conversion_date not set")
		}
		if err := set(b.bob, "active"); err != nil {
			t.Fatal(err)
		}
		if err := set(b.bob, "cancelled"); err != nil {
			t.Fatal(err)
		}
		if b.events(t, b.bob, "trial_cancelled") != 1 {
			t.Fatal("trial_cancelled event")
		}
		// Concurrent retries of one transition: one event.
		if err := set(b.admin, "active"); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() { _ = set(b.admin, "converted") })
		}
		wg.Wait()
		if b.events(t, b.admin, "trial_converted") != 1 {
			t.Fatalf("trial_converted events %d", b.events(t, b.admin, "trial_converted"))
		}
	})

	t.Run("ExpiryJobOnDatedFixtures", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		ctx := context.Background()
		for _, u := range []string{b.alice, b.bob} {
			b.MustExec(t, user(u), `update influencer.user_profiles set onboarding_step = 'completed' where user_id = $1`, u)
		}
		b.OwnerExec(t, `update influencer.user_profiles set trial_end_date = '2030-01-08 00:00:00+00', trial_start_date = '2030-01-01 00:00:00+00' where user_id = $1`, b.alice)
		b.OwnerExec(t, `update influencer.user_profiles set trial_end_date = '2030-01-10 00:00:00+00', trial_start_date = '2030-01-03 00:00:00+00' where user_id = $1`, b.bob)
		at := time.Date(2030, 1, 9, 0, 0, 0, 0, time.UTC)
		for range 2 { // the job running twice expires once
			if _, err := influencer.ExpireTrials(ctx, b.Owner, at); err != nil {
				t.Fatal(err)
			}
		}
		if s := b.OwnerString(t, "select trial_status from influencer.user_profiles where user_id = $1", b.alice); s != "expired" {
			t.Fatalf("alice %s", s)
		}
		if s := b.OwnerString(t, "select trial_status from influencer.user_profiles where user_id = $1", b.bob); s != "active" {
			t.Fatalf("bob %s", s)
		}
		if b.events(t, b.alice, "trial_expired") != 1 || b.events(t, b.bob, "trial_expired") != 0 {
			t.Fatal("trial_expired events")
		}
	})
}

func TestUsageResetOnDatedFixtures(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	b.OwnerExec(t, `update influencer.user_profiles set usage_creators_current_month = 700, usage_reset_date = '2030-03-15 00:00:00+00' where user_id = $1`, b.alice)
	b.OwnerExec(t, `update influencer.user_profiles set usage_creators_current_month = 300, usage_reset_date = '2030-04-15 00:00:00+00' where user_id = $1`, b.bob)
	b.OwnerExec(t, `update influencer.user_profiles set usage_reset_date = '2031-01-01 00:00:00+00' where user_id = $1`, b.admin)
	at := time.Date(2030, 3, 20, 0, 0, 0, 0, time.UTC)
	n, err := influencer.ResetMonthlyUsage(ctx, b.Owner, at)
	if err != nil || n != 1 {
		t.Fatalf("reset %d, err %v", n, err)
	}
	if n, _ := influencer.ResetMonthlyUsage(ctx, b.Owner, at); n != 0 {
		t.Fatalf("second run reset %d", n)
	}
	var used int64
	var next time.Time
	if err := b.Owner.QueryRow(ctx, `select usage_creators_current_month, usage_reset_date from influencer.user_profiles where user_id = $1`, b.alice).Scan(&used, &next); err != nil {
		t.Fatal(err)
	}
	if used != 0 || !next.Equal(time.Date(2030, 4, 15, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("alice used %d, next %v", used, next)
	}
	if u := b.OwnerInt(t, `select usage_creators_current_month from influencer.user_profiles where user_id = $1`, b.bob); u != 300 {
		t.Fatalf("bob reset early: %d", u)
	}
	// Down for three months: one reset, to the first date after `at`.
	b.OwnerExec(t, `update influencer.user_profiles set usage_creators_current_month = 10, usage_reset_date = '2030-01-31 00:00:00+00' where user_id = $1`, b.admin)
	if _, err := influencer.ResetMonthlyUsage(ctx, b.Owner, at); err != nil {
		t.Fatal(err)
	}
	if s := b.OwnerString(t, `select to_char(usage_reset_date at time zone 'UTC', 'YYYY-MM-DD') from influencer.user_profiles where user_id = $1`, b.admin); s != "2030-03-31" {
		t.Fatalf("admin next reset %s", s)
	}
	if b.events(t, b.alice, "usage_reset") != 1 {
		t.Fatal("usage_reset event")
	}
}
