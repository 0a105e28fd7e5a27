package whatsapp_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/creatorbase/creatorbase/internal/notify/whatsapp"
)

const (
	token   = "EAAtesttoken"
	phoneID = "106540352242922"
)

// graphError is the Graph API's error body.
func graphError(code, subcode int, typ, msg string) string {
	b, _ := json.Marshal(map[string]any{"error": map[string]any{
		"message": msg, "type": typ, "code": code, "error_subcode": subcode, "fbtrace_id": "AbCdEfGhIjK",
	}})
	return string(b)
}

type testBundle struct {
	client   *whatsapp.Client
	srv      *httptest.Server
	requests chan map[string]any
	// respond answers a request the fake has checked.
	respond func(w http.ResponseWriter, r *http.Request)
}

// setup starts a Cloud API fake that checks the path, the bearer token
// and the JSON body as the real one does, then answers with respond.
func setup(t *testing.T) *testBundle {
	t.Helper()
	b := &testBundle{requests: make(chan map[string]any, 4)}
	b.respond = func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"messaging_product":"whatsapp","contacts":[{"input":"15551234567","wa_id":"15551234567"}],"messages":[{"id":"wamid.HBgLMTU1NTEyMzQ1NjcVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA","message_status":"accepted"}]}`)
	}
	b.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/v23.0/"+phoneID+"/messages" {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = io.WriteString(w, graphError(100, 33, "GraphMethodException", "Unsupported post request."))
			return
		}
		if r.Header.Get("Authorization") != "Bearer "+token {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = io.WriteString(w, graphError(190, 0, "OAuthException", "Invalid OAuth access token - Cannot parse access token"))
			return
		}
		var body map[string]any
		if r.Header.Get("Content-Type") != "application/json" || json.NewDecoder(r.Body).Decode(&body) != nil ||
			body["messaging_product"] != "whatsapp" {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = io.WriteString(w, graphError(100, 0, "OAuthException", "(#100) The parameter messaging_product is required."))
			return
		}
		b.requests <- body
		b.respond(w, r)
	}))
	t.Cleanup(b.srv.Close)
	var err error
	b.client, err = whatsapp.NewClient(whatsapp.Config{BaseURL: b.srv.URL, PhoneNumberID: phoneID, Token: token})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestClientSends(t *testing.T) {
	t.Parallel()

	t.Run("Template", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		id, err := b.client.Send(context.Background(), whatsapp.Message{To: "+15551234567", Template: "order_shipped",
			Language: "de", Parameters: []string{"Ada", "#1234"}})
		if err != nil || !strings.HasPrefix(id, "wamid.") {
			t.Fatalf("%q %v", id, err)
		}
		got, _ := json.Marshal(<-b.requests)
		want := `{"messaging_product":"whatsapp","recipient_type":"individual","template":{"components":[{"parameters":[{"text":"Ada","type":"text"},{"text":"#1234","type":"text"}],"type":"body"}],"language":{"code":"de"},"name":"order_shipped"},"to":"15551234567","type":"template"}`
		if string(got) != want {
			t.Fatalf("body\n got %s\nwant %s", got, want)
		}
	})
	t.Run("TemplateWithoutParameters", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		if _, err := b.client.Send(context.Background(), whatsapp.Message{To: "15551234567", Template: "hello_world"}); err != nil {
			t.Fatal(err)
		}
		got, _ := json.Marshal(<-b.requests)
		if want := `{"messaging_product":"whatsapp","recipient_type":"individual","template":{"language":{"code":"en_US"},"name":"hello_world"},"to":"15551234567","type":"template"}`; string(got) != want {
			t.Fatalf("body\n got %s\nwant %s", got, want)
		}
	})
	t.Run("Text", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		if _, err := b.client.Send(context.Background(), whatsapp.Message{To: "15551234567", Text: "Your export is ready"}); err != nil {
			t.Fatal(err)
		}
		got, _ := json.Marshal(<-b.requests)
		if want := `{"messaging_product":"whatsapp","recipient_type":"individual","text":{"body":"Your export is ready","preview_url":false},"to":"15551234567","type":"text"}`; string(got) != want {
			t.Fatalf("body\n got %s\nwant %s", got, want)
		}
	})
}

func TestClientErrors(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name       string
		status     int
		body       string
		retryAfter string
		permanent  bool
		code       int
	}{
		{"InvalidRecipient", 400, graphError(131026, 2494010, "OAuthException", "(#131026) Message Undeliverable."), "", true, 131026},
		{"InvalidParameter", 400, graphError(100, 2494073, "OAuthException", "(#100) Invalid parameter"), "", true, 100},
		{"OutsideWindow", 400, graphError(131047, 0, "OAuthException", "(#131047) Re-engagement message"), "", true, 131047},
		{"TemplateMissing", 404, graphError(132001, 2494073, "OAuthException", "(#132001) Template name does not exist in the translation"), "", true, 132001},
		{"ExpiredToken", 401, graphError(190, 463, "OAuthException", "Error validating access token: Session has expired"), "", true, 190},
		{"AppRateLimit", 400, graphError(4, 0, "OAuthException", "(#4) Application request limit reached"), "", false, 4},
		{"AccountRateLimit", 400, graphError(80007, 0, "OAuthException", "(#80007) Rate limit issues"), "", false, 80007},
		{"PairRateLimit", 400, graphError(131056, 2494079, "OAuthException", "(#131056) (Business Account, Consumer Account) pair rate limit hit"), "", false, 131056},
		{"TooManyRequests", 429, graphError(130429, 0, "OAuthException", "(#130429) Rate limit hit"), "60", false, 130429},
		{"ServerError", 500, graphError(2, 0, "OAuthException", "Service temporarily unavailable"), "", false, 2},
		{"BadGatewayHTML", 502, "<html><body>Bad Gateway</body></html>", "", false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			b.respond = func(w http.ResponseWriter, _ *http.Request) {
				if tt.retryAfter != "" {
					w.Header().Set("Retry-After", tt.retryAfter)
				}
				w.WriteHeader(tt.status)
				_, _ = io.WriteString(w, tt.body)
			}
			id, err := b.client.Send(context.Background(), whatsapp.Message{To: "15551234567", Template: "hello_world"})
			var we *whatsapp.Error
			if id != "" || !errors.As(err, &we) {
				t.Fatalf("%q %v", id, err)
			}
			if we.StatusCode != tt.status || we.Code != tt.code || we.Permanent() != tt.permanent {
				t.Fatalf("%+v permanent %v", we, we.Permanent())
			}
			if strings.Contains(err.Error(), token) {
				t.Fatal("the token leaked into the error")
			}
			if tt.code != 0 && !strings.Contains(err.Error(), "AbCdEfGhIjK") {
				t.Fatalf("no fbtrace_id in %q", err)
			}
			if tt.retryAfter == "60" && we.RetryAfter != time.Minute {
				t.Fatalf("retry after %s", we.RetryAfter)
			}
		})
	}

	t.Run("WrongTokenIsPermanent", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		c, err := whatsapp.NewClient(whatsapp.Config{BaseURL: b.srv.URL, PhoneNumberID: phoneID, Token: "wrong"})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Send(context.Background(), whatsapp.Message{To: "15551234567", Text: "hi"})
		var we *whatsapp.Error
		if !errors.As(err, &we) || we.Code != 190 || !we.Permanent() {
			t.Fatal(err)
		}
	})
	t.Run("OKWithoutMessageID", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.respond = func(w http.ResponseWriter, _ *http.Request) {
			_, _ = io.WriteString(w, `{"messaging_product":"whatsapp"}`)
		}
		if _, err := b.client.Send(context.Background(), whatsapp.Message{To: "15551234567", Text: "hi"}); err == nil {
			t.Fatal("accepted a 200 without an id")
		}
	})
	t.Run("Timeout", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		release := make(chan struct{})
		t.Cleanup(func() { close(release) })
		b.respond = func(_ http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-release:
			}
		}
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		_, err := b.client.Send(ctx, whatsapp.Message{To: "15551234567", Text: "hi"})
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("got %v", err)
		}
		var perm interface{ Permanent() bool }
		if errors.As(err, &perm) && perm.Permanent() {
			t.Fatal("a timeout must be retryable")
		}
	})
}

func TestMessageValidation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		m    whatsapp.Message
	}{
		{"NoRecipient", whatsapp.Message{Text: "hi"}},
		{"NotANumber", whatsapp.Message{To: "ada@example.com", Text: "hi"}},
		{"LocalNumber", whatsapp.Message{To: "0301234", Text: "hi"}},
		{"Nothing", whatsapp.Message{To: "15551234567"}},
		{"Both", whatsapp.Message{To: "15551234567", Template: "x", Text: "y"}},
		{"TooLong", whatsapp.Message{To: "15551234567", Text: strings.Repeat("a", 4097)}},
	}
	b := setup(t)
	rec := &whatsapp.Recorder{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for _, s := range []whatsapp.Sender{b.client, rec} {
				if _, err := s.Send(context.Background(), tt.m); !errors.Is(err, whatsapp.ErrBadMessage) {
					t.Fatalf("%s: %v", s.Name(), err)
				}
			}
		})
	}
}

func TestNewClient(t *testing.T) {
	t.Parallel()
	for _, cfg := range []whatsapp.Config{
		{PhoneNumberID: phoneID},
		{Token: token},
		{Token: token, PhoneNumberID: phoneID, BaseURL: "ftp://x"},
		{Token: token, PhoneNumberID: "1/../2"},
	} {
		if _, err := whatsapp.NewClient(cfg); err == nil {
			t.Fatalf("accepted %+v", cfg)
		}
	}
}

func TestRecorder(t *testing.T) {
	t.Parallel()
	r := &whatsapp.Recorder{}
	id, err := r.Send(context.Background(), whatsapp.Message{To: "+15551234567", Template: "hello_world"})
	if err != nil || id != "wamid.offline.1" || r.Name() != "offline" {
		t.Fatalf("%q %v", id, err)
	}
	if got := r.Sent(); len(got) != 1 || got[0].Template != "hello_world" {
		t.Fatalf("%+v", got)
	}
}
