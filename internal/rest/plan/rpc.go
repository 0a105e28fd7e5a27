package plan

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/creatorbase/creatorbase/internal/rest/query"
	"github.com/creatorbase/creatorbase/internal/rest/schema"
)

// callArgs are the arguments a request gives a function: names with
// JSON body values (POST) or text values (GET).
type callArgs struct {
	names  []string            // sorted
	get    map[string][]string // GET: values per name (several for variadic)
	body   string              // POST: the JSON object
	isPost bool
}

// call plans /rpc/<fn>.
func (b *builder) call() (*Plan, error) {
	fname := schema.Name{Schema: b.in.Schema, Name: b.in.Name}
	overloads := b.in.Cache.Functions[fname]
	args, err := b.callArgs()
	if err != nil {
		return nil, err
	}
	f, jsonArg, err := pickOverload(b.in.Cache, fname, overloads, args)
	if err != nil {
		return nil, err
	}
	// GET and HEAD run in a read-only transaction whatever the volatility,
	// as PostgREST does: a volatile function that only reads works, one
	// that writes fails with 25006 (405).
	read := b.in.Method == http.MethodGet || b.in.Method == http.MethodHead
	from, callSQL := b.callSQL(f, args, jsonArg)
	pl := &Plan{ReadOnly: read || f.Volatility != "volatile"}
	name := quoteIdent(f.Name.Name)
	switch {
	case f.IsVoid():
		pl.Void = true
		src := "SELECT " + callSQL + " AS pgrst_scalar"
		if from != "" {
			src += " FROM " + from
		}
		abort := ""
		if !pl.ReadOnly {
			abort = b.abortExpr(pl)
		}
		pl.Main = Statement{SQL: "WITH pgrst_source AS (" + src + ") SELECT NULL::bigint AS total_result_set, pg_catalog.count(_postgrest_t) AS page_total, " +
			"NULL::text AS body, NULL::text[] AS location, " + responseGUCs + ", NULL::bigint AS inserted" + abort +
			" FROM (SELECT * FROM pgrst_source) _postgrest_t", Args: b.p.args}
		return pl, nil
	case f.ReturnsRow.Name != "" || len(f.Outputs) > 0:
		rel := b.in.Cache.Relations[f.ReturnsRow]
		if rel == nil {
			cols := make([]*schema.Column, len(f.Outputs))
			for i, o := range f.Outputs {
				cols[i] = &schema.Column{Name: o.Name, Position: i + 1, Type: o.Type, BaseType: baseTypeName(o.Type), Nullable: true}
			}
			rel = schema.NewRelation(schema.Name{Schema: f.Name.Schema, Name: f.Name.Name}, "function", cols)
		}
		root := &node{rel: rel, label: f.Name.Name, ref: name, from: joinFrom(from, callSQL+" AS "+name), limit: query.NoLimit}
		return b.readNodeAs(root, pl, false, !f.ReturnsSet)
	default:
		pl.Scalar = !f.ReturnsSet
		root := &node{label: f.Name.Name, ref: "pgrst_call", from: joinFrom(from, callSQL+" AS pgrst_call(pgrst_scalar)"), limit: query.NoLimit}
		if b.q.Select == nil || (len(b.q.Select) == 1 && b.q.Select[0].IsStar()) {
			b.q.Select = []query.SelectItem{{Kind: query.ItemField, Field: query.Field{Name: "*"}}}
		}
		scalarRel := schema.NewRelation(schema.Name{Schema: f.Name.Schema, Name: f.Name.Name}, "function",
			[]*schema.Column{{Name: "pgrst_scalar", Position: 1, Type: f.ReturnType, BaseType: baseTypeName(f.ReturnType), Nullable: true}})
		root.rel = scalarRel
		// The function's own name filters its scalar result (?fn=gt.1), as in PostgREST.
		for i := range b.q.Filters {
			if len(b.q.Filters[i].Path) == 0 && b.q.Filters[i].Field.Name == f.Name.Name {
				b.q.Filters[i].Field.Name = "pgrst_scalar"
			}
		}
		for i := range b.q.Orders {
			for j := range b.q.Orders[i].Terms {
				if b.q.Orders[i].Terms[j].Field.Name == f.Name.Name {
					b.q.Orders[i].Terms[j].Field.Name = "pgrst_scalar"
				}
			}
		}
		b.q.Select = []query.SelectItem{{Kind: query.ItemField, Field: query.Field{Name: "*"}}}
		return b.readNodeAs(root, pl, true, !f.ReturnsSet)
	}
}

func joinFrom(args, call string) string {
	if args == "" {
		return call
	}
	return args + ", LATERAL " + call
}

// baseTypeName approximates pg_type.typname from a format_type string,
// enough to recognise json, jsonb and tsvector.
func baseTypeName(t string) string {
	switch t {
	case "json", "jsonb", "tsvector":
		return t
	}
	return ""
}

