package avenue_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/creatorbase/creatorbase/internal/jobs"
	"github.com/creatorbase/creatorbase/internal/products/avenue"
)

// newService lists a mixing service of seller's with two packages.
func (b *testBundle) newService(t *testing.T, seller string) string {
	t.Helper()
	var id string
	b.MustScan(t, user(seller), `insert into producers_avenue.services (seller_id, title, slug, service_type, status, packages)
		values (auth.uid(), 'Mixing', 'mixing-'||substr(md5(random()::text), 1, 6), 'mixing', 'active',
		'[{"name": "Basic", "price": 60, "delivery_days": 3, "revisions": 1, "features": ["stereo mix"]},
		  {"name": "Pro", "price": 150, "delivery_days": 5, "revisions": 3, "features": ["stems"]}]') returning id`, nil, &id)
	return id
}

func TestOrderStateMachine(t *testing.T) {
	t.Parallel()
	b := setup(t)
	svc := b.newService(t, b.alice)
	var order string
	var price float64
	var revisions int
	b.MustScan(t, user(b.bob), `insert into producers_avenue.orders (service_id, buyer_id, package_name, requirements)
		values ($1, auth.uid(), 'Basic', 'trap mix, 140 bpm') returning id, package_price, revisions_included`, []any{svc}, &order, &price, &revisions)
	if price != 60 || revisions != 1 {
		t.Fatalf("snapshot %v %d", price, revisions)
	}
	// Changing the package afterwards leaves the order's terms alone.
	b.MustExec(t, user(b.alice), `update producers_avenue.services set packages = jsonb_set(packages, '{0,price}', '99') where id = $1`, svc)
	move := func(who, status string) error {
		_, err := b.Exec(user(who), false, `update producers_avenue.orders set status = $2 where id = $1`, order, status)
		return err
	}
	wantError(t, move(b.bob, "in_progress"), "42501", "the buyer cannot move an order from pending to in_progress")
	wantError(t, move(b.alice, "in_progress"), "23514", "not paid yet")
	_, err := b.purchase("order-pay", b.bob, "service", order, 6000, "stripe")
	if err != nil {
		t.Fatal(err)
	}
	if err := move(b.alice, "in_progress"); err != nil {
		t.Fatal(err)
	}
	wantError(t, move(b.bob, "delivered"), "42501", "the buyer cannot move")
	wantError(t, move(b.alice, "completed"), "23514", "cannot go from in_progress to completed")
	// A stranger sees nothing to update.
	carol := b.NewUserMeta(t, "carol@example.com", `{}`)
	if n, _ := b.Exec(user(carol), false, `update producers_avenue.orders set status = 'cancelled' where id = $1`, order); n != 0 {
		t.Fatal("a stranger changed the order")
	}
	_, err = b.Exec(user(b.bob), false, `update producers_avenue.orders set delivery_notes = 'fake' where id = $1`, order)
	wantError(t, err, "42501", "only the seller delivers")
	if err := move(b.alice, "delivered"); err != nil {
		t.Fatal(err)
	}
	wantError(t, move(b.alice, "revision_requested"), "42501", "the seller cannot move")
	if err := move(b.bob, "revision_requested"); err != nil {
		t.Fatal(err)
	}
	if err := move(b.alice, "delivered"); err != nil {
		t.Fatal(err)
	}
	wantError(t, move(b.bob, "revision_requested"), "23514", "no revisions left: 1 of 1 used")
	if err := move(b.bob, "completed"); err != nil {
		t.Fatal(err)
	}
	wantError(t, move(b.alice, "refunded"), "23514", "refund_purchase")
	var status string
	var used int
	var approved bool
	b.OwnerScan(t, `select status, revisions_used, buyer_approved from producers_avenue.orders where id = $1`, []any{order}, &status, &used, &approved)
	if status != "completed" || used != 1 || !approved {
		t.Fatalf("order %s %d %v", status, used, approved)
	}
	// The buyer reviews; only the seller responds.
	var review string
	b.MustScan(t, user(b.bob), `insert into producers_avenue.reviews (reviewer_id, reviewable_type, reviewable_id, rating, review_text)
		values (auth.uid(), 'service', $1, 5, 'clean mix') returning id`, []any{svc}, &review)
	_, err = b.Exec(user(b.bob), false, `update producers_avenue.reviews set seller_response = 'thanks me' where id = $1`, review)
	wantError(t, err, "42501", "only the seller responds")
	_, err = b.Exec(user(b.alice), false, `update producers_avenue.reviews set rating = 1 where id = $1`, review)
	wantError(t, err, "42501", "only the reviewer")
	b.MustExec(t, user(b.alice), `update producers_avenue.reviews set seller_response = 'thank you!' where id = $1`, review)
	var rating float64
	var reviews int
	b.OwnerScan(t, `select rating_average, reviews_count from producers_avenue.services where id = $1`, []any{svc}, &rating, &reviews)
	if rating != 5 || reviews != 1 {
		t.Fatalf("service rating %v (%d)", rating, reviews)
	}
	// Refund after completion: the order becomes refunded.
	var txID string
	b.OwnerScan(t, `select transaction_id from producers_avenue.orders where id = $1`, []any{order}, &txID)
	if _, err := b.money(t, nil, `select producers_avenue.refund_purchase('order-refund', $1)`, txID); err != nil {
		t.Fatal(err)
	}
	b.OwnerScan(t, `select status from producers_avenue.orders where id = $1`, []any{order}, &status)
	if status != "refunded" {
		t.Fatalf("order after refund %s", status)
	}
	b.noViolations(t)
}

