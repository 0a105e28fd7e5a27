package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/creatorbase/creatorbase/internal/database"
	"github.com/creatorbase/creatorbase/internal/notify/webpush"
	"github.com/creatorbase/creatorbase/internal/notify/whatsapp"
	"github.com/creatorbase/creatorbase/internal/outbox"
)

// Dispatcher sends the outbox's pending whatsapp and push rows. Several
// processes may run one each: rows are claimed with FOR UPDATE SKIP LOCKED.
// Retries follow mail's: 10 s, 20 s, 40 s … up to an hour between
// attempts, longer when the provider asked for it (Retry-After), and the
// row fails after MaxAttempts; errors that a retry cannot fix fail it at once.
type Dispatcher struct {
	runner      *database.Runner
	whatsapp    whatsapp.Sender
	push        webpush.Sender
	gone        func(ctx context.Context, tx pgx.Tx, sub webpush.Subscription) error
	logger      *slog.Logger
	interval    time.Duration
	batch       int
	maxAttempts int
	sendTimeout time.Duration
	poller      *outbox.Poller
}

// DispatcherOptions configure a Dispatcher.
type DispatcherOptions struct {
	WhatsApp    whatsapp.Sender // default: an offline whatsapp.Recorder
	Push        webpush.Sender  // default: an offline webpush.Recorder
	Logger      *slog.Logger
	Interval    time.Duration // poll interval; default 2 s
	Batch       int           // rows per pass; default 20
	MaxAttempts int           // then the row is failed; default 6
	SendTimeout time.Duration // per message; default 30 s
	// SubscriptionGone is called, in the transaction that fails the row,
	// when a push service says a subscription no longer exists (404/410),
	// so that its owner can delete it. An error rolls the pass back.
	SubscriptionGone func(ctx context.Context, tx pgx.Tx, sub webpush.Subscription) error
}

// NewDispatcher returns a dispatcher that works through runner as
// service_role.
func NewDispatcher(runner *database.Runner, opts DispatcherOptions) *Dispatcher {
	d := &Dispatcher{runner: runner, whatsapp: opts.WhatsApp, push: opts.Push, gone: opts.SubscriptionGone,
		logger: opts.Logger, interval: opts.Interval, batch: opts.Batch, maxAttempts: opts.MaxAttempts,
		sendTimeout: opts.SendTimeout}
	if d.whatsapp == nil {
		d.whatsapp = &whatsapp.Recorder{}
	}
	if d.push == nil {
		d.push = &webpush.Recorder{}
	}
	if d.logger == nil {
		d.logger = slog.New(slog.DiscardHandler)
	}
	if d.interval <= 0 {
		d.interval = 2 * time.Second
	}
	if d.batch <= 0 {
		d.batch = 20
	}
	if d.maxAttempts <= 0 {
		d.maxAttempts = 6
	}
	if d.sendTimeout <= 0 {
		d.sendTimeout = 30 * time.Second
	}
	d.poller = outbox.NewPoller(d.DispatchOnce, d.batch, d.interval, d.logger, "notification dispatch")
	return d
}

// Notify makes a running dispatcher look at the outbox now (after a
// commit that enqueued a message). It never blocks.
func (d *Dispatcher) Notify() { d.poller.Notify() }

// Run dispatches until ctx ends; it returns nil then.
func (d *Dispatcher) Run(ctx context.Context) error { return d.poller.Run(ctx) }

const claimSQL = `select ` + rowColumns + ` from system.outbox
where channel in ('whatsapp', 'push') and status = 'pending' and next_attempt_at <= now()
order by next_attempt_at, id
limit $1
for update skip locked`

// markSentSQL also keeps the provider's message id, when there is one.
const markSentSQL = `update system.outbox
set status = 'sent', sent_at = now(), attempts = attempts + 1, last_error = null,
    payload = case when $2 = '' then payload else payload || jsonb_build_object('message_id', $2::text) end
where id = $1`

