package mail_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/creatorbase/creatorbase/internal/database"
	"github.com/creatorbase/creatorbase/internal/dbtest"
	"github.com/creatorbase/creatorbase/internal/mail"
)

func TestTemplates(t *testing.T) {
	t.Parallel()
	for _, name := range []string{mail.Confirmation, mail.Recovery, mail.MagicLink, mail.Invite, mail.EmailChange} {
		body, err := mail.Render(name, mail.Data{ConfirmationURL: "http://x/verify?token=h", Token: "123456", Email: "a@b.c", NewEmail: "n@b.c", SiteURL: "http://app"})
		if err != nil || !strings.Contains(body, "123456") || !strings.Contains(body, "http://x/verify?token=h") {
			t.Errorf("%s: %v\n%s", name, err, body)
		}
	}
	if _, err := mail.Render("nope", mail.Data{}); !errors.Is(err, mail.ErrUnknownTemplate) {
		t.Fatal(err)
	}
}

type testBundle struct {
	owner  *pgxpool.Pool
	runner *database.Runner
}

func setup(t *testing.T) *testBundle {
	t.Helper()
	db := dbtest.New(t)
	runner, err := database.NewRunner(context.Background(), db.Authenticator(t))
	if err != nil {
		t.Fatal(err)
	}
	return &testBundle{owner: db.Owner(t), runner: runner}
}

func (b *testBundle) enqueue(t *testing.T, to string) {
	t.Helper()
	// The Auth service enqueues as supabase_auth_admin.
	err := b.runner.Do(context.Background(), database.Request{Role: "supabase_auth_admin"}, func(ctx context.Context, tx pgx.Tx) error {
		return mail.Enqueue(ctx, tx, mail.Message{Template: mail.Recovery, To: to, Data: mail.Data{Token: "654321", ConfirmationURL: "http://x"}})
	})
	if err != nil {
		t.Fatal(err)
	}
}

type failingSender struct{ calls atomic.Int32 }

func (*failingSender) Name() string { return "failing" }
func (f *failingSender) Send(context.Context, mail.Envelope) error {
	f.calls.Add(1)
	return errors.New("connection refused")
}

func TestDispatcher(t *testing.T) {
	t.Parallel()

	t.Run("MailboxMarksSent", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.enqueue(t, "a@example.com")
		b.enqueue(t, "b@example.com")
		d := mail.NewDispatcher(b.runner, mail.DispatcherOptions{Sender: mail.Mailbox{}, From: "x <x@example.com>"})
		n, err := d.DispatchOnce(context.Background())
		if err != nil || n != 2 {
			t.Fatalf("%d %v", n, err)
		}
		rows, err := mail.List(context.Background(), b.owner, "", 10)
		if err != nil || len(rows) != 2 || rows[0].Status != "sent" || rows[0].SentAt == nil || rows[0].Attempts != 1 {
			t.Fatalf("%+v %v", rows, err)
		}
		r, err := mail.Get(context.Background(), b.owner, rows[1].ID)
		if err != nil || r.Data.Token != "654321" {
			t.Fatalf("%+v %v", r, err)
		}
		if _, err := mail.Get(context.Background(), b.owner, 999999); !errors.Is(err, mail.ErrNotFound) {
			t.Fatal(err)
		}
		if n, _ := d.DispatchOnce(context.Background()); n != 0 {
			t.Fatalf("sent again: %d", n)
		}
	})
	t.Run("RetriesThenFails", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.enqueue(t, "a@example.com")
		f := &failingSender{}
		d := mail.NewDispatcher(b.runner, mail.DispatcherOptions{Sender: f, From: "x <x@example.com>", MaxAttempts: 2})
		for range 2 {
			if _, err := d.DispatchOnce(context.Background()); err != nil {
				t.Fatal(err)
			}
			// Make the retry due now.
			if _, err := b.owner.Exec(context.Background(), "update system.outbox set next_attempt_at = now()"); err != nil {
				t.Fatal(err)
			}
		}
		rows, _ := mail.List(context.Background(), b.owner, "", 10)
		if rows[0].Status != "failed" || rows[0].Attempts != 2 || rows[0].LastError == nil || f.calls.Load() != 2 {
			t.Fatalf("%+v calls %d", rows[0], f.calls.Load())
		}
	})
	t.Run("RunStopsOnCancel", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		ctx, cancel := context.WithCancel(context.Background())
		d := mail.NewDispatcher(b.runner, mail.DispatcherOptions{From: "x <x@example.com>"})
		done := make(chan error, 1)
		go func() { done <- d.Run(ctx) }()
		b.enqueue(t, "a@example.com")
		d.Notify()
		cancel()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	})
	t.Run("RequestRolesCannotReadOutbox", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		for _, role := range []string{"anon", "authenticated"} {
			err := b.runner.Do(context.Background(), database.Request{Role: role}, func(ctx context.Context, tx pgx.Tx) error {
				_, err := mail.List(ctx, tx, "", 1)
				return err
			})
			if err == nil || !strings.Contains(err.Error(), "permission denied") {
				t.Fatalf("%s: %v", role, err)
			}
		}
	})
}
