package query_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/creatorbase/creatorbase/internal/rest/query"
)

// searchParams encodes pairs the way the browser's URLSearchParams does (and so
// supabase-js): everything but letters, digits and "*-._" is percent-encoded and
// a space becomes '+'.
func searchParams(pairs ...string) string {
	enc := func(s string) string {
		var b strings.Builder
		for i := 0; i < len(s); i++ {
			c := s[i]
			switch {
			case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', strings.IndexByte("*-._", c) >= 0:
				b.WriteByte(c)
			case c == ' ':
				b.WriteByte('+')
			default:
				b.WriteString("%" + strings.ToUpper(string("0123456789abcdef"[c>>4])+string("0123456789abcdef"[c&15])))
			}
		}
		return b.String()
	}
	var parts []string
	for i := 0; i+1 < len(pairs); i += 2 {
		parts = append(parts, enc(pairs[i])+"="+enc(pairs[i+1]))
	}
	return strings.Join(parts, "&")
}

func headers(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Add(kv[i], kv[i+1])
	}
	return h
}

// base is the Request every test starts from: select=* and nothing else.
func base() query.Request {
	return query.Request{
		Select:      []query.SelectItem{star()},
		Range:       query.Range{Limit: query.NoLimit},
		Accept:      query.MediaType{Kind: query.MediaJSON},
		ContentType: query.MediaType{Kind: query.MediaJSON},
	}
}

