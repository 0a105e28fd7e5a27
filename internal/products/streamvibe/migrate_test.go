package streamvibe_test

import (
	"context"
	"strings"
	"testing"

	"github.com/creatorbase/creatorbase/internal/dbtest"
)

// TestMigrationsDownUp rolls every migration from 0300 on back and applies
// them again: the Down steps leave no streamvibe object behind (schema,
// functions, the signup trigger on public.users, the branch of
// public.my_activity) and Up works twice.
func TestMigrationsDownUp(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, m, _ := dbtest.NewMigrated(t)
	owner := db.Owner(t)
	if _, err := m.DownTo(ctx, 299); err != nil {
		t.Fatalf("down to 299: %v", err)
	}
	var leftovers int
	err := owner.QueryRow(ctx, `select
		(select count(*) from pg_namespace where nspname = 'streamvibe')
		+ (select count(*) from pg_trigger where tgname like 'streamvibe%')
		+ (select count(*) from pg_trigger t join pg_proc p on p.oid = t.tgfoid
		   join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'streamvibe')`).Scan(&leftovers)
	if err != nil {
		t.Fatalf("leftovers: %v", err)
	}
	if leftovers != 0 {
		t.Fatalf("%d streamvibe objects left after down", leftovers)
	}
	// 0304's Down took only its branch out of public.my_activity.
	def := db.ViewDef(t, "public.my_activity")
	if strings.Contains(def, "streamvibe") || !strings.Contains(def, "creatorpulse.my_activity") || !strings.Contains(def, "tenant_joined") {
		t.Fatalf("public.my_activity after down: %s", def)
	}
	// Signup still works without StreamVibe.
	if _, err := owner.Exec(ctx, `insert into auth.users (id, email, raw_user_meta_data, created_at, updated_at)
		values (gen_random_uuid(), 'x@example.com', '{}', now(), now())`); err != nil {
		t.Fatalf("signup after down: %v", err)
	}
	if _, err := m.Up(ctx); err != nil {
		t.Fatalf("up again: %v", err)
	}
	def = db.ViewDef(t, "public.my_activity")
	if strings.Count(def, "streamvibe.my_activity") != 1 || !strings.Contains(def, "creatorpulse.my_activity") {
		t.Fatalf("public.my_activity after up again: %s", def)
	}
	var subs int
	if err := owner.QueryRow(ctx, `select count(*) from streamvibe.subscription`).Scan(&subs); err != nil || subs != 1 {
		t.Fatalf("backfill after up: %d subscriptions, err %v", subs, err)
	}
}
