package influencer_test

import (
	"testing"
)

// TestOwnEvents (0406): a brand reads its own trial history through
// influencer.events; another brand and anon do not, and the policy opens
// nothing of other products' events, even about the same user.
func TestOwnEvents(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.MustExec(t, user(b.alice), `update influencer.user_profiles set onboarding_step = 'intent_captured', intended_plan = 'glow_up' where user_id = $1`, b.alice)
	b.MustExec(t, user(b.alice), `update influencer.user_profiles set onboarding_step = 'completed' where user_id = $1`, b.alice)
	// Another product's event about alice, and a non-product event keyed
	// like alice's own but of another aggregate type.
	b.OwnerExec(t, `select events.append_event('user', $1, 'user_registered', '{"product": "creatorpulse"}', 'creatorpulse:user_registered:' || $1, 'user_action')`, b.alice)
	b.OwnerExec(t, `select events.append_event('subscription', $1, 'subscription_created', '{}', 'influencer:subscription_created:' || $1, 'stripe_webhook')`, b.alice)

	types := func(uid string) []string {
		t.Helper()
		var got []string
		if err := b.Scan(user(uid), `select coalesce(array_agg(event_type::text order by event_type), '{}') from influencer.events where aggregate_id = $1`,
			[]any{b.alice}, &got); err != nil {
			t.Fatalf("read events: %v", err)
		}
		return got
	}
	got := types(b.alice)
	want := []string{"onboarding_completed", "trial_started", "user_registered"}
	if len(got) != len(want) {
		t.Fatalf("alice sees %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("alice sees %v, want %v", got, want)
		}
	}
	if got := types(b.bob); len(got) != 0 {
		t.Fatalf("bob sees alice's events %v", got)
	}
	if n, err := b.Exec(user(b.bob), true, `select 1 from influencer.events`); err != nil || n != 1 {
		t.Fatalf("bob sees %d events (err %v), want his own user_registered", n, err)
	}
	if _, err := b.Exec(anon(), true, `select 1 from influencer.events`); err == nil {
		t.Fatal("anon reads influencer.events")
	}
	if _, err := b.Exec(anon(), true, `select 1 from events.events`); err == nil {
		t.Fatal("anon reads events.events")
	}
	// Directly on events.events: only the influencer user events of hers.
	if n, err := b.Exec(user(b.alice), true, `select 1 from events.events where not starts_with(idempotency_key, 'influencer:') or aggregate_type not in ('user', 'onboarding')`); err != nil || n != 0 {
		t.Fatalf("alice sees %d events of other products or aggregates (err %v)", n, err)
	}
	if n, err := b.Exec(user(b.alice), true, `select 1 from events.events`); err != nil || n != 3 {
		t.Fatalf("alice sees %d events in events.events (err %v), want 3", n, err)
	}
	// Still read-only for her.
	if n, err := b.Exec(user(b.alice), true, `update events.events set processing_status = 'processed' where aggregate_id = $1`, b.alice); err == nil && n > 0 {
		t.Fatal("alice updated her events")
	}
	// Platform admins still see everything about her.
	if n, err := b.Exec(user(b.root), true, `select 1 from events.events where aggregate_id = $1`, b.alice); err != nil || n != 5 {
		t.Fatalf("platform admin sees %d of alice's events (err %v), want 5", n, err)
	}
}
