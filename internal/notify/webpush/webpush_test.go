package webpush_test

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/creatorbase/creatorbase/internal/notify/webpush"
)

var b64 = base64.RawURLEncoding

// browser is the subscriber: its ECDH key pair and auth secret.
type browser struct {
	priv *ecdh.PrivateKey
	auth []byte
}

func newBrowser(t *testing.T) browser {
	t.Helper()
	k, err := ecdh.P256().GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	auth := make([]byte, 16)
	_, _ = rand.Read(auth)
	return browser{priv: k, auth: auth}
}

func (b browser) subscription(endpoint string) webpush.Subscription {
	return webpush.Subscription{Endpoint: endpoint, Keys: webpush.Keys{
		P256dh: b64.EncodeToString(b.priv.PublicKey().Bytes()), Auth: b64.EncodeToString(b.auth)}}
}

// decrypt is the browser's side of RFC 8291 / RFC 8188, written apart from
// the package's encrypt so that the round trip checks one against the other.
func (b browser) decrypt(body []byte) ([]byte, error) {
	if len(body) < 21 {
		return nil, errors.New("short body")
	}
	salt, rs, idlen := body[:16], binary.BigEndian.Uint32(body[16:20]), int(body[20])
	if idlen != 65 || len(body) < 21+idlen {
		return nil, fmt.Errorf("keyid length %d", idlen)
	}
	asPublicBytes, ciphertext := body[21:21+idlen], body[21+idlen:]
	if uint32(len(ciphertext)) > rs {
		return nil, fmt.Errorf("record of %d bytes exceeds rs %d (one record expected)", len(ciphertext), rs)
	}
	asPublic, err := ecdh.P256().NewPublicKey(asPublicBytes)
	if err != nil {
		return nil, err
	}
	secret, err := b.priv.ECDH(asPublic)
	if err != nil {
		return nil, err
	}
	prkKey, _ := hkdf.Extract(sha256.New, secret, b.auth)
	ikm, _ := hkdf.Expand(sha256.New, prkKey, "WebPush: info\x00"+string(b.priv.PublicKey().Bytes())+string(asPublicBytes), 32)
	prk, _ := hkdf.Extract(sha256.New, ikm, salt)
	cek, _ := hkdf.Expand(sha256.New, prk, "Content-Encoding: aes128gcm\x00", 16)
	nonce, _ := hkdf.Expand(sha256.New, prk, "Content-Encoding: nonce\x00", 12)
	block, err := aes.NewCipher(cek)
	if err != nil {
		return nil, err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	plain, err := gcm.Open(nil, nonce, ciphertext, nil)
	if err != nil {
		return nil, err
	}
	plain = []byte(strings.TrimRight(string(plain), "\x00"))
	if len(plain) == 0 || plain[len(plain)-1] != 0x02 {
		return nil, errors.New("no last-record delimiter")
	}
	return plain[:len(plain)-1], nil
}

// verifyVAPID checks "vapid t=<jwt>, k=<key>" as a push service does: the
// ES256 signature against k, aud = the service's origin, exp within 24 h.
func verifyVAPID(header, origin, wantKey string, now time.Time) (map[string]any, error) {
	rest, ok := strings.CutPrefix(header, "vapid ")
	if !ok {
		return nil, errors.New("not a vapid authorization")
	}
	params := map[string]string{}
	for p := range strings.SplitSeq(rest, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
		params[k] = v
	}
	if params["k"] != wantKey {
		return nil, errors.New("k is not the server's public key")
	}
	keyBytes, err := b64.DecodeString(params["k"])
	if err != nil {
		return nil, err
	}
	pub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), keyBytes)
	if err != nil {
		return nil, err
	}
	parts := strings.Split(params["t"], ".")
	if len(parts) != 3 {
		return nil, errors.New("t is not a JWT")
	}
	var hdr map[string]string
	if raw, err := b64.DecodeString(parts[0]); err != nil || json.Unmarshal(raw, &hdr) != nil || hdr["alg"] != "ES256" {
		return nil, fmt.Errorf("JWT header %v", hdr)
	}
	sig, err := b64.DecodeString(parts[2])
	if err != nil || len(sig) != 64 {
		return nil, errors.New("signature is not r||s")
	}
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if !ecdsa.Verify(pub, digest[:], new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])) {
		return nil, errors.New("bad signature")
	}
	var claims map[string]any
	raw, _ := b64.DecodeString(parts[1])
	if err := json.Unmarshal(raw, &claims); err != nil {
		return nil, err
	}
	if claims["aud"] != origin {
		return nil, fmt.Errorf("aud %v, want %s", claims["aud"], origin)
	}
	exp, _ := claims["exp"].(float64)
	if e := time.Unix(int64(exp), 0); !e.After(now) || e.After(now.Add(24*time.Hour)) {
		return nil, fmt.Errorf("exp %v not within 24 h", e)
	}
	if sub, _ := claims["sub"].(string); !strings.HasPrefix(sub, "mailto:") {
		return nil, fmt.Errorf("sub %q", sub)
	}
	return claims, nil
}