// TestSupabaseJSRequests replays the Data API requests of Appendix A of
// supabase-wire.md, as captured from supabase-js 2.109 and encoded as on the wire.
func TestSupabaseJSRequests(t *testing.T) {
	t.Parallel()
	const key = "sb_publishable_TESTKEY"
	auth := []string{"apikey", key, "Authorization", "Bearer " + key}
	tests := []struct {
		name    string
		method  string
		rpc     bool
		query   string
		headers []string
		want    func() query.Request
	}{
		{
			name:   "select, eq, in, or, order, range",
			method: "GET",
			query: searchParams("select", "id,task,user:profiles!todos_user_id_fkey(name)", "done", "eq.false",
				"id", `in.(1,2,"a,b")`, "or", "(a.eq.1,b.is.null)", "order", "id.desc.nullsfirst", "offset", "0", "limit", "10"),
			headers: []string{"Accept-Profile", "public"},
			want: func() query.Request {
				r := base()
				r.Select = []query.SelectItem{field("id"), field("task"),
					{Kind: query.ItemEmbed, Alias: "user", Relation: "profiles", Hint: "todos_user_id_fkey", Children: []query.SelectItem{field("name")}}}
				r.Filters = []query.Filter{
					{Field: col("done"), Op: query.OpEq, Value: "false"},
					{Field: col("id"), Op: query.OpIn, List: []string{"1", "2", "a,b"}},
				}
				r.Logic = []query.Logic{{Tree: node(query.LogicOr, eq("a", "1"),
					leaf(query.Filter{Field: col("b"), Op: query.OpIs, Is: query.IsNull}))}}
				r.Orders = []query.Order{{Terms: []query.OrderTerm{{Field: col("id"), Direction: query.DirDesc, Nulls: query.NullsFirst}}}}
				r.Range = query.Range{Offset: 0, Limit: 10}
				r.Canonical = "done=eq.false&id=in.%281%2C2%2C%22a%2Cb%22%29&limit=10&offset=0&or=%28a.eq.1%2Cb.is.null%29" +
					"&order=id.desc.nullsfirst&select=id%2Ctask%2Cuser%3Aprofiles%21todos_user_id_fkey%28name%29"
				return r
			},
		},
		{
			name:    "head with count",
			method:  "HEAD",
			query:   searchParams("select", "*"),
			headers: []string{"Accept-Profile", "public", "Prefer", "count=exact"},
			want: func() query.Request {
				r := base()
				r.Prefer.Count = query.CountExact
				r.Canonical = "select=%2A"
				return r
			},
		},
		{
			name:    "insert one row",
			method:  "POST",
			headers: []string{"Content-Profile", "public", "Content-Type", "application/json"},
			want:    base,
		},
		{
			name:   "insert array with select and single",
			method: "POST",
			query:  `columns="task","done"&select=*`,
			headers: []string{"Accept", "application/vnd.pgrst.object+json", "Content-Profile", "public",
				"Content-Type", "application/json", "Prefer", "return=representation"},
			want: func() query.Request {
				r := base()
				r.Columns = []string{"task", "done"}
				r.Prefer.Return = query.ReturnRepresentation
				r.Accept = query.MediaType{Kind: query.MediaObject}
				r.Canonical = "columns=%22task%22%2C%22done%22&select=%2A"
				return r
			},
		},
		{
			name:   "upsert",
			method: "POST",
			query:  searchParams("on_conflict", "id"),
			headers: []string{"Content-Profile", "public", "Content-Type", "application/json",
				"Prefer", "resolution=merge-duplicates, missing=default"},
			want: func() query.Request {
				r := base()
				r.OnConflict = []string{"id"}
				r.Prefer.Resolution = query.ResolutionMergeDuplicates
				r.Prefer.Missing = query.MissingDefault
				r.Canonical = "on_conflict=id"
				return r
			},
		},
		{
			name:    "update with select",
			method:  "PATCH",
			query:   searchParams("id", "eq.1", "select", "id"),
			headers: []string{"Content-Profile", "public", "Content-Type", "application/json", "Prefer", "return=representation"},
			want: func() query.Request {
				r := base()
				r.Select = []query.SelectItem{field("id")}
				r.Filters = []query.Filter{{Field: col("id"), Op: query.OpEq, Value: "1"}}
				r.Prefer.Return = query.ReturnRepresentation
				r.Canonical = "id=eq.1&select=id"
				return r
			},
		},
		{
			name:    "delete with count",
			method:  "DELETE",
			query:   searchParams("id", "eq.1"),
			headers: []string{"Content-Profile", "public", "Content-Type", "application/json", "Prefer", "count=exact"},
			want: func() query.Request {
				r := base()
				r.Filters = []query.Filter{{Field: col("id"), Op: query.OpEq, Value: "1"}}
				r.Prefer.Count = query.CountExact
				r.Canonical = "id=eq.1"
				return r
			},
		},
		{
			name:   "maybeSingle",
			method: "GET",
			query:  searchParams("select", "*", "id", "eq.1"),
			want: func() query.Request {
				r := base()
				r.Filters = []query.Filter{{Field: col("id"), Op: query.OpEq, Value: "1"}}
				r.Canonical = "id=eq.1&select=%2A"
				return r
			},
		},
		{
			name:   "textSearch, contains, not",
			method: "GET",
			query:  searchParams("select", "*", "body", "wfts(english).'cat' & 'dog'", "tags", "cs.{a,b}", "x", "not.is.null"),
			want: func() query.Request {
				r := base()
				r.Filters = []query.Filter{
					{Field: col("body"), Op: query.OpWebFTS, Language: "english", Value: "'cat' & 'dog'"},
					{Field: col("tags"), Op: query.OpContains, Value: "{a,b}"},
					{Field: col("x"), Negate: true, Op: query.OpIs, Is: query.IsNull},
				}
				r.Canonical = "body=wfts%28english%29.%27cat%27%20%26%20%27dog%27&select=%2A&tags=cs.%7Ba%2Cb%7D&x=not.is.null"
				return r
			},
		},
		{
			name:    "rpc post",
			method:  "POST",
			rpc:     true,
			headers: []string{"Content-Profile", "public", "Content-Type", "application/json"},
			want:    base,
		},
		{
			name:    "rpc get with args",
			method:  "GET",
			rpc:     true,
			query:   searchParams("a", "1", "arr", "{1,2}"),
			headers: []string{"Accept-Profile", "public", "Prefer", "count=exact"},
			want: func() query.Request {
				r := base()
				r.Args = []query.Arg{{Name: "a", Value: "1"}, {Name: "arr", Value: "{1,2}"}}
				r.Prefer.Count = query.CountExact
				r.Canonical = "a=1&arr=%7B1%2C2%7D"
				return r
			},
		},
		{
			name:    "select after sign-in",
			method:  "GET",
			query:   searchParams("select", "id"),
			headers: []string{"Accept-Profile", "public"},
			want: func() query.Request {
				r := base()
				r.Select = []query.SelectItem{field("id")}
				r.Canonical = "select=id"
				return r
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := headers(append(append([]string{}, auth...), tt.headers...)...)
			got, err := query.ParseRequest(query.SplitQuery(tt.query), h, query.Options{Method: tt.method, RPC: tt.rpc})
			if err != nil {
				t.Fatalf("ParseRequest(%q): %v", tt.query, err)
			}
			assertEqual(t, *got, tt.want())
		})
	}
}

