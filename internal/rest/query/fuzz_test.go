package query_test

import (
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/creatorbase/creatorbase/internal/rest/query"
)

// The fuzzers check that the parsers never panic, that every failure is a
// *query.Error of the expected kind, and that a successful parse written back
// with String/Param/FormatSelect parses to the same tree (and writes the same text).

func checkParseError(t *testing.T, err error, prefixes ...string) {
	t.Helper()
	var qe *query.Error
	if !errors.As(err, &qe) {
		t.Fatalf("error %v (%T) is not a *query.Error", err, err)
	}
	if qe.Code != query.CodeQueryParam || qe.Status != http.StatusBadRequest {
		t.Fatalf("error %v has code %s status %d", err, qe.Code, qe.Status)
	}
	for _, p := range prefixes {
		if strings.HasPrefix(qe.Message, p) {
			return
		}
	}
	t.Fatalf("message %q has none of the prefixes %q", qe.Message, prefixes)
}

var selectSeeds = []string{
	"", "*", "id,name", " id , name ", "alias:col::text", "data->a->>b", "data->0,x", "data->-1::int", `"a,b"`, `"a\"b"`,
	"count()", "c:count()::int", "amount.sum()", "s:amount::numeric.sum()::text", "rel(*)", "rel()", "rel( )",
	"user:profiles!todos_user_id_fkey(name)", "rel!hint!inner(*)", "a:rel!inner!hint(*)", "...rel!h(a,b)",
	"*,client(*,nested(*,deeper(id)))", "rel(data->0)", `rel!"inner"(*)`, "first name", "my-col", "prénom",
	"id,clients(name[])", "data->>-78xy", "name!hint", "*!hint", "name::", "a)", "count(*)", `"*"::text`,
}

func FuzzParseSelect(f *testing.F) {
	for _, s := range selectSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		items, err := query.ParseSelect(s)
		if err != nil {
			checkParseError(t, err, `"failed to parse select parameter (`)
			return
		}
		out := query.FormatSelect(items)
		again, err := query.ParseSelect(out)
		if err != nil {
			t.Fatalf("ParseSelect(%q) ok, but its rendering %q fails: %v", s, out, err)
		}
		if !reflect.DeepEqual(items, again) {
			t.Fatalf("ParseSelect(%q) = %#v\nre-parse of %q = %#v", s, items, out, again)
		}
		if out2 := query.FormatSelect(again); out2 != out {
			t.Fatalf("rendering not stable: %q then %q", out, out2)
		}
	})
}

func FuzzParseFilter(f *testing.F) {
	seeds := [][2]string{
		{"c", "eq.1"}, {"c", "not.in.(1,\"a,b\",c)"}, {"c", "is.NULL"}, {"c", "is.not_null"}, {"c", "eq(any).{a,b}"},
		{"c", "like(all).{a*,*b}"}, {"body", "wfts(english).'cat' & 'dog'"}, {"c", "fts( simple ).x"}, {"c", "in.()"},
		{"c", `in.("")`}, {"c", `in.("a"b,c)`}, {"c", "isdistinct.x"}, {"c", "cs.{a,b}"}, {"c", "adj.(1,10)"},
		{"data->>a", "eq.1"}, {"rel.sub.col", "neq.x"}, {`"a.b"`, "gt.1"}, {"a.b", "noop.0"}, {"id", ""},
		{"id", "eqx.1"}, {"a::text", "eq.1"}, {"data->0", "lte.5"}, {"c", "not.not.eq.1"}, {"c", "in. ( 1, 2 )"},
	}
	for _, s := range seeds {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, key, value string) {
		flt, err := query.ParseFilter(key, value)
		if err != nil {
			checkParseError(t, err, `"failed to parse filter (`, `"failed to parse tree path (`)
			return
		}
		k, v := flt.Param()
		again, err := query.ParseFilter(k, v)
		if err != nil {
			t.Fatalf("ParseFilter(%q, %q) ok, but its rendering %q=%q fails: %v", key, value, k, v, err)
		}
		if !reflect.DeepEqual(flt, again) {
			t.Fatalf("ParseFilter(%q, %q) = %#v\nre-parse of %q=%q = %#v", key, value, flt, k, v, again)
		}
		// A top-level filter must also survive as a logic-tree element.
		if len(flt.Path) == 0 {
			tree, err := query.ParseLogic("or", "("+flt.String()+")")
			if err != nil {
				t.Fatalf("filter %q does not parse inside or=(…): %v", flt.String(), err)
			}
			if got := tree.Tree.Children[0].Filter; got == nil || !reflect.DeepEqual(*got, flt) {
				t.Fatalf("filter %#v became %#v inside a logic tree", flt, got)
			}
		}
	})
}

