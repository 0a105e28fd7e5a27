package notify_test

import (
	"context"
	"crypto/ecdh"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/creatorbase/creatorbase/internal/database"
	"github.com/creatorbase/creatorbase/internal/dbtest"
	"github.com/creatorbase/creatorbase/internal/mail"
	"github.com/creatorbase/creatorbase/internal/notify"
	"github.com/creatorbase/creatorbase/internal/notify/webpush"
	"github.com/creatorbase/creatorbase/internal/notify/whatsapp"
)

func TestMain(m *testing.M) { os.Exit(dbtest.Main(m)) }

// scripted senders answer with the next error of their script (nil = sent).
type scriptedWhatsApp struct {
	mu   sync.Mutex
	errs []error
	got  []whatsapp.Message
}

func (*scriptedWhatsApp) Name() string { return "scripted" }
func (s *scriptedWhatsApp) Send(_ context.Context, m whatsapp.Message) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.got = append(s.got, m)
	if len(s.errs) > 0 {
		err := s.errs[0]
		s.errs = s.errs[1:]
		if err != nil {
			return "", err
		}
	}
	return "wamid.scripted", nil
}

type scriptedPush struct {
	mu   sync.Mutex
	errs []error
	got  []webpush.Message
}

func (*scriptedPush) Name() string { return "scripted" }
func (s *scriptedPush) Send(_ context.Context, _ webpush.Subscription, m webpush.Message) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.got = append(s.got, m)
	if len(s.errs) > 0 {
		err := s.errs[0]
		s.errs = s.errs[1:]
		return err
	}
	return nil
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

// do runs fn as service_role, as product code that enqueues does.
func (b *testBundle) do(t *testing.T, fn func(ctx context.Context, tx pgx.Tx) error) {
	t.Helper()
	if err := b.runner.Do(context.Background(), database.Request{Role: "service_role"}, fn); err != nil {
		t.Fatal(err)
	}
}

func (b *testBundle) enqueueWhatsApp(t *testing.T) int64 {
	t.Helper()
	var id int64
	b.do(t, func(ctx context.Context, tx pgx.Tx) (err error) {
		id, err = notify.EnqueueWhatsApp(ctx, tx, whatsapp.Message{To: "+15551234567", Template: "order_shipped",
			Language: "de", Parameters: []string{"Ada"}})
		return err
	})
	return id
}

func subscription(t *testing.T, endpoint string) webpush.Subscription {
	t.Helper()
	k, err := ecdh.P256().GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	auth := make([]byte, 16)
	_, _ = rand.Read(auth)
	return webpush.Subscription{Endpoint: endpoint, Keys: webpush.Keys{
		P256dh: base64.RawURLEncoding.EncodeToString(k.PublicKey().Bytes()), Auth: base64.RawURLEncoding.EncodeToString(auth)}}
}

func (b *testBundle) enqueuePush(t *testing.T, sub webpush.Subscription) int64 {
	t.Helper()
	var id int64
	b.do(t, func(ctx context.Context, tx pgx.Tx) (err error) {
		id, err = notify.EnqueuePush(ctx, tx, notify.Push{Subscription: sub, Template: "new_follower", Title: "New follower",
			Message: json.RawMessage(`{"title":"New follower","url":"/followers"}`), TTL: time.Hour, Urgency: webpush.UrgencyHigh})
		return err
	})
	return id
}

