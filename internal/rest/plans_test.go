package rest_test

import (
	"context"
	"net/http"
	"testing"
)

// Reads are planned once and the plan is kept; what a plan must never
// carry is who asked, which headers were sent, or a schema that changed.
func TestPlanCache(t *testing.T) {
	t.Parallel()

	t.Run("EachCallerStillSeesOnlyTheirRows", func(t *testing.T) {
		t.Parallel()
		tb := setup(t)
		url := "/books?select=id&order=id"
		want := map[string]string{
			"anon": `[{"id":1},{"id":3}]`, "alice": `[{"id":1},{"id":2},{"id":3}]`,
			"bob": `[{"id":1},{"id":3},{"id":4}]`, "service": `[{"id":1},{"id":2},{"id":3},{"id":4}]`,
		}
		for range 2 {
			for _, as := range []string{"alice", "anon", "bob", "service"} {
				tb.check(t, scenario{as: as, url: url, status: http.StatusOK, want: want[as]})
			}
		}
	})

	t.Run("HeadersArePartOfThePlan", func(t *testing.T) {
		t.Parallel()
		tb := setup(t)
		url := "/authors?select=id&order=id"
		for range 2 {
			tb.check(t, scenario{url: url, want: `[{"id":1},{"id":2},{"id":3}]`, wantHeader: map[string]string{"Content-Range": "0-2/*"}})
			tb.check(t, scenario{url: url, headers: map[string]string{"Prefer": "count=exact"},
				wantHeader: map[string]string{"Content-Range": "0-2/3"}})
			tb.check(t, scenario{url: url, headers: map[string]string{"Range": "1-1"}, want: `[{"id":2}]`})
			tb.check(t, scenario{url: "/authors?select=id&id=eq.2", headers: map[string]string{"Accept": "application/vnd.pgrst.object+json"},
				want: `{"id":2}`})
			tb.check(t, scenario{url: url, headers: map[string]string{"Accept": "text/csv"}, want: "id\n1\n2\n3"})
			tb.check(t, scenario{method: http.MethodHead, url: url, status: http.StatusOK})
		}
	})

	t.Run("AReloadPlansAfresh", func(t *testing.T) {
		t.Parallel()
		tb := setup(t)
		ctx := context.Background()
		// The kept plan joins through a foreign key that is then dropped:
		// reused, it would still answer 200.
		url := "/authors?select=id,books(id)&id=eq.2"
		tb.check(t, scenario{url: url, status: http.StatusOK})
		if _, err := tb.db.Owner(t).Exec(ctx, `alter table api.books drop constraint books_author_id_fkey`); err != nil {
			t.Fatal(err)
		}
		if err := tb.handler.Reload(ctx); err != nil {
			t.Fatal(err)
		}
		tb.check(t, scenario{url: url, status: http.StatusBadRequest, contains: []string{"PGRST200"}})
	})
}
