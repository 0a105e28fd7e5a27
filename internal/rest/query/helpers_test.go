package query_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/creatorbase/creatorbase/internal/rest/query"
)

// col is a field without a JSON path.
func col(name string) query.Field { return query.Field{Name: name} }

// jpath builds a field from a column and alternating arrows and keys:
// jpath("data", "->", "a", "->>", "0") is data->a->>0 (digits become indexes).
func jpath(name string, steps ...string) query.Field {
	f := query.Field{Name: name}
	for i := 0; i+1 < len(steps); i += 2 {
		arrow := query.ArrowJSON
		if steps[i] == "->>" {
			arrow = query.ArrowText
		}
		key := steps[i+1]
		index := strings.Trim(strings.TrimPrefix(key, "-"), "0123456789") == "" && strings.TrimPrefix(key, "-") != ""
		f.JSONPath = append(f.JSONPath, query.JSONStep{Arrow: arrow, Key: key, Index: index})
	}
	return f
}

// jkey is a JSON step holding an object key, even when the key is all digits.
func jkey(arrow query.Arrow, key string) query.JSONStep {
	return query.JSONStep{Arrow: arrow, Key: key}
}

func field(name string) query.SelectItem {
	return query.SelectItem{Kind: query.ItemField, Field: col(name)}
}

func star() query.SelectItem { return field("*") }

func embed(rel string, children ...query.SelectItem) query.SelectItem {
	if children == nil {
		children = []query.SelectItem{}
	}
	return query.SelectItem{Kind: query.ItemEmbed, Relation: rel, Children: children}
}

// wantError checks that err is a *query.Error with the given code, status and
// message prefix, and that it matches the sentinel through errors.Is.
func wantError(t *testing.T, err error, sentinel *query.Error, status int, messagePrefix string) *query.Error {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %s", sentinel.Code)
	}
	var qe *query.Error
	if !errors.As(err, &qe) {
		t.Fatalf("error %v (%T) is not a *query.Error", err, err)
	}
	if !errors.Is(err, sentinel) {
		t.Errorf("errors.Is(%v, %s) = false", err, sentinel.Code)
	}
	if qe.Status != status {
		t.Errorf("status = %d, want %d", qe.Status, status)
	}
	if !strings.HasPrefix(qe.Message, messagePrefix) {
		t.Errorf("message = %q, want prefix %q", qe.Message, messagePrefix)
	}
	return qe
}

func assertEqual[T any](t *testing.T, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		g, _ := json.MarshalIndent(got, "", "  ")
		w, _ := json.MarshalIndent(want, "", "  ")
		t.Errorf("mismatch\n got: %s\nwant: %s", g, w)
	}
}