// received is what the fake push service accepted.
type received struct {
	plaintext []byte
	header    http.Header
}

type testBundle struct {
	browser  browser
	keys     webpush.VAPIDKeys
	client   *webpush.Client
	srv      *httptest.Server
	received chan received
	// respond answers after the request has been checked.
	respond func(w http.ResponseWriter, r *http.Request)
}

// setup starts a push service (TLS, as every real one) that verifies the
// VAPID token and decrypts the payload with the browser's private key.
func setup(t *testing.T) *testBundle {
	t.Helper()
	keys, err := webpush.GenerateVAPIDKeys()
	if err != nil {
		t.Fatal(err)
	}
	b := &testBundle{browser: newBrowser(t), keys: keys, received: make(chan received, 4),
		respond: func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusCreated) }}
	b.srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := verifyVAPID(r.Header.Get("Authorization"), "https://"+r.Host, keys.Public, time.Now()); err != nil {
			http.Error(w, "VAPID: "+err.Error(), http.StatusUnauthorized)
			return
		}
		if r.Header.Get("Content-Encoding") != "aes128gcm" || r.Header.Get("TTL") == "" {
			http.Error(w, "missing Content-Encoding or TTL", http.StatusBadRequest)
			return
		}
		body, _ := io.ReadAll(r.Body)
		plain, err := b.browser.decrypt(body)
		if err != nil {
			http.Error(w, "decrypt: "+err.Error(), http.StatusBadRequest)
			return
		}
		b.received <- received{plaintext: plain, header: r.Header.Clone()}
		b.respond(w, r)
	}))
	t.Cleanup(b.srv.Close)
	b.client, err = webpush.NewClient(webpush.Config{Keys: keys, Subject: "mailto:ops@example.com", HTTPClient: b.srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (b *testBundle) sub() webpush.Subscription {
	return b.browser.subscription(b.srv.URL + "/push/abc123")
}

func TestClientRoundTrip(t *testing.T) {
	t.Parallel()

	t.Run("DeliversDecryptablePayloadWithHeaders", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		msg := `{"title":"New follower","url":"/followers"}`
		err := b.client.Send(context.Background(), b.sub(), webpush.Message{Payload: []byte(msg), TTL: time.Hour,
			Urgency: webpush.UrgencyHigh, Topic: "followers"})
		if err != nil {
			t.Fatal(err)
		}
		got := <-b.received
		if string(got.plaintext) != msg {
			t.Fatalf("decrypted %q", got.plaintext)
		}
		if got.header.Get("TTL") != "3600" || got.header.Get("Urgency") != "high" || got.header.Get("Topic") != "followers" ||
			got.header.Get("Content-Type") != "application/octet-stream" {
			t.Fatalf("headers %v", got.header)
		}
	})
	t.Run("DefaultTTLAndNoUrgency", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		if err := b.client.Send(context.Background(), b.sub(), webpush.Message{Payload: []byte("x")}); err != nil {
			t.Fatal(err)
		}
		got := <-b.received
		if got.header.Get("TTL") != "86400" || got.header.Get("Urgency") != "" || got.header.Get("Topic") != "" {
			t.Fatalf("headers %v", got.header)
		}
	})
	t.Run("EmptyPayload", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		if err := b.client.Send(context.Background(), b.sub(), webpush.Message{}); err != nil {
			t.Fatal(err)
		}
		if got := <-b.received; len(got.plaintext) != 0 {
			t.Fatalf("%q", got.plaintext)
		}
	})
	t.Run("WrongVAPIDKeyIsRefused", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		other, err := webpush.GenerateVAPIDKeys()
		if err != nil {
			t.Fatal(err)
		}
		c, err := webpush.NewClient(webpush.Config{Keys: other, Subject: "mailto:ops@example.com", HTTPClient: b.srv.Client()})
		if err != nil {
			t.Fatal(err)
		}
		err = c.Send(context.Background(), b.sub(), webpush.Message{Payload: []byte("x")})
		var pe *webpush.Error
		if !errors.As(err, &pe) || pe.StatusCode != http.StatusUnauthorized || !pe.Permanent() {
			t.Fatalf("%v", err)
		}
	})
}

