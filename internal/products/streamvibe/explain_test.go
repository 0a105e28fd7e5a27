package streamvibe_test

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// TestContentPolicyPlan loads 100,000 content items (alice: 1,000 on one
// account; 99,000 on 20 other users' accounts) and checks that alice's
// listing, filtered only by RLS, is an index scan on
// (social_account_id, published_at desc) and not a scan of the table. The
// plans are logged (go test -v -run TestContentPolicyPlan).
func TestContentPolicyPlan(t *testing.T) {
	if testing.Short() {
		t.Skip("loads 100k rows")
	}
	t.Parallel()
	b := setup(t)
	c := b.connect(t, b.alice, "youtube")
	b.OwnerExec(t, `insert into streamvibe.content_item (social_account_id, content_type_id, platform_content_id, title, tags, published_at)
		select $1, (select id from streamvibe.content_type where slug = 'short_video'), 'a' || g, 'Alice video ' || g, '{alice}',
		       now() - g * interval '1 hour'
		from generate_series(1, 999) g`, c.account)
	for i := 0; i < 20; i++ {
		u := b.NewUser(t, "u"+newUUID()[:8]+"@example.com")
		var acct string
		b.OwnerScan(t, `insert into streamvibe.social_account (user_id, platform_id, account_name, visibility)
			select $1, id, 'Other', 'private' from streamvibe.platform where slug = 'tiktok' returning id`, []any{u}, &acct)
		b.OwnerExec(t, `insert into streamvibe.content_item (social_account_id, content_type_id, platform_content_id, title, published_at)
			select $1, (select id from streamvibe.content_type where slug = 'short_video'), 'o' || g, 'Other video ' || g,
			       now() - g * interval '1 minute'
			from generate_series(1, 4950) g`, acct)
	}
	if n := b.OwnerInt(t, `select count(*) from streamvibe.content_item`); n != 100000 {
		t.Fatalf("%d items, want 100000", n)
	}
	b.OwnerExec(t, `analyze streamvibe.content_item; analyze streamvibe.social_account; analyze streamvibe.user_setting`)

	queries := []string{
		`select id, title, published_at from streamvibe.content_item order by published_at desc limit 20`,
		`select id, title, published_at from streamvibe.content_item where social_account_id = '` + c.account + `' order by published_at desc limit 20`,
		`select count(*) from streamvibe.content_item`,
	}
	for _, q := range queries {
		var plan []string
		err := b.Runner.Do(context.Background(), user(b.alice), func(ctx context.Context, tx pgx.Tx) error {
			rows, err := tx.Query(ctx, `explain (analyze, buffers, costs off) `+q)
			if err != nil {
				return err
			}
			plan, err = pgx.CollectRows(rows, pgx.RowTo[string])
			return err
		})
		if err != nil {
			t.Fatalf("explain: %v", err)
		}
		text := strings.Join(plan, "\n")
		t.Logf("%s\n%s", q, text)
		if strings.Contains(text, "Seq Scan on content_item") {
			t.Errorf("sequential scan of content_item for %s", q)
		}
	}
	var n int
	b.MustScan(t, user(b.alice), `select count(*) from streamvibe.content_item`, nil, &n)
	if n != 1000 {
		t.Fatalf("alice sees %d items, want 1000", n)
	}
}
