package database

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// ErrRoleNotAllowed means a request asked for a role it may not assume.
var ErrRoleNotAllowed = errors.New("role not allowed")

// Roles a request may assume: the three of the Data API, and the Auth
// service's own.
var requestRoles = map[string]bool{
	"anon": true, "authenticated": true, "service_role": true, "supabase_auth_admin": true,
}

// Request describes who a transaction runs for. Its fields become the
// transaction-local settings Supabase's SQL helpers read.
type Request struct {
	Role       string // anon, authenticated, service_role or supabase_auth_admin
	Claims     []byte // the JWT payload as JSON, role included; read by auth.jwt()
	Method     string // request.method
	Path       string // request.path, without the /rest/v1 prefix
	Headers    []byte // request.headers: JSON object, lower-case names
	SearchPath string // e.g. `"public", "extensions"`; empty keeps the default
	ReadOnly   bool   // BEGIN ... READ ONLY
	Rollback   bool   // end in ROLLBACK instead of COMMIT (Prefer: tx=rollback)
}

// ErrPoolTimeout means every connection of the pool stayed busy for the
// whole acquisition timeout (PostgREST's PGRST003).
var ErrPoolTimeout = errors.New("timed out acquiring connection from connection pool")

// Runner runs request transactions on the authenticator pool.
type Runner struct {
	pool           *pgxpool.Pool
	acquireTimeout time.Duration // zero: wait as long as the request's context

	mu       sync.RWMutex
	settings map[string][][2]string // per role: its ALTER ROLE ... SET settings
}

// RunnerOption configures a Runner.
type RunnerOption func(*Runner)

// WithAcquireTimeout bounds how long a request waits for a free pool
// connection before it fails with ErrPoolTimeout.
func WithAcquireTimeout(d time.Duration) RunnerOption {
	return func(r *Runner) { r.acquireTimeout = d }
}

// NewRunner loads the request roles' settings (statement_timeout and the
// like), which SET ROLE does not apply by itself.
func NewRunner(ctx context.Context, pool *pgxpool.Pool, opts ...RunnerOption) (*Runner, error) {
	r := &Runner{pool: pool}
	for _, o := range opts {
		o(r)
	}
	return r, r.Reload(ctx)
}

// acquire takes a connection from the pool, waiting at most the
// acquisition timeout.
func (r *Runner) acquire(ctx context.Context) (*pgxpool.Conn, error) {
	if r.acquireTimeout <= 0 {
		return r.pool.Acquire(ctx)
	}
	actx, cancel := context.WithTimeout(ctx, r.acquireTimeout)
	defer cancel()
	conn, err := r.pool.Acquire(actx)
	if err != nil && ctx.Err() == nil && errors.Is(actx.Err(), context.DeadlineExceeded) {
		return nil, ErrPoolTimeout
	}
	return conn, err
}

