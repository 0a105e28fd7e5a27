package streamvibe_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/creatorbase/creatorbase/internal/database"
	"github.com/creatorbase/creatorbase/internal/rest"
)

const apiSecret = "streamvibe-api-test-secret-0123456789"

// apiAuth validates HS256 tokens as the gateway does; no token is anon.
func apiAuth(r *http.Request) (string, []byte, error) {
	raw, found := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !found || raw == "" {
		return "anon", []byte(`{"role":"anon"}`), nil
	}
	claims := jwt.MapClaims{}
	if _, err := jwt.ParseWithClaims(raw, claims, func(*jwt.Token) (any, error) { return []byte(apiSecret), nil },
		jwt.WithValidMethods([]string{"HS256"})); err != nil {
		return "", nil, errors.Join(rest.ErrJWTInvalid, err)
	}
	role, _ := claims["role"].(string)
	out, _ := json.Marshal(claims)
	return role, out, nil
}

func apiToken(t *testing.T, role, sub string) string {
	t.Helper()
	claims := jwt.MapClaims{"role": role, "exp": time.Now().Add(time.Hour).Unix()}
	if sub != "" {
		claims["sub"] = sub
	}
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString([]byte(apiSecret))
	if err != nil {
		t.Fatalf("token: %v", err)
	}
	return s
}

// api is the Data API over the test database, called as supabase-js does
// with db: { schema: 'streamvibe' }.
type api struct {
	h *rest.Handler
}

func (b *testBundle) api(t *testing.T) *api {
	t.Helper()
	ctx := context.Background()
	pool := b.DB.Authenticator(t)
	runner, err := database.NewRunner(ctx, pool)
	if err != nil {
		t.Fatalf("runner: %v", err)
	}
	h, err := rest.New(ctx, rest.Options{Runner: runner, Pool: pool, Schemas: []string{"streamvibe"},
		Authenticate: apiAuth, MaxRows: 1000, NoListen: true, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatalf("rest: %v", err)
	}
	t.Cleanup(func() { _ = h.Close() })
	return &api{h: h}
}

func (a *api) do(t *testing.T, token, method, url, body string) (int, string) {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, url, r)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if method == http.MethodGet || method == http.MethodHead {
		req.Header.Set("Accept-Profile", "streamvibe")
	} else {
		req.Header.Set("Content-Profile", "streamvibe")
		req.Header.Set("Content-Type", "application/json")
	}
	rec := httptest.NewRecorder()
	a.h.ServeHTTP(rec, req)
	return rec.Code, rec.Body.String()
}

// TestDataAPI follows a creator through the Data API: content arrives (the
// service role), she finds it with full-text search, applies an AI
// suggestion, reverts it, publishes her profile, and spends her free quota.
func TestDataAPI(t *testing.T) {
	t.Parallel()
	b := setup(t)
	a := b.api(t)
	c := b.connect(t, b.alice, "youtube")
	s := b.suggest(t, c.item)
	alice, bob := apiToken(t, "authenticated", b.alice), apiToken(t, "authenticated", b.bob)

	want := func(code int, body string, status int, contains ...string) {
		t.Helper()
		if code != status {
			t.Fatalf("status %d, want %d; body %s", code, status, body)
		}
		for _, c := range contains {
			if !strings.Contains(body, c) {
				t.Fatalf("body %s does not contain %s", body, c)
			}
		}
	}

	code, body := a.do(t, alice, "GET", "/content_item?select=id,title,platform_id&search_vector=fts(english).cook", "")
	want(code, body, 200, c.item, "Cooking pasta at home")
	code, body = a.do(t, alice, "GET", "/content_item?select=id&search_vector=fts(english).guitar", "")
	want(code, body, 200, "[]")
	code, body = a.do(t, bob, "GET", "/content_item?select=id", "")
	want(code, body, 200, "[]")

	code, body = a.do(t, alice, "POST", "/rpc/apply_ai_suggestion", `{"suggestion_id":"`+s+`","fields":["title"]}`)
	want(code, body, 200, "Weeknight pasta in 15 minutes")
	code, body = a.do(t, alice, "GET", "/content_revision?select=id,field_name,change_source&content_item_id=eq."+c.item, "")
	want(code, body, 200, `"change_source":"ai_suggestion"`)
	var revs []struct{ ID string }
	if err := json.Unmarshal([]byte(body), &revs); err != nil || len(revs) != 1 {
		t.Fatalf("revisions %s: %v", body, err)
	}
	code, body = a.do(t, bob, "POST", "/rpc/revert_content_revision", `{"revision_id":"`+revs[0].ID+`"}`)
	want(code, body, 404, "PT404")
	code, body = a.do(t, alice, "POST", "/rpc/revert_content_revision", `{"revision_id":"`+revs[0].ID+`"}`)
	want(code, body, 200, "Cooking pasta at home")

	// Bob's edit of alice's item touches nothing.
	code, body = a.do(t, bob, "PATCH", "/content_item?id=eq."+c.item, `{"title":"Hijacked"}`)
	if code >= 300 {
		t.Fatalf("bob's patch: %d %s", code, body)
	}
	if got := b.OwnerString(t, `select title from streamvibe.content_item where id = $1`, c.item); got != "Cooking pasta at home" {
		t.Fatalf("title %q after bob's patch", got)
	}

	// Public content needs a public profile.
	code, body = a.do(t, "", "GET", "/content_item?select=id", "")
	want(code, body, 200, "[]")
	code, body = a.do(t, alice, "PATCH", "/user_setting?user_id=eq."+b.alice, `{"is_profile_public":true}`)
	if code >= 300 {
		t.Fatalf("publish profile: %d %s", code, body)
	}
	code, body = a.do(t, "", "GET", "/content_item?select=id", "")
	want(code, body, 200, c.item)

	// Counters are not the user's to write; the free tier's 10 analyses run out.
	code, body = a.do(t, alice, "PATCH", "/subscription?user_id=eq."+b.alice, `{"ai_analyses_used":0}`)
	want(code, body, 403, "42501")
	code, body = a.do(t, alice, "POST", "/rpc/consume_quota", `{"quota_type":"ai_analysis","amount":10}`)
	want(code, body, 200, "10")
	code, body = a.do(t, alice, "POST", "/rpc/consume_quota", `{"quota_type":"ai_analysis"}`)
	want(code, body, 402, "PT402", "ai_analysis quota exhausted: 10 of 10")
	code, body = a.do(t, alice, "POST", "/rpc/consume_quota", `{"quota_type":"uploads"}`)
	want(code, body, 400, "22023", "quota_type")
}
