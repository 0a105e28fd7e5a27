package cli_test

import (
	"context"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/creatorbase/creatorbase/internal/dbtest"
	"github.com/creatorbase/creatorbase/internal/mail"
	"github.com/creatorbase/creatorbase/internal/notify"
	"github.com/creatorbase/creatorbase/internal/notify/whatsapp"
)

// `creatorbase worker` sends the outbox as serve does: a mail and a
// WhatsApp message enqueued with no serve running go out.
func TestWorkerSendsTheOutbox(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	ctx := context.Background()
	owner := db.Owner(t)
	if err := mail.Enqueue(ctx, owner, mail.Message{Template: mail.Invite, To: "new@example.com",
		Data: mail.Data{SiteURL: "http://app.test", ConfirmationURL: "http://app.test/confirm", Token: "123456"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := notify.EnqueueWhatsApp(ctx, owner, whatsapp.Message{To: "+15550001111", Text: "Your export is ready"}); err != nil {
		t.Fatal(err)
	}

	cmd := exec.Command(binary, "worker")
	cmd.Env = append(os.Environ(), "DATABASE_URL="+db.OwnerURL, "CREATORBASE_JWT_SECRET="+dbtest.JWTSecret)
	stderr := &syncBuffer{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
		}
	})

	deadline := time.Now().Add(30 * time.Second)
	for {
		var sent, pending int
		if err := owner.QueryRow(ctx, `select count(*) filter (where status = 'sent'), count(*) filter (where status <> 'sent')
			from system.outbox`).Scan(&sent, &pending); err != nil {
			t.Fatal(err)
		}
		if sent == 2 && pending == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 30 s: %d sent, %d not; worker log:\n%s", sent, pending, stderr)
		}
		time.Sleep(100 * time.Millisecond)
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("worker exit: %v\n%s", err, stderr)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("worker did not stop within 30 s:\n%s", stderr)
	}
}
