package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/urfave/cli/v3"

	"github.com/creatorbase/creatorbase/internal/config"
)

func configCommand() *cli.Command {
	return &cli.Command{
		Name:  "config",
		Usage: "print the effective configuration (secrets redacted)",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "json", Usage: "print JSON"},
			&cli.BoolFlag{Name: "markdown", Usage: "print the option table as Markdown (for the README)"},
		},
		Action: func(_ context.Context, cmd *cli.Command) error {
			w := cmd.Root().Writer
			if cmd.Bool("markdown") {
				_, err := fmt.Fprint(w, config.Markdown())
				return err
			}
			cfg, err := loadConfig(cmd)
			if err != nil {
				return err
			}
			if cmd.Bool("json") {
				return json.NewEncoder(w).Encode(cfg.Dump())
			}
			tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
			for _, s := range cfg.Dump() {
				fmt.Fprintf(tw, "%s\t%s\n", s.Env, s.Value)
			}
			return tw.Flush()
		},
	}
}
