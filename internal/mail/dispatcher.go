package mail

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/creatorbase/creatorbase/internal/database"
	"github.com/creatorbase/creatorbase/internal/outbox"
)

// Dispatcher sends the outbox's pending mail. Several processes may run
// one each: rows are claimed with FOR UPDATE SKIP LOCKED.
type Dispatcher struct {
	runner      *database.Runner
	sender      Sender
	from        string
	logger      *slog.Logger
	interval    time.Duration
	batch       int
	maxAttempts int
	poller      *outbox.Poller
}

// DispatcherOptions configure a Dispatcher.
type DispatcherOptions struct {
	Sender      Sender
	From        string // sender address
	Logger      *slog.Logger
	Interval    time.Duration // poll interval; default 2 s
	Batch       int           // rows per pass; default 20
	MaxAttempts int           // then the row is failed; default 6
}

// NewDispatcher returns a dispatcher that works through runner as
// service_role.
func NewDispatcher(runner *database.Runner, opts DispatcherOptions) *Dispatcher {
	d := &Dispatcher{runner: runner, sender: opts.Sender, from: opts.From, logger: opts.Logger,
		interval: opts.Interval, batch: opts.Batch, maxAttempts: opts.MaxAttempts}
	if d.interval <= 0 {
		d.interval = 2 * time.Second
	}
	if d.batch <= 0 {
		d.batch = 20
	}
	if d.maxAttempts <= 0 {
		d.maxAttempts = 6
	}
	if d.logger == nil {
		d.logger = slog.New(slog.DiscardHandler)
	}
	if d.sender == nil {
		d.sender = Mailbox{}
	}
	d.poller = outbox.NewPoller(d.DispatchOnce, d.batch, d.interval, d.logger, "mail dispatch")
	return d
}

// Notify makes a running dispatcher look at the outbox now (after a
// commit that enqueued a message). It never blocks.
func (d *Dispatcher) Notify() { d.poller.Notify() }

// Run dispatches until ctx ends; it returns nil then.
func (d *Dispatcher) Run(ctx context.Context) error { return d.poller.Run(ctx) }

const claimSQL = `select ` + rowColumns + ` from system.outbox
where channel = 'mail' and status = 'pending' and next_attempt_at <= now()
order by next_attempt_at, id
limit $1
for update skip locked`

const markSentSQL = `update system.outbox set status = 'sent', sent_at = now(), attempts = attempts + 1, last_error = null where id = $1`

const markFailedSQL = `update system.outbox
set attempts = attempts + 1, last_error = $2,
    status = case when attempts + 1 >= $3 then 'failed' else 'pending' end,
    next_attempt_at = now() + make_interval(secs => $4)
where id = $1`

// DispatchOnce sends up to one batch of due mail and returns how many
// rows it handled (sent or failed).
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
	sendErr := d.send(ctx, r)
	if sendErr == nil {
		d.logger.InfoContext(ctx, "mail sent", "outbox_id", r.ID, "template", r.Template, "sender", d.sender.Name())
		_, err := tx.Exec(ctx, markSentSQL, r.ID)
		return err
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	backoff := outbox.Backoff(r.Attempts)
	d.logger.WarnContext(ctx, "mail not sent", "outbox_id", r.ID, "attempt", r.Attempts+1, "error", sendErr)
	_, err := tx.Exec(ctx, markFailedSQL, r.ID, truncate(sendErr.Error(), 500), d.maxAttempts, backoff.Seconds())
	return err
}

func (d *Dispatcher) send(ctx context.Context, r Row) error {
	text, err := r.Body()
	if err != nil {
		return err
	}
	if err := d.sender.Send(ctx, Envelope{From: d.from, To: r.Recipient, Subject: r.Subject, Text: text}); err != nil {
		return err
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
