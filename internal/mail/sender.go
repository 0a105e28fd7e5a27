package mail

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"time"
)

// Envelope is a rendered mail, ready to send.
type Envelope struct {
	From    string // "Name <addr>" or "addr"
	To      string
	Subject string
	Text    string
}

// Sender delivers rendered mail.
type Sender interface {
	// Name is "smtp" or "mailbox", for logs.
	Name() string
	Send(ctx context.Context, e Envelope) error
}

// Mailbox is the dev sender: delivery is the outbox row itself, marked
// sent; `creatorbase mail list|show` reads it.
type Mailbox struct{}

// Name implements Sender.
func (Mailbox) Name() string { return "mailbox" }

// Send implements Sender; the row is the mailbox, so there is nothing to do.
func (Mailbox) Send(context.Context, Envelope) error { return nil }

// compose renders e as an RFC 5322 message with a quoted-printable text
// body; it refuses header injection through any field.
func compose(e Envelope, now time.Time) ([]byte, string, string, error) {
	from, err := mail.ParseAddress(e.From)
	if err != nil {
		return nil, "", "", fmt.Errorf("from address: %w", err)
	}
	to, err := mail.ParseAddress(e.To)
	if err != nil || strings.ContainsAny(e.To, "\r\n") {
		return nil, "", "", ErrBadRecipient
	}
	if strings.ContainsAny(e.Subject, "\r\n") {
		return nil, "", "", fmt.Errorf("subject has a line break")
	}
	id := make([]byte, 12)
	_, _ = rand.Read(id)
	domain := from.Address[strings.LastIndexByte(from.Address, '@')+1:]
	var b bytes.Buffer
	fmt.Fprintf(&b, "From: %s\r\n", from.String())
	fmt.Fprintf(&b, "To: %s\r\n", to.String())
	fmt.Fprintf(&b, "Subject: %s\r\n", mime.QEncoding.Encode("utf-8", e.Subject))
	fmt.Fprintf(&b, "Date: %s\r\n", now.Format(time.RFC1123Z))
	fmt.Fprintf(&b, "Message-ID: <%s@%s>\r\n", hex.EncodeToString(id), domain)
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
	qp := quotedprintable.NewWriter(&b)
	if _, err := qp.Write([]byte(strings.ReplaceAll(strings.ReplaceAll(e.Text, "\r\n", "\n"), "\n", "\r\n"))); err != nil {
		return nil, "", "", err
	}
	if err := qp.Close(); err != nil {
		return nil, "", "", err
	}
	return b.Bytes(), from.Address, to.Address, nil
}
