package outbox_test

import (
	"context"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/creatorbase/creatorbase/internal/outbox"
)

func TestPoller(t *testing.T) {
	t.Parallel()

	t.Run("DrainsFullBatchesBackToBack", func(t *testing.T) {
		t.Parallel()
		var passes atomic.Int32
		ctx, cancel := context.WithCancel(t.Context())
		p := outbox.NewPoller(func(context.Context) (int, error) {
			if passes.Add(1) < 3 {
				return 5, nil // a full batch: go again at once
			}
			cancel()
			return 0, nil
		}, 5, time.Hour, slog.New(slog.DiscardHandler), "test")
		done := make(chan error, 1)
		go func() { done <- p.Run(ctx) }()
		select {
		case err := <-done:
			if err != nil || passes.Load() != 3 {
				t.Fatalf("err %v after %d passes, want 3 passes without waiting an hour", err, passes.Load())
			}
		case <-time.After(10 * time.Second):
			t.Fatal("poller waited instead of draining")
		}
	})

	t.Run("NotifyWakesAndNeverBlocks", func(t *testing.T) {
		t.Parallel()
		woken := make(chan struct{}, 10)
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		p := outbox.NewPoller(func(context.Context) (int, error) {
			woken <- struct{}{}
			return 0, nil
		}, 5, time.Hour, slog.New(slog.DiscardHandler), "test")
		go func() { _ = p.Run(ctx) }()
		<-woken // the first pass runs at start
		for range 3 {
			p.Notify() // never blocks, even when a wake-up is already pending
		}
		select {
		case <-woken:
		case <-time.After(10 * time.Second):
			t.Fatal("Notify did not wake the poller")
		}
	})
}

func TestBackoff(t *testing.T) {
	t.Parallel()
	for attempts, want := range map[int]time.Duration{0: 10 * time.Second, 1: 20 * time.Second, 3: 80 * time.Second, 9: time.Hour, 40: time.Hour} {
		if got := outbox.Backoff(attempts); got != want {
			t.Errorf("Backoff(%d) = %s, want %s", attempts, got, want)
		}
	}
}
