// Package cli is creatorbase's command line: serve, migrate, keys, psql,
// config, doctor and version, with every configuration option available
// as a flag and an environment variable on every command.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/urfave/cli/v3"

	"github.com/creatorbase/creatorbase/internal/config"
	"github.com/creatorbase/creatorbase/internal/version"
)

// Run runs the command line and returns the process exit code. Every
// failure is one line on stderr: what is wrong and what to do.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := &cli.Command{
		Name:            "creatorbase",
		Usage:           "one backend and one PostgreSQL database for four creator products, with a Supabase-compatible API",
		Version:         version.String(),
		Flags:           configFlags(),
		Writer:          stdout,
		ErrWriter:       stderr,
		HideHelpCommand: true,
		ExitErrHandler:  func(context.Context, *cli.Command, error) {},
		Commands: []*cli.Command{
			serveCommand(), migrateCommand(), keysCommand(), psqlCommand(),
			configCommand(), doctorCommand(), versionCommand(), mailCommand(),
			workerCommand(), userCommand(),
		},
	}
	quietUsageErrors(root)
	if err := root.Run(ctx, args); err != nil {
		msg := strings.ReplaceAll(err.Error(), "\n", " ")
		var ue usageError
		if errors.As(err, &ue) {
			msg += " (see creatorbase --help)"
		}
		fmt.Fprintln(stderr, "creatorbase: "+msg)
		var ec cli.ExitCoder
		if errors.As(err, &ec) && ec.ExitCode() != 0 {
			return ec.ExitCode()
		}
		return 1
	}
	return 0
}

// quietUsageErrors makes a usage error one line, on every command, instead
// of urfave/cli's "Incorrect Usage" and a page of help.
func quietUsageErrors(cmd *cli.Command) {
	cmd.OnUsageError = func(_ context.Context, _ *cli.Command, err error, _ bool) error {
		return usageError{err}
	}
	for _, sub := range cmd.Commands {
		quietUsageErrors(sub)
	}
}

type usageError struct{ error }

func (e usageError) Unwrap() error { return e.error }

// configFlags turns the option table into flags; the environment variable
// of each option is the flag's second source.
func configFlags() []cli.Flag {
	var flags []cli.Flag
	for _, o := range config.Options() {
		usage := o.Usage
		if o.Secret {
			usage += " (secret)"
		}
		if o.Bool {
			def := o.Default == "true"
			flags = append(flags, &cli.BoolFlag{Name: o.Name, Usage: usage, Value: def, Sources: cli.EnvVars(o.Env)})
			continue
		}
		flags = append(flags, &cli.StringFlag{Name: o.Name, Usage: usage, Value: o.Default, Sources: cli.EnvVars(o.Env)})
	}
	return flags
}

// loadConfig reads the effective configuration from cmd's flags.
func loadConfig(cmd *cli.Command) (config.Config, error) {
	return config.Load(func(name string) (string, bool) {
		if !cmd.IsSet(name) {
			return "", false
		}
		for _, o := range config.Options() {
			if o.Name == name && o.Bool {
				return fmt.Sprint(cmd.Bool(name)), true
			}
		}
		return cmd.String(name), true
	})
}

// newLogger writes structured logs to w.
func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}
