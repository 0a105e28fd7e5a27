package auth_test

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/creatorbase/creatorbase/internal/auth"
)

func TestRecover(t *testing.T) {
	t.Parallel()

	t.Run("SameAnswerForUnknownAddress", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.signUp(t, "a@example.com", "secret123")
		known := b.do(t, req{method: "POST", path: "/recover", body: map[string]any{"email": "a@example.com"}})
		unknown := b.do(t, req{method: "POST", path: "/recover", body: map[string]any{"email": "x@example.com"}})
		if known.Code != 200 || known.Body.String() != unknown.Body.String() || known.Code != unknown.Code {
			t.Fatalf("known %d %s, unknown %d %s", known.Code, known.Body, unknown.Code, unknown.Body)
		}
		if b.mailCount(t, "x@example.com") != 0 || b.mailCount(t, "a@example.com") != 1 {
			t.Fatal("wrong mails")
		}
		// A second request within the minimum interval sends nothing, and says the same.
		again := b.do(t, req{method: "POST", path: "/recover", body: map[string]any{"email": "a@example.com"}})
		if again.Body.String() != known.Body.String() || b.mailCount(t, "a@example.com") != 1 {
			t.Fatalf("second recover: %s, %d mails", again.Body, b.mailCount(t, "a@example.com"))
		}
	})
	t.Run("CodeSignsIn", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.signUp(t, "a@example.com", "secret123")
		b.do(t, req{method: "POST", path: "/recover?redirect_to=http://app.test/reset", body: map[string]any{"email": "a@example.com"}}).expect(200, "")
		m := b.lastMail(t, "a@example.com")
		if m.Template != "recovery" || m.Data.RedirectTo != "http://app.test/reset" {
			t.Fatalf("%+v", m)
		}
		b.do(t, req{method: "POST", path: "/verify", body: map[string]any{"email": "a@example.com", "token": "000000", "type": "recovery"}}).expect(403, "otp_expired")
		s := b.do(t, req{method: "POST", path: "/verify", body: map[string]any{"email": "a@example.com", "token": m.Data.Token, "type": "recovery"}}).expect(200, "")
		b.do(t, req{method: "PUT", path: "/user", bearer: str(s, "access_token"), body: map[string]any{"password": "brandnew1"}}).expect(200, "")
		b.signIn(t, "a@example.com", "brandnew1")
	})
	t.Run("LinkRedirectsWithSession", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.signUp(t, "a@example.com", "secret123")
		b.do(t, req{method: "POST", path: "/recover?redirect_to=myapp://reset", body: map[string]any{"email": "a@example.com"}}).expect(200, "")
		m := b.lastMail(t, "a@example.com")
		link, err := url.Parse(m.Data.ConfirmationURL)
		if err != nil {
			t.Fatal(err)
		}
		r := b.do(t, req{method: "GET", path: "/verify?" + link.RawQuery, bearer: "-", header: map[string]string{"apikey": ""}})
		loc := r.Header().Get("Location")
		if r.Code != http.StatusSeeOther || !strings.HasPrefix(loc, "myapp://reset#access_token=") || !strings.Contains(loc, "type=recovery") ||
			!strings.Contains(loc, "refresh_token=") || !strings.Contains(loc, "expires_in=3600") {
			t.Fatalf("%d %s", r.Code, loc)
		}
		// Used: the second click lands with the error in the fragment.
		r = b.do(t, req{method: "GET", path: "/verify?" + link.RawQuery})
		if loc := r.Header().Get("Location"); r.Code != http.StatusSeeOther || !strings.Contains(loc, "#error=access_denied") ||
			!strings.Contains(loc, "error_code=otp_expired") {
			t.Fatalf("%d %s", r.Code, loc)
		}
	})
	t.Run("TokenHash", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.signUp(t, "a@example.com", "secret123")
		b.do(t, req{method: "POST", path: "/recover", body: map[string]any{"email": "a@example.com"}}).expect(200, "")
		m := b.lastMail(t, "a@example.com")
		b.do(t, req{method: "POST", path: "/verify", body: map[string]any{"token_hash": m.Data.TokenHash, "type": "recovery"}}).expect(200, "")
	})
	t.Run("Expired", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.signUp(t, "a@example.com", "secret123")
		b.do(t, req{method: "POST", path: "/recover", body: map[string]any{"email": "a@example.com"}}).expect(200, "")
		b.exec(t, "update auth.users set recovery_sent_at = now() - interval '2 hours'")
		m := b.lastMail(t, "a@example.com")
		b.do(t, req{method: "POST", path: "/verify", body: map[string]any{"email": "a@example.com", "token": m.Data.Token, "type": "recovery"}}).expect(403, "otp_expired")
	})
	t.Run("BadInput", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.do(t, req{method: "POST", path: "/recover", body: map[string]any{}}).expect(400, "validation_failed")
		b.do(t, req{method: "POST", path: "/recover", body: map[string]any{"email": "nope"}}).expect(400, "email_address_invalid")
		b.do(t, req{method: "POST", path: "/verify", body: map[string]any{"type": "recovery"}}).expect(400, "validation_failed")
		b.do(t, req{method: "POST", path: "/verify", body: map[string]any{"type": "bogus", "token_hash": "x"}}).expect(400, "validation_failed")
		b.do(t, req{method: "POST", path: "/verify", body: map[string]any{"type": "recovery", "token_hash": "nonsense"}}).expect(403, "otp_expired")
	})
}

