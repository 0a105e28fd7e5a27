package rest_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/creatorbase/creatorbase/internal/database"
	"github.com/creatorbase/creatorbase/internal/dbtest"
	"github.com/creatorbase/creatorbase/internal/rest"
)

const benchUsers = 2000

// benchFixture: 100,000 rows owned by 2,000 users, an index on user_id
// and RLS policies on (select auth.uid()), as the benchmark asks
// (at a twentieth of its size, so that `make bench` stays quick).
const benchFixture = `
create schema bench;
grant usage on schema bench to anon, authenticated, service_role;
create table bench.items (id bigint generated always as identity primary key, user_id uuid not null default auth.uid(),
  title text not null, done boolean not null default false, created_at timestamptz not null default now());
create index on bench.items (user_id, id);
alter table bench.items enable row level security;
create policy items_select on bench.items for select to authenticated using (user_id = (select auth.uid()));
create policy items_insert on bench.items for insert to authenticated with check (user_id = (select auth.uid()));
grant select, insert on bench.items to authenticated;
insert into bench.items (user_id, title)
  select ('00000000-0000-0000-0000-' || lpad(u::text, 12, '0'))::uuid, 'item ' || i
  from generate_series(1, 2000) u, generate_series(1, 50) i;
analyze bench.items;
`

func benchUser(i int) string { return fmt.Sprintf("00000000-0000-0000-0000-%012d", i%benchUsers+1) }

// benchServer serves the Data API on a loopback port.
func benchServer(b *testing.B) (*httptest.Server, []string) {
	b.Helper()
	ctx := context.Background()
	db := dbtest.New(b)
	if _, err := db.Owner(b).Exec(ctx, benchFixture); err != nil {
		b.Fatal(err)
	}
	pool := db.Authenticator(b)
	runner, err := database.NewRunner(ctx, pool)
	if err != nil {
		b.Fatal(err)
	}
	h, err := rest.New(ctx, rest.Options{Runner: runner, Pool: pool, Schemas: []string{"bench"}, Authenticate: testAuth,
		NoListen: true, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = h.Close() })
	srv := httptest.NewServer(http.StripPrefix("/rest/v1", h))
	b.Cleanup(srv.Close)
	tokens := make([]string, 200)
	for i := range tokens {
		tokens[i] = token(b, "authenticated", benchUser(i))
	}
	return srv, tokens
}

func benchDo(b *testing.B, c *http.Client, req *http.Request, want int) {
	resp, err := c.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != want {
		b.Fatalf("status %d: %s", resp.StatusCode, body)
	}
}

// BenchmarkList is GET of one user's 20 newest rows out of 100,000, a
// different user each request, over loopback HTTP.
func BenchmarkList(b *testing.B) {
	srv, tokens := benchServer(b)
	c := srv.Client()
	url := srv.URL + "/rest/v1/items?select=id,title,done,created_at&order=id.desc&limit=20"
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		req.Header.Set("Authorization", "Bearer "+tokens[i%len(tokens)])
		benchDo(b, c, req, http.StatusOK)
	}
}

// BenchmarkListParallel is BenchmarkList from 8 goroutines.
func BenchmarkListParallel(b *testing.B) {
	srv, tokens := benchServer(b)
	c := srv.Client()
	c.Transport.(*http.Transport).MaxIdleConnsPerHost = 16
	url := srv.URL + "/rest/v1/items?select=id,title,done,created_at&order=id.desc&limit=20"
	b.SetParallelism(8)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			i++
			req, _ := http.NewRequest(http.MethodGet, url, nil)
			req.Header.Set("Authorization", "Bearer "+tokens[i%len(tokens)])
			benchDo(b, c, req, http.StatusOK)
		}
	})
}

// BenchmarkInsert is POST of one row with return=representation.
func BenchmarkInsert(b *testing.B) {
	srv, tokens := benchServer(b)
	c := srv.Client()
	url := srv.URL + "/rest/v1/items?select=id,title,user_id"
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(`{"title":"bench"}`))
		req.Header.Set("Authorization", "Bearer "+tokens[i%len(tokens)])
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Prefer", "return=representation")
		benchDo(b, c, req, http.StatusCreated)
	}
}
