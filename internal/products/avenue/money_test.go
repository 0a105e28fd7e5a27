package avenue_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/creatorbase/creatorbase/internal/products/avenue"
)

// sale is record_purchase's answer.
type sale struct {
	TransactionID    string  `json:"transaction_id"`
	AmountTotal      int64   `json:"amount_total"`
	AmountFees       int64   `json:"amount_fees"`
	AmountCommission int64   `json:"amount_commission"`
	AmountSeller     int64   `json:"amount_seller"`
	CommissionRate   float64 `json:"commission_rate"`
	SellerTier       string  `json:"seller_tier"`
}

type wallet struct{ available, pending, reserved int64 }

// newProduct lists a product of seller's at price (dollars), on sale.
func (b *testBundle) newProduct(t *testing.T, seller, slug, price string) string {
	t.Helper()
	var id string
	b.MustScan(t, user(seller), `insert into producers_avenue.products (seller_id, title, slug, price, status)
		values (auth.uid(), $1, $1, $2::numeric, 'active') returning id`, []any{slug, price}, &id)
	return id
}

func (b *testBundle) purchase(key, buyer, itemType, item string, cents int64, processor string) (sale, error) {
	var raw []byte
	err := b.Scan(service(), `select producers_avenue.record_purchase($1, $2, $3, $4, $5, $6)`,
		[]any{key, buyer, itemType, item, cents, processor}, &raw)
	var s sale
	if err == nil {
		err = json.Unmarshal(raw, &s)
	}
	return s, err
}

func (b *testBundle) wallet(t *testing.T, who string) wallet {
	t.Helper()
	var w wallet
	b.OwnerScan(t, `select balance_available, balance_pending, balance_reserved from producers_avenue.wallets where user_id = $1`,
		[]any{who}, &w.available, &w.pending, &w.reserved)
	return w
}

func (b *testBundle) money(t *testing.T, req any, sql string, args ...any) (map[string]any, error) {
	t.Helper()
	var raw []byte
	r := service()
	if u, ok := req.(string); ok {
		r = user(u)
	}
	err := b.Scan(r, sql, args, &raw)
	var out map[string]any
	if err == nil {
		err = json.Unmarshal(raw, &out)
	}
	return out, err
}

// enablePayouts onboards who for Stripe payouts, as the onboarding webhook would.
func (b *testBundle) enablePayouts(t *testing.T, who string) {
	t.Helper()
	b.MustExec(t, service(), `update producers_avenue.wallets set stripe_account_id = 'acct_test', stripe_account_status = 'enabled',
		payouts_enabled = true where user_id = $1`, who)
}

