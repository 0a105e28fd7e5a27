package query_test

import (
	"net/http"
	"testing"

	"github.com/creatorbase/creatorbase/internal/rest/query"
)

func TestParseMediaType(t *testing.T) {
	t.Parallel()
	jsonFor := query.MediaType{Kind: query.MediaJSON}
	csvFor := query.MediaType{Kind: query.MediaCSV}
	tests := []struct {
		input string
		want  query.MediaType
		str   string
	}{
		{"application/json", query.MediaType{Kind: query.MediaJSON}, "application/json"},
		{"application/json; charset=utf-8", query.MediaType{Kind: query.MediaJSON}, "application/json"},
		{"APPLICATION/JSON", query.MediaType{Kind: query.MediaJSON}, "application/json"},
		{"*/*", query.MediaType{Kind: query.MediaAny}, "*/*"},
		{"", query.MediaType{Kind: query.MediaAny}, "*/*"},
		{"application/vnd.pgrst.object+json", query.MediaType{Kind: query.MediaObject}, "application/vnd.pgrst.object+json"},
		{"application/vnd.pgrst.object", query.MediaType{Kind: query.MediaObject}, "application/vnd.pgrst.object+json"},
		{"application/vnd.pgrst.object+json;nulls=stripped", query.MediaType{Kind: query.MediaObject, StripNulls: true}, "application/vnd.pgrst.object+json;nulls=stripped"},
		{"application/vnd.pgrst.object+json; nulls=stripped", query.MediaType{Kind: query.MediaObject, StripNulls: true}, "application/vnd.pgrst.object+json;nulls=stripped"},
		{"application/vnd.pgrst.array+json", query.MediaType{Kind: query.MediaJSON}, "application/json"},
		{"application/vnd.pgrst.array+json;nulls=stripped", query.MediaType{Kind: query.MediaJSON, StripNulls: true}, "application/vnd.pgrst.array+json;nulls=stripped"},
		{"application/json;nulls=stripped", query.MediaType{Kind: query.MediaJSON}, "application/json"},
		{"text/csv", query.MediaType{Kind: query.MediaCSV}, "text/csv"},
		{"application/geo+json", query.MediaType{Kind: query.MediaGeoJSON}, "application/geo+json"},
		{"application/openapi+json", query.MediaType{Kind: query.MediaOpenAPI}, "application/openapi+json"},
		{"text/plain", query.MediaType{Kind: query.MediaTextPlain}, "text/plain"},
		{"text/xml", query.MediaType{Kind: query.MediaTextXML}, "text/xml"},
		{"application/x-www-form-urlencoded", query.MediaType{Kind: query.MediaURLEncoded}, "application/x-www-form-urlencoded"},
		{"application/octet-stream", query.MediaType{Kind: query.MediaOctetStream}, "application/octet-stream"},
		{"text/html;level=1", query.MediaType{Kind: query.MediaOther, Name: "text/html"}, "text/html"},
		{"application/vnd.pgrst.plan", query.MediaType{Kind: query.MediaPlan, PlanFormat: "text", PlanFor: &jsonFor},
			`application/vnd.pgrst.plan+text; for="application/json"`},
		{`application/vnd.pgrst.plan+json;for="text/csv";options=analyze|verbose|bogus`,
			query.MediaType{Kind: query.MediaPlan, PlanFormat: "json", PlanFor: &csvFor, PlanOptions: []string{"analyze", "verbose"}},
			`application/vnd.pgrst.plan+json; for="text/csv"; options=analyze|verbose`},
	}
	for _, tt := range tests {
		t.Run(tt.input, func(t *testing.T) {
			t.Parallel()
			got := query.ParseMediaType(tt.input)
			assertEqual(t, got, tt.want)
			if s := got.String(); s != tt.str {
				t.Errorf("String() = %q, want %q", s, tt.str)
			}
		})
	}
}

