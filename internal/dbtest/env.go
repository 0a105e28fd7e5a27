package dbtest

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/creatorbase/creatorbase/internal/database"
)

// Env is a test database as the Data API sees it: the owner's pool for
// fixtures, and a Runner for request transactions as anon, a user or the
// service role. Schema tests embed it in their test bundle.
type Env struct {
	DB     *DB
	Owner  *pgxpool.Pool
	Runner *database.Runner
}

// NewEnv gives the test a fresh migrated database and its request runner,
// on small pools.
func NewEnv(t testing.TB) *Env { return NewEnvConns(t, 4) }

// NewEnvConns is NewEnv with pools of conns connections, for tests that
// run many transactions at once.
func NewEnvConns(t testing.TB, conns int32) *Env {
	t.Helper()
	db := New(t)
	r, err := database.NewRunner(context.Background(), db.pool(t, db.AuthenticatorURL, conns))
	if err != nil {
		t.Fatalf("dbtest: runner: %v", err)
	}
	return &Env{DB: db, Owner: db.pool(t, db.OwnerURL, conns), Runner: r}
}

// NewUser makes an account the way the Auth service does: a row in
// auth.users, written as the owner, so that every product's signup
// triggers fire. It returns the user's id.
func (e *Env) NewUser(t testing.TB, email string) string {
	t.Helper()
	return e.NewUserMeta(t, email, "{}")
}

// NewUserMeta is NewUser with raw_user_meta_data (JSON).
func (e *Env) NewUserMeta(t testing.TB, email, meta string) string {
	t.Helper()
	id := NewUUID()
	e.OwnerExec(t, `insert into auth.users (id, email, raw_user_meta_data, created_at, updated_at)
		values ($1, $2, $3::jsonb, now(), now())`, id, email, meta)
	return id
}

// OwnerExec runs a statement as the owner, failing the test on error.
func (e *Env) OwnerExec(t testing.TB, sql string, args ...any) {
	t.Helper()
	if _, err := e.Owner.Exec(context.Background(), sql, args...); err != nil {
		t.Fatalf("owner: %s: %v", OneLine(sql), err)
	}
}

// OwnerScan runs a query as the owner and scans its one row.
func (e *Env) OwnerScan(t testing.TB, sql string, args []any, dst ...any) {
	t.Helper()
	if err := e.Owner.QueryRow(context.Background(), sql, args...).Scan(dst...); err != nil {
		t.Fatalf("owner: %s: %v", OneLine(sql), err)
	}
}

// OwnerInt runs a query as the owner and returns its one integer.
func (e *Env) OwnerInt(t testing.TB, sql string, args ...any) int64 {
	t.Helper()
	var n int64
	e.OwnerScan(t, sql, args, &n)
	return n
}

// OwnerString runs a query as the owner and returns its one text value
// ("<null>" for null, so that a null never passes for an empty string).
func (e *Env) OwnerString(t testing.TB, sql string, args ...any) string {
	t.Helper()
	var s *string
	e.OwnerScan(t, sql, args, &s)
	if s == nil {
		return "<null>"
	}
	return *s
}

// Anon is a request without a token.
func Anon() database.Request { return database.Request{Role: "anon"} }

// User is a request with a signed-in user's claims.
func User(id string) database.Request {
	return database.Request{Role: "authenticated", Claims: []byte(`{"role":"authenticated","sub":"` + id + `"}`)}
}

// Service is a request with the service_role key.
func Service() database.Request {
	return database.Request{Role: "service_role", Claims: []byte(`{"role":"service_role"}`)}
}

// Exec runs one statement in a request transaction and returns the rows it
// touched (for SELECT, the rows it returned). With rollback the transaction
// is rolled back, so the statement leaves nothing behind.
func (e *Env) Exec(req database.Request, rollback bool, sql string, args ...any) (int64, error) {
	req.Rollback = rollback
	var n int64
	err := e.Runner.Do(context.Background(), req, func(ctx context.Context, tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, sql, args...)
		n = tag.RowsAffected()
		return err
	})
	return n, err
}

// Scan runs a query in a committed request transaction and scans its row.
func (e *Env) Scan(req database.Request, sql string, args []any, dst ...any) error {
	return e.Runner.Do(context.Background(), req, func(ctx context.Context, tx pgx.Tx) error {
		return tx.QueryRow(ctx, sql, args...).Scan(dst...)
	})
}

// MustExec is Exec, committed, failing the test on error.
func (e *Env) MustExec(t testing.TB, req database.Request, sql string, args ...any) int64 {
	t.Helper()
	n, err := e.Exec(req, false, sql, args...)
	if err != nil {
		t.Fatalf("%s as %s: %v", OneLine(sql), req.Role, err)
	}
	return n
}

// MustScan is Scan, failing the test on error.
func (e *Env) MustScan(t testing.TB, req database.Request, sql string, args []any, dst ...any) {
	t.Helper()
	if err := e.Scan(req, sql, args, dst...); err != nil {
		t.Fatalf("%s as %s: %v", OneLine(sql), req.Role, err)
	}
}

// PgError returns the PostgreSQL error in err, or nil.
func PgError(err error) *pgconn.PgError {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr
	}
	return nil
}

// SQLState returns the SQLSTATE of err, or "" when it is not a
// PostgreSQL error.
func SQLState(err error) string {
	if pgErr := PgError(err); pgErr != nil {
		return pgErr.Code
	}
	return ""
}

// NewUUID returns a random version 4 UUID.
func NewUUID() string {
	var u [16]byte
	_, _ = rand.Read(u[:])
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:])
}

// OneLine folds SQL onto one line for messages.
func OneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
