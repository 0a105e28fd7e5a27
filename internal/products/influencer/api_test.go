package influencer_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/creatorbase/creatorbase/internal/database"
	"github.com/creatorbase/creatorbase/internal/rest"
)

// TestDataAPI drives the schema through the Data API as supabase-js does
// (Accept-Profile / Content-Profile: influencer).
func TestDataAPI(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	pool := b.DB.Authenticator(t)
	runner, err := database.NewRunner(ctx, pool)
	if err != nil {
		t.Fatalf("runner: %v", err)
	}
	// The test authenticates by a header naming the user; JWTs are rest's own tests' business.
	auth := func(r *http.Request) (string, []byte, error) {
		if u := r.Header.Get("X-Test-User"); u != "" {
			return "authenticated", []byte(`{"role":"authenticated","sub":"` + u + `"}`), nil
		}
		return "anon", nil, nil
	}
	h, err := rest.New(ctx, rest.Options{Runner: runner, Pool: pool, Schemas: []string{"influencer"}, Authenticate: auth,
		Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatalf("rest: %v", err)
	}
	t.Cleanup(func() { _ = h.Close() })

	do := func(as, method, url, body string) *httptest.ResponseRecorder {
		t.Helper()
		var rd *strings.Reader
		if body != "" {
			rd = strings.NewReader(body)
		} else {
			rd = strings.NewReader("")
		}
		req := httptest.NewRequest(method, url, rd)
		req.Header.Set("Accept-Profile", "influencer")
		req.Header.Set("Content-Profile", "influencer")
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Prefer", "return=representation")
		if as != "" {
			req.Header.Set("X-Test-User", as)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}

	// Onboarding completes; the trial starts.
	rec := do(b.alice, http.MethodPatch, "/user_profiles?user_id=eq."+b.alice, `{"onboarding_step":"completed","intended_plan":"glow_up"}`)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"trial_status":"active"`) {
		t.Fatalf("onboarding: %d %s", rec.Code, rec.Body)
	}
	rec = do(b.alice, http.MethodPost, "/campaigns", `{"user_id":"`+b.alice+`","name":"Summer drop","search_type":"keyword"}`)
	if rec.Code != http.StatusCreated {
		t.Fatalf("campaign: %d %s", rec.Code, rec.Body)
	}
	rec = do(b.alice, http.MethodPost, "/scraping_jobs", `{"user_id":"`+b.alice+`","platform":"TikTok","keywords":["iced coffee"],"target_results":100}`)
	if rec.Code != http.StatusCreated || !strings.Contains(rec.Body.String(), `"status":"pending"`) {
		t.Fatalf("job: %d %s", rec.Code, rec.Body)
	}
	// Limits and bad input answer with clear errors.
	rec = do(b.alice, http.MethodPost, "/scraping_jobs", `{"user_id":"`+b.alice+`","platform":"TikTok","keywords":["x"],"target_results":5000}`)
	if rec.Code != http.StatusPaymentRequired || !strings.Contains(rec.Body.String(), "creators limit") {
		t.Fatalf("over the plan: %d %s", rec.Code, rec.Body)
	}
	rec = do(b.alice, http.MethodPost, "/scraping_jobs", `{"user_id":"`+b.alice+`","platform":"Vine","keywords":["x"],"target_results":5}`)
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "unknown platform") {
		t.Fatalf("unknown platform: %d %s", rec.Code, rec.Body)
	}
	// Progress fields are not the user's to write.
	rec = do(b.alice, http.MethodPatch, "/scraping_jobs?user_id=eq."+b.alice, `{"progress":100}`)
	if rec.Code < 400 {
		t.Fatalf("user wrote progress: %d %s", rec.Code, rec.Body)
	}
	// Bob sees nothing of alice's; anon sees the plans only.
	if rec = do(b.bob, http.MethodGet, "/campaigns?select=id", ""); rec.Body.String() != "[]" {
		t.Fatalf("bob campaigns: %d %s", rec.Code, rec.Body)
	}
	if rec = do("", http.MethodGet, "/subscription_plans?select=plan_key&order=sort_order", ""); rec.Code != http.StatusOK ||
		strings.Join(strings.Fields(rec.Body.String()), "") != `[{"plan_key":"free"},{"plan_key":"glow_up"},{"plan_key":"viral_surge"},{"plan_key":"fame_flex"}]` {
		t.Fatalf("plans: %d %s", rec.Code, rec.Body)
	}
	if rec = do("", http.MethodGet, "/campaigns", ""); rec.Code < 400 {
		t.Fatalf("anon campaigns: %d %s", rec.Code, rec.Body)
	}
}
