// Package webpush sends Web Push messages: RFC 8030 delivery to the push
// service named in a browser's subscription, the payload encrypted for
// that browser with aes128gcm (RFC 8291), and the application server
// identified with a VAPID token (RFC 8292).
//
// Client is the real sender; Recorder, the default, keeps messages in
// memory so that development needs no keys and no network.
package webpush

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Subscription is what the browser's PushSubscription.toJSON() gives.
type Subscription struct {
	Endpoint string `json:"endpoint"`
	Keys     Keys   `json:"keys"`
}

// Keys are the subscription's encryption keys, base64url.
type Keys struct {
	P256dh string `json:"p256dh"` // the browser's ECDH public key (65 bytes)
	Auth   string `json:"auth"`   // the 16-byte authentication secret
}

// ParseSubscription reads and validates a subscription's JSON.
func ParseSubscription(s string) (Subscription, error) {
	var sub Subscription
	if err := json.Unmarshal([]byte(s), &sub); err != nil {
		return Subscription{}, fmt.Errorf("%w: %v", ErrBadSubscription, err)
	}
	return sub, sub.Validate()
}

// Validate checks that the endpoint is an https URL and that the keys
// decode to a P-256 point and a 16-byte secret.
func (s Subscription) Validate() error {
	u, err := url.Parse(s.Endpoint)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return fmt.Errorf("%w: endpoint must be an https URL", ErrBadSubscription)
	}
	_, _, err = s.decodeKeys()
	return err
}

func (s Subscription) decodeKeys() (uaPublic, auth []byte, err error) {
	uaPublic, err = decode64(s.Keys.P256dh)
	if err != nil || len(uaPublic) != 65 || uaPublic[0] != 4 {
		return nil, nil, fmt.Errorf("%w: keys.p256dh is not an uncompressed P-256 point", ErrBadSubscription)
	}
	auth, err = decode64(s.Keys.Auth)
	if err != nil || len(auth) != 16 {
		return nil, nil, fmt.Errorf("%w: keys.auth is not 16 bytes", ErrBadSubscription)
	}
	return uaPublic, auth, nil
}

// Urgency is the RFC 8030 §5.3 Urgency header.
type Urgency string

// The urgencies; empty sends no header, which push services treat as normal.
const (
	UrgencyVeryLow Urgency = "very-low"
	UrgencyLow     Urgency = "low"
	UrgencyNormal  Urgency = "normal"
	UrgencyHigh    Urgency = "high"
)

// Message is one push message.
type Message struct {
	Payload []byte        // delivered to the service worker's push event; at most MaxPayload bytes
	TTL     time.Duration // how long the push service keeps it for an offline browser; 0 means DefaultTTL, negative sends TTL: 0
	Urgency Urgency
	Topic   string // replaces an undelivered message with the same topic (at most 32 base64url characters)
}

// DefaultTTL is used when Message.TTL is zero.
const DefaultTTL = 24 * time.Hour

// Sender delivers push messages.
type Sender interface {
	// Name is "webpush" or "offline", for logs.
	Name() string
	Send(ctx context.Context, sub Subscription, m Message) error
}

// permanentError is an error that retrying cannot fix.
type permanentError string

func (e permanentError) Error() string { return string(e) }

// Permanent marks the error as not worth retrying.
func (permanentError) Permanent() bool { return true }

// Errors about the message itself; none is worth retrying.
var (
	ErrBadSubscription error = permanentError("webpush: invalid subscription")
	// ErrSubscriptionGone: the push service answered 404 or 410; the browser
	// unsubscribed or the subscription expired. Delete it.
	ErrSubscriptionGone error = permanentError("webpush: subscription gone")
)

// Error is a push service's refusal.
type Error struct {
	StatusCode int
	Body       string        // the start of the response body
	RetryAfter time.Duration // from Retry-After, when given
}

func (e *Error) Error() string {
	msg := fmt.Sprintf("push service answered %d", e.StatusCode)
	if e.Body != "" {
		msg += ": " + e.Body
	}
	return msg
}

// Permanent is true for 4xx answers other than 408 and 429: the request
// itself is wrong (400 malformed, 401/403 VAPID refused, 404/410 gone,
// 413 too large) and will be refused again.
func (e *Error) Permanent() bool {
	return e.StatusCode >= 400 && e.StatusCode < 500 && e.StatusCode != http.StatusRequestTimeout &&
		e.StatusCode != http.StatusTooManyRequests
}

