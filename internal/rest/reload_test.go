package rest_test

import (
	"context"
	"net/http"
	"testing"
	"time"
)

func TestSchemaReload(t *testing.T) {
	t.Parallel()

	t.Run("OnNotify", func(t *testing.T) {
		t.Parallel()
		tb := setup(t)
		owner := tb.db.Owner(t)
		ctx := context.Background()
		tb.check(t, scenario{url: "/fresh", status: http.StatusNotFound})
		if _, err := owner.Exec(ctx, `create table api.fresh (id int primary key); grant select on api.fresh to anon`); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(10 * time.Second)
		for {
			if _, err := owner.Exec(ctx, `notify pgrst, 'reload schema'`); err != nil {
				t.Fatal(err)
			}
			if tb.do(t, scenario{url: "/fresh"}).Code == http.StatusOK {
				return
			}
			if time.Now().After(deadline) {
				t.Fatal("schema cache not reloaded after NOTIFY pgrst")
			}
			time.Sleep(50 * time.Millisecond)
		}
	})

	t.Run("Explicit", func(t *testing.T) {
		t.Parallel()
		tb := setup(t)
		ctx := context.Background()
		if _, err := tb.db.Owner(t).Exec(ctx, `alter table api.authors add column born int`); err != nil {
			t.Fatal(err)
		}
		tb.check(t, scenario{url: "/authors?select=born", status: http.StatusBadRequest})
		if err := tb.handler.Reload(ctx); err != nil {
			t.Fatal(err)
		}
		tb.check(t, scenario{url: "/authors?select=born&id=eq.1", status: http.StatusOK, want: `[{"born":null}]`})
	})
}

// TestRLSMatrix runs the same requests as anon, the owner, another user
// and service_role: each sees and changes exactly what the policies allow.
func TestRLSMatrix(t *testing.T) {
	t.Parallel()
	cases := []struct {
		as                       string
		seeNotes                 string
		insertStatus             int
		updateRange, deleteRange string
	}{
		{as: "anon", seeNotes: `[]`, insertStatus: 401, updateRange: "", deleteRange: ""},
		{as: "alice", seeNotes: `[{"body":"a1"},{"body":"a2"}]`, insertStatus: 201, updateRange: "0-2/3", deleteRange: "*/3"},
		{as: "bob", seeNotes: `[{"body":"b1"}]`, insertStatus: 201, updateRange: "0-1/2", deleteRange: "*/2"},
		{as: "service", seeNotes: `[{"body":"a1"},{"body":"a2"},{"body":"b1"}]`, insertStatus: 400, updateRange: "0-2/3", deleteRange: "*/3"},
	}
	for _, tc := range cases {
		t.Run(tc.as, func(t *testing.T) {
			t.Parallel()
			tb := setup(t)
			tb.check(t, scenario{as: tc.as, url: "/notes?select=body&order=body", status: 200, want: tc.seeNotes})
			// Own rows include the note just inserted. service_role has no uid for the owner_id default: a not-null violation, 400.
			tb.check(t, scenario{as: tc.as, method: "POST", url: "/notes", body: `{"body":"new"}`, status: tc.insertStatus})
			count := map[string]string{"Prefer": "count=exact"}
			if tc.as == "anon" {
				tb.check(t, scenario{as: tc.as, method: "PATCH", url: "/notes?id=gt.0", body: `{"body":"x"}`, status: 401})
				tb.check(t, scenario{as: tc.as, method: "DELETE", url: "/notes?id=gt.0", status: 401})
				return
			}
			tb.check(t, scenario{as: tc.as, method: "PATCH", url: "/notes?id=lt.100", body: `{"body":"x"}`, headers: count,
				status: 204, wantHeader: map[string]string{"Content-Range": tc.updateRange}})
			tb.check(t, scenario{as: tc.as, method: "DELETE", url: "/notes?id=lt.100", headers: count,
				status: 204, wantHeader: map[string]string{"Content-Range": tc.deleteRange}})
		})
	}
}
