// Package avenue holds the Go side of Producers Avenue (seed 002). The
// product lives in the database (schema producers_avenue, migrations
// 0200-0299): tables, policies, rules and the money ledger are SQL, so
// every path obeys them. This package adds what needs a clock or the
// outside world: the periodic release of escrowed seller shares, and the
// ledger's invariant check for tests and `creatorbase doctor`.
package avenue

import (
	"context"
	"fmt"
	"time"

	"github.com/creatorbase/creatorbase/internal/database"

	"github.com/jackc/pgx/v5"
)

// DBTX is a pool, a connection or a transaction.
type DBTX = database.DBTX

// Released reports one release_pending call.
type Released struct {
	Count int   `json:"released_count"` // sales moved from pending to available
	Cents int64 `json:"released_cents"` // their seller shares
}

// ReleasePending moves seller shares whose hold ended by asOf from pending
// to available, at most maxRows sales per call. The call is idempotent
// under key: a retry with the same key and asOf returns the first result.
func ReleasePending(ctx context.Context, db DBTX, key string, asOf time.Time, maxRows int) (Released, error) {
	var r Released
	err := db.QueryRow(ctx,
		`select (r ->> 'released_count')::int, (r ->> 'released_cents')::bigint
		   from producers_avenue.release_pending($1, $2, $3) r`, key, asOf, maxRows).Scan(&r.Count, &r.Cents)
	if err != nil {
		return Released{}, fmt.Errorf("release pending: %w", err)
	}
	return r, nil
}

// Violation is one broken money invariant.
type Violation struct {
	Check   string // unbalanced, global_sum, wallet_cache, reserved_payouts, commission, sale_arithmetic, released_pending
	Subject string // the transaction, wallet or account concerned
	Detail  string
}

func (v Violation) String() string { return v.Check + " " + v.Subject + ": " + v.Detail }

// LedgerViolations lists every money invariant that does not hold; none
// means the books are sound.
func LedgerViolations(ctx context.Context, db DBTX) ([]Violation, error) {
	rows, err := db.Query(ctx, `select check_name, subject, detail from producers_avenue.ledger_violations()`)
	if err != nil {
		return nil, fmt.Errorf("ledger violations: %w", err)
	}
	vs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Violation, error) {
		var v Violation
		err := row.Scan(&v.Check, &v.Subject, &v.Detail)
		return v, err
	})
	if err != nil {
		return nil, fmt.Errorf("ledger violations: %w", err)
	}
	return vs, nil
}