func (b *testBundle) release(t *testing.T, key string, asOf time.Time) avenue.Released {
	t.Helper()
	r, err := avenue.ReleasePending(context.Background(), b.Owner, key, asOf, 1000)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func (b *testBundle) noViolations(t *testing.T) {
	t.Helper()
	vs, err := avenue.LedgerViolations(context.Background(), b.Owner)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vs {
		t.Errorf("ledger violation: %s", v)
	}
}

func (b *testBundle) ledgerRows(t *testing.T) (journal, entries, requests int) {
	t.Helper()
	b.OwnerScan(t, `select (select count(*) from producers_avenue.ledger_transactions), (select count(*) from producers_avenue.ledger_entries),
		(select count(*) from producers_avenue.money_requests)`, nil, &journal, &entries, &requests)
	return
}

func TestPurchaseFeesCommissionEscrow(t *testing.T) {
	t.Parallel()
	b := setup(t)
	beat := b.newProduct(t, b.alice, "midnight-trap-beat", "29.99")

	// Basic tier: 40 % commission; Stripe 2.9 % + 30 c, half-up.
	s, err := b.purchase("pay-1", b.bob, "product", beat, 2999, "stripe")
	if err != nil {
		t.Fatal(err)
	}
	if s.AmountFees != 117 || s.AmountCommission != 1200 || s.AmountSeller != 1682 || s.SellerTier != "basic" || s.CommissionRate != 40 {
		t.Fatalf("stripe sale: %+v", s)
	}
	if w := b.wallet(t, b.alice); w != (wallet{pending: 1682}) {
		t.Fatalf("seller wallet %+v", w)
	}
	// Upgrading later changes the next sale only (rate snapshotted).
	b.OwnerExec(t, `update producers_avenue.subscriptions set tier = 'ultimate', "interval" = 'annual' where user_id = $1`, b.alice)
	carol := b.NewUserMeta(t, "carol@example.com", `{}`)
	s2, err := b.purchase("pay-2", carol, "product", beat, 2999, "paypal")
	if err != nil {
		t.Fatal(err)
	}
	if s2.AmountFees != 154 || s2.AmountCommission != 300 || s2.AmountSeller != 2545 || s2.SellerTier != "ultimate" {
		t.Fatalf("paypal sale: %+v", s2)
	}
	var rate float64
	b.OwnerScan(t, `select commission_rate from producers_avenue.transactions where id = $1`, []any{s.TransactionID}, &rate)
	if rate != 40 {
		t.Fatalf("first sale's rate changed to %v", rate)
	}
	var purchases int
	b.OwnerScan(t, `select purchases_count from producers_avenue.products where id = $1`, []any{beat}, &purchases)
	if purchases != 2 {
		t.Fatalf("purchases_count %d", purchases)
	}
	// The buyer may now download the files and review; the seller sees the sale.
	b.MustExec(t, user(b.bob), `select producers_avenue.product_file_urls($1)`, beat)
	_, err = b.Exec(user(b.admin), false, `select producers_avenue.product_file_urls($1)`, beat)
	if err != nil {
		t.Fatal(err)
	}
	other := b.NewUserMeta(t, "dave@example.com", `{}`)
	_, err = b.Exec(user(other), false, `select producers_avenue.product_file_urls($1)`, beat)
	wantError(t, err, "42501", "buy this product")

	// Nothing is available before 7 days; everything after.
	if r := b.release(t, "rel-early", time.Now().Add(6*24*time.Hour)); r.Count != 0 {
		t.Fatalf("released early: %+v", r)
	}
	if r := b.release(t, "rel-late", time.Now().Add(7*24*time.Hour+time.Minute)); r.Count != 2 || r.Cents != 1682+2545 {
		t.Fatalf("release: %+v", r)
	}
	if w := b.wallet(t, b.alice); w != (wallet{available: 1682 + 2545}) {
		t.Fatalf("after release %+v", w)
	}
	b.noViolations(t)
}

func TestPurchaseBadInputMovesNoMoney(t *testing.T) {
	t.Parallel()
	b := setup(t)
	beat := b.newProduct(t, b.alice, "cheap-loop", "0.50")
	j0, e0, r0 := b.ledgerRows(t)
	for _, tc := range []struct {
		name, buyer, item string
		cents             int64
		proc, code, text  string
	}{
		{"WrongPrice", b.bob, beat, 49, "stripe", "23514", "does not match the listed price"},
		{"SelfDealing", b.alice, beat, 50, "stripe", "23514", "buyer and seller must be different"},
		{"FeesExceedPrice", b.bob, beat, 50, "stripe", "23514", "does not cover its fees"},
		{"UnknownProcessor", b.bob, beat, 50, "bitcoin", "22023", "unknown payment processor"},
		{"EmptyWallet", b.bob, beat, 50, "wallet", "23514", "wallet balance is too low"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := b.purchase("bad-"+tc.name, tc.buyer, "product", tc.item, tc.cents, tc.proc)
			wantError(t, err, tc.code, tc.text)
		})
	}
	// Users cannot call the webhook's function.
	_, err := b.Exec(user(b.bob), false, `select producers_avenue.record_purchase('x', $1, 'product', $2, 50, 'stripe')`, b.bob, beat)
	wantError(t, err, "42501", "")
	if j, e, r := b.ledgerRows(t); j != j0 || e != e0 || r != r0 {
		t.Fatalf("refused purchases left ledger rows: %d %d %d", j-j0, e-e0, r-r0)
	}
	// Ledger history cannot be edited, even by the service role.
	if _, err := b.purchase("ok", b.bob, "product", b.newProduct(t, b.alice, "good-beat", "20.00"), 2000, "stripe"); err != nil {
		t.Fatal(err)
	}
	_, err = b.Owner.Exec(context.Background(), `update producers_avenue.ledger_entries set amount = amount + 1`)
	wantError(t, err, "PT403", "append-only")
	_, err = b.Exec(service(), false, `delete from producers_avenue.ledger_entries`)
	wantError(t, err, "42501", "")
	// An unbalanced journal entry is refused at commit.
	_, err = b.Owner.Exec(context.Background(), `with t as (insert into producers_avenue.ledger_transactions (kind, idempotency_key) values ('purchase', 'forged') returning id)
		insert into producers_avenue.ledger_entries (ledger_transaction_id, account_id, amount)
		select t.id, a.id, 100 from t, producers_avenue.ledger_accounts a where a.code = 'platform:commission'`)
	wantError(t, err, "23514", "does not balance")
	b.noViolations(t)
}

