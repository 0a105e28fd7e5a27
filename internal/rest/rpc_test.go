package rest_test

import "testing"

func TestRPC(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	scenarios := []scenario{
		{name: "PostNamed", method: "POST", url: "/rpc/add", body: `{"a":1,"b":2}`, status: 200, want: `3`},
		{name: "PostDefault", method: "POST", url: "/rpc/add", body: `{"a":1}`, want: `2`},
		{name: "GetArgs", url: "/rpc/add?a=5&b=6", want: `11`},
		{name: "SetofTableFiltered", as: "service", url: "/rpc/books_by?author=1&select=id,title&id=gt.1", want: `[{"id":2,"title":"Postgres Deep"}]`},
		{name: "SetofTableRLS", url: "/rpc/books_by?author=1&select=id", want: `[{"id":1}]`},
		{name: "SetofTableEmbedOrder", as: "service", method: "POST", url: "/rpc/books_by?select=id,authors(name)&order=id.desc",
			body: `{"author":2}`, want: `[{"id":4,"authors":{"name":"Bob Writer"}},{"id":3,"authors":{"name":"Bob Writer"}}]`},
		{name: "SetofCount", url: "/rpc/numbers?n=5&limit=2", headers: map[string]string{"Prefer": "count=exact"}, status: 206,
			want: `[1,2]`, wantHeader: map[string]string{"Content-Range": "0-1/5"}},
		{name: "SetofScalarFilter", url: "/rpc/numbers?n=5&numbers=gte.4", want: `[4,5]`},
		{name: "SingleJSONParam", method: "POST", url: "/rpc/echo", body: `{"x":[1,2]}`, want: `{"x":[1,2]}`},
		{name: "Variadic", method: "POST", url: "/rpc/sum_all", body: `{"nums":[1,2,3]}`, want: `6`},
		{name: "VariadicGetRepeated", url: "/rpc/sum_all?nums=1&nums=2", want: `3`},
		{name: "VariadicGetArray", url: "/rpc/sum_all?nums={4,5}", want: `9`},
		{name: "OutParams", as: "service", url: "/rpc/stats", want: `{"n":4,"total":42.5}`},
		{name: "Claims", as: "alice", url: "/rpc/my_uid", want: `"` + alice + `"`},
		{name: "VoidIs204", as: "service", method: "POST", url: "/rpc/publish", body: `{"book":4}`, status: 204, want: ""},
		// A volatile function called with GET runs read-only, as in PostgREST:
		// writing fails with 25006 → 405, reading works.
		{name: "VolatileGet405", url: "/rpc/publish?book=4", status: 405,
			want: `{"code":"25006","details":null,"hint":null,"message":"cannot execute UPDATE in a read-only transaction"}`},
		{name: "VolatileHead405", method: "HEAD", url: "/rpc/publish?book=4", status: 405},
		{name: "VolatileReadOnlyGet", url: "/rpc/echo_text?t=hi", want: `"hi"`},
		{name: "NotFound", method: "POST", url: "/rpc/nope", body: `{"a":1}`, status: 404,
			want: `{"code":"PGRST202","details":"Searched for the function api.nope with parameters a or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.","hint":null,"message":"Could not find the function api.nope(a) in the schema cache"}`},
		{name: "WrongArgs", method: "POST", url: "/rpc/add", body: `{"x":1}`, status: 404, contains: []string{"PGRST202", "api.add(x)"}},
		{name: "Ambiguous", method: "POST", url: "/rpc/overloaded", body: `{"a":1}`, status: 300, contains: []string{"PGRST203"}},
		{name: "RaiseP0001", method: "POST", url: "/rpc/raise_it", body: `{}`, status: 400,
			want: `{"code":"P0001","details":"some detail","hint":"some hint","message":"custom failure"}`},
		{name: "PutNotAllowed", method: "PUT", url: "/rpc/add", status: 405,
			want: `{"code":"PGRST101","details":null,"hint":null,"message":"Cannot use the PUT method on RPC"}`},
		{name: "OptionsVolatile", method: "OPTIONS", url: "/rpc/publish", status: 200, wantHeader: map[string]string{"Allow": "OPTIONS,POST"}},
		{name: "OptionsTable", method: "OPTIONS", url: "/books", status: 200, wantHeader: map[string]string{"Allow": "OPTIONS,GET,HEAD,POST,PATCH,DELETE"}},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			t.Parallel()
			tb.check(t, sc)
		})
	}
}

