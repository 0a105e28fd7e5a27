// Package whatsapp sends WhatsApp messages through Meta's WhatsApp Cloud
// API: POST {base}/{version}/{phone-number-id}/messages with a bearer
// token. Template messages reach anyone who opted in; free text only
// reaches someone who wrote to the business in the last 24 hours.
//
// Client is the real sender; Recorder, the default, keeps messages in
// memory so that development needs no account and no network.
package whatsapp

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Message is one WhatsApp message: a template (Template set) or free text.
type Message struct {
	To         string   // the recipient's phone number, international format, digits with an optional leading +
	Template   string   // an approved message template's name
	Language   string   // the template's language code; default en_US
	Parameters []string // the template body's {{1}}, {{2}}, … in order
	Text       string   // free text, when Template is empty
}

// DefaultLanguage is the template language when Message.Language is empty.
const DefaultLanguage = "en_US"

// permanentError is an error that retrying cannot fix.
type permanentError string

func (e permanentError) Error() string { return string(e) }

// Permanent marks the error as not worth retrying.
func (permanentError) Permanent() bool { return true }

// ErrBadMessage: a message that could never be sent (no recipient, no
// template or text); found before any request is made.
var ErrBadMessage error = permanentError("whatsapp: invalid message")

var phone = regexp.MustCompile(`^\+?[1-9][0-9]{6,14}$`)

// Validate checks the recipient and that there is something to send.
func (m Message) Validate() error {
	switch {
	case !phone.MatchString(m.To):
		return fmt.Errorf("%w: %q is not an international phone number", ErrBadMessage, m.To)
	case m.Template == "" && strings.TrimSpace(m.Text) == "":
		return fmt.Errorf("%w: neither a template nor text", ErrBadMessage)
	case m.Template != "" && m.Text != "":
		return fmt.Errorf("%w: both a template and text", ErrBadMessage)
	case len(m.Text) > 4096:
		return fmt.Errorf("%w: text longer than 4096 characters", ErrBadMessage)
	}
	return nil
}

// Sender delivers WhatsApp messages.
type Sender interface {
	// Name is "whatsapp" or "offline", for logs.
	Name() string
	// Send returns the message id (wamid…).
	Send(ctx context.Context, m Message) (string, error)
}

// Error is the Graph API's error object, with the HTTP status.
type Error struct {
	StatusCode int
	Message    string `json:"message"`
	Type       string `json:"type"`
	Code       int    `json:"code"`
	Subcode    int    `json:"error_subcode"`
	FBTraceID  string `json:"fbtrace_id"`
	RetryAfter time.Duration
}

