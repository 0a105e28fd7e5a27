package query_test

import (
	"net/http"
	"testing"

	"github.com/creatorbase/creatorbase/internal/rest/query"
)

func ptr[T any](v T) *T { return &v }

func TestParsePrefer(t *testing.T) {
	t.Parallel()
	utcOnly := func(name string) bool { return name == "UTC" || name == "America/Los_Angeles" }
	tests := []struct {
		name   string
		values []string
		opts   query.Options
		want   query.Preferences
	}{
		{"none", nil, query.Options{}, query.Preferences{}},
		{"return minimal", []string{"return=minimal"}, query.Options{}, query.Preferences{Return: query.ReturnMinimal}},
		{"return headers-only", []string{"return=headers-only"}, query.Options{}, query.Preferences{Return: query.ReturnHeadersOnly}},
		{"return representation", []string{"return=representation"}, query.Options{}, query.Preferences{Return: query.ReturnRepresentation}},
		{"count exact", []string{"count=exact"}, query.Options{}, query.Preferences{Count: query.CountExact}},
		{"count planned", []string{"count=planned"}, query.Options{}, query.Preferences{Count: query.CountPlanned}},
		{"count estimated", []string{"count=estimated"}, query.Options{}, query.Preferences{Count: query.CountEstimated}},
		{"merge duplicates", []string{"resolution=merge-duplicates"}, query.Options{}, query.Preferences{Resolution: query.ResolutionMergeDuplicates}},
		{"ignore duplicates", []string{"resolution=ignore-duplicates"}, query.Options{}, query.Preferences{Resolution: query.ResolutionIgnoreDuplicates}},
		{"missing default", []string{"missing=default"}, query.Options{}, query.Preferences{Missing: query.MissingDefault}},
		{"missing null", []string{"missing=null"}, query.Options{}, query.Preferences{Missing: query.MissingNull}},
		{"handling lenient", []string{"handling=lenient"}, query.Options{}, query.Preferences{Handling: query.HandlingLenient}},
		{"supabase-js upsert", []string{"resolution=merge-duplicates, missing=default"}, query.Options{},
			query.Preferences{Resolution: query.ResolutionMergeDuplicates, Missing: query.MissingDefault}},
		{"several headers", []string{"return=representation", "count=exact"}, query.Options{},
			query.Preferences{Return: query.ReturnRepresentation, Count: query.CountExact}},
		{"first occurrence wins", []string{"count=planned, count=exact", "count=estimated"}, query.Options{}, query.Preferences{Count: query.CountPlanned}},
		{"arbitrary spacing", []string{"count=exact,    tx=commit   ,return=representation , missing=default"}, query.Options{TxOverride: true},
			query.Preferences{Count: query.CountExact, Tx: query.TxCommit, Return: query.ReturnRepresentation, Missing: query.MissingDefault}},
		{"tx ignored without override", []string{"tx=rollback"}, query.Options{}, query.Preferences{}},
		{"tx rollback with override", []string{"tx=rollback"}, query.Options{TxOverride: true}, query.Preferences{Tx: query.TxRollback}},
		{"tx first wins", []string{"tx=commit, tx=rollback"}, query.Options{TxOverride: true}, query.Preferences{Tx: query.TxCommit}},
		{"timezone accepted", []string{"timezone=America/Los_Angeles"}, query.Options{ValidTimezone: utcOnly}, query.Preferences{Timezone: "America/Los_Angeles"}},
		{"timezone without validator", []string{"timezone=Europe/Paris"}, query.Options{}, query.Preferences{Timezone: "Europe/Paris"}},
		{"timezone rejected", []string{"timezone=Mars/Olympus"}, query.Options{ValidTimezone: utcOnly},
			query.Preferences{Invalid: []string{"timezone=Mars/Olympus"}}},
		{"max-affected", []string{"handling=strict, max-affected=5"}, query.Options{}, query.Preferences{Handling: query.HandlingStrict, MaxAffected: ptr(int64(5))}},
		{"max-affected first wins", []string{"max-affected=5999", "max-affected=1"}, query.Options{}, query.Preferences{MaxAffected: ptr(int64(5999))}},
		{"max-affected not a number", []string{"max-affected=x"}, query.Options{}, query.Preferences{}},
		{"unknown ignored when lenient", []string{"resolution=ignore-duplicates", "count=exact", "missing=null", "handling=lenient", "invalid", "max-affected=5999"},
			query.Options{}, query.Preferences{Resolution: query.ResolutionIgnoreDuplicates, Count: query.CountExact, Missing: query.MissingNull,
				Handling: query.HandlingLenient, MaxAffected: ptr(int64(5999)), Invalid: []string{"invalid"}}},
		{"removed params=single-object is unknown", []string{"params=single-object"}, query.Options{}, query.Preferences{Invalid: []string{"params=single-object"}}},
		{"values are case-sensitive", []string{"Return=Minimal"}, query.Options{}, query.Preferences{Invalid: []string{"Return=Minimal"}}},
		{"empty elements skipped", []string{"count=exact,, ", ""}, query.Options{}, query.Preferences{Count: query.CountExact}},
		{"maxAffected from supabase-js", []string{"handling=strict", "max-affected=10"}, query.Options{},
			query.Preferences{Handling: query.HandlingStrict, MaxAffected: ptr(int64(10))}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := query.ParsePrefer(tt.values, tt.opts)
			if err != nil {
				t.Fatalf("ParsePrefer(%q): %v", tt.values, err)
			}
			assertEqual(t, got, tt.want)
			again, err := query.ParsePrefer([]string{got.String()}, tt.opts)
			if err != nil {
				t.Fatalf("re-parse of %q: %v", got.String(), err)
			}
			got.Invalid = nil
			assertEqual(t, again, got)
		})
	}
}

func TestParsePreferStrict(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		values  []string
		details string
	}{
		{"unknown preference", []string{"handling=strict, anything"}, "Invalid preferences: anything"},
		{"several unknown across headers", []string{"foo=bar", "handling=strict", "return=everything"}, "Invalid preferences: foo=bar, return=everything"},
		{"bad timezone", []string{"handling=strict, timezone=Nowhere/Land"}, "Invalid preferences: timezone=Nowhere/Land"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := query.ParsePrefer(tt.values, query.Options{ValidTimezone: func(string) bool { return false }})
			qe := wantError(t, err, query.ErrInvalidPreferences, http.StatusBadRequest, "Invalid preferences given with handling=strict")
			if qe.Details != tt.details {
				t.Errorf("details = %q, want %q", qe.Details, tt.details)
			}
		})
	}
}

func TestPreferencesString(t *testing.T) {
	t.Parallel()
	p := query.Preferences{
		Return: query.ReturnRepresentation, Count: query.CountExact, Resolution: query.ResolutionMergeDuplicates,
		Missing: query.MissingDefault, Handling: query.HandlingStrict, Tx: query.TxRollback, Timezone: "UTC", MaxAffected: ptr(int64(3)),
	}
	want := "resolution=merge-duplicates, missing=default, return=representation, count=exact, tx=rollback, handling=strict, timezone=UTC, max-affected=3"
	if got := p.String(); got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}
