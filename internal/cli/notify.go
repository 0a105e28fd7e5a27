package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"

	"github.com/urfave/cli/v3"

	"github.com/creatorbase/creatorbase/internal/config"
	"github.com/creatorbase/creatorbase/internal/database"
	"github.com/creatorbase/creatorbase/internal/notify"
	"github.com/creatorbase/creatorbase/internal/notify/webpush"
	"github.com/creatorbase/creatorbase/internal/notify/whatsapp"
)

// newNotifyDispatcher sends the outbox's whatsapp and push rows: through
// the Cloud API when a WhatsApp token is configured and to push services
// when VAPID keys are, otherwise to offline recorders (the row is marked
// sent and nothing leaves the machine).
func newNotifyDispatcher(cfg config.Config, runner *database.Runner, logger *slog.Logger) (*notify.Dispatcher, error) {
	opts := notify.DispatcherOptions{Logger: logger}
	if w := cfg.WhatsApp; w.Token != "" {
		c, err := whatsapp.NewClient(whatsapp.Config{BaseURL: w.APIURL, APIVersion: w.APIVersion,
			PhoneNumberID: w.PhoneNumberID, Token: w.Token})
		if err != nil {
			return nil, err
		}
		opts.WhatsApp = c
	}
	if p := cfg.WebPush; p.PublicKey != "" {
		keys, err := webpush.ParseVAPIDKeys(p.PublicKey, p.PrivateKey)
		if err != nil {
			return nil, err
		}
		c, err := webpush.NewClient(webpush.Config{Keys: keys, Subject: p.Subject})
		if err != nil {
			return nil, err
		}
		opts.Push = c
	}
	d := notify.NewDispatcher(runner, opts)
	logger.Info("notification senders", "whatsapp", senderName(opts.WhatsApp != nil, "whatsapp"),
		"push", senderName(opts.Push != nil, "webpush"))
	return d, nil
}

func senderName(real bool, name string) string {
	if real {
		return name
	}
	return "offline"
}

// vapidCommand prints a new VAPID key pair for Web Push.
func vapidCommand() *cli.Command {
	return &cli.Command{
		Name:  "vapid",
		Usage: "generate a VAPID key pair for Web Push (CREATORBASE_VAPID_PUBLIC_KEY / CREATORBASE_VAPID_PRIVATE_KEY)",
		Flags: []cli.Flag{&cli.BoolFlag{Name: "json", Usage: `print {"public_key":…,"private_key":…}`}},
		Action: func(_ context.Context, cmd *cli.Command) error {
			k, err := webpush.GenerateVAPIDKeys()
			if err != nil {
				return err
			}
			w := cmd.Root().Writer
			if cmd.Bool("json") {
				return json.NewEncoder(w).Encode(map[string]string{"public_key": k.Public, "private_key": k.Private})
			}
			_, err = fmt.Fprintf(w, "CREATORBASE_VAPID_PUBLIC_KEY=%s\nCREATORBASE_VAPID_PRIVATE_KEY=%s\n", k.Public, k.Private)
			return err
		},
	}
}
