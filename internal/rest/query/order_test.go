package query_test

import (
	"net/http"
	"testing"

	"github.com/creatorbase/creatorbase/internal/rest/query"
)

func TestParseOrder(t *testing.T) {
	t.Parallel()
	term := func(f query.Field, d query.Direction, n query.Nulls) query.OrderTerm {
		return query.OrderTerm{Field: f, Direction: d, Nulls: n}
	}
	tests := []struct {
		name       string
		key, value string
		want       query.Order
	}{
		{"column", "order", "id", query.Order{Terms: []query.OrderTerm{term(col("id"), "", "")}}},
		{"asc", "order", "id.asc", query.Order{Terms: []query.OrderTerm{term(col("id"), query.DirAsc, "")}}},
		{"desc nullsfirst", "order", "name.desc.nullsfirst", query.Order{Terms: []query.OrderTerm{term(col("name"), query.DirDesc, query.NullsFirst)}}},
		{"nullslast only", "order", "name.nullslast", query.Order{Terms: []query.OrderTerm{term(col("name"), "", query.NullsLast)}}},
		{"several terms", "order", "a.asc,b.desc.nullslast,c", query.Order{Terms: []query.OrderTerm{
			term(col("a"), query.DirAsc, ""), term(col("b"), query.DirDesc, query.NullsLast), term(col("c"), "", ""),
		}}},
		{"spaces between terms", "order", "a.asc , b", query.Order{Terms: []query.OrderTerm{term(col("a"), query.DirAsc, ""), term(col("b"), "", "")}}},
		{"json path", "order", "json_col->key.asc.nullslast", query.Order{Terms: []query.OrderTerm{term(jpath("json_col", "->", "key"), query.DirAsc, query.NullsLast)}}},
		{"json index", "order", "data->0.desc", query.Order{Terms: []query.OrderTerm{term(jpath("data", "->", "0"), query.DirDesc, "")}}},
		{"json text arrow", "order", "data->>name", query.Order{Terms: []query.OrderTerm{term(jpath("data", "->>", "name"), "", "")}}},
		{"related order", "order", "clients(json_col->key).desc.nullsfirst", query.Order{Terms: []query.OrderTerm{
			{Relation: "clients", Field: jpath("json_col", "->", "key"), Direction: query.DirDesc, Nulls: query.NullsFirst},
		}}},
		{"mixed related", "order", "name,clients(name),id", query.Order{Terms: []query.OrderTerm{
			term(col("name"), "", ""), {Relation: "clients", Field: col("name")}, term(col("id"), "", ""),
		}}},
		{"embedded", "rel.order", "id.desc", query.Order{Path: []string{"rel"}, Terms: []query.OrderTerm{term(col("id"), query.DirDesc, "")}}},
		{"nested embed", "a.b.order", "id", query.Order{Path: []string{"a", "b"}, Terms: []query.OrderTerm{term(col("id"), "", "")}}},
		{"quoted column", "order", `"my.col".desc`, query.Order{Terms: []query.OrderTerm{term(col("my.col"), query.DirDesc, "")}}},
		{"supabase-js", "order", "id.desc.nullsfirst", query.Order{Terms: []query.OrderTerm{term(col("id"), query.DirDesc, query.NullsFirst)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := query.ParseOrder(tt.key, tt.value)
			if err != nil {
				t.Fatalf("ParseOrder(%q, %q): %v", tt.key, tt.value, err)
			}
			assertEqual(t, got, tt.want)
			k, v := got.Param()
			again, err := query.ParseOrder(k, v)
			if err != nil {
				t.Fatalf("re-parse of %q=%q: %v", k, v, err)
			}
			assertEqual(t, again, got)
		})
	}
}

func TestParseOrderErrors(t *testing.T) {
	t.Parallel()
	// The positions and texts follow PostgREST's doctests for pOrder.
	tests := []struct {
		name    string
		value   string
		message string
		details string
	}{
		{"two columns in related order", "clients(name,id)", `"failed to parse order (clients(name,id))" (line 1, column 8)`, ""},
		{"ac", "id.ac", `"failed to parse order (id.ac)" (line 1, column 4)`, `unexpected "c" expecting "asc", "desc", "nullsfirst" or "nullslast"`},
		{"descc", "id.descc", `"failed to parse order (id.descc)" (line 1, column 8)`, `unexpected "c" expecting delimiter (.), "," or end of input`},
		{"nulsfist", "id.nulsfist", `"failed to parse order (id.nulsfist)" (line 1, column 4)`, `unexpected "n" expecting "asc", "desc", "nullsfirst" or "nullslast"`},
		{"nullslasttt", "id.nullslasttt", `"failed to parse order (id.nullslasttt)" (line 1, column 13)`, ""},
		{"smth34", "id.smth34", `"failed to parse order (id.smth34)" (line 1, column 4)`, `unexpected "s" expecting "asc", "desc", "nullsfirst" or "nullslast"`},
		{"nlsfst after asc", "id.asc.nlsfst", `"failed to parse order (id.asc.nlsfst)" (line 1, column 8)`, `unexpected "l" expecting "nullsfirst" or "nullslast"`},
		{"asc after nulls", "id.nullsfirst.asc", `"failed to parse order (id.nullsfirst.asc)" (line 1, column 14)`, ""},
		{"empty", "", `"failed to parse order ()" (line 1, column 1)`, ""},
		{"trailing comma", "a,", `"failed to parse order (a,)" (line 1, column 3)`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := query.ParseOrder("order", tt.value)
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