func (b *testBundle) row(t *testing.T, id int64) notify.Row {
	t.Helper()
	r, err := notify.Get(context.Background(), b.owner, id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// due makes every retry due now.
func (b *testBundle) due(t *testing.T) {
	t.Helper()
	if _, err := b.owner.Exec(context.Background(), "update system.outbox set next_attempt_at = now()"); err != nil {
		t.Fatal(err)
	}
}

func dispatchOnce(t *testing.T, d *notify.Dispatcher, want int) {
	t.Helper()
	n, err := d.DispatchOnce(context.Background())
	if err != nil || n != want {
		t.Fatalf("dispatched %d (want %d): %v", n, want, err)
	}
}

func TestDispatcherRoutes(t *testing.T) {
	t.Parallel()

	t.Run("EachChannelToItsSenderAndMailLeftAlone", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		wa, push := &whatsapp.Recorder{}, &webpush.Recorder{}
		waID := b.enqueueWhatsApp(t)
		pushID := b.enqueuePush(t, subscription(t, "https://push.example/sub/1"))
		b.do(t, func(ctx context.Context, tx pgx.Tx) error {
			return mail.Enqueue(ctx, tx, mail.Message{Template: mail.Recovery, To: "a@example.com", Data: mail.Data{Token: "1"}})
		})
		d := notify.NewDispatcher(b.runner, notify.DispatcherOptions{WhatsApp: wa, Push: push})
		dispatchOnce(t, d, 2)
		dispatchOnce(t, d, 0)

		if got := wa.Sent(); len(got) != 1 || got[0].To != "+15551234567" || got[0].Template != "order_shipped" ||
			got[0].Language != "de" || len(got[0].Parameters) != 1 || got[0].Parameters[0] != "Ada" {
			t.Fatalf("whatsapp %+v", got)
		}
		if got := push.Sent(); len(got) != 1 || string(got[0].Message.Payload) != `{"url":"/followers","title":"New follower"}` ||
			got[0].Message.TTL != time.Hour || got[0].Message.Urgency != webpush.UrgencyHigh || got[0].Subscription.Endpoint != "https://push.example/sub/1" {
			t.Fatalf("push %+v", got)
		}
		for _, id := range []int64{waID, pushID} {
			if r := b.row(t, id); r.Status != "sent" || r.Attempts != 1 || r.SentAt == nil || r.LastError != nil {
				t.Fatalf("%+v", r)
			}
		}
		if r := b.row(t, waID); !strings.Contains(string(r.Payload), `"message_id": "wamid.offline.1"`) {
			t.Fatalf("payload %s", r.Payload)
		}
		mails, err := mail.List(context.Background(), b.owner, "", 10)
		if err != nil || len(mails) != 1 || mails[0].Status != "pending" || mails[0].Attempts != 0 {
			t.Fatalf("mail touched: %+v %v", mails, err)
		}
	})
	t.Run("LongSubscriptionKeptInPayload", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		push := &webpush.Recorder{}
		endpoint := "https://push.example/wpush/v2/" + strings.Repeat("gAAAAABk", 25)
		id := b.enqueuePush(t, subscription(t, endpoint))
		if r := b.row(t, id); r.Recipient != endpoint || !strings.Contains(string(r.Payload), `"subscription"`) {
			t.Fatalf("%+v", r)
		}
		dispatchOnce(t, notify.NewDispatcher(b.runner, notify.DispatcherOptions{Push: push}), 1)
		if got := push.Sent(); len(got) != 1 || got[0].Subscription.Endpoint != endpoint {
			t.Fatalf("%+v", got)
		}
	})
}

