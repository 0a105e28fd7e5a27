package mail

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/creatorbase/creatorbase/internal/database"

	"github.com/jackc/pgx/v5"
)

// DBTX is a pool, a connection or a transaction.
type DBTX = database.DBTX

// ErrNotFound: no outbox row with that id.
var ErrNotFound = errors.New("mail not found")

// ErrBadRecipient: an address with line breaks or without @.
var ErrBadRecipient = errors.New("invalid mail recipient")

// Message is one mail to enqueue.
type Message struct {
	Template string
	To       string
	Data     Data
}

const enqueueSQL = `insert into system.outbox (channel, recipient, template, subject, payload)
values ('mail', $1, $2, $3, $4)`

// Enqueue writes m to the outbox; call it inside the transaction whose
// commit should send it.
func Enqueue(ctx context.Context, db DBTX, m Message) error {
	if strings.ContainsAny(m.To, "\r\n") || !strings.Contains(m.To, "@") {
		return ErrBadRecipient
	}
	subject, err := Subject(m.Template)
	if err != nil {
		return err
	}
	payload, err := json.Marshal(m.Data)
	if err != nil {
		return err
	}
	if _, err := db.Exec(ctx, enqueueSQL, m.To, m.Template, subject, string(payload)); err != nil {
		return fmt.Errorf("enqueue mail: %w", err)
	}
	return nil
}

// Row is one outbox row of the mail channel.
type Row struct {
	ID            int64      `json:"id"`
	Recipient     string     `json:"recipient"`
	Template      string     `json:"template"`
	Subject       string     `json:"subject"`
	Data          Data       `json:"payload"`
	Status        string     `json:"status"`
	Attempts      int        `json:"attempts"`
	LastError     *string    `json:"last_error"`
	NextAttemptAt time.Time  `json:"next_attempt_at"`
	CreatedAt     time.Time  `json:"created_at"`
	SentAt        *time.Time `json:"sent_at"`
}

// Body renders the row's text.
func (r Row) Body() (string, error) { return Render(r.Template, r.Data) }

const rowColumns = `id, recipient, template, subject, payload, status, attempts, last_error, next_attempt_at, created_at, sent_at`

func scanRow(row pgx.Row) (Row, error) {
	var r Row
	var payload []byte
	if err := row.Scan(&r.ID, &r.Recipient, &r.Template, &r.Subject, &payload, &r.Status, &r.Attempts,
		&r.LastError, &r.NextAttemptAt, &r.CreatedAt, &r.SentAt); err != nil {
		return Row{}, err
	}
	if err := json.Unmarshal(payload, &r.Data); err != nil {
		return Row{}, fmt.Errorf("outbox row %d: payload: %w", r.ID, err)
	}
	return r, nil
}

const listSQL = `select ` + rowColumns + ` from system.outbox
where channel = 'mail' and ($1 = '' or lower(recipient) = lower($1))
order by id desc limit $2`

// List returns the newest mails first, optionally only those to one address.
func List(ctx context.Context, db DBTX, to string, limit int) ([]Row, error) {
	rows, err := db.Query(ctx, listSQL, to, limit)
	if err != nil {
		return nil, fmt.Errorf("list mail: %w", err)
	}
	defer rows.Close()
	var out []Row
	for rows.Next() {
		r, err := scanRow(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Get returns one mail.
func Get(ctx context.Context, db DBTX, id int64) (Row, error) {
	r, err := scanRow(db.QueryRow(ctx, `select `+rowColumns+` from system.outbox where channel = 'mail' and id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return Row{}, ErrNotFound
	}
	return r, err
}
