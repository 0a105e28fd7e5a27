package avenue_test

import (
	"context"
	"strings"
	"testing"
)

// Every table has RLS; SECURITY DEFINER functions pin search_path and are
// not executable by PUBLIC; anon writes nothing; the columns that only
// triggers and money functions maintain are writable by no request role.
func TestSecurityRules(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()

	list := func(t *testing.T, sql string) []string {
		t.Helper()
		rows, err := b.Owner.Query(ctx, sql)
		if err != nil {
			t.Fatalf("%s: %v", oneLine(sql), err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			out = append(out, s)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}

	t.Run("RLSOnEveryTable", func(t *testing.T) {
		if got := list(t, `select relname from pg_class where relnamespace = 'producers_avenue'::regnamespace
			and relkind = 'r' and not relrowsecurity`); len(got) > 0 {
			t.Fatalf("tables without RLS: %v", got)
		}
	})
	t.Run("DefinerFunctionsLockedDown", func(t *testing.T) {
		if got := list(t, `select p.proname from pg_proc p where p.pronamespace = 'producers_avenue'::regnamespace
			and p.prosecdef and not exists (select 1 from unnest(coalesce(p.proconfig, '{}')) c where c like 'search_path=%')`); len(got) > 0 {
			t.Fatalf("SECURITY DEFINER functions without search_path: %v", got)
		}
		if got := list(t, `select p.proname from pg_proc p where p.pronamespace = 'producers_avenue'::regnamespace
			and has_function_privilege('public', p.oid, 'execute')`); len(got) > 0 {
			t.Fatalf("functions executable by PUBLIC: %v", got)
		}
	})
	t.Run("AnonWritesNothing", func(t *testing.T) {
		if got := list(t, `select c.relname || ':' || p.priv from pg_class c
			cross join unnest(array['insert', 'update', 'delete', 'truncate']) p(priv)
			where c.relnamespace = 'producers_avenue'::regnamespace and c.relkind = 'r'
			  and (has_table_privilege('anon', c.oid, p.priv)
			       or (p.priv in ('insert', 'update') and has_any_column_privilege('anon', c.oid, p.priv)))`); len(got) > 0 {
			t.Fatalf("anon may write: %v", got)
		}
	})
	t.Run("ProtectedColumnsNotUserWritable", func(t *testing.T) {
		protected := []string{
			"user_profiles.followers_count", "user_profiles.following_count", "user_profiles.products_count",
			"user_profiles.is_banned", "user_profiles.role", "user_profiles.is_partner_account",
			"user_profiles.location_coords", "user_profiles.user_id",
			"subscriptions.tier", "subscriptions.status",
			"posts.likes_count", "posts.comments_count", "posts.is_hidden", "comments.likes_count",
			"groups.members_count", "groups.posts_count", "groups.is_verified",
			"products.purchases_count", "products.rating_average", "products.reviews_count", "products.is_approved",
			"products.seller_id", "products.source_webinar_id", "products.product_type", "products.views_count",
			"services.orders_count", "services.rating_average", "services.completion_rate",
			"orders.package_price", "orders.revisions_used", "orders.seller_id", "orders.transaction_id",
			"webinars.registrations_count", "webinars.attendees_count",
			"webinar_registrations.payment_status",
			"reviews.is_verified_purchase", "reviews.helpful_count", "reviews.seller_id",
			"wallets.balance_available", "wallets.balance_pending", "wallets.balance_reserved", "wallets.total_earned",
			"wallets.payouts_enabled", "wallets.paypal_verified", "wallets.stripe_account_id",
			"transactions.amount_total", "transactions.status", "payouts.amount", "payouts.status",
			"messages.deleted_for", "messages.sender_id", "custom_field_requests.request_count",
			"custom_field_requests.requested_by", "report_abuse_tracking.false_report_count", "tags.usage_count",
		}
		for _, col := range protected {
			table, column, _ := strings.Cut(col, ".")
			for _, role := range []string{"anon", "authenticated"} {
				var canUpdate bool
				b.OwnerScan(t, `select has_column_privilege($1, 'producers_avenue.'||$2, $3, 'update')`,
					[]any{role, table, column}, &canUpdate)
				// report_abuse_tracking is written by admins (override), through RLS.
				if canUpdate && table != "report_abuse_tracking" {
					t.Errorf("%s may update %s", role, col)
				}
			}
		}
		for _, table := range []string{"transactions", "wallets", "payouts", "ledger_accounts", "ledger_transactions", "ledger_entries", "money_requests"} {
			for _, role := range []string{"authenticated", "service_role"} {
				for _, priv := range []string{"insert", "delete", "truncate"} {
					var has bool
					b.OwnerScan(t, `select has_table_privilege($1, 'producers_avenue.'||$2, $3)`, []any{role, table, priv}, &has)
					if has {
						t.Errorf("%s may %s %s: money moves only through functions", role, priv, table)
					}
				}
			}
		}
	})
}
