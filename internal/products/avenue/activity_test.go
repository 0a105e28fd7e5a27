package avenue_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/creatorbase/creatorbase/internal/dbtest"
)

// myActivity returns who's Producers Avenue rows in view (one of
// public.my_activity, producers_avenue.my_activity), by kind.
func (b *testBundle) myActivity(t *testing.T, who, view string) map[string][]dbtest.ActivityRow {
	t.Helper()
	got := map[string][]dbtest.ActivityRow{}
	for _, r := range b.Activity(t, who, view, "producers_avenue") {
		got[r.Kind] = append(got[r.Kind], r)
	}
	return got
}

// activityKinds returns kind:count of who's Producers Avenue rows in
// view, sorted by kind.
func (b *testBundle) activityKinds(t *testing.T, who, view string) string {
	t.Helper()
	return b.ActivityKinds(t, who, view, "producers_avenue")
}

// TestMyActivity: alice does one thing of every kind (bob does some of the
// same to her things), and each happening is one row in the doer's
// timeline only.
func TestMyActivity(t *testing.T) {
	t.Parallel()
	b := setup(t)

	// A fresh signup (profile, subscription, wallet) is no activity.
	for _, view := range []string{"public.my_activity", "producers_avenue.my_activity"} {
		if got := b.activityKinds(t, b.alice, view); got != "" {
			t.Fatalf("fresh alice's %s: %s", view, got)
		}
	}

	// Bob's things for alice to act on.
	var bobPost, bobGroup, bobWebinar string
	b.MustScan(t, user(b.bob), `insert into producers_avenue.posts (user_id, content) values (auth.uid(), 'bob beat') returning id`, nil, &bobPost)
	b.MustScan(t, user(b.bob), `insert into producers_avenue.groups (owner_id, name, slug) values (auth.uid(), 'Bob Crew', 'bob-crew') returning id`, nil, &bobGroup)
	b.MustScan(t, user(b.bob), `insert into producers_avenue.webinars (host_id, title, slug, scheduled_at)
		values (auth.uid(), 'Bob Live', 'bob-live', now() + interval '1 day') returning id`, nil, &bobWebinar)
	bobService := b.newService(t, b.bob)
	bobProduct := b.newProduct(t, b.bob, "bob-loop-kit", "25.00")

	// Alice's doing, one of each kind.
	var post, comment, group, membership, groupPost, webinar, registration, order, review, follow string
	b.MustScan(t, user(b.alice), `insert into producers_avenue.posts (user_id, content) values (auth.uid(), 'new beat out') returning id`, nil, &post)
	b.MustScan(t, user(b.alice), `insert into producers_avenue.comments (post_id, user_id, content) values ($1, auth.uid(), 'fire') returning id`,
		[]any{bobPost}, &comment)
	b.MustScan(t, user(b.alice), `insert into producers_avenue.groups (owner_id, name, slug) values (auth.uid(), 'Alice Crew', 'alice-crew') returning id`, nil, &group)
	b.MustScan(t, user(b.alice), `insert into producers_avenue.group_members (group_id, user_id) values ($1, auth.uid()) returning id`,
		[]any{bobGroup}, &membership)
	b.MustScan(t, user(b.alice), `insert into producers_avenue.group_posts (group_id, user_id, content) values ($1, auth.uid(), 'hi crew') returning id`,
		[]any{bobGroup}, &groupPost)
	kit := b.newProduct(t, b.alice, "alice-drum-kit", "100.00")
	// A listing soft-deleted (status 'deleted') leaves the timeline.
	old := b.newProduct(t, b.alice, "alice-old-kit", "10.00")
	b.MustExec(t, user(b.alice), `update producers_avenue.products set status = 'deleted' where id = $1`, old)
	svc := b.newService(t, b.alice)
	svcSlug := b.OwnerString(t, `select slug from producers_avenue.services where id = $1`, svc)
	b.MustScan(t, user(b.alice), `insert into producers_avenue.webinars (host_id, title, slug, scheduled_at)
		values (auth.uid(), 'Mixing Live', 'mixing-live', now() + interval '2 days') returning id`, nil, &webinar)
	b.MustScan(t, user(b.alice), `insert into producers_avenue.webinar_registrations (webinar_id, user_id) values ($1, auth.uid()) returning id`,
		[]any{bobWebinar}, &registration)
	b.MustScan(t, user(b.alice), `insert into producers_avenue.orders (service_id, buyer_id, package_name) values ($1, auth.uid(), 'Basic') returning id`,
		[]any{bobService}, &order)
	bought, err := b.purchase("act-buy", b.alice, "product", bobProduct, 2500, "stripe")
	if err != nil {
		t.Fatal(err)
	}
	b.MustScan(t, user(b.alice), `insert into producers_avenue.reviews (reviewer_id, reviewable_type, reviewable_id, rating)
		values (auth.uid(), 'product', $1, 4) returning id`, []any{bobProduct}, &review)
	b.MustScan(t, user(b.alice), `insert into producers_avenue.followers (follower_id, following_id) values (auth.uid(), $1) returning id`,
		[]any{b.bob}, &follow)

	// Bob's doing to alice's things: his happenings, not hers.
	b.MustExec(t, user(b.bob), `insert into producers_avenue.comments (post_id, user_id, content) values ($1, auth.uid(), 'thanks')`, post)
	b.MustExec(t, user(b.bob), `insert into producers_avenue.followers (follower_id, following_id) values (auth.uid(), $1)`, b.alice)
	b.MustExec(t, user(b.bob), `insert into producers_avenue.group_members (group_id, user_id) values ($1, auth.uid())`, group)
	// Bob orders alice's service and pays; alice delivers.
	var bobOrder string
	b.MustScan(t, user(b.bob), `insert into producers_avenue.orders (service_id, buyer_id, package_name) values ($1, auth.uid(), 'Basic') returning id`,
		[]any{svc}, &bobOrder)
	if _, err := b.purchase("act-order", b.bob, "service", bobOrder, 6000, "stripe"); err != nil {
		t.Fatal(err)
	}
	for _, status := range []string{"in_progress", "delivered"} {
		b.MustExec(t, user(b.alice), `update producers_avenue.orders set status = $2 where id = $1`, bobOrder, status)
	}
	// Bob buys alice's kit; after the hold alice withdraws.
	if _, err := b.purchase("act-kit", b.bob, "product", kit, 10000, "stripe"); err != nil {
		t.Fatal(err)
	}
	b.release(t, "act-release", time.Now().Add(8*24*time.Hour))
	b.enablePayouts(t, b.alice)
	p, err := b.money(t, b.alice, `select producers_avenue.request_payout('act-payout', auth.uid(), 5000, 'stripe')`)
	if err != nil {
		t.Fatal(err)
	}
	payout := p["payout_id"].(string)

	want := map[string]struct {
		entity  string
		details map[string]any
	}{
		"post_published":       {post, map[string]any{"post_type": "text"}},
		"comment_written":      {comment, map[string]any{"post_id": bobPost, "parent_comment_id": nil}},
		"group_created":        {group, map[string]any{"name": "Alice Crew", "slug": "alice-crew", "visibility": "public"}},
		"group_joined":         {membership, map[string]any{"group_id": bobGroup, "role": "member"}},
		"group_post_published": {groupPost, map[string]any{"group_id": bobGroup, "post_type": "text", "is_approved": true}},
		"product_listed":       {kit, map[string]any{"title": "alice-drum-kit", "slug": "alice-drum-kit", "price_cents": 10000, "status": "active"}},
		"service_listed":       {svc, map[string]any{"title": "Mixing", "slug": svcSlug, "service_type": "mixing", "status": "active"}},
		"webinar_scheduled":    {webinar, map[string]any{"title": "Mixing Live", "slug": "mixing-live", "price_cents": 0, "status": "upcoming"}},
		"webinar_registered":   {registration, map[string]any{"webinar_id": bobWebinar, "payment_status": "free"}},
		"order_placed":         {order, map[string]any{"service_id": bobService, "package_name": "Basic", "price_cents": 6000, "status": "pending"}},
		"order_delivered":      {bobOrder, map[string]any{"service_id": svc, "package_name": "Basic", "status": "delivered"}},
		"product_purchased":    {bought.TransactionID, map[string]any{"product_id": bobProduct, "amount_cents": 2500, "status": "completed"}},
		"review_written":       {review, map[string]any{"reviewable_type": "product", "reviewable_id": bobProduct, "rating": 4}},
		"user_followed":        {follow, map[string]any{"following_id": b.bob}},
		"payout_requested":     {payout, map[string]any{"amount_cents": 5000, "method": "stripe", "status": "pending"}},
	}
	for _, view := range []string{"public.my_activity", "producers_avenue.my_activity"} {
		got := b.myActivity(t, b.alice, view)
		for kind, w := range want {
			rows := got[kind]
			if len(rows) != 1 {
				t.Errorf("alice's %s: %d %s rows, want 1", view, len(rows), kind)
				continue
			}
			if rows[0].Entity != w.entity {
				t.Errorf("alice's %s: %s entity_id %s, want %s", view, kind, rows[0].Entity, w.entity)
			}
			if rows[0].At.IsZero() {
				t.Errorf("alice's %s: %s has no occurred_at", view, kind)
			}
			if !dbtest.SameJSON(rows[0].Details, w.details) {
				t.Errorf("alice's %s: %s details %v, want %v", view, kind, rows[0].Details, w.details)
			}
		}
		for kind := range got {
			if _, ok := want[kind]; !ok {
				t.Errorf("alice's %s has unexpected kind %s: %d rows", view, kind, len(got[kind]))
			}
		}
	}
	var deliveredAt time.Time
	b.OwnerScan(t, `select delivered_at from producers_avenue.orders where id = $1`, []any{bobOrder}, &deliveredAt)
	if at := b.myActivity(t, b.alice, "producers_avenue.my_activity")["order_delivered"][0].At; !at.Equal(deliveredAt) {
		t.Errorf("order_delivered at %v, want delivered_at %v", at, deliveredAt)
	}

	// Bob's timeline holds his doing only: none of alice's happenings, even
	// those on his things (her order, purchase, review and follow).
	const bobWant = "comment_written:1 group_created:1 group_joined:1 order_placed:1 post_published:1 " +
		"product_listed:1 product_purchased:1 service_listed:1 user_followed:1 webinar_scheduled:1"
	if got := b.activityKinds(t, b.bob, "public.my_activity"); got != bobWant {
		t.Fatalf("bob's timeline: %s, want %s", got, bobWant)
	}
	bobs := b.myActivity(t, b.bob, "public.my_activity")
	for kind, w := range want {
		for _, r := range bobs[kind] {
			if r.Entity == w.entity {
				t.Errorf("bob sees alice's %s %s", kind, w.entity)
			}
		}
	}
	// An admin, who may read every row underneath, sees only their own.
	if got := b.activityKinds(t, b.admin, "public.my_activity"); got != "" {
		t.Fatalf("admin sees %s", got)
	}
	// The service role may read the view, but has no user: no rows.
	if n, err := b.Exec(service(), true, `select 1 from producers_avenue.my_activity`); err != nil || n != 0 {
		t.Fatalf("service role: %d rows, %v", n, err)
	}
	for _, view := range []string{"producers_avenue.my_activity", "public.my_activity"} {
		_, err := b.Exec(anon(), true, `select 1 from `+view)
		wantError(t, err, "42501", "")
	}
	// A new signup, with all this data around, has no Producers Avenue rows.
	newcomer := b.NewUserMeta(t, "newcomer@example.com", `{"username": "newcomer"}`)
	for _, view := range []string{"public.my_activity", "producers_avenue.my_activity"} {
		if got := b.activityKinds(t, newcomer, view); got != "" {
			t.Fatalf("newcomer's %s: %s", view, got)
		}
	}
	// The other products' branches are still there.
	if n := b.OwnerInt(t, `select count(*) from pg_views where schemaname = 'public' and viewname = 'my_activity'
		and definition like '%producers_avenue.my_activity%' and definition like '%creatorpulse.my_activity%'
		and definition like '%streamvibe.my_activity%' and definition like '%tenant_joined%'`); n != 1 {
		t.Fatal("public.my_activity lost a branch")
	}
	b.noViolations(t)
}

