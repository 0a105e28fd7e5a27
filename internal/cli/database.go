package cli

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/urfave/cli/v3"

	"github.com/creatorbase/creatorbase/internal/config"
	"github.com/creatorbase/creatorbase/internal/pgcluster"
)

// ownerDB is the database as its owner sees it: the configured server, or
// the embedded cluster.
type ownerDB struct {
	URL     string
	Cluster *pgcluster.Cluster // nil when the database is not ours to stop
}

// Close stops the embedded cluster when this process started it.
func (o *ownerDB) Close(ctx context.Context) error {
	if o.Cluster == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	return o.Cluster.Stop(ctx)
}

// openOwner gives the owner's connection string. With DATABASE_URL that
// is all. Otherwise it starts the embedded cluster, or, when a running
// serve holds the data dir and shared is true, attaches to that one.
func openOwner(ctx context.Context, cfg config.Config, logger *slog.Logger, shared bool) (*ownerDB, error) {
	if !cfg.Embedded() {
		return &ownerDB{URL: cfg.DatabaseURL}, nil
	}
	c, err := pgcluster.Start(ctx, pgcluster.Options{
		DataDir: cfg.DataDir,
		OSUser:  cfg.PostgresOSUser,
		Logger:  logger,
	})
	if shared && errors.Is(err, pgcluster.ErrInUse) {
		url, aerr := pgcluster.Attach(cfg.DataDir)
		if aerr != nil {
			return nil, err
		}
		return &ownerDB{URL: url}, nil
	}
	if err != nil {
		return nil, err
	}
	return &ownerDB{URL: c.OwnerURL(), Cluster: c}, nil
}

// ownerAction is a command's work with the database open as its owner.
type ownerAction func(ctx context.Context, cmd *cli.Command, cfg config.Config, logger *slog.Logger, owner *ownerDB) error

// withOwner loads the configuration and opens the database as its owner —
// attaching to a running serve's embedded cluster, or starting it for the
// duration — for action. The cluster it started stops even when ctx was
// cancelled (Ctrl-C), with a clean shutdown.
func withOwner(action ownerAction) cli.ActionFunc {
	return func(ctx context.Context, cmd *cli.Command) error {
		cfg, err := loadConfig(cmd)
		if err != nil {
			return err
		}
		logger := newLogger(cfg, cmd.Root().ErrWriter)
		owner, err := openOwner(ctx, cfg, logger, true)
		if err != nil {
			return err
		}
		defer owner.Close(context.WithoutCancel(ctx))
		return action(ctx, cmd, cfg, logger, owner)
	}
}
