package auth_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"golang.org/x/crypto/bcrypt"

	"github.com/creatorbase/creatorbase/internal/auth"
	"github.com/creatorbase/creatorbase/internal/auth/password"
	"github.com/creatorbase/creatorbase/internal/dbtest"
	"github.com/creatorbase/creatorbase/internal/keys"
)

func TestPasswordGrant(t *testing.T) {
	t.Parallel()

	t.Run("IssuesGoTrueClaims", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.signUp(t, "a@example.com", "secret123")
		s := b.signIn(t, "A@example.com", "secret123")
		claims := jwt.MapClaims{}
		if _, err := jwt.ParseWithClaims(str(s, "access_token"), claims, func(*jwt.Token) (any, error) { return []byte(dbtest.JWTSecret), nil }); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"iss", "sub", "aud", "exp", "iat", "email", "phone", "app_metadata", "user_metadata", "role", "aal", "amr", "session_id", "is_anonymous"} {
			if _, ok := claims[k]; !ok {
				t.Errorf("claim %s missing", k)
			}
		}
		if claims["iss"] != "http://127.0.0.1:54321/auth/v1" || claims["role"] != "authenticated" || claims["aal"] != "aal1" ||
			claims["amr"].([]any)[0].(map[string]any)["method"] != "password" || claims["sub"] != str(s, "user", "id") {
			t.Fatalf("claims %v", claims)
		}
		if s["user"].(map[string]any)["last_sign_in_at"] == nil || s["weak_password"] != nil {
			t.Fatalf("session %v", s)
		}
	})
	// argon2id takes tens of milliseconds of CPU: signing in and changing
	// the password check it between transactions, leaving the pool
	// connection to other requests meanwhile.
	t.Run("PasswordCheckHoldsNoConnection", func(t *testing.T) {
		t.Parallel()
		slow := password.Params{Memory: 19456, Iterations: 16, Parallelism: 1, SaltLen: 16, KeyLen: 32}
		b := setup(t, func(o *auth.Options) { o.PasswordHash = slow })
		b.signUp(t, "a@example.com", "secret123")
		access := str(b.signIn(t, "a@example.com", "secret123"), "access_token")
		start := time.Now()
		if _, err := password.Hash(slow, "secret123"); err != nil {
			t.Fatal(err)
		}
		if took := time.Since(start); took < 200*time.Millisecond {
			t.Skipf("one hash took %s here: too fast to see a held connection", took)
		}
		pool := b.withPool(t, 1)
		for _, rq := range []req{
			{method: "POST", path: "/token?grant_type=password", body: map[string]any{"email": "a@example.com", "password": "secret123"}},
			{method: "PUT", path: "/user", body: map[string]any{"password": "another-secret"}, bearer: access},
		} {
			// While the request runs, the connection is never busy for
			// 100 ms at a stretch; a check inside a transaction would hold
			// it for 200 ms or more.
			done := make(chan response, 1)
			go func() { done <- b.do(t, rq) }()
			var res response
			for waiting := true; waiting; {
				select {
				case res = <-done:
					waiting = false
				default:
					ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
					c, err := pool.Acquire(ctx)
					cancel()
					if err != nil {
						t.Fatalf("%s %s: the only pool connection stayed busy while the password was checked: %v", rq.method, rq.path, err)
					}
					c.Release()
					time.Sleep(10 * time.Millisecond)
				}
			}
			res.expect(http.StatusOK, "")
		}
	})
	t.Run("WeakPasswordReported", func(t *testing.T) {
		t.Parallel()
		b := setup(t, func(o *auth.Options) { o.PasswordMinLength = 6 })
		b.signUp(t, "a@example.com", "secret123")
		b.exec(t, "update auth.users set encrypted_password = $1", mustHash(t, "abc"))
		s := b.signIn(t, "a@example.com", "abc")
		if s["weak_password"] == nil {
			t.Fatalf("no weak_password in %v", s)
		}
	})
	t.Run("Failures", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.signUp(t, "a@example.com", "secret123")
		for _, tt := range []struct {
			body   any
			status int
			code   string
		}{
			{map[string]any{"email": "a@example.com", "password": "wrong-password"}, 400, "invalid_credentials"},
			{map[string]any{"email": "nobody@example.com", "password": "secret123"}, 400, "invalid_credentials"},
			{map[string]any{"password": "secret123"}, 400, "validation_failed"},
			{map[string]any{"email": "a@example.com", "phone": "+1", "password": "x"}, 400, "validation_failed"},
			{`{"email":`, 400, "bad_json"},
		} {
			b.do(t, req{method: "POST", path: "/token?grant_type=password", body: tt.body}).expect(tt.status, tt.code)
		}
		m := b.do(t, req{method: "POST", path: "/token?grant_type=magic", body: map[string]any{}}).expect(400, "")
		if m["error"] != "unsupported_grant_type" {
			t.Fatalf("%v", m)
		}
	})
	t.Run("BannedAndDeletedCannotSignIn", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.signUp(t, "a@example.com", "secret123")
		b.exec(t, "update auth.users set banned_until = now() + interval '1 hour'")
		b.do(t, req{method: "POST", path: "/token?grant_type=password", body: map[string]any{"email": "a@example.com", "password": "secret123"}}).
			expect(400, "user_banned")
		b.exec(t, "update auth.users set banned_until = null, deleted_at = now()")
		b.do(t, req{method: "POST", path: "/token?grant_type=password", body: map[string]any{"email": "a@example.com", "password": "secret123"}}).
			expect(400, "invalid_credentials")
	})
	t.Run("BcryptImportSignsInAndIsRehashed", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.signUp(t, "a@example.com", "secret123")
		// A bcrypt hash, as GoTrue stores them.
		h, err := bcrypt.GenerateFromPassword([]byte("password"), bcrypt.MinCost)
		if err != nil {
			t.Fatal(err)
		}
		b.exec(t, "update auth.users set encrypted_password = $1", string(h))
		b.signIn(t, "a@example.com", "password")
		var stored string
		b.owner.QueryRow(context.Background(), "select encrypted_password from auth.users").Scan(&stored)
		if !strings.HasPrefix(stored, "$argon2id$") {
			t.Fatalf("not rehashed: %s", stored)
		}
		b.signIn(t, "a@example.com", "password")
	})
}

