package plan_test

import (
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/creatorbase/creatorbase/internal/rest/plan"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// TestGolden pins the SQL generated for representative requests. Run
// go test ./internal/rest/plan -run TestGolden -update after an intended change.
func TestGolden(t *testing.T) {
	t.Parallel()
	c := testCache()
	cases := []struct {
		name, method, url, body string
		header                  http.Header
	}{
		{name: "read_columns_filters_order", method: "GET", url: "/books?select=id,title,meta->>lang&price=gt.5&title=like.*Go*&order=price.desc.nullslast&limit=10&offset=5"},
		{name: "read_count_exact", method: "GET", url: "/authors?select=id&name=in.(a,\"b,c\")", header: http.Header{"Prefer": {"count=exact"}}},
		{name: "read_logic_tree", method: "GET", url: "/books?or=(price.is.null,and(price.gte.1,title.not.eq.x))&tags=ov.{a,b}"},
		{name: "read_fts", method: "GET", url: "/books?summary=wfts(english).cat&title=not.phfts.dog"},
		{name: "read_embeds", method: "GET", url: "/authors?select=name,books!inner(title,reviews(stars),tags(label))&books.price=lt.10&books.order=id&books.limit=2"},
		{name: "read_many_to_one_spread", method: "GET", url: "/books?select=id,author:authors(name),...authors(n:name)&order=author(name).desc"},
		{name: "read_embed_null_filter", method: "GET", url: "/authors?select=name,books()&books=is.null"},
		{name: "read_single_csv", method: "GET", url: "/authors?id=eq.1", header: http.Header{"Accept": {"text/csv"}}},
		{name: "insert_minimal", method: "POST", url: "/books", body: `{"title":"x","price":1}`},
		{name: "insert_representation", method: "POST", url: "/books?select=id,author:authors(name)", body: `[{"title":"x"}]`,
			header: http.Header{"Prefer": {"return=representation"}}},
		{name: "insert_upsert_merge", method: "POST", url: "/books?on_conflict=id", body: `{"id":1,"title":"x"}`,
			header: http.Header{"Prefer": {"resolution=merge-duplicates"}}},
		{name: "insert_missing_default", method: "POST", url: "/books?columns=title,price", body: `[{"title":"x"},{"title":"y","price":2}]`,
			header: http.Header{"Prefer": {"missing=default, return=headers-only"}}},
		{name: "update_representation", method: "PATCH", url: "/books?id=eq.1&select=id,title", body: `{"title":"y"}`,
			header: http.Header{"Prefer": {"return=representation"}, "Accept": {"application/vnd.pgrst.object+json"}}},
		{name: "delete_max_affected", method: "DELETE", url: "/books?owner_id=eq.x", header: http.Header{"Prefer": {"handling=strict, max-affected=5"}}},
		{name: "rpc_post_named", method: "POST", url: "/rpc/add", body: `{"a":1}`},
		{name: "rpc_get_setof", method: "GET", url: "/rpc/books_by?author=1&select=id,authors(name)&price=gt.1"},
		{name: "rpc_json_arg", method: "POST", url: "/rpc/echo", body: `{"x":1}`},
		{name: "rpc_variadic_get", method: "GET", url: "/rpc/sum_all?nums=1&nums=2"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			in, err := input(t, c, tc.method, tc.url, tc.header, tc.body)
			if err != nil {
				t.Fatal(err)
			}
			pl, err := plan.Build(in)
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			fmt.Fprintf(&b, "-- %s %s\n-- read only: %v\n%s\n", tc.method, tc.url, pl.ReadOnly, pl.Main.SQL)
			for i, a := range pl.Main.Args {
				fmt.Fprintf(&b, "-- $%d = %#v\n", i+1, a)
			}
			if pl.Estimate != nil {
				fmt.Fprintf(&b, "-- estimate:\n%s\n", pl.Estimate.SQL)
			}
			got := b.String()
			path := filepath.Join("testdata", tc.name+".golden")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if string(want) != got {
				t.Fatalf("SQL changed for %s:\n got: %s\nwant: %s", tc.name, got, want)
			}
		})
	}
}
