package server_test

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

	"github.com/creatorbase/creatorbase/internal/server"
)

type testBundle struct {
	srv  *server.Server
	logs *strings.Builder
	h    http.Handler
}

func setup(t *testing.T) *testBundle {
	t.Helper()
	logs := &strings.Builder{}
	srv := server.New(server.Options{
		Logger:       slog.New(slog.NewJSONHandler(logs, nil)),
		Version:      "test",
		MaxBodyBytes: 1024,
	})
	srv.Handle("POST /echo", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				w.WriteHeader(http.StatusRequestEntityTooLarge)
				return
			}
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		_, _ = w.Write(b)
	}))
	srv.Handle("GET /panic", http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("kaboom") }))
	return &testBundle{srv: srv, logs: logs, h: srv.Handler()}
}

func (b *testBundle) do(req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	b.h.ServeHTTP(rec, req)
	return rec
}

func TestHealth(t *testing.T) {
	t.Parallel()

	t.Run("ServiceUnavailableBeforeReady", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		rec := b.do(httptest.NewRequest("GET", "/health", nil))
		if rec.Code != http.StatusServiceUnavailable {
			t.Fatalf("status %d, want 503", rec.Code)
		}
	})
	t.Run("OKWhenReadyAndDatabaseAnswers", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.srv.MarkReady(func(context.Context) error { return nil })
		rec := b.do(httptest.NewRequest("GET", "/health", nil))
		var body map[string]string
		_ = json.Unmarshal(rec.Body.Bytes(), &body)
		if rec.Code != http.StatusOK || body["status"] != "ok" || body["version"] != "test" {
			t.Fatalf("status %d body %s", rec.Code, rec.Body)
		}
	})
	t.Run("UnavailableWhenDatabaseFails", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.srv.MarkReady(func(context.Context) error { return errors.New("connection refused") })
		rec := b.do(httptest.NewRequest("GET", "/health", nil))
		if rec.Code != http.StatusServiceUnavailable || strings.Contains(rec.Body.String(), "refused") {
			t.Fatalf("status %d body %s: want 503 without internal detail", rec.Code, rec.Body)
		}
	})
	t.Run("NotReadyAgainAfterMarkNotReady", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.srv.MarkReady(func(context.Context) error { return nil })
		b.srv.MarkNotReady()
		if rec := b.do(httptest.NewRequest("GET", "/health", nil)); rec.Code != http.StatusServiceUnavailable {
			t.Fatalf("status %d, want 503", rec.Code)
		}
	})
}

func TestMiddleware(t *testing.T) {
	t.Parallel()

	t.Run("PanicBecomesLogged500", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		rec := b.do(httptest.NewRequest("GET", "/panic", nil))
		if rec.Code != http.StatusInternalServerError || strings.Contains(rec.Body.String(), "kaboom") {
			t.Fatalf("status %d body %s", rec.Code, rec.Body)
		}
		if !strings.Contains(b.logs.String(), "kaboom") {
			t.Fatal("panic not logged")
		}
	})
	t.Run("RequestIDGeneratedOrKept", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		rec := b.do(httptest.NewRequest("GET", "/health", nil))
		if len(rec.Header().Get("X-Request-Id")) != 32 {
			t.Fatalf("generated id %q", rec.Header().Get("X-Request-Id"))
		}
		req := httptest.NewRequest("GET", "/health", nil)
		req.Header.Set("X-Request-Id", "abc-123")
		if got := b.do(req).Header().Get("X-Request-Id"); got != "abc-123" {
			t.Fatalf("kept id %q", got)
		}
		req.Header.Set("X-Request-Id", "bad id\nwith newline")
		if got := b.do(req).Header().Get("X-Request-Id"); got == "bad id\nwith newline" {
			t.Fatal("unsafe id echoed")
		}
	})
	t.Run("AccessLogOmitsQueryAndTokens", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		req := httptest.NewRequest("GET", "/health?apikey=secret-key-value", nil)
		req.Header.Set("Authorization", "Bearer secret-token-value")
		b.do(req)
		logs := b.logs.String()
		if strings.Contains(logs, "secret-key-value") || strings.Contains(logs, "secret-token-value") {
			t.Fatalf("secrets in the access log: %s", logs)
		}
		if !strings.Contains(logs, `"route":"GET /health"`) || !strings.Contains(logs, `"status":503`) {
			t.Fatalf("access log lacks route or status: %s", logs)
		}
	})
	t.Run("CORSPreflight", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		req := httptest.NewRequest("OPTIONS", "/rest/v1/todos", nil)
		req.Header.Set("Origin", "http://localhost:3000")
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", "apikey, authorization, x-client-info, prefer")
		rec := b.do(req)
		h := rec.Header()
		if rec.Code != http.StatusOK ||
			h.Get("Access-Control-Allow-Origin") != "http://localhost:3000" ||
			h.Get("Access-Control-Allow-Headers") != "apikey, authorization, x-client-info, prefer" ||
			!strings.Contains(h.Get("Access-Control-Allow-Methods"), "PATCH") ||
			h.Get("Access-Control-Max-Age") != "86400" {
			t.Fatalf("preflight: %d %v", rec.Code, h)
		}
	})
	t.Run("CORSExposesHeadersClientsRead", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		req := httptest.NewRequest("GET", "/health", nil)
		req.Header.Set("Origin", "http://localhost:3000")
		exposed := b.do(req).Header().Get("Access-Control-Expose-Headers")
		for _, h := range []string{"Content-Range", "Location", "X-Total-Count", "Link", "X-Supabase-Api-Version"} {
			if !strings.Contains(exposed, h) {
				t.Errorf("%s not exposed: %s", h, exposed)
			}
		}
	})
	t.Run("BodyLimit", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		if rec := b.do(httptest.NewRequest("POST", "/echo", strings.NewReader("small"))); rec.Code != http.StatusOK || rec.Body.String() != "small" {
			t.Fatalf("small body: %d %s", rec.Code, rec.Body)
		}
		if rec := b.do(httptest.NewRequest("POST", "/echo", strings.NewReader(strings.Repeat("x", 2048)))); rec.Code != http.StatusRequestEntityTooLarge {
			t.Fatalf("declared large body: %d", rec.Code)
		}
		req := httptest.NewRequest("POST", "/echo", io.MultiReader(strings.NewReader(strings.Repeat("x", 2048))))
		req.ContentLength = -1
		if rec := b.do(req); rec.Code != http.StatusRequestEntityTooLarge {
			t.Fatalf("streamed large body: %d", rec.Code)
		}
	})
	t.Run("MetricsCountRequests", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.do(httptest.NewRequest("GET", "/health", nil))
		rec := b.do(httptest.NewRequest("GET", "/metrics", nil))
		if !strings.Contains(rec.Body.String(), `creatorbase_http_requests_total{method="GET",route="GET /health",status="503"} 1`) {
			t.Fatalf("metrics lack the health request:\n%s", rec.Body)
		}
	})
}
