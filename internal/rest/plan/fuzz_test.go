package plan_test

import (
	"errors"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/creatorbase/creatorbase/internal/rest/plan"
	"github.com/creatorbase/creatorbase/internal/rest/query"
)

// marker is planted in every value position; it must never reach SQL text.
const marker = "Zq7MARKERvX"

var placeholder = regexp.MustCompile(`\$([0-9]+)`)

// checkSQL asserts that s has no marker and that its $n placeholders are
// exactly 1..len(args).
func checkSQL(t *testing.T, s plan.Statement) {
	t.Helper()
	if strings.Contains(s.SQL, marker) {
		t.Fatalf("a value reached the SQL text: %s", s.SQL)
	}
	seen := map[int]bool{}
	for _, m := range placeholder.FindAllStringSubmatch(s.SQL, -1) {
		n, _ := strconv.Atoi(m[1])
		if n < 1 || n > len(s.Args) {
			t.Fatalf("placeholder $%d with %d args: %s", n, len(s.Args), s.SQL)
		}
		seen[n] = true
	}
	for i := 1; i <= len(s.Args); i++ {
		if !seen[i] {
			t.Fatalf("argument $%d is never used: %s", i, s.SQL)
		}
	}
}

// FuzzBuildValues puts fuzzed text, prefixed with a marker, in every value
// position a request has (filter values, in-lists, logic trees, JSON path
// keys, fts languages, bodies, rpc arguments) and checks that the planned
// SQL never contains it.
func FuzzBuildValues(f *testing.F) {
	for _, s := range []string{"x", "'; drop table x; --", `"`, `\`, "$1", "a,b", "(", ")", "{a,b}", "*", "\x00", "é"} {
		f.Add(s)
	}
	c := testCache()
	f.Fuzz(func(t *testing.T, v string) {
		val := marker + v
		quoted := `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(val) + `"`
		requests := []struct {
			method, name string
			params       []query.Param
			body         string
			rpc          bool
		}{
			{method: "GET", name: "books", params: []query.Param{
				{Key: "select", Value: "id,title,author:authors(name),tags(label)", HasValue: true},
				{Key: "title", Value: "eq." + val, HasValue: true},
				{Key: "summary", Value: "not.like." + val, HasValue: true},
				{Key: "tags", Value: "cs." + val, HasValue: true},
				{Key: "price", Value: "in.(1," + quoted + ")", HasValue: true},
				{Key: "meta->>" + strings.Map(keyRune, v) + "k" + marker, Value: "eq.1", HasValue: true},
				{Key: "or", Value: "(title.eq." + quoted + ",and(price.gt." + quoted + ",id.is.null))", HasValue: true},
				{Key: "tags.label", Value: "ilike(any).{" + strings.Map(keyRune, v) + marker + "}", HasValue: true},
				{Key: "summary", Value: "wfts(" + "english" + ")." + val, HasValue: true},
			}},
			{method: "POST", name: "books", body: `[{"title":` + jsonString(val) + `,"price":1}]`,
				params: []query.Param{{Key: "select", Value: "id,title", HasValue: true}}},
			{method: "PATCH", name: "books", body: `{"title":` + jsonString(val) + `}`,
				params: []query.Param{{Key: "id", Value: "eq." + val, HasValue: true}}},
			{method: "DELETE", name: "books", params: []query.Param{{Key: "title", Value: "isdistinct." + val, HasValue: true}}},
			{method: "GET", name: "sum_all", rpc: true, params: []query.Param{{Key: "nums", Value: val, HasValue: true}, {Key: "nums", Value: "1", HasValue: true}}},
			{method: "GET", name: "add", rpc: true, params: []query.Param{{Key: "a", Value: val, HasValue: true}}},
			{method: "POST", name: "echo", rpc: true, body: `{"x":` + jsonString(val) + `}`},
		}
		for _, r := range requests {
			q, err := query.ParseRequest(r.params, http.Header{"Prefer": {"count=exact"}}, query.Options{Method: r.method, RPC: r.rpc})
			if err != nil {
				continue // the parser refused it: nothing reaches SQL
			}
			action := map[string]plan.Action{"GET": plan.ActionRead, "POST": plan.ActionInsert, "PATCH": plan.ActionUpdate, "DELETE": plan.ActionDelete}[r.method]
			if r.rpc {
				action = plan.ActionCall
			}
			pl, err := plan.Build(plan.Input{Cache: c, Schema: "api", Action: action, Method: r.method, Name: r.name, Query: q, Body: []byte(r.body), MaxRows: 1000})
			if err != nil {
				var pe *plan.Error
				if !errors.As(err, &pe) || pe.Status == 0 {
					t.Fatalf("%s %s: error without a status: %v", r.method, r.name, err)
				}
				continue
			}
			checkSQL(t, pl.Main)
			if pl.Estimate != nil {
				checkSQL(t, *pl.Estimate)
			}
		}
	})
}

// FuzzBuildQuery feeds arbitrary query strings through the parser and
// the planner: no panic, and every error carries a status.
func FuzzBuildQuery(f *testing.F) {
	for _, s := range []string{
		"select=*,authors(*)&id=eq.1", "or=(id.eq.1,title.like.*x*)&order=id.desc", "select=id,tags!inner(label)&tags=not.is.null",
		"select=...authors(name)&limit=1&offset=2", "books.limit=1", "select=x:meta->a->>0::text", "id=in.(1,2,\"3\")",
	} {
		f.Add("GET", "books", s, "")
		f.Add("POST", "books", s, `{"title":"x"}`)
	}
	c := testCache()
	f.Fuzz(func(t *testing.T, method, name, rawQuery, body string) {
		q, err := query.ParseRequest(query.SplitQuery(rawQuery), http.Header{}, query.Options{Method: method})
		if err != nil {
			return
		}
		for _, a := range []plan.Action{plan.ActionRead, plan.ActionInsert, plan.ActionUpdate, plan.ActionDelete, plan.ActionCall} {
			pl, err := plan.Build(plan.Input{Cache: c, Schema: "api", Action: a, Method: method, Name: name, Query: q, Body: []byte(body), MaxRows: 10})
			if err != nil {
				var pe *plan.Error
				if !errors.As(err, &pe) || pe.Status == 0 {
					t.Fatalf("error without a status: %v", err)
				}
				continue
			}
			checkPlaceholders(t, pl.Main)
		}
	})
}

func checkPlaceholders(t *testing.T, s plan.Statement) {
	t.Helper()
	for _, m := range placeholder.FindAllStringSubmatch(s.SQL, -1) {
		if n, _ := strconv.Atoi(m[1]); n < 1 || n > len(s.Args) {
			t.Fatalf("placeholder $%d with %d args", n, len(s.Args))
		}
	}
}

// keyRune keeps fuzzed text usable inside a JSON path key or array literal.
func keyRune(r rune) rune {
	if strings.ContainsRune(`-:.,>(){}"\`, r) || r == 0 {
		return -1
	}
	return r
}

func jsonString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteString(`\` + string(r))
		case r < 0x20:
			b.WriteString(`\u00`)
			b.WriteString(strconv.FormatInt(int64(r)>>4, 16) + strconv.FormatInt(int64(r)&15, 16))
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