func TestClientResponses(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name       string
		status     int
		retryAfter string
		permanent  bool
		gone       bool
		wantAfter  time.Duration
	}{
		{name: "Created", status: http.StatusCreated},
		{name: "Accepted", status: http.StatusAccepted},
		{name: "NotFoundIsGone", status: http.StatusNotFound, permanent: true, gone: true},
		{name: "GoneIsGone", status: http.StatusGone, permanent: true, gone: true},
		{name: "BadRequestIsPermanent", status: http.StatusBadRequest, permanent: true},
		{name: "ForbiddenIsPermanent", status: http.StatusForbidden, permanent: true},
		{name: "TooLargeIsPermanent", status: http.StatusRequestEntityTooLarge, permanent: true},
		{name: "TooManyRequestsIsRetryable", status: http.StatusTooManyRequests, retryAfter: "30", wantAfter: 30 * time.Second},
		{name: "ServerErrorIsRetryable", status: http.StatusInternalServerError},
		{name: "UnavailableIsRetryable", status: http.StatusServiceUnavailable, retryAfter: "120", wantAfter: 2 * time.Minute},
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
				_, _ = io.WriteString(w, `{"reason":"test"}`)
			}
			err := b.client.Send(context.Background(), b.sub(), webpush.Message{Payload: []byte("hello")})
			<-b.received
			if tt.status < 300 {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var pe *webpush.Error
			if !errors.As(err, &pe) || pe.StatusCode != tt.status || !strings.Contains(pe.Body, "reason") {
				t.Fatalf("got %v", err)
			}
			if pe.Permanent() != tt.permanent || errors.Is(err, webpush.ErrSubscriptionGone) != tt.gone || pe.RetryAfter != tt.wantAfter {
				t.Fatalf("permanent %v gone %v retry-after %s", pe.Permanent(), errors.Is(err, webpush.ErrSubscriptionGone), pe.RetryAfter)
			}
		})
	}
}

func TestClientTimeout(t *testing.T) {
	t.Parallel()
	b := setup(t)
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	b.respond = func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	err := b.client.Send(ctx, b.sub(), webpush.Message{Payload: []byte("x")})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v", err)
	}
	var perm interface{ Permanent() bool }
	if errors.As(err, &perm) && perm.Permanent() {
		t.Fatal("a timeout must be retryable")
	}
}

