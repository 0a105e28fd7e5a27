package dbtest

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// ActivityRow is one row of a my_activity view.
type ActivityRow struct {
	Kind    string
	Entity  string // entity_id
	At      time.Time
	Details map[string]any
}

// Activity reads, as user who, the rows of product in view
// (public.my_activity or the product's own my_activity), ordered by kind
// and entity_id.
func (e *Env) Activity(t testing.TB, who, view, product string) []ActivityRow {
	t.Helper()
	var got []ActivityRow
	err := e.Runner.Do(context.Background(), User(who), func(ctx context.Context, tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `select kind, entity_id, occurred_at, details from `+view+`
			where product = $1 order by kind, entity_id`, product)
		if err != nil {
			return err
		}
		got, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (ActivityRow, error) {
			var r ActivityRow
			err := row.Scan(&r.Kind, &r.Entity, &r.At, &r.Details)
			return r, err
		})
		return err
	})
	if err != nil {
		t.Fatalf("dbtest: %s of %s: %v", view, who, err)
	}
	return got
}

// ActivityKinds is "kind:count ..." of who's rows of product in view,
// sorted by kind; empty when there are none.
func (e *Env) ActivityKinds(t testing.TB, who, view, product string) string {
	t.Helper()
	var got string
	e.MustScan(t, User(who), `select coalesce(string_agg(kind || ':' || n, ' ' order by kind), '')
		from (select kind, count(*) as n from `+view+` where product = $1 group by kind) k`, []any{product}, &got)
	return got
}

// SameJSON reports whether got and want encode to the same JSON: keys in
// any order (encoding/json sorts them), numbers whatever their Go type.
func SameJSON(got, want map[string]any) bool {
	g, err := json.Marshal(got)
	if err != nil {
		return false
	}
	w, err := json.Marshal(want)
	return err == nil && string(g) == string(w)
}
