package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"strconv"

	"github.com/jackc/pgx/v5"
	"github.com/urfave/cli/v3"

	"github.com/creatorbase/creatorbase/internal/config"
	"github.com/creatorbase/creatorbase/internal/pgcluster"
)

func psqlCommand() *cli.Command {
	return &cli.Command{
		Name:      "psql",
		Usage:     "run psql connected as the owner to the embedded or configured database",
		ArgsUsage: "[-- psql arguments]",
		Action: withOwner(func(ctx context.Context, cmd *cli.Command, _ config.Config, _ *slog.Logger, owner *ownerDB) error {
			bin, err := findPsql(ctx)
			if err != nil {
				return err
			}
			pc, err := pgx.ParseConfig(owner.URL)
			if err != nil {
				return err
			}
			p := exec.CommandContext(ctx, bin, cmd.Args().Slice()...)
			p.Env = append(os.Environ(),
				"PGHOST="+pc.Host, "PGPORT="+strconv.Itoa(int(pc.Port)), "PGUSER="+pc.User,
				"PGPASSWORD="+pc.Password, "PGDATABASE="+pc.Database)
			p.Stdin, p.Stdout, p.Stderr = os.Stdin, cmd.Root().Writer, cmd.Root().ErrWriter
			err = p.Run()
			var exit *exec.ExitError
			if errors.As(err, &exit) {
				return cli.Exit("psql exited with status "+strconv.Itoa(exit.ExitCode()), exit.ExitCode())
			}
			return err
		}),
	}
}

// findPsql prefers the psql of the server installation, then PATH.
func findPsql(ctx context.Context) (string, error) {
	if b, err := pgcluster.FindBinaries(ctx); err == nil {
		if _, err := os.Stat(b.Path("psql")); err == nil {
			return b.Path("psql"), nil
		}
	}
	p, err := exec.LookPath("psql")
	if err != nil {
		return "", fmt.Errorf("psql not found: install the PostgreSQL client (apt-get install postgresql-client)")
	}
	return p, nil
}
