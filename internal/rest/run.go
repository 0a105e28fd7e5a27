package rest

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/creatorbase/creatorbase/internal/database"
	"github.com/creatorbase/creatorbase/internal/rest/plan"
	"github.com/creatorbase/creatorbase/internal/rest/query"
)

// result is the row the main statement returns.
type result struct {
	total     *int64
	pageTotal int64
	body      []byte // nil for SQL NULL
	location  []string
	headers   *string
	status    *string
	inserted  *int64
	estimate  *int64
}

// run sends the whole request as one pipelined transaction.
func (rr *request) run(pl *plan.Plan, q *query.Request) (*result, error) {
	req := database.Request{
		Role:       rr.role,
		Claims:     rr.claims,
		Method:     rr.r.Method,
		Path:       rr.r.URL.Path,
		Headers:    headersJSON(rr.r.Header),
		SearchPath: searchPath(rr.schema),
		ReadOnly:   pl.ReadOnly,
		Rollback:   q.Prefer.Tx == query.TxRollback,
	}
	var res result
	err := rr.h.opts.Runner.Run(rr.r.Context(), req, func(b *pgx.Batch) {
		if q.Prefer.Timezone != "" {
			b.Queue("select pg_catalog.set_config('timezone', $1, true)", q.Prefer.Timezone)
		}
		if pl.Estimate != nil {
			b.Queue(pl.Estimate.SQL, pl.Estimate.Args...).QueryRow(func(row pgx.Row) error {
				var plan string
				if err := row.Scan(&plan); err != nil {
					return err
				}
				res.estimate = planRows(plan)
				return nil
			})
		}
		b.Queue(pl.Main.SQL, pl.Main.Args...).QueryRow(func(row pgx.Row) error {
			dest := []any{&res.total, &res.pageTotal, &res.body, &res.location, &res.headers, &res.status, &res.inserted}
			if pl.Abort {
				var abort string
				dest = append(dest, &abort)
			}
			return row.Scan(dest...)
		})
		if pl.Abort {
			b.Queue(plan.AbortSQL)
		}
	})
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == plan.AbortSQLState {
		if q.Accept.Kind == query.MediaObject && res.pageTotal != 1 {
			return nil, singularError(res.pageTotal)
		}
		return nil, &apiError{Status: http.StatusBadRequest, Code: "PGRST124",
			Message: "Query result exceeds max-affected preference constraint",
			Details: fmt.Sprintf("The query affects %d rows", res.pageTotal)}
	}
	if err != nil {
		if rr.r.Context().Err() == nil {
			var pe *pgconn.PgError
			if !errors.As(err, &pe) {
				rr.h.log.Error("rest: request failed", "error", err.Error(), "path", rr.r.URL.Path)
			}
		}
		return nil, toAPIError(err, rr.role)
	}
	return &res, nil
}

func singularError(n int64) *apiError {
	return &apiError{Status: http.StatusNotAcceptable, Code: "PGRST116",
		Message: "Cannot coerce the result to a single JSON object",
		Details: fmt.Sprintf("The result contains %d rows", n)}
}

// planRows reads the top "Plan Rows" of EXPLAIN (FORMAT JSON).
func planRows(explain string) *int64 {
	var out []struct {
		Plan struct {
			Rows float64 `json:"Plan Rows"`
		} `json:"Plan"`
	}
	if err := json.Unmarshal([]byte(explain), &out); err != nil || len(out) == 0 {
		return nil
	}
	n := int64(out[0].Plan.Rows)
	return &n
}

// searchPath is the profile's schema, then Supabase's extra search path.
func searchPath(s string) string {
	parts := []string{plan.QuoteIdent(s)}
	for _, x := range []string{"public", "extensions"} {
		if x != s {
			parts = append(parts, plan.QuoteIdent(x))
		}
	}
	return strings.Join(parts, ", ")
}

// headersJSON is request.headers: a JSON object of the lower-case
// header names, sorted, values of repeated headers joined with ", ";
// cookies left out. Written by hand: it runs on every request.
func headersJSON(h http.Header) []byte {
	names := make([]string, 0, len(h))
	for k := range h {
		if !strings.EqualFold(k, "cookie") {
			names = append(names, k)
		}
	}
	slices.SortFunc(names, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) })
	b := make([]byte, 0, 512)
	b = append(b, '{')
	for i, k := range names {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, strings.ToLower(k))
		b = append(b, ':')
		b = appendJSONString(b, strings.Join(h[k], ", "))
	}
	return append(b, '}')
}

// appendJSONString appends s as a JSON string. Invalid UTF-8 becomes
// U+FFFD, as encoding/json does, so PostgreSQL always gets valid text.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c < 0x20:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, "\ufffd"...)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}