func TestClientRefusesBadInput(t *testing.T) {
	t.Parallel()
	b := setup(t)
	good := b.sub()
	tests := []struct {
		name string
		sub  func() webpush.Subscription
		msg  webpush.Message
		want error
	}{
		{"PlainHTTPEndpoint", func() webpush.Subscription { s := good; s.Endpoint = "http://push.example/x"; return s }, webpush.Message{}, webpush.ErrBadSubscription},
		{"NoEndpoint", func() webpush.Subscription { s := good; s.Endpoint = ""; return s }, webpush.Message{}, webpush.ErrBadSubscription},
		{"BadP256dh", func() webpush.Subscription { s := good; s.Keys.P256dh = "AAAA"; return s }, webpush.Message{}, webpush.ErrBadSubscription},
		{"BadAuth", func() webpush.Subscription { s := good; s.Keys.Auth = "not base64!"; return s }, webpush.Message{}, webpush.ErrBadSubscription},
		{"PayloadTooLarge", func() webpush.Subscription { return good }, webpush.Message{Payload: make([]byte, webpush.MaxPayload+1)}, webpush.ErrPayloadTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := b.client.Send(context.Background(), tt.sub(), tt.msg)
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
			var perm interface{ Permanent() bool }
			if !errors.As(err, &perm) || !perm.Permanent() {
				t.Fatal("must be permanent")
			}
		})
	}
	t.Run("BadTopic", func(t *testing.T) {
		t.Parallel()
		if err := b.client.Send(context.Background(), good, webpush.Message{Topic: "has space"}); err == nil {
			t.Fatal("accepted")
		}
	})
}

func TestVAPIDKeys(t *testing.T) {
	t.Parallel()

	t.Run("GeneratedKeysParse", func(t *testing.T) {
		t.Parallel()
		k, err := webpush.GenerateVAPIDKeys()
		if err != nil {
			t.Fatal(err)
		}
		pub, _ := b64.DecodeString(k.Public)
		priv, _ := b64.DecodeString(k.Private)
		if len(pub) != 65 || pub[0] != 4 || len(priv) != 32 {
			t.Fatalf("%d %d", len(pub), len(priv))
		}
		if _, err := webpush.ParseVAPIDKeys(k.Public, k.Private); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("MismatchedPairRefused", func(t *testing.T) {
		t.Parallel()
		a, _ := webpush.GenerateVAPIDKeys()
		c, _ := webpush.GenerateVAPIDKeys()
		if _, err := webpush.ParseVAPIDKeys(a.Public, c.Private); err == nil || !strings.Contains(err.Error(), "does not match") {
			t.Fatal(err)
		}
		if _, err := webpush.ParseVAPIDKeys(a.Public, "short"); err == nil {
			t.Fatal("accepted a short private key")
		}
	})
	t.Run("ClientNeedsKeysAndSubject", func(t *testing.T) {
		t.Parallel()
		k, _ := webpush.GenerateVAPIDKeys()
		if _, err := webpush.NewClient(webpush.Config{Subject: "mailto:a@example.com"}); err == nil {
			t.Fatal("no keys accepted")
		}
		for _, s := range []string{"", "ops@example.com", "http://example.com", "mailto:"} {
			if _, err := webpush.NewClient(webpush.Config{Keys: k, Subject: s}); err == nil {
				t.Fatalf("subject %q accepted", s)
			}
		}
	})
}

func TestRecorder(t *testing.T) {
	t.Parallel()
	r := &webpush.Recorder{}
	sub := newBrowser(t).subscription("https://push.example/abc")
	if err := r.Send(context.Background(), sub, webpush.Message{Payload: []byte("hi")}); err != nil {
		t.Fatal(err)
	}
	bad := sub
	bad.Endpoint = "ftp://x"
	if err := r.Send(context.Background(), bad, webpush.Message{}); !errors.Is(err, webpush.ErrBadSubscription) {
		t.Fatal(err)
	}
	if got := r.Sent(); len(got) != 1 || string(got[0].Message.Payload) != "hi" || r.Name() != "offline" {
		t.Fatalf("%+v", got)
	}
}

func TestParseSubscription(t *testing.T) {
	t.Parallel()
	sub := newBrowser(t).subscription("https://push.example/abc")
	raw, _ := json.Marshal(sub)
	got, err := webpush.ParseSubscription(string(raw))
	if err != nil || got != sub {
		t.Fatalf("%+v %v", got, err)
	}
	if _, err := webpush.ParseSubscription(`{"endpoint":`); !errors.Is(err, webpush.ErrBadSubscription) {
		t.Fatal(err)
	}
}
