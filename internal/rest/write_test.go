package rest_test

import (
	"context"
	"testing"
)

// count runs a query as the owner and returns one number.
func (tb *testBundle) count(t *testing.T, sql string) int {
	t.Helper()
	var n int
	if err := tb.db.Owner(t).QueryRow(context.Background(), sql).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestWrite(t *testing.T) {
	t.Parallel()
	repr := map[string]string{"Prefer": "return=representation", "Content-Type": "application/json"}

	t.Run("InsertMinimal", func(t *testing.T) {
		t.Parallel()
		tb := setup(t)
		tb.check(t, scenario{as: "alice", method: "POST", url: "/books", body: `{"title":"New"}`, status: 201, want: "",
			wantHeader: map[string]string{"Content-Range": "*/*", "Location": ""}})
		if n := tb.count(t, `select count(*) from api.books where title = 'New' and owner_id = '`+alice+`'`); n != 1 {
			t.Fatalf("inserted %d rows", n)
		}
	})
	t.Run("InsertRepresentation", func(t *testing.T) {
		t.Parallel()
		tb := setup(t)
		tb.check(t, scenario{as: "alice", method: "POST", url: "/books?select=id,title,author:authors(name)", headers: repr,
			body: `{"title":"Rep","author_id":1}`, status: 201, want: `[{"id":101,"title":"Rep","author":{"name":"Ann"}}]`,
			wantHeader: map[string]string{"Preference-Applied": "return=representation"}})
	})
	t.Run("InsertSingleObject", func(t *testing.T) {
		t.Parallel()
		tb := setup(t)
		tb.check(t, scenario{as: "alice", method: "POST", url: "/books?select=title", body: `[{"title":"One"}]`,
			headers: map[string]string{"Prefer": "return=representation", "Accept": "application/vnd.pgrst.object+json"},
			status:  201, want: `{"title":"One"}`})
		// Two rows with an object Accept: 406, and nothing written.
		tb.check(t, scenario{as: "alice", method: "POST", url: "/books?select=title", body: `[{"title":"Two"},{"title":"Two"}]`,
			headers: map[string]string{"Prefer": "return=representation", "Accept": "application/vnd.pgrst.object+json"},
			status:  406, contains: []string{"PGRST116", "The result contains 2 rows"}})
		if n := tb.count(t, `select count(*) from api.books where title = 'Two'`); n != 0 {
			t.Fatalf("PGRST116 left %d rows", n)
		}
	})
	t.Run("HeadersOnlyLocation", func(t *testing.T) {
		t.Parallel()
		tb := setup(t)
		tb.check(t, scenario{as: "alice", method: "POST", url: "/books", body: `{"title":"Loc"}`,
			headers: map[string]string{"Prefer": "return=headers-only"}, status: 201,
			wantHeader: map[string]string{"Location": "/books?id=eq.101"}})
	})
	t.Run("BulkInsertColumns", func(t *testing.T) {
		t.Parallel()
		tb := setup(t)
		tb.check(t, scenario{as: "alice", method: "POST", url: `/books?columns="title","price"&select=title,price`, headers: repr,
			body: `[{"title":"A","price":1},{"title":"B"}]`, status: 201,
			want: `[{"title":"A","price":1},{"title":"B","price":null}]`})
	})
	t.Run("BulkInsertKeysMustMatch", func(t *testing.T) {
		t.Parallel()
		tb := setup(t)
		tb.check(t, scenario{as: "alice", method: "POST", url: "/books", body: `[{"title":"A","price":1},{"title":"B"}]`,
			status: 400, want: `{"code":"PGRST102","details":null,"hint":null,"message":"All object keys must match"}`})
	})
	t.Run("MissingDefault", func(t *testing.T) {
		t.Parallel()
		tb := setup(t)
		tb.check(t, scenario{as: "alice", method: "POST", url: `/books?columns="title","published"&select=title,published`,
			headers: map[string]string{"Prefer": "return=representation,missing=default"},
			body:    `[{"title":"A","published":true},{"title":"B"}]`, status: 201,
			want:       `[{"title":"A","published":true},{"title":"B","published":false}]`,
			wantHeader: map[string]string{"Preference-Applied": "missing=default, return=representation"}})
	})
	t.Run("UpsertMerge", func(t *testing.T) {
		t.Parallel()
		tb := setup(t)
		h := map[string]string{"Prefer": "resolution=merge-duplicates,return=representation"}
		tb.check(t, scenario{as: "alice", method: "POST", url: "/books?select=id,title", headers: h,
			body: `{"id":1,"title":"Renamed"}`, status: 200, want: `[{"id":1,"title":"Renamed"}]`,
			wantHeader: map[string]string{"Preference-Applied": "resolution=merge-duplicates, return=representation"}})
		tb.check(t, scenario{as: "alice", method: "POST", url: "/books?select=id,title", headers: h,
			body: `[{"id":1,"title":"Again"},{"id":50,"title":"Fresh"}]`, status: 201,
			want: `[{"id":1,"title":"Again"},{"id":50,"title":"Fresh"}]`})
	})
	t.Run("UpsertIgnoreOnConflict", func(t *testing.T) {
		t.Parallel()
		tb := setup(t)
		tb.check(t, scenario{as: "service", method: "POST", url: "/tags?on_conflict=label&select=id",
			headers: map[string]string{"Prefer": "resolution=ignore-duplicates,return=representation"},
			body:    `[{"id":9,"label":"go"},{"id":10,"label":"new"}]`, status: 201, want: `[{"id":10}]`})
	})
	t.Run("InsertConflict409", func(t *testing.T) {
		t.Parallel()
		tb := setup(t)
		tb.check(t, scenario{as: "service", method: "POST", url: "/tags", body: `{"id":1,"label":"dup"}`, status: 409,
			contains: []string{`"code":"23505"`, `Key (id)=(1) already exists.`}})
	})
	t.Run("InsertRLSDenied", func(t *testing.T) {
		t.Parallel()
		tb := setup(t)
		// alice may not write a book owned by bob: 403; anon has no grant: 401.
		tb.check(t, scenario{as: "alice", method: "POST", url: "/books", body: `{"title":"x","owner_id":"` + bob + `"}`, status: 403,
			contains: []string{`"code":"42501"`, "row-level security"}})
		tb.check(t, scenario{method: "POST", url: "/books", body: `{"title":"x"}`, status: 401, contains: []string{`"code":"42501"`}})
		if n := tb.count(t, `select count(*) from api.books where title = 'x'`); n != 0 {
			t.Fatalf("denied insert wrote %d rows", n)
		}
	})
	t.Run("MinimalSkipsSelectPolicy", func(t *testing.T) {
		t.Parallel()
		tb := setup(t)
		// reviews: alice may insert her review; return=minimal needs no SELECT.
		tb.check(t, scenario{as: "alice", method: "POST", url: "/reviews", body: `{"book_id":3,"stars":2}`, status: 201})
	})
	t.Run("UnknownColumn", func(t *testing.T) {
		t.Parallel()
		tb := setup(t)
		tb.check(t, scenario{as: "alice", method: "POST", url: "/books", body: `{"title":"x","nope":1}`, status: 400,
			want: `{"code":"PGRST204","details":null,"hint":null,"message":"Could not find the 'nope' column of 'books' in the schema cache"}`})
	})
	t.Run("BadJSON", func(t *testing.T) {
		t.Parallel()
		tb := setup(t)
		for _, body := range []string{`{"title":`, `42`, ``, `[1,2]`, `{"a":1}{`} {
			rec := tb.do(t, scenario{as: "alice", method: "POST", url: "/books", body: body})
			if rec.Code != 400 || !contains(rec.Body.String(), "PGRST102") {
				t.Fatalf("body %q: %d %s", body, rec.Code, rec.Body.String())
			}
		}
	})
	t.Run("WrongType", func(t *testing.T) {
		t.Parallel()
		tb := setup(t)
		tb.check(t, scenario{as: "alice", method: "POST", url: "/books", body: `{"title":"x","price":"abc"}`, status: 400,
			contains: []string{`"code":"22P02"`}})
	})
	t.Run("Update", func(t *testing.T) {
		t.Parallel()
		tb := setup(t)
		tb.check(t, scenario{as: "alice", method: "PATCH", url: "/books?id=eq.2", body: `{"price":30}`, status: 204,
			wantHeader: map[string]string{"Content-Range": "0-0/*"}})
		tb.check(t, scenario{as: "alice", method: "PATCH", url: "/books?id=in.(1,2)&select=id,price&order=id", headers: repr,
			body: `{"price":31}`, status: 200, want: `[{"id":1,"price":31},{"id":2,"price":31}]`,
			wantHeader: map[string]string{"Content-Range": "0-1/*"}})
		// bob's rows are not alice's to update: nothing matches.
		tb.check(t, scenario{as: "alice", method: "PATCH", url: "/books?id=eq.3", body: `{"price":1}`, status: 204,
			wantHeader: map[string]string{"Content-Range": "*/*"}})
		if n := tb.count(t, `select count(*) from api.books where id = 3 and price is null`); n != 1 {
			t.Fatal("alice updated bob's book")
		}
	})
	t.Run("UpdateEmptyBody", func(t *testing.T) {
		t.Parallel()
		tb := setup(t)
		tb.check(t, scenario{as: "alice", method: "PATCH", url: "/books?id=eq.1", body: `{}`, headers: repr, status: 200, want: `[]`})
	})
	t.Run("UnfilteredRefused", func(t *testing.T) {
		t.Parallel()
		tb := setup(t)
		tb.check(t, scenario{as: "service", method: "PATCH", url: "/books", body: `{"price":1}`, status: 400,
			want: `{"code":"21000","details":null,"hint":null,"message":"UPDATE requires a WHERE clause"}`})
		tb.check(t, scenario{as: "service", method: "DELETE", url: "/books", status: 400,
			want: `{"code":"21000","details":null,"hint":null,"message":"DELETE requires a WHERE clause"}`})
		if n := tb.count(t, `select count(*) from api.books`); n != 4 {
			t.Fatalf("unfiltered delete left %d rows", n)
		}
	})
	t.Run("Delete", func(t *testing.T) {
		t.Parallel()
		tb := setup(t)
		tb.check(t, scenario{as: "bob", method: "DELETE", url: "/books?id=in.(1,4)", headers: map[string]string{"Prefer": "count=exact"},
			status: 204, wantHeader: map[string]string{"Content-Range": "*/1"}})
		if n := tb.count(t, `select count(*) from api.books`); n != 3 {
			t.Fatalf("%d books left", n)
		}
		tb.check(t, scenario{as: "alice", method: "DELETE", url: "/notes?body=eq.a1&select=body", headers: repr, status: 200, want: `[{"body":"a1"}]`})
	})
	t.Run("MaxAffected", func(t *testing.T) {
		t.Parallel()
		tb := setup(t)
		tb.check(t, scenario{as: "alice", method: "DELETE", url: "/notes?id=gt.0",
			headers: map[string]string{"Prefer": "handling=strict, max-affected=1"}, status: 400,
			want: `{"code":"PGRST124","details":"The query affects 2 rows","hint":null,"message":"Query result exceeds max-affected preference constraint"}`})
		if n := tb.count(t, `select count(*) from api.notes`); n != 3 {
			t.Fatalf("max-affected did not roll back: %d notes", n)
		}
	})
	t.Run("TxRollback", func(t *testing.T) {
		t.Parallel()
		tb := setup(t)
		tb.check(t, scenario{as: "alice", method: "DELETE", url: "/notes?id=gt.0",
			headers: map[string]string{"Prefer": "tx=rollback"}, status: 204,
			wantHeader: map[string]string{"Preference-Applied": "tx=rollback"}})
		if n := tb.count(t, `select count(*) from api.notes`); n != 3 {
			t.Fatalf("tx=rollback committed: %d notes", n)
		}
	})
}

func contains(s, sub string) bool {
	return len(sub) == 0 || (len(s) >= len(sub) && (s == sub || index(s, sub) >= 0))
}

func index(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}
