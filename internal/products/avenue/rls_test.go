package avenue_test

import (
	"strings"
	"testing"

	"github.com/creatorbase/creatorbase/internal/database"
	"github.com/creatorbase/creatorbase/internal/dbtest"
)

// The matrix outcomes of internal/dbtest, under short names; any other
// expected outcome is the SQLSTATE a rule (trigger) refuses the statement with.
const (
	ok   = dbtest.OK
	none = dbtest.None
	deny = dbtest.Deny
)

var ops = dbtest.MatrixOps

type tableCase struct {
	table string
	sql   [4]string
	want  map[string][4]string
}

// matrixFixtures makes one row of every table belonging to alice (or, for
// two-party tables, with alice as the party named in the comment).
func matrixFixtures(t *testing.T, b *testBundle) *strings.Replacer {
	t.Helper()
	carol := b.NewUserMeta(t, "carol@example.com", `{}`)
	dave := b.NewUserMeta(t, "dave@example.com", `{}`)
	ids := map[string]string{"{alice}": b.alice, "{bob}": b.bob, "{carol}": carol, "{dave}": dave}
	q := func(name, as, sql string, args ...any) {
		t.Helper()
		var id string
		if as == "" {
			b.OwnerScan(t, sql, args, &id)
		} else {
			b.MustScan(t, user(as), sql, args, &id)
		}
		ids["{"+name+"}"] = id
	}
	q("skill", "", `select id from producers_avenue.skills where slug = 'mixing'`)
	q("skill2", "", `select id from producers_avenue.skills where slug = 'mastering'`)
	q("genre", "", `select id from producers_avenue.genres where slug = 'trap'`)
	q("genre2", "", `select id from producers_avenue.genres where slug = 'drill'`)
	q("category", "", `select id from producers_avenue.categories where slug = 'producer-engineer'`)
	q("category2", "", `select id from producers_avenue.categories where slug = 'vocalist'`)
	b.OwnerExec(t, `insert into producers_avenue.user_locations (user_id, location_city) values ($1, 'Lagos')`, b.alice)
	b.MustExec(t, user(b.alice), `insert into producers_avenue.user_categories (user_id, category_id) values (auth.uid(), $1)`, ids["{category}"])
	b.MustExec(t, user(b.alice), `insert into producers_avenue.user_skills (user_id, skill_id) values (auth.uid(), $1)`, ids["{skill}"])
	b.MustExec(t, user(b.alice), `insert into producers_avenue.user_genres (user_id, genre_id) values (auth.uid(), $1)`, ids["{genre}"])
	b.MustExec(t, user(b.alice), `insert into producers_avenue.custom_field_requests (field_type, field_value) values ('genre', 'Baile Funk')`)
	q("cfr", "", `select id from producers_avenue.custom_field_requests where field_value = 'Baile Funk'`)
	b.MustExec(t, user(b.alice), `insert into producers_avenue.followers (follower_id, following_id) values (auth.uid(), $1)`, carol)
	q("post", b.alice, `insert into producers_avenue.posts (user_id, content) values (auth.uid(), 'first beat') returning id`)
	b.MustExec(t, user(b.alice), `insert into producers_avenue.post_likes (post_id, user_id) values ($1, auth.uid())`, ids["{post}"])
	q("post2", carol, `insert into producers_avenue.posts (user_id, content) values (auth.uid(), 'carol beat') returning id`)
	q("comment", b.alice, `insert into producers_avenue.comments (post_id, user_id, content) values ($1, auth.uid(), 'nice') returning id`, ids["{post}"])
	b.MustExec(t, user(b.alice), `insert into producers_avenue.comment_likes (comment_id, user_id) values ($1, auth.uid())`, ids["{comment}"])
	q("comment2", carol, `insert into producers_avenue.comments (post_id, user_id, content) values ($1, auth.uid(), 'thanks') returning id`, ids["{post}"])
	q("group", b.alice, `insert into producers_avenue.groups (owner_id, name, slug) values (auth.uid(), 'Alice Crew', 'alice-crew') returning id`)
	b.MustExec(t, user(carol), `insert into producers_avenue.group_members (group_id, user_id) values ($1, auth.uid())`, ids["{group}"])
	q("gpost", b.alice, `insert into producers_avenue.group_posts (group_id, user_id, content) values ($1, auth.uid(), 'welcome') returning id`, ids["{group}"])
	q("product", b.alice, `insert into producers_avenue.products (seller_id, title, slug, price, status) values (auth.uid(), 'Alice Beat', 'alice-beat', 30, 'active') returning id`)
	q("service", b.alice, `insert into producers_avenue.services (seller_id, title, slug, status, packages) values (auth.uid(), 'Alice Mix', 'alice-mix', 'active', '[{"name": "Basic", "price": 50, "delivery_days": 2}]') returning id`)
	q("carol_service", carol, `insert into producers_avenue.services (seller_id, title, slug, status, packages) values (auth.uid(), 'Carol Mix', 'carol-mix', 'active', '[{"name": "Basic", "price": 50, "delivery_days": 2}]') returning id`)
	q("order", b.alice, `insert into producers_avenue.orders (service_id, buyer_id, package_name) values ($1, auth.uid(), 'Basic') returning id`, ids["{carol_service}"]) // alice buys
	q("webinar", b.alice, `insert into producers_avenue.webinars (host_id, title, slug, scheduled_at) values (auth.uid(), 'Alice Live', 'alice-live', now() + interval '1 day') returning id`)
	q("carol_webinar", carol, `insert into producers_avenue.webinars (host_id, title, slug, scheduled_at) values (auth.uid(), 'Carol Live', 'carol-live', now() + interval '1 day') returning id`)
	q("registration", b.alice, `insert into producers_avenue.webinar_registrations (webinar_id, user_id) values ($1, auth.uid()) returning id`, ids["{carol_webinar}"])
	q("carol_product", carol, `insert into producers_avenue.products (seller_id, title, slug, price, status) values (auth.uid(), 'Carol Kit', 'carol-kit', 30, 'active') returning id`)
	q("carol_product2", carol, `insert into producers_avenue.products (seller_id, title, slug, price, status) values (auth.uid(), 'Carol Kit 2', 'carol-kit-2', 30, 'active') returning id`)
	for _, p := range []string{"{carol_product}", "{carol_product2}"} {
		s, err := b.purchase("rls-"+p, b.alice, "product", ids[p], 3000, "stripe") // alice buys
		if err != nil {
			t.Fatal(err)
		}
		ids["{transaction}"] = s.TransactionID
	}
	if _, err := b.purchase("rls-sale", b.bob, "product", ids["{product}"], 3000, "stripe"); err != nil { // alice sells
		t.Fatal(err)
	}
	q("review", b.alice, `insert into producers_avenue.reviews (reviewer_id, reviewable_type, reviewable_id, rating) values (auth.uid(), 'product', $1, 5) returning id`, ids["{carol_product}"])
	q("payout", "", `insert into producers_avenue.payouts (user_id, amount, payout_method) values ($1, 5000, 'stripe') returning id`, b.alice)
	q("account", "", `select id from producers_avenue.ledger_accounts where code = 'user:' || $1 || ':pending'`, b.alice)
	q("entry", "", `select e.id from producers_avenue.ledger_entries e where e.account_id = $1`, ids["{account}"])
	q("journal", "", `select ledger_transaction_id from producers_avenue.ledger_entries where id = $1`, ids["{entry}"])
	q("conversation", b.alice, `insert into producers_avenue.conversations (participant_ids) values (array[auth.uid(), $1::uuid]) returning id`, carol)
	q("message", b.alice, `insert into producers_avenue.messages (conversation_id, sender_id, content) values ($1, auth.uid(), 'hey') returning id`, ids["{conversation}"])
	q("notification", "", `select id from producers_avenue.notifications where user_id = $1 and type = 'sale'`, b.alice)
	b.OwnerExec(t, `insert into public.user_roles (user_id, role) values ($1, 'author')`, b.alice)
	q("article", b.alice, `insert into producers_avenue.articles (author_id, title, slug, is_published) values (auth.uid(), 'How I mix', 'how-i-mix', true) returning id`)
	q("tracking", "", `insert into producers_avenue.report_abuse_tracking (user_id) values ($1) returning id`, b.alice)
	q("report", b.alice, `insert into producers_avenue.reports (reporter_id, target_type, target_id, reason) values (auth.uid(), 'post', $1, 'spam') returning id`, newUUID())
	b.OwnerExec(t, `insert into producers_avenue.tags (name, slug) values ('Trap', 'trap')`)
	var pairs []string
	for k, v := range ids {
		pairs = append(pairs, k, v)
	}
	return strings.NewReplacer(pairs...)
}