func TestPayouts(t *testing.T) {
	t.Parallel()
	b := setup(t)
	kit := b.newProduct(t, b.alice, "drum-kit", "100.00")
	for i := range 3 {
		buyer := b.NewUserMeta(t, fmt.Sprintf("buyer%d@example.com", i), `{}`)
		if _, err := b.purchase(fmt.Sprintf("kit-%d", i), buyer, "product", kit, 10000, "stripe"); err != nil {
			t.Fatal(err)
		}
	}
	// 3 x (10000 - 320 fee - 4000 commission) = 17040 pending.
	request := func(key string, cents int) (map[string]any, error) {
		return b.money(t, b.alice, `select producers_avenue.request_payout($1, auth.uid(), $2, 'stripe')`, key, cents)
	}
	b.enablePayouts(t, b.alice)
	_, err := request("p-pending", 5000)
	wantError(t, err, "23514", "exceeds the available balance of 0")
	b.release(t, "rel", time.Now().Add(8*24*time.Hour))
	if w := b.wallet(t, b.alice); w.available != 17040 {
		t.Fatalf("available %d", w.available)
	}
	j0, e0, _ := b.ledgerRows(t)
	_, err = request("p-4999", 4999)
	wantError(t, err, "23514", "payouts start at 5000 cents; 4999 cents requested")
	_, err = request("p-too-much", 17041)
	wantError(t, err, "23514", "exceeds the available balance")
	_, err = b.money(t, b.bob, `select producers_avenue.request_payout('p-other', $1, 5000, 'stripe')`, b.alice)
	wantError(t, err, "42501", "your own wallet")
	_, err = request("p-paypal", 5000)
	if err != nil {
		t.Fatal(err)
	}
	b.MustExec(t, service(), `select producers_avenue.fail_payout('fail-paypal-unused', (select id from producers_avenue.payouts where idempotency_key = 'p-paypal'), 'test')`)
	if j, e, _ := b.ledgerRows(t); j != j0+2 || e != e0+4 {
		t.Fatalf("refused payouts moved money: %d journal, %d entries", j-j0, e-e0)
	}
	if w := b.wallet(t, b.alice); w != (wallet{available: 17040}) {
		t.Fatalf("after failed payout %+v", w)
	}

	// Request -> admin approval -> completed.
	p, err := request("p-1", 10000)
	if err != nil {
		t.Fatal(err)
	}
	payout := p["payout_id"].(string)
	if w := b.wallet(t, b.alice); w != (wallet{available: 7040, reserved: 10000}) {
		t.Fatalf("reserved %+v", w)
	}
	_, err = b.money(t, b.alice, `select producers_avenue.approve_payout('a-self', $1)`, payout)
	wantError(t, err, "42501", "only admins approve")
	_, err = b.money(t, nil, `select producers_avenue.complete_payout('c-early', $1, 'po_1')`, payout)
	wantError(t, err, "23514", "a pending payout cannot become completed")
	if _, err := b.money(t, b.admin, `select producers_avenue.approve_payout('a-1', $1)`, payout); err != nil {
		t.Fatal(err)
	}
	if _, err := b.money(t, nil, `select producers_avenue.complete_payout('c-1', $1, 'po_1')`, payout); err != nil {
		t.Fatal(err)
	}
	var withdrawn int
	b.OwnerScan(t, `select total_withdrawn from producers_avenue.wallets where user_id = $1`, []any{b.alice}, &withdrawn)
	if w := b.wallet(t, b.alice); w != (wallet{available: 7040}) || withdrawn != 10000 {
		t.Fatalf("after payout %+v, withdrawn %d", w, withdrawn)
	}
	// Cancel a pending one: the money returns.
	p2, err := request("p-2", 5000)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.money(t, b.alice, `select producers_avenue.cancel_payout('x-2', $1)`, p2["payout_id"]); err != nil {
		t.Fatal(err)
	}
	if w := b.wallet(t, b.alice); w != (wallet{available: 7040}) {
		t.Fatalf("after cancel %+v", w)
	}
	b.noViolations(t)
}

