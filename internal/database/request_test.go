package database_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/creatorbase/creatorbase/internal/database"
	"github.com/creatorbase/creatorbase/internal/dbtest"
)

func newRunner(t *testing.T) (*database.Runner, *dbtest.DB) {
	t.Helper()
	db := dbtest.New(t)
	r, err := database.NewRunner(context.Background(), db.Authenticator(t))
	if err != nil {
		t.Fatal(err)
	}
	return r, db
}

func TestRunnerSetsRoleAndClaims(t *testing.T) {
	t.Parallel()
	r, _ := newRunner(t)
	ctx := context.Background()

	tests := []struct {
		name     string
		req      database.Request
		wantUser string
		wantRole string
		wantUID  string
		wantMail string
	}{
		{
			name:     "Anon",
			req:      database.Request{Role: "anon"},
			wantUser: "anon", wantRole: "anon",
		},
		{
			name: "Authenticated",
			req: database.Request{Role: "authenticated", Claims: []byte(
				`{"sub":"8d0fd2b3-9ca7-4d9e-a95f-9e13dded323e","role":"authenticated","email":"a@example.com"}`)},
			wantUser: "authenticated", wantRole: "authenticated",
			wantUID: "8d0fd2b3-9ca7-4d9e-a95f-9e13dded323e", wantMail: "a@example.com",
		},
		{
			name:     "ServiceRole",
			req:      database.Request{Role: "service_role", Claims: []byte(`{"role":"service_role"}`)},
			wantUser: "service_role", wantRole: "service_role",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var user, role string
			var uid, email *string
			var method string
			tt.req.Method = "GET"
			err := r.Run(ctx, tt.req, func(b *pgx.Batch) {
				b.Queue(`select current_user, auth.role(), auth.uid()::text, auth.email(), current_setting('request.method')`).
					QueryRow(func(row pgx.Row) error { return row.Scan(&user, &role, &uid, &email, &method) })
			})
			if err != nil {
				t.Fatal(err)
			}
			if user != tt.wantUser || role != tt.wantRole || method != "GET" {
				t.Fatalf("current_user %q auth.role() %q method %q; want %q %q GET", user, role, method, tt.wantUser, tt.wantRole)
			}
			if got := deref(uid); got != tt.wantUID {
				t.Fatalf("auth.uid() = %q, want %q", got, tt.wantUID)
			}
			if got := deref(email); got != tt.wantMail {
				t.Fatalf("auth.email() = %q, want %q", got, tt.wantMail)
			}
		})
	}

	t.Run("JWTReturnsAllClaims", func(t *testing.T) {
		t.Parallel()
		var sub string
		err := r.Run(ctx, database.Request{Role: "authenticated", Claims: []byte(`{"role":"authenticated","app_metadata":{"tier":"gold"}}`)},
			func(b *pgx.Batch) {
				b.Queue(`select auth.jwt() -> 'app_metadata' ->> 'tier'`).QueryRow(func(row pgx.Row) error { return row.Scan(&sub) })
			})
		if err != nil || sub != "gold" {
			t.Fatalf("auth.jwt() app_metadata.tier = %q, err %v", sub, err)
		}
	})
}

func TestRunnerSettingsAreTransactionLocal(t *testing.T) {
	t.Parallel()
	r, db := newRunner(t)
	ctx := context.Background()
	pool := db.Authenticator(t)
	_ = pool
	if err := r.Run(ctx, database.Request{Role: "service_role"}, func(*pgx.Batch) {}); err != nil {
		t.Fatal(err)
	}
	var user string
	var claims *string
	if err := pool.QueryRow(ctx, "select current_user, nullif(current_setting('request.jwt.claims', true), '')").Scan(&user, &claims); err != nil {
		t.Fatal(err)
	}
	if user != "authenticator" || claims != nil {
		t.Fatalf("after a request: current_user %q claims %v; want authenticator and none", user, deref(claims))
	}
}

func TestRunnerAppliesRoleSettings(t *testing.T) {
	t.Parallel()
	r, _ := newRunner(t)
	ctx := context.Background()
	for role, want := range map[string]string{"anon": "3s", "authenticated": "8s"} {
		var got string
		err := r.Run(ctx, database.Request{Role: role}, func(b *pgx.Batch) {
			b.Queue("select current_setting('statement_timeout')").QueryRow(func(row pgx.Row) error { return row.Scan(&got) })
		})
		if err != nil || got != want {
			t.Fatalf("%s: statement_timeout %q (err %v), want %q", role, got, err, want)
		}
	}
}

func TestRunnerRejectsUnknownRoles(t *testing.T) {
	t.Parallel()
	r, _ := newRunner(t)
	for _, role := range []string{"postgres", "authenticator", "", "anon; drop table x"} {
		err := r.Run(context.Background(), database.Request{Role: role}, func(*pgx.Batch) {})
		if !errors.Is(err, database.ErrRoleNotAllowed) {
			t.Fatalf("role %q: got %v, want ErrRoleNotAllowed", role, err)
		}
	}
}

