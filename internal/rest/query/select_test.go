package query_test

import (
	"net/http"
	"testing"

	"github.com/creatorbase/creatorbase/internal/rest/query"
)

func TestParseSelect(t *testing.T) {
	t.Parallel()
	withAlias := func(it query.SelectItem, alias string) query.SelectItem { it.Alias = alias; return it }
	tests := []struct {
		name  string
		input string
		want  []query.SelectItem
	}{
		{"empty", "", []query.SelectItem{}},
		{"star", "*", []query.SelectItem{star()}},
		{"columns", "id,name", []query.SelectItem{field("id"), field("name")}},
		{"whitespace around items", " id , name ", []query.SelectItem{field("id"), field("name")}},
		{"tab around items", "id\t,\tname", []query.SelectItem{field("id"), field("name")}},
		{"space inside identifier", "first name", []query.SelectItem{field("first name")}},
		{"dash in identifier", "my-col", []query.SelectItem{field("my-col")}},
		{"digits and dollar", "_1$x,123", []query.SelectItem{field("_1$x"), field("123")}},
		{"unicode letters", "prénom", []query.SelectItem{field("prénom")}},
		{"quoted identifier", `"a,b(c)"`, []query.SelectItem{field("a,b(c)")}},
		{"quoted with escapes", `"a\"b\\c"`, []query.SelectItem{field(`a"b\c`)}},
		{"quoted keeps spaces", `" x "`, []query.SelectItem{field(" x ")}},
		{"alias", "alias:col", []query.SelectItem{withAlias(field("col"), "alias")}},
		{"alias with space after colon", "alias: col", []query.SelectItem{withAlias(field("col"), "alias")}},
		{"quoted alias", `"my alias":col`, []query.SelectItem{withAlias(field("col"), "my alias")}},
		{"cast", "col::text", []query.SelectItem{{Kind: query.ItemField, Field: col("col"), Cast: "text"}}},
		{"cast with spaces", "ts::timestamp with time zone", []query.SelectItem{{Kind: query.ItemField, Field: col("ts"), Cast: "timestamp with time zone"}}},
		{"alias and cast", "a:col::int", []query.SelectItem{{Kind: query.ItemField, Alias: "a", Field: col("col"), Cast: "int"}}},
		{"json arrow", "data->a", []query.SelectItem{{Kind: query.ItemField, Field: jpath("data", "->", "a")}}},
		{"json path mixed", "data->a->>b", []query.SelectItem{{Kind: query.ItemField, Field: jpath("data", "->", "a", "->>", "b")}}},
		{"json index", "data->0->>1", []query.SelectItem{{Kind: query.ItemField, Field: jpath("data", "->", "0", "->>", "1")}}},
		{"json negative index", "data->-1", []query.SelectItem{{Kind: query.ItemField, Field: jpath("data", "->", "-1")}}},
		{"json index then cast", "data->0::int", []query.SelectItem{{Kind: query.ItemField, Field: jpath("data", "->", "0"), Cast: "int"}}},
		{"json index then comma", "data->0,x", []query.SelectItem{{Kind: query.ItemField, Field: jpath("data", "->", "0")}, field("x")}},
		{"json digits before paren are a key", "rel(data->0)", []query.SelectItem{
			embed("rel", query.SelectItem{Kind: query.ItemField, Field: query.Field{Name: "data", JSONPath: []query.JSONStep{jkey(query.ArrowJSON, "0")}}}),
		}},
		{"json key with symbols", "data->!@#$%^&*_a", []query.SelectItem{{Kind: query.ItemField, Field: jpath("data", "->", "!@#$%^&*_a")}}},
		{"json key with dash", "data->a-b", []query.SelectItem{{Kind: query.ItemField, Field: jpath("data", "->", "a-b")}}},
		{"json quoted key", `data->"a.b"`, []query.SelectItem{{Kind: query.ItemField, Field: jpath("data", "->", "a.b")}}},
		{"json alias and cast", "x:data->>a::int", []query.SelectItem{{Kind: query.ItemField, Alias: "x", Field: jpath("data", "->>", "a"), Cast: "int"}}},
		{"count()", "count()", []query.SelectItem{{Kind: query.ItemField, Field: col("*"), Aggregate: query.AggCount}}},
		{"aliased count() with cast", "total:count()::int", []query.SelectItem{{Kind: query.ItemField, Alias: "total", Field: col("*"), Aggregate: query.AggCount, AggregateCast: "int"}}},
		{"column called count", "count", []query.SelectItem{field("count")}},
		{"sum", "amount.sum()", []query.SelectItem{{Kind: query.ItemField, Field: col("amount"), Aggregate: query.AggSum}}},
		{"every aggregate", "a.avg(),b.count(),c.max(),d.min()", []query.SelectItem{
			{Kind: query.ItemField, Field: col("a"), Aggregate: query.AggAvg},
			{Kind: query.ItemField, Field: col("b"), Aggregate: query.AggCount},
			{Kind: query.ItemField, Field: col("c"), Aggregate: query.AggMax},
			{Kind: query.ItemField, Field: col("d"), Aggregate: query.AggMin},
		}},
		{"aggregate with both casts", "s:amount::numeric.sum()::text", []query.SelectItem{
			{Kind: query.ItemField, Alias: "s", Field: col("amount"), Cast: "numeric", Aggregate: query.AggSum, AggregateCast: "text"},
		}},
		{"embed", "rel(*)", []query.SelectItem{embed("rel", star())}},
		{"empty embed", "rel()", []query.SelectItem{embed("rel")}},
		{"blank embed", "rel( )", []query.SelectItem{embed("rel")}},
		{"embed with spaces inside", "rel( a , b )", []query.SelectItem{embed("rel", field("a"), field("b"))}},
		{"aliased embed", "user:profiles(name)", []query.SelectItem{withAlias(embed("profiles", field("name")), "user")}},
		{"embed hint", "rel!fk_name(*)", []query.SelectItem{{Kind: query.ItemEmbed, Relation: "rel", Hint: "fk_name", Children: []query.SelectItem{star()}}}},
		{"embed inner", "rel!inner(*)", []query.SelectItem{{Kind: query.ItemEmbed, Relation: "rel", Join: query.JoinInner, Children: []query.SelectItem{star()}}}},
		{"embed left", "rel!left(*)", []query.SelectItem{{Kind: query.ItemEmbed, Relation: "rel", Join: query.JoinLeft, Children: []query.SelectItem{star()}}}},
		{"embed hint then inner", "rel!hint!inner(*)", []query.SelectItem{{Kind: query.ItemEmbed, Relation: "rel", Hint: "hint", Join: query.JoinInner, Children: []query.SelectItem{star()}}}},
		{"embed inner then hint", "a:rel!inner!hint(*)", []query.SelectItem{{Kind: query.ItemEmbed, Alias: "a", Relation: "rel", Hint: "hint", Join: query.JoinInner, Children: []query.SelectItem{star()}}}},
		{"quoted hint named inner", `rel!"inner"(*)`, []query.SelectItem{{Kind: query.ItemEmbed, Relation: "rel", Hint: "inner", Children: []query.SelectItem{star()}}}},
		{"first of two hints wins", "rel!a!b(*)", []query.SelectItem{{Kind: query.ItemEmbed, Relation: "rel", Hint: "a", Children: []query.SelectItem{star()}}}},
		{"spread", "...rel(a,b)", []query.SelectItem{{Kind: query.ItemSpread, Relation: "rel", Children: []query.SelectItem{field("a"), field("b")}}}},
		{"spread with hint and join", "...rel!hint!inner(*)", []query.SelectItem{{Kind: query.ItemSpread, Relation: "rel", Hint: "hint", Join: query.JoinInner, Children: []query.SelectItem{star()}}}},
		{"nested embeds", "*,client(*,nested(*,deeper(id)))", []query.SelectItem{
			star(),
			embed("client", star(), embed("nested", star(), embed("deeper", field("id")))),
		}},
		{"spread inside embed", "id,film(title,...director(name))", []query.SelectItem{
			field("id"),
			embed("film", field("title"), query.SelectItem{Kind: query.ItemSpread, Relation: "director", Children: []query.SelectItem{field("name")}}),
		}},
		{"supabase-js default", "id,task,user:profiles!todos_user_id_fkey(name)", []query.SelectItem{
			field("id"), field("task"),
			{Kind: query.ItemEmbed, Alias: "user", Relation: "profiles", Hint: "todos_user_id_fkey", Children: []query.SelectItem{field("name")}},
		}},
		{"aggregates in embed", "orders(amount.sum(),count())", []query.SelectItem{
			embed("orders",
				query.SelectItem{Kind: query.ItemField, Field: col("amount"), Aggregate: query.AggSum},
				query.SelectItem{Kind: query.ItemField, Field: col("*"), Aggregate: query.AggCount}),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := query.ParseSelect(tt.input)
			if err != nil {
				t.Fatalf("ParseSelect(%q): %v", tt.input, err)
			}
			assertEqual(t, got, tt.want)
			again, err := query.ParseSelect(query.FormatSelect(got))
			if err != nil {
				t.Fatalf("re-parse of %q: %v", query.FormatSelect(got), err)
			}
			assertEqual(t, again, got)
		})
	}
}

func TestParseSelectErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		input   string
		message string
		details string
	}{
		{"bracket", "id,clients(name[])", `"failed to parse select parameter (id,clients(name[]))" (line 1, column 16)`,
			`unexpected "[" expecting "-", "->", "::", ".", ",", ")" or end of input`},
		{"bad negative index", "data->>-78xy", `"failed to parse select parameter (data->>-78xy)" (line 1, column 11)`,
			`unexpected "x" expecting digit, "->", "::", ".", "," or end of input`},
		{"double dash index", "data->>--34", `"failed to parse select parameter (data->>--34)" (line 1, column 9)`, `unexpected "-" expecting digit`},
		{"hint on a column", "name!hint", `"failed to parse select parameter (name!hint)" (line 1, column 5)`, ""},
		{"star with hint", "*!hint", `"failed to parse select parameter (*!hint)" (line 1, column 2)`, `unexpected "!" expecting ",", ")" or end of input`},
		{"empty cast", "name::", `"failed to parse select parameter (name::)" (line 1, column 7)`, `unexpected end of input expecting letter or digit`},
		{"trailing comma", "a,", `"failed to parse select parameter (a,)" (line 1, column 3)`, ""},
		{"unbalanced close", "a)", `"failed to parse select parameter (a))" (line 1, column 2)`, `unexpected ")" expecting "," or end of input`},
		{"unclosed embed", "rel(a", `"failed to parse select parameter (rel(a)" (line 1, column 6)`, ""},
		{"json path on embed", "rel->x(*)", `"failed to parse select parameter (rel->x(*))" (line 1, column 7)`, ""},
		{"count as relation", "count(*)", `"failed to parse select parameter (count(*))" (line 1, column 6)`, ""},
		{"alias on spread", "a:...rel(*)", `"failed to parse select parameter (a:...rel(*))" (line 1, column 3)`, ""},
		{"spread without parens", "...rel", `"failed to parse select parameter (...rel)" (line 1, column 7)`, ""},
		{"unknown aggregate", "a.median()", `"failed to parse select parameter (a.median())" (line 1, column 2)`, ""},
		{"unterminated quote", `"abc`, `"failed to parse select parameter (\"abc)" (line 1, column 5)`, `unexpected end of input expecting "\""`},
		{"non-ascii shown like haskell", "é!", `"failed to parse select parameter (\233!)" (line 1, column 2)`, ""},
		{"tab counts to next stop", "\tx!", `"failed to parse select parameter (\tx!)" (line 1, column 10)`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := query.ParseSelect(tt.input)
			qe := wantError(t, err, query.ErrQueryParam, http.StatusBadRequest, tt.message)
			if qe.Message != tt.message {
				t.Errorf("message = %q, want %q", qe.Message, tt.message)
			}
			if tt.details != "" && qe.Details != tt.details {
				t.Errorf("details = %q, want %q", qe.Details, tt.details)
			}
		})
	}
}

