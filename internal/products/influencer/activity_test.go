package influencer_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/creatorbase/creatorbase/internal/dbtest"
	"github.com/creatorbase/creatorbase/internal/products/influencer"
)

// activity returns kind:count of who's Influencer rows in view (one of
// public.my_activity, influencer.my_activity), sorted by kind.
func (b *testBundle) activity(t *testing.T, who, view string) string {
	t.Helper()
	return b.ActivityKinds(t, who, view, "influencer")
}

// timeline reads who's Influencer rows of view by kind (one row per kind).
func (b *testBundle) timeline(t *testing.T, who, view string) map[string]dbtest.ActivityRow {
	t.Helper()
	got := map[string]dbtest.ActivityRow{}
	for _, r := range b.Activity(t, who, view, "influencer") {
		if _, dup := got[r.Kind]; dup {
			t.Fatalf("%s of %s: two %s rows", view, who, r.Kind)
		}
		got[r.Kind] = r
	}
	return got
}

// wantJSON fails unless got and want are the same JSON document.
func wantJSON(t *testing.T, what string, got, want map[string]any) {
	t.Helper()
	if !dbtest.SameJSON(got, want) {
		t.Fatalf("%s details %v, want %v", what, got, want)
	}
}

// TestMyActivity (0407): each kind of influencer.my_activity made through
// the product's own flows, read back as the user in both timelines; other
// users, admins and anon see none of it.
func TestMyActivity(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	carol := b.NewUser(t, "carol@brand.example") // a fresh signup, no profile

	// A profile made at registration is not activity (user_registered).
	for _, who := range []string{b.alice, carol} {
		for _, view := range []string{"public.my_activity", "influencer.my_activity"} {
			if got := b.activity(t, who, view); got != "" {
				t.Fatalf("fresh %s's %s: %s", who, view, got)
			}
		}
	}

	// Onboarding: completing it starts the trial of the intended plan.
	b.MustExec(t, user(b.alice), `update influencer.user_profiles set onboarding_step = 'intent_captured', intended_plan = 'glow_up' where user_id = $1`, b.alice)
	b.MustExec(t, user(b.alice), `update influencer.user_profiles set onboarding_step = 'completed' where user_id = $1`, b.alice)
	camp := b.newCampaign(t, b.alice, "keyword")
	var job, legacy string
	b.MustScan(t, user(b.alice), `insert into influencer.scraping_jobs (user_id, campaign_id, platform, keywords, target_results)
		values ($1, $2, 'tiktok', '["iced coffee"]', 100) returning id`, []any{b.alice, camp}, &job)
	b.MustScan(t, user(b.alice), `insert into influencer.search_jobs (user_id, platform, search_type, target_username, target_results)
		values ($1, 'YouTube', 'similar', 'miatorres.fit', 10) returning id`, []any{b.alice}, &legacy)
	// The worker runs the job to the end: search_started shows its status.
	w, err := influencer.NewScrapingWorker(b.Owner, influencer.Options{PageSize: 50})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Run(ctx, job); err != nil {
		t.Fatalf("work job: %v", err)
	}
	// Billing (the service role) records that she took the plan.
	b.MustExec(t, service(), `update influencer.user_profiles set current_plan = intended_plan, trial_status = 'converted',
		subscription_status = 'active' where user_id = $1`, b.alice)

	// Bob cancels his trial; the admin's trial runs out (the expiry job's
	// doing, not the admin's: no row).
	b.MustExec(t, user(b.bob), `update influencer.user_profiles set onboarding_step = 'completed' where user_id = $1`, b.bob)
	b.MustExec(t, service(), `update influencer.user_profiles set trial_status = 'cancelled', subscription_status = 'canceled' where user_id = $1`, b.bob)
	b.MustExec(t, user(b.admin), `update influencer.user_profiles set onboarding_step = 'completed' where user_id = $1`, b.admin)
	b.OwnerExec(t, `update influencer.user_profiles set trial_start_date = now() - interval '8 days', trial_end_date = now() - interval '1 day'
		where user_id = $1`, b.admin)
	if n, err := influencer.ExpireTrials(ctx, b.Owner, time.Time{}); err != nil || n != 1 {
		t.Fatalf("expired %d trials (err %v), want the admin's", n, err)
	}

	const want = "campaign_created:1 legacy_search_started:1 onboarding_completed:1 search_started:1 trial_converted:1 trial_started:1"
	for _, view := range []string{"public.my_activity", "influencer.my_activity"} {
		if got := b.activity(t, b.alice, view); got != want {
			t.Fatalf("alice's %s: %s, want %s", view, got, want)
		}
	}

	profile := b.OwnerString(t, `select id::text from influencer.user_profiles where user_id = $1`, b.alice)
	var trialEnd, campaignAt time.Time
	b.OwnerScan(t, `select trial_end_date from influencer.user_profiles where user_id = $1`, []any{b.alice}, &trialEnd)
	b.OwnerScan(t, `select created_at from influencer.campaigns where id = $1`, []any{camp}, &campaignAt)
	rows := b.timeline(t, b.alice, "influencer.my_activity")
	wantEntity := map[string]string{
		"onboarding_completed": profile, "trial_started": profile, "trial_converted": profile,
		"campaign_created": camp, "search_started": job, "legacy_search_started": legacy,
	}
	for kind, id := range wantEntity {
		if rows[kind].Entity != id {
			t.Fatalf("%s entity_id %q, want %q", kind, rows[kind].Entity, id)
		}
		if rows[kind].At.IsZero() {
			t.Fatalf("%s has no occurred_at", kind)
		}
	}
	if !rows["campaign_created"].At.Equal(campaignAt) {
		t.Fatalf("campaign_created at %v, want the campaign's created_at %v", rows["campaign_created"].At, campaignAt)
	}
	wantJSON(t, "onboarding_completed", rows["onboarding_completed"].Details, map[string]any{"intended_plan": "glow_up"})
	started := rows["trial_started"].Details
	end, err := time.Parse(time.RFC3339Nano, fmt.Sprint(started["trial_end_date"]))
	if err != nil || !end.Equal(trialEnd) {
		t.Fatalf("trial_started trial_end_date %v (err %v), want %v", started["trial_end_date"], err, trialEnd)
	}
	delete(started, "trial_end_date")
	wantJSON(t, "trial_started", started, map[string]any{"intended_plan": "glow_up"})
	wantJSON(t, "trial_converted", rows["trial_converted"].Details, map[string]any{"plan": "glow_up", "intended_plan": "glow_up"})
	wantJSON(t, "campaign_created", rows["campaign_created"].Details,
		map[string]any{"name": "Spring launch", "search_type": "keyword", "status": "draft"})
	wantJSON(t, "search_started", rows["search_started"].Details, map[string]any{
		"campaign_id": camp, "platform": "TikTok", "search_type": "keyword", "target_results": 100, "status": "completed"})
	wantJSON(t, "legacy_search_started", rows["legacy_search_started"].Details, map[string]any{
		"campaign_id": nil, "platform": "YouTube", "search_type": "similar", "target_results": 10, "status": "pending"})

	// public.my_activity carries the same rows.
	pub := b.timeline(t, b.alice, "public.my_activity")
	for kind, r := range rows {
		p, ok := pub[kind]
		if !ok || p.Entity != r.Entity || !p.At.Equal(r.At) {
			t.Fatalf("public.my_activity %s = %+v, want %+v", kind, p, r)
		}
	}
	// The other branches are still there.
	if n := b.OwnerInt(t, `select count(*) from pg_views where schemaname = 'public' and viewname = 'my_activity'
		and definition like '%creatorpulse.my_activity%' and definition like '%streamvibe.my_activity%'
		and definition like '%influencer.my_activity%' and definition like '%tenant_joined%'`); n != 1 {
		t.Fatal("public.my_activity lost a branch")
	}

	// Others see only their own: bob his cancelled trial, the admin (who
	// reads every campaign and job) no expiry, the platform admin (who reads
	// every event) and carol nothing; none of them any of alice's rows.
	for who, want := range map[string]string{
		b.bob:   "onboarding_completed:1 trial_cancelled:1 trial_started:1",
		b.admin: "onboarding_completed:1 trial_started:1",
		b.root:  "",
		carol:   "",
	} {
		for _, view := range []string{"public.my_activity", "influencer.my_activity"} {
			if got := b.activity(t, who, view); got != want {
				t.Fatalf("%s's %s: %s, want %s", who, view, got, want)
			}
		}
		var n int64
		b.MustScan(t, user(who), `select count(*) from public.my_activity where entity_id = any($1)`,
			[]any{[]string{profile, camp, job, legacy}}, &n)
		if n != 0 {
			t.Fatalf("%s sees %d of alice's rows", who, n)
		}
	}
	bobs := b.timeline(t, b.bob, "influencer.my_activity")
	wantJSON(t, "bob's trial_cancelled", bobs["trial_cancelled"].Details, map[string]any{"plan": "free", "intended_plan": nil})

	for _, view := range []string{"influencer.my_activity", "public.my_activity"} {
		_, err := b.Exec(anon(), true, `select 1 from `+view)
		wantCode(t, err, "42501", "")
	}
}

