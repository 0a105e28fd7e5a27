package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"text/tabwriter"

	"github.com/urfave/cli/v3"

	"github.com/creatorbase/creatorbase/internal/config"
	"github.com/creatorbase/creatorbase/internal/database"
	"github.com/creatorbase/creatorbase/internal/mail"
)

func mailCommand() *cli.Command {
	return &cli.Command{
		Name:  "mail",
		Usage: "read the dev mailbox: the mail creatorbase sent or will send",
		Commands: []*cli.Command{
			{
				Name:  "list",
				Usage: "list mail, newest first",
				Flags: []cli.Flag{
					&cli.BoolFlag{Name: "json", Usage: "print JSON, with each mail's code and link"},
					&cli.StringFlag{Name: "to", Usage: "only mail to this address"},
					&cli.IntFlag{Name: "limit", Value: 20, Usage: "at most this many"},
				},
				Action: func(ctx context.Context, cmd *cli.Command) error {
					return withOwnerConn(ctx, cmd, func(ctx context.Context, db mail.DBTX) error {
						rows, err := mail.List(ctx, db, cmd.String("to"), max(1, cmd.Int("limit")))
						if err != nil {
							return err
						}
						w := cmd.Root().Writer
						if cmd.Bool("json") {
							if rows == nil {
								rows = []mail.Row{}
							}
							return json.NewEncoder(w).Encode(rows)
						}
						tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
						fmt.Fprintln(tw, "ID\tCREATED\tSTATUS\tTO\tSUBJECT")
						for _, r := range rows {
							fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", r.ID, r.CreatedAt.UTC().Format("2006-01-02 15:04:05"), r.Status, r.Recipient, r.Subject)
						}
						return tw.Flush()
					})
				},
			},
			{
				Name:      "show",
				Usage:     "print one mail",
				ArgsUsage: "<id>",
				Action: func(ctx context.Context, cmd *cli.Command) error {
					id, err := strconv.ParseInt(cmd.Args().First(), 10, 64)
					if err != nil || cmd.Args().Len() != 1 {
						return usageError{errors.New("mail show needs one mail id (see creatorbase mail list)")}
					}
					return withOwnerConn(ctx, cmd, func(ctx context.Context, db mail.DBTX) error {
						r, err := mail.Get(ctx, db, id)
						if errors.Is(err, mail.ErrNotFound) {
							return fmt.Errorf("no mail with id %d (see creatorbase mail list)", id)
						}
						if err != nil {
							return err
						}
						body, err := r.Body()
						if err != nil {
							return err
						}
						fmt.Fprintf(cmd.Root().Writer, "To: %s\nSubject: %s\nDate: %s\nStatus: %s\n\n%s",
							r.Recipient, r.Subject, r.CreatedAt.UTC().Format("2006-01-02 15:04:05 MST"), r.Status, body)
						return nil
					})
				},
			},
		},
	}
}

// withOwnerConn runs fn on a connection as the database owner, attaching
// to a running serve's embedded cluster when there is one.
func withOwnerConn(ctx context.Context, cmd *cli.Command, fn func(ctx context.Context, db mail.DBTX) error) error {
	return withOwner(func(ctx context.Context, _ *cli.Command, _ config.Config, _ *slog.Logger, owner *ownerDB) error {
		conn, err := database.Connect(ctx, owner.URL)
		if err != nil {
			return err
		}
		defer conn.Close(context.WithoutCancel(ctx))
		return fn(ctx, conn)
	})(ctx, cmd)
}
