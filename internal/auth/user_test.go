package auth_test

import (
	"net/http"
	"testing"

	"github.com/creatorbase/creatorbase/internal/auth"
)

func TestGetUser(t *testing.T) {
	t.Parallel()
	b := setup(t)
	s := b.signUp(t, "a@example.com", "secret123")
	at := str(s, "access_token")

	u := b.do(t, req{method: "GET", path: "/user", bearer: at}).expect(200, "")
	if str(u, "id") != str(s, "user", "id") || str(u, "email") != "a@example.com" {
		t.Fatalf("%v", u)
	}
	b.do(t, req{method: "GET", path: "/user", bearer: "-", apikey: b.project.Anon}).expect(http.StatusUnauthorized, "no_authorization")
	b.do(t, req{method: "GET", path: "/user", bearer: "-", header: map[string]string{"apikey": ""}}).expect(http.StatusUnauthorized, "no_authorization")
	b.do(t, req{method: "GET", path: "/user", bearer: b.project.Publishable, apikey: b.project.Publishable}).expect(http.StatusUnauthorized, "no_authorization")
	b.do(t, req{method: "GET", path: "/user", bearer: at + "x"}).expect(http.StatusForbidden, "bad_jwt")
	b.do(t, req{method: "GET", path: "/user", bearer: b.project.Anon}).expect(http.StatusForbidden, "bad_jwt")
}

func TestUpdateUser(t *testing.T) {
	t.Parallel()

	t.Run("MetadataMergesAndNullDeletes", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		at := str(b.signUp(t, "a@example.com", "secret123"), "access_token")
		u := b.do(t, req{method: "PUT", path: "/user", bearer: at, body: map[string]any{"data": map[string]any{"x": 1, "full_name": nil}}}).expect(200, "")
		meta := u["user_metadata"].(map[string]any)
		if meta["x"] != float64(1) || meta["full_name"] != nil || meta["email"] != "a@example.com" {
			t.Fatalf("%v", meta)
		}
		// app_metadata is not the user's to write.
		u = b.do(t, req{method: "PUT", path: "/user", bearer: at, body: map[string]any{"app_metadata": map[string]any{"role": "admin"}}}).expect(200, "")
		if u["app_metadata"].(map[string]any)["role"] != nil {
			t.Fatalf("%v", u)
		}
	})
	t.Run("PasswordChangeEndsOtherSessions", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		s1 := b.signUp(t, "a@example.com", "secret123")
		s2 := b.signIn(t, "a@example.com", "secret123")
		b.do(t, req{method: "PUT", path: "/user", bearer: str(s1, "access_token"), body: map[string]any{"password": "secret123"}}).
			expect(422, "same_password")
		b.do(t, req{method: "PUT", path: "/user", bearer: str(s1, "access_token"), body: map[string]any{"password": "123"}}).
			expect(422, "weak_password")
		b.do(t, req{method: "PUT", path: "/user", bearer: str(s1, "access_token"), body: map[string]any{"password": "newsecret1"}}).expect(200, "")
		b.signIn(t, "a@example.com", "newsecret1")
		b.do(t, req{method: "GET", path: "/user", bearer: str(s2, "access_token")}).expect(403, "session_not_found")
		b.do(t, req{method: "GET", path: "/user", bearer: str(s1, "access_token")}).expect(200, "")
	})
	t.Run("EmailChangeAutoconfirm", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		at := str(b.signUp(t, "a@example.com", "secret123"), "access_token")
		b.signUp(t, "b@example.com", "secret123")
		b.do(t, req{method: "PUT", path: "/user", bearer: at, body: map[string]any{"email": "B@example.com"}}).expect(422, "email_exists")
		b.do(t, req{method: "PUT", path: "/user", bearer: at, body: map[string]any{"email": "nope"}}).expect(400, "email_address_invalid")
		u := b.do(t, req{method: "PUT", path: "/user", bearer: at, body: map[string]any{"email": "c@example.com"}}).expect(200, "")
		if str(u, "email") != "c@example.com" {
			t.Fatalf("%v", u)
		}
		b.signIn(t, "c@example.com", "secret123")
	})
	t.Run("EmailChangeConfirmedByMail", func(t *testing.T) {
		t.Parallel()
		b := setup(t, func(o *auth.Options) { o.MailerAutoconfirm = false })
		b.admin(t, "POST", "/admin/users", map[string]any{"email": "a@example.com", "password": "secret123", "email_confirm": true}).expect(200, "")
		at := str(b.signIn(t, "a@example.com", "secret123"), "access_token")
		u := b.do(t, req{method: "PUT", path: "/user", bearer: at, body: map[string]any{"email": "c@example.com"}}).expect(200, "")
		if str(u, "email") != "a@example.com" || str(u, "new_email") != "c@example.com" {
			t.Fatalf("%v", u)
		}
		m := b.lastMail(t, "c@example.com")
		if m.Template != "email_change" {
			t.Fatalf("%+v", m)
		}
		b.do(t, req{method: "POST", path: "/verify", body: map[string]any{"email": "c@example.com", "token": m.Data.Token, "type": "email_change"}}).expect(200, "")
		b.signIn(t, "c@example.com", "secret123")
	})
	t.Run("NeedsUser", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.do(t, req{method: "PUT", path: "/user", bearer: "-", header: map[string]string{"apikey": ""}, body: map[string]any{}}).expect(401, "no_authorization")
	})
}

func TestLogout(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		scope             string
		self, other, code int
	}{
		{"", 403, 403, 204}, {"global", 403, 403, 204}, {"local", 403, 200, 204}, {"others", 200, 403, 204},
	} {
		t.Run("Scope"+tt.scope, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			self := b.signUp(t, "a@example.com", "secret123")
			other := b.signIn(t, "a@example.com", "secret123")
			path := "/logout"
			if tt.scope != "" {
				path += "?scope=" + tt.scope
			}
			b.do(t, req{method: "POST", path: path, bearer: str(self, "access_token")}).expect(tt.code, "")
			for at, want := range map[string]int{str(self, "access_token"): tt.self, str(other, "access_token"): tt.other} {
				if r := b.do(t, req{method: "GET", path: "/user", bearer: at}); r.Code != want {
					t.Fatalf("GET /user %d, want %d: %s", r.Code, want, r.Body)
				}
			}
			// Refresh tokens of ended sessions are gone.
			wantRefresh := 200
			if tt.self == 403 {
				wantRefresh = 400
			}
			if r := b.refresh(t, str(self, "refresh_token")); r.Code != wantRefresh {
				t.Fatalf("refresh %d, want %d", r.Code, wantRefresh)
			}
		})
	}
	t.Run("BadScope", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		at := str(b.signUp(t, "a@example.com", "secret123"), "access_token")
		b.do(t, req{method: "POST", path: "/logout?scope=everything", bearer: at}).expect(400, "validation_failed")
	})
}