// TestMyActivityMigrationDownUp rolls 0206 back and applies it again: with
// the migrator (down to 0205, which takes later products' migrations along),
// and alone while StreamVibe's branch, added after it, stays (as when 0206
// is applied out of order). Down takes out only its own branch, and
// refuses when that branch is missing.
func TestMyActivityMigrationDownUp(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := dbtest.New(t)
	owner := db.Owner(t)
	viewDef := func(t *testing.T) string { return db.ViewDef(t, "public.my_activity") }
	paView := func(t *testing.T) bool {
		t.Helper()
		var exists bool
		if err := owner.QueryRow(ctx, `select to_regclass('producers_avenue.my_activity') is not null`).Scan(&exists); err != nil {
			t.Fatal(err)
		}
		return exists
	}

	m := db.Migrator(t)
	if _, err := m.DownTo(ctx, 205); err != nil {
		t.Fatalf("down to 0205: %v", err)
	}
	if def := viewDef(t); strings.Contains(def, "producers_avenue") || !strings.Contains(def, "creatorpulse.my_activity") ||
		!strings.Contains(def, "tenant_joined") || paView(t) {
		t.Fatalf("after down to 0205 (view there: %v): %s", paView(t), def)
	}
	if _, err := m.Up(ctx); err != nil {
		t.Fatalf("up again: %v", err)
	}
	full := viewDef(t)
	if strings.Count(full, "producers_avenue.my_activity") != 1 || strings.Count(full, "streamvibe.my_activity") != 1 {
		t.Fatalf("after up again: %s", full)
	}

	apply := func(t *testing.T, up bool) {
		t.Helper()
		if err := m.Apply(ctx, 206, up); err != nil {
			t.Fatalf("0206 up=%v: %v", up, err)
		}
	}
	// Out of the middle (StreamVibe's branch follows it), back in at the
	// end, and out from the end.
	apply(t, false)
	without := viewDef(t)
	if strings.Contains(without, "producers_avenue") || strings.Count(without, "streamvibe.my_activity") != 1 || paView(t) {
		t.Fatalf("after 0206 down: %s", without)
	}
	apply(t, true)
	if def := viewDef(t); strings.Count(def, "producers_avenue.my_activity") != 1 || strings.Count(def, "streamvibe.my_activity") != 1 {
		t.Fatalf("after 0206 up out of order: %s", def)
	}
	apply(t, false)
	if def := viewDef(t); def != without {
		t.Fatalf("after 0206 down again: %s, want %s", def, without)
	}
	apply(t, true)

	// With the branch gone from public.my_activity, Down refuses (and
	// rolls back) rather than drop a view the timeline still needs.
	if _, err := owner.Exec(ctx, `create or replace view public.my_activity with (security_invoker = true) as `+
		strings.TrimSuffix(strings.TrimSpace(without), ";")); err != nil {
		t.Fatal(err)
	}
	if err := m.Apply(ctx, 206, false); err == nil || !strings.Contains(err.Error(), "no branch from producers_avenue.my_activity to remove") {
		t.Fatalf("0206 down without its branch: %v", err)
	}
	if !paView(t) {
		t.Fatal("the refused down dropped producers_avenue.my_activity")
	}
	if err := m.CheckCurrent(ctx); err != nil {
		t.Fatal(err)
	}
}
