package influencer_test

import (
	"testing"

	"github.com/creatorbase/creatorbase/internal/database"
)

// TestRLSMatrix: every table × (owner, another user, admin by profile,
// platform admin, anon, service role) × (select, insert, update, delete).
func TestRLSMatrix(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.setPlan(t, b.alice, "viral_surge")
	camp := b.newCampaign(t, b.alice, "keyword")
	var job string
	if err := b.Scan(user(b.alice), `insert into influencer.scraping_jobs (user_id, campaign_id, keywords, target_results)
		values ($1, $2, '["vegan snacks"]', 100) returning id`, []any{b.alice, camp}, &job); err != nil {
		t.Fatalf("job: %v", err)
	}
	b.OwnerExec(t, `insert into influencer.scraping_results (job_id, creators) values ($1, '[]')`, job)
	var sjob string
	if err := b.Scan(user(b.alice), `insert into influencer.search_jobs (user_id, search_type, keywords, target_results)
		values ($1, 'keyword', '["skincare"]', 10) returning id`, []any{b.alice}, &sjob); err != nil {
		t.Fatalf("search job: %v", err)
	}
	b.OwnerExec(t, `insert into influencer.search_results (job_id, platform, creator_username) values ($1, 'TikTok', 'miatorres.fit')`, sjob)

	who := map[string]database.Request{
		"owner": user(b.alice), "other": user(b.bob), "admin": user(b.admin), "root": user(b.root),
		"anon": anon(), "service": service(),
	}
	// select: rows of alice's visible to each caller.
	reads := []struct {
		table, where string
		want         map[string]int64 // missing: 0; -1: permission denied
	}{
		{"user_profiles", "user_id = '" + b.alice + "'", map[string]int64{"owner": 1, "admin": 1, "root": 1, "service": 1, "anon": -1}},
		{"campaigns", "user_id = '" + b.alice + "'", map[string]int64{"owner": 1, "admin": 1, "root": 1, "service": 1, "anon": -1}},
		{"scraping_jobs", "user_id = '" + b.alice + "'", map[string]int64{"owner": 1, "admin": 1, "root": 1, "service": 1, "anon": -1}},
		{"scraping_results", "job_id = '" + job + "'", map[string]int64{"owner": 1, "admin": 1, "root": 1, "service": 1, "anon": -1}},
		{"search_jobs", "user_id = '" + b.alice + "'", map[string]int64{"owner": 1, "admin": 1, "root": 1, "service": 1, "anon": -1}},
		{"search_results", "job_id = '" + sjob + "'", map[string]int64{"owner": 1, "admin": 1, "root": 1, "service": 1, "anon": -1}},
		{"subscription_plans", "true", map[string]int64{"owner": 4, "other": 4, "admin": 4, "root": 4, "service": 4, "anon": 4}},
		{"system_configurations", "false", map[string]int64{"owner": -1, "other": -1, "admin": -1, "root": -1, "anon": -1}},
		{"events", "aggregate_id = '" + b.alice + "'", map[string]int64{"owner": 1, "root": 1, "service": 1, "anon": -1}},
	}
	for _, rd := range reads {
		for name, req := range who {
			want := rd.want[name]
			n, err := b.Exec(req, true, "select 1 from influencer."+rd.table+" where "+rd.where)
			switch {
			case want == -1 && err == nil:
				t.Errorf("%s read %s", name, rd.table)
			case want >= 0 && err != nil:
				t.Errorf("%s select %s: %v", name, rd.table, err)
			case want >= 0 && n != want:
				t.Errorf("%s sees %d rows of %s, want %d", name, n, rd.table, want)
			}
		}
	}

	// writes: statement → who may do it (others: refused or 0 rows).
	writes := []struct {
		name, sql string
		allowed   map[string]bool
	}{
		{"insert own campaign", `insert into influencer.campaigns (user_id, name, search_type) values ('` + b.alice + `', 'x', 'keyword')`,
			map[string]bool{"owner": true, "service": true}},
		{"update campaign", `update influencer.campaigns set name = 'y' where id = '` + camp + `'`, map[string]bool{"owner": true, "service": true}},
		{"delete campaign", `delete from influencer.campaigns where id = '` + camp + `'`, map[string]bool{"owner": true, "service": true}},
		{"update profile name", `update influencer.user_profiles set company_name = 'Acme' where user_id = '` + b.alice + `'`,
			map[string]bool{"owner": true, "service": true}},
		{"make self admin", `update influencer.user_profiles set is_admin = true where user_id = '` + b.alice + `'`, map[string]bool{"service": true}},
		{"change own plan", `update influencer.user_profiles set current_plan = 'fame_flex' where user_id = '` + b.alice + `'`, map[string]bool{"service": true}},
		{"reset own usage", `update influencer.user_profiles set usage_creators_current_month = 0 where user_id = '` + b.alice + `'`, map[string]bool{"service": true}},
		{"delete profile", `delete from influencer.user_profiles where user_id = '` + b.alice + `'`, map[string]bool{"service": true}},
		{"job progress", `update influencer.scraping_jobs set processed_results = 5 where id = '` + job + `'`, map[string]bool{"service": true}},
		{"job status", `update influencer.scraping_jobs set status = 'processing' where id = '` + job + `'`, map[string]bool{"service": true}},
		{"delete job", `delete from influencer.scraping_jobs where id = '` + job + `'`, map[string]bool{"service": true}},
		{"insert result", `insert into influencer.scraping_results (job_id, creators, page_cursor) values ('` + job + `', '[]', 7)`, map[string]bool{"service": true}},
		{"delete result", `delete from influencer.scraping_results where job_id = '` + job + `'`, map[string]bool{"service": true}},
		{"search job status", `update influencer.search_jobs set status = 'processing' where id = '` + sjob + `'`, map[string]bool{"service": true}},
		{"insert search result", `insert into influencer.search_results (job_id, platform, creator_username) values ('` + sjob + `', 'YouTube', 'x')`, map[string]bool{"service": true}},
		{"change plan price", `update influencer.subscription_plans set monthly_price = 1 where plan_key = 'free'`, map[string]bool{"service": true}},
		{"write configurations view", `delete from influencer.system_configurations`, map[string]bool{}},
	}
	for _, w := range writes {
		for name, req := range who {
			n, err := b.Exec(req, true, w.sql)
			ok := err == nil && n > 0
			if ok != w.allowed[name] {
				t.Errorf("%s: %s: done=%v (rows %d, err %v)", w.name, name, ok, n, err)
			}
		}
	}
	// Inserting a job, a campaign or a profile for someone else is refused.
	for _, sql := range []string{
		`insert into influencer.campaigns (user_id, name, search_type) values ('` + b.bob + `', 'x', 'keyword')`,
		`insert into influencer.scraping_jobs (user_id, keywords, target_results) values ('` + b.bob + `', '["x"]', 5)`,
		`insert into influencer.user_profiles (user_id) values ('` + b.root + `')`,
	} {
		if _, err := b.Exec(user(b.alice), true, sql); err == nil {
			t.Errorf("alice: %s succeeded", oneLine(sql))
		}
	}
	// Users can make their own profile.
	if _, err := b.Exec(user(b.root), true, `insert into influencer.user_profiles (user_id, full_name) values ($1, 'Root')`, b.root); err != nil {
		t.Errorf("own profile: %v", err)
	}
}
