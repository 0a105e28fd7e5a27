package cli

import (
	"context"

	"github.com/urfave/cli/v3"

	"github.com/creatorbase/creatorbase/internal/database"
	"github.com/creatorbase/creatorbase/internal/jobs"
)

func workerCommand() *cli.Command {
	return &cli.Command{
		Name:  "worker",
		Usage: "run background jobs only, no HTTP (run several for scale-out; serve runs them too)",
		Action: func(ctx context.Context, cmd *cli.Command) error {
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
			m, err := database.NewMigrator(ctx, owner.URL, logger)
			if err != nil {
				return err
			}
			err = m.CheckCurrent(ctx)
			_ = m.Close()
			if err != nil {
				return err
			}
			pool, err := database.Open(ctx, owner.URL, 10)
			if err != nil {
				return err
			}
			defer pool.Close()
			client, err := jobs.New(pool, newJobRegistry(pool), jobs.Options{Workers: true, Logger: logger})
			if err != nil {
				return err
			}
			if err := client.Start(ctx); err != nil {
				return err
			}
			logger.Info("worker running")
			<-ctx.Done()
			sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.ShutdownTimeout)
			defer cancel()
			return client.Stop(sctx)
		},
	}
}
