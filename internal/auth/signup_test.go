package auth_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/creatorbase/creatorbase/internal/auth"
)

func TestSignup(t *testing.T) {
	t.Parallel()

	t.Run("AutoconfirmReturnsSession", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		s := b.signUp(t, "A@Example.com", "secret123")
		if str(s, "token_type") != "bearer" || s["expires_in"].(float64) != 3600 || str(s, "refresh_token") == "" || s["expires_at"] == nil {
			t.Fatalf("session %v", s)
		}
		u := s["user"].(map[string]any)
		if str(u, "email") != "a@example.com" || str(u, "role") != "authenticated" || str(u, "aud") != "authenticated" ||
			u["email_confirmed_at"] == nil || str(u, "user_metadata", "full_name") != "A" || u["user_metadata"].(map[string]any)["email_verified"] != true ||
			str(u, "app_metadata", "provider") != "email" || u["is_anonymous"] != false || u["phone"] != "" {
			t.Fatalf("user %v", u)
		}
		ids := u["identities"].([]any)
		if len(ids) != 1 || str(ids[0].(map[string]any), "provider") != "email" || str(ids[0].(map[string]any), "id") != str(u, "id") {
			t.Fatalf("identities %v", ids)
		}
		if strings.Contains(b.do(t, req{method: "GET", path: "/user", bearer: str(s, "access_token")}).Body.String(), "encrypted_password") {
			t.Fatal("password hash leaked")
		}
	})
	t.Run("ExistingUserAutoconfirm", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.signUp(t, "a@example.com", "secret123")
		b.do(t, req{method: "POST", path: "/signup", body: map[string]any{"email": "a@example.com", "password": "other123"}}).
			expect(http.StatusUnprocessableEntity, "user_already_exists")
	})
	bad := []struct {
		name   string
		body   any
		status int
		code   string
	}{
		{"MissingPassword", map[string]any{"email": "a@example.com"}, 400, "validation_failed"},
		{"WeakPassword", map[string]any{"email": "a@example.com", "password": "12345"}, 422, "weak_password"},
		{"InvalidEmail", map[string]any{"email": "not-an-email", "password": "secret123"}, 400, "email_address_invalid"},
		{"EmailAndPhone", map[string]any{"email": "a@example.com", "phone": "+123", "password": "secret123"}, 400, "validation_failed"},
		{"Phone", map[string]any{"phone": "+4912345", "password": "secret123"}, 422, "phone_provider_disabled"},
		{"Anonymous", map[string]any{"data": map[string]any{}}, 422, "anonymous_provider_disabled"},
		{"MalformedJSON", `{"email":`, 400, "bad_json"},
		{"EmptyBody", "", 400, "bad_json"},
		{"DataNotObject", `{"email":"a@example.com","password":"secret123","data":[1]}`, 400, "bad_json"},
		{"Oversized", `{"email":"a@example.com","password":"` + strings.Repeat("x", auth.MaxBodyBytes) + `"}`, 413, "request_entity_too_large"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			m := b.do(t, req{method: "POST", path: "/signup", body: tt.body}).expect(tt.status, tt.code)
			if tt.code == "weak_password" && m["weak_password"] == nil {
				t.Fatalf("no weak_password reasons: %v", m)
			}
			var n int
			b.owner.QueryRow(t.Context(), "select count(*) from auth.users").Scan(&n)
			if n != 0 {
				t.Fatalf("%d users written", n)
			}
		})
	}
	t.Run("SignupDisabled", func(t *testing.T) {
		t.Parallel()
		b := setup(t, func(o *auth.Options) { o.DisableSignup = true })
		b.do(t, req{method: "POST", path: "/signup", body: map[string]any{"email": "a@example.com", "password": "secret123"}}).
			expect(http.StatusUnprocessableEntity, "signup_disabled")
	})
	t.Run("Anonymous", func(t *testing.T) {
		t.Parallel()
		b := setup(t, func(o *auth.Options) { o.AnonymousSignIns = true })
		s := b.do(t, req{method: "POST", path: "/signup", body: map[string]any{"data": map[string]any{"x": 1}}}).expect(200, "")
		u := s["user"].(map[string]any)
		if u["is_anonymous"] != true || len(u["app_metadata"].(map[string]any)) != 0 {
			t.Fatalf("user %v", u)
		}
	})
	t.Run("TriggerFailureIs500", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.exec(t, `create function public.refuse() returns trigger language plpgsql security definer set search_path = '' as $$
			begin raise exception 'profile insert failed'; end $$`)
		b.exec(t, `create trigger zz_test_refuse after insert on auth.users for each row execute function public.refuse()`)
		m := b.do(t, req{method: "POST", path: "/signup", body: map[string]any{"email": "a@example.com", "password": "secret123"}}).
			expect(http.StatusInternalServerError, "unexpected_failure")
		if m["message"] != "Database error saving new user" {
			t.Fatalf("%v", m)
		}
	})
	t.Run("TriggerSeesMetadata", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.exec(t, `create table public.test_profiles (id uuid primary key references auth.users on delete cascade, full_name text)`)
		b.exec(t, `create function public.test_new_user() returns trigger language plpgsql security definer set search_path = '' as $$
			begin insert into public.test_profiles (id, full_name) values (new.id, new.raw_user_meta_data->>'full_name'); return new; end $$`)
		b.exec(t, `create trigger zz_test_profile after insert on auth.users for each row execute function public.test_new_user()`)
		s := b.signUp(t, "a@example.com", "secret123")
		var name string
		if err := b.owner.QueryRow(t.Context(), "select full_name from public.test_profiles where id = $1", str(s, "user", "id")).Scan(&name); err != nil || name != "A" {
			t.Fatalf("profile %q %v", name, err)
		}
	})
}