func FuzzParseLogic(f *testing.F) {
	seeds := [][2]string{
		{"or", "(a.eq.1,b.is.null)"}, {"and", "(a.eq.1,and(b.gt.2,c.is.null))"}, {"not.or", "(a.eq.1)"},
		{"rel.not.and", `(a.cs.{1,2},b.eq."x,y")`}, {"or", "( a.eq.1 , and ( b.eq.2 ) )"}, {"or", `(a.eq."q\"t")`},
		{"or", "(id.in.(1,2,\"a,b\"),id.eq.3)"}, {"or", "(body.fts(english).cat)"}, {"or", "(and.eq.1,not.eq.2)"},
		{"or", "()"}, {"or", "(id.in.1,2)"}, {"and", "(ord(id.eq.1),id.eq.2)"}, {"or", "(a.not.xor(b.eq.1))"},
		{"or", "(a.like(any).{x*,y*})"}, {"or", "(data->>a.eq.1,data->0.eq.2)"}, {"or", "(a.eq.{x}y)"},
	}
	for _, s := range seeds {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, key, value string) {
		l, err := query.ParseLogic(key, value)
		if err != nil {
			checkParseError(t, err, `"failed to parse logic tree (`, `"failed to parse logic path (`)
			return
		}
		k, v := l.Param()
		again, err := query.ParseLogic(k, v)
		if err != nil {
			t.Fatalf("ParseLogic(%q, %q) ok, but its rendering %q=%q fails: %v", key, value, k, v, err)
		}
		if !reflect.DeepEqual(l, again) {
			t.Fatalf("ParseLogic(%q, %q) = %#v\nre-parse of %q=%q = %#v", key, value, l, k, v, again)
		}
		if k2, v2 := again.Param(); k2 != k || v2 != v {
			t.Fatalf("rendering not stable: %q=%q then %q=%q", k, v, k2, v2)
		}
	})
}

func FuzzParseOrder(f *testing.F) {
	seeds := [][2]string{
		{"order", "id"}, {"order", "name.desc.nullsfirst"}, {"order", "a.asc , b"}, {"order", "json_col->key.asc.nullslast"},
		{"order", "clients(json_col->key).desc"}, {"order", "name,clients(name),id"}, {"rel.order", "id.desc"},
		{"order", `"my.col".desc`}, {"order", "id.descc"}, {"order", "clients(name,id)"}, {"order", ""}, {"order", "data->0.desc"},
	}
	for _, s := range seeds {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, key, value string) {
		o, err := query.ParseOrder(key, value)
		if err != nil {
			checkParseError(t, err, `"failed to parse order (`, `"failed to parse tree path (`)
			return
		}
		k, v := o.Param()
		again, err := query.ParseOrder(k, v)
		if err != nil {
			t.Fatalf("ParseOrder(%q, %q) ok, but its rendering %q=%q fails: %v", key, value, k, v, err)
		}
		if !reflect.DeepEqual(o.Terms, again.Terms) || !reflect.DeepEqual(o.Path, again.Path) {
			t.Fatalf("ParseOrder(%q, %q) = %#v\nre-parse of %q=%q = %#v", key, value, o, k, v, again)
		}
	})
}

func FuzzParsePrefer(f *testing.F) {
	seeds := []string{
		"return=representation", "count=exact", "resolution=merge-duplicates, missing=default",
		"handling=strict\nmax-affected=10", "tx=rollback", "timezone=UTC", "handling=strict, anything",
		"count=exact,    tx=commit   ,return=representation , missing=default", "max-affected=x", ",,", "timezone=",
	}
	for _, s := range seeds {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, header string, txOverride bool) {
		opts := query.Options{TxOverride: txOverride}
		p, err := query.ParsePrefer(strings.Split(header, "\n"), opts)
		if err != nil {
			var qe *query.Error
			if !errors.As(err, &qe) || qe.Code != query.CodeInvalidPreferences || p.Handling != query.HandlingStrict || len(p.Invalid) == 0 {
				t.Fatalf("ParsePrefer(%q): unexpected error %v", header, err)
			}
		}
		for _, inv := range p.Invalid {
			if inv == "" || strings.TrimSpace(inv) != inv {
				t.Fatalf("ParsePrefer(%q): bad invalid entry %q", header, inv)
			}
		}
		again, err := query.ParsePrefer([]string{p.String()}, opts)
		if err != nil {
			t.Fatalf("rendering %q of %q fails: %v", p.String(), header, err)
		}
		p.Invalid = nil
		if !reflect.DeepEqual(p, again) {
			t.Fatalf("ParsePrefer(%q) = %#v\nre-parse of %q = %#v", header, p, p.String(), again)
		}
	})
}

func FuzzParseRequest(f *testing.F) {
	f.Add("select=id,rel(*)&id=eq.1&or=(a.eq.1)&order=id.desc&limit=10&offset=5&rel.limit=2", "application/json", "0-9", "count=exact")
	f.Add("a=1&arr={1,2}", "*/*", "", "")
	f.Add("columns=%22a%22,%22b%22&on_conflict=id", "application/vnd.pgrst.object+json;nulls=stripped", "5-", "handling=strict")
	f.Fuzz(func(t *testing.T, raw, accept, rangeHeader, prefer string) {
		h := headers("Accept", accept, "Range", rangeHeader, "Prefer", prefer)
		for _, opts := range []query.Options{{}, {RPC: true}, {Method: "PUT"}} {
			r, err := query.ParseRequest(query.SplitQuery(raw), h, opts)
			if err != nil {
				var qe *query.Error
				if !errors.As(err, &qe) || qe.Code == "" || qe.Status < 400 || qe.Message == "" {
					t.Fatalf("ParseRequest(%q): bad error %v", raw, err)
				}
				continue
			}
			if r.Range.Offset < 0 || (r.Range.Limit < 0 && r.Range.Limit != query.NoLimit) {
				t.Fatalf("ParseRequest(%q): bad range %+v", raw, r.Range)
			}
			if r.Accept.Kind == query.MediaAny || r.Accept.Kind == 0 {
				t.Fatalf("ParseRequest(%q): unresolved media type %+v", raw, r.Accept)
			}
		}
	})
}
