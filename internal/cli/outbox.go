package cli

import (
	"context"
	"log/slog"
	"sync"

	"github.com/creatorbase/creatorbase/internal/config"
	"github.com/creatorbase/creatorbase/internal/database"
	"github.com/creatorbase/creatorbase/internal/mail"
	"github.com/creatorbase/creatorbase/internal/notify"
)

// outboxDispatchers send system.outbox: mail, and WhatsApp and push.
// serve and worker both run them; rows are claimed with FOR UPDATE SKIP
// LOCKED, so any number of processes may.
type outboxDispatchers struct {
	mail   *mail.Dispatcher
	notify *notify.Dispatcher
}

func newOutboxDispatchers(cfg config.Config, runner *database.Runner, logger *slog.Logger) (*outboxDispatchers, error) {
	n, err := newNotifyDispatcher(cfg, runner, logger.With("component", "notify"))
	if err != nil {
		return nil, err
	}
	m := mail.NewDispatcher(runner, mail.DispatcherOptions{
		Sender: mailSender(cfg), From: cfg.SMTP.From, Logger: logger.With("component", "mail"),
	})
	return &outboxDispatchers{mail: m, notify: n}, nil
}

// start runs both until the returned stop is called, which waits for
// each to finish its current batch.
func (d *outboxDispatchers) start(ctx context.Context) (stop func()) {
	dctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	var wg sync.WaitGroup
	wg.Go(func() { _ = d.mail.Run(dctx) })
	wg.Go(func() { _ = d.notify.Run(dctx) })
	return func() {
		cancel()
		wg.Wait()
	}
}

// mailSender is SMTP when a host is configured, else the dev mailbox.
func mailSender(cfg config.Config) mail.Sender {
	if cfg.SMTP.Host == "" {
		return mail.Mailbox{}
	}
	return mail.NewSMTP(mail.SMTPConfig{Host: cfg.SMTP.Host, Port: cfg.SMTP.Port, User: cfg.SMTP.User,
		Password: cfg.SMTP.Password, TLS: cfg.SMTP.TLS})
}
