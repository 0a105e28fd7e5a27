package database_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/creatorbase/creatorbase/internal/database"
	"github.com/creatorbase/creatorbase/internal/dbtest"
)

// BenchmarkRunnerRun is one request transaction (BEGIN, role and claims,
// a query, COMMIT) in a single pipelined round trip.
func BenchmarkRunnerRun(b *testing.B) {
	r := benchRunner(b)
	ctx := context.Background()
	req := database.Request{Role: "authenticated", Claims: []byte(`{"role":"authenticated","sub":"8d0fd2b3-9ca7-4d9e-a95f-9e13dded323e"}`), ReadOnly: true}
	for b.Loop() {
		var uid string
		if err := r.Run(ctx, req, func(batch *pgx.Batch) {
			batch.Queue("select auth.uid()::text").QueryRow(func(row pgx.Row) error { return row.Scan(&uid) })
		}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRunnerDo is the same work through Do: a round trip for BEGIN,
// one for the settings, one for the query and one for COMMIT.
func BenchmarkRunnerDo(b *testing.B) {
	r := benchRunner(b)
	ctx := context.Background()
	req := database.Request{Role: "authenticated", Claims: []byte(`{"role":"authenticated","sub":"8d0fd2b3-9ca7-4d9e-a95f-9e13dded323e"}`), ReadOnly: true}
	for b.Loop() {
		if err := r.Do(ctx, req, func(ctx context.Context, tx pgx.Tx) error {
			var uid string
			return tx.QueryRow(ctx, "select auth.uid()::text").Scan(&uid)
		}); err != nil {
			b.Fatal(err)
		}
	}
}

func benchRunner(b *testing.B) *database.Runner {
	b.Helper()
	db := dbtest.New(b)
	r, err := database.NewRunner(context.Background(), db.Authenticator(b))
	if err != nil {
		b.Fatal(err)
	}
	return r
}
