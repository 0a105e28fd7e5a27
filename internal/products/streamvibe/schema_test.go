package streamvibe_test

import (
	"testing"
)

// TestLookupsSeeded checks the seed's lookup records, as anon reads them.
func TestLookupsSeeded(t *testing.T) {
	t.Parallel()
	b := setup(t)
	cases := []struct {
		view string
		want string
	}{
		{"platform", "facebook,instagram,tiktok,twitter,youtube"},
		{"content_type", "carousel,image,long_video,post,reel,short_video,story"},
		{"subscription_tier", "basic,free,premium"},
		{"subscription_status", "active,canceled,past_due,paused,trialing"},
		{"account_status", "active,disconnected,inactive,suspended"},
		{"ai_provider", "anthropic,google,local,openai"},
		{"search_engine", "bing,google,indexnow,yandex"},
	}
	for _, tc := range cases {
		var got string
		b.MustScan(t, anon(), `select string_agg(slug, ',' order by slug) from streamvibe.`+tc.view, nil, &got)
		if got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.view, got, tc.want)
		}
	}
	var models int
	b.MustScan(t, anon(), `select count(*) from streamvibe.ai_model where model_name is not null and input_cost_per_1k_tokens >= 0`, nil, &models)
	if models == 0 {
		t.Errorf("ai_model: no models")
	}
	// Every user has settings and a free, active subscription from signup.
	if n := b.OwnerInt(t, `select count(*) from streamvibe.subscription s join streamvibe.subscription_tier t on t.id = s.tier_id
		join streamvibe.user_setting u using (user_id) where t.slug = 'free' and s.user_id = any($1)`, []string{b.alice, b.bob, b.admin}); n != 3 {
		t.Errorf("signup: %d users with settings and a free subscription, want 3", n)
	}
	// RLS is on for every table of the schema.
	if n := b.OwnerInt(t, `select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace
		where n.nspname = 'streamvibe' and c.relkind = 'r' and not c.relrowsecurity`); n != 0 {
		t.Errorf("%d streamvibe tables without RLS", n)
	}
}
