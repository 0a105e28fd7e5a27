package query_test

import (
	"net/http"
	"testing"

	"github.com/creatorbase/creatorbase/internal/rest/query"
)

func leaf(f query.Filter) query.LogicTree { return query.LogicTree{Filter: &f} }

func node(op query.LogicOp, children ...query.LogicTree) query.LogicTree {
	return query.LogicTree{Op: op, Children: children}
}

func notNode(op query.LogicOp, children ...query.LogicTree) query.LogicTree {
	t := node(op, children...)
	t.Negate = true
	return t
}

func eq(column, value string) query.LogicTree {
	return leaf(query.Filter{Field: col(column), Op: query.OpEq, Value: value})
}

func TestParseLogic(t *testing.T) {
	t.Parallel()
	isNull := func(column string) query.LogicTree {
		return leaf(query.Filter{Field: col(column), Op: query.OpIs, Is: query.IsNull})
	}
	tests := []struct {
		name       string
		key, value string
		want       query.Logic
	}{
		{"or", "or", "(a.eq.1,b.is.null)", query.Logic{Tree: node(query.LogicOr, eq("a", "1"), isNull("b"))}},
		{"and", "and", "(a.eq.1,b.eq.2)", query.Logic{Tree: node(query.LogicAnd, eq("a", "1"), eq("b", "2"))}},
		{"nested", "or", "(a.eq.1,and(b.gt.2,c.is.null))", query.Logic{Tree: node(query.LogicOr,
			eq("a", "1"),
			node(query.LogicAnd, leaf(query.Filter{Field: col("b"), Op: query.OpGt, Value: "2"}), isNull("c")))}},
		{"not.or", "not.or", "(a.eq.1,b.eq.2)", query.Logic{Tree: notNode(query.LogicOr, eq("a", "1"), eq("b", "2"))}},
		{"negated child", "and", "(a.eq.1,not.or(b.eq.2,c.eq.3))", query.Logic{Tree: node(query.LogicAnd,
			eq("a", "1"), notNode(query.LogicOr, eq("b", "2"), eq("c", "3")))}},
		{"negated leaf", "or", "(a.not.eq.1)", query.Logic{Tree: node(query.LogicOr,
			leaf(query.Filter{Field: col("a"), Negate: true, Op: query.OpEq, Value: "1"}))}},
		{"embedded", "rel.or", "(a.eq.1)", query.Logic{Path: []string{"rel"}, Tree: node(query.LogicOr, eq("a", "1"))}},
		{"embedded negated", "rel.sub.not.and", "(a.eq.1)", query.Logic{Path: []string{"rel", "sub"}, Tree: notNode(query.LogicAnd, eq("a", "1"))}},
		{"not before the path", "not.rel.or", "(a.eq.1)", query.Logic{Path: []string{"rel"}, Tree: notNode(query.LogicOr, eq("a", "1"))}},
		// Bare values run up to ',' or ')', trailing spaces included, as in PostgREST.
		{"whitespace", "or", "( a.eq.1 , and ( b.eq.2 ) )", query.Logic{Tree: node(query.LogicOr, eq("a", "1 "), node(query.LogicAnd, eq("b", "2 ")))}},
		{"quoted value with comma", "or", `(a.eq."x,y",b.eq."(z)")`, query.Logic{Tree: node(query.LogicOr, eq("a", "x,y"), eq("b", "(z)"))}},
		{"quoted value with escapes", "or", `(a.eq."q\"t\\s")`, query.Logic{Tree: node(query.LogicOr, eq("a", `q"t\s`))}},
		{"array literal value", "or", "(tags.cs.{a,b},tags.ov.{c})", query.Logic{Tree: node(query.LogicOr,
			leaf(query.Filter{Field: col("tags"), Op: query.OpContains, Value: "{a,b}"}),
			leaf(query.Filter{Field: col("tags"), Op: query.OpOverlap, Value: "{c}"}))}},
		{"quantified", "or", "(a.like(any).{x*,y*},b.eq(all).{1})", query.Logic{Tree: node(query.LogicOr,
			leaf(query.Filter{Field: col("a"), Op: query.OpLike, Quantifier: query.QuantAny, Value: "{x*,y*}"}),
			leaf(query.Filter{Field: col("b"), Op: query.OpEq, Quantifier: query.QuantAll, Value: "{1}"}))}},
		{"in list", "or", `(id.in.(1,2,"a,b"),id.eq.3)`, query.Logic{Tree: node(query.LogicOr,
			leaf(query.Filter{Field: col("id"), Op: query.OpIn, List: []string{"1", "2", "a,b"}}), eq("id", "3"))}},
		{"fts with language", "or", "(body.fts(english).cat,title.plfts.dog)", query.Logic{Tree: node(query.LogicOr,
			leaf(query.Filter{Field: col("body"), Op: query.OpFTS, Language: "english", Value: "cat"}),
			leaf(query.Filter{Field: col("title"), Op: query.OpPlainFTS, Value: "dog"}))}},
		{"is keywords", "and", "(a.is.TRUE,b.is.not_null,c.not.is.unknown)", query.Logic{Tree: node(query.LogicAnd,
			leaf(query.Filter{Field: col("a"), Op: query.OpIs, Is: query.IsTrue}),
			leaf(query.Filter{Field: col("b"), Op: query.OpIs, Is: query.IsNotNull}),
			leaf(query.Filter{Field: col("c"), Negate: true, Op: query.OpIs, Is: query.IsUnknown}))}},
		{"json path", "or", "(data->>a.eq.1,data->0.eq.2)", query.Logic{Tree: node(query.LogicOr,
			leaf(query.Filter{Field: jpath("data", "->>", "a"), Op: query.OpEq, Value: "1"}),
			leaf(query.Filter{Field: jpath("data", "->", "0"), Op: query.OpEq, Value: "2"}))}},
		{"embed name standing for a column", "or", "(actors.not.is.null,title.eq.x)", query.Logic{Tree: node(query.LogicOr,
			leaf(query.Filter{Field: col("actors"), Negate: true, Op: query.OpIs, Is: query.IsNull}), eq("title", "x"))}},
		{"columns named like keywords", "or", "(and.eq.1,not.eq.2,or.is.null)", query.Logic{Tree: node(query.LogicOr,
			eq("and", "1"), eq("not", "2"), isNull("or"))}},
		{"empty value", "or", "(a.eq.,b.eq.)", query.Logic{Tree: node(query.LogicOr, eq("a", ""), eq("b", ""))}},
		{"isdistinct", "or", "(a.isdistinct.1)", query.Logic{Tree: node(query.LogicOr,
			leaf(query.Filter{Field: col("a"), Op: query.OpIsDistinct, Value: "1"}))}},
		{"supabase-js example", "or", "(a.eq.1,b.is.null)", query.Logic{Tree: node(query.LogicOr, eq("a", "1"), isNull("b"))}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := query.ParseLogic(tt.key, tt.value)
			if err != nil {
				t.Fatalf("ParseLogic(%q, %q): %v", tt.key, tt.value, err)
			}
			assertEqual(t, got, tt.want)
			k, v := got.Param()
			again, err := query.ParseLogic(k, v)
			if err != nil {
				t.Fatalf("re-parse of %q=%q: %v", k, v, err)
			}
			assertEqual(t, again, got)
		})
	}
}

func TestParseLogicErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		key, value string
		message    string
		details    string
	}{
		{"empty", "or", "()", `"failed to parse logic tree (())" (line 1, column 4)`,
			`unexpected ")" expecting field name (* or [a..z0..9_$]), negation operator (not) or logic operator (and, or)`},
		{"in without parens", "or", "(id.in.1,2,id.eq.3)", `"failed to parse logic tree ((id.in.1,2,id.eq.3))" (line 1, column 10)`,
			`unexpected "1" expecting "("`},
		{"bad operator name", "and", "(ord(id.eq.1,id.eq.1),id.eq.2)", `"failed to parse logic tree ((ord(id.eq.1,id.eq.1),id.eq.2))" (line 1, column 7)`,
			`unexpected "d" expecting "("`},
		{"xor", "or", "(id.eq.1,not.xor(id.eq.2,id.eq.3))", `"failed to parse logic tree ((id.eq.1,not.xor(id.eq.2,id.eq.3)))" (line 1, column 16)`,
			`unexpected "x" expecting logic operator (and, or)`},
		{"missing parens", "or", "a.eq.1", `"failed to parse logic tree (a.eq.1)" (line 1, column 3)`, `unexpected "a" expecting "("`},
		{"unclosed", "or", "(a.eq.1", `"failed to parse logic tree ((a.eq.1)" (line 1, column 10)`, ""},
		{"trailing text", "or", "(a.eq.1)x", `"failed to parse logic tree ((a.eq.1)x)" (line 1, column 11)`, ""},
		{"unknown operator", "or", "(a.xx.1)", `"failed to parse logic tree ((a.xx.1))" (line 1, column 6)`, ""},
		{"junk after array", "or", "(a.cs.{1}x)", `"failed to parse logic tree ((a.cs.{1}x))" (line 1, column 12)`, ""},
		{"empty value in not.or", "not.or", "", `"failed to parse logic tree ()" (line 1, column 7)`, ""},
		{"bad path", "a.b->c.or", "(x.eq.1)", `"failed to parse logic path (a.b->c.or)" (line 1, column 4)`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := query.ParseLogic(tt.key, tt.value)
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

func TestLogicDeepNesting(t *testing.T) {
	t.Parallel()
	v := "("
	for range 100 {
		v += "or("
	}
	v += "a.eq.1"
	for range 101 {
		v += ")"
	}
	_, err := query.ParseLogic("or", v)
	wantError(t, err, query.ErrQueryParam, http.StatusBadRequest, `"failed to parse logic tree`)
}
