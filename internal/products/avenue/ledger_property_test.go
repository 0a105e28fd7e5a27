package avenue_test

import (
	"fmt"
	"testing"
	"time"

	"pgregory.net/rapid"
)

// model is the reference the ledger is checked against: each seller's
// pending, available and reserved cents, computed in Go from the
// documented rules (fees, basic-tier commission, hold, payouts, refunds).
type model struct {
	sellers map[string]*wallet
	sales   []modelSale
	payouts []modelPayout
}

type modelSale struct {
	id, seller string
	share      int64
	released   bool
	refunded   bool
}

type modelPayout struct {
	id, seller string
	amount     int64
	open       bool
}

// fee and commission as the schema defines them (basis points, half-up).
func feeOf(cents int64, processor string) int64 {
	switch processor {
	case "stripe":
		return (cents*290+5000)/10000 + 30
	case "paypal":
		return (cents*349+5000)/10000 + 49
	}
	return 0
}

func commissionOf(cents int64) int64 { return (cents*4000 + 5000) / 10000 } // basic: 40 %

func TestLedgerMatchesModel(t *testing.T) {
	t.Parallel()
	b := setup(t)
	prices := []string{"19.99", "49.00", "100.00", "250.00"}
	iteration := 0
	rapid.Check(t, func(rt *rapid.T) {
		iteration++
		m := &model{sellers: map[string]*wallet{}}
		var sellers, buyers []string
		products := map[string][]string{}
		for i := range 2 {
			s := b.NewUserMeta(t, fmt.Sprintf("s%d-%d@example.com", iteration, i), `{}`)
			b.enablePayouts(t, s)
			sellers = append(sellers, s)
			m.sellers[s] = &wallet{}
			for j, p := range prices {
				products[s] = append(products[s], b.newProduct(t, s, fmt.Sprintf("p-%d-%d-%d", iteration, i, j), p))
			}
			buyers = append(buyers, b.NewUserMeta(t, fmt.Sprintf("b%d-%d@example.com", iteration, i), `{}`))
		}
		key := 0
		nextKey := func() string { key++; return fmt.Sprintf("prop-%d-%d", iteration, key) }
		check := func(step string) {
			for _, s := range sellers {
				if got, want := b.wallet(t, s), *m.sellers[s]; got != want {
					rt.Fatalf("after %s: seller wallet %+v, model %+v", step, got, want)
				}
			}
		}
		steps := rapid.IntRange(1, 12).Draw(rt, "steps")
		for range steps {
			switch op := rapid.SampledFrom([]string{"purchase", "purchase", "release", "refund", "payout", "finish"}).Draw(rt, "op"); op {
			case "purchase":
				si := rapid.IntRange(0, 1).Draw(rt, "seller")
				pi := rapid.IntRange(0, len(prices)-1).Draw(rt, "product")
				proc := rapid.SampledFrom([]string{"stripe", "paypal"}).Draw(rt, "processor")
				var cents int64
				var d, c int64
				fmt.Sscanf(prices[pi], "%d.%d", &d, &c)
				cents = d*100 + c
				s, err := b.purchase(nextKey(), buyers[rapid.IntRange(0, 1).Draw(rt, "buyer")], "product", products[sellers[si]][pi], cents, proc)
				if err != nil {
					rt.Fatalf("purchase: %v", err)
				}
				share := cents - feeOf(cents, proc) - commissionOf(cents)
				if s.AmountSeller != share {
					rt.Fatalf("share %d, model %d", s.AmountSeller, share)
				}
				m.sellers[sellers[si]].pending += share
				m.sales = append(m.sales, modelSale{id: s.TransactionID, seller: sellers[si], share: share})
			case "release":
				b.release(t, nextKey(), time.Now().Add(8*24*time.Hour))
				for i := range m.sales {
					if s := &m.sales[i]; !s.released && !s.refunded {
						s.released = true
						m.sellers[s.seller].pending -= s.share
						m.sellers[s.seller].available += s.share
					}
				}
			case "refund":
				if len(m.sales) == 0 {
					continue
				}
				s := &m.sales[rapid.IntRange(0, len(m.sales)-1).Draw(rt, "sale")]
				kind := rapid.SampledFrom([]string{"refund", "chargeback"}).Draw(rt, "kind")
				_, err := b.money(t, nil, `select producers_avenue.refund_purchase($1, $2, $3)`, nextKey(), s.id, kind)
				if s.refunded {
					if sqlState(err) != "23514" {
						rt.Fatalf("second refund: %v", err)
					}
					continue
				}
				if err != nil {
					rt.Fatalf("refund: %v", err)
				}
				if s.released {
					m.sellers[s.seller].available -= s.share
				} else {
					m.sellers[s.seller].pending -= s.share
				}
				s.refunded = true
			case "payout":
				si := rapid.IntRange(0, 1).Draw(rt, "seller")
				amount := rapid.Int64Range(4000, 30000).Draw(rt, "amount")
				w := m.sellers[sellers[si]]
				out, err := b.money(t, sellers[si], `select producers_avenue.request_payout($1, auth.uid(), $2, 'stripe')`, nextKey(), amount)
				allowed := amount >= 5000 && amount <= w.available && w.available >= 0 && w.pending >= 0
				if allowed != (err == nil) {
					rt.Fatalf("payout of %d with %+v: allowed=%v, got %v", amount, *w, allowed, err)
				}
				if err != nil {
					if sqlState(err) != "23514" {
						rt.Fatalf("payout refused with %v", err)
					}
					continue
				}
				w.available -= amount
				w.reserved += amount
				m.payouts = append(m.payouts, modelPayout{id: out["payout_id"].(string), seller: sellers[si], amount: amount, open: true})
			case "finish":
				var open []int
				for i, p := range m.payouts {
					if p.open {
						open = append(open, i)
					}
				}
				if len(open) == 0 {
					continue
				}
				p := &m.payouts[open[rapid.IntRange(0, len(open)-1).Draw(rt, "payout")]]
				w := m.sellers[p.seller]
				if rapid.Bool().Draw(rt, "complete") {
					if _, err := b.money(t, b.admin, `select producers_avenue.approve_payout($1, $2)`, nextKey(), p.id); err != nil {
						rt.Fatalf("approve: %v", err)
					}
					if _, err := b.money(t, nil, `select producers_avenue.complete_payout($1, $2)`, nextKey(), p.id); err != nil {
						rt.Fatalf("complete: %v", err)
					}
				} else {
					if _, err := b.money(t, nil, `select producers_avenue.fail_payout($1, $2, 'bank said no')`, nextKey(), p.id); err != nil {
						rt.Fatalf("fail: %v", err)
					}
					w.available += p.amount
				}
				w.reserved -= p.amount
				p.open = false
			}
			check("step")
		}
	})
	b.noViolations(t)
}