const markFailedSQL = `update system.outbox
set attempts = attempts + 1, last_error = $2,
    status = case when $5 or attempts + 1 >= $3 then 'failed' else 'pending' end,
    next_attempt_at = now() + make_interval(secs => $4)
where id = $1`

// DispatchOnce sends up to one batch of due rows and returns how many it
// handled (sent, retried later or failed).
func (d *Dispatcher) DispatchOnce(ctx context.Context) (int, error) {
	n := 0
	err := d.runner.Do(ctx, database.Request{Role: "service_role"}, func(ctx context.Context, tx pgx.Tx) error {
		rows, err := tx.Query(ctx, claimSQL, d.batch)
		if err != nil {
			return fmt.Errorf("claim outbox rows: %w", err)
		}
		claimed, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Row, error) { return scanRow(r) })
		if err != nil {
			return fmt.Errorf("claim outbox rows: %w", err)
		}
		for _, r := range claimed {
			if err := d.deliver(ctx, tx, r); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

func (d *Dispatcher) deliver(ctx context.Context, tx pgx.Tx, r Row) error {
	sctx, cancel := context.WithTimeout(ctx, d.sendTimeout)
	id, sender, sub, sendErr := d.send(sctx, r)
	cancel()
	log := d.logger.With("outbox_id", r.ID, "channel", r.Channel, "template", r.Template, "sender", sender)
	if sendErr == nil {
		log.InfoContext(ctx, "notification sent")
		_, err := tx.Exec(ctx, markSentSQL, r.ID, id)
		return err
	}
	if ctx.Err() != nil {
		return ctx.Err() // shutting down: the row stays pending, the attempt uncounted
	}
	permanent := isPermanent(sendErr)
	msg := sendErr.Error()
	if errors.Is(sendErr, webpush.ErrSubscriptionGone) {
		msg = "push subscription gone; delete it: " + msg
		if d.gone != nil {
			if err := d.gone(ctx, tx, sub); err != nil {
				return fmt.Errorf("outbox row %d: subscription gone: %w", r.ID, err)
			}
		}
	}
	backoff := outbox.Backoff(r.Attempts)
	backoff = max(backoff, min(retryAfter(sendErr), 24*time.Hour))
	log.WarnContext(ctx, "notification not sent", "attempt", r.Attempts+1, "permanent", permanent, "error", sendErr)
	_, err := tx.Exec(ctx, markFailedSQL, r.ID, truncate(msg, 500), d.maxAttempts, backoff.Seconds(), permanent)
	return err
}

// send hands the row to its channel's sender; it returns the provider's
// message id (WhatsApp only), the sender's name and, for push, the
// subscription.
func (d *Dispatcher) send(ctx context.Context, r Row) (string, string, webpush.Subscription, error) {
	switch r.Channel {
	case ChannelWhatsApp:
		m, err := r.whatsappMessage()
		if err != nil {
			return "", d.whatsapp.Name(), webpush.Subscription{}, err
		}
		id, err := d.whatsapp.Send(ctx, m)
		return id, d.whatsapp.Name(), webpush.Subscription{}, err
	case ChannelPush:
		sub, m, err := r.pushMessage()
		if err != nil {
			return "", d.push.Name(), sub, err
		}
		return "", d.push.Name(), sub, d.push.Send(ctx, sub, m)
	}
	return "", "", webpush.Subscription{}, fmt.Errorf("outbox row %d: channel %q is not whatsapp or push", r.ID, r.Channel)
}

// isPermanent: the senders' errors say so themselves (Permanent());
// anything else — a timeout, a refused connection — is worth a retry.
func isPermanent(err error) bool {
	var p interface{ Permanent() bool }
	return errors.As(err, &p) && p.Permanent()
}

func retryAfter(err error) time.Duration {
	var we *whatsapp.Error
	if errors.As(err, &we) {
		return we.RetryAfter
	}
	var pe *webpush.Error
	if errors.As(err, &pe) {
		return pe.RetryAfter
	}
	return 0
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}
