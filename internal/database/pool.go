// Package database is creatorbase's access to PostgreSQL: the connection
// pool, the one transaction helper (WithTx), request transactions that
// run as a role with JWT claims (Runner), and the migrations runner.
package database

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
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
		return nil, fmt.Errorf("connect to database as %s: %w", cfg.ConnConfig.User, err)
	}
	return pool, nil
}

// Connect opens a single connection, for one-off work such as migrations.
func Connect(ctx context.Context, connURL string) (*pgx.Conn, error) {
	conn, err := pgx.Connect(ctx, connURL)
	if err != nil {
		return nil, fmt.Errorf("connect to database: %w", err)
	}
	return conn, nil
}