// TestMyActivityMigrationDownUp rolls 0407 back and applies it again: Down
// takes out only the influencer branch of public.my_activity and the view,
// Up puts them back once, and Down refuses a timeline that has lost the
// branch instead of silently leaving it as it is.
func TestMyActivityMigrationDownUp(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, m, _ := dbtest.NewMigrated(t)
	owner := db.Owner(t)
	viewDef := func() string { return db.ViewDef(t, "public.my_activity") }
	if def := viewDef(); strings.Count(def, "influencer.my_activity") != 1 {
		t.Fatalf("public.my_activity after up: %s", def)
	}

	if _, err := m.DownTo(ctx, 406); err != nil {
		t.Fatalf("down to 0406: %v", err)
	}
	def := viewDef()
	if strings.Contains(def, "influencer") || strings.Contains(def, "inf_activity") ||
		!strings.Contains(def, "creatorpulse.my_activity") || !strings.Contains(def, "streamvibe.my_activity") ||
		!strings.Contains(def, "tenant_joined") {
		t.Fatalf("public.my_activity after down: %s", def)
	}
	var view, campaigns *string
	if err := owner.QueryRow(ctx, `select to_regclass('influencer.my_activity')::text, to_regclass('influencer.campaigns')::text`).
		Scan(&view, &campaigns); err != nil {
		t.Fatal(err)
	}
	if view != nil || campaigns == nil {
		t.Fatalf("after down: influencer.my_activity %v, influencer.campaigns %v", view, campaigns)
	}

	if _, err := m.Up(ctx); err != nil {
		t.Fatalf("up again: %v", err)
	}
	if err := m.CheckCurrent(ctx); err != nil {
		t.Fatal(err)
	}
	if def := viewDef(); strings.Count(def, "influencer.my_activity") != 1 || !strings.Contains(def, "streamvibe.my_activity") {
		t.Fatalf("public.my_activity after up again: %s", def)
	}

	// A timeline rebuilt without the branch: Down refuses, and its
	// transaction leaves the view of 0407 in place.
	if _, err := owner.Exec(ctx, `create or replace view public.my_activity with (security_invoker = true) as `+
		strings.TrimSuffix(strings.TrimSpace(def), ";")); err != nil {
		t.Fatal(err)
	}
	if _, err := m.DownTo(ctx, 406); err == nil || !strings.Contains(err.Error(), "no branch from influencer.my_activity to remove") {
		t.Fatalf("down without the branch: %v", err)
	}
	if err := owner.QueryRow(ctx, `select to_regclass('influencer.my_activity')::text`).Scan(&view); err != nil || view == nil {
		t.Fatalf("influencer.my_activity after the refused down: %v (err %v)", view, err)
	}
}
