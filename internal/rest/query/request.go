package query

import (
	"net/http"
	"net/url"
	"strings"
)

// Options carry what the parser needs to know about the request and the
// server configuration. The zero value describes a GET on a table with
// PostgREST's defaults.
type Options struct {
	// Method is the HTTP method. The Range header is read only for GET (and
	// when Method is empty); PUT rejects limit and offset with PGRST114.
	Method string
	// RPC is set for /rpc/<fn>. On GET and HEAD a parameter whose value is not an
	// operator expression is then a function argument (Request.Args).
	RPC bool
	// TxOverride honours Prefer: tx= (PostgREST's db-tx-end=*-allow-override).
	TxOverride bool
	// ValidTimezone, when set, decides whether Prefer: timezone= names a real
	// time zone (pg_timezone_names). When nil any non-empty name is accepted.
	ValidTimezone func(name string) bool
	// PlanEnabled accepts application/vnd.pgrst.plan (db-plan-enabled).
	PlanEnabled bool
}

// Arg is a function argument given in the query string of GET /rpc/<fn>.
type Arg struct {
	Name  string
	Value string
}

// Request is everything the query string and headers of a Data API request say,
// parsed but not yet resolved against the schema.
type Request struct {
	// Select is the select= tree; a single "*" when select= is absent.
	Select []SelectItem
	// Filters are the col=op.value parameters, top-level and embedded, in order.
	// They are ANDed together per embed path.
	Filters []Filter
	// Logic holds the and=/or= parameters, top-level and embedded, in order.
	Logic []Logic
	// Orders holds one entry per embed path; when order is repeated for the same
	// path the first one wins, as in PostgREST.
	Orders []Order
	// Range is the top-level limit/offset, combined with the Range header.
	Range Range
	// EmbedRanges are the rel.limit=/rel.offset= ranges.
	EmbedRanges []Range
	// Columns is columns= (nil when absent): the keys to take from the payload.
	Columns []string
	// OnConflict is on_conflict= (nil when absent): the upsert's conflict target.
	OnConflict []string
	// Args are the function arguments of GET/HEAD /rpc/<fn>.
	Args []Arg
	// Prefer holds the Prefer headers.
	Prefer Preferences
	// Accept is the negotiated response media type (*/* resolves to JSON).
	Accept MediaType
	// ContentType is the request body's media type (JSON when absent).
	ContentType MediaType
	// Canonical is the query string sorted by key, as PostgREST puts it in
	// Content-Location (without the apikey parameter).
	Canonical string
}

// Reserved parameter names. select, columns and on_conflict count only at the
// top level; the others are recognised by the last dot-separated segment of
// the key, so "rel.order" and "rel.not.or" are modifiers for an embed.
var (
	reservedTop   = map[string]bool{"select": true, "columns": true, "on_conflict": true}
	reservedEmbed = map[string]bool{"order": true, "limit": true, "offset": true, "and": true, "or": true}
)

// apiKeyParam is the query-string API key the gateway accepts. It is a
// credential, never a filter, and is dropped before parsing.
const apiKeyParam = "apikey"

// Parse parses a request to a table or view with default Options. values
// usually comes from r.URL.Query(); ParseRequest with SplitQuery(r.URL.RawQuery)
// follows PostgREST more closely (parameter order, ';' separators, bare keys).
func Parse(values url.Values, header http.Header) (*Request, error) {
	return ParseRequest(ParamsFromValues(values), header, Options{})
}

// ParseRequest parses the query parameters and headers of a Data API request.
// Parameters are checked in PostgREST's order (order, logic trees, columns,
// select, filters, on_conflict, ranges), then Prefer, then Accept, and the first
// failure is returned as an *Error.
func ParseRequest(params []Param, header http.Header, opts Options) (*Request, error) {
	if header == nil {
		header = http.Header{}
	}
	var kept []Param
	for _, p := range params {
		if p.Key != apiKeyParam {
			kept = append(kept, p)
		}
	}
	req, err := parseParams(kept, header, opts)
	if err != nil {
		return nil, err
	}
	req.Canonical = canonicalQuery(kept)
	if req.Prefer, err = ParsePrefer(header.Values("Prefer"), opts); err != nil {
		return nil, err
	}
	accepts := []MediaType{{Kind: MediaAny}}
	if vs := header.Values("Accept"); len(vs) > 0 {
		accepts = ParseAccept(strings.Join(vs, ","))
	}
	if req.Accept, err = Negotiate(accepts, opts); err != nil {
		return nil, err
	}
	req.ContentType = MediaType{Kind: MediaJSON}
	if ct := header.Get("Content-Type"); ct != "" {
		req.ContentType = ParseMediaType(ct)
	}
	return req, nil
}

