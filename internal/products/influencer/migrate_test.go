package influencer_test

import (
	"context"
	"testing"

	"github.com/creatorbase/creatorbase/internal/dbtest"
)

// TestMigrationsReverse: 0400-0406 go down cleanly and up again.
func TestMigrationsReverse(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, m, n := dbtest.NewMigrated(t)
	if _, err := m.DownTo(ctx, 399); err != nil {
		t.Fatalf("down to 0399: %v", err)
	}
	var left int
	if err := db.Owner(t).QueryRow(ctx, `select count(*) from pg_namespace where nspname = 'influencer'`).Scan(&left); err != nil || left != 0 {
		t.Fatalf("influencer schema left after down (%d, err %v)", left, err)
	}
	again, err := m.Up(ctx)
	if err != nil || again == 0 || again > n {
		t.Fatalf("up again: %d, err %v", again, err)
	}
}