func TestReviews(t *testing.T) {
	t.Parallel()
	b := setup(t)
	beat := b.newProduct(t, b.alice, "sunset-beat", "25.00")
	review := func(who string, rating int) error {
		_, err := b.Exec(user(who), false, `insert into producers_avenue.reviews (reviewer_id, reviewable_type, reviewable_id, rating)
			values (auth.uid(), 'product', $1, $2)`, beat, rating)
		return err
	}
	wantError(t, review(b.bob, 5), "23514", "only buyers review: no completed purchase of this product found")
	wantError(t, review(b.alice, 5), "23514", "you cannot review your own product")
	if _, err := b.purchase("rv-1", b.bob, "product", beat, 2500, "stripe"); err != nil {
		t.Fatal(err)
	}
	if err := review(b.bob, 4); err != nil {
		t.Fatal(err)
	}
	wantError(t, review(b.bob, 5), "23505", "reviews_one_per_reviewer")
	// Concurrent reviews keep count and average exact.
	var wg sync.WaitGroup
	for i := range 10 {
		buyer := b.NewUserMeta(t, fmt.Sprintf("rv%d@example.com", i), `{}`)
		if _, err := b.purchase(fmt.Sprintf("rv-b%d", i), buyer, "product", beat, 2500, "paypal"); err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := review(buyer, 1+i%5); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	var count int
	var avg, want float64
	b.OwnerScan(t, `select reviews_count, rating_average from producers_avenue.products where id = $1`, []any{beat}, &count, &avg)
	b.OwnerScan(t, `select round(avg(rating), 2) from producers_avenue.reviews where reviewable_id = $1`, []any{beat}, &want)
	if count != 11 || avg != want {
		t.Fatalf("reviews_count %d rating_average %v, want 11 %v", count, avg, want)
	}
	var verified bool
	b.OwnerScan(t, `select bool_and(is_verified_purchase) from producers_avenue.reviews`, nil, &verified)
	if !verified {
		t.Fatal("unverified review")
	}
}

func TestWebinars(t *testing.T) {
	t.Parallel()
	b := setup(t)
	var webinar string
	b.MustScan(t, user(b.alice), `insert into producers_avenue.webinars (host_id, title, slug, scheduled_at, price, max_attendees, room_id)
		values (auth.uid(), 'Mixing 808s', 'mixing-808s', now() + interval '2 days', 0, 5, 'room-808') returning id`, nil, &webinar)
	_, err := b.Exec(user(b.alice), false, `update producers_avenue.webinars set co_hosts = array[$2::uuid] where id = $1`, webinar, b.bob)
	wantError(t, err, "23514", "co-hosts need a Premium plan")
	// 12 people race for 5 seats.
	var wg sync.WaitGroup
	var mu sync.Mutex
	full := 0
	for i := range 12 {
		u := b.NewUserMeta(t, fmt.Sprintf("w%d@example.com", i), `{}`)
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := b.Exec(user(u), false, `insert into producers_avenue.webinar_registrations (webinar_id, user_id) values ($1, auth.uid())`, webinar)
			if err != nil {
				if sqlState(err) != "23514" {
					t.Error(err)
				}
				mu.Lock()
				full++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	var regs int
	b.OwnerScan(t, `select registrations_count from producers_avenue.webinars where id = $1`, []any{webinar}, &regs)
	if regs != 5 || full != 7 {
		t.Fatalf("%d registered, %d refused", regs, full)
	}
	// The room is for registrants only.
	_, err = b.Exec(user(b.bob), false, `select * from producers_avenue.webinar_access($1)`, webinar)
	wantError(t, err, "42501", "register for this webinar")
	// The recording becomes a product only on the host's request.
	b.MustExec(t, user(b.alice), `update producers_avenue.webinars set status = 'ended', recording_url = 'https://cdn.example/rec.mp4', recording_available = true where id = $1`, webinar)
	var products int
	b.OwnerScan(t, `select count(*) from producers_avenue.products where source_webinar_id = $1`, []any{webinar}, &products)
	if products != 0 {
		t.Fatal("recording became a product by itself")
	}
	_, err = b.Exec(user(b.bob), false, `select producers_avenue.convert_webinar_recording($1, 15)`, webinar)
	wantError(t, err, "42501", "only the webinar's host")
	var product, ptype string
	b.MustScan(t, user(b.alice), `select producers_avenue.convert_webinar_recording($1, 15)`, []any{webinar}, &product)
	b.OwnerScan(t, `select product_type from producers_avenue.products where id = $1`, []any{product}, &ptype)
	if ptype != "recorded_webinar" {
		t.Fatalf("product type %s", ptype)
	}
	_, err = b.Exec(user(b.alice), false, `select producers_avenue.convert_webinar_recording($1, 15)`, webinar)
	wantError(t, err, "23505", "already a product")
}

// The periodic River job releases held shares.
func TestReleaseJob(t *testing.T) {
	t.Parallel()
	b := setup(t)
	beat := b.newProduct(t, b.alice, "job-beat", "40.00")
	s, err := b.purchase("job-1", b.bob, "product", beat, 4000, "stripe")
	if err != nil {
		t.Fatal(err)
	}
	// Pretend the hold started 8 days ago.
	b.OwnerExec(t, `update producers_avenue.transactions set available_at = now() - interval '1 day' where id = $1`, s.TransactionID)
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, b.DB.OwnerURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	reg := jobs.NewRegistry()
	avenue.RegisterJobs(reg, pool, time.Hour)
	c, err := jobs.New(pool, reg, jobs.Options{Workers: true, TestOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	done, cancel := c.Subscribe("job_completed")
	defer cancel()
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		_ = c.Stop(sctx)
	})
	select {
	case ev := <-done:
		if ev.Job.Kind != (avenue.ReleaseArgs{}).Kind() {
			t.Fatalf("unexpected job %s", ev.Job.Kind)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("release job did not run")
	}
	if w := b.wallet(t, b.alice); w.available != s.AmountSeller || w.pending != 0 {
		t.Fatalf("after job %+v", w)
	}
	b.noViolations(t)
}
