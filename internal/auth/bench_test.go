package auth_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/creatorbase/creatorbase/internal/auth"
	"github.com/creatorbase/creatorbase/internal/auth/password"
	"github.com/creatorbase/creatorbase/internal/config"
)

// benchServer is the Auth API on a loopback listener, with rate limits
// off and the logs discarded.
func benchServer(b *testing.B, params password.Params) (*httptest.Server, *testBundle) {
	b.Helper()
	tb := setup(b, func(o *auth.Options) {
		o.Logger = slog.New(slog.DiscardHandler)
		o.PasswordHash = params
	})
	// A pool the size serve uses by default.
	tb.withPool(b, config.DefaultDBMaxConns())
	srv := httptest.NewServer(tb.h)
	b.Cleanup(srv.Close)
	return srv, tb
}

func benchPost(b *testing.B, c *http.Client, url, key string, body any) map[string]any {
	buf, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(buf))
	req.Header.Set("apikey", key)
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	return benchDo(b, c, req)
}

func benchDo(b *testing.B, c *http.Client, req *http.Request) map[string]any {
	resp, err := c.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		b.Fatalf("%s %s: %d %s", req.Method, req.URL.Path, resp.StatusCode, raw)
	}
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	return m
}

func benchSignUp(b *testing.B, srv *httptest.Server, tb *testBundle, email string) map[string]any {
	return benchPost(b, srv.Client(), srv.URL+"/signup", tb.project.Anon, map[string]any{"email": email, "password": "secret123"})
}

// reportRate adds requests per second to the benchmark's output.
func reportRate(b *testing.B, n int64, start time.Time) {
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "req/s")
}

// BenchmarkRefreshTokenGrant: POST /token?grant_type=refresh_token, each
// worker rotating its own session's token, over loopback HTTP.
func BenchmarkRefreshTokenGrant(b *testing.B) {
	srv, tb := benchServer(b, testParams)
	// One session per worker, signed up before the clock starts.
	tokens := make([]string, benchParallelism*runtime.GOMAXPROCS(0))
	for i := range tokens {
		tokens[i] = benchSignUp(b, srv, tb, fmt.Sprintf("w%d@example.com", i))["refresh_token"].(string)
	}
	var worker atomic.Int64
	var n atomic.Int64
	b.ResetTimer()
	start := time.Now()
	b.SetParallelism(benchParallelism)
	b.RunParallel(func(pb *testing.PB) {
		c := srv.Client()
		token := tokens[worker.Add(1)-1]
		for pb.Next() {
			s := benchPost(b, c, srv.URL+"/token?grant_type=refresh_token", tb.project.Anon, map[string]any{"refresh_token": token})
			token = s["refresh_token"].(string)
			n.Add(1)
		}
	})
	reportRate(b, n.Load(), start)
}

// BenchmarkGetUser: GET /user with a user's access token.
func BenchmarkGetUser(b *testing.B) {
	srv, tb := benchServer(b, testParams)
	at := benchSignUp(b, srv, tb, "a@example.com")["access_token"].(string)
	var n atomic.Int64
	start := time.Now()
	b.SetParallelism(benchParallelism)
	b.RunParallel(func(pb *testing.PB) {
		c := srv.Client()
		for pb.Next() {
			req, _ := http.NewRequest(http.MethodGet, srv.URL+"/user", nil)
			req.Header.Set("apikey", tb.project.Anon)
			req.Header.Set("Authorization", "Bearer "+at)
			benchDo(b, c, req)
			n.Add(1)
		}
	})
	reportRate(b, n.Load(), start)
}

// BenchmarkPasswordGrant: POST /token?grant_type=password at the default
// argon2id cost (m=19456 KiB, t=2, p=1).
func BenchmarkPasswordGrant(b *testing.B) {
	srv, tb := benchServer(b, password.DefaultParams)
	benchSignUp(b, srv, tb, "a@example.com")
	var n atomic.Int64
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		c := srv.Client()
		for pb.Next() {
			benchPost(b, c, srv.URL+"/token?grant_type=password", tb.project.Anon, map[string]any{"email": "a@example.com", "password": "secret123"})
			n.Add(1)
		}
	})
	reportRate(b, n.Load(), start)
}

// benchParallelism × GOMAXPROCS clients load the server: a bounded load.
const benchParallelism = 4
