// Package mail sends the platform's mail through an outbox: a row in
// system.outbox is written in the same transaction as the change that
// causes the mail (Enqueue), and a Dispatcher later renders and hands
// pending rows to a Sender, with retries and backoff.
//
// Two senders exist: SMTP (net/smtp, STARTTLS or implicit TLS) and the
// dev Mailbox, the default, which delivers to the outbox table itself;
// `creatorbase mail list` and `creatorbase mail show <id>` read it.
package mail