func TestSignupWithConfirmation(t *testing.T) {
	t.Parallel()
	noAuto := func(o *auth.Options) { o.MailerAutoconfirm = false }

	t.Run("MailThenVerifyThenSignIn", func(t *testing.T) {
		t.Parallel()
		b := setup(t, noAuto)
		u := b.do(t, req{method: "POST", path: "/signup?redirect_to=http://app.test/welcome", body: map[string]any{"email": "a@example.com", "password": "secret123"}}).expect(200, "")
		if u["access_token"] != nil || u["email_confirmed_at"] != nil || u["confirmation_sent_at"] == nil {
			t.Fatalf("want a bare unconfirmed user, got %v", u)
		}
		b.do(t, req{method: "POST", path: "/token?grant_type=password", body: map[string]any{"email": "a@example.com", "password": "secret123"}}).
			expect(400, "email_not_confirmed")
		m := b.lastMail(t, "a@example.com")
		if m.Template != "confirmation" || len(m.Data.Token) != 6 || !strings.Contains(m.Data.ConfirmationURL, "type=signup") ||
			!strings.Contains(m.Data.ConfirmationURL, "redirect_to=http%3A%2F%2Fapp.test%2Fwelcome") {
			t.Fatalf("mail %+v", m)
		}
		s := b.do(t, req{method: "POST", path: "/verify", body: map[string]any{"email": "a@example.com", "token": m.Data.Token, "type": "signup"}}).expect(200, "")
		if str(s, "access_token") == "" || s["user"].(map[string]any)["email_confirmed_at"] == nil {
			t.Fatalf("%v", s)
		}
		b.signIn(t, "a@example.com", "secret123")
		// The code is used up.
		b.do(t, req{method: "POST", path: "/verify", body: map[string]any{"email": "a@example.com", "token": m.Data.Token, "type": "signup"}}).expect(403, "otp_expired")
	})
	t.Run("RepeatedSignupIsObfuscated", func(t *testing.T) {
		t.Parallel()
		b := setup(t, noAuto)
		b.do(t, req{method: "POST", path: "/signup", body: map[string]any{"email": "a@example.com", "password": "secret123"}}).expect(200, "")
		b.exec(t, "update auth.users set email_confirmed_at = now()")
		real := b.admin(t, "GET", "/admin/users", nil).json()["users"].([]any)[0].(map[string]any)
		fake := b.do(t, req{method: "POST", path: "/signup", body: map[string]any{"email": "a@example.com", "password": "other123"}}).expect(200, "")
		if fake["id"] == real["id"] || len(fake["identities"].([]any)) != 0 || fake["access_token"] != nil {
			t.Fatalf("fake %v", fake)
		}
	})
}
