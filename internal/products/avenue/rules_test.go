package avenue_test

import (
	"fmt"
	"sync"
	"testing"
)

func TestSmartLink(t *testing.T) {
	t.Parallel()
	b := setup(t)
	set := func(link string) (string, error) {
		var got *string
		err := b.Scan(user(b.alice), `update producers_avenue.user_profiles set smart_link = $1
			where user_id = auth.uid() returning smart_link`, []any{link}, &got)
		if got == nil {
			return "", err
		}
		return *got, err
	}
	for in, want := range map[string]string{
		"rolink.me/alice":              "https://rolink.me/alice",
		"https://rolink.me/alice":      "https://rolink.me/alice",
		"http://www.rolink.me/Alice":   "http://www.rolink.me/Alice",
		"HTTPS://ROLINK.ME/Alice?x=1":  "https://rolink.me/Alice?x=1",
		"  www.rolink.me/alice/tracks": "https://www.rolink.me/alice/tracks",
	} {
		got, err := set(in)
		if err != nil || got != want {
			t.Errorf("%q: got %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"https://linktr.ee/alice", "rolink.me.evil.com/x", "https://rolink.me@evil.com/", "ftp://rolink.me/x", "https://evil.com/rolink.me/"} {
		_, err := set(bad)
		wantError(t, err, "23514", "smart_link must be a rolink.me link")
	}
	if got, err := set(""); err != nil || got != "" {
		t.Fatalf("empty: %q %v", got, err)
	}
}

func TestLocationVisibility(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.MustExec(t, user(b.alice), `insert into producers_avenue.user_locations (user_id, location_city, location_country, location_coords, location_source)
		values (auth.uid(), 'Berlin', 'Germany', point(13.40495, 52.52001), 'manual')`)
	read := func(req any) (city, country, coords *string) {
		t.Helper()
		b.MustScan(t, user(b.bob), `select location_city, location_country, location_coords::text
			from producers_avenue.user_profiles where user_id = $1`, []any{b.alice}, &city, &country, &coords)
		return
	}
	str := func(p *string) string {
		if p == nil {
			return "<nil>"
		}
		return *p
	}
	for _, tc := range []struct{ vis, city, country, coords string }{
		{"exact", "Berlin", "Germany", "(13.40495,52.52001)"},
		{"city", "Berlin", "Germany", "(13.4,52.5)"},
		{"country", "<nil>", "Germany", "<nil>"},
		{"hidden", "<nil>", "<nil>", "<nil>"},
	} {
		b.MustExec(t, user(b.alice), `update producers_avenue.user_profiles set location_visibility = $1 where user_id = auth.uid()`, tc.vis)
		city, country, coords := read(nil)
		if str(city) != tc.city || str(country) != tc.country || str(coords) != tc.coords {
			t.Errorf("%s: others read %s %s %s", tc.vis, str(city), str(country), str(coords))
		}
	}
	// The precise location stays the owner's alone.
	n, err := b.Exec(user(b.bob), true, `select 1 from producers_avenue.user_locations where user_id = $1`, b.alice)
	if err != nil || n != 0 {
		t.Fatalf("bob reads alice's location: %d %v", n, err)
	}
	// GPS needs a paid plan.
	_, err = b.Exec(user(b.alice), true, `update producers_avenue.user_locations set location_source = 'gps' where user_id = auth.uid()`)
	wantError(t, err, "23514", "paid plan")
	// Nearest-neighbour search on the published point (GiST).
	var km float64
	b.MustExec(t, user(b.alice), `update producers_avenue.user_profiles set location_visibility = 'exact' where user_id = auth.uid()`)
	b.MustScan(t, anon(), `select extensions.geo_distance(location_coords, point(2.3522, 48.8566)) * 1.609344
		from producers_avenue.user_profiles where location_coords is not null order by location_coords <-> point(2.3522, 48.8566) limit 1`, nil, &km)
	if km < 870 || km > 890 {
		t.Fatalf("Berlin-Paris %.0f km", km)
	}
}

func TestFollowers(t *testing.T) {
	t.Parallel()
	b := setup(t)
	_, err := b.Exec(user(b.alice), false, `insert into producers_avenue.followers (follower_id, following_id) values ($1, $1)`, b.alice)
	wantError(t, err, "23514", "you cannot follow yourself")

	status := func(as, other string) string {
		var s string
		b.MustScan(t, user(as), `select producers_avenue.follow_status($1)`, []any{other}, &s)
		return s
	}
	b.MustExec(t, user(b.alice), `insert into producers_avenue.followers (follower_id, following_id) values (auth.uid(), $1)`, b.bob)
	if s := status(b.alice, b.bob); s != "following" {
		t.Fatalf("alice->bob %s", s)
	}
	if s := status(b.bob, b.alice); s != "follower" {
		t.Fatalf("bob->alice %s", s)
	}
	b.MustExec(t, user(b.bob), `insert into producers_avenue.followers (follower_id, following_id) values (auth.uid(), $1)`, b.alice)
	if s := status(b.alice, b.bob); s != "connected" {
		t.Fatalf("mutual %s", s)
	}
	var n int
	b.MustScan(t, anon(), `select count(*) from producers_avenue.connections where user_id = $1`, []any{b.alice}, &n)
	if n != 1 {
		t.Fatalf("connections %d", n)
	}
	// Someone else cannot make alice follow anyone.
	_, err = b.Exec(user(b.bob), false, `insert into producers_avenue.followers (follower_id, following_id) values ($1, $2)`, b.alice, b.admin)
	wantError(t, err, "42501", "")
}

// Many users follow and like at once; the counters end exact.
func TestCountersUnderConcurrency(t *testing.T) {
	t.Parallel()
	b := setup(t)
	var post string
	b.MustScan(t, user(b.alice), `insert into producers_avenue.posts (user_id, content) values (auth.uid(), 'new beat out') returning id`, nil, &post)
	const n = 24
	users := make([]string, n)
	for i := range users {
		users[i] = b.NewUserMeta(t, fmt.Sprintf("fan%d@example.com", i), `{}`)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 3*n)
	for i, u := range users {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := b.Exec(user(u), false, `insert into producers_avenue.followers (follower_id, following_id) values (auth.uid(), $1)`, b.alice)
			errs <- err
			_, err = b.Exec(user(u), false, `insert into producers_avenue.post_likes (post_id, user_id) values ($1, auth.uid())`, post)
			errs <- err
			// alice follows back half of them at the same time.
			if i%2 == 0 {
				_, err = b.Exec(user(b.alice), false, `insert into producers_avenue.followers (follower_id, following_id) values (auth.uid(), $1)`, u)
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	var followers, following, likes int
	b.OwnerScan(t, `select followers_count, following_count from producers_avenue.user_profiles where user_id = $1`, []any{b.alice}, &followers, &following)
	b.OwnerScan(t, `select likes_count from producers_avenue.posts where id = $1`, []any{post}, &likes)
	if followers != n || following != n/2 || likes != n {
		t.Fatalf("followers %d following %d likes %d, want %d %d %d", followers, following, likes, n, n/2, n)
	}
	// Users cannot write counters.
	_, err := b.Exec(user(b.alice), false, `update producers_avenue.posts set likes_count = 1000 where id = $1`, post)
	wantError(t, err, "42501", "")
	b.MustExec(t, user(users[0]), `delete from producers_avenue.post_likes where post_id = $1 and user_id = auth.uid()`, post)
	b.OwnerScan(t, `select likes_count from producers_avenue.posts where id = $1`, []any{post}, &likes)
	if likes != n-1 {
		t.Fatalf("likes after unlike %d", likes)
	}
}

func TestCustomFieldRequests(t *testing.T) {
	t.Parallel()
	b := setup(t)
	var category string
	b.OwnerScan(t, `select id from producers_avenue.categories where slug = 'musician'`, nil, &category)
	requesters := make([]string, 5)
	for i := range requesters {
		requesters[i] = b.NewUserMeta(t, fmt.Sprintf("req%d@example.com", i), `{}`)
	}
	request := func(who, typ, value string, cat any) (string, int) {
		t.Helper()
		var status string
		var count int
		b.MustScan(t, user(who), `select status, request_count from producers_avenue.request_custom_field($1, $2, $3)`,
			[]any{typ, value, cat}, &status, &count)
		return status, count
	}
	skillVisible := func(as string) bool {
		var n int
		b.MustScan(t, user(as), `select count(*) from producers_avenue.skills where name = 'Tamburica'`, nil, &n)
		return n == 1
	}
	// Skills: 3 distinct requesters. A repeat by the same person counts once.
	if s, c := request(requesters[0], "skill", "Tamburica", category); s != "pending" || c != 1 {
		t.Fatalf("first: %s %d", s, c)
	}
	if s, c := request(requesters[0], "skill", " tamburica ", category); s != "pending" || c != 1 {
		t.Fatalf("repeat: %s %d", s, c)
	}
	// A direct insert (supabase-js insert) joins the same request.
	b.MustExec(t, user(requesters[1]), `insert into producers_avenue.custom_field_requests (field_type, field_value, category_id) values ('skill', 'Tamburica', $1)`, category)
	var seen int
	b.MustScan(t, user(requesters[1]), `select count(*) from producers_avenue.custom_field_requests`, nil, &seen)
	if seen != 0 || skillVisible(requesters[1]) {
		t.Fatal("a pending request or its skill is visible to users")
	}
	if s, c := request(requesters[2], "skill", "Tamburica", category); s != "auto_approved" || c != 3 {
		t.Fatalf("third: %s %d", s, c)
	}
	if !skillVisible(b.bob) {
		t.Fatal("approved skill not visible")
	}
	var notified int
	b.OwnerScan(t, `select count(*) from producers_avenue.notifications where type = 'custom_field' and user_id = any($1::uuid[])`,
		[]any{requesters[:3]}, &notified)
	if notified != 3 {
		t.Fatalf("notified %d requesters, want 3", notified)
	}
	// Genres need 5, requested concurrently.
	var wg sync.WaitGroup
	for _, r := range requesters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			request(r, "genre", "Sevdah", nil)
		}()
	}
	wg.Wait()
	var genre int
	b.OwnerScan(t, `select count(*) from producers_avenue.genres where name = 'Sevdah'`, nil, &genre)
	if genre != 1 {
		t.Fatal("genre not auto-approved after 5 concurrent requests")
	}
	// Categories wait for an admin, however many ask.
	for _, r := range requesters {
		request(r, "category", "Luthier", nil)
	}
	var status string
	b.MustScan(t, user(b.admin), `select status from producers_avenue.custom_field_requests where field_value = 'Luthier'`, nil, &status)
	if status != "pending" {
		t.Fatalf("category %s", status)
	}
	_, err := b.Exec(user(b.bob), false, `update producers_avenue.custom_field_requests set status = 'approved' where field_value = 'Luthier'`)
	if err != nil {
		t.Fatal(err)
	}
	b.MustExec(t, user(b.admin), `update producers_avenue.custom_field_requests set status = 'approved' where field_value = 'Luthier'`)
	var cat int
	b.OwnerScan(t, `select count(*) from producers_avenue.categories where name = 'Luthier'`, nil, &cat)
	if cat != 1 {
		t.Fatal("admin approval did not create the category")
	}
	// An existing value is refused.
	_, err = b.Exec(user(b.bob), false, `select * from producers_avenue.request_custom_field('genre', 'Trap')`)
	wantError(t, err, "23505", "already exists")
}

func TestFeaturedProductLimits(t *testing.T) {
	t.Parallel()
	b := setup(t)
	newProduct := func(slug string, featured bool) error {
		_, err := b.Exec(user(b.alice), false, `insert into producers_avenue.products (seller_id, title, slug, price, status, is_featured)
			values (auth.uid(), $1, $1, 29.99, 'active', $2)`, slug, featured)
		return err
	}
	wantError(t, newProduct("basic-beat", true), "23514", "basic plan allows 0 featured products")
	b.OwnerExec(t, `update producers_avenue.subscriptions set tier = 'standard', "interval" = 'monthly' where user_id = $1`, b.alice)
	if err := newProduct("first-beat", true); err != nil {
		t.Fatal(err)
	}
	wantError(t, newProduct("second-beat", true), "23514", "standard plan allows 1 featured product")
	if err := newProduct("third-beat", false); err != nil {
		t.Fatal(err)
	}
	_, err := b.Exec(user(b.alice), false, `update producers_avenue.products set is_featured = true where slug = 'third-beat'`)
	wantError(t, err, "23514", "standard plan allows 1")

	// Premium: 3, also when featured concurrently.
	b.OwnerExec(t, `update producers_avenue.subscriptions set tier = 'premium' where user_id = $1`, b.alice)
	for i := range 6 {
		if err := newProduct(fmt.Sprintf("pack-%d", i), false); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	for i := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _ = b.Exec(user(b.alice), false, `update producers_avenue.products set is_featured = true where slug = $1`, fmt.Sprintf("pack-%d", i))
		}()
	}
	wg.Wait()
	var featured int
	b.OwnerScan(t, `select count(*) from producers_avenue.products where seller_id = $1 and is_featured`, []any{b.alice}, &featured)
	if featured != 3 {
		t.Fatalf("%d featured on premium", featured)
	}
	// Downgrade: the featured ones stay (grandfathered), no new one.
	b.OwnerExec(t, `update producers_avenue.subscriptions set tier = 'basic', "interval" = null where user_id = $1`, b.alice)
	b.OwnerScan(t, `select count(*) from producers_avenue.products where seller_id = $1 and is_featured`, []any{b.alice}, &featured)
	if featured != 3 {
		t.Fatalf("downgrade unfeatured products: %d", featured)
	}
	_, err = b.Exec(user(b.alice), false, `update producers_avenue.products set is_featured = true where slug = 'third-beat'`)
	wantError(t, err, "23514", "basic plan")
	var products int
	b.OwnerScan(t, `select products_count from producers_avenue.user_profiles where user_id = $1`, []any{b.alice}, &products)
	if products != 8 {
		t.Fatalf("products_count %d", products)
	}
}

func TestGroups(t *testing.T) {
	t.Parallel()
	b := setup(t)
	carol := b.NewUserMeta(t, "carol@example.com", `{}`)
	var public, private, secret string
	b.MustScan(t, user(b.alice), `insert into producers_avenue.groups (owner_id, name, slug) values (auth.uid(), 'Beat Makers', 'beat-makers') returning id`, nil, &public)
	b.MustScan(t, user(b.alice), `insert into producers_avenue.groups (owner_id, name, slug, visibility, post_approval_required) values (auth.uid(), 'Mix Club', 'mix-club', 'private', true) returning id`, nil, &private)
	b.MustScan(t, user(b.alice), `insert into producers_avenue.groups (owner_id, name, slug, visibility) values (auth.uid(), 'Inner Circle', 'inner-circle', 'secret') returning id`, nil, &secret)

	visible := func(req any, id string) bool {
		n, err := b.Exec(user(b.bob), true, `select 1 from producers_avenue.groups where id = $1`, id)
		if err != nil {
			t.Fatal(err)
		}
		return n == 1
	}
	if !visible(nil, public) || !visible(nil, private) || visible(nil, secret) {
		t.Fatal("group visibility")
	}
	// Join: public at once, private waits for approval, secret refused.
	b.MustExec(t, user(b.bob), `insert into producers_avenue.group_members (group_id, user_id) values ($1, auth.uid())`, public)
	b.MustExec(t, user(b.bob), `insert into producers_avenue.group_members (group_id, user_id, role) values ($1, auth.uid(), 'admin')`, private)
	_, err := b.Exec(user(b.bob), false, `insert into producers_avenue.group_members (group_id, user_id) values ($1, auth.uid())`, secret)
	wantError(t, err, "42501", "")
	var role, status string
	b.MustScan(t, user(b.bob), `select role, status from producers_avenue.group_members where group_id = $1 and user_id = auth.uid()`, []any{private}, &role, &status)
	if role != "member" || status != "pending" {
		t.Fatalf("private join: %s %s", role, status)
	}
	// A pending member cannot post; once approved, posts wait for approval.
	_, err = b.Exec(user(b.bob), false, `insert into producers_avenue.group_posts (group_id, user_id, content) values ($1, auth.uid(), 'hi')`, private)
	wantError(t, err, "42501", "")
	_, err = b.Exec(user(b.bob), false, `update producers_avenue.group_members set status = 'active' where group_id = $1 and user_id = auth.uid()`, private)
	if err != nil {
		t.Fatal(err) // RLS hides the row from a pending member: 0 rows
	}
	b.MustExec(t, user(b.alice), `update producers_avenue.group_members set status = 'active' where group_id = $1 and user_id = $2`, private, b.bob)
	var post string
	b.MustScan(t, user(b.bob), `insert into producers_avenue.group_posts (group_id, user_id, content) values ($1, auth.uid(), 'hi') returning id`, []any{private}, &post)
	var members, posts int
	b.OwnerScan(t, `select members_count, posts_count from producers_avenue.groups where id = $1`, []any{private}, &members, &posts)
	if members != 2 || posts != 0 {
		t.Fatalf("private group counts %d %d", members, posts)
	}
	// The author cannot approve; the owner can.
	_, err = b.Exec(user(b.bob), false, `update producers_avenue.group_posts set is_approved = true where id = $1`, post)
	wantError(t, err, "42501", "only group moderators")
	b.MustExec(t, user(b.alice), `update producers_avenue.group_posts set is_approved = true where id = $1`, post)
	b.OwnerScan(t, `select posts_count from producers_avenue.groups where id = $1`, []any{private}, &posts)
	if posts != 1 {
		t.Fatalf("posts_count %d", posts)
	}
	// Secret group: invitation by the owner; then visible to the member only.
	b.MustExec(t, user(b.alice), `insert into producers_avenue.group_members (group_id, user_id) values ($1, $2)`, secret, b.bob)
	if !visible(nil, secret) {
		t.Fatal("member cannot see the secret group")
	}
	n, _ := b.Exec(user(carol), true, `select 1 from producers_avenue.groups where id = $1`, secret)
	if n != 0 {
		t.Fatal("outsider sees the secret group")
	}
	n, _ = b.Exec(user(carol), true, `select 1 from producers_avenue.group_members where group_id = $1`, public)
	if n != 0 {
		t.Fatal("outsider reads the member list")
	}
	// The owner cannot leave.
	_, err = b.Exec(user(b.alice), false, `delete from producers_avenue.group_members where group_id = $1 and user_id = auth.uid()`, public)
	wantError(t, err, "23514", "owner cannot leave")
}

func TestMessages(t *testing.T) {
	t.Parallel()
	b := setup(t)
	carol := b.NewUserMeta(t, "carol@example.com", `{}`)
	var conv, msg string
	b.MustScan(t, user(b.alice), `insert into producers_avenue.conversations (participant_ids) values (array[auth.uid(), $1::uuid]) returning id`, []any{b.bob}, &conv)
	_, err := b.Exec(user(carol), false, `insert into producers_avenue.conversations (participant_ids) values (array[$1::uuid, $2::uuid])`, b.alice, b.bob)
	wantError(t, err, "42501", "")
	b.MustScan(t, user(b.alice), `insert into producers_avenue.messages (conversation_id, sender_id, content) values ($1, auth.uid(), 'yo, got stems?') returning id`, []any{conv}, &msg)
	_, err = b.Exec(user(carol), false, `insert into producers_avenue.messages (conversation_id, sender_id, content) values ($1, auth.uid(), 'spam')`, conv)
	wantError(t, err, "42501", "")
	if n, _ := b.Exec(user(carol), true, `select 1 from producers_avenue.messages where id = $1`, msg); n != 0 {
		t.Fatal("outsider reads a message")
	}
	// Only the recipient marks read; only the sender edits.
	_, err = b.Exec(user(b.alice), false, `update producers_avenue.messages set is_read = true where id = $1`, msg)
	wantError(t, err, "42501", "recipient")
	_, err = b.Exec(user(b.bob), false, `update producers_avenue.messages set content = 'changed' where id = $1`, msg)
	wantError(t, err, "42501", "only the sender")
	b.MustExec(t, user(b.bob), `update producers_avenue.messages set is_read = true where id = $1`, msg)
	// Per-user delete.
	b.MustExec(t, user(b.bob), `select producers_avenue.hide_message($1)`, msg)
	if n, _ := b.Exec(user(b.bob), true, `select 1 from producers_avenue.messages where id = $1`, msg); n != 0 {
		t.Fatal("hidden message still shown to bob")
	}
	if n, _ := b.Exec(user(b.alice), true, `select 1 from producers_avenue.messages where id = $1`, msg); n != 1 {
		t.Fatal("bob's delete hid the message from alice")
	}
	var preview string
	b.MustScan(t, user(b.bob), `select last_message_preview from producers_avenue.conversations where id = $1`, []any{conv}, &preview)
	if preview != "yo, got stems?" {
		t.Fatalf("preview %q", preview)
	}
}

func TestReportBans(t *testing.T) {
	t.Parallel()
	b := setup(t)
	report := func(i int) (string, error) {
		var id string
		err := b.Scan(user(b.bob), `insert into producers_avenue.reports (reporter_id, target_type, target_id, reason)
			values (auth.uid(), 'post', $1, 'spam') returning id`, []any{newUUID()}, &id)
		_ = i
		return id, err
	}
	for i := range 3 {
		id, err := report(i)
		if err != nil {
			t.Fatalf("report %d: %v", i, err)
		}
		// bob cannot judge his own report.
		if n, _ := b.Exec(user(b.bob), false, `update producers_avenue.reports set status = 'dismissed' where id = $1`, id); n != 0 {
			t.Fatal("reporter changed a report's status")
		}
		b.MustExec(t, user(b.admin), `update producers_avenue.reports set status = 'false_report' where id = $1`, id)
	}
	_, err := report(4)
	wantError(t, err, "42501", "you cannot report content until")
	var until bool
	b.OwnerScan(t, `select report_ban_until between now() + interval '29 days' and now() + interval '31 days'
		from producers_avenue.report_abuse_tracking where user_id = $1`, []any{b.bob}, &until)
	if !until {
		t.Fatal("ban is not 30 days")
	}
	var mails int
	b.OwnerScan(t, `select count(*) from system.outbox where recipient = 'bob@example.com' and template = 'producers_avenue.false_report'`, nil, &mails)
	if mails != 3 {
		t.Fatalf("%d emails, want one per false report", mails)
	}
	// Admin override lifts the ban; two more false reports make it permanent.
	b.MustExec(t, user(b.admin), `update producers_avenue.report_abuse_tracking set is_report_banned = false, report_ban_until = null where user_id = $1`, b.bob)
	for i := range 2 {
		id, err := report(i)
		if err != nil {
			t.Fatal(err)
		}
		b.MustExec(t, user(b.admin), `update producers_avenue.reports set status = 'false_report' where id = $1`, id)
	}
	var permanent bool
	b.OwnerScan(t, `select permanent_ban from producers_avenue.report_abuse_tracking where user_id = $1`, []any{b.bob}, &permanent)
	if !permanent {
		t.Fatal("5 false reports: not permanent")
	}
	_, err = report(9)
	wantError(t, err, "42501", "any more")
}