// callArgs reads the arguments from the body (POST) or query (GET).
func (b *builder) callArgs() (callArgs, error) {
	var a callArgs
	if b.in.Method == http.MethodPost {
		a.isPost = true
		body := strings.TrimSpace(string(b.in.Body))
		if body == "" {
			body = "{}"
		}
		keys, err := objectKeys([]byte(body))
		if err != nil {
			return a, invalidBody("Empty or invalid json")
		}
		a.names, a.body = keys, body
	} else {
		a.get = map[string][]string{}
		for _, arg := range b.q.Args {
			if _, ok := a.get[arg.Name]; !ok {
				a.names = append(a.names, arg.Name)
			}
			a.get[arg.Name] = append(a.get[arg.Name], arg.Value)
		}
	}
	slices.Sort(a.names)
	return a, nil
}

// pickOverload chooses the overload whose parameters the arguments name
// exactly (defaults may be left out), else one taking a single unnamed
// json/jsonb parameter (POST only).
func pickOverload(c *schema.Cache, name schema.Name, overloads []*schema.Function, args callArgs) (*schema.Function, bool, error) {
	var matches []*schema.Function
	for _, f := range overloads {
		if argsMatch(f, args.names) {
			matches = append(matches, f)
		}
	}
	jsonArg := false
	if len(matches) == 0 && args.isPost {
		for _, f := range overloads {
			if len(f.Args) == 1 && f.Args[0].Name == "" && (f.Args[0].Type == "json" || f.Args[0].Type == "jsonb") {
				matches = append(matches, f)
			}
		}
		jsonArg = true
	}
	switch len(matches) {
	case 0:
		return nil, false, functionNotFound(c, name, args.names)
	case 1:
		return matches[0], jsonArg, nil
	}
	sigs := make([]string, len(matches))
	for i, f := range matches {
		parts := make([]string, len(f.Args))
		for j, a := range f.Args {
			parts[j] = a.Name + " => " + a.Type
		}
		sigs[i] = name.String() + "(" + strings.Join(parts, ", ") + ")"
	}
	return nil, false, newError(http.StatusMultipleChoices, "PGRST203",
		"Could not choose the best candidate function between: "+strings.Join(sigs, ", "), nil,
		"Try renaming the parameters or the function itself in the database so function overloading can be resolved")
}

func argsMatch(f *schema.Function, names []string) bool {
	given := map[string]bool{}
	for _, n := range names {
		given[n] = true
	}
	known := map[string]bool{}
	for _, a := range f.Args {
		if a.Name == "" {
			return false
		}
		known[a.Name] = true
		if !a.HasDefault && !given[a.Name] {
			return false
		}
	}
	for _, n := range names {
		if !known[n] {
			return false
		}
	}
	return true
}

func functionNotFound(c *schema.Cache, name schema.Name, args []string) *Error {
	with := "without parameters"
	if len(args) > 0 {
		with = "with parameters " + strings.Join(args, ", ")
	}
	msg := fmt.Sprintf("Could not find the function %s(%s) in the schema cache", name.String(), strings.Join(args, ", "))
	if len(args) == 0 {
		msg = fmt.Sprintf("Could not find the function %s without parameters in the schema cache", name.String())
	}
	var candidates []string
	for n := range c.Functions {
		if n.Schema == name.Schema && n != name {
			candidates = append(candidates, n.Name)
		}
	}
	hint := ""
	if best := closest(name.Name, candidates); best != "" {
		hint = fmt.Sprintf("Perhaps you meant to call the function %s.%s", name.Schema, best)
	}
	return newError(http.StatusNotFound, "PGRST202", msg,
		fmt.Sprintf("Searched for the function %s %s or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.", name.String(), with),
		hint)
}

// callSQL renders the call: named arguments from json_to_record over the
// body (one bind parameter) on POST, or one text bind parameter each on
// GET. It returns the FROM item holding the body's record, if any.
func (b *builder) callSQL(f *schema.Function, args callArgs, jsonArg bool) (from, call string) {
	fn := qualified(f.Name.Schema, f.Name.Name)
	if jsonArg {
		return "", fn + "(" + b.p.add(args.body) + "::" + f.Args[0].Type + ")"
	}
	var given []schema.Arg
	for _, a := range f.Args {
		if slices.Contains(args.names, a.Name) {
			given = append(given, a)
		}
	}
	parts := make([]string, len(given))
	if args.isPost {
		if len(given) == 0 {
			return "", fn + "()"
		}
		defs := make([]string, len(given))
		for i, a := range given {
			defs[i] = quoteIdent(a.Name) + " " + a.Type
			parts[i] = quoteIdent(a.Name) + " := pgrst_args." + quoteIdent(a.Name)
			if a.Variadic {
				parts[i] = "VARIADIC " + parts[i]
			}
		}
		return "pg_catalog.json_to_record(" + b.p.add(args.body) + "::json) AS pgrst_args(" + sqlList(defs) + ")",
			fn + "(" + sqlList(parts) + ")"
	}
	for i, a := range given {
		vals := args.get[a.Name]
		var v string
		if a.Variadic {
			lit := pgArray(vals)
			if len(vals) == 1 && strings.HasPrefix(vals[0], "{") {
				lit = vals[0] // already an array literal: v={1,2}
			}
			v = b.p.add(lit) + "::" + a.Type
		} else {
			v = b.p.add(vals[0]) + "::" + a.Type
		}
		parts[i] = quoteIdent(a.Name) + " := " + v
		if a.Variadic {
			parts[i] = "VARIADIC " + parts[i]
		}
	}
	return "", fn + "(" + sqlList(parts) + ")"
}
