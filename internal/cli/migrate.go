package cli

import (
	"context"
	"fmt"
	"log/slog"
	"text/tabwriter"
	"time"

	"github.com/urfave/cli/v3"

	"github.com/creatorbase/creatorbase/internal/config"
	"github.com/creatorbase/creatorbase/internal/database"
)

func migrateCommand() *cli.Command {
	return &cli.Command{
		Name:  "migrate",
		Usage: "apply, roll back or list the database migrations",
		Commands: []*cli.Command{
			{
				Name:  "up",
				Usage: "apply every pending migration",
				Action: withMigrator(func(ctx context.Context, cmd *cli.Command, m *database.Migrator, ownerURL string) error {
					n, err := migrateAll(ctx, m, ownerURL, nil)
					if err != nil {
						return err
					}
					fmt.Fprintf(cmd.Root().Writer, "applied %d migration(s)\n", n)
					return nil
				}),
			},
			{
				Name:  "down",
				Usage: "roll back the newest migration (--all: every migration)",
				Flags: []cli.Flag{&cli.BoolFlag{Name: "all", Usage: "roll back every migration"}},
				Action: withMigrator(func(ctx context.Context, cmd *cli.Command, m *database.Migrator, _ string) error {
					if cmd.Bool("all") {
						n, err := m.DownTo(ctx, 0)
						if err != nil {
							return err
						}
						fmt.Fprintf(cmd.Root().Writer, "rolled back %d migration(s)\n", n)
						return nil
					}
					res, err := m.Down(ctx)
					if err != nil {
						return err
					}
					fmt.Fprintf(cmd.Root().Writer, "rolled back %s\n", res.Source.Path)
					return nil
				}),
			},
			{
				Name:  "status",
				Usage: "list migrations and whether each is applied",
				Action: withMigrator(func(ctx context.Context, cmd *cli.Command, m *database.Migrator, _ string) error {
					st, err := m.Status(ctx)
					if err != nil {
						return err
					}
					tw := tabwriter.NewWriter(cmd.Root().Writer, 0, 4, 2, ' ', 0)
					fmt.Fprintln(tw, "VERSION\tSTATE\tAPPLIED AT\tFILE")
					for _, s := range st {
						at := "-"
						if !s.AppliedAt.IsZero() {
							at = s.AppliedAt.UTC().Format(time.RFC3339)
						}
						fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", s.Source.Version, s.State, at, s.Source.Path)
					}
					return tw.Flush()
				}),
			},
		},
	}
}

// withMigrator opens the database as its owner and runs fn with a migrator.
func withMigrator(fn func(ctx context.Context, cmd *cli.Command, m *database.Migrator, ownerURL string) error) cli.ActionFunc {
	return withOwner(func(ctx context.Context, cmd *cli.Command, _ config.Config, _ *slog.Logger, owner *ownerDB) error {
		m, err := database.NewMigrator(ctx, owner.URL, nil)
		if err != nil {
			return err
		}
		defer m.Close()
		return fn(ctx, cmd, m, owner.URL)
	})
}