func TestParseRequestClassification(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		query string
		opts  query.Options
		check func(t *testing.T, r *query.Request)
	}{
		{"apikey is not a filter", "apikey=sb_publishable_x&id=eq.1", query.Options{}, func(t *testing.T, r *query.Request) {
			assertEqual(t, r.Filters, []query.Filter{{Field: col("id"), Op: query.OpEq, Value: "1"}})
			assertEqual(t, r.Canonical, "id=eq.1")
		}},
		{"bare keys are ignored", "id&order", query.Options{}, func(t *testing.T, r *query.Request) {
			assertEqual(t, r.Filters, nil)
			assertEqual(t, r.Orders, nil)
		}},
		{"bare select means the default", "select&select=id", query.Options{}, func(t *testing.T, r *query.Request) {
			assertEqual(t, r.Select, []query.SelectItem{star()})
		}},
		{"first select wins", "select=id&select=name", query.Options{}, func(t *testing.T, r *query.Request) {
			assertEqual(t, r.Select, []query.SelectItem{field("id")})
		}},
		{"empty select", "select=", query.Options{}, func(t *testing.T, r *query.Request) {
			assertEqual(t, r.Select, []query.SelectItem{})
		}},
		{"repeated filters are kept", "id=gt.1&id=lt.5", query.Options{}, func(t *testing.T, r *query.Request) {
			assertEqual(t, r.Filters, []query.Filter{
				{Field: col("id"), Op: query.OpGt, Value: "1"}, {Field: col("id"), Op: query.OpLt, Value: "5"}})
			assertEqual(t, r.Canonical, "id=gt.1,lt.5")
		}},
		{"embedded modifiers", "select=*,rel(*)&rel.order=id.desc&rel.limit=2&rel.offset=1&rel.or=(a.eq.1)&rel.not.and=(b.eq.2)&rel.col=eq.3",
			query.Options{}, func(t *testing.T, r *query.Request) {
				assertEqual(t, r.Orders, []query.Order{{Path: []string{"rel"}, Terms: []query.OrderTerm{{Field: col("id"), Direction: query.DirDesc}}}})
				assertEqual(t, r.EmbedRanges, []query.Range{{Path: []string{"rel"}, Offset: 1, Limit: 2}})
				assertEqual(t, r.Range, query.Range{Limit: query.NoLimit})
				assertEqual(t, r.Logic, []query.Logic{
					{Path: []string{"rel"}, Tree: node(query.LogicOr, eq("a", "1"))},
					{Path: []string{"rel"}, Tree: notNode(query.LogicAnd, eq("b", "2"))},
				})
				assertEqual(t, r.Filters, []query.Filter{{Path: []string{"rel"}, Field: col("col"), Op: query.OpEq, Value: "3"}})
			}},
		{"nested embed modifiers", "a.b.limit=5&a.b.order=x", query.Options{}, func(t *testing.T, r *query.Request) {
			assertEqual(t, r.EmbedRanges, []query.Range{{Path: []string{"a", "b"}, Limit: 5}})
			assertEqual(t, r.Orders[0].Path, []string{"a", "b"})
		}},
		{"first order per path wins", "order=a&order=b&rel.order=c", query.Options{}, func(t *testing.T, r *query.Request) {
			assertEqual(t, r.Orders, []query.Order{
				{Terms: []query.OrderTerm{{Field: col("a")}}},
				{Path: []string{"rel"}, Terms: []query.OrderTerm{{Field: col("c")}}},
			})
		}},
		{"last limit wins", "limit=5&limit=7", query.Options{}, func(t *testing.T, r *query.Request) {
			assertEqual(t, r.Range, query.Range{Limit: 7})
		}},
		{"not.or at top level", "not.or=(a.eq.1,b.eq.2)", query.Options{}, func(t *testing.T, r *query.Request) {
			assertEqual(t, r.Logic, []query.Logic{{Tree: notNode(query.LogicOr, eq("a", "1"), eq("b", "2"))}})
		}},
		{"reserved only at top level", "rel.select=eq.1", query.Options{}, func(t *testing.T, r *query.Request) {
			assertEqual(t, r.Filters, []query.Filter{{Path: []string{"rel"}, Field: col("select"), Op: query.OpEq, Value: "1"}})
		}},
		{"columns with spaces and quotes", `columns=a, "b c" ,d`, query.Options{}, func(t *testing.T, r *query.Request) {
			assertEqual(t, r.Columns, []string{"a", "b c", "d"})
		}},
		{"on_conflict list", "on_conflict=a,b", query.Options{}, func(t *testing.T, r *query.Request) {
			assertEqual(t, r.OnConflict, []string{"a", "b"})
		}},
		{"plus is a space", "name=eq.John+Smith&x=eq.a%2Bb", query.Options{}, func(t *testing.T, r *query.Request) {
			assertEqual(t, r.Filters[0].Value, "John Smith")
			assertEqual(t, r.Filters[1].Value, "a+b")
		}},
		{"semicolon separates", "a=eq.1;b=eq.2", query.Options{}, func(t *testing.T, r *query.Request) {
			assertEqual(t, len(r.Filters), 2)
		}},
		{"rpc args and filters", "a=1&b=eq.2&arr={1,2}&name=John", query.Options{RPC: true}, func(t *testing.T, r *query.Request) {
			assertEqual(t, r.Args, []query.Arg{{Name: "a", Value: "1"}, {Name: "arr", Value: "{1,2}"}, {Name: "name", Value: "John"}})
			assertEqual(t, r.Filters, []query.Filter{{Field: col("b"), Op: query.OpEq, Value: "2"}})
		}},
		{"rpc head takes args", "a=1", query.Options{RPC: true, Method: "HEAD"}, func(t *testing.T, r *query.Request) {
			assertEqual(t, r.Args, []query.Arg{{Name: "a", Value: "1"}})
		}},
		{"rpc empty arg", "a=", query.Options{RPC: true}, func(t *testing.T, r *query.Request) {
			assertEqual(t, r.Args, []query.Arg{{Name: "a", Value: ""}})
		}},
		{"content type", "", query.Options{}, func(t *testing.T, r *query.Request) {
			assertEqual(t, r.ContentType, query.MediaType{Kind: query.MediaJSON})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, err := query.ParseRequest(query.SplitQuery(tt.query), nil, tt.opts)
			if err != nil {
				t.Fatalf("ParseRequest(%q): %v", tt.query, err)
			}
			tt.check(t, r)
		})
	}
}