func TestRefundsAndChargebacks(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.enablePayouts(t, b.alice)
	pack := b.newProduct(t, b.alice, "vocal-pack", "100.00")
	carol := b.NewUserMeta(t, "carol@example.com", `{}`)
	s1, err := b.purchase("s1", b.bob, "product", pack, 10000, "stripe")
	if err != nil {
		t.Fatal(err)
	}
	// Refund before release: it comes out of pending.
	if _, err := b.money(t, nil, `select producers_avenue.refund_purchase('r1', $1)`, s1.TransactionID); err != nil {
		t.Fatal(err)
	}
	if w := b.wallet(t, b.alice); w != (wallet{}) {
		t.Fatalf("after refund %+v", w)
	}
	_, err = b.money(t, nil, `select producers_avenue.refund_purchase('r1-again', $1)`, s1.TransactionID)
	wantError(t, err, "23514", "already refunded")
	// A refunded sale is never released.
	if r := b.release(t, "rel-1", time.Now().Add(30*24*time.Hour)); r.Count != 0 {
		t.Fatalf("released a refunded sale: %+v", r)
	}

	// Released, then paid out, then charged back: available goes negative.
	s2, err := b.purchase("s2", carol, "product", pack, 10000, "paypal")
	if err != nil {
		t.Fatal(err)
	}
	b.release(t, "rel-2", time.Now().Add(8*24*time.Hour))
	p, err := b.money(t, b.alice, `select producers_avenue.request_payout('p', auth.uid(), 5000, 'stripe')`)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.money(t, nil, `select producers_avenue.refund_purchase('cb', $1, 'chargeback', 'fraud')`, s2.TransactionID); err != nil {
		t.Fatal(err)
	}
	// available was share - 5000 (reserved for the payout); the chargeback
	// takes the whole share back out of it.
	if w := b.wallet(t, b.alice); w != (wallet{available: -5000, reserved: 5000}) {
		t.Fatalf("after chargeback %+v, want available -5000", w)
	}
	var status string
	b.OwnerScan(t, `select status from producers_avenue.transactions where id = $1`, []any{s2.TransactionID}, &status)
	if status != "disputed" {
		t.Fatalf("charged-back sale is %s", status)
	}
	// A negative balance blocks payouts, even with money pending.
	if _, err := b.purchase("s3", b.bob, "product", pack, 10000, "stripe"); err != nil {
		t.Fatal(err)
	}
	_, err = b.money(t, b.alice, `select producers_avenue.request_payout('p-neg', auth.uid(), 5000, 'stripe')`)
	wantError(t, err, "23514", "negative balance")
	// The payout in flight still completes or fails cleanly.
	if _, err := b.money(t, nil, `select producers_avenue.fail_payout('f', $1, 'bank rejected')`, p["payout_id"]); err != nil {
		t.Fatal(err)
	}
	b.noViolations(t)
}

