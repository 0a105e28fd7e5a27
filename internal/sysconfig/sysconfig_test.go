package sysconfig_test

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/creatorbase/creatorbase/internal/dbtest"
	"github.com/creatorbase/creatorbase/internal/sysconfig"
)

func TestMain(m *testing.M) {
	code := dbtest.Main(m)
	if code == 0 {
		if leaked := leakedWatchers(); leaked != "" {
			fmt.Fprintln(os.Stderr, "sysconfig: goroutines still running after the tests:\n"+leaked)
			code = 1
		}
	}
	os.Exit(code)
}

// leakedWatchers returns the stacks of goroutines still inside a Watcher.
func leakedWatchers() string {
	deadline := time.Now().Add(2 * time.Second)
	for {
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		var leaked []string
		for g := range strings.SplitSeq(string(buf), "\n\n") {
			if strings.Contains(g, "sysconfig.(*Watcher)") {
				leaked = append(leaked, g)
			}
		}
		if len(leaked) == 0 || time.Now().After(deadline) {
			return strings.Join(leaked, "\n\n")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

type testBundle struct {
	db    *dbtest.DB
	owner *pgxpool.Pool
}

func setup(t *testing.T) *testBundle {
	t.Helper()
	db := dbtest.New(t)
	return &testBundle{db: db, owner: db.Owner(t)}
}

// start runs a watcher as the server does: the authenticator's login,
// switched to service_role.
func (b *testBundle) start(t *testing.T, opts sysconfig.Options) *sysconfig.Watcher {
	t.Helper()
	opts.ConnString = b.db.AuthenticatorURL
	if opts.Role == "" {
		opts.Role = "service_role"
	}
	if opts.MinBackoff == 0 {
		opts.MinBackoff = 10 * time.Millisecond
		opts.MaxBackoff = 200 * time.Millisecond
	}
	w, err := sysconfig.New(context.Background(), opts)
	if err != nil {
		t.Fatalf("sysconfig.New: %v", err)
	}
	t.Cleanup(func() { _ = w.Close() })
	return w
}

func (b *testBundle) exec(t *testing.T, sql string, args ...any) {
	t.Helper()
	if _, err := b.owner.Exec(context.Background(), sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s", what, within)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func TestWatcher(t *testing.T) {
	t.Parallel()

	t.Run("LoadsTypedValues", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.exec(t, `insert into system.configurations (category, key, value, value_type) values
			('test', 'ratio', '0.25', 'number'), ('test', 'doc', '{"a": [1, 2]}', 'json')`)
		w := b.start(t, sysconfig.Options{})

		if got := w.Int("api_limits", "max_api_calls_tiktok", 0); got != 1000 {
			t.Fatalf("Int(api_limits.max_api_calls_tiktok) = %d, want 1000", got)
		}
		if got := w.Duration("timeouts", "ai_request", 0); got != time.Minute {
			t.Fatalf("Duration(timeouts.ai_request) = %s, want 1m", got)
		}
		if got := w.Bool("feature_flags", "maintenance_mode", true); got {
			t.Fatal("Bool(feature_flags.maintenance_mode) = true, want false")
		}
		if got := w.String("email", "from_name", ""); got != "creatorbase" {
			t.Fatalf("String(email.from_name) = %q", got)
		}
		if got := w.Float("test", "ratio", 0); got != 0.25 {
			t.Fatalf("Float(test.ratio) = %v", got)
		}
		var doc struct{ A []int }
		if ok, err := w.Snapshot().JSON("test", "doc", &doc); !ok || err != nil || len(doc.A) != 2 {
			t.Fatalf("JSON(test.doc) = %+v, ok %v, err %v", doc, ok, err)
		}
		// Missing keys and wrong types fall back to the default.
		if got := w.Int("nope", "nope", 7); got != 7 {
			t.Fatalf("missing Int = %d, want default 7", got)
		}
		if got := w.Duration("email", "from_name", 3*time.Second); got != 3*time.Second {
			t.Fatalf("Duration of a non-duration = %s, want default", got)
		}
		if v, ok := w.Snapshot().Lookup("timeouts", "ai_request"); !ok || v.Type != sysconfig.TypeDuration || !v.HotReloadable {
			t.Fatalf("Lookup = %+v, %v", v, ok)
		}
	})

	t.Run("SeesAChangeWithinOneSecond", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		w := b.start(t, sysconfig.Options{})
		before := w.Snapshot().Version()

		b.exec(t, `update system.configurations set value = '2500' where category = 'api_limits' and key = 'max_api_calls_tiktok'`)
		eventually(t, time.Second, "updated value", func() bool {
			return w.Int("api_limits", "max_api_calls_tiktok", 0) == 2500
		})
		if w.Snapshot().Version() <= before {
			t.Fatal("snapshot version did not grow")
		}

		b.exec(t, `insert into system.configurations (category, key, value, value_type) values ('test', 'fresh', '"yes"', 'string')`)
		eventually(t, time.Second, "inserted value", func() bool { return w.String("test", "fresh", "") == "yes" })

		b.exec(t, `delete from system.configurations where category = 'test' and key = 'fresh'`)
		eventually(t, time.Second, "deleted value", func() bool {
			_, ok := w.Snapshot().Lookup("test", "fresh")
			return !ok
		})
	})

	t.Run("RolledBackChangeIsNotSeen", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		w := b.start(t, sysconfig.Options{})
		ctx := context.Background()
		tx, err := b.owner.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(ctx, `update system.configurations set value = '1' where key = 'max_api_calls_tiktok'`); err != nil {
			t.Fatal(err)
		}
		if err := tx.Rollback(ctx); err != nil {
			t.Fatal(err)
		}
		// A committed change after it is the barrier: once it is seen, the
		// rolled-back one would have been too.
		b.exec(t, `update system.configurations set value = 'true' where key = 'maintenance_mode'`)
		eventually(t, time.Second, "barrier change", func() bool { return w.Bool("feature_flags", "maintenance_mode", false) })
		if got := w.Int("api_limits", "max_api_calls_tiktok", 0); got != 1000 {
			t.Fatalf("rolled-back change visible: %d", got)
		}
	})

	t.Run("NotHotReloadableKeepsStartValue", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.exec(t, `insert into system.configurations (category, key, value, value_type, is_hot_reloadable)
			values ('server', 'workers', '4', 'integer', false)`)
		w := b.start(t, sysconfig.Options{})

		b.exec(t, `update system.configurations set value = '16' where category = 'server' and key = 'workers'`)
		b.exec(t, `insert into system.configurations (category, key, value, value_type, is_hot_reloadable)
			values ('server', 'later', '1', 'integer', false)`)
		b.exec(t, `update system.configurations set value = '"9s"' where key = 'ai_request'`)
		eventually(t, time.Second, "hot change", func() bool { return w.Duration("timeouts", "ai_request", 0) == 9*time.Second })
		if got := w.Int("server", "workers", 0); got != 4 {
			t.Fatalf("server.workers = %d, want the start-up value 4", got)
		}
		if _, ok := w.Snapshot().Lookup("server", "later"); ok {
			t.Fatal("a non-hot-reloadable key added after start is visible before a restart")
		}

		// A new watcher (a restart) sees the new values.
		w2 := b.start(t, sysconfig.Options{})
		if got := w2.Int("server", "workers", 0); got != 16 {
			t.Fatalf("after restart server.workers = %d, want 16", got)
		}
		if got := w2.Int("server", "later", 0); got != 1 {
			t.Fatalf("after restart server.later = %d, want 1", got)
		}
	})

	t.Run("ReconnectsAndCatchesUp", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		w := b.start(t, sysconfig.Options{})
		ctx := context.Background()

		var killed int
		err := b.owner.QueryRow(ctx, `select count(pg_terminate_backend(pid)) from pg_stat_activity
			where datname = current_database() and application_name = 'creatorbase-sysconfig'`).Scan(&killed)
		if err != nil || killed != 1 {
			t.Fatalf("terminated %d watcher connections (err %v), want 1", killed, err)
		}
		// Changed while the watcher may be away: the reload after
		// reconnecting picks it up.
		b.exec(t, `update system.configurations set value = '42' where key = 'max_api_calls_tiktok'`)
		eventually(t, 10*time.Second, "change after reconnect", func() bool {
			return w.Int("api_limits", "max_api_calls_tiktok", 0) == 42
		})
		// And it listens again.
		b.exec(t, `update system.configurations set value = '43' where key = 'max_api_calls_tiktok'`)
		eventually(t, time.Second, "change on the new connection", func() bool {
			return w.Int("api_limits", "max_api_calls_tiktok", 0) == 43
		})
	})

	t.Run("OnChangeIsCalled", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		var calls atomic.Int64
		var last atomic.Int64
		b.start(t, sysconfig.Options{OnChange: func(s *sysconfig.Snapshot) {
			calls.Add(1)
			last.Store(s.Int("api_limits", "max_api_calls_tiktok", 0))
		}})
		if calls.Load() != 1 {
			t.Fatalf("OnChange called %d times at start, want 1", calls.Load())
		}
		b.exec(t, `update system.configurations set value = '77' where key = 'max_api_calls_tiktok'`)
		eventually(t, time.Second, "OnChange with the new value", func() bool { return last.Load() == 77 })
	})

	t.Run("CloseStopsAndDisconnects", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		w := b.start(t, sysconfig.Options{})
		closed := make(chan struct{})
		go func() { _ = w.Close(); close(closed) }()
		select {
		case <-closed:
		case <-time.After(5 * time.Second):
			t.Fatal("Close did not return")
		}
		select {
		case <-w.Done():
		default:
			t.Fatal("Done not closed after Close")
		}
		if err := w.Close(); err != nil {
			t.Fatalf("second Close: %v", err)
		}
		if got := w.Int("api_limits", "max_api_calls_tiktok", 0); got != 1000 {
			t.Fatalf("snapshot after Close = %d, want 1000", got)
		}
		eventually(t, 5*time.Second, "watcher connection gone", func() bool {
			var n int
			err := b.owner.QueryRow(context.Background(), `select count(*) from pg_stat_activity
				where datname = current_database() and application_name = 'creatorbase-sysconfig'`).Scan(&n)
			return err == nil && n == 0
		})
	})

	t.Run("ContextCancelStops", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		ctx, cancel := context.WithCancel(context.Background())
		w, err := sysconfig.New(ctx, sysconfig.Options{ConnString: b.db.AuthenticatorURL, Role: "service_role"})
		if err != nil {
			t.Fatal(err)
		}
		cancel()
		select {
		case <-w.Done():
		case <-time.After(5 * time.Second):
			t.Fatal("watcher still running after its context was cancelled")
		}
		_ = w.Close()
	})

	t.Run("RefusesARoleThatCannotRead", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		for _, role := range []string{"anon", "authenticated"} {
			w, err := sysconfig.New(context.Background(), sysconfig.Options{ConnString: b.db.AuthenticatorURL, Role: role})
			if err == nil {
				_ = w.Close()
				t.Fatalf("role %s could load system.configurations", role)
			}
			if !strings.Contains(err.Error(), "permission denied") {
				t.Fatalf("role %s: got %v, want permission denied", role, err)
			}
		}
	})
}
