package influencer_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/creatorbase/creatorbase/internal/jobs"
	"github.com/creatorbase/creatorbase/internal/products/influencer"
)

const fakeKey = "sk_test_vendor"

// fakeVendor is an httptest server speaking the vendor contract (see
// influencer.Vendor): pages are built from the offline fixtures, so they
// carry realistic creator records. hook, called before each request with
// its number (from 1), may answer instead (returning true).
type fakeVendor struct {
	*httptest.Server
	off   *influencer.Offline
	calls atomic.Int32
	mu    sync.Mutex
	reqs  []string // raw queries seen
	hook  func(call int, w http.ResponseWriter, r *http.Request) bool
}

func newFakeVendor(t *testing.T, hook func(int, http.ResponseWriter, *http.Request) bool) *fakeVendor {
	t.Helper()
	off, err := influencer.NewOffline()
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeVendor{off: off, hook: hook}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (f *fakeVendor) serve(w http.ResponseWriter, r *http.Request) {
	n := int(f.calls.Add(1))
	f.mu.Lock()
	f.reqs = append(f.reqs, r.URL.RawQuery)
	f.mu.Unlock()
	if f.hook != nil && f.hook(n, w, r) {
		return
	}
	if r.Method != http.MethodGet || r.URL.Path != "/v1/creators/search" {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "not_found", "message": "no such endpoint"})
		return
	}
	if r.Header.Get("x-api-key") != fakeKey {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "unauthorized", "message": "invalid API key"})
		return
	}
	q := r.URL.Query()
	cursor, err1 := strconv.Atoi(q.Get("cursor"))
	limit, err2 := strconv.Atoi(q.Get("limit"))
	if err1 != nil || err2 != nil || limit < 1 || limit > 50 {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_request", "message": "cursor and limit (1-50) are required"})
		return
	}
	page, err := f.off.Search(r.Context(), influencer.SearchRequest{
		Platform: q.Get("platform"), Keywords: q["keywords"], TargetUsername: q.Get("target_username"), Cursor: cursor, Limit: limit,
	})
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_request", "message": strings.TrimPrefix(err.Error(), "permanent provider error: ")})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"creators": page.Creators, "next_cursor": page.NextCursor, "has_more": !page.Done})
}

