package cli

import (
	"context"
	"fmt"

	"github.com/urfave/cli/v3"

	"github.com/creatorbase/creatorbase/internal/version"
)

func versionCommand() *cli.Command {
	return &cli.Command{
		Name:  "version",
		Usage: "print the version",
		Action: func(_ context.Context, cmd *cli.Command) error {
			_, err := fmt.Fprintln(cmd.Root().Writer, version.String())
			return err
		},
	}
}