func TestParseRequestRanges(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		query  string
		method string
		rangeH string
		want   query.Range
	}{
		{"none", "", "GET", "", query.Range{Limit: query.NoLimit}},
		{"limit", "limit=10", "GET", "", query.Range{Limit: 10}},
		{"offset", "offset=5", "GET", "", query.Range{Offset: 5, Limit: query.NoLimit}},
		{"limit and offset", "offset=20&limit=10", "GET", "", query.Range{Offset: 20, Limit: 10}},
		{"limit zero", "limit=0", "GET", "", query.Range{Limit: 0}},
		{"non-numeric limit ignored", "limit=abc", "GET", "", query.Range{Limit: query.NoLimit}},
		{"non-numeric offset ignored", "offset=x&limit=3", "GET", "", query.Range{Limit: 3}},
		{"limit with spaces", "limit=+7+", "GET", "", query.Range{Limit: 7}},
		{"huge limit saturates", "limit=99999999999999999999", "GET", "", query.Range{Limit: 9223372036854775807}},
		{"range header", "", "GET", "0-9", query.Range{Limit: 10}},
		{"open range header", "", "GET", "10-", query.Range{Offset: 10, Limit: query.NoLimit}},
		{"range header and limit intersect", "limit=5", "GET", "2-9", query.Range{Offset: 2, Limit: 3}},
		{"range header within offset", "offset=3&limit=100", "GET", "0-9", query.Range{Offset: 3, Limit: 7}},
		{"limit zero wins over header", "limit=0", "GET", "0-9", query.Range{Limit: 0}},
		{"malformed range header ignored", "", "GET", "items=0-9", query.Range{Limit: query.NoLimit}},
		{"range header with spaces ignored", "", "GET", "0 - 9", query.Range{Limit: query.NoLimit}},
		{"range header ignored on HEAD", "", "HEAD", "0-9", query.Range{Limit: query.NoLimit}},
		{"range header ignored on PATCH", "limit=3", "PATCH", "0-0", query.Range{Limit: 3}},
		{"empty method is GET", "", "", "5-5", query.Range{Offset: 5, Limit: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := headers("Range-Unit", "items")
			if tt.rangeH != "" {
				h.Set("Range", tt.rangeH)
			}
			r, err := query.ParseRequest(query.SplitQuery(tt.query), h, query.Options{Method: tt.method})
			if err != nil {
				t.Fatalf("ParseRequest: %v", err)
			}
			assertEqual(t, r.Range, tt.want)
		})
	}
}

func TestParseRequestErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		query    string
		headers  []string
		opts     query.Options
		sentinel *query.Error
		status   int
		message  string
		details  string
	}{
		{"bad select", "select=a,", nil, query.Options{}, query.ErrQueryParam, 400, `"failed to parse select parameter (a,)"`, ""},
		{"bad filter", "id=val", nil, query.Options{}, query.ErrQueryParam, 400, `"failed to parse filter (val)"`, ""},
		{"empty filter", "id=", nil, query.Options{}, query.ErrQueryParam, 400, `"failed to parse filter ()"`, ""},
		{"bad order", "order=id.up", nil, query.Options{}, query.ErrQueryParam, 400, `"failed to parse order (id.up)"`, ""},
		{"bad logic", "or=(a)", nil, query.Options{}, query.ErrQueryParam, 400, `"failed to parse logic tree ((a))"`, ""},
		{"bad columns", "columns=a,,b", nil, query.Options{}, query.ErrQueryParam, 400, `"failed to parse columns parameter (a,,b)"`, ""},
		{"bad on_conflict", "on_conflict=", nil, query.Options{}, query.ErrQueryParam, 400, `"failed to parse on_conflict parameter ()"`, ""},
		{"order checked before select", "select=(&order=(", nil, query.Options{}, query.ErrQueryParam, 400, `"failed to parse order`, ""},
		{"rpc arg that commits to an operator", "a=in.1", nil, query.Options{RPC: true}, query.ErrQueryParam, 400, `"failed to parse filter (in.1)"`, ""},
		{"rpc arg with not", "a=not.x", nil, query.Options{RPC: true}, query.ErrQueryParam, 400, `"failed to parse filter (not.x)"`, ""},
		{"rpc post has no args", "a=1", nil, query.Options{RPC: true, Method: "POST"}, query.ErrQueryParam, 400, `"failed to parse filter (1)"`, ""},
		{"negative limit", "limit=-1", nil, query.Options{}, query.ErrInvalidRange, 416, "Requested range not satisfiable",
			"Limit should be greater than or equal to zero."},
		{"negative embedded limit", "rel.limit=-2", nil, query.Options{}, query.ErrInvalidRange, 416, "Requested range not satisfiable", ""},
		{"negative offset", "offset=-1", nil, query.Options{}, query.ErrNegativeOffset, 400, "OFFSET must not be negative", ""},
		{"range lower above upper", "", []string{"Range", "9-0"}, query.Options{}, query.ErrInvalidRange, 416, "Requested range not satisfiable",
			"The lower boundary must be lower than or equal to the upper boundary in the Range header."},
		{"range outside offset", "offset=20&limit=5", []string{"Range", "0-9"}, query.Options{}, query.ErrInvalidRange, 416,
			"Requested range not satisfiable", "Limit should be greater than or equal to zero."},
		{"limit on PUT", "limit=1", nil, query.Options{Method: "PUT"}, query.ErrPutRange, 400,
			"limit/offset querystring parameters are not allowed for PUT", ""},
		{"strict preferences", "", []string{"Prefer", "handling=strict, nope"}, query.Options{}, query.ErrInvalidPreferences, 400,
			"Invalid preferences given with handling=strict", "Invalid preferences: nope"},
		{"unacceptable", "", []string{"Accept", "text/html"}, query.Options{}, query.ErrMediaType, 406,
			"None of these media types are available: text/html", ""},
		{"bad range key", "a->.limit=1", nil, query.Options{}, query.ErrQueryParam, 400, `"failed to parse tree path (a->.limit)"`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := query.ParseRequest(query.SplitQuery(tt.query), headers(tt.headers...), tt.opts)
			qe := wantError(t, err, tt.sentinel, tt.status, tt.message)
			if tt.details != "" && qe.Details != tt.details {
				t.Errorf("details = %q, want %q", qe.Details, tt.details)
			}
		})
	}
}

