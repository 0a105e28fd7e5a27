package rest

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/creatorbase/creatorbase/internal/database"
	"github.com/creatorbase/creatorbase/internal/rest/plan"
	"github.com/creatorbase/creatorbase/internal/rest/query"
)

// Errors an Authenticate function returns, wrapped with a message for the
// client: fmt.Errorf("%w: JWT expired", rest.ErrJWTExpired). The text after
// the sentinel's becomes the response's message.
var (
	// ErrJWTInvalid is a malformed or badly signed token: 401 PGRST301.
	ErrJWTInvalid = errors.New("invalid JWT")
	// ErrJWTExpired is a token whose claims fail validation (exp, nbf,
	// iat, aud): 401 PGRST303.
	ErrJWTExpired = errors.New("JWT claims invalid")
	// ErrAnonymousDisabled is a request without a token where anonymous
	// access is off: 401 PGRST302.
	ErrAnonymousDisabled = errors.New("anonymous access is disabled")
	// ErrRoleNotAllowed is a token whose role is not anon, authenticated
	// or service_role: 401, as PostgREST answers an unknown role.
	ErrRoleNotAllowed = errors.New("role not allowed")
)

// apiError is the error every failure becomes before it is written.
type apiError = plan.Error

// authError maps what Authenticate returned.
func authError(err error) *apiError {
	msg := func(sentinel error, def string) string {
		s := err.Error()
		if m, ok := strings.CutPrefix(s, sentinel.Error()+": "); ok && m != "" {
			return m
		}
		return def
	}
	switch {
	case errors.Is(err, ErrJWTExpired):
		return &apiError{Status: http.StatusUnauthorized, Code: "PGRST303", Message: msg(ErrJWTExpired, "JWT expired")}
	case errors.Is(err, ErrAnonymousDisabled):
		return &apiError{Status: http.StatusUnauthorized, Code: "PGRST302", Message: "Anonymous access is disabled"}
	case errors.Is(err, ErrRoleNotAllowed):
		return &apiError{Status: http.StatusUnauthorized, Code: "22023", Message: msg(ErrRoleNotAllowed, "role not allowed")}
	default:
		return &apiError{Status: http.StatusUnauthorized, Code: "PGRST301", Message: msg(ErrJWTInvalid, "JWT invalid")}
	}
}

// toAPIError turns any failure into the response error. Database errors
// keep PostgreSQL's code, message, detail and hint, as PostgREST forwards
// them; anything else is a 500 with no internal detail.
func toAPIError(err error, role string) *apiError {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae
	}
	var qe *query.Error
	if errors.As(err, &qe) {
		return &apiError{Status: qe.Status, Code: qe.Code, Message: qe.Message, Details: qe.Details, Hint: qe.Hint}
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return &apiError{Status: pgStatus(pe, role), Code: pe.Code, Message: pe.Message, Details: pe.Detail, Hint: pe.Hint}
	}
	if errors.Is(err, database.ErrPoolTimeout) {
		return &apiError{Status: http.StatusGatewayTimeout, Code: "PGRST003", Message: "Timed out acquiring connection from connection pool."}
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) || pgconn.SafeToRetry(err) {
		return &apiError{Status: http.StatusServiceUnavailable, Code: "PGRST001", Message: "Database client error. Retrying the connection."}
	}
	return &apiError{Status: http.StatusInternalServerError, Code: "PGRST000", Message: "Internal server error"}
}

// pgStatus is PostgREST's SQLSTATE → HTTP status table (Error.hs pgErrorStatus).
func pgStatus(e *pgconn.PgError, role string) int {
	c := e.Code
	switch {
	case c == "42501":
		if role == "anon" {
			return http.StatusUnauthorized
		}
		return http.StatusForbidden
	case c == "21000":
		if strings.HasSuffix(e.Message, "requires a WHERE clause") {
			return http.StatusBadRequest
		}
		return http.StatusInternalServerError
	case c == "22023":
		if strings.HasPrefix(e.Message, "role ") && strings.HasSuffix(e.Message, "does not exist") {
			return http.StatusUnauthorized
		}
		return http.StatusBadRequest
	case c == "23503", c == "23505":
		return http.StatusConflict
	case c == "25006":
		return http.StatusMethodNotAllowed
	case c == "42883":
		if strings.HasPrefix(e.Message, "function xmlagg(") {
			return http.StatusNotAcceptable
		}
		return http.StatusNotFound
	case c == "42P01":
		return http.StatusNotFound
	case c == "42P17", c == "53400":
		return http.StatusInternalServerError
	case c == "P0001":
		return http.StatusBadRequest
	case c == "57P01":
		return http.StatusServiceUnavailable
	case strings.HasPrefix(c, "PT") && len(c) == 5:
		var n int
		if _, err := fmt.Sscanf(c[2:], "%d", &n); err == nil && n >= 100 && n <= 599 {
			return n
		}
		return http.StatusInternalServerError
	}
	if len(c) < 2 {
		return http.StatusInternalServerError
	}
	switch c[:2] {
	case "08", "53":
		return http.StatusServiceUnavailable
	case "09", "25", "2D", "38", "39", "3B", "40", "54", "55", "57", "58", "F0", "HV", "XX", "P0":
		return http.StatusInternalServerError
	case "0L", "0P", "28":
		return http.StatusForbidden
	}
	return http.StatusBadRequest
}
