// Package outbox holds what the outbox's dispatchers share: the loop
// that drains due rows in passes, wakes early when told a message was
// enqueued, and polls otherwise.
package outbox

import (
	"context"
	"log/slog"
	"time"
)

// Poller runs pass repeatedly: back to back while each pass handles a
// full batch, then after Interval or a Notify, until its context ends.
type Poller struct {
	pass     func(ctx context.Context) (int, error)
	batch    int
	interval time.Duration
	logger   *slog.Logger
	what     string
	wake     chan struct{}
}

// NewPoller returns a poller for pass, which handles up to batch rows.
// what names the work in log lines ("mail dispatch").
func NewPoller(pass func(ctx context.Context) (int, error), batch int, interval time.Duration, logger *slog.Logger, what string) *Poller {
	return &Poller{pass: pass, batch: batch, interval: interval, logger: logger, what: what, wake: make(chan struct{}, 1)}
}

// Notify makes a running poller look at the outbox now (after a commit
// that enqueued a message). It never blocks.
func (p *Poller) Notify() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// Run polls until ctx ends; it returns nil then.
func (p *Poller) Run(ctx context.Context) error {
	t := time.NewTicker(p.interval)
	defer t.Stop()
	for {
		for {
			n, err := p.pass(ctx)
			if err != nil && ctx.Err() == nil {
				p.logger.WarnContext(ctx, p.what, "error", err)
			}
			if err != nil || n < p.batch {
				break
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		case <-p.wake:
		}
	}
}

// Backoff is the wait before a message's next attempt: 10 s doubling per
// attempt, at most an hour.
func Backoff(attempts int) time.Duration {
	return min(time.Duration(1<<min(attempts, 12))*10*time.Second, time.Hour)
}
