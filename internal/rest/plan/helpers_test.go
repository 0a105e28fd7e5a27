package plan_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/creatorbase/creatorbase/internal/rest/plan"
	"github.com/creatorbase/creatorbase/internal/rest/query"
	"github.com/creatorbase/creatorbase/internal/rest/schema"
)

func cols(defs ...string) []*schema.Column {
	var out []*schema.Column
	for i := 0; i+2 < len(defs)+1; i += 3 {
		out = append(out, &schema.Column{Name: defs[i], Type: defs[i+1], BaseType: defs[i+2], Position: i/3 + 1, Nullable: true})
	}
	return out
}

func rel(name string, pk []string, c []*schema.Column) *schema.Relation {
	r := schema.NewRelation(schema.Name{Schema: "api", Name: name}, "table", c)
	r.PrimaryKey, r.Insertable, r.Updatable, r.Deletable = pk, true, true, true
	return r
}

func n(name string) schema.Name { return schema.Name{Schema: "api", Name: name} }

// testCache mirrors the bookshop fixture of the rest package's tests.
func testCache() *schema.Cache {
	rels := []*schema.Relation{
		rel("authors", []string{"id"}, cols("id", "bigint", "int8", "name", "text", "text")),
		rel("books", []string{"id"}, cols("id", "bigint", "int8", "title", "text", "text", "author_id", "bigint", "int8",
			"owner_id", "uuid", "uuid", "published", "boolean", "bool", "price", "numeric", "numeric", "tags", "text[]", "_text",
			"meta", "jsonb", "jsonb", "summary", "text", "text")),
		rel("tags", []string{"id"}, cols("id", "integer", "int4", "label", "text", "text")),
		rel("book_tags", []string{"book_id", "tag_id"}, cols("book_id", "bigint", "int8", "tag_id", "integer", "int4")),
		rel("reviews", []string{"id"}, cols("id", "bigint", "int8", "book_id", "bigint", "int8", "stars", "integer", "int4")),
	}
	fks := []schema.ForeignKey{
		{Name: "books_author_id_fkey", Source: n("books"), Target: n("authors"), SourceColumns: []string{"author_id"}, TargetColumns: []string{"id"}},
		{Name: "book_tags_book_id_fkey", Source: n("book_tags"), Target: n("books"), SourceColumns: []string{"book_id"}, TargetColumns: []string{"id"}},
		{Name: "book_tags_tag_id_fkey", Source: n("book_tags"), Target: n("tags"), SourceColumns: []string{"tag_id"}, TargetColumns: []string{"id"}},
		{Name: "reviews_book_id_fkey", Source: n("reviews"), Target: n("books"), SourceColumns: []string{"book_id"}, TargetColumns: []string{"id"}},
	}
	fns := []*schema.Function{
		{Name: n("add"), Args: []schema.Arg{{Name: "a", Type: "integer"}, {Name: "b", Type: "integer", HasDefault: true}}, ReturnType: "integer", Volatility: "immutable"},
		{Name: n("books_by"), Args: []schema.Arg{{Name: "author", Type: "bigint"}}, ReturnType: "api.books", ReturnsSet: true,
			ReturnsRow: n("books"), ReturnsComp: true, Volatility: "stable"},
		{Name: n("echo"), Args: []schema.Arg{{Type: "json"}}, ReturnType: "json", Volatility: "volatile"},
		{Name: n("sum_all"), Args: []schema.Arg{{Name: "nums", Type: "integer[]", Variadic: true}}, ReturnType: "integer", Volatility: "immutable"},
	}
	return schema.NewCache([]string{"api"}, rels, fns, fks)
}

// input parses a request the way the handler does.
func input(t testing.TB, c *schema.Cache, method, target string, header http.Header, body string) (plan.Input, error) {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	name, rpc := u.Path[1:], false
	if len(name) > 4 && name[:4] == "rpc/" {
		name, rpc = name[4:], true
	}
	q, err := query.ParseRequest(query.SplitQuery(u.RawQuery), header, query.Options{Method: method, RPC: rpc, TxOverride: true})
	if err != nil {
		return plan.Input{}, err
	}
	action := map[string]plan.Action{"GET": plan.ActionRead, "HEAD": plan.ActionRead, "POST": plan.ActionInsert,
		"PATCH": plan.ActionUpdate, "DELETE": plan.ActionDelete}[method]
	if rpc {
		action = plan.ActionCall
	}
	return plan.Input{Cache: c, Schema: "api", Action: action, Method: method, Name: name, Query: q, Body: []byte(body), MaxRows: 1000}, nil
}
