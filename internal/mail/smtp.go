package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/smtp"
	"strconv"
	"time"
)

// SMTPConfig configures an SMTP sender.
type SMTPConfig struct {
	Host      string
	Port      int
	User      string // empty: no AUTH
	Password  string
	TLS       string        // "starttls" (required), "tls" (implicit) or "none"
	TLSConfig *tls.Config   // nil: verify the server as Host
	Timeout   time.Duration // whole conversation; default 30 s
	Helo      string        // default "localhost"
}

// ErrNoStartTLS: the server does not offer STARTTLS, which is required.
var ErrNoStartTLS = errors.New("smtp server does not offer STARTTLS")

// SMTP sends through an SMTP server, one connection per mail.
type SMTP struct{ cfg SMTPConfig }

// NewSMTP returns an SMTP sender.
func NewSMTP(cfg SMTPConfig) *SMTP {
	if cfg.Timeout == 0 {
		cfg.Timeout = 30 * time.Second
	}
	if cfg.Helo == "" {
		cfg.Helo = "localhost"
	}
	if cfg.TLSConfig == nil {
		cfg.TLSConfig = &tls.Config{ServerName: cfg.Host, MinVersion: tls.VersionTLS12}
	}
	return &SMTP{cfg: cfg}
}

// Name implements Sender.
func (*SMTP) Name() string { return "smtp" }

// Send implements Sender.
func (s *SMTP) Send(ctx context.Context, e Envelope) error {
	msg, from, to, err := compose(e, time.Now())
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	addr := net.JoinHostPort(s.cfg.Host, strconv.Itoa(s.cfg.Port))
	d := &net.Dialer{}
	var conn net.Conn
	if s.cfg.TLS == "tls" {
		conn, err = (&tls.Dialer{NetDialer: d, Config: s.cfg.TLSConfig}).DialContext(ctx, "tcp", addr)
	} else {
		conn, err = d.DialContext(ctx, "tcp", addr)
	}
	if err != nil {
		return fmt.Errorf("smtp dial %s: %w", addr, err)
	}
	deadline, _ := ctx.Deadline()
	_ = conn.SetDeadline(deadline)
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Now()) })
	defer stop()
	c, err := smtp.NewClient(conn, s.cfg.Host)
	if err != nil {
		_ = conn.Close()
		return fmt.Errorf("smtp greeting: %w", err)
	}
	defer c.Close()
	if err := s.converse(c, msg, from, to); err != nil {
		return err
	}
	return c.Quit()
}

func (s *SMTP) converse(c *smtp.Client, msg []byte, from, to string) error {
	if err := c.Hello(s.cfg.Helo); err != nil {
		return fmt.Errorf("smtp hello: %w", err)
	}
	if s.cfg.TLS == "starttls" {
		if ok, _ := c.Extension("STARTTLS"); !ok {
			return ErrNoStartTLS
		}
		if err := c.StartTLS(s.cfg.TLSConfig); err != nil {
			return fmt.Errorf("smtp starttls: %w", err)
		}
	}
	if s.cfg.User != "" {
		if err := c.Auth(smtp.PlainAuth("", s.cfg.User, s.cfg.Password, s.cfg.Host)); err != nil {
			return fmt.Errorf("smtp auth: %w", err)
		}
	}
	if err := c.Mail(from); err != nil {
		return fmt.Errorf("smtp mail from: %w", err)
	}
	if err := c.Rcpt(to); err != nil {
		return fmt.Errorf("smtp rcpt to: %w", err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("smtp data: %w", err)
	}
	if _, err := w.Write(msg); err != nil {
		return fmt.Errorf("smtp data: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("smtp data: %w", err)
	}
	return nil
}
