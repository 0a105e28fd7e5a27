package cli

import (
	"context"
	"log/slog"

	"github.com/urfave/cli/v3"

	"github.com/creatorbase/creatorbase/internal/config"
	"github.com/creatorbase/creatorbase/internal/database"
	"github.com/creatorbase/creatorbase/internal/jobs"
)

func workerCommand() *cli.Command {
	return &cli.Command{
		Name:  "worker",
		Usage: "run background jobs and send the outbox (mail, WhatsApp, push) only, no HTTP (run several for scale-out; serve does all this too)",
		Action: withOwner(func(ctx context.Context, _ *cli.Command, cfg config.Config, logger *slog.Logger, owner *ownerDB) error {
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
			// The dispatchers' request transactions switch role as serve's
			// do; the owner may take any role, so they share its pool.
			runner, err := database.NewRunner(ctx, pool)
			if err != nil {
				return err
			}
			outbox, err := newOutboxDispatchers(cfg, runner, logger)
			if err != nil {
				return err
			}
			if err := client.Start(ctx); err != nil {
				return err
			}
			stopOutbox := outbox.start(ctx)
			defer stopOutbox()
			logger.Info("worker running")
			<-ctx.Done()
			sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.ShutdownTimeout)
			defer cancel()
			return client.Stop(sctx)
		}),
	}
}