// classified sorts the parameters into their roles, keeping their order.
type classified struct {
	selectValue, columns, onConflict *string
	orders, logic, filters           []Param
	ranges                           rangeParams
}

func classify(params []Param) classified {
	var c classified
	seenTop := map[string]bool{}
	for _, p := range params {
		if reservedTop[p.Key] {
			// The first occurrence decides, even a bare "?select" (which means absent).
			if !seenTop[p.Key] {
				seenTop[p.Key] = true
				if p.HasValue {
					v := p.Value
					switch p.Key {
					case "select":
						c.selectValue = &v
					case "columns":
						c.columns = &v
					case "on_conflict":
						c.onConflict = &v
					}
				}
			}
			continue
		}
		if !p.HasValue {
			continue
		}
		switch last := lastSegment(p.Key); {
		case last == "order":
			c.orders = append(c.orders, p)
		case last == "limit" || last == "offset":
			c.ranges.add(p.Key, p.Value, last == "offset")
		case reservedEmbed[last]:
			c.logic = append(c.logic, p)
		default:
			c.filters = append(c.filters, p)
		}
	}
	return c
}

func lastSegment(key string) string {
	return key[strings.LastIndexByte(key, '.')+1:]
}

func parseParams(params []Param, header http.Header, opts Options) (*Request, error) {
	c := classify(params)
	req := &Request{}
	seenOrder := map[string]bool{}
	for _, p := range c.orders {
		o, err := ParseOrder(p.Key, p.Value)
		if err != nil {
			return nil, err
		}
		if k := strings.Join(o.Path, "\x00"); !seenOrder[k] {
			seenOrder[k] = true
			req.Orders = append(req.Orders, o)
		}
	}
	for _, p := range c.logic {
		l, err := ParseLogic(p.Key, p.Value)
		if err != nil {
			return nil, err
		}
		req.Logic = append(req.Logic, l)
	}
	var err error
	if c.columns != nil {
		if req.Columns, err = ParseColumns(*c.columns); err != nil {
			return nil, err
		}
	}
	req.Select = []SelectItem{{Kind: ItemField, Field: Field{Name: "*"}}}
	if c.selectValue != nil {
		if req.Select, err = ParseSelect(*c.selectValue); err != nil {
			return nil, err
		}
	}
	rpcRead := opts.RPC && (opts.Method == "" || opts.Method == http.MethodGet || opts.Method == http.MethodHead)
	for _, p := range c.filters {
		f, err := ParseFilter(p.Key, p.Value)
		if err != nil && rpcRead && isFilterValueError(err) && !consumesOnFailure(p.Value) {
			_, field, _ := parseTreePath(p.Key)
			req.Args = append(req.Args, Arg{Name: field.Name, Value: p.Value})
			continue
		}
		if err != nil {
			return nil, err
		}
		req.Filters = append(req.Filters, f)
	}
	if c.onConflict != nil {
		if req.OnConflict, err = ParseOnConflict(*c.onConflict); err != nil {
			return nil, err
		}
	}
	if req.Range, req.EmbedRanges, err = c.ranges.resolve(header, opts.Method); err != nil {
		return nil, err
	}
	return req, nil
}

// isFilterValueError tells a bad filter value from a bad key: only the former
// can make a GET /rpc parameter an argument.
func isFilterValueError(err error) bool {
	e, ok := err.(*Error)
	return ok && strings.HasPrefix(e.Message, `"failed to parse filter (`)
}

// ParseColumns parses columns=: names separated by commas, quoted names allowed
// (supabase-js sends columns="a","b"). Failures are PGRST100 "failed to parse
// columns parameter (...)".
func ParseColumns(value string) ([]string, error) {
	return parseNameList(value, "failed to parse columns parameter ("+value+")")
}

// ParseOnConflict parses on_conflict= like ParseColumns. Failures are PGRST100
// "failed to parse on_conflict parameter (...)".
func ParseOnConflict(value string) ([]string, error) {
	return parseNameList(value, "failed to parse on_conflict parameter ("+value+")")
}

func parseNameList(value, title string) ([]string, error) {
	s := &scanner{src: value}
	var names []string
	for {
		s.skipSpace()
		name, _, err := s.fieldName()
		if err != nil {
			return nil, err.toError(title, value)
		}
		names = append(names, name)
		s.skipSpace()
		if !s.accept(",") {
			break
		}
	}
	if !s.eof() {
		return nil, s.fail(`","`, labelEnd).toError(title, value)
	}
	return names, nil
}