// Is makes errors.Is(err, ErrSubscriptionGone) true for 404 and 410.
func (e *Error) Is(target error) bool {
	return target == ErrSubscriptionGone && (e.StatusCode == http.StatusNotFound || e.StatusCode == http.StatusGone)
}

// Config configures a Client.
type Config struct {
	Keys       VAPIDKeys // from ParseVAPIDKeys or GenerateVAPIDKeys
	Subject    string    // mailto: or https: contact for the push service's operator
	HTTPClient *http.Client
	Now        func() time.Time
}

// Client sends to real push services.
type Client struct {
	keys    VAPIDKeys
	subject string
	http    *http.Client
	now     func() time.Time
}

// NewClient checks cfg and returns a client. The HTTP client defaults to
// one with a 30 s timeout; a context deadline shortens it.
func NewClient(cfg Config) (*Client, error) {
	if cfg.Keys.key == nil {
		return nil, errors.New("webpush: VAPID keys are required")
	}
	if err := ValidSubject(cfg.Subject); err != nil {
		return nil, fmt.Errorf("webpush: VAPID subject: %w", err)
	}
	c := &Client{keys: cfg.Keys, subject: cfg.Subject, http: cfg.HTTPClient, now: cfg.Now}
	if c.http == nil {
		c.http = &http.Client{Timeout: 30 * time.Second}
	}
	if c.now == nil {
		c.now = time.Now
	}
	return c, nil
}

// Name implements Sender.
func (*Client) Name() string { return "webpush" }

// Send encrypts m for sub and posts it to the subscription's endpoint. A
// 201 (any 2xx) is success. Refusals come back as *Error: errors.Is(err,
// ErrSubscriptionGone) for 404/410; 429 and 5xx are worth retrying, after
// RetryAfter when the service said so.
func (c *Client) Send(ctx context.Context, sub Subscription, m Message) error {
	if err := sub.Validate(); err != nil {
		return err
	}
	if m.Topic != "" && (len(m.Topic) > 32 || strings.ContainsFunc(m.Topic, notBase64URL)) {
		return permanentError("webpush: topic must be at most 32 base64url characters")
	}
	body, err := encryptPayload(m.Payload, sub)
	if err != nil {
		return err
	}
	auth, err := c.keys.authorization(sub.Endpoint, c.subject, c.now())
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, sub.Endpoint, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("%w: %v", ErrBadSubscription, err)
	}
	ttl := m.TTL
	if ttl == 0 {
		ttl = DefaultTTL
	}
	req.Header.Set("Authorization", auth)
	req.Header.Set("TTL", strconv.FormatInt(int64(max(ttl, 0)/time.Second), 10))
	req.Header.Set("Content-Encoding", "aes128gcm")
	req.Header.Set("Content-Type", "application/octet-stream")
	if m.Urgency != "" {
		req.Header.Set("Urgency", string(m.Urgency))
	}
	if m.Topic != "" {
		req.Header.Set("Topic", m.Topic)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("webpush: %w", err)
	}
	defer resp.Body.Close()
	text, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return nil
	}
	return &Error{StatusCode: resp.StatusCode, Body: strings.TrimSpace(string(text)),
		RetryAfter: retryAfter(resp.Header.Get("Retry-After"), c.now())}
}

func notBase64URL(r rune) bool {
	return !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_')
}

// retryAfter reads delay-seconds or an HTTP date.
func retryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil && n > 0 {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// Recorder is the offline sender: it checks the subscription and the
// payload size as the real client would, then keeps the message in
// memory (the last 100) instead of sending it.
type Recorder struct {
	mu   sync.Mutex
	sent []Sent
}

// Sent is one recorded message.
type Sent struct {
	Subscription Subscription
	Message      Message
}

// Name implements Sender.
func (*Recorder) Name() string { return "offline" }

// Send implements Sender.
func (r *Recorder) Send(_ context.Context, sub Subscription, m Message) error {
	if err := sub.Validate(); err != nil {
		return err
	}
	if len(m.Payload) > MaxPayload {
		return ErrPayloadTooLarge
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sent = append(r.sent, Sent{Subscription: sub, Message: m})
	if len(r.sent) > 100 {
		r.sent = r.sent[len(r.sent)-100:]
	}
	return nil
}

// Sent returns the recorded messages, oldest first.
func (r *Recorder) Sent() []Sent {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Sent(nil), r.sent...)
}
