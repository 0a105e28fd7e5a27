// Package notify sends the outbox's WhatsApp and push rows, as package
// mail sends its mail rows: a row in system.outbox is written in the same
// transaction as the change that causes it (EnqueueWhatsApp, EnqueuePush),
// and a Dispatcher hands pending rows to the channel's sender, with
// retries and backoff. Errors a retry cannot fix (an undeliverable number,
// an expired token, a push subscription that is gone) fail the row at once.
//
// The senders are in whatsapp and webpush; their offline Recorders are the
// default, so development needs no account, no keys and no network.
package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/creatorbase/creatorbase/internal/database"

	"github.com/jackc/pgx/v5"

	"github.com/creatorbase/creatorbase/internal/notify/webpush"
	"github.com/creatorbase/creatorbase/internal/notify/whatsapp"
)

// DBTX is a pool, a connection or a transaction.
type DBTX = database.DBTX

// The outbox channels this package sends.
const (
	ChannelWhatsApp = "whatsapp"
	ChannelPush     = "push"
)

// maxRecipient is system.outbox.recipient's limit.
const maxRecipient = 320

const enqueueSQL = `insert into system.outbox (channel, recipient, template, subject, payload)
values ($1, $2, $3, $4, $5) returning id`

// whatsappPayload is a whatsapp row's payload; the row's recipient is the
// phone number and its template the message template (” for free text).
type whatsappPayload struct {
	Language   string   `json:"language,omitempty"`
	Parameters []string `json:"parameters,omitempty"`
	Text       string   `json:"text,omitempty"`
	MessageID  string   `json:"message_id,omitempty"` // set once sent
}

// EnqueueWhatsApp writes m to the outbox; call it inside the transaction
// whose commit should send it. It returns the row's id.
func EnqueueWhatsApp(ctx context.Context, db DBTX, m whatsapp.Message) (int64, error) {
	if err := m.Validate(); err != nil {
		return 0, err
	}
	p, err := json.Marshal(whatsappPayload{Language: m.Language, Parameters: m.Parameters, Text: m.Text})
	if err != nil {
		return 0, err
	}
	var id int64
	if err := db.QueryRow(ctx, enqueueSQL, ChannelWhatsApp, m.To, m.Template, "", string(p)).Scan(&id); err != nil {
		return 0, fmt.Errorf("enqueue whatsapp: %w", err)
	}
	return id, nil
}

// Push is one push message to enqueue.
type Push struct {
	Subscription webpush.Subscription
	Template     string          // what kind of notification, for listings and logs (e.g. "new_follower")
	Title        string          // stored as the row's subject, for listings
	Message      json.RawMessage // the JSON the service worker receives; at most webpush.MaxPayload bytes
	TTL          time.Duration   // 0: webpush.DefaultTTL
	Urgency      webpush.Urgency
	Topic        string
}

// pushPayload is a push row's payload. The row's recipient is the
// subscription's JSON; a subscription longer than the column allows is
// kept here instead, with the endpoint as the recipient.
type pushPayload struct {
	Message      json.RawMessage       `json:"message"`
	TTLSeconds   int64                 `json:"ttl,omitempty"`
	Urgency      webpush.Urgency       `json:"urgency,omitempty"`
	Topic        string                `json:"topic,omitempty"`
	Subscription *webpush.Subscription `json:"subscription,omitempty"`
}

// EnqueuePush writes p to the outbox; call it inside the transaction whose
// commit should send it. It returns the row's id.
func EnqueuePush(ctx context.Context, db DBTX, p Push) (int64, error) {
	if err := p.Subscription.Validate(); err != nil {
		return 0, err
	}
	if len(p.Message) == 0 {
		p.Message = json.RawMessage("{}")
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, p.Message); err != nil {
		return 0, errors.New("push message is not JSON")
	}
	p.Message = compact.Bytes()
	if len(p.Message) > webpush.MaxPayload {
		return 0, webpush.ErrPayloadTooLarge
	}
	if strings.TrimSpace(p.Template) == "" {
		return 0, errors.New("push template is required")
	}
	payload := pushPayload{Message: p.Message, TTLSeconds: int64(p.TTL / time.Second), Urgency: p.Urgency, Topic: p.Topic}
	sub, err := json.Marshal(p.Subscription)
	if err != nil {
		return 0, err
	}
	recipient := string(sub)
	if len(recipient) > maxRecipient {
		recipient = p.Subscription.Endpoint
		payload.Subscription = &p.Subscription
	}
	if len(recipient) > maxRecipient {
		return 0, fmt.Errorf("%w: endpoint longer than %d characters", webpush.ErrBadSubscription, maxRecipient)
	}
	raw, err := json.Marshal(payload)
	if err != nil {
		return 0, err
	}
	var id int64
	if err := db.QueryRow(ctx, enqueueSQL, ChannelPush, recipient, p.Template, p.Title, string(raw)).Scan(&id); err != nil {
		return 0, fmt.Errorf("enqueue push: %w", err)
	}
	return id, nil
}

