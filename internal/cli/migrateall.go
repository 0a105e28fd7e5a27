package cli

import (
	"context"
	"log/slog"

	"github.com/creatorbase/creatorbase/internal/database"
	"github.com/creatorbase/creatorbase/internal/jobs"
)

// migrateAll applies the SQL migrations, then River's, as the owner.
func migrateAll(ctx context.Context, m *database.Migrator, ownerURL string, logger *slog.Logger) (int, error) {
	n, err := m.Up(ctx)
	if err != nil {
		return n, err
	}
	pool, err := database.Open(ctx, ownerURL, 2)
	if err != nil {
		return n, err
	}
	defer pool.Close()
	if err := jobs.Migrate(ctx, pool); err != nil {
		return n, err
	}
	if logger != nil {
		logger.Info("migrations applied", "count", n)
	}
	return n, nil
}
