package creatorpulse_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/creatorbase/creatorbase/internal/database"
)

// wideRunner is a request runner with enough connections for goroutines
// to really run at the same time.
func (b *testBundle) wideRunner(t *testing.T, conns int32) *database.Runner {
	t.Helper()
	pool, err := database.Open(context.Background(), b.DB.AuthenticatorURL, conns)
	if err != nil {
		t.Fatalf("open pool: %v", err)
	}
	t.Cleanup(pool.Close)
	r, err := database.NewRunner(context.Background(), pool)
	if err != nil {
		t.Fatalf("runner: %v", err)
	}
	return r
}

func TestUpdatedAtTriggers(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.fixture(t)
	// The seed names these; content_performance_summaries is ours.
	for _, table := range []string{"creator_profiles", "platform_connections", "content_drafts", "content_sources",
		"trend_insights", "delivery_preferences", "creator_analytics", "subscription_billing", "agency_clients",
		"content_performance_summaries"} {
		where := "user_id = $1"
		if table == "agency_clients" {
			where = "client_user_id = $1"
		}
		b.OwnerExec(t, `update creatorpulse.`+table+` set updated_at = timestamptz '2000-01-01' where `+where, b.alice)
		if n := b.OwnerInt(t, `select count(*) from creatorpulse.`+table+` where `+where+
			` and updated_at > now() - interval '1 minute'`, b.alice); n == 0 {
			t.Errorf("%s: updated_at was not stamped", table)
		}
	}
}

func TestActivateVoiceModel(t *testing.T) {
	t.Parallel()
	b := setup(t)
	newModel := func(t *testing.T, userID, version string, active bool) string {
		t.Helper()
		var id string
		b.MustScan(t, service(), `insert into creatorpulse.voice_models (user_id, model_version, model_config, training_data_count, is_active)
			values ($1, $2, '{"temperature": 0.7}', 20, $3) returning id`, []any{userID, version, active}, &id)
		return id
	}
	active := func(t *testing.T, userID string) []string {
		t.Helper()
		rows, err := b.Owner.Query(context.Background(),
			`select model_version from creatorpulse.voice_models where user_id = $1 and is_active order by 1`, userID)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var versions []string
		for rows.Next() {
			var v string
			if err := rows.Scan(&v); err != nil {
				t.Fatal(err)
			}
			versions = append(versions, v)
		}
		return versions
	}

	t.Run("ActivatingOneDeactivatesTheOthers", func(t *testing.T) {
		t.Parallel()
		u := b.NewUser(t, "voice1@example.com")
		v1 := newModel(t, u, "v1", true)
		newModel(t, u, "v2", true)
		if got := active(t, u); len(got) != 1 || got[0] != "v2" {
			t.Fatalf("active after inserting v2 active: %v", got)
		}
		b.MustExec(t, service(), `update creatorpulse.voice_models set is_active = true where id = $1`, v1)
		if got := active(t, u); len(got) != 1 || got[0] != "v1" {
			t.Fatalf("active after re-activating v1: %v", got)
		}
		other := b.NewUser(t, "voice1b@example.com")
		newModel(t, other, "o1", true)
		if got := active(t, u); len(got) != 1 {
			t.Fatalf("another user's activation changed this user's models: %v", got)
		}
	})

	t.Run("ConcurrentActivationsLeaveExactlyOne", func(t *testing.T) {
		t.Parallel()
		const n = 16
		u := b.NewUser(t, "voice2@example.com")
		ids := make([]string, n)
		for i := range ids {
			ids[i] = newModel(t, u, "c"+string(rune('a'+i)), false)
		}
		r := b.wideRunner(t, n)
		for round := range 3 {
			var wg sync.WaitGroup
			errs := make(chan error, n)
			start := make(chan struct{})
			for _, id := range ids {
				wg.Go(func() {
					<-start
					errs <- r.Run(context.Background(), service(), func(batch *pgx.Batch) {
						batch.Queue(`update creatorpulse.voice_models set is_active = true where id = $1`, id)
					})
				})
			}
			close(start)
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Fatalf("round %d: concurrent activation failed: %v", round, err)
				}
			}
			if got := active(t, u); len(got) != 1 {
				t.Fatalf("round %d: %d active models: %v", round, len(got), got)
			}
			b.OwnerExec(t, `update creatorpulse.voice_models set is_active = false where user_id = $1`, u)
		}
	})

	t.Run("IndexRefusesASecondActiveModelEvenWithoutTheTrigger", func(t *testing.T) {
		t.Parallel()
		u := b.NewUser(t, "voice3@example.com")
		newModel(t, u, "v1", true)
		tx, err := b.Owner.Begin(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback(context.Background()) //nolint:errcheck // test cleanup
		if _, err := tx.Exec(context.Background(), `alter table creatorpulse.voice_models disable trigger activate_voice_model`); err != nil {
			t.Fatal(err)
		}
		_, err = tx.Exec(context.Background(), `insert into creatorpulse.voice_models (user_id, model_version, model_config, training_data_count, is_active)
			values ($1, 'v2', '{}', 1, true)`, u)
		if pgErr := wantState(t, err, "23505", "second active model"); pgErr.ConstraintName != "voice_models_one_active_idx" {
			t.Fatalf("constraint %s", pgErr.ConstraintName)
		}
	})
}

