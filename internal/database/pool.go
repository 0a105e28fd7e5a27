// Package database is creatorbase's access to PostgreSQL: the connection
// pool, the one transaction helper (WithTx), request transactions that
// run as a role with JWT claims (Runner), and the migrations runner.
package database

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// ErrNotFound is returned when a row that must exist does not.
var ErrNotFound = errors.New("not found")

// Open connects a pool to connURL and checks that it answers.
func Open(ctx context.Context, connURL string, maxConns int32) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(connURL)
	if err != nil {
		return nil, fmt.Errorf("parse database url: %w", err)
	}
	if maxConns > 0 {
		cfg.MaxConns = maxConns
	}
	cfg.MaxConnIdleTime = 5 * time.Minute
	// Statements go out unnamed, parsed where they stand in the pipeline:
	// a request's statements travel behind its SET ROLE, which pgx's
	// prepare-ahead round trip would defeat (and run as the wrong role).
	// This also works through pgbouncer in transaction mode.
	cfg.ConnConfig.DefaultQueryExecMode = pgx.QueryExecModeExec
	if cfg.ConnConfig.RuntimeParams == nil {
		cfg.ConnConfig.RuntimeParams = map[string]string{}
	}
	cfg.ConnConfig.RuntimeParams["application_name"] = "creatorbase"
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("create pool: %w", err)
	}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := pool.Ping(pctx); err != nil {
		pool.Close()
		return nil, ConnectError(cfg.ConnConfig, err)
	}
	return pool, nil
}

// ConnectError says in one line why a connection failed and what to check.
// It names host, port and user, never the password.
func ConnectError(cfg *pgx.ConnConfig, err error) error {
	reason := err.Error()
	var pgErr *pgconn.PgError
	var opErr *net.OpError
	switch {
	case errors.As(err, &pgErr):
		reason = pgErr.Message
	case errors.As(err, &opErr):
		reason = opErr.Err.Error()
	case errors.Is(err, context.DeadlineExceeded):
		reason = "timed out"
	}
	where := cfg.Host
	if !strings.HasPrefix(where, "/") {
		where = net.JoinHostPort(cfg.Host, strconv.Itoa(int(cfg.Port)))
	}
	return fmt.Errorf("%w: cannot connect to PostgreSQL at %s as %s: %s; check DATABASE_URL and that the server is running",
		ErrConnect, where, cfg.User, reason)
}

// ErrConnect means the database could not be reached or refused the login.
var ErrConnect = errors.New("connect to database")

// Connect opens a single connection, for one-off work such as migrations.
func Connect(ctx context.Context, connURL string) (*pgx.Conn, error) {
	conn, err := pgx.Connect(ctx, connURL)
	if err != nil {
		pc, perr := pgx.ParseConfig(connURL)
		if perr != nil {
			return nil, fmt.Errorf("parse database url: %w", perr)
		}
		return nil, ConnectError(pc, err)
	}
	return conn, nil
}