func TestOTP(t *testing.T) {
	t.Parallel()

	t.Run("NewAddressGetsConfirmation", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.do(t, req{method: "POST", path: "/otp", body: map[string]any{"email": "n@example.com", "create_user": true, "data": map[string]any{"full_name": "N"}}}).expect(200, "")
		m := b.lastMail(t, "n@example.com")
		if m.Template != "confirmation" {
			t.Fatalf("%+v", m)
		}
		s := b.do(t, req{method: "POST", path: "/verify", body: map[string]any{"email": "n@example.com", "token": m.Data.Token, "type": "email"}}).expect(200, "")
		if str(s, "user", "user_metadata", "full_name") != "N" || s["user"].(map[string]any)["email_confirmed_at"] == nil {
			t.Fatalf("%v", s)
		}
	})
	t.Run("KnownAddressGetsMagicLink", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.signUp(t, "a@example.com", "secret123")
		b.do(t, req{method: "POST", path: "/otp", body: map[string]any{"email": "a@example.com"}}).expect(200, "")
		m := b.lastMail(t, "a@example.com")
		if m.Template != "magic_link" {
			t.Fatalf("%+v", m)
		}
		b.do(t, req{method: "POST", path: "/verify", body: map[string]any{"email": "a@example.com", "token": m.Data.Token, "type": "magiclink"}}).expect(200, "")
	})
	t.Run("NoCreateAnswersTheSame", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		r := b.do(t, req{method: "POST", path: "/otp", body: map[string]any{"email": "n@example.com", "create_user": false}})
		if r.Code != 200 || r.Body.String() != "{}" || b.mailCount(t, "n@example.com") != 0 {
			t.Fatalf("%d %s", r.Code, r.Body)
		}
	})
	t.Run("Resend", func(t *testing.T) {
		t.Parallel()
		b := setup(t, func(o *auth.Options) { o.MailerAutoconfirm = false; o.MailerMaxFrequency = 0 })
		b.do(t, req{method: "POST", path: "/signup", body: map[string]any{"email": "a@example.com", "password": "secret123"}}).expect(200, "")
		b.do(t, req{method: "POST", path: "/resend", body: map[string]any{"type": "signup", "email": "a@example.com"}}).expect(200, "")
		if n := b.mailCount(t, "a@example.com"); n != 2 {
			t.Fatalf("%d mails", n)
		}
		b.do(t, req{method: "POST", path: "/resend", body: map[string]any{"type": "nope", "email": "a@example.com"}}).expect(400, "validation_failed")
		b.do(t, req{method: "POST", path: "/resend", body: map[string]any{"type": "signup"}}).expect(400, "validation_failed")
	})
}

func TestPKCE(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.signUp(t, "a@example.com", "secret123")
	verifier := strings.Repeat("v", 50)
	sum := sha256.Sum256([]byte(verifier))
	challenge := base64.RawURLEncoding.EncodeToString(sum[:])
	b.do(t, req{method: "POST", path: "/recover?redirect_to=http://app.test/cb", body: map[string]any{"email": "a@example.com",
		"code_challenge": challenge, "code_challenge_method": "s256"}}).expect(200, "")
	m := b.lastMail(t, "a@example.com")
	if !strings.HasPrefix(m.Data.TokenHash, "pkce_") {
		t.Fatalf("%+v", m)
	}
	link, _ := url.Parse(m.Data.ConfirmationURL)
	r := b.do(t, req{method: "GET", path: "/verify?" + link.RawQuery})
	loc, err := url.Parse(r.Header().Get("Location"))
	if r.Code != http.StatusSeeOther || err != nil || loc.Query().Get("code") == "" {
		t.Fatalf("%d %s", r.Code, r.Header().Get("Location"))
	}
	code := loc.Query().Get("code")
	b.do(t, req{method: "POST", path: "/token?grant_type=pkce", body: map[string]any{"auth_code": code, "code_verifier": "wrong" + verifier}}).
		expect(403, "bad_code_verifier")
	s := b.do(t, req{method: "POST", path: "/token?grant_type=pkce", body: map[string]any{"auth_code": code, "code_verifier": verifier}}).expect(200, "")
	if str(s, "access_token") == "" {
		t.Fatalf("%v", s)
	}
	// One exchange per code.
	b.do(t, req{method: "POST", path: "/token?grant_type=pkce", body: map[string]any{"auth_code": code, "code_verifier": verifier}}).
		expect(404, "flow_state_not_found")
	b.do(t, req{method: "POST", path: "/token?grant_type=pkce", body: map[string]any{"auth_code": code}}).expect(400, "validation_failed")
}
