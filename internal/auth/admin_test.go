package auth_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestAdminUsers(t *testing.T) {
	t.Parallel()

	t.Run("RequiresServiceRole", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		at := str(b.signUp(t, "a@example.com", "secret123"), "access_token")
		b.do(t, req{method: "GET", path: "/admin/users"}).expect(http.StatusForbidden, "not_admin")
		b.do(t, req{method: "GET", path: "/admin/users", bearer: at}).expect(http.StatusForbidden, "not_admin")
		b.do(t, req{method: "GET", path: "/admin/users", bearer: "-", header: map[string]string{"apikey": ""}}).expect(http.StatusUnauthorized, "no_authorization")
		b.do(t, req{method: "GET", path: "/admin/users", bearer: "not.a.jwt"}).expect(http.StatusForbidden, "bad_jwt")
		// The opaque secret key works as supabase-js sends it.
		b.do(t, req{method: "GET", path: "/admin/users", apikey: b.project.Secret}).expect(http.StatusOK, "")
	})
	t.Run("CreateListGetUpdateDelete", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		u := b.admin(t, "POST", "/admin/users", map[string]any{"email": "x@y.z", "password": "pw123456", "email_confirm": true,
			"user_metadata": map[string]any{"a": 1}, "app_metadata": map[string]any{"plan": "pro"}}).expect(200, "")
		id := str(u, "id")
		if u["email_confirmed_at"] == nil || str(u, "app_metadata", "plan") != "pro" || u["user_metadata"].(map[string]any)["a"] != float64(1) {
			t.Fatalf("%v", u)
		}
		b.signIn(t, "x@y.z", "pw123456")
		b.admin(t, "POST", "/admin/users", map[string]any{"email": "X@y.z", "password": "pw123456"}).expect(422, "email_exists")
		b.admin(t, "POST", "/admin/users", map[string]any{"email": "bad", "password": "pw123456"}).expect(400, "email_address_invalid")
		b.admin(t, "POST", "/admin/users", map[string]any{"email": "r@y.z", "role": "postgres"}).expect(400, "validation_failed")
		for i := range 3 {
			b.admin(t, "POST", "/admin/users", map[string]any{"email": string(rune('a'+i)) + "@y.z"}).expect(200, "")
		}
		r := b.admin(t, "GET", "/admin/users?page=1&per_page=2", nil)
		list := r.expect(200, "")
		if len(list["users"].([]any)) != 2 || list["aud"] != "authenticated" || r.Header().Get("X-Total-Count") != "4" {
			t.Fatalf("%v %v", list, r.Header())
		}
		if link := r.Header().Get("Link"); link != `</admin/users?page=2&per_page=2>; rel="next", </admin/users?page=2&per_page=2>; rel="last"` {
			t.Fatalf("Link %q", link)
		}
		r = b.admin(t, "GET", "/admin/users?page=&per_page=", nil)
		if len(r.expect(200, "")["users"].([]any)) != 4 {
			t.Fatal("empty params are not the defaults")
		}
		b.admin(t, "GET", "/admin/users?page=x", nil).expect(400, "validation_failed")
		b.admin(t, "GET", "/admin/users/"+id, nil).expect(200, "")
		b.admin(t, "GET", "/admin/users/not-a-uuid", nil).expect(404, "validation_failed")
		b.admin(t, "GET", "/admin/users/00000000-0000-4000-8000-000000000000", nil).expect(404, "user_not_found")

		up := b.admin(t, "PUT", "/admin/users/"+id, map[string]any{"user_metadata": map[string]any{"b": 2}, "ban_duration": "24h"}).expect(200, "")
		if up["banned_until"] == nil || up["user_metadata"].(map[string]any)["a"] != float64(1) || up["user_metadata"].(map[string]any)["b"] != float64(2) {
			t.Fatalf("%v", up)
		}
		b.do(t, req{method: "POST", path: "/token?grant_type=password", body: map[string]any{"email": "x@y.z", "password": "pw123456"}}).expect(400, "user_banned")
		b.admin(t, "PUT", "/admin/users/"+id, map[string]any{"ban_duration": "forever"}).expect(400, "validation_failed")
		b.admin(t, "PUT", "/admin/users/"+id, map[string]any{"ban_duration": "none", "password": "newpw1234"}).expect(200, "")
		s := b.signIn(t, "x@y.z", "newpw1234")

		b.do(t, req{method: "DELETE", path: "/admin/users/" + id, apikey: b.project.ServiceRole, body: map[string]any{"should_soft_delete": false}}).expect(200, "")
		b.admin(t, "GET", "/admin/users/"+id, nil).expect(404, "user_not_found")
		b.do(t, req{method: "GET", path: "/user", bearer: str(s, "access_token")}).expect(403, "user_not_found")
		b.refresh(t, str(s, "refresh_token")).expect(400, "refresh_token_not_found")
	})
	t.Run("SoftDelete", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		s := b.signUp(t, "a@example.com", "secret123")
		id := str(s, "user", "id")
		b.admin(t, "DELETE", "/admin/users/"+id, map[string]any{"should_soft_delete": true}).expect(200, "")
		b.admin(t, "GET", "/admin/users/"+id, nil).expect(404, "user_not_found")
		b.do(t, req{method: "POST", path: "/token?grant_type=password", body: map[string]any{"email": "a@example.com", "password": "secret123"}}).expect(400, "invalid_credentials")
		b.refresh(t, str(s, "refresh_token")).expect(400, "refresh_token_not_found")
		// The address is free again.
		b.signUp(t, "a@example.com", "secret123")
	})
	t.Run("InviteAndGenerateLink", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		u := b.admin(t, "POST", "/invite", map[string]any{"email": "i@example.com", "data": map[string]any{"team": "x"}}).expect(200, "")
		if u["invited_at"] == nil || u["email_confirmed_at"] != nil {
			t.Fatalf("%v", u)
		}
		m := b.lastMail(t, "i@example.com")
		if m.Template != "invite" || !strings.Contains(m.Data.ConfirmationURL, "type=invite") {
			t.Fatalf("%+v", m)
		}
		s := b.do(t, req{method: "POST", path: "/verify", body: map[string]any{"email": "i@example.com", "token": m.Data.Token, "type": "invite"}}).expect(200, "")
		if s["user"].(map[string]any)["email_confirmed_at"] == nil {
			t.Fatalf("%v", s)
		}
		b.admin(t, "POST", "/invite", map[string]any{"email": "i@example.com"}).expect(422, "email_exists")

		l := b.admin(t, "POST", "/admin/generate_link", map[string]any{"type": "magiclink", "email": "i@example.com"}).expect(200, "")
		if str(l, "email") != "i@example.com" || str(l, "verification_type") != "magiclink" || len(str(l, "email_otp")) != 6 || str(l, "hashed_token") == "" {
			t.Fatalf("%v", l)
		}
		link, err := url.Parse(str(l, "action_link"))
		if err != nil || link.Query().Get("token") != str(l, "hashed_token") {
			t.Fatalf("%v %v", l, err)
		}
		b.do(t, req{method: "POST", path: "/verify", body: map[string]any{"token_hash": str(l, "hashed_token"), "type": "magiclink"}}).expect(200, "")
		b.admin(t, "POST", "/admin/generate_link", map[string]any{"type": "recovery", "email": "nobody@example.com"}).expect(404, "user_not_found")
		b.admin(t, "POST", "/admin/generate_link", map[string]any{"type": "bogus", "email": "i@example.com"}).expect(400, "validation_failed")
		sl := b.admin(t, "POST", "/admin/generate_link", map[string]any{"type": "signup", "email": "new@example.com", "password": "secret123"}).expect(200, "")
		b.do(t, req{method: "POST", path: "/verify", body: map[string]any{"email": "new@example.com", "token": str(sl, "email_otp"), "type": "signup"}}).expect(200, "")
		b.signIn(t, "new@example.com", "secret123")
	})
}
