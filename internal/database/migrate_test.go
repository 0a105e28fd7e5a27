package database_test

import (
	"context"
	"errors"
	"testing"

	"github.com/creatorbase/creatorbase/internal/database"
	"github.com/creatorbase/creatorbase/internal/dbtest"
)

func TestMigrator(t *testing.T) {
	t.Parallel()

	setup := func(t *testing.T) (*database.Migrator, *dbtest.DB) {
		t.Helper()
		db := dbtest.NewEmpty(t)
		return db.Migrator(t), db
	}

	t.Run("UpDownUp", func(t *testing.T) {
		t.Parallel()
		ctx := context.Background()
		m, db := setup(t)
		n, err := m.Up(ctx)
		if err != nil || n == 0 {
			t.Fatalf("first up: applied %d, err %v", n, err)
		}
		if err := m.CheckCurrent(ctx); err != nil {
			t.Fatalf("after up: %v", err)
		}
		down, err := m.DownTo(ctx, 0)
		if err != nil || down != n {
			t.Fatalf("down: rolled back %d of %d, err %v", down, n, err)
		}
		owner := db.Owner(t)
		var authSchema bool
		if err := owner.QueryRow(ctx, "select exists (select from pg_namespace where nspname = 'auth')").Scan(&authSchema); err != nil || authSchema {
			t.Fatalf("auth schema still there after down (err %v)", err)
		}
		if again, err := m.Up(ctx); err != nil || again != n {
			t.Fatalf("second up: applied %d of %d, err %v", again, n, err)
		}
	})

	t.Run("CheckCurrentRefusesPending", func(t *testing.T) {
		t.Parallel()
		m, _ := setup(t)
		err := m.CheckCurrent(context.Background())
		if !errors.Is(err, database.ErrSchemaOutdated) {
			t.Fatalf("got %v, want ErrSchemaOutdated", err)
		}
	})

	t.Run("AProductsMigrationBelowAnAppliedOne", func(t *testing.T) {
		t.Parallel()
		ctx := context.Background()
		m, _ := setup(t)
		if _, err := m.Up(ctx); err != nil {
			t.Fatal(err)
		}
		// A data dir migrated before CreatorPulse's newest migration
		// existed, while later products' migrations did.
		statuses, err := m.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var newest, highest int64
		for _, s := range statuses {
			v := s.Source.Version
			if v >= 100 && v < 200 {
				newest = max(newest, v)
			}
			highest = max(highest, v)
		}
		if newest == 0 || highest <= newest {
			t.Fatalf("want a CreatorPulse migration below another product's, got %d and %d", newest, highest)
		}
		if err := m.Apply(ctx, newest, false); err != nil {
			t.Fatalf("down %d: %v", newest, err)
		}
		if n, err := m.Up(ctx); err != nil || n != 1 {
			t.Fatalf("up applied %d (err %v), want %d alone", n, err, newest)
		}
		if err := m.CheckCurrent(ctx); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("UpIsIdempotent", func(t *testing.T) {
		t.Parallel()
		ctx := context.Background()
		m, _ := setup(t)
		if _, err := m.Up(ctx); err != nil {
			t.Fatal(err)
		}
		if n, err := m.Up(ctx); err != nil || n != 0 {
			t.Fatalf("second up applied %d (err %v), want 0", n, err)
		}
	})
}