func mustHash(t *testing.T, plain string) string {
	t.Helper()
	h, err := passwordHash(plain)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestRefreshGrant(t *testing.T) {
	t.Parallel()

	t.Run("RotatesAndDetectsReuse", func(t *testing.T) {
		t.Parallel()
		now := time.Now()
		var mu sync.Mutex
		clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
		b := setup(t, func(o *auth.Options) { o.Now = clock })
		s0 := b.signUp(t, "a@example.com", "secret123")
		rt0 := str(s0, "refresh_token")
		r := b.refresh(t, rt0)
		s1 := r.expect(200, "")
		rt1 := str(s1, "refresh_token")
		if rt1 == rt0 || str(s1, "access_token") == "" || r.Header().Get("sb-auth-session-id") == "" {
			t.Fatalf("no rotation: %v", s1)
		}
		// rt0 is the parent of the active token: the client missed the answer.
		if again := str(b.refresh(t, rt0).expect(200, ""), "refresh_token"); again != rt1 {
			t.Fatalf("parent reuse gave %s, want the active %s", again, rt1)
		}
		s2 := b.refresh(t, rt1).expect(200, "")
		rt2 := str(s2, "refresh_token")
		// rt0 is now neither the active token's parent nor... but within 10 s of its revocation.
		rt3 := str(b.refresh(t, rt0).expect(200, ""), "refresh_token")
		if rt3 == "" || rt3 == rt2 {
			t.Fatalf("reuse inside the interval gave %q", rt3)
		}
		rt4 := str(b.refresh(t, rt3).expect(200, ""), "refresh_token")
		// Past the interval, and rt0 is no longer the active token's
		// parent: reuse revokes the whole session.
		mu.Lock()
		now = time.Now().Add(11 * time.Second)
		mu.Unlock()
		b.refresh(t, rt0).expect(400, "refresh_token_already_used")
		var live int
		b.owner.QueryRow(context.Background(), "select count(*) from auth.refresh_tokens where not revoked").Scan(&live)
		if live != 0 {
			t.Fatalf("%d tokens still live after reuse", live)
		}
		b.refresh(t, rt4).expect(400, "refresh_token_already_used")
	})
	t.Run("Errors", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.refresh(t, "no-such-token").expect(400, "refresh_token_not_found")
		m := b.do(t, req{method: "POST", path: "/token?grant_type=refresh_token", body: map[string]any{}}).expect(400, "")
		if m["error"] != "invalid_request" {
			t.Fatalf("%v", m)
		}
		s := b.signUp(t, "a@example.com", "secret123")
		b.exec(t, "update auth.users set banned_until = now() + interval '1 day'")
		b.refresh(t, str(s, "refresh_token")).expect(400, "user_banned")
		b.exec(t, "update auth.users set banned_until = null")
		b.exec(t, "update auth.sessions set not_after = now() - interval '1 second'")
		b.refresh(t, str(s, "refresh_token")).expect(400, "session_expired")
		b.exec(t, "delete from auth.users")
		b.refresh(t, str(s, "refresh_token")).expect(400, "refresh_token_not_found")
	})
	t.Run("ConcurrentRefreshAllSucceed", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		rt := str(b.signUp(t, "a@example.com", "secret123"), "refresh_token")
		const n = 8
		var wg sync.WaitGroup
		got := make([]string, n)
		codes := make([]int, n)
		for i := range n {
			wg.Go(func() {
				r := b.refresh(t, rt)
				codes[i] = r.Code
				if r.Code == 200 {
					got[i] = str(r.json(), "refresh_token")
				}
			})
		}
		wg.Wait()
		for i := range n {
			if codes[i] != 200 || got[i] == "" {
				t.Fatalf("refresh %d: %d", i, codes[i])
			}
			b.refresh(t, got[i]).expect(200, "")
		}
	})
	t.Run("RevokedFamilyStaysRevokedInsideTheInterval", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		rt0 := str(b.signUp(t, "a@example.com", "secret123"), "refresh_token")
		rt1 := str(b.refresh(t, rt0).expect(200, ""), "refresh_token")
		rt2 := str(b.refresh(t, rt1).expect(200, ""), "refresh_token")
		b.exec(t, "update auth.refresh_tokens set updated_at = updated_at - interval '1 minute' where token = $1", rt0)
		b.refresh(t, rt0).expect(400, "refresh_token_already_used")
		// rt1 was revoked seconds ago and rt2 is fresh, but the family is gone.
		b.refresh(t, rt1).expect(400, "refresh_token_already_used")
		b.refresh(t, rt2).expect(400, "refresh_token_already_used")
	})
	t.Run("ReuseIntervalZero", func(t *testing.T) {
		t.Parallel()
		b := setup(t, func(o *auth.Options) { o.ReuseInterval = 0 })
		rt0 := str(b.signUp(t, "a@example.com", "secret123"), "refresh_token")
		rt1 := str(b.refresh(t, rt0).expect(200, ""), "refresh_token")
		b.refresh(t, rt1).expect(200, "")
		b.refresh(t, rt0).expect(400, "refresh_token_already_used")
	})
}

func TestExpiredAccessToken(t *testing.T) {
	t.Parallel()
	b := setup(t)
	s := b.signUp(t, "a@example.com", "secret123")
	expired, err := keys.Sign([]byte(dbtest.JWTSecret), jwt.MapClaims{"sub": str(s, "user", "id"), "role": "authenticated",
		"exp": time.Now().Add(-time.Hour).Unix()})
	if err != nil {
		t.Fatal(err)
	}
	m := b.do(t, req{method: "GET", path: "/user", bearer: expired}).expect(http.StatusForbidden, "bad_jwt")
	if !strings.Contains(m["message"].(string), "expired") {
		t.Fatalf("%v", m)
	}
}