// Row is one outbox row of the whatsapp or push channel.
type Row struct {
	ID            int64           `json:"id"`
	Channel       string          `json:"channel"`
	Recipient     string          `json:"recipient"`
	Template      string          `json:"template"`
	Subject       string          `json:"subject"`
	Payload       json.RawMessage `json:"payload"`
	Status        string          `json:"status"`
	Attempts      int             `json:"attempts"`
	LastError     *string         `json:"last_error"`
	NextAttemptAt time.Time       `json:"next_attempt_at"`
	CreatedAt     time.Time       `json:"created_at"`
	SentAt        *time.Time      `json:"sent_at"`
}

const rowColumns = `id, channel, recipient, template, subject, payload, status, attempts, last_error, next_attempt_at, created_at, sent_at`

func scanRow(row pgx.Row) (Row, error) {
	var r Row
	var payload []byte
	if err := row.Scan(&r.ID, &r.Channel, &r.Recipient, &r.Template, &r.Subject, &payload, &r.Status, &r.Attempts,
		&r.LastError, &r.NextAttemptAt, &r.CreatedAt, &r.SentAt); err != nil {
		return Row{}, err
	}
	r.Payload = payload
	return r, nil
}

// ErrNotFound: no whatsapp or push row with that id.
var ErrNotFound = errors.New("notification not found")

// Get returns one whatsapp or push row.
func Get(ctx context.Context, db DBTX, id int64) (Row, error) {
	r, err := scanRow(db.QueryRow(ctx, `select `+rowColumns+` from system.outbox
where channel in ('whatsapp', 'push') and id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return Row{}, ErrNotFound
	}
	if err != nil {
		return Row{}, fmt.Errorf("get notification: %w", err)
	}
	return r, nil
}

// ErrBadRow: a row whose payload cannot be read (written by hand, not by
// EnqueueWhatsApp or EnqueuePush). Retrying cannot help.
var ErrBadRow error = badRow("outbox row unreadable")

type badRow string

func (e badRow) Error() string { return string(e) }

// Permanent marks the error as not worth retrying.
func (badRow) Permanent() bool { return true }

// whatsappMessage rebuilds the message of a whatsapp row.
func (r Row) whatsappMessage() (whatsapp.Message, error) {
	var p whatsappPayload
	if err := json.Unmarshal(r.Payload, &p); err != nil {
		return whatsapp.Message{}, fmt.Errorf("%w: payload: %v", ErrBadRow, err)
	}
	return whatsapp.Message{To: r.Recipient, Template: r.Template, Language: p.Language, Parameters: p.Parameters, Text: p.Text}, nil
}

// pushMessage rebuilds the subscription and message of a push row.
func (r Row) pushMessage() (webpush.Subscription, webpush.Message, error) {
	var p pushPayload
	if err := json.Unmarshal(r.Payload, &p); err != nil {
		return webpush.Subscription{}, webpush.Message{}, fmt.Errorf("%w: payload: %v", ErrBadRow, err)
	}
	var sub webpush.Subscription
	switch {
	case p.Subscription != nil:
		sub = *p.Subscription
	default:
		var err error
		if sub, err = webpush.ParseSubscription(r.Recipient); err != nil {
			return webpush.Subscription{}, webpush.Message{}, err
		}
	}
	// jsonb stores the message reordered and spaced; send it compact.
	var compact bytes.Buffer
	if err := json.Compact(&compact, p.Message); err != nil {
		return webpush.Subscription{}, webpush.Message{}, fmt.Errorf("%w: message: %v", ErrBadRow, err)
	}
	m := webpush.Message{Payload: compact.Bytes(), TTL: time.Duration(p.TTLSeconds) * time.Second, Urgency: p.Urgency, Topic: p.Topic}
	return sub, m, sub.Validate()
}
