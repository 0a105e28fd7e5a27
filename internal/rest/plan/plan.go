// Package plan turns a parsed Data API request (internal/rest/query) and
// the schema cache (internal/rest/schema) into the one SQL statement that
// answers it, in the shapes PostgREST v14 generates (supabase-wire.md §3.1):
//
//	WITH pgrst_source AS (<select | insert | update | delete | function call>)
//	SELECT total, page_total, body, location, response_headers, response_status, inserted
//	FROM (SELECT ... FROM pgrst_source ...) _postgrest_t
//
// Postgres builds the JSON (json_agg, row_to_json). Every value of the
// request is a bind parameter; identifiers come only from the schema cache
// (or are output aliases the client chose) and are always quoted.
package plan

import (
	"net/http"

	"github.com/creatorbase/creatorbase/internal/rest/query"
	"github.com/creatorbase/creatorbase/internal/rest/schema"
)

// Action is what a request does.
type Action uint8

// The actions.
const (
	ActionRead Action = iota + 1
	ActionInsert
	ActionUpdate
	ActionDelete
	ActionCall
)

// Input is one request, parsed.
type Input struct {
	Cache   *schema.Cache
	Schema  string // the negotiated schema
	Action  Action
	Method  string // GET, HEAD, POST, PATCH, DELETE
	Name    string // the relation or function
	Query   *query.Request
	Body    []byte // the JSON payload of writes and POST /rpc
	MaxRows int64  // 0: unlimited
	// AllowUnfiltered lets PATCH and DELETE run without a filter (by
	// default they are refused, as Supabase's pg-safeupdate does).
	AllowUnfiltered bool
}

// Statement is SQL with its bind parameters.
type Statement struct {
	SQL  string
	Args []any
}

// Result columns of Main, in order.
const ResultColumns = "total_result_set, page_total, body, location, response_headers, response_status, inserted"

// Plan is a request ready to run.
type Plan struct {
	// Main returns one row with ResultColumns: total_result_set (bigint or
	// null), page_total (bigint), body (text or null), location (text[]:
	// primary key column/value pairs of a single inserted row, or null),
	// response_headers and response_status (what SQL set in the
	// response.* settings, or null), inserted (rows an upsert inserted, or
	// null).
	Main Statement
	// Estimate, when set, is an EXPLAIN (FORMAT JSON) of the count query,
	// for count=planned and count=estimated; it runs before Main.
	Estimate *Statement
	// ReadOnly runs the transaction READ ONLY.
	ReadOnly bool
	// Abort makes Main record the affected row count so that a following
	// statement can roll the transaction back when it breaks Prefer:
	// max-affected or an object Accept (see AbortSQL).
	Abort bool
	// Offset is the top-level offset, for Content-Range.
	Offset int64
	// Void is set for a function returning void (answered 204).
	Void bool
	// Scalar is set for a function returning a scalar that is not a set.
	Scalar bool
	// Single is set when the result is one object, not an array: an
	// object Accept, or a function returning one row.
	Single bool
	// KeyColumns names the location pairs (primary key) of an insert.
	KeyColumns []string
	// UpsertApplied is set when resolution=… was honoured.
	UpsertApplied bool
	// MissingDefault is set when missing=default was honoured.
	MissingDefault bool
}

// AbortSQL rolls the transaction back when the main statement recorded a
// violated row-count expectation (Plan.Abort). It raises SQLSTATE
// AbortSQLState; the caller turns that into PGRST116 or PGRST124 with the
// count Main returned.
const AbortSQL = `do $pgrst$ begin
  if pg_catalog.current_setting('pgrst.abort', true) = 'yes' then
    raise sqlstate 'PGRSA' using message = 'pgrst abort';
  end if;
end $pgrst$`

// AbortSQLState is the SQLSTATE AbortSQL raises.
const AbortSQLState = "PGRSA"

// Build plans one request.
func Build(in Input) (*Plan, error) {
	if in.Query == nil {
		in.Query = &query.Request{Select: []query.SelectItem{{Kind: query.ItemField, Field: query.Field{Name: "*"}}}, Range: query.Range{Limit: query.NoLimit}}
	}
	b := &builder{in: in, q: in.Query}
	switch in.Action {
	case ActionRead:
		return b.read()
	case ActionInsert:
		return b.insert()
	case ActionUpdate:
		return b.update()
	case ActionDelete:
		return b.delete()
	case ActionCall:
		return b.call()
	}
	return nil, newError(http.StatusMethodNotAllowed, "PGRST117", "Unsupported HTTP method: "+in.Method, nil, "")
}

// builder carries one request through planning.
type builder struct {
	in      Input
	q       *query.Request
	p       params
	aliases int
}

// nextAlias returns a fresh table alias (t1, t2, ...).
func (b *builder) nextAlias() string {
	b.aliases++
	return "pgrst_" + itoa(b.aliases)
}
