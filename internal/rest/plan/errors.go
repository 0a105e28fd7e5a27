package plan

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// Error is a Data API error in PostgREST's shape: it marshals to
// {"code","details","hint","message"}, with null for an empty Details or
// Hint. Details may be a string or, for PGRST201, a list of objects.
type Error struct {
	Status  int
	Code    string
	Message string
	Details any
	Hint    string
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Code, e.Message) }

// Is matches another *Error with the same code, so that the sentinels
// below work with errors.Is.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// MarshalJSON writes the PostgREST error body, keys in PostgREST's order.
func (e *Error) MarshalJSON() ([]byte, error) {
	var details, hint any
	switch d := e.Details.(type) {
	case nil:
	case string:
		if d != "" {
			details = d
		}
	default:
		details = d
	}
	if e.Hint != "" {
		hint = e.Hint
	}
	return json.Marshal(struct {
		Code    string `json:"code"`
		Details any    `json:"details"`
		Hint    any    `json:"hint"`
		Message string `json:"message"`
	}{e.Code, details, hint, e.Message})
}

// Sentinels for errors.Is, one per code this package returns.
var (
	ErrInvalidBody        = &Error{Code: "PGRST102"}
	ErrNotEmbedded        = &Error{Code: "PGRST108"}
	ErrRelatedOrder       = &Error{Code: "PGRST118"}
	ErrEmbedFilter        = &Error{Code: "PGRST120"}
	ErrAggregates         = &Error{Code: "PGRST123"}
	ErrNoRelationship     = &Error{Code: "PGRST200"}
	ErrAmbiguousEmbed     = &Error{Code: "PGRST201"}
	ErrFunctionNotFound   = &Error{Code: "PGRST202"}
	ErrAmbiguousFunction  = &Error{Code: "PGRST203"}
	ErrColumnNotFound     = &Error{Code: "PGRST204"}
	ErrRelationNotFound   = &Error{Code: "PGRST205"}
	ErrUndefinedColumn    = &Error{Code: "42703"}
	ErrUnfilteredWrite    = &Error{Code: "21000"}
	ErrRPCMethod          = &Error{Code: "PGRST101"}
	ErrUnsupportedFeature = &Error{Code: "PGRST127"}
)

func newError(status int, code, message string, details any, hint string) *Error {
	return &Error{Status: status, Code: code, Message: message, Details: details, Hint: hint}
}

func undefinedColumn(table, column string) *Error {
	return newError(http.StatusBadRequest, "42703", fmt.Sprintf("column %s.%s does not exist", table, column), nil, "")
}

func columnNotFound(table, column string) *Error {
	return newError(http.StatusBadRequest, "PGRST204",
		fmt.Sprintf("Could not find the '%s' column of '%s' in the schema cache", column, table), nil, "")
}

func invalidBody(message string) *Error {
	return newError(http.StatusBadRequest, "PGRST102", message, nil, "")
}

func notImplemented(feature string) *Error {
	return newError(http.StatusBadRequest, "PGRST127", "Feature not implemented", feature, "")
}