func TestParse(t *testing.T) {
	t.Parallel()
	u, err := url.Parse("/rest/v1/todos?select=id&order=id&id=eq.1&apikey=k&limit=1")
	if err != nil {
		t.Fatal(err)
	}
	r, err := query.Parse(u.Query(), headers("Accept", "*/*"))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	want := base()
	want.Select = []query.SelectItem{field("id")}
	want.Filters = []query.Filter{{Field: col("id"), Op: query.OpEq, Value: "1"}}
	want.Orders = []query.Order{{Terms: []query.OrderTerm{{Field: col("id")}}}}
	want.Range = query.Range{Limit: 1}
	want.Canonical = "id=eq.1&limit=1&order=id&select=id"
	assertEqual(t, *r, want)
}

func TestSplitQuery(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		raw  string
		want []query.Param
	}{
		{"empty", "", nil},
		{"leading question mark", "?a=1", []query.Param{{Key: "a", Value: "1", HasValue: true}}},
		{"order kept", "b=2&a=1", []query.Param{{Key: "b", Value: "2", HasValue: true}, {Key: "a", Value: "1", HasValue: true}}},
		{"bare key", "a&b=", []query.Param{{Key: "a"}, {Key: "b", HasValue: true}}},
		{"plus and percent", "a=x+y%2Bz%20w", []query.Param{{Key: "a", Value: "x y+z w", HasValue: true}}},
		{"bad escape kept", "a=100%&b=%zz%4", []query.Param{{Key: "a", Value: "100%", HasValue: true}, {Key: "b", Value: "%zz%4", HasValue: true}}},
		{"semicolon", "a=1;b=2", []query.Param{{Key: "a", Value: "1", HasValue: true}, {Key: "b", Value: "2", HasValue: true}}},
		{"equals in value", "a=eq.x=y", []query.Param{{Key: "a", Value: "eq.x=y", HasValue: true}}},
		{"empty pair", "a=1&&b=2&", []query.Param{{Key: "a", Value: "1", HasValue: true}, {}, {Key: "b", Value: "2", HasValue: true}}},
		{"encoded key", "rel%2Eorder=id", []query.Param{{Key: "rel.order", Value: "id", HasValue: true}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assertEqual(t, query.SplitQuery(tt.raw), tt.want)
		})
	}
}

func TestErrorJSON(t *testing.T) {
	t.Parallel()
	_, err := query.ParseFilter("id", "noop.1")
	b, jerr := json.Marshal(err)
	if jerr != nil {
		t.Fatal(jerr)
	}
	want := `{"code":"PGRST100","details":"unexpected \"o\" expecting \"not\" or operator (eq, gt, ...)","hint":null,` +
		`"message":"\"failed to parse filter (noop.1)\" (line 1, column 1)"}`
	if string(b) != want {
		t.Errorf("JSON = %s\nwant   %s", b, want)
	}
	_, err = query.Negotiate(query.ParseAccept("text/html"), query.Options{})
	b, _ = json.Marshal(err)
	want = `{"code":"PGRST107","details":null,"hint":null,"message":"None of these media types are available: text/html"}`
	if string(b) != want {
		t.Errorf("JSON = %s\nwant   %s", b, want)
	}
	if got := err.Error(); got != "PGRST107: None of these media types are available: text/html" {
		t.Errorf("Error() = %q", got)
	}
}