// 32 concurrent calls with one key make one effect and all get the first
// result; the same key with other parameters is refused.
func TestIdempotencyUnderConcurrency(t *testing.T) {
	t.Parallel()
	b := setup(t)
	beat := b.newProduct(t, b.alice, "one-beat", "100.00")
	const n = 32
	results := make([]sale, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = b.purchase("same-key", b.bob, "product", beat, 10000, "stripe")
		}()
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("call %d: %v", i, errs[i])
		}
		if results[i] != results[0] {
			t.Fatalf("call %d got %+v, first %+v", i, results[i], results[0])
		}
	}
	var sales, journal int
	b.OwnerScan(t, `select (select count(*) from producers_avenue.transactions), (select count(*) from producers_avenue.ledger_transactions)`, nil, &sales, &journal)
	if sales != 1 || journal != 1 {
		t.Fatalf("%d sales, %d journal entries from one key", sales, journal)
	}
	_, err := b.purchase("same-key", b.bob, "product", beat, 10000, "paypal")
	wantError(t, err, "PT409", "different parameters")

	// Payouts and releases too.
	b.enablePayouts(t, b.alice)
	b.release(t, "rel", time.Now().Add(8*24*time.Hour))
	var pwg sync.WaitGroup
	ids := make([]any, n)
	for i := range n {
		pwg.Add(1)
		go func() {
			defer pwg.Done()
			out, err := b.money(t, b.alice, `select producers_avenue.request_payout('payout-key', auth.uid(), 5000, 'stripe')`)
			if err == nil {
				ids[i] = out["payout_id"]
			} else {
				ids[i] = err.Error()
			}
		}()
	}
	pwg.Wait()
	for i := range n {
		if ids[i] != ids[0] {
			t.Fatalf("payout call %d: %v vs %v", i, ids[i], ids[0])
		}
	}
	var payouts int
	b.OwnerScan(t, `select count(*) from producers_avenue.payouts`, nil, &payouts)
	if payouts != 1 {
		t.Fatalf("%d payouts from one key", payouts)
	}
	b.noViolations(t)
}

// Parallel purchases, refunds, releases and payouts by many buyers and
// sellers end with sound books.
func TestMoneyConcurrency(t *testing.T) {
	t.Parallel()
	b := setup(t)
	const sellers, buyers, rounds = 3, 8, 6
	sellerIDs := make([]string, sellers)
	products := make([]string, sellers)
	for i := range sellers {
		sellerIDs[i] = b.NewUserMeta(t, fmt.Sprintf("seller%d@example.com", i), `{}`)
		b.enablePayouts(t, sellerIDs[i])
		products[i] = b.newProduct(t, sellerIDs[i], fmt.Sprintf("product-%d", i), "80.00")
	}
	buyerIDs := make([]string, buyers)
	for i := range buyers {
		buyerIDs[i] = b.NewUserMeta(t, fmt.Sprintf("buyer%d@example.com", i), `{}`)
	}
	future := time.Now().Add(8 * 24 * time.Hour)
	var wg sync.WaitGroup
	unexpected := make(chan error, 1000)
	for bi, buyer := range buyerIDs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range rounds {
				si := (bi + r) % sellers
				s, err := b.purchase(fmt.Sprintf("buy-%d-%d", bi, r), buyer, "product", products[si], 8000, []string{"stripe", "paypal"}[r%2])
				if err != nil {
					unexpected <- err
					continue
				}
				if r%3 == 0 {
					_, err := b.money(t, nil, `select producers_avenue.refund_purchase($1, $2)`, fmt.Sprintf("refund-%d-%d", bi, r), s.TransactionID)
					if err != nil && sqlState(err) != "23514" {
						unexpected <- err
					}
				}
			}
		}()
	}
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range rounds {
				if _, err := avenue.ReleasePending(context.Background(), b.Owner, fmt.Sprintf("rel-%d-%d", i, r), future, 5); err != nil {
					unexpected <- err
				}
			}
		}()
	}
	for si, seller := range sellerIDs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range rounds {
				_, err := b.money(t, seller, `select producers_avenue.request_payout($1, auth.uid(), 5000, 'stripe')`, fmt.Sprintf("po-%d-%d", si, r))
				if err != nil && sqlState(err) != "23514" { // not enough money yet: refused, fine
					unexpected <- err
				}
			}
		}()
	}
	wg.Wait()
	close(unexpected)
	for err := range unexpected {
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) {
			t.Errorf("unexpected: %v; %s; %s", err, pgErr.Detail, pgErr.Where)
			continue
		}
		t.Errorf("unexpected: %v", err)
	}
	b.release(t, "final", future)
	b.noViolations(t)
	var sales int
	b.OwnerScan(t, `select count(*) from producers_avenue.transactions where transaction_type = 'product_purchase'`, nil, &sales)
	if sales != buyers*rounds {
		t.Fatalf("%d sales, want %d", sales, buyers*rounds)
	}
}