func (e *Error) Error() string {
	s := fmt.Sprintf("whatsapp: %d: code %d", e.StatusCode, e.Code)
	if e.Subcode != 0 {
		s += fmt.Sprintf("/%d", e.Subcode)
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.FBTraceID != "" {
		s += " (fbtrace_id " + e.FBTraceID + ")"
	}
	return s
}

// retryableCodes are Graph API error codes that mean "later": throttling
// (4, 17, 341, 80007, 130429, 131048, 131056) and Meta-side trouble (1, 2,
// 131000, 131016, 133004). They may come with a 400.
var retryableCodes = map[int]bool{
	1: true, 2: true, 4: true, 17: true, 341: true, 80007: true, 130429: true,
	131000: true, 131016: true, 131048: true, 131056: true, 133004: true,
}

// Permanent reports whether retrying is pointless: any 4xx other than 408
// and 429 whose code is not a rate limit or a temporary failure — e.g. 190
// (access token invalid or expired), 100 (invalid parameter), 131026
// (undeliverable recipient), 131047 (outside the 24-hour window), 132001
// (no such template).
func (e *Error) Permanent() bool {
	if retryableCodes[e.Code] {
		return false
	}
	return e.StatusCode >= 400 && e.StatusCode < 500 && e.StatusCode != http.StatusRequestTimeout &&
		e.StatusCode != http.StatusTooManyRequests
}

// Config configures a Client.
type Config struct {
	BaseURL       string // default DefaultBaseURL; tests point it at httptest
	APIVersion    string // default DefaultAPIVersion
	PhoneNumberID string // the sending number's id in WhatsApp Manager
	Token         string // a system user access token with whatsapp_business_messaging
	HTTPClient    *http.Client
}

// Defaults of Config.
const (
	DefaultBaseURL    = "https://graph.facebook.com"
	DefaultAPIVersion = "v23.0"
)

// Client sends through the Cloud API.
type Client struct {
	url   string
	token string
	http  *http.Client
}

// NewClient checks cfg and returns a client. The HTTP client defaults to
// one with a 30 s timeout; a context deadline shortens it.
func NewClient(cfg Config) (*Client, error) {
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	if cfg.APIVersion == "" {
		cfg.APIVersion = DefaultAPIVersion
	}
	u, err := url.Parse(cfg.BaseURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("whatsapp: base URL %q is not an http(s) URL", cfg.BaseURL)
	}
	if cfg.Token == "" || cfg.PhoneNumberID == "" {
		return nil, errors.New("whatsapp: token and phone number id are required")
	}
	if strings.ContainsAny(cfg.PhoneNumberID+cfg.APIVersion, "/?#") {
		return nil, errors.New("whatsapp: phone number id and API version must not contain / ? #")
	}
	c := &Client{url: strings.TrimRight(cfg.BaseURL, "/") + "/" + cfg.APIVersion + "/" + cfg.PhoneNumberID + "/messages",
		token: cfg.Token, http: cfg.HTTPClient}
	if c.http == nil {
		c.http = &http.Client{Timeout: 30 * time.Second}
	}
	return c, nil
}

// Name implements Sender.
func (*Client) Name() string { return "whatsapp" }

type textBody struct {
	PreviewURL bool   `json:"preview_url"`
	Body       string `json:"body"`
}

type templateBody struct {
	Name       string      `json:"name"`
	Language   language    `json:"language"`
	Components []component `json:"components,omitempty"`
}

type language struct {
	Code string `json:"code"`
}

type component struct {
	Type       string      `json:"type"`
	Parameters []parameter `json:"parameters"`
}

type parameter struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

type request struct {
	MessagingProduct string        `json:"messaging_product"`
	RecipientType    string        `json:"recipient_type"`
	To               string        `json:"to"`
	Type             string        `json:"type"`
	Text             *textBody     `json:"text,omitempty"`
	Template         *templateBody `json:"template,omitempty"`
}

func body(m Message) request {
	r := request{MessagingProduct: "whatsapp", RecipientType: "individual", To: strings.TrimPrefix(m.To, "+")}
	if m.Template == "" {
		r.Type, r.Text = "text", &textBody{Body: m.Text}
		return r
	}
	lang := m.Language
	if lang == "" {
		lang = DefaultLanguage
	}
	r.Type, r.Template = "template", &templateBody{Name: m.Template, Language: language{Code: lang}}
	if len(m.Parameters) > 0 {
		c := component{Type: "body"}
		for _, p := range m.Parameters {
			c.Parameters = append(c.Parameters, parameter{Type: "text", Text: p})
		}
		r.Template.Components = []component{c}
	}
	return r
}

// Send posts m and returns the message id. Refusals come back as *Error;
// Permanent tells whether a retry could help.
func (c *Client) Send(ctx context.Context, m Message) (string, error) {
	if err := m.Validate(); err != nil {
		return "", err
	}
	payload, err := json.Marshal(body(m))
	if err != nil {
		return "", err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(payload))
	if err != nil {
		return "", err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return "", fmt.Errorf("whatsapp: %w", err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	if err != nil {
		return "", fmt.Errorf("whatsapp: reading the answer: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return "", apiError(resp, raw)
	}
	var ok struct {
		Messages []struct {
			ID string `json:"id"`
		} `json:"messages"`
	}
	if err := json.Unmarshal(raw, &ok); err != nil || len(ok.Messages) == 0 || ok.Messages[0].ID == "" {
		return "", fmt.Errorf("whatsapp: 200 without a message id: %.200s", raw)
	}
	return ok.Messages[0].ID, nil
}

// apiError reads {"error":{…}}; a body that is not one (a proxy's HTML
// page) still gives an Error classified by its status.
func apiError(resp *http.Response, raw []byte) *Error {
	var env struct {
		Error *Error `json:"error"`
	}
	e := &Error{}
	if json.Unmarshal(raw, &env) == nil && env.Error != nil {
		e = env.Error
	} else {
		e.Message = strings.TrimSpace(fmt.Sprintf("%.200s", raw))
	}
	e.StatusCode = resp.StatusCode
	if n, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && n > 0 {
		e.RetryAfter = time.Duration(n) * time.Second
	}
	return e
}

// Recorder is the offline sender: it validates each message as the real
// client would, then keeps it in memory (the last 100).
type Recorder struct {
	mu   sync.Mutex
	sent []Message
	n    int
}

// Name implements Sender.
func (*Recorder) Name() string { return "offline" }

// Send implements Sender; the id is wamid.offline.<n>.
func (r *Recorder) Send(_ context.Context, m Message) (string, error) {
	if err := m.Validate(); err != nil {
		return "", err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.n++
	r.sent = append(r.sent, m)
	if len(r.sent) > 100 {
		r.sent = r.sent[len(r.sent)-100:]
	}
	return "wamid.offline." + strconv.Itoa(r.n), nil
}

// Sent returns the recorded messages, oldest first.
func (r *Recorder) Sent() []Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Message(nil), r.sent...)
}
