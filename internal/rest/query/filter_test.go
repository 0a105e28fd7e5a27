package query_test

import (
	"net/http"
	"testing"

	"github.com/creatorbase/creatorbase/internal/rest/query"
)

func TestParseFilter(t *testing.T) {
	t.Parallel()
	simple := func(op query.Operator, value string) query.Filter {
		return query.Filter{Field: col("c"), Op: op, Value: value}
	}
	tests := []struct {
		name       string
		key, value string
		want       query.Filter
	}{
		// Every operator of §2.3.
		{"eq", "c", "eq.1", simple(query.OpEq, "1")},
		{"neq", "c", "neq.1", simple(query.OpNeq, "1")},
		{"gt", "c", "gt.1", simple(query.OpGt, "1")},
		{"gte", "c", "gte.1", simple(query.OpGte, "1")},
		{"lt", "c", "lt.1", simple(query.OpLt, "1")},
		{"lte", "c", "lte.1", simple(query.OpLte, "1")},
		{"like keeps stars", "c", "like.*a*", simple(query.OpLike, "*a*")},
		{"ilike", "c", "ilike.A%", simple(query.OpILike, "A%")},
		{"match", "c", "match.^a.*$", simple(query.OpMatch, "^a.*$")},
		{"imatch", "c", "imatch.^A", simple(query.OpIMatch, "^A")},
		{"isdistinct", "c", "isdistinct.x", simple(query.OpIsDistinct, "x")},
		{"cs array", "tags", "cs.{a,b}", query.Filter{Field: col("tags"), Op: query.OpContains, Value: "{a,b}"}},
		{"cs json", "c", `cs.{"a":1}`, simple(query.OpContains, `{"a":1}`)},
		{"cd", "c", "cd.{1,2}", simple(query.OpContained, "{1,2}")},
		{"ov", "c", "ov.[1,5)", simple(query.OpOverlap, "[1,5)")},
		{"sl", "c", "sl.(1,10)", simple(query.OpStrictLeft, "(1,10)")},
		{"sr", "c", "sr.(1,10)", simple(query.OpStrictRight, "(1,10)")},
		{"nxr", "c", "nxr.(1,10)", simple(query.OpNotRight, "(1,10)")},
		{"nxl", "c", "nxl.(1,10)", simple(query.OpNotLeft, "(1,10)")},
		{"adj", "c", "adj.(1,10)", simple(query.OpAdjacent, "(1,10)")},
		{"fts", "c", "fts.cat", simple(query.OpFTS, "cat")},
		{"plfts", "c", "plfts.fat cat", simple(query.OpPlainFTS, "fat cat")},
		{"phfts", "c", "phfts.fat cat", simple(query.OpPhraseFTS, "fat cat")},
		{"wfts", "c", "wfts.fat -cat", simple(query.OpWebFTS, "fat -cat")},
		{"fts with language", "body", "wfts(english).'cat' & 'dog'",
			query.Filter{Field: col("body"), Op: query.OpWebFTS, Language: "english", Value: "'cat' & 'dog'"}},
		{"fts language trimmed", "c", "fts( simple ).x", query.Filter{Field: col("c"), Op: query.OpFTS, Language: "simple", Value: "x"}},
		{"in", "id", `in.(1,2,"a,b")`, query.Filter{Field: col("id"), Op: query.OpIn, List: []string{"1", "2", "a,b"}}},
		{"in with escapes", "c", `in.("a\"b","c\\d",e)`, query.Filter{Field: col("c"), Op: query.OpIn, List: []string{`a"b`, `c\d`, "e"}}},
		{"in with parens inside quotes", "c", `in.("(x)",y)`, query.Filter{Field: col("c"), Op: query.OpIn, List: []string{"(x)", "y"}}},
		{"in keeps inner spaces", "c", "in. ( 1, 2 )", query.Filter{Field: col("c"), Op: query.OpIn, List: []string{"1", " 2 "}}},
		{"in quote not ending element is literal", "c", `in.("a"b,c)`, query.Filter{Field: col("c"), Op: query.OpIn, List: []string{`"a"b`, "c"}}},
		{"in empty", "c", "in.()", query.Filter{Field: col("c"), Op: query.OpIn, List: []string{}}},
		{"in empty quoted", "c", `in.("")`, query.Filter{Field: col("c"), Op: query.OpIn, List: []string{}}},
		{"in with empty elements", "c", "in.(,a,)", query.Filter{Field: col("c"), Op: query.OpIn, List: []string{"", "a", ""}}},
		{"is null", "c", "is.null", query.Filter{Field: col("c"), Op: query.OpIs, Is: query.IsNull}},
		{"is not_null", "c", "is.not_null", query.Filter{Field: col("c"), Op: query.OpIs, Is: query.IsNotNull}},
		{"is true", "c", "is.true", query.Filter{Field: col("c"), Op: query.OpIs, Is: query.IsTrue}},
		{"is false", "c", "is.false", query.Filter{Field: col("c"), Op: query.OpIs, Is: query.IsFalse}},
		{"is unknown", "c", "is.unknown", query.Filter{Field: col("c"), Op: query.OpIs, Is: query.IsUnknown}},
		{"is case-insensitive", "c", "is.NuLL", query.Filter{Field: col("c"), Op: query.OpIs, Is: query.IsNull}},
		{"is NOT_NULL", "c", "is.NOT_NULL", query.Filter{Field: col("c"), Op: query.OpIs, Is: query.IsNotNull}},
		// Negation and quantifiers.
		{"not eq", "c", "not.eq.1", query.Filter{Field: col("c"), Negate: true, Op: query.OpEq, Value: "1"}},
		{"not in", "c", "not.in.(1,2)", query.Filter{Field: col("c"), Negate: true, Op: query.OpIn, List: []string{"1", "2"}}},
		{"not is null", "x", "not.is.null", query.Filter{Field: col("x"), Negate: true, Op: query.OpIs, Is: query.IsNull}},
		{"not fts", "c", "not.fts(english).cat", query.Filter{Field: col("c"), Negate: true, Op: query.OpFTS, Language: "english", Value: "cat"}},
		{"eq any", "c", "eq(any).{a,b}", query.Filter{Field: col("c"), Op: query.OpEq, Quantifier: query.QuantAny, Value: "{a,b}"}},
		{"like all", "c", "like(all).{a*,*b}", query.Filter{Field: col("c"), Op: query.OpLike, Quantifier: query.QuantAll, Value: "{a*,*b}"}},
		{"ilike any", "c", "ilike(any).{a*}", query.Filter{Field: col("c"), Op: query.OpILike, Quantifier: query.QuantAny, Value: "{a*}"}},
		{"gte all", "c", "gte(all).{1,2}", query.Filter{Field: col("c"), Op: query.OpGte, Quantifier: query.QuantAll, Value: "{1,2}"}},
		{"not match any", "c", "not.match(any).{^a}", query.Filter{Field: col("c"), Negate: true, Op: query.OpMatch, Quantifier: query.QuantAny, Value: "{^a}"}},
		// Values are verbatim at the top level.
		{"empty value", "c", "eq.", simple(query.OpEq, "")},
		{"value with dots", "c", "eq.a.b.c", simple(query.OpEq, "a.b.c")},
		{"value keeps quotes", "c", `eq."a,b"`, simple(query.OpEq, `"a,b"`)},
		{"value with parens and commas", "c", "eq.f(a,b)", simple(query.OpEq, "f(a,b)")},
		{"value looking like not", "c", "eq.not.x", simple(query.OpEq, "not.x")},
		{"js date string", "created_at", "lt.Mon Jan 01 2024 00:00:00 GMT+0000",
			query.Filter{Field: col("created_at"), Op: query.OpLt, Value: "Mon Jan 01 2024 00:00:00 GMT+0000"}},
		// Keys.
		{"json path key", "data->>a", "eq.1", query.Filter{Field: jpath("data", "->>", "a"), Op: query.OpEq, Value: "1"}},
		{"json path with index", "data->a->0", "eq.1", query.Filter{Field: jpath("data", "->", "a", "->", "0"), Op: query.OpEq, Value: "1"}},
		{"embedded", "rel.col", "eq.1", query.Filter{Path: []string{"rel"}, Field: col("col"), Op: query.OpEq, Value: "1"}},
		{"nested embed", "rel.sub.col", "eq.1", query.Filter{Path: []string{"rel", "sub"}, Field: col("col"), Op: query.OpEq, Value: "1"}},
		{"embed with json", "rel.data->>k", "eq.1", query.Filter{Path: []string{"rel"}, Field: jpath("data", "->>", "k"), Op: query.OpEq, Value: "1"}},
		{"quoted key with dot", `"a.b"`, "eq.1", query.Filter{Field: col("a.b"), Op: query.OpEq, Value: "1"}},
		{"embed null filter", "actors", "not.is.null", query.Filter{Field: col("actors"), Negate: true, Op: query.OpIs, Is: query.IsNull}},
		{"key with spaces", "first name", "eq.x", query.Filter{Field: col("first name"), Op: query.OpEq, Value: "x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := query.ParseFilter(tt.key, tt.value)
			if err != nil {
				t.Fatalf("ParseFilter(%q, %q): %v", tt.key, tt.value, err)
			}
			assertEqual(t, got, tt.want)
			k, v := got.Param()
			again, err := query.ParseFilter(k, v)
			if err != nil {
				t.Fatalf("re-parse of %q=%q: %v", k, v, err)
			}
			assertEqual(t, again, got)
		})
	}
}

func TestParseFilterErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		key, value string
		message    string
		details    string
	}{
		{"unknown operator", "a.b", "noop.0", `"failed to parse filter (noop.0)" (line 1, column 1)`,
			`unexpected "o" expecting "not" or operator (eq, gt, ...)`},
		{"no operator", "id", "val", `"failed to parse filter (val)" (line 1, column 1)`,
			`unexpected "v" expecting "not" or operator (eq, gt, ...)`},
		{"empty value", "id", "", `"failed to parse filter ()" (line 1, column 1)`,
			`unexpected end of input expecting "not" or operator (eq, gt, ...)`},
		{"operator with junk", "id", "eqx.1", `"failed to parse filter (eqx.1)" (line 1, column 3)`,
			`unexpected "x" expecting operator (eq, gt, ...)`},
		{"operator without dot", "id", "eq", `"failed to parse filter (eq)" (line 1, column 3)`,
			`unexpected end of input expecting "(" or delimiter (.)`},
		{"unknown after not", "id", "not.foo.1", `"failed to parse filter (not.foo.1)" (line 1, column 5)`,
			`unexpected "f" expecting operator (eq, gt, ...)`},
		{"double not", "id", "not.not.eq.1", `"failed to parse filter (not.not.eq.1)" (line 1, column 5)`, ""},
		{"quantifier on neq", "id", "neq(any).{1}", `"failed to parse filter (neq(any).{1})" (line 1, column 4)`, ""},
		{"bad quantifier", "id", "eq(some).{1}", `"failed to parse filter (eq(some).{1})" (line 1, column 3)`, ""},
		{"empty fts language", "id", "fts().x", `"failed to parse filter (fts().x)" (line 1, column 5)`, ""},
		{"in without parens", "id", "in.1,2", `"failed to parse filter (in.1,2)" (line 1, column 4)`, `unexpected "1" expecting "("`},
		{"in unclosed", "id", "in.(1,2", `"failed to parse filter (in.(1,2)" (line 1, column 8)`, `unexpected end of input expecting "," or ")"`},
		{"in trailing text", "id", "in.(1)x", `"failed to parse filter (in.(1)x)" (line 1, column 7)`, ""},
		{"is bad value", "id", "is.maybe", `"failed to parse filter (is.maybe)" (line 1, column 4)`,
			`unexpected "m" expecting isVal: (null, not_null, true, false, unknown)`},
		{"is trailing text", "id", "is.nullx", `"failed to parse filter (is.nullx)" (line 1, column 8)`, ""},
		{"is without value", "id", "is", `"failed to parse filter (is)" (line 1, column 3)`, ""},
		{"empty key", "", "eq.1", `"failed to parse tree path ()" (line 1, column 1)`, ""},
		{"cast in key", "a::text", "eq.1", `"failed to parse tree path (a::text)" (line 1, column 2)`, ""},
		{"junk after json path", "a.b->c.d", "eq.1", `"failed to parse tree path (a.b->c.d)" (line 1, column 7)`, ""},
		{"dangling arrow", "data->", "eq.1", `"failed to parse tree path (data->)" (line 1, column 7)`, ""},
		{"dangling dot", "rel.", "eq.1", `"failed to parse tree path (rel.)" (line 1, column 5)`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := query.ParseFilter(tt.key, tt.value)
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

func TestOperatorHelpers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		op           query.Operator
		fts, quantOK bool
	}{
		{query.OpEq, false, true},
		{query.OpIMatch, false, true},
		{query.OpNeq, false, false},
		{query.OpIn, false, false},
		{query.OpWebFTS, true, false},
	}
	for _, tt := range tests {
		t.Run(string(tt.op), func(t *testing.T) {
			t.Parallel()
			if got := tt.op.IsFTS(); got != tt.fts {
				t.Errorf("IsFTS() = %v", got)
			}
			if got := tt.op.Quantifiable(); got != tt.quantOK {
				t.Errorf("Quantifiable() = %v", got)
			}
		})
	}
}
