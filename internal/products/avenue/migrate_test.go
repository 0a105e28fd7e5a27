package avenue_test

import (
	"context"
	"testing"

	"github.com/creatorbase/creatorbase/internal/dbtest"
)

// Every Producers Avenue migration goes down and comes back up cleanly.
// (DownTo(199) also rolls back later products' migrations, which must be
// reversible as well.)
func TestMigrationsDownAndUp(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	ctx := context.Background()
	m := db.Migrator(t)
	if _, err := m.DownTo(ctx, 199); err != nil {
		t.Fatalf("down: %v", err)
	}
	owner := db.Owner(t)
	var left int
	if err := owner.QueryRow(ctx, `select (select count(*) from pg_namespace where nspname = 'producers_avenue')
		+ (select count(*) from pg_trigger where tgname like 'producers_avenue%')
		+ (select count(*) from system.configurations where category = 'producers_avenue')`).Scan(&left); err != nil {
		t.Fatal(err)
	}
	if left != 0 {
		t.Fatalf("%d Producers Avenue objects left after down", left)
	}
	if _, err := m.Up(ctx); err != nil {
		t.Fatalf("up again: %v", err)
	}
	var profiles int
	if _, err := owner.Exec(ctx, `insert into auth.users (id, email, created_at, updated_at) values (gen_random_uuid(), 'again@example.com', now(), now())`); err != nil {
		t.Fatal(err)
	}
	if err := owner.QueryRow(ctx, `select count(*) from producers_avenue.user_profiles p join producers_avenue.wallets w using (user_id)`).Scan(&profiles); err != nil {
		t.Fatal(err)
	}
	if profiles != 1 {
		t.Fatalf("signup after re-migration made %d profiles", profiles)
	}
}