// Reload re-reads the roles' settings, e.g. after ALTER ROLE.
func (r *Runner) Reload(ctx context.Context) error {
	rows, err := r.pool.Query(ctx,
		`select rolname, coalesce(rolconfig, '{}') from pg_catalog.pg_roles where rolname = any($1)`,
		[]string{"anon", "authenticated", "service_role", "supabase_auth_admin"})
	if err != nil {
		return fmt.Errorf("load role settings: %w", err)
	}
	settings := map[string][][2]string{}
	for rows.Next() {
		var role string
		var config []string
		if err := rows.Scan(&role, &config); err != nil {
			return fmt.Errorf("load role settings: %w", err)
		}
		for _, kv := range config {
			if k, v, ok := strings.Cut(kv, "="); ok {
				settings[role] = append(settings[role], [2]string{k, v})
			}
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("load role settings: %w", err)
	}
	r.mu.Lock()
	r.settings = settings
	r.mu.Unlock()
	return nil
}

// Run executes one request transaction in a single pipelined round trip:
// BEGIN, the settings, whatever queue adds to the batch, and COMMIT travel
// together. Results are read by the callbacks queue attaches to its
// queries (pgx.QueuedQuery.QueryRow, Query, Exec). On any error the
// transaction is rolled back and the error returned.
func (r *Runner) Run(ctx context.Context, req Request, queue func(b *pgx.Batch)) error {
	sql, args, err := r.prelude(req)
	if err != nil {
		return err
	}
	conn, err := r.acquire(ctx)
	if err != nil {
		return fmt.Errorf("acquire connection: %w", err)
	}
	defer conn.Release()
	b := &pgx.Batch{}
	b.Queue(beginSQL(req.ReadOnly))
	b.Queue(sql, args...)
	queue(b)
	if req.Rollback {
		b.Queue("rollback")
	} else {
		b.Queue("commit")
	}
	err = conn.SendBatch(ctx, b).Close()
	if err != nil && conn.Conn().PgConn().TxStatus() != 'I' {
		_, _ = conn.Exec(context.WithoutCancel(ctx), "rollback")
	}
	return err
}

// Do runs fn in a request transaction, for work that needs several round
// trips (read, decide, write). BEGIN and the settings still travel in one.
func (r *Runner) Do(ctx context.Context, req Request, fn func(ctx context.Context, tx pgx.Tx) error) error {
	sql, args, err := r.prelude(req)
	if err != nil {
		return err
	}
	opts := pgx.TxOptions{IsoLevel: pgx.ReadCommitted}
	if req.ReadOnly {
		opts.AccessMode = pgx.ReadOnly
	}
	conn, err := r.acquire(ctx)
	if err != nil {
		return fmt.Errorf("acquire connection: %w", err)
	}
	defer conn.Release()
	tx, err := conn.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	if _, err := tx.Exec(ctx, sql, args...); err != nil {
		return fmt.Errorf("set request settings: %w", err)
	}
	if err := fn(ctx, tx); err != nil {
		return err
	}
	if req.Rollback {
		return tx.Rollback(ctx)
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

func beginSQL(readOnly bool) string {
	if readOnly {
		return "begin isolation level read committed read only"
	}
	return "begin isolation level read committed"
}

// prelude builds the one statement that sets everything, in PostgREST's
// order: search_path, the role's own settings, role, then the request.
func (r *Runner) prelude(req Request) (string, []any, error) {
	if !requestRoles[req.Role] {
		return "", nil, fmt.Errorf("%w: %q", ErrRoleNotAllowed, req.Role)
	}
	claims := req.Claims
	if len(claims) == 0 {
		claims = []byte(`{"role":"` + req.Role + `"}`)
	}
	headers := req.Headers
	if len(headers) == 0 {
		headers = []byte("{}")
	}
	r.mu.RLock()
	own := r.settings[req.Role]
	args := make([]any, 0, 2*(len(own)+6))
	if req.SearchPath != "" {
		args = append(args, "search_path", req.SearchPath)
	}
	for _, kv := range own {
		args = append(args, kv[0], kv[1])
	}
	r.mu.RUnlock()
	args = append(args, "role", req.Role, "request.jwt.claims", string(claims),
		"request.method", req.Method, "request.path", req.Path, "request.headers", string(headers))
	return setConfigSQL(len(args) / 2), args, nil
}

// setConfigSQL is "select set_config($1, $2, true), …" for n settings;
// the common lengths are built once.
func setConfigSQL(n int) string {
	if n < len(setConfigSQLs) {
		return setConfigSQLs[n]
	}
	return buildSetConfigSQL(n)
}

var setConfigSQLs = func() []string {
	s := make([]string, 16)
	for n := range s {
		s[n] = buildSetConfigSQL(n)
	}
	return s
}()

func buildSetConfigSQL(n int) string {
	var b strings.Builder
	b.WriteString("select ")
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("set_config($" + strconv.Itoa(2*i+1) + ", $" + strconv.Itoa(2*i+2) + ", true)")
	}
	return b.String()
}