func TestRunnerReadOnlyAndRollback(t *testing.T) {
	t.Parallel()
	r, db := newRunner(t)
	ctx := context.Background()
	owner := db.Owner(t)
	if _, err := owner.Exec(ctx, `create table public.notes (id int primary key);
		grant select, insert on public.notes to service_role`); err != nil {
		t.Fatal(err)
	}

	t.Run("ReadOnlyRefusesWrites", func(t *testing.T) {
		err := r.Run(ctx, database.Request{Role: "service_role", ReadOnly: true}, func(b *pgx.Batch) {
			b.Queue("insert into public.notes values (1)")
		})
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) || pgErr.Code != "25006" {
			t.Fatalf("got %v, want SQLSTATE 25006 read_only_sql_transaction", err)
		}
	})
	t.Run("RollbackDiscards", func(t *testing.T) {
		err := r.Run(ctx, database.Request{Role: "service_role", Rollback: true}, func(b *pgx.Batch) {
			b.Queue("insert into public.notes values (2)")
		})
		if err != nil {
			t.Fatal(err)
		}
		assertCount(t, owner, "select count(*) from public.notes", 0)
	})
	t.Run("ErrorRollsBackEverything", func(t *testing.T) {
		err := r.Run(ctx, database.Request{Role: "service_role"}, func(b *pgx.Batch) {
			b.Queue("insert into public.notes values (3)")
			b.Queue("insert into public.notes values (3)")
		})
		if err == nil || !strings.Contains(err.Error(), "duplicate key") {
			t.Fatalf("got %v, want a duplicate key error", err)
		}
		assertCount(t, owner, "select count(*) from public.notes", 0)
		// the connection went back to the pool clean
		var n int
		if err := r.Run(ctx, database.Request{Role: "service_role"}, func(b *pgx.Batch) {
			b.Queue("select count(*) from public.notes").QueryRow(func(row pgx.Row) error { return row.Scan(&n) })
		}); err != nil {
			t.Fatalf("request after a failed one: %v", err)
		}
	})
	t.Run("DoCommits", func(t *testing.T) {
		err := r.Do(ctx, database.Request{Role: "service_role"}, func(ctx context.Context, tx pgx.Tx) error {
			_, err := tx.Exec(ctx, "insert into public.notes values (4)")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		assertCount(t, owner, "select count(*) from public.notes where id = 4", 1)
	})
}

func TestRequestRolesCannotReadAuthTables(t *testing.T) {
	t.Parallel()
	r, _ := newRunner(t)
	for _, role := range []string{"anon", "authenticated", "service_role"} {
		err := r.Run(context.Background(), database.Request{Role: role}, func(b *pgx.Batch) {
			b.Queue("select count(*) from auth.users")
		})
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) || pgErr.Code != "42501" {
			t.Fatalf("%s reading auth.users: got %v, want 42501 insufficient_privilege", role, err)
		}
	}
}

func TestRolesAsSupabaseDefinesThem(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	ctx := context.Background()
	rows, err := db.Owner(t).Query(ctx, `select rolname, rolcanlogin, rolinherit, rolbypassrls, rolsuper
		from pg_roles where rolname in ('anon','authenticated','service_role','authenticator','supabase_auth_admin') order by rolname`)
	if err != nil {
		t.Fatal(err)
	}
	type role struct{ login, inherit, bypass, super bool }
	got := map[string]role{}
	for rows.Next() {
		var name string
		var r role
		if err := rows.Scan(&name, &r.login, &r.inherit, &r.bypass, &r.super); err != nil {
			t.Fatal(err)
		}
		got[name] = r
	}
	want := map[string]role{
		"anon":                {},
		"authenticated":       {},
		"service_role":        {bypass: true},
		"authenticator":       {login: true},
		"supabase_auth_admin": {},
	}
	for name, w := range want {
		if got[name] != w {
			t.Errorf("role %s: got %+v, want %+v", name, got[name], w)
		}
	}
}

func TestWithTx(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	ctx := context.Background()
	owner := db.Owner(t)
	if _, err := owner.Exec(ctx, "create table t (id int)"); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := database.WithTx(ctx, owner, func(ctx context.Context, tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "insert into t values (1)"); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("got %v, want boom", err)
	}
	assertCount(t, owner, "select count(*) from t", 0)
	if err := database.WithTx(ctx, owner, func(ctx context.Context, tx pgx.Tx) error {
		_, err := tx.Exec(ctx, "insert into t values (1)")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	assertCount(t, owner, "select count(*) from t", 1)
}

type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

func assertCount(t *testing.T, q querier, sql string, want int) {
	t.Helper()
	var n int
	if err := q.QueryRow(context.Background(), sql).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != want {
		t.Fatalf("%s = %d, want %d", sql, n, want)
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func TestRunnerAcquireTimeout(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	pool := db.Authenticator(t) // four connections
	r, err := database.NewRunner(context.Background(), pool, database.WithAcquireTimeout(200*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var held []*pgxpool.Conn
	for range pool.Config().MaxConns {
		c, err := pool.Acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, c)
	}
	req := database.Request{Role: "anon"}
	queue := func(b *pgx.Batch) { b.Queue("select 1") }
	if err := r.Run(ctx, req, queue); !errors.Is(err, database.ErrPoolTimeout) {
		t.Fatalf("Run with every connection busy: got %v, want ErrPoolTimeout", err)
	}
	err = r.Do(ctx, req, func(context.Context, pgx.Tx) error { return nil })
	if !errors.Is(err, database.ErrPoolTimeout) {
		t.Fatalf("Do with every connection busy: got %v, want ErrPoolTimeout", err)
	}
	// A request whose own context ends first reports that, not the pool.
	cctx, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if err := r.Run(cctx, req, queue); !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, database.ErrPoolTimeout) {
		t.Fatalf("Run whose context ends first: got %v, want context.DeadlineExceeded", err)
	}
	held[0].Release()
	if err := r.Run(ctx, req, queue); err != nil {
		t.Fatalf("Run once a connection is free: %v", err)
	}
	for _, c := range held[1:] {
		c.Release()
	}
}