func TestSelectDeepNesting(t *testing.T) {
	t.Parallel()
	deep := ""
	for range 100 {
		deep += "a("
	}
	for range 100 {
		deep += ")"
	}
	_, err := query.ParseSelect(deep)
	wantError(t, err, query.ErrQueryParam, http.StatusBadRequest, `"failed to parse select parameter`)
}

func TestFieldOutputName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		field query.Field
		want  string
	}{
		{"column", col("id"), "id"},
		{"last key", jpath("data", "->", "a", "->>", "b"), "b"},
		{"last key before an index", jpath("data", "->", "a", "->", "0"), "a"},
		{"only indexes", jpath("data", "->", "0"), "data"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.field.OutputName(); got != tt.want {
				t.Errorf("OutputName() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSelectItemString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		item query.SelectItem
		want string
	}{
		{"star", star(), "*"},
		{"quoted star column with cast", query.SelectItem{Field: col("*"), Cast: "text"}, `"*"::text`},
		{"name needing quotes", field("a b"), `"a b"`},
		{"hint named left", query.SelectItem{Kind: query.ItemEmbed, Relation: "r", Hint: "left", Children: []query.SelectItem{}}, `r!"left"()`},
		{"digit json key", query.SelectItem{Field: query.Field{Name: "d", JSONPath: []query.JSONStep{jkey(query.ArrowText, "0")}}}, `d->>"0"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.item.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
			if !tt.item.IsStar() && tt.want == "*" {
				t.Errorf("IsStar() = false")
			}
		})
	}
}
