package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"

	"github.com/urfave/cli/v3"

	"github.com/creatorbase/creatorbase/internal/account"
	"github.com/creatorbase/creatorbase/internal/config"
	"github.com/creatorbase/creatorbase/internal/database"
)

func userCommand() *cli.Command {
	return &cli.Command{
		Name:  "user",
		Usage: "a person's data across every product: export or purge",
		Commands: []*cli.Command{
			{
				Name:      "export",
				Usage:     "print one JSON document of every row about the user, in every schema",
				ArgsUsage: "<id|email>",
				Action: withOwnerPool(func(ctx context.Context, cmd *cli.Command, db database.TxBeginner, id string) error {
					doc, err := account.Export(ctx, db, id)
					if err != nil {
						return err
					}
					_, err = fmt.Fprintln(cmd.Root().Writer, string(doc))
					return err
				}),
			},
			{
				Name:      "purge",
				Usage:     "delete everything about the user in one transaction (an account_purged event is kept)",
				ArgsUsage: "<id|email>",
				Flags:     []cli.Flag{&cli.BoolFlag{Name: "yes", Usage: "confirm: this cannot be undone"}},
				Action: withOwnerPool(func(ctx context.Context, cmd *cli.Command, db database.TxBeginner, id string) error {
					if !cmd.Bool("yes") {
						return fmt.Errorf("purging %s cannot be undone: add --yes to confirm", id)
					}
					counts, err := account.Purge(ctx, db, id)
					if err != nil {
						return err
					}
					return json.NewEncoder(cmd.Root().Writer).Encode(map[string]any{"purged": id, "rows": counts})
				}),
			},
		},
	}
}

// withOwnerPool resolves the user argument and runs fn as the owner.
func withOwnerPool(fn func(ctx context.Context, cmd *cli.Command, db database.TxBeginner, id string) error) cli.ActionFunc {
	resolve := withOwner(func(ctx context.Context, cmd *cli.Command, _ config.Config, _ *slog.Logger, owner *ownerDB) error {
		pool, err := database.Open(ctx, owner.URL, 2)
		if err != nil {
			return err
		}
		defer pool.Close()
		id, err := account.Resolve(ctx, pool, cmd.Args().First())
		if err != nil {
			return err
		}
		return fn(ctx, cmd, pool, id)
	})
	return func(ctx context.Context, cmd *cli.Command) error {
		if cmd.Args().Len() != 1 {
			return fmt.Errorf("give exactly one user id or email")
		}
		return resolve(ctx, cmd)
	}
}
