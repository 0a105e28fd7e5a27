package auth_test

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/creatorbase/creatorbase/internal/auth"
	"github.com/creatorbase/creatorbase/internal/auth/ratelimit"
)

func TestErrorShapes(t *testing.T) {
	t.Parallel()
	b := setup(t)
	body := map[string]any{"email": "nobody@example.com", "password": "x"}

	r := b.do(t, req{method: "POST", path: "/token?grant_type=password", body: body})
	m := r.expect(400, "invalid_credentials")
	if m["message"] != "Invalid login credentials" || r.Header().Get("X-Supabase-Api-Version") != "2024-01-01" ||
		r.Header().Get("X-Sb-Error-Code") != "invalid_credentials" {
		t.Fatalf("%v %v", m, r.Header())
	}
	r = b.do(t, req{method: "POST", path: "/token?grant_type=password", body: body, header: map[string]string{"X-Supabase-Api-Version": ""}})
	m = r.json()
	if r.Code != 400 || m["code"] != float64(400) || m["error_code"] != "invalid_credentials" || m["msg"] != "Invalid login credentials" ||
		r.Header().Get("X-Supabase-Api-Version") != "" {
		t.Fatalf("legacy shape: %v", m)
	}
	b.do(t, req{method: "GET", path: "/nope"}).expect(404, "not_found")
}

func TestSettingsHealthJWKS(t *testing.T) {
	t.Parallel()
	b := setup(t)
	s := b.do(t, req{method: "GET", path: "/settings"}).expect(200, "")
	if s["mailer_autoconfirm"] != true || s["disable_signup"] != false || s["external"].(map[string]any)["email"] != true {
		t.Fatalf("%v", s)
	}
	if h := b.do(t, req{method: "GET", path: "/health"}).expect(200, ""); h["name"] != "GoTrue" {
		t.Fatalf("%v", h)
	}
	if k := b.do(t, req{method: "GET", path: "/.well-known/jwks.json"}).expect(200, ""); len(k["keys"].([]any)) != 0 {
		t.Fatalf("%v", k)
	}
}

func TestRateLimits(t *testing.T) {
	t.Parallel()

	t.Run("TokenPerClient", func(t *testing.T) {
		t.Parallel()
		b := setup(t, func(o *auth.Options) { o.Rates.Token = ratelimit.Rate{N: 3, Per: time.Hour} })
		body := map[string]any{"email": "a@example.com", "password": "wrong"}
		for range 3 {
			b.do(t, req{method: "POST", path: "/token?grant_type=password", body: body, remote: "192.0.2.1:1000"}).expect(400, "invalid_credentials")
		}
		r := b.do(t, req{method: "POST", path: "/token?grant_type=password", body: body, remote: "192.0.2.1:1001"})
		r.expect(http.StatusTooManyRequests, "over_request_rate_limit")
		if s, err := strconv.Atoi(r.Header().Get("Retry-After")); err != nil || s < 1 || s > 1200 {
			t.Fatalf("Retry-After %q", r.Header().Get("Retry-After"))
		}
		b.do(t, req{method: "POST", path: "/token?grant_type=password", body: body, remote: "192.0.2.2:1000"}).expect(400, "invalid_credentials")
	})
	t.Run("PerAccountAcrossClients", func(t *testing.T) {
		t.Parallel()
		b := setup(t, func(o *auth.Options) { o.Rates.Account = ratelimit.Rate{N: 2, Per: time.Hour} })
		body := map[string]any{"email": "a@example.com", "password": "wrong"}
		b.do(t, req{method: "POST", path: "/token?grant_type=password", body: body, remote: "192.0.2.1:1"}).expect(400, "invalid_credentials")
		b.do(t, req{method: "POST", path: "/token?grant_type=password", body: body, remote: "192.0.2.2:1"}).expect(400, "invalid_credentials")
		b.do(t, req{method: "POST", path: "/token?grant_type=password", body: body, remote: "192.0.2.3:1"}).expect(429, "over_request_rate_limit")
		// Recover is limited per address too, the same whether or not it is registered.
		b.do(t, req{method: "POST", path: "/recover", body: map[string]any{"email": "a@example.com"}}).expect(429, "over_request_rate_limit")
	})
	t.Run("TrustedHeader", func(t *testing.T) {
		t.Parallel()
		b := setup(t, func(o *auth.Options) {
			o.Rates.OTP = ratelimit.Rate{N: 1, Per: time.Hour}
			o.RateLimitHeader = "X-Forwarded-For"
		})
		b.do(t, req{method: "POST", path: "/recover", body: map[string]any{"email": "a@example.com"}, header: map[string]string{"X-Forwarded-For": "203.0.113.1, 10.0.0.1"}}).expect(200, "")
		b.do(t, req{method: "POST", path: "/recover", body: map[string]any{"email": "b@example.com"}, header: map[string]string{"X-Forwarded-For": "203.0.113.1"}}).expect(429, "over_request_rate_limit")
		b.do(t, req{method: "POST", path: "/recover", body: map[string]any{"email": "c@example.com"}, header: map[string]string{"X-Forwarded-For": "203.0.113.2"}}).expect(200, "")
	})
	t.Run("MailBudget", func(t *testing.T) {
		t.Parallel()
		b := setup(t, func(o *auth.Options) { o.Rates.EmailSent = ratelimit.Rate{N: 1, Per: time.Hour} })
		b.do(t, req{method: "POST", path: "/otp", body: map[string]any{"email": "a@example.com"}}).expect(200, "")
		b.do(t, req{method: "POST", path: "/otp", body: map[string]any{"email": "b@example.com"}}).expect(429, "over_email_send_rate_limit")
	})
}