func TestErrors(t *testing.T) {
	t.Parallel()
	tb := setup(t)
	expired := map[string]string{"Authorization": "Bearer eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiIsImV4cCI6MX0.x"}
	scenarios := []scenario{
		{name: "UnknownTable", url: "/bookz", status: 404,
			want: `{"code":"PGRST205","details":null,"hint":"Perhaps you meant the table 'api.books'","message":"Could not find the table 'api.bookz' in the schema cache"}`},
		{name: "UnknownSchema", url: "/books", headers: map[string]string{"Accept-Profile": "secret"}, status: 406,
			want: `{"code":"PGRST106","details":null,"hint":"Only the following schemas are exposed: api, other","message":"Invalid schema: secret"}`},
		{name: "UnknownContentProfile", method: "POST", url: "/books", headers: map[string]string{"Content-Profile": "auth"}, body: `{}`, status: 406, contains: []string{"PGRST106"}},
		{name: "UnknownColumnSelect", url: "/books?select=nope", status: 400,
			want: `{"code":"42703","details":null,"hint":null,"message":"column books.nope does not exist"}`},
		{name: "UnknownColumnFilter", url: "/books?nope=eq.1", status: 400, contains: []string{`"42703"`}},
		{name: "UnknownColumnOrder", url: "/books?order=nope", status: 400, contains: []string{`"42703"`}},
		{name: "BadFilter", url: "/books?id=xx.1", status: 400, contains: []string{`"PGRST100"`}},
		{name: "EmptyFilter", url: "/books?id=", status: 400, contains: []string{`"PGRST100"`}},
		{name: "BadSelect", url: "/books?select=id,(", status: 400, contains: []string{`"PGRST100"`}},
		{name: "WrongTypeFilter", url: "/books?id=eq.abc", status: 400, contains: []string{`"22P02"`}},
		{name: "NoRelationship", url: "/books?select=*,notes(*)", status: 400,
			contains: []string{`"PGRST200"`, "Could not find a relationship between 'books' and 'notes' in the schema cache"}},
		{name: "NotEmbedded", url: "/books?authors.name=eq.x", status: 400, contains: []string{`"PGRST108"`}},
		{name: "EmbedBadOperator", url: "/authors?select=*,books(*)&books=eq.1", status: 400, contains: []string{`"PGRST120"`}},
		{name: "RelatedOrderToMany", url: "/authors?select=*,books(*)&order=books(id)", status: 400, contains: []string{`"PGRST118"`}},
		{name: "Aggregates", url: "/books?select=price.sum()", status: 400, contains: []string{`"PGRST123"`}},
		{name: "NestedPath", url: "/books/1", status: 404, contains: []string{`"PGRST125"`}},
		{name: "Accept", url: "/books", headers: map[string]string{"Accept": "image/png"}, status: 406, contains: []string{`"PGRST107"`}},
		{name: "ReadOnlyTransaction", url: "/rpc/add?a=1", headers: map[string]string{"Range": "x"}, status: 200},
		{name: "BadJWT", url: "/books", headers: map[string]string{"Authorization": "Bearer nope"}, status: 401,
			contains: []string{`"PGRST301"`}, wantHeader: map[string]string{"Proxy-Status": "PostgREST; error=PGRST301"}},
		{name: "Expired", url: "/books", headers: expired, status: 401, contains: []string{`"PGRST30`}},
		{name: "NegativeLimit", url: "/books?limit=-1", status: 416, contains: []string{`"PGRST103"`}},
		{name: "HugeInList", url: "/books?id=in.(" + hugeList(20000) + ")", status: 200, want: `[]`},
		{name: "DeepEmbed", url: "/books?select=" + deepEmbed(40), status: 400},
		{name: "Injection", url: "/books?select=id&title=eq.x');drop table api.books;--", status: 200, want: `[]`},
		{name: "InjectionIdent", url: `/books?select=id,"x\"y":title&id=eq.1`, status: 200, want: `[{"id":1,"x\"y":"Go in Action"}]`},
		{name: "OpenAPIService", as: "service", url: "/", status: 200, contains: []string{`"swagger":"2.0"`, `"/books"`, `"/rpc/add"`},
			wantHeader: map[string]string{"Content-Type": "application/openapi+json; charset=utf-8"}},
		{name: "OpenAPIAnon", url: "/", status: 401},
		{name: "OpenAPIUser", as: "alice", url: "/", status: 403},
		{name: "PutUnsupported", method: "PUT", url: "/books?id=eq.1", body: `{}`, status: 405},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			t.Parallel()
			tb.check(t, sc)
		})
	}
	t.Run("NothingWritten", func(t *testing.T) {
		if n := tb.count(t, `select count(*) from api.books`); n != 4 {
			t.Fatalf("%d books", n)
		}
	})
}

func hugeList(n int) string {
	b := make([]byte, 0, n*6)
	for i := 0; i < n; i++ {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, []byte("90"+itoa(i))...)
	}
	return string(b)
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var d []byte
	for ; i > 0; i /= 10 {
		d = append([]byte{byte('0' + i%10)}, d...)
	}
	return string(d)
}

func deepEmbed(n int) string {
	s := "id"
	for i := 0; i < n; i++ {
		if i%2 == 0 {
			s = "authors(books(" + s + "))"
		}
	}
	return "id," + s
}
