package database

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/creatorbase/creatorbase/migrations"
)

// ErrSchemaOutdated means migrations are pending and were not applied.
var ErrSchemaOutdated = errors.New("database schema is outdated")

// Migrator applies the embedded migrations as the database owner. goose
// holds a session advisory lock while it works, so concurrent starts of
// several creatorbase processes migrate once.
type Migrator struct {
	db       *sql.DB
	provider *goose.Provider
}

// NewMigrator connects to ownerURL. Close releases the connection.
func NewMigrator(ctx context.Context, ownerURL string, logger *slog.Logger) (*Migrator, error) {
	cfg, err := pgx.ParseConfig(ownerURL)
	if err != nil {
		return nil, fmt.Errorf("parse database url: %w", err)
	}
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(2)
	if err := db.PingContext(ctx); err != nil {
		_ = db.Close()
		return nil, ConnectError(cfg, err)
	}
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		_ = db.Close()
		return nil, err
	}
	// Each product owns a range of versions (00xx core, 01xx CreatorPulse,
	// 02xx Producers Avenue, 03xx StreamVibe, 04xx Influencer), so a
	// product's new migration can sort below another product's applied
	// one: apply it rather than refuse the database.
	opts := []goose.ProviderOption{goose.WithSessionLocker(locker), goose.WithAllowOutofOrder(true)}
	if logger != nil {
		opts = append(opts, goose.WithSlog(logger))
	}
	p, err := goose.NewProvider(goose.DialectPostgres, db, migrations.FS, opts...)
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("load migrations: %w", err)
	}
	return &Migrator{db: db, provider: p}, nil
}

// Close closes the migrator's connection.
func (m *Migrator) Close() error { return m.db.Close() }

// Up applies every pending migration and returns how many it applied.
func (m *Migrator) Up(ctx context.Context) (int, error) {
	res, err := m.provider.Up(ctx)
	if err != nil {
		return len(res), fmt.Errorf("migrate up: %w", err)
	}
	return len(res), nil
}

// Down rolls back the newest applied migration.
func (m *Migrator) Down(ctx context.Context) (*goose.MigrationResult, error) {
	res, err := m.provider.Down(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrate down: %w", err)
	}
	return res, nil
}

// DownTo rolls back to version (0 undoes everything).
func (m *Migrator) DownTo(ctx context.Context, version int64) (int, error) {
	res, err := m.provider.DownTo(ctx, version)
	if err != nil {
		return len(res), fmt.Errorf("migrate down: %w", err)
	}
	return len(res), nil
}

// Apply runs one migration up or down, whatever its place among the
// others: a product's migration can be redone while later products'
// migrations stay applied.
func (m *Migrator) Apply(ctx context.Context, version int64, up bool) error {
	if _, err := m.provider.ApplyVersion(ctx, version, up); err != nil {
		return fmt.Errorf("migrate %04d (up %v): %w", version, up, err)
	}
	return nil
}

// Status lists every migration and whether it is applied.
func (m *Migrator) Status(ctx context.Context) ([]*goose.MigrationStatus, error) {
	st, err := m.provider.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("migration status: %w", err)
	}
	return st, nil
}

// Pending counts migrations not yet applied.
func (m *Migrator) Pending(ctx context.Context) (int, error) {
	st, err := m.Status(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, s := range st {
		if s.State == goose.StatePending {
			n++
		}
	}
	return n, nil
}

// CheckCurrent returns ErrSchemaOutdated when migrations are pending.
func (m *Migrator) CheckCurrent(ctx context.Context) error {
	n, err := m.Pending(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		return fmt.Errorf("%w: %d migration(s) pending; run `creatorbase migrate up` or start serve with --migrate=true", ErrSchemaOutdated, n)
	}
	return nil
}