func TestDispatcherFailures(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name       string
		channel    string
		errs       []error
		wantStatus string
		wantError  string
		minDelay   time.Duration // next_attempt_at at least this far ahead
	}{
		{name: "WhatsAppRateLimitRetried", channel: notify.ChannelWhatsApp,
			errs:       []error{&whatsapp.Error{StatusCode: 400, Code: 131056, Message: "pair rate limit hit"}},
			wantStatus: "pending", wantError: "131056", minDelay: 9 * time.Second},
		{name: "WhatsAppRetryAfterHonoured", channel: notify.ChannelWhatsApp,
			errs:       []error{&whatsapp.Error{StatusCode: 429, Code: 130429, RetryAfter: 10 * time.Minute}},
			wantStatus: "pending", wantError: "130429", minDelay: 9 * time.Minute},
		{name: "WhatsAppInvalidRecipientFailsAtOnce", channel: notify.ChannelWhatsApp,
			errs:       []error{&whatsapp.Error{StatusCode: 400, Code: 131026, Message: "Message Undeliverable."}},
			wantStatus: "failed", wantError: "Message Undeliverable"},
		{name: "WhatsAppExpiredTokenFailsAtOnce", channel: notify.ChannelWhatsApp,
			errs:       []error{&whatsapp.Error{StatusCode: 401, Code: 190, Message: "Session has expired"}},
			wantStatus: "failed", wantError: "code 190"},
		{name: "WhatsAppTimeoutRetried", channel: notify.ChannelWhatsApp,
			errs:       []error{context.DeadlineExceeded},
			wantStatus: "pending", wantError: "deadline exceeded", minDelay: 9 * time.Second},
		{name: "PushServerErrorRetried", channel: notify.ChannelPush,
			errs:       []error{&webpush.Error{StatusCode: 503}},
			wantStatus: "pending", wantError: "503", minDelay: 9 * time.Second},
		{name: "PushGoneFailsAtOnce", channel: notify.ChannelPush,
			errs:       []error{&webpush.Error{StatusCode: 410}},
			wantStatus: "failed", wantError: "push subscription gone; delete it"},
		{name: "PushTooLargeFailsAtOnce", channel: notify.ChannelPush,
			errs:       []error{&webpush.Error{StatusCode: 413}},
			wantStatus: "failed", wantError: "413"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			wa, push := &scriptedWhatsApp{errs: tt.errs}, &scriptedPush{errs: tt.errs}
			var gone []webpush.Subscription
			d := notify.NewDispatcher(b.runner, notify.DispatcherOptions{WhatsApp: wa, Push: push,
				SubscriptionGone: func(_ context.Context, _ pgx.Tx, sub webpush.Subscription) error {
					gone = append(gone, sub)
					return nil
				}})
			var id int64
			if tt.channel == notify.ChannelWhatsApp {
				id = b.enqueueWhatsApp(t)
			} else {
				id = b.enqueuePush(t, subscription(t, "https://push.example/sub/9"))
			}
			dispatchOnce(t, d, 1)
			r := b.row(t, id)
			if r.Status != tt.wantStatus || r.Attempts != 1 || r.LastError == nil || !strings.Contains(*r.LastError, tt.wantError) {
				t.Fatalf("%+v last_error %v", r, deref(r.LastError))
			}
			if ahead := time.Until(r.NextAttemptAt); tt.minDelay > 0 && ahead < tt.minDelay {
				t.Fatalf("retry in %s, want at least %s", ahead, tt.minDelay)
			}
			if wantGone := strings.Contains(tt.wantError, "gone"); (len(gone) == 1) != wantGone ||
				wantGone && gone[0].Endpoint != "https://push.example/sub/9" {
				t.Fatalf("gone callback: %+v", gone)
			}
			dispatchOnce(t, d, 0) // nothing due: a retry waits its backoff, a failure stays failed
			if r.Status == "pending" {
				b.due(t)
				dispatchOnce(t, d, 1) // the script is used up: this attempt succeeds
				if r := b.row(t, id); r.Status != "sent" || r.Attempts != 2 || r.LastError != nil {
					t.Fatalf("%+v", r)
				}
			}
		})
	}

	t.Run("RetryableFailsAfterMaxAttempts", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		wa := &scriptedWhatsApp{errs: []error{errors.New("connection refused"), errors.New("connection refused"), errors.New("connection refused")}}
		id := b.enqueueWhatsApp(t)
		d := notify.NewDispatcher(b.runner, notify.DispatcherOptions{WhatsApp: wa, MaxAttempts: 3})
		for range 3 {
			dispatchOnce(t, d, 1)
			b.due(t)
		}
		if r := b.row(t, id); r.Status != "failed" || r.Attempts != 3 || len(wa.got) != 3 {
			t.Fatalf("%+v calls %d", r, len(wa.got))
		}
	})
	t.Run("UnreadableRowFailsAtOnce", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		var id int64
		err := b.owner.QueryRow(context.Background(), `insert into system.outbox (channel, recipient, template)
values ('push', 'not a subscription', 'x') returning id`).Scan(&id)
		if err != nil {
			t.Fatal(err)
		}
		dispatchOnce(t, notify.NewDispatcher(b.runner, notify.DispatcherOptions{}), 1)
		if r := b.row(t, id); r.Status != "failed" || r.LastError == nil || !strings.Contains(*r.LastError, "invalid subscription") {
			t.Fatalf("%+v", r)
		}
	})
	t.Run("GoneCallbackErrorRollsBack", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		id := b.enqueuePush(t, subscription(t, "https://push.example/sub/2"))
		d := notify.NewDispatcher(b.runner, notify.DispatcherOptions{Push: &scriptedPush{errs: []error{&webpush.Error{StatusCode: 404}}},
			SubscriptionGone: func(context.Context, pgx.Tx, webpush.Subscription) error { return errors.New("boom") }})
		if _, err := d.DispatchOnce(context.Background()); err == nil || !strings.Contains(err.Error(), "boom") {
			t.Fatal(err)
		}
		if r := b.row(t, id); r.Status != "pending" || r.Attempts != 0 {
			t.Fatalf("%+v", r)
		}
	})
}