func TestParseAcceptOrder(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		header string
		want   []string
	}{
		{"single", "application/json", []string{"application/json"}},
		{"order kept at equal quality", "text/csv, application/json", []string{"text/csv", "application/json"}},
		{"quality first", "text/csv;q=0.5, application/json", []string{"application/json", "text/csv"}},
		{"specific before wildcard", "*/*, text/csv", []string{"text/csv", "*/*"}},
		{"parameters count as specific", "application/vnd.pgrst.object+json, application/vnd.pgrst.object+json;nulls=stripped",
			[]string{"application/vnd.pgrst.object+json;nulls=stripped", "application/vnd.pgrst.object+json"}},
		{"spaces removed", "application/vnd.pgrst.object+json; nulls=stripped", []string{"application/vnd.pgrst.object+json;nulls=stripped"}},
		{"empty element is any", "text/csv,", []string{"text/csv", "*/*"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got []string
			for _, m := range query.ParseAccept(tt.header) {
				got = append(got, m.String())
			}
			assertEqual(t, got, tt.want)
		})
	}
}

func TestNegotiate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		header string
		opts   query.Options
		want   string
	}{
		{"json", "application/json", query.Options{}, "application/json"},
		{"any resolves to json", "*/*", query.Options{}, "application/json"},
		{"single()", "application/vnd.pgrst.object+json", query.Options{}, "application/vnd.pgrst.object+json"},
		{"single() stripNulls", "application/vnd.pgrst.object+json;nulls=stripped", query.Options{}, "application/vnd.pgrst.object+json;nulls=stripped"},
		{"stripNulls", "application/vnd.pgrst.array+json;nulls=stripped", query.Options{}, "application/vnd.pgrst.array+json;nulls=stripped"},
		{"csv", "text/csv", query.Options{}, "text/csv"},
		{"geojson", "application/geo+json", query.Options{}, "application/geo+json"},
		{"first producible wins", "text/html, text/csv", query.Options{}, "text/csv"},
		{"browser accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", query.Options{}, "application/json"},
		{"plan when enabled", `application/vnd.pgrst.plan+json; for="application/json"`, query.Options{PlanEnabled: true},
			`application/vnd.pgrst.plan+json; for="application/json"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := query.Negotiate(query.ParseAccept(tt.header), tt.opts)
			if err != nil {
				t.Fatalf("Negotiate(%q): %v", tt.header, err)
			}
			if got.String() != tt.want {
				t.Errorf("got %q, want %q", got.String(), tt.want)
			}
		})
	}
}

func TestNegotiateErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		header  string
		message string
	}{
		{"html and xml", "text/html, application/xml;q=0.9", "None of these media types are available: text/html, application/xml"},
		{"plan disabled", "application/vnd.pgrst.plan", `None of these media types are available: application/vnd.pgrst.plan+text; for="application/json"`},
		{"openapi on a table", "application/openapi+json", "None of these media types are available: application/openapi+json"},
		{"wildcard subtype", "application/*", "None of these media types are available: application/*"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := query.Negotiate(query.ParseAccept(tt.header), query.Options{})
			qe := wantError(t, err, query.ErrMediaType, http.StatusNotAcceptable, tt.message)
			if qe.Message != tt.message {
				t.Errorf("message = %q, want %q", qe.Message, tt.message)
			}
		})
	}
}

func TestMediaTypeContentType(t *testing.T) {
	t.Parallel()
	tests := []struct {
		m    query.MediaType
		want string
	}{
		{query.MediaType{Kind: query.MediaJSON}, "application/json; charset=utf-8"},
		{query.MediaType{Kind: query.MediaCSV}, "text/csv; charset=utf-8"},
		{query.MediaType{Kind: query.MediaOctetStream}, "application/octet-stream"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			t.Parallel()
			if got := tt.m.ContentType(); got != tt.want {
				t.Errorf("ContentType() = %q, want %q", got, tt.want)
			}
		})
	}
}
