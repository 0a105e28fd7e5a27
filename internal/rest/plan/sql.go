package plan

import (
	"strconv"
	"strings"
)

// quoteIdent quotes an identifier for SQL: wrapped in double quotes, with
// embedded double quotes doubled. NUL bytes, which PostgreSQL rejects in
// any text, are dropped.
func quoteIdent(s string) string {
	s = strings.ReplaceAll(s, "\x00", "")
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// QuoteIdent quotes an identifier as the planner does, for callers that
// name schemas outside a plan (the request's search_path).
func QuoteIdent(s string) string { return quoteIdent(s) }

// qualified quotes a schema-qualified name.
func qualified(schemaName, name string) string {
	return quoteIdent(schemaName) + "." + quoteIdent(name)
}

// params collects the bind parameters of one statement. Every value of a
// request goes through here: the SQL text only ever holds $n.
type params struct{ args []any }

// add binds v and returns its placeholder.
func (p *params) add(v any) string {
	p.args = append(p.args, v)
	return "$" + strconv.Itoa(len(p.args))
}

// pgArray renders values as a PostgreSQL array literal, each element
// double-quoted with \ and " escaped, as PostgREST builds in.(...) lists.
// It is sent as one bind parameter.
func pgArray(values []string) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, v := range values {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('"')
		for _, r := range strings.ReplaceAll(v, "\x00", "") {
			if r == '"' || r == '\\' {
				b.WriteByte('\\')
			}
			b.WriteRune(r)
		}
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.String()
}

// typeAliases maps SQL spellings of common types to the names pg_type
// knows them by, so that a cast can be written as a quoted identifier.
var typeAliases = map[string]string{
	"int": "int4", "integer": "int4", "smallint": "int2", "bigint": "int8",
	"real": "float4", "float": "float8", "double precision": "float8", "double": "float8",
	"boolean": "bool", "decimal": "numeric", "character varying": "varchar", "character": "bpchar",
	"char": "bpchar", "timestamp with time zone": "timestamptz", "timestamp without time zone": "timestamp",
	"time with time zone": "timetz", "time without time zone": "time", "serial": "int4", "bigserial": "int8",
}

// castType quotes a cast target given in select=col::type. The parser only
// lets identifier characters through; quoting makes it a plain name
// lookup (on the search path), never SQL syntax.
func castType(t string) string {
	t = strings.ToLower(strings.Join(strings.Fields(t), " "))
	if a, ok := typeAliases[t]; ok {
		t = a
	}
	return quoteIdent(t)
}

// sqlList joins SQL fragments with ", ".
func sqlList(parts []string) string { return strings.Join(parts, ", ") }