func TestCredits(t *testing.T) {
	t.Parallel()
	b := setup(t)
	generate := func(r *database.Runner, userID string) error {
		return r.Run(context.Background(), service(), func(batch *pgx.Batch) {
			batch.Queue(`insert into creatorpulse.content_drafts (user_id, platform, content_type, content)
				values ($1, 'linkedin', 'linkedin_long', 'Generated')`, userID)
		})
	}
	count := func(t *testing.T, sql, userID string) int64 {
		t.Helper()
		return b.OwnerInt(t, sql, userID)
	}
	wantRefused := func(t *testing.T, err error, limit string) {
		t.Helper()
		pgErr := wantState(t, err, "PT402", "generation past the limit")
		if !strings.Contains(pgErr.Message, "credit limit reached") || !strings.Contains(pgErr.Message, limit) {
			t.Fatalf("message %q does not name %s", pgErr.Message, limit)
		}
	}

	t.Run("NoSubscriptionIsRefused", func(t *testing.T) {
		t.Parallel()
		u := b.NewUser(t, "nosub@example.com")
		wantRefused(t, generate(b.Runner, u), "monthly_credit_limit")
		if n := count(t, `select count(*) from creatorpulse.content_drafts where user_id = $1`, u); n != 0 {
			t.Fatalf("%d drafts written", n)
		}
	})

	t.Run("LimitThenBalanceThenRefusal", func(t *testing.T) {
		t.Parallel()
		u := b.NewUser(t, "limit@example.com")
		b.OwnerExec(t, `insert into creatorpulse.subscription_billing (user_id, subscription_status, monthly_credit_limit, credit_balance)
			values ($1, 'active', 2, 1)`, u)
		for i := range 3 {
			if err := generate(b.Runner, u); err != nil {
				t.Fatalf("generation %d: %v", i+1, err)
			}
		}
		wantRefused(t, generate(b.Runner, u), "monthly_credit_limit of 2.00")
		if n := count(t, `select count(*) from creatorpulse.content_drafts where user_id = $1`, u); n != 3 {
			t.Fatalf("%d drafts, want 3", n)
		}
		if n := count(t, `select (credit_balance * 100)::bigint from creatorpulse.subscription_billing where user_id = $1`, u); n != 0 {
			t.Fatalf("credit_balance %d cents of a credit, want 0", n)
		}
		if n := count(t, `select count(*) from creatorpulse.usage_tracking where user_id = $1 and action_type = 'draft_generated'
			and credits_consumed = 1`, u); n != 3 {
			t.Fatalf("%d draft_generated usage rows, want 3", n)
		}
		if n := count(t, `select count(*) from creatorpulse.usage_tracking where user_id = $1
			and (metadata ->> 'credits_from_balance')::numeric = 1`, u); n != 1 {
			t.Fatalf("%d usage rows drawn from the balance, want 1", n)
		}
		if n := count(t, `select sum(drafts_generated) from creatorpulse.creator_analytics where user_id = $1 and platform = 'linkedin'`, u); n != 3 {
			t.Fatalf("drafts_generated %d, want 3", n)
		}
		// Writing a draft by hand costs nothing.
		b.MustExec(t, user(u), `insert into creatorpulse.content_drafts (user_id, platform, content_type, content)
			values ($1, 'twitter', 'thread', 'Typed myself')`, u)
		// A top-up lets generation continue.
		b.OwnerExec(t, `update creatorpulse.subscription_billing set credit_balance = 1 where user_id = $1`, u)
		if err := generate(b.Runner, u); err != nil {
			t.Fatalf("after a top-up: %v", err)
		}
		// Credit changes are audited.
		if n := count(t, `select count(*) from events.audit_log where entity_type = 'creatorpulse.subscription_billing'
			and new_values ->> 'user_id' = $1::text`, u); n < 3 {
			t.Fatalf("%d audit rows for the billing row", n)
		}
	})

	t.Run("OverageWhereThePlanAllowsIt", func(t *testing.T) {
		t.Parallel()
		u := b.NewUser(t, "overage@example.com")
		b.OwnerExec(t, `insert into creatorpulse.subscription_billing (user_id, subscription_status, monthly_credit_limit, overage_rate)
			values ($1, 'active', 1, 0.25)`, u)
		for range 3 {
			if err := generate(b.Runner, u); err != nil {
				t.Fatal(err)
			}
		}
		var overage, cost float64
		b.OwnerScan(t, `select sum((metadata ->> 'overage_credits')::numeric), sum((metadata ->> 'overage_cost')::numeric)
			from creatorpulse.usage_tracking where user_id = $1`, []any{u}, &overage, &cost)
		if overage != 2 || cost != 0.5 {
			t.Fatalf("overage %v credits costing %v, want 2 and 0.5", overage, cost)
		}
	})

	t.Run("CanceledSubscriptionIsRefused", func(t *testing.T) {
		t.Parallel()
		u := b.NewUser(t, "canceled@example.com")
		b.OwnerExec(t, `insert into creatorpulse.subscription_billing (user_id, subscription_status, monthly_credit_limit)
			values ($1, 'canceled', 100)`, u)
		wantRefused(t, generate(b.Runner, u), "subscription_status is canceled")
	})

	t.Run("ConcurrentGenerationsStopAtTheLimit", func(t *testing.T) {
		t.Parallel()
		const limit, tries = 5, 16
		u := b.NewUser(t, "race@example.com")
		b.OwnerExec(t, `insert into creatorpulse.subscription_billing (user_id, subscription_status, monthly_credit_limit)
			values ($1, 'active', $2)`, u, limit)
		r := b.wideRunner(t, tries)
		var wg sync.WaitGroup
		errs := make(chan error, tries)
		for range tries {
			wg.Go(func() { errs <- generate(r, u) })
		}
		wg.Wait()
		close(errs)
		var okCount int
		for err := range errs {
			switch {
			case err == nil:
				okCount++
			default:
				wantRefused(t, err, "monthly_credit_limit")
			}
		}
		if okCount != limit {
			t.Fatalf("%d generations succeeded, want %d", okCount, limit)
		}
		if n := count(t, `select count(*) from creatorpulse.content_drafts where user_id = $1`, u); n != limit {
			t.Fatalf("%d drafts written, want %d", n, limit)
		}
	})

	// The period starts at an instant and usage counts from the instant
	// it was recorded, not from usage_date (the creator's local day).
	t.Run("PeriodStartsAtAnInstantInEveryTimeZone", func(t *testing.T) {
		t.Parallel()
		const periodStart = "2025-06-01 00:00:00+00"
		creator := func(t *testing.T, email, tz string) string {
			t.Helper()
			u := b.NewUser(t, email)
			b.OwnerExec(t, `update public.users set timezone = $2 where id = $1`, u, tz)
			b.OwnerExec(t, `insert into creatorpulse.subscription_billing
				(user_id, subscription_status, current_period_start, current_period_end, monthly_credit_limit)
				values ($1, 'active', $2, timestamptz '2100-01-01', 1)`, u, periodStart)
			return u
		}
		// usage recorded at periodStart + offset, dated in the creator's zone
		recorded := func(t *testing.T, u, tz, offset string) {
			t.Helper()
			b.OwnerExec(t, `insert into creatorpulse.usage_tracking (user_id, usage_date, action_type, credits_consumed, created_at)
				select $1, (at at time zone $2)::date, 'trend_analyzed', 1, at
				from (select timestamptz '`+periodStart+`' + $3::interval as at) s`, u, tz, offset)
		}
		use := func(u string) error {
			_, err := b.Exec(service(), false, `select creatorpulse.record_usage($1, 'trend_analyzed')`, u)
			return err
		}

		// Los Angeles: 3 hours into the period is still the previous
		// day there; that usage belongs to this period.
		la := creator(t, "la@example.com", "America/Los_Angeles")
		recorded(t, la, "America/Los_Angeles", "3 hours")
		wantRefused(t, use(la), "monthly_credit_limit of 1.00")

		// Auckland: 3 hours before the period is already its first day
		// there; that usage belongs to the previous period.
		nz := creator(t, "nz@example.com", "Pacific/Auckland")
		recorded(t, nz, "Pacific/Auckland", "-3 hours")
		if err := use(nz); err != nil {
			t.Fatalf("usage before the period counted against it: %v", err)
		}
		if n := count(t, `select count(*) from creatorpulse.usage_tracking where user_id = $1
			and (metadata ->> 'credits_from_limit')::numeric = 1`, nz); n != 1 {
			t.Fatalf("%d usage rows drawn from the monthly limit, want 1", n)
		}

		// Without a billing period, the calendar month in the creator's zone.
		month := b.NewUser(t, "month@example.com")
		b.OwnerExec(t, `update public.users set timezone = 'Pacific/Kiritimati' where id = $1`, month)
		b.OwnerExec(t, `insert into creatorpulse.subscription_billing (user_id, subscription_status, monthly_credit_limit)
			values ($1, 'active', 1)`, month)
		b.OwnerExec(t, `insert into creatorpulse.usage_tracking (user_id, usage_date, action_type, credits_consumed, created_at)
			select $1, (m - interval '1 minute')::date, 'trend_analyzed', 1, (m - interval '1 minute') at time zone 'Pacific/Kiritimati'
			from (select date_trunc('month', now() at time zone 'Pacific/Kiritimati') as m) s`, month)
		if err := use(month); err != nil {
			t.Fatalf("last month's usage counted against this month: %v", err)
		}
		wantRefused(t, use(month), "monthly_credit_limit of 1.00")
	})

	t.Run("RecordUsageIsTheServiceRolesOnly", func(t *testing.T) {
		t.Parallel()
		u := b.NewUser(t, "usage@example.com")
		b.OwnerExec(t, `insert into creatorpulse.subscription_billing (user_id, subscription_status, monthly_credit_limit)
			values ($1, 'active', 10)`, u)
		b.MustExec(t, service(), `select creatorpulse.record_usage($1, 'trend_analyzed', 'twitter', 2.5)`, u)
		b.MustExec(t, service(), `select creatorpulse.record_usage($1, 'voice_training')`, u)
		_, err := b.Exec(user(u), true, `select creatorpulse.record_usage($1, 'voice_training', null, -100)`, u)
		wantState(t, err, "42501", "a user recording usage")
		_, err = b.Exec(service(), true, `select creatorpulse.record_usage($1, 'voice_training', null, -1)`, u)
		wantState(t, err, "22023", "negative credits")

		var total float64
		b.MustScan(t, user(u), `select creatorpulse.calculate_daily_credits($1, (now() at time zone 'UTC')::date)`, []any{u}, &total)
		if total != 3.5 {
			t.Fatalf("calculate_daily_credits = %v, want 3.5", total)
		}
		b.MustScan(t, service(), `select creatorpulse.calculate_daily_credits($1, (now() at time zone 'UTC')::date)`, []any{u}, &total)
		if total != 3.5 {
			t.Fatalf("calculate_daily_credits as the service role = %v, want 3.5", total)
		}
		// The seed's version answered anyone about anyone; ours does not.
		_, err = b.Exec(user(b.bob), true, `select creatorpulse.calculate_daily_credits($1, current_date)`, u)
		wantState(t, err, "42501", "another user's credits")
		_, err = b.Exec(anon(), true, `select creatorpulse.calculate_daily_credits($1, current_date)`, u)
		wantState(t, err, "42501", "anon asks for credits")
		// A user's token without a role claim is still a user, not the system.
		noRole := database.Request{Role: "authenticated", Claims: []byte(`{"sub":"` + b.bob + `"}`)}
		_, err = b.Exec(noRole, true, `select creatorpulse.calculate_daily_credits($1, current_date)`, u)
		wantState(t, err, "42501", "a token without a role claim")
	})
}
