package dbtest

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/creatorbase/creatorbase/internal/database"
)

// Outcomes of one RLS matrix cell. Any other expected outcome is the
// SQLSTATE a rule (a trigger) refuses the statement with.
const (
	OK   = "ok"   // the statement touches the one target row
	Some = "some" // it touches one row or more (statements aimed at a set)
	None = "none" // it runs, but RLS hides the row: 0 rows
	Deny = "deny" // refused: SQLSTATE 42501 (no grant, or the new row fails a policy)
)

// MatrixOps are a matrix row's four statements, in order.
var MatrixOps = [4]string{"select", "insert", "update", "delete"}

// Cell runs one matrix statement as req in a rolled-back request
// transaction, so that cells do not interfere. prep, when set, runs first
// in the same transaction as the service role (to make room for a row that
// is unique per user, say).
func (e *Env) Cell(req database.Request, prep, sql string) (int64, error) {
	req.Rollback = true
	var n int64
	err := e.Runner.Do(context.Background(), req, func(ctx context.Context, tx pgx.Tx) error {
		if prep != "" {
			if _, err := tx.Exec(ctx, `select set_config('role', 'service_role', true)`); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, prep); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `select set_config('role', $1, true)`, req.Role); err != nil {
				return err
			}
		}
		tag, err := tx.Exec(ctx, sql)
		n = tag.RowsAffected()
		return err
	})
	return n, err
}

// WantCell fails the test unless a cell that touched n rows with err had
// the outcome want: OK (one row), Some (one or more), None (no row), Deny
// (SQLSTATE 42501) or another SQLSTATE.
func WantCell(t testing.TB, n int64, err error, want, sql string) {
	t.Helper()
	switch want {
	case Some:
		if err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		if n == 0 {
			t.Fatalf("%s: no rows, want one or more", sql)
		}
	case OK, None:
		if err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		wantRows := int64(1)
		if want == None {
			wantRows = 0
		}
		if n != wantRows {
			t.Fatalf("%s: %d rows, want %d (%s)", sql, n, wantRows, want)
		}
	case Deny:
		if got := SQLState(err); got != "42501" {
			t.Fatalf("%s: got error %v (SQLSTATE %q), want SQLSTATE 42501", sql, err, got)
		}
	default:
		if got := SQLState(err); got != want {
			t.Fatalf("%s: got error %v (SQLSTATE %q), want SQLSTATE %s", sql, err, got, want)
		}
	}
}

// CoversEveryTable fails unless covered names exactly the tables of
// schema: a new table fails until the matrix gets a row for it, and a row
// for a table that does not exist fails too. matrix names the test in the
// messages.
func (e *Env) CoversEveryTable(t testing.TB, schema string, covered map[string]bool, matrix string) {
	t.Helper()
	var tables []string
	e.OwnerScan(t, `select coalesce(array_agg(c.relname::text order by c.relname), '{}') from pg_class c
		join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and c.relkind in ('r', 'p')`,
		[]any{schema}, &tables)
	seen := map[string]bool{}
	for _, table := range tables {
		seen[table] = true
		if !covered[table] {
			t.Errorf("%s.%s has no row in %s", schema, table, matrix)
		}
	}
	for table := range covered {
		if !seen[table] {
			t.Errorf("%s has a row for %s, which is not a table of %s", matrix, table, schema)
		}
	}
}
