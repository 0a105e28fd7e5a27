package auth

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/creatorbase/creatorbase/internal/auth/password"
	"github.com/creatorbase/creatorbase/internal/database"
	"github.com/creatorbase/creatorbase/internal/server"
)

// apiError is an error a client sees: a status, GoTrue's error code and
// message. The cause stays in the logs.
type apiError struct {
	status     int
	code       string
	msg        string
	oauth      string // when set: {"error": oauth, "error_description": msg}
	weak       *password.WeakPasswordError
	retryAfter time.Duration
	cause      error
}

func (e *apiError) Error() string {
	if e.cause != nil {
		return e.code + ": " + e.msg + ": " + e.cause.Error()
	}
	return e.code + ": " + e.msg
}

func (e *apiError) Unwrap() error { return e.cause }

func newError(status int, code, format string, args ...any) *apiError {
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	return &apiError{status: status, code: code, msg: msg}
}

func (e *apiError) withCause(err error) *apiError { e.cause = err; return e }

func badRequest(code, format string, args ...any) *apiError {
	return newError(http.StatusBadRequest, code, format, args...)
}

func unprocessable(code, format string, args ...any) *apiError {
	return newError(http.StatusUnprocessableEntity, code, format, args...)
}

func forbidden(code, format string, args ...any) *apiError {
	return newError(http.StatusForbidden, code, format, args...)
}

func oauthError(kind, description string) *apiError {
	return &apiError{status: http.StatusBadRequest, code: kind, oauth: kind, msg: description}
}

// Errors used in several places.
var (
	errInvalidCredentials = func() *apiError {
		return badRequest("invalid_credentials", "Invalid login credentials")
	}
	errOTPExpired = func() *apiError {
		return forbidden("otp_expired", "Token has expired or is invalid")
	}
	errEmailExists = func() *apiError {
		return unprocessable("email_exists", "A user with this email address has already been registered")
	}
	errUserNotFound = func() *apiError {
		return newError(http.StatusNotFound, "user_not_found", "User not found")
	}
)

func errDatabase(cause error, msg string) *apiError {
	return newError(http.StatusInternalServerError, "unexpected_failure", "%s", msg).withCause(cause)
}

func weakPassword(w *password.WeakPasswordError) *apiError {
	e := unprocessable("weak_password", "%s", w.Message)
	e.weak = w
	return e
}

func rateLimited(code, msg string, retry time.Duration) *apiError {
	e := newError(http.StatusTooManyRequests, code, "%s", msg)
	e.retryAfter = retry
	return e
}

// handle adapts a handler that returns an error, rendering the error.
func (a *API) handle(fn func(w http.ResponseWriter, r *http.Request) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := fn(w, r); err != nil {
			a.renderError(w, r, err)
		}
	})
}

// renderError writes err in GoTrue's shapes; anything that is not an
// apiError is a 500 (504 when no pool connection came free) whose cause
// is logged, never sent.
func (a *API) renderError(w http.ResponseWriter, r *http.Request, err error) {
	var e *apiError
	switch {
	case errors.As(err, &e):
	case errors.Is(err, database.ErrPoolTimeout):
		e = newError(http.StatusGatewayTimeout, "request_timeout",
			"Processing this request timed out, please retry after a moment.").withCause(err)
	default:
		e = newError(http.StatusInternalServerError, "unexpected_failure",
			"Unexpected failure, please check server logs for more information").withCause(err)
	}
	reqID := server.RequestID(r.Context())
	if e.status >= 500 {
		a.opts.Logger.ErrorContext(r.Context(), "auth request failed", "request_id", reqID, "code", e.code, "error", err)
	} else if e.cause != nil {
		a.opts.Logger.InfoContext(r.Context(), "auth request refused", "request_id", reqID, "code", e.code, "error", err)
	}
	h := w.Header()
	if e.retryAfter > 0 {
		h.Set("Retry-After", strconv.Itoa(int(math.Ceil(e.retryAfter.Seconds()))))
	}
	if e.oauth != "" {
		writeJSON(w, e.status, map[string]string{"error": e.oauth, "error_description": e.msg})
		return
	}
	h.Set("X-Sb-Error-Code", e.code)
	var weak any
	if e.weak != nil {
		weak = map[string]any{"reasons": e.weak.Reasons}
	}
	if newAPIVersion(r) {
		writeJSON(w, e.status, struct {
			Code    string `json:"code"`
			Message string `json:"message"`
			Weak    any    `json:"weak_password,omitempty"`
		}{e.code, e.msg, weak})
		return
	}
	body := struct {
		Code      int    `json:"code"`
		ErrorCode string `json:"error_code"`
		Msg       string `json:"msg"`
		ErrorID   string `json:"error_id,omitempty"`
		Weak      any    `json:"weak_password,omitempty"`
	}{Code: e.status, ErrorCode: e.code, Msg: e.msg, Weak: weak}
	if e.status >= 500 {
		body.ErrorID = reqID
	}
	writeJSON(w, e.status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"code":"unexpected_failure","message":"Unexpected failure"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