// TestDispatcherWithRealWhatsAppClient runs rows through the real client
// against a Cloud API fake: one number is accepted, one is undeliverable.
func TestDispatcherWithRealWhatsAppClient(t *testing.T) {
	t.Parallel()
	b := setup(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			To string `json:"to"`
		}
		_ = json.NewDecoder(r.Body).Decode(&body)
		if body.To == "15550000000" {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = io.WriteString(w, `{"error":{"message":"(#131026) Message Undeliverable.","type":"OAuthException","code":131026,"error_subcode":2494010,"fbtrace_id":"Az8or2yhqkZfEZ-_4Qn_Bam"}}`)
			return
		}
		_, _ = io.WriteString(w, `{"messaging_product":"whatsapp","contacts":[{"input":"15551234567","wa_id":"15551234567"}],"messages":[{"id":"wamid.HBgLMTU1NTEyMzQ1NjcVAgARGBI"}]}`)
	}))
	t.Cleanup(srv.Close)
	client, err := whatsapp.NewClient(whatsapp.Config{BaseURL: srv.URL, PhoneNumberID: "1065", Token: "t"})
	if err != nil {
		t.Fatal(err)
	}
	good := b.enqueueWhatsApp(t)
	var bad int64
	b.do(t, func(ctx context.Context, tx pgx.Tx) (err error) {
		bad, err = notify.EnqueueWhatsApp(ctx, tx, whatsapp.Message{To: "+15550000000", Text: "hi"})
		return err
	})
	dispatchOnce(t, notify.NewDispatcher(b.runner, notify.DispatcherOptions{WhatsApp: client}), 2)
	if r := b.row(t, good); r.Status != "sent" || !strings.Contains(string(r.Payload), "wamid.HBgLMTU1NTEyMzQ1NjcVAgARGBI") {
		t.Fatalf("%+v %s", r, r.Payload)
	}
	if r := b.row(t, bad); r.Status != "failed" || r.Attempts != 1 || !strings.Contains(deref(r.LastError), "131026") {
		t.Fatalf("%+v", r)
	}
}

func TestEnqueueRefuses(t *testing.T) {
	t.Parallel()
	b := setup(t)
	sub := subscription(t, "https://push.example/sub/3")
	tests := []struct {
		name string
		fn   func(ctx context.Context, tx pgx.Tx) error
		want error
	}{
		{"WhatsAppNoNumber", func(ctx context.Context, tx pgx.Tx) error {
			_, err := notify.EnqueueWhatsApp(ctx, tx, whatsapp.Message{To: "ada", Template: "x"})
			return err
		}, whatsapp.ErrBadMessage},
		{"PushHTTPEndpoint", func(ctx context.Context, tx pgx.Tx) error {
			_, err := notify.EnqueuePush(ctx, tx, notify.Push{Subscription: subscription(t, "http://push.example/x"), Template: "x"})
			return err
		}, webpush.ErrBadSubscription},
		{"PushTooLarge", func(ctx context.Context, tx pgx.Tx) error {
			_, err := notify.EnqueuePush(ctx, tx, notify.Push{Subscription: sub, Template: "x",
				Message: json.RawMessage(`"` + strings.Repeat("a", webpush.MaxPayload) + `"`)})
			return err
		}, webpush.ErrPayloadTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := b.runner.Do(context.Background(), database.Request{Role: "service_role"}, tt.fn)
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
		})
	}
	t.Run("PushMessageNotJSON", func(t *testing.T) {
		t.Parallel()
		err := b.runner.Do(context.Background(), database.Request{Role: "service_role"}, func(ctx context.Context, tx pgx.Tx) error {
			_, err := notify.EnqueuePush(ctx, tx, notify.Push{Subscription: sub, Template: "x", Message: json.RawMessage(`{`)})
			return err
		})
		if err == nil {
			t.Fatal("accepted")
		}
	})
	if _, err := notify.Get(context.Background(), b.owner, 999999); !errors.Is(err, notify.ErrNotFound) {
		t.Fatal(err)
	}
}

func TestDispatcherRunStopsOnCancel(t *testing.T) {
	t.Parallel()
	b := setup(t)
	push := &webpush.Recorder{}
	ctx, cancel := context.WithCancel(context.Background())
	d := notify.NewDispatcher(b.runner, notify.DispatcherOptions{Push: push, Interval: time.Hour})
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	b.enqueuePush(t, subscription(t, "https://push.example/sub/4"))
	d.Notify()
	deadline := time.Now().Add(10 * time.Second)
	for len(push.Sent()) == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if len(push.Sent()) != 1 {
		t.Fatal("Notify did not wake the dispatcher")
	}
}

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}