// TestRLSMatrix runs every producers_avenue table x (anon, owner, another
// user, admin, service_role) x (select, insert, update, delete) as request
// transactions, each rolled back.
func TestRLSMatrix(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ids := matrixFixtures(t, b)
	actors := map[string]database.Request{
		"anon": anon(), "owner": user(b.alice), "other": user(b.bob), "admin": user(b.admin), "service": service(),
	}
	allDeny := [4]string{deny, deny, deny, deny}
	allOK := [4]string{ok, ok, ok, ok}
	// public read, users manage their own
	own := func(anonRead string, adminDelete string) map[string][4]string {
		return map[string][4]string{
			"anon": {anonRead, deny, deny, deny}, "owner": allOK, "other": {ok, deny, none, none},
			"admin": {ok, deny, none, adminDelete}, "service": allOK,
		}
	}
	catalog := map[string][4]string{ // public read, admin write
		"anon": {ok, deny, deny, deny}, "owner": {ok, deny, none, none}, "other": {ok, deny, none, none},
		"admin": allOK, "service": allOK,
	}
	private := func(ownerOps [4]string, adminOps [4]string) map[string][4]string {
		return map[string][4]string{
			"anon": allDeny, "owner": ownerOps, "other": {none, deny, none, none}, "admin": adminOps, "service": allOK,
		}
	}
	money := map[string][4]string{ // own rows read-only; the service role reads
		"anon": allDeny, "owner": {ok, deny, deny, deny}, "other": {none, deny, deny, deny},
		"admin": {ok, deny, deny, deny}, "service": {ok, deny, deny, deny},
	}

	cases := []tableCase{
		{"user_profiles", [4]string{
			`select 1 from producers_avenue.user_profiles where user_id = '{alice}'`,
			`insert into producers_avenue.user_profiles (user_id, username) values ('{alice}', 'alice2')`,
			`update producers_avenue.user_profiles set bio = 'hi' where user_id = '{alice}'`,
			`delete from producers_avenue.user_profiles where user_id = '{alice}'`,
		}, map[string][4]string{
			"anon": {ok, deny, deny, deny}, "owner": {ok, deny, ok, deny}, "other": {ok, deny, none, deny},
			"admin": {ok, deny, none, deny}, "service": {ok, "23505", ok, ok},
		}},
		{"user_locations", [4]string{
			`select 1 from producers_avenue.user_locations where user_id = '{alice}'`,
			`insert into producers_avenue.user_locations (user_id, location_city) values ('{alice}', 'Accra') on conflict (user_id) do update set location_city = 'Accra'`,
			`update producers_avenue.user_locations set location_city = 'Abuja' where user_id = '{alice}'`,
			`delete from producers_avenue.user_locations where user_id = '{alice}'`,
		}, private(allOK, [4]string{none, deny, none, none})},
		{"categories", [4]string{
			`select 1 from producers_avenue.categories where id = '{category}'`,
			`insert into producers_avenue.categories (name, slug) values ('New', 'new-category')`,
			`update producers_avenue.categories set sort_order = 99 where id = '{category}'`,
			`delete from producers_avenue.categories where id = '{category2}'`,
		}, map[string][4]string{
			"anon": {ok, deny, deny, deny}, "owner": {ok, deny, none, none}, "other": {ok, deny, none, none},
			"admin": {ok, ok, ok, "23503"}, "service": {ok, ok, ok, "23503"},
		}},
		{"skills", [4]string{
			`select 1 from producers_avenue.skills where id = '{skill}'`,
			`insert into producers_avenue.skills (category_id, name, slug) values ('{category}', 'New', 'new-skill')`,
			`update producers_avenue.skills set is_active = true where id = '{skill}'`,
			`delete from producers_avenue.skills where id = '{skill2}'`,
		}, catalog},
		{"genres", [4]string{
			`select 1 from producers_avenue.genres where id = '{genre}'`,
			`insert into producers_avenue.genres (name, slug) values ('New', 'new-genre')`,
			`update producers_avenue.genres set is_active = true where id = '{genre}'`,
			`delete from producers_avenue.genres where id = '{genre2}'`,
		}, catalog},
		{"user_categories", [4]string{
			`select 1 from producers_avenue.user_categories where user_id = '{alice}'`,
			`insert into producers_avenue.user_categories (user_id, category_id) values ('{alice}', '{category2}')`,
			`update producers_avenue.user_categories set category_id = '{category2}' where user_id = '{alice}'`,
			`delete from producers_avenue.user_categories where user_id = '{alice}'`,
		}, withCells(own(ok, none), map[string][2]int{"owner": {2, 0}}, deny, map[string][2]int{"other": {2, 0}, "admin": {2, 0}}, deny)},
		{"user_skills", [4]string{
			`select 1 from producers_avenue.user_skills where user_id = '{alice}'`,
			`insert into producers_avenue.user_skills (user_id, skill_id) values ('{alice}', '{skill2}')`,
			`update producers_avenue.user_skills set skill_id = '{skill2}' where user_id = '{alice}'`,
			`delete from producers_avenue.user_skills where user_id = '{alice}'`,
		}, withCells(own(ok, none), map[string][2]int{"owner": {2, 0}, "other": {2, 0}, "admin": {2, 0}}, deny, nil, "")},
		{"user_genres", [4]string{
			`select 1 from producers_avenue.user_genres where user_id = '{alice}'`,
			`insert into producers_avenue.user_genres (user_id, genre_id) values ('{alice}', '{genre2}')`,
			`update producers_avenue.user_genres set genre_id = '{genre2}' where user_id = '{alice}'`,
			`delete from producers_avenue.user_genres where user_id = '{alice}'`,
		}, withCells(own(ok, none), map[string][2]int{"owner": {2, 0}, "other": {2, 0}, "admin": {2, 0}}, deny, nil, "")},
		{"custom_field_requests", [4]string{
			`select 1 from producers_avenue.custom_field_requests where id = '{cfr}'`,
			`insert into producers_avenue.custom_field_requests (field_type, field_value) values ('genre', 'Kuduro')`,
			`update producers_avenue.custom_field_requests set rejection_reason = 'dup' where id = '{cfr}'`,
			`delete from producers_avenue.custom_field_requests where id = '{cfr}'`,
		}, map[string][4]string{
			"anon": allDeny, "owner": {none, ok, none, none}, "other": {none, ok, none, none},
			"admin": allOK, "service": allOK,
		}},
		{"subscriptions", [4]string{
			`select 1 from producers_avenue.subscriptions where user_id = '{alice}'`,
			`insert into producers_avenue.subscriptions (user_id) values ('{alice}')`,
			`update producers_avenue.subscriptions set tier = 'ultimate', "interval" = 'annual' where user_id = '{alice}'`,
			`delete from producers_avenue.subscriptions where user_id = '{alice}'`,
		}, map[string][4]string{
			"anon": allDeny, "owner": {ok, deny, deny, deny}, "other": {none, deny, deny, deny},
			"admin": {ok, deny, deny, deny}, "service": {ok, "23505", ok, ok},
		}},
		{"followers", [4]string{
			`select 1 from producers_avenue.followers where follower_id = '{alice}'`,
			`insert into producers_avenue.followers (follower_id, following_id) values ('{alice}', '{dave}')`,
			`update producers_avenue.followers set following_id = '{dave}' where follower_id = '{alice}'`,
			`delete from producers_avenue.followers where follower_id = '{alice}'`,
		}, withCells(own(ok, none), map[string][2]int{"owner": {2, 0}, "other": {2, 0}, "admin": {2, 0}}, deny, nil, "")},
		{"posts", [4]string{
			`select 1 from producers_avenue.posts where id = '{post}'`,
			`insert into producers_avenue.posts (user_id, content) values ('{alice}', 'again')`,
			`update producers_avenue.posts set content = 'edited' where id = '{post}'`,
			`delete from producers_avenue.posts where id = '{post}'`,
		}, own(ok, ok)},
		{"post_likes", [4]string{
			`select 1 from producers_avenue.post_likes where user_id = '{alice}'`,
			`insert into producers_avenue.post_likes (post_id, user_id) values ('{post2}', '{alice}')`,
			`update producers_avenue.post_likes set user_id = '{alice}' where user_id = '{alice}'`,
			`delete from producers_avenue.post_likes where user_id = '{alice}'`,
		}, withCells(own(ok, none), map[string][2]int{"owner": {2, 0}, "other": {2, 0}, "admin": {2, 0}}, deny, nil, "")},
		{"comments", [4]string{
			`select 1 from producers_avenue.comments where id = '{comment}'`,
			`insert into producers_avenue.comments (post_id, user_id, content) values ('{post}', '{alice}', 'more')`,
			`update producers_avenue.comments set content = 'edited' where id = '{comment}'`,
			`delete from producers_avenue.comments where id = '{comment}'`,
		}, own(ok, ok)},
		{"comment_likes", [4]string{
			`select 1 from producers_avenue.comment_likes where user_id = '{alice}'`,
			`insert into producers_avenue.comment_likes (comment_id, user_id) values ('{comment2}', '{alice}')`,
			`update producers_avenue.comment_likes set user_id = '{alice}' where user_id = '{alice}'`,
			`delete from producers_avenue.comment_likes where user_id = '{alice}'`,
		}, withCells(own(ok, none), map[string][2]int{"owner": {2, 0}, "other": {2, 0}, "admin": {2, 0}}, deny, nil, "")},
		{"groups", [4]string{
			`select 1 from producers_avenue.groups where id = '{group}'`,
			`insert into producers_avenue.groups (owner_id, name, slug) values ('{alice}', 'Two', 'alice-two')`,
			`update producers_avenue.groups set rules = 'be kind' where id = '{group}'`,
			`delete from producers_avenue.groups where id = '{group}'`,
		}, map[string][4]string{
			"anon": {ok, deny, deny, deny}, "owner": allOK, "other": {ok, deny, none, none},
			"admin": {ok, deny, ok, ok}, "service": allOK,
		}},
		{"group_members", [4]string{
			`select 1 from producers_avenue.group_members where group_id = '{group}' and user_id = '{carol}'`,
			`insert into producers_avenue.group_members (group_id, user_id) values ('{group}', '{dave}')`,
			`update producers_avenue.group_members set role = 'moderator' where group_id = '{group}' and user_id = '{carol}'`,
			`delete from producers_avenue.group_members where group_id = '{group}' and user_id = '{carol}'`,
		}, map[string][4]string{
			"anon": allDeny, "owner": allOK, "other": {none, deny, none, none},
			"admin": {ok, deny, ok, ok}, "service": allOK,
		}},
		{"group_posts", [4]string{
			`select 1 from producers_avenue.group_posts where id = '{gpost}'`,
			`insert into producers_avenue.group_posts (group_id, user_id, content) values ('{group}', '{alice}', 'again')`,
			`update producers_avenue.group_posts set content = 'edited' where id = '{gpost}'`,
			`delete from producers_avenue.group_posts where id = '{gpost}'`,
		}, map[string][4]string{
			"anon": allDeny, "owner": allOK, "other": {none, deny, none, none},
			"admin": {ok, deny, none, ok}, "service": allOK,
		}},
		{"products", [4]string{
			`select id, title, price_cents from producers_avenue.products where id = '{product}'`,
			`insert into producers_avenue.products (seller_id, title, slug, price) values ('{alice}', 'Two', 'alice-two', 10)`,
			`update producers_avenue.products set description = 'hard' where id = '{product}'`,
			`delete from producers_avenue.products where id = '{product}'`,
		}, own(ok, ok)},
		{"services", [4]string{
			`select 1 from producers_avenue.services where id = '{service}'`,
			`insert into producers_avenue.services (seller_id, title, slug) values ('{alice}', 'Two', 'alice-two')`,
			`update producers_avenue.services set description = 'clean' where id = '{service}'`,
			`delete from producers_avenue.services where id = '{service}'`,
		}, own(ok, ok)},
		{"orders", [4]string{ // alice is the buyer
			`select 1 from producers_avenue.orders where id = '{order}'`,
			`insert into producers_avenue.orders (service_id, buyer_id, package_name) values ('{carol_service}', '{alice}', 'Basic')`,
			`update producers_avenue.orders set requirements = 'stems attached' where id = '{order}'`,
			`delete from producers_avenue.orders where id = '{order}'`,
		}, map[string][4]string{
			"anon": allDeny, "owner": {ok, ok, ok, deny}, "other": {none, deny, none, deny},
			"admin": {ok, deny, none, deny}, "service": allOK,
		}},
		{"webinars", [4]string{
			`select id, title from producers_avenue.webinars where id = '{webinar}'`,
			`insert into producers_avenue.webinars (host_id, title, slug, scheduled_at) values ('{alice}', 'Two', 'alice-two', now())`,
			`update producers_avenue.webinars set description = 'live' where id = '{webinar}'`,
			`delete from producers_avenue.webinars where id = '{webinar}'`,
		}, own(ok, ok)},
		{"webinar_registrations", [4]string{ // alice registered for carol's webinar
			`select 1 from producers_avenue.webinar_registrations where id = '{registration}'`,
			`insert into producers_avenue.webinar_registrations (webinar_id, user_id) values ('{webinar}', '{dave}')`,
			`update producers_avenue.webinar_registrations set attended = true where id = '{registration}'`,
			`delete from producers_avenue.webinar_registrations where id = '{registration}'`,
		}, map[string][4]string{
			"anon": allDeny, "owner": {ok, deny, none, ok}, "other": {none, deny, none, none},
			"admin": {ok, deny, none, none}, "service": allOK,
		}},
		{"reviews", [4]string{
			`select 1 from producers_avenue.reviews where id = '{review}'`,
			`insert into producers_avenue.reviews (reviewer_id, reviewable_type, reviewable_id, rating) values ('{alice}', 'product', '{carol_product2}', 4)`,
			`update producers_avenue.reviews set review_text = 'great' where id = '{review}'`,
			`delete from producers_avenue.reviews where id = '{review}'`,
		}, own(ok, ok)},
		{"transactions", [4]string{ // alice sold
			`select 1 from producers_avenue.transactions where id = '{transaction}'`,
			`insert into producers_avenue.transactions (seller_id, transaction_type) values ('{alice}', 'payout')`,
			`update producers_avenue.transactions set status = 'refunded' where id = '{transaction}'`,
			`delete from producers_avenue.transactions where id = '{transaction}'`,
		}, money},
		{"wallets", [4]string{
			`select 1 from producers_avenue.wallets where user_id = '{alice}'`,
			`insert into producers_avenue.wallets (user_id) values ('{alice}')`,
			`update producers_avenue.wallets set paypal_email = 'a@example.com' where user_id = '{alice}'`,
			`delete from producers_avenue.wallets where user_id = '{alice}'`,
		}, map[string][4]string{
			"anon": allDeny, "owner": {ok, deny, ok, deny}, "other": {none, deny, none, deny},
			"admin": {ok, deny, none, deny}, "service": {ok, deny, ok, deny},
		}},
		{"payouts", [4]string{
			`select 1 from producers_avenue.payouts where id = '{payout}'`,
			`insert into producers_avenue.payouts (user_id, amount, payout_method) values ('{alice}', 5000, 'stripe')`,
			`update producers_avenue.payouts set status = 'completed' where id = '{payout}'`,
			`delete from producers_avenue.payouts where id = '{payout}'`,
		}, money},
		{"ledger_accounts", [4]string{
			`select 1 from producers_avenue.ledger_accounts where id = '{account}'`,
			`insert into producers_avenue.ledger_accounts (code, kind) values ('x', 'payouts_sent')`,
			`update producers_avenue.ledger_accounts set code = 'y' where id = '{account}'`,
			`delete from producers_avenue.ledger_accounts where id = '{account}'`,
		}, money},
		{"ledger_transactions", [4]string{
			`select 1 from producers_avenue.ledger_transactions where id = '{journal}'`,
			`insert into producers_avenue.ledger_transactions (kind, idempotency_key) values ('purchase', 'x')`,
			`update producers_avenue.ledger_transactions set memo = 'x' where id = '{journal}'`,
			`delete from producers_avenue.ledger_transactions where id = '{journal}'`,
		}, map[string][4]string{
			"anon": allDeny, "owner": allDeny, "other": allDeny, "admin": allDeny, "service": {ok, deny, deny, deny},
		}},
		{"ledger_entries", [4]string{
			`select 1 from producers_avenue.ledger_entries where id = '{entry}'`,
			`insert into producers_avenue.ledger_entries (ledger_transaction_id, account_id, amount) values ('{journal}', '{account}', 1)`,
			`update producers_avenue.ledger_entries set amount = 1 where id = '{entry}'`,
			`delete from producers_avenue.ledger_entries where id = '{entry}'`,
		}, money},
		{"money_requests", [4]string{
			`select 1 from producers_avenue.money_requests where idempotency_key = 'rls-sale'`,
			`insert into producers_avenue.money_requests (idempotency_key, operation, request_hash, result) values ('k', 'x', 'x', '{}')`,
			`update producers_avenue.money_requests set result = '{}' where idempotency_key = 'rls-sale'`,
			`delete from producers_avenue.money_requests where idempotency_key = 'rls-sale'`,
		}, map[string][4]string{
			"anon": allDeny, "owner": allDeny, "other": allDeny, "admin": allDeny, "service": {ok, deny, deny, deny},
		}},
		{"conversations", [4]string{
			`select 1 from producers_avenue.conversations where id = '{conversation}'`,
			`insert into producers_avenue.conversations (participant_ids) values (array['{alice}', '{dave}']::uuid[])`,
			`update producers_avenue.conversations set group_name = 'x' where id = '{conversation}'`,
			`delete from producers_avenue.conversations where id = '{conversation}'`,
		}, map[string][4]string{
			"anon": allDeny, "owner": {ok, ok, none, deny}, "other": {none, deny, none, deny},
			"admin": {none, deny, none, deny}, "service": allOK,
		}},
		{"messages", [4]string{
			`select 1 from producers_avenue.messages where id = '{message}'`,
			`insert into producers_avenue.messages (conversation_id, sender_id, content) values ('{conversation}', '{alice}', 'again')`,
			`update producers_avenue.messages set content = 'edited' where id = '{message}'`,
			`delete from producers_avenue.messages where id = '{message}'`,
		}, map[string][4]string{
			"anon": allDeny, "owner": {ok, ok, ok, deny}, "other": {none, deny, none, deny},
			"admin": {none, deny, none, deny}, "service": allOK,
		}},
		{"notifications", [4]string{
			`select 1 from producers_avenue.notifications where id = '{notification}'`,
			`insert into producers_avenue.notifications (user_id, type) values ('{alice}', 'system')`,
			`update producers_avenue.notifications set is_read = true where id = '{notification}'`,
			`delete from producers_avenue.notifications where id = '{notification}'`,
		}, private([4]string{ok, deny, ok, ok}, [4]string{none, deny, none, none})},
		{"articles", [4]string{
			`select 1 from producers_avenue.articles where id = '{article}'`,
			`insert into producers_avenue.articles (author_id, title, slug) values ('{alice}', 'Two', 'alice-two')`,
			`update producers_avenue.articles set excerpt = 'x' where id = '{article}'`,
			`delete from producers_avenue.articles where id = '{article}'`,
		}, own(ok, ok)},
		{"report_abuse_tracking", [4]string{
			`select 1 from producers_avenue.report_abuse_tracking where id = '{tracking}'`,
			`insert into producers_avenue.report_abuse_tracking (user_id) values ('{dave}')`,
			`update producers_avenue.report_abuse_tracking set permanent_ban = true where id = '{tracking}'`,
			`delete from producers_avenue.report_abuse_tracking where id = '{tracking}'`,
		}, map[string][4]string{
			"anon": allDeny, "owner": {ok, deny, none, none}, "other": {none, deny, none, none},
			"admin": allOK, "service": allOK,
		}},
		{"reports", [4]string{
			`select 1 from producers_avenue.reports where id = '{report}'`,
			`insert into producers_avenue.reports (reporter_id, target_type, target_id, reason) values ('{alice}', 'user', '{dave}', 'spam')`,
			`update producers_avenue.reports set status = 'dismissed' where id = '{report}'`,
			`delete from producers_avenue.reports where id = '{report}'`,
		}, map[string][4]string{
			"anon": allDeny, "owner": {ok, ok, none, none}, "other": {none, deny, none, none},
			"admin": {ok, deny, ok, ok}, "service": allOK,
		}},
		{"tags", [4]string{
			`select 1 from producers_avenue.tags where slug = 'trap'`,
			`insert into producers_avenue.tags (name, slug) values ('Drill', 'drill')`,
			`update producers_avenue.tags set usage_count = 99 where slug = 'trap'`,
			`delete from producers_avenue.tags where slug = 'trap'`,
		}, map[string][4]string{
			"anon": {ok, deny, deny, deny}, "owner": {ok, deny, deny, deny}, "other": {ok, deny, deny, deny},
			"admin": {ok, deny, deny, deny}, "service": allOK,
		}},
	}

	covered := map[string]bool{}
	for _, tc := range cases {
		covered[tc.table] = true
		for actor, req := range actors {
			want, found := tc.want[actor]
			if !found {
				t.Fatalf("%s: no expectations for %s", tc.table, actor)
			}
			for i, op := range ops {
				sql := ids.Replace(tc.sql[i])
				// Serial: cells on shared rows would wait on each other's locks.
				t.Run(tc.table+"/"+actor+"/"+op, func(t *testing.T) {
					n, err := b.Exec(req, true, sql)
					dbtest.WantCell(t, n, err, want[i], sql)
				})
			}
		}
	}

	// Every table has a row above: a new table fails here until it gets one.
	b.CoversEveryTable(t, "producers_avenue", covered, "TestRLSMatrix")
}

// withCells copies m and sets the cells named in set1 (actor -> {op index,
// unused}) to v1 and those in set2 to v2.
func withCells(m map[string][4]string, set1 map[string][2]int, v1 string, set2 map[string][2]int, v2 string) map[string][4]string {
	out := map[string][4]string{}
	for k, v := range m {
		out[k] = v
	}
	for actor, c := range set1 {
		cells := out[actor]
		cells[c[0]] = v1
		out[actor] = cells
	}
	for actor, c := range set2 {
		cells := out[actor]
		cells[c[0]] = v2
		out[actor] = cells
	}
	return out
}
