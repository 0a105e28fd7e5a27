// Package functions is the /functions/v1 router: Go handlers registered by
// name, reached with supabase-js `functions.invoke(name, { body })` and the
// caller's token. Products register their functions here.
package functions

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"sort"
)

// Caller is who invoked a function, from the verified token.
type Caller struct {
	Role   string          // anon, authenticated or service_role
	UserID string          // the sub claim; empty for anon and service keys
	Claims json.RawMessage // the whole JWT payload
}

// Request is one invocation.
type Request struct {
	Caller Caller
	Method string          // GET or POST
	Body   json.RawMessage // the JSON body (POST); nil when empty
	Query  url.Values
	Header http.Header
}

// Func handles an invocation; what it returns is sent as JSON with 200.
// Return an *Error for an answer other than 500.
type Func func(ctx context.Context, req *Request) (any, error)

// Error is a failure the caller should see, with its status.
type Error struct {
	Status  int
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Message }

// Errorf makes an *Error.
func Errorf(status int, code, format string, args ...any) *Error {
	return &Error{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

// Authenticate verifies the request's token and returns its role and claims.
type Authenticate func(r *http.Request) (role string, claims []byte, err error)

// Registry maps names to functions.
type Registry struct{ funcs map[string]Func }

// NewRegistry returns an empty registry.
func NewRegistry() *Registry { return &Registry{funcs: map[string]Func{}} }

var validName = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,62}$`)

// Register adds a function. Names are lower-case slugs, as on Supabase;
// registering one twice is a programming error.
func (r *Registry) Register(name string, f Func) {
	if !validName.MatchString(name) {
		panic("functions: invalid name " + name)
	}
	if _, dup := r.funcs[name]; dup {
		panic("functions: " + name + " registered twice")
	}
	r.funcs[name] = f
}

// Names lists the registered functions.
func (r *Registry) Names() []string {
	names := make([]string, 0, len(r.funcs))
	for n := range r.funcs {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Handler serves /{name} (mount it under /functions/v1/ with StripPrefix).
func (r *Registry) Handler(auth Authenticate, logger *slog.Logger) http.Handler {
	mux := http.NewServeMux()
	h := &handler{reg: r, auth: auth, logger: logger}
	mux.HandleFunc("GET /{name}", h.serve)
	mux.HandleFunc("POST /{name}", h.serve)
	return mux
}

type handler struct {
	reg    *Registry
	auth   Authenticate
	logger *slog.Logger
}

func (h *handler) serve(w http.ResponseWriter, r *http.Request) {
	if err := h.invoke(w, r); err != nil {
		h.renderError(w, r, err)
	}
}

func (h *handler) invoke(w http.ResponseWriter, r *http.Request) error {
	f, ok := h.reg.funcs[r.PathValue("name")]
	if !ok {
		return Errorf(http.StatusNotFound, "not_found", "Function not found")
	}
	role, claims, err := h.auth(r)
	if err != nil {
		return Errorf(http.StatusUnauthorized, "unauthorized", "Invalid JWT")
	}
	req := &Request{Method: r.Method, Query: r.URL.Query(), Header: r.Header,
		Caller: Caller{Role: role, Claims: claims, UserID: subject(claims)}}
	if r.Method == http.MethodPost {
		body, err := io.ReadAll(r.Body)
		var tooLarge *http.MaxBytesError
		switch {
		case errors.As(err, &tooLarge):
			return Errorf(http.StatusRequestEntityTooLarge, "request_too_large", "Request body too large")
		case err != nil:
			return Errorf(http.StatusBadRequest, "bad_request", "Could not read the request body")
		case len(body) > 0 && !json.Valid(body):
			return Errorf(http.StatusBadRequest, "bad_json", "The request body is not valid JSON")
		case len(body) > 0:
			req.Body = body
		}
	}
	out, err := f(r.Context(), req)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	return json.NewEncoder(w).Encode(out)
}

// renderError sends an *Error as it is and anything else as a generic 500,
// logging the cause; supabase-js turns either into FunctionsHttpError.
func (h *handler) renderError(w http.ResponseWriter, r *http.Request, err error) {
	var fe *Error
	if !errors.As(err, &fe) {
		h.logger.ErrorContext(r.Context(), "function failed", "function", r.PathValue("name"), "error", err)
		fe = &Error{Status: http.StatusInternalServerError, Code: "internal_error", Message: "Internal error"}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(fe.Status)
	_ = json.NewEncoder(w).Encode(map[string]string{"code": fe.Code, "error": fe.Message})
}

func subject(claims []byte) string {
	var c struct {
		Sub string `json:"sub"`
	}
	_ = json.Unmarshal(claims, &c)
	return c.Sub
}