func newVendor(t *testing.T, base, key string) *influencer.Vendor {
	t.Helper()
	v, err := influencer.NewVendor(influencer.VendorOptions{BaseURL: base, APIKey: key, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestVendorOptions(t *testing.T) {
	t.Parallel()
	for _, o := range []influencer.VendorOptions{
		{APIKey: "k"},
		{BaseURL: "ftp://x", APIKey: "k"},
		{BaseURL: "http://127.0.0.1:1"},
	} {
		if _, err := influencer.NewVendor(o); err == nil {
			t.Errorf("options %+v accepted", o)
		}
	}
}

func TestVendorPagesWithCursors(t *testing.T) {
	t.Parallel()
	f := newFakeVendor(t, nil)
	v := newVendor(t, f.URL, fakeKey)
	ctx := context.Background()
	req := influencer.SearchRequest{Platform: influencer.TikTok, Keywords: []string{"vegan snacks", "meal prep"}, Limit: 40}
	p1, err := v.Search(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if len(p1.Creators) != 40 || p1.NextCursor != 40 || p1.Done {
		t.Fatalf("page 1: %d creators, next %d, done %v", len(p1.Creators), p1.NextCursor, p1.Done)
	}
	c := p1.Creators[0]
	if c.Creator.UniqueID == "" || c.Creator.Followers == 0 || c.Platform != influencer.TikTok || len(c.Hashtags) == 0 {
		t.Fatalf("creator record not decoded: %+v", c)
	}
	req.Cursor = p1.NextCursor
	p2, err := v.Search(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if p2.NextCursor != 80 || p2.Creators[0].Creator.UniqueID == c.Creator.UniqueID {
		t.Fatalf("page 2 did not move on: next %d", p2.NextCursor)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if got := f.reqs[1]; !strings.Contains(got, "cursor=40") || !strings.Contains(got, "keywords=vegan+snacks&keywords=meal+prep") {
		t.Fatalf("second request %q", got)
	}

	// The last page says has_more false.
	f2 := newFakeVendor(t, func(_ int, w http.ResponseWriter, _ *http.Request) bool {
		writeJSON(w, 200, map[string]any{"creators": []any{}, "next_cursor": 7, "has_more": false})
		return true
	})
	p, err := newVendor(t, f2.URL, fakeKey).Search(ctx, influencer.SearchRequest{Platform: influencer.YouTube, TargetUsername: "@mia", Cursor: 7})
	if err != nil || !p.Done || len(p.Creators) != 0 {
		t.Fatalf("last page %+v, %v", p, err)
	}
}

func TestVendorErrorClasses(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	req := influencer.SearchRequest{Platform: influencer.Instagram, Keywords: []string{"sourdough"}, Limit: 10}
	answer := func(status int, header map[string]string, body string) func(int, http.ResponseWriter, *http.Request) bool {
		return func(_ int, w http.ResponseWriter, _ *http.Request) bool {
			for k, v := range header {
				w.Header().Set(k, v)
			}
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			_, _ = w.Write([]byte(body))
			return true
		}
	}
	cases := []struct {
		name       string
		key        string
		hook       func(int, http.ResponseWriter, *http.Request) bool
		permanent  bool
		status     int
		text       string
		retryAfter time.Duration
	}{
		{name: "rate limited", key: fakeKey, hook: answer(429, map[string]string{"Retry-After": "30"}, `{"error":"rate_limited","message":"60 requests per minute"}`),
			status: 429, text: "60 requests per minute", retryAfter: 30 * time.Second},
		{name: "rate limited, HTTP date", key: fakeKey, hook: func(n int, w http.ResponseWriter, r *http.Request) bool {
			// The date is taken when the answer is made, not when the table is.
			return answer(429, map[string]string{"Retry-After": time.Now().Add(2 * time.Minute).UTC().Format(http.TimeFormat)}, ``)(n, w, r)
		},
			status: 429, text: "too many requests", retryAfter: 2 * time.Minute},
		{name: "server error", key: fakeKey, hook: answer(502, nil, `<html>bad gateway</html>`), status: 502, text: "bad gateway"},
		{name: "unavailable", key: fakeKey, hook: answer(503, nil, `{"error":"unavailable","message":"upstream busy"}`), status: 503, text: "upstream busy"},
		{name: "auth failure", key: "sk_wrong", permanent: true, status: 401, text: "the API key was refused: invalid API key"},
		{name: "forbidden", key: fakeKey, hook: answer(403, nil, `{"error":"forbidden","message":"plan does not include Instagram"}`), permanent: true, status: 403, text: "plan does not include Instagram"},
		{name: "bad request", key: fakeKey, hook: answer(400, nil, `{"error":"invalid_request","message":"unknown platform"}`), permanent: true, status: 400, text: "unknown platform"},
		{name: "malformed body", key: fakeKey, hook: answer(200, nil, `{"creators": [{"creator": `), permanent: true, status: 200, text: "malformed answer"},
		{name: "missing fields", key: fakeKey, hook: answer(200, nil, `{"items": []}`), permanent: true, status: 200, text: "creators and next_cursor are required"},
		{name: "cursor stuck", key: fakeKey, hook: answer(200, nil, `{"creators": [], "next_cursor": 0, "has_more": true}`), permanent: true, status: 200, text: "does not move on"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFakeVendor(t, tc.hook)
			_, err := newVendor(t, f.URL, tc.key).Search(ctx, req)
			if err == nil {
				t.Fatal("no error")
			}
			if got := errors.Is(err, influencer.ErrPermanent); got != tc.permanent {
				t.Fatalf("permanent = %v, want %v (%v)", got, tc.permanent, err)
			}
			var ve *influencer.VendorError
			if !errors.As(err, &ve) {
				t.Fatalf("not a VendorError: %v", err)
			}
			if ve.Status != tc.status || ve.Retryable == tc.permanent || !strings.Contains(err.Error(), tc.text) {
				t.Fatalf("got %+v: %q", ve, err)
			}
			if d := ve.RetryAfter - tc.retryAfter; d < -2*time.Second || d > 2*time.Second {
				t.Fatalf("retry after %s, want %s", ve.RetryAfter, tc.retryAfter)
			}
			if strings.Contains(err.Error(), tc.key) {
				t.Fatal("the API key is in the error text")
			}
		})
	}
}

func TestVendorTimeoutAndTransport(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	f := newFakeVendor(t, func(_ int, w http.ResponseWriter, r *http.Request) bool {
		select {
		case <-release:
		case <-r.Context().Done():
		}
		return true
	})
	defer close(release)
	v, err := influencer.NewVendor(influencer.VendorOptions{BaseURL: f.URL, APIKey: fakeKey, Timeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	req := influencer.SearchRequest{Platform: influencer.TikTok, Keywords: []string{"x"}}
	_, err = v.Search(context.Background(), req)
	var ve *influencer.VendorError
	if !errors.As(err, &ve) || !ve.Retryable || errors.Is(err, influencer.ErrPermanent) || !strings.Contains(err.Error(), "no answer within") {
		t.Fatalf("timeout: %v", err)
	}
	// The caller's own cancellation is reported as such, not as a vendor fault.
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(20 * time.Millisecond); cancel() }()
	v2 := newVendor(t, f.URL, fakeKey)
	if _, err := v2.Search(ctx, req); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
	// Nothing listening: transient.
	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close()
	_, err = newVendor(t, dead.URL, fakeKey).Search(context.Background(), req)
	if !errors.As(err, &ve) || !ve.Retryable {
		t.Fatalf("connection refused: %v", err)
	}
}

// TestVendorPipeline runs the scraping worker with the vendor client
// against the fake: a rate-limited page is retried from the stored cursor
// without storing anything twice, a refused key ends the job in error
// with readable text, and a job run through River completes.
func TestVendorPipeline(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.setPlan(t, b.alice, "glow_up")
	ctx := context.Background()

	t.Run("RateLimitedThenResumed", func(t *testing.T) {
		id := b.newJob(t, b.alice, 120)
		f := newFakeVendor(t, func(call int, w http.ResponseWriter, _ *http.Request) bool {
			if call == 2 {
				w.Header().Set("Retry-After", "1")
				writeJSON(w, http.StatusTooManyRequests, map[string]string{"error": "rate_limited", "message": "slow down"})
				return true
			}
			return false
		})
		w, err := influencer.NewScrapingWorker(b.Owner, influencer.Options{PageSize: 50, Provider: newVendor(t, f.URL, fakeKey)})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Work(ctx, workJob(id, 1)); err == nil || !strings.Contains(err.Error(), "HTTP 429") {
			t.Fatalf("rate limit not returned for retry: %v", err)
		}
		if s := b.progress(t, b.alice, id); s.Status != "processing" || s.Results != 50 || s.Curs != 50 {
			t.Fatalf("after 429 %+v", s)
		}
		if err := w.Work(ctx, workJob(id, 2)); err != nil {
			t.Fatal(err)
		}
		if s := b.progress(t, b.alice, id); s.Status != "completed" || s.Results != 120 || s.Progress != 100 || s.Err != nil {
			t.Fatalf("after retry %+v", s)
		}
		f.mu.Lock()
		cursors := []string{}
		for _, q := range f.reqs {
			for _, kv := range strings.Split(q, "&") {
				if strings.HasPrefix(kv, "cursor=") {
					cursors = append(cursors, kv)
				}
			}
		}
		f.mu.Unlock()
		if strings.Join(cursors, " ") != "cursor=0 cursor=50 cursor=50 cursor=100" {
			t.Fatalf("cursors asked %v", cursors)
		}
		if n := b.OwnerInt(t, `select count(*) from (select distinct c->'creator'->>'uniqueId' from influencer.scraping_results r,
			jsonb_array_elements(r.creators) c where r.job_id = $1) x`, id); n != 120 {
			t.Fatalf("distinct creators %d, want 120", n)
		}
	})

	t.Run("AuthFailureEndsTheJob", func(t *testing.T) {
		id := b.newJob(t, b.alice, 50)
		f := newFakeVendor(t, nil)
		w, err := influencer.NewScrapingWorker(b.Owner, influencer.Options{Provider: newVendor(t, f.URL, "sk_revoked")})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Work(ctx, workJob(id, 1)); err != nil {
			t.Fatalf("a permanent failure is not retried: %v", err)
		}
		s := b.progress(t, b.alice, id)
		if s.Status != "error" || s.Err == nil || !strings.Contains(*s.Err, "HTTP 401") || !strings.Contains(*s.Err, "invalid API key") {
			t.Fatalf("after 401 %+v", s)
		}
		if strings.Contains(*s.Err, "sk_revoked") {
			t.Fatal("the key is in the job's error")
		}
	})

	t.Run("ThroughRiver", func(t *testing.T) {
		f := newFakeVendor(t, func(call int, w http.ResponseWriter, _ *http.Request) bool {
			if call == 1 {
				writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": "unavailable", "message": "upstream busy"})
				return true
			}
			return false
		})
		reg := jobs.NewRegistry()
		if err := influencer.RegisterJobsWith(reg, b.Owner, influencer.Options{Provider: newVendor(t, f.URL, fakeKey), PageSize: 50}); err != nil {
			t.Fatal(err)
		}
		c, err := jobs.New(b.Owner, reg, jobs.Options{Workers: true, TestOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Start(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			defer cancel()
			_ = c.Stop(sctx)
		})
		id := b.newJob(t, b.alice, 75)
		deadline := time.Now().Add(45 * time.Second)
		for {
			s := b.progress(t, b.alice, id)
			if s.Status == "completed" {
				if s.Results != 75 || s.Runs != 2 || s.Progress != 100 {
					t.Fatalf("final %+v", s)
				}
				break
			}
			if s.Status == "error" || time.Now().After(deadline) {
				t.Fatalf("not completed: %+v", s)
			}
			time.Sleep(25 * time.Millisecond)
		}
	})
}
