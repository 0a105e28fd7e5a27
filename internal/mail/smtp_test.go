package mail_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/creatorbase/creatorbase/internal/mail"
)

func smtpSender(t *testing.T, s *fakeSMTP, mode, user, pass string, pool *x509.CertPool) *mail.SMTP {
	t.Helper()
	host, port, _ := net.SplitHostPort(s.addr)
	p, _ := strconv.Atoi(port)
	return mail.NewSMTP(mail.SMTPConfig{Host: host, Port: p, User: user, Password: pass, TLS: mode, Timeout: 5 * time.Second,
		TLSConfig: &tls.Config{RootCAs: pool, ServerName: host, MinVersion: tls.VersionTLS12}})
}

var envelope = mail.Envelope{From: "creatorbase <noreply@example.com>", To: "a@example.com", Subject: "Réinitialiser", Text: "Line one\nCode: 123456\n"}

func TestSMTP(t *testing.T) {
	t.Parallel()

	t.Run("StartTLSWithAuth", func(t *testing.T) {
		t.Parallel()
		s, pool := newFakeSMTP(t, true, false, "user", "pass")
		if err := smtpSender(t, s, "starttls", "user", "pass", pool).Send(context.Background(), envelope); err != nil {
			t.Fatal(err)
		}
		got := s.received()
		if len(got) != 1 || !got[0].tls || !got[0].authed || !strings.Contains(got[0].to, "<a@example.com>") ||
			!strings.Contains(got[0].from, "<noreply@example.com>") {
			t.Fatalf("%+v", got)
		}
		d := got[0].data
		for _, want := range []string{"Subject: =?utf-8?q?R=C3=A9initialiser?=", "To: <a@example.com>", "Code: 123456\r\n", "Content-Transfer-Encoding: quoted-printable", "Message-ID: <"} {
			if !strings.Contains(d, want) {
				t.Errorf("message lacks %q:\n%s", want, d)
			}
		}
	})
	t.Run("ImplicitTLS", func(t *testing.T) {
		t.Parallel()
		s, pool := newFakeSMTP(t, false, true, "", "")
		if err := smtpSender(t, s, "tls", "", "", pool).Send(context.Background(), envelope); err != nil {
			t.Fatal(err)
		}
		if got := s.received(); len(got) != 1 || !got[0].tls {
			t.Fatalf("%+v", got)
		}
	})
	t.Run("PlainToLocalRelay", func(t *testing.T) {
		t.Parallel()
		s, _ := newFakeSMTP(t, false, false, "", "")
		if err := smtpSender(t, s, "none", "", "", nil).Send(context.Background(), envelope); err != nil {
			t.Fatal(err)
		}
		if got := s.received(); len(got) != 1 || got[0].tls {
			t.Fatalf("%+v", got)
		}
	})
	t.Run("RefusesWithoutStartTLS", func(t *testing.T) {
		t.Parallel()
		s, pool := newFakeSMTP(t, false, false, "user", "pass")
		err := smtpSender(t, s, "starttls", "user", "pass", pool).Send(context.Background(), envelope)
		if !errors.Is(err, mail.ErrNoStartTLS) || len(s.received()) != 0 {
			t.Fatalf("err %v, %d sent", err, len(s.received()))
		}
	})
	t.Run("UntrustedCertificate", func(t *testing.T) {
		t.Parallel()
		s, _ := newFakeSMTP(t, true, false, "", "")
		if err := smtpSender(t, s, "starttls", "", "", x509.NewCertPool()).Send(context.Background(), envelope); err == nil {
			t.Fatal("sent to a server with an untrusted certificate")
		}
	})
	t.Run("WrongPassword", func(t *testing.T) {
		t.Parallel()
		s, pool := newFakeSMTP(t, true, false, "user", "pass")
		if err := smtpSender(t, s, "starttls", "user", "nope", pool).Send(context.Background(), envelope); err == nil {
			t.Fatal("no error")
		}
	})
	t.Run("HeaderInjection", func(t *testing.T) {
		t.Parallel()
		s, pool := newFakeSMTP(t, true, false, "", "")
		bad := envelope
		bad.To = "a@example.com\r\nBcc: b@example.com"
		if err := smtpSender(t, s, "starttls", "", "", pool).Send(context.Background(), bad); err == nil {
			t.Fatal("accepted a recipient with a line break")
		}
		bad = envelope
		bad.Subject = "x\r\nBcc: b@example.com"
		if err := smtpSender(t, s, "starttls", "", "", pool).Send(context.Background(), bad); err == nil {
			t.Fatal("accepted a subject with a line break")
		}
	})
}
