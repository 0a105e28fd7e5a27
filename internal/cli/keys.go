package cli

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/urfave/cli/v3"

	"github.com/creatorbase/creatorbase/internal/keys"
)

func keysCommand() *cli.Command {
	return &cli.Command{
		Name:     "keys",
		Usage:    "print the API URL and the anon and service_role keys",
		Flags:    []cli.Flag{&cli.BoolFlag{Name: "json", Usage: `print {"url":…,"anon_key":…,"service_role_key":…}`}},
		Commands: []*cli.Command{vapidCommand()},
		Action: func(ctx context.Context, cmd *cli.Command) error {
			cfg, err := loadConfig(cmd)
			if err != nil {
				return err
			}
			secret, err := keys.LoadSecret(cfg.DataDir, cfg.JWTSecret)
			if err != nil {
				return err
			}
			p, err := keys.Derive(secret)
			if err != nil {
				return err
			}
			w := cmd.Root().Writer
			if cmd.Bool("json") {
				return json.NewEncoder(w).Encode(struct {
					URL string `json:"url"`
					keys.Project
				}{cfg.APIURL(), p})
			}
			fmt.Fprintf(w, "API URL: %s\nanon key: %s\nservice_role key: %s\npublishable key: %s\nsecret key: %s\n",
				cfg.APIURL(), p.Anon, p.ServiceRole, p.Publishable, p.Secret)
			return nil
		},
	}
}
