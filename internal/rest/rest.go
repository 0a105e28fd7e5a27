package rest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/creatorbase/creatorbase/internal/database"
	"github.com/creatorbase/creatorbase/internal/memo"
	"github.com/creatorbase/creatorbase/internal/rest/plan"
	"github.com/creatorbase/creatorbase/internal/rest/query"
	"github.com/creatorbase/creatorbase/internal/rest/schema"
)

// Options configure the Data API.
type Options struct {
	// Runner runs request transactions (required).
	Runner *database.Runner
	// Pool reads the catalog for the schema cache; its connection settings
	// also open the LISTEN connection (required).
	Pool *pgxpool.Pool
	// Schemas are the exposed schemas; the first is the default profile.
	// Default: DefaultSchemas, those that exist.
	Schemas []string
	// MaxRows caps the rows of one response (db-max-rows). Default 1000;
	// negative: no cap.
	MaxRows int
	// MaxBodyBytes caps a request body (413 above it). Default 5 MiB.
	MaxBodyBytes int64
	// Authenticate returns the request's role and JWT claims (JSON). Nil
	// serves every request as anon. Its errors should wrap ErrJWTInvalid,
	// ErrJWTExpired, ErrAnonymousDisabled or ErrRoleNotAllowed.
	Authenticate func(*http.Request) (role string, claimsJSON []byte, err error)
	// AllowTxOverride honours Prefer: tx=rollback (PostgREST's
	// db-tx-end=commit-allow-override). Default false, as on Supabase.
	AllowTxOverride bool
	// AllowUnfilteredWrites turns off the refusal of PATCH and DELETE
	// without a filter (Supabase's pg-safeupdate). Default false.
	AllowUnfilteredWrites bool
	// Listen reloads the cache on NOTIFY pgrst (default true unless
	// NoListen).
	NoListen bool
	// Logger receives errors that are not the client's. Default slog.Default().
	Logger *slog.Logger
}

// Handler serves /rest/v1 (mounted with the prefix stripped).
type Handler struct {
	opts       Options
	log        *slog.Logger
	cache      atomic.Pointer[schema.Cache]
	plans      *memo.Cache[planKey, planned]
	listening  atomic.Bool
	cancel     context.CancelFunc
	listenDone chan struct{}
}

// New loads the schema cache and starts listening for reloads. Close it
// to stop the listener.
func New(ctx context.Context, opts Options) (*Handler, error) {
	if opts.Runner == nil || opts.Pool == nil {
		return nil, errors.New("rest: Options.Runner and Options.Pool are required")
	}
	if opts.MaxRows == 0 {
		opts.MaxRows = 1000
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = 5 << 20
	}
	h := &Handler{opts: opts, log: opts.Logger, listenDone: make(chan struct{}), plans: newPlanCache()}
	if h.log == nil {
		h.log = slog.Default()
	}
	if err := h.Reload(ctx); err != nil {
		return nil, err
	}
	lctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	h.cancel = cancel
	if opts.NoListen {
		close(h.listenDone)
	} else {
		go h.listen(lctx)
	}
	return h, nil
}

// Close stops the reload listener and waits for it.
func (h *Handler) Close() error {
	h.cancel()
	<-h.listenDone
	return nil
}

// Schemas returns the exposed schemas.
func (h *Handler) Schemas() []string { return h.cache.Load().Schemas }

// ServeHTTP answers one Data API request.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rr := &request{h: h, w: w, r: r, role: "anon"}
	if err := rr.serve(); err != nil {
		rr.fail(err)
	}
}

// request is one request in flight.
type request struct {
	h      *Handler
	w      http.ResponseWriter
	r      *http.Request
	role   string
	claims []byte
	schema string
	cache  *schema.Cache
}

// route is what the path names.
type route struct {
	root bool
	rpc  bool
	name string
}

func parseRoute(path string) (route, error) {
	path = strings.TrimPrefix(path, "/")
	if path == "" {
		return route{root: true}, nil
	}
	if fn, ok := strings.CutPrefix(path, "rpc/"); ok && fn != "" && !strings.Contains(fn, "/") {
		return route{rpc: true, name: fn}, nil
	}
	if strings.Contains(path, "/") {
		return route{}, &apiError{Status: http.StatusNotFound, Code: "PGRST125", Message: "Invalid path specified in request URL"}
	}
	return route{name: path}, nil
}

// serve is the request, linearly: route → authenticate → schema → parse →
// plan → run → respond.
func (rr *request) serve() error {
	rt, err := parseRoute(rr.r.URL.Path)
	if err != nil {
		return err
	}
	if err := rr.authenticate(); err != nil {
		return err
	}
	rr.cache = rr.h.cache.Load()
	if err := rr.negotiateSchema(); err != nil {
		return err
	}
	if rt.root {
		return rr.openAPI()
	}
	if rr.r.Method == http.MethodOptions {
		return rr.options(rt)
	}
	action, err := actionFor(rt, rr.r.Method)
	if err != nil {
		return err
	}
	q, pl, err := rr.plan(rt, action)
	if err != nil {
		return err
	}
	res, err := rr.run(pl, q)
	if err != nil {
		return err
	}
	return rr.respond(action, rt, pl, q, res)
}

// plan parses and plans the request; a read's plan comes from the plan
// cache when the same read was planned before (see plans.go).
func (rr *request) plan(rt route, action plan.Action) (*query.Request, *plan.Plan, error) {
	key, cacheable := rr.readKey(rt, action)
	if cacheable {
		if p, ok := rr.h.plans.Get(key); ok {
			return p.q, p.pl, nil
		}
	}
	q, err := query.ParseRequest(query.SplitQuery(rr.r.URL.RawQuery), rr.r.Header, query.Options{
		Method: rr.r.Method, RPC: rt.rpc, TxOverride: rr.h.opts.AllowTxOverride,
	})
	if err != nil {
		return nil, nil, err
	}
	body, err := rr.readBody(action)
	if err != nil {
		return nil, nil, err
	}
	in := plan.Input{Cache: rr.cache, Schema: rr.schema, Action: action, Method: rr.r.Method, Name: rt.name,
		Query: q, Body: body, MaxRows: int64(max(rr.h.opts.MaxRows, 0))}
	if (action == plan.ActionUpdate || action == plan.ActionDelete) && rr.h.opts.AllowUnfilteredWrites {
		in.AllowUnfiltered = true
	}
	pl, err := plan.Build(in)
	if err != nil {
		return nil, nil, err
	}
	if cacheable {
		rr.h.plans.Put(key, planned{q: q, pl: pl})
	}
	return q, pl, nil
}

func actionFor(rt route, method string) (plan.Action, error) {
	if rt.rpc {
		switch method {
		case http.MethodGet, http.MethodHead, http.MethodPost:
			return plan.ActionCall, nil
		}
		return 0, &apiError{Status: http.StatusMethodNotAllowed, Code: "PGRST101", Message: "Cannot use the " + method + " method on RPC"}
	}
	switch method {
	case http.MethodGet, http.MethodHead:
		return plan.ActionRead, nil
	case http.MethodPost:
		return plan.ActionInsert, nil
	case http.MethodPatch:
		return plan.ActionUpdate, nil
	case http.MethodDelete:
		return plan.ActionDelete, nil
	}
	return 0, &apiError{Status: http.StatusMethodNotAllowed, Code: "PGRST117", Message: "Unsupported HTTP method: " + method}
}

// authenticate asks Options.Authenticate who is calling.
func (rr *request) authenticate() error {
	if rr.h.opts.Authenticate == nil {
		rr.role, rr.claims = "anon", []byte(`{"role":"anon"}`)
		return nil
	}
	role, claims, err := rr.h.opts.Authenticate(rr.r)
	if err != nil {
		return authError(err)
	}
	if role == "" {
		role = "anon"
	}
	switch role {
	case "anon", "authenticated", "service_role":
	default:
		return authError(fmt.Errorf("%w: role %q does not exist", ErrRoleNotAllowed, role))
	}
	rr.role, rr.claims = role, claims
	return nil
}

// negotiateSchema picks the schema from Accept-Profile (GET, HEAD) or
// Content-Profile (other methods); the first exposed schema by default.
func (rr *request) negotiateSchema() error {
	header := "Content-Profile"
	switch rr.r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		header = "Accept-Profile"
	}
	schemas := rr.cache.Schemas
	want := strings.TrimSpace(rr.r.Header.Get(header))
	if want == "" {
		if len(schemas) == 0 {
			return &apiError{Status: http.StatusServiceUnavailable, Code: "PGRST002", Message: "No schema is exposed"}
		}
		rr.schema = schemas[0]
		return nil
	}
	if !rr.cache.Exposed(want) {
		return &apiError{Status: http.StatusNotAcceptable, Code: "PGRST106", Message: "Invalid schema: " + want,
			Hint: "Only the following schemas are exposed: " + strings.Join(schemas, ", ")}
	}
	rr.schema = want
	return nil
}

// readBody reads the payload of writes and POST /rpc, up to the limit.
func (rr *request) readBody(action plan.Action) ([]byte, error) {
	if rr.r.Body == nil || action == plan.ActionRead || action == plan.ActionDelete ||
		(action == plan.ActionCall && rr.r.Method != http.MethodPost) {
		return nil, nil
	}
	if ct := rr.r.Header.Get("Content-Type"); ct != "" {
		mt := query.ParseMediaType(ct)
		if mt.Kind != query.MediaJSON && mt.Kind != query.MediaAny {
			return nil, &apiError{Status: http.StatusUnsupportedMediaType, Code: "PGRST107",
				Message: "None of these media types are available: " + mt.String()}
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(rr.w, rr.r.Body, rr.h.opts.MaxBodyBytes))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, &apiError{Status: http.StatusRequestEntityTooLarge, Code: "PGRST413",
			Message: fmt.Sprintf("Request body exceeds %d bytes", rr.h.opts.MaxBodyBytes)}
	}
	if err != nil {
		return nil, &apiError{Status: http.StatusBadRequest, Code: "PGRST102", Message: "Empty or invalid json"}
	}
	return body, nil
}

// options answers OPTIONS with the methods the resource allows.
func (rr *request) options(rt route) error {
	allow := "OPTIONS,GET,HEAD"
	if rt.rpc {
		fns := rr.cache.Functions[schema.Name{Schema: rr.schema, Name: rt.name}]
		if len(fns) == 0 {
			return &apiError{Status: http.StatusNotFound, Code: "PGRST202",
				Message: "Could not find the function " + rr.schema + "." + rt.name + " in the schema cache"}
		}
		allow = "OPTIONS,POST"
		for _, f := range fns {
			if f.Volatility != "volatile" {
				allow = "OPTIONS,GET,HEAD,POST"
			}
		}
	} else {
		rel := rr.cache.Relation(rr.schema, rt.name)
		if rel == nil {
			_, err := plan.Build(plan.Input{Cache: rr.cache, Schema: rr.schema, Action: plan.ActionRead, Name: rt.name})
			return err
		}
		if rel.Insertable {
			allow += ",POST"
		}
		if rel.Updatable {
			allow += ",PATCH"
		}
		if rel.Deletable {
			allow += ",DELETE"
		}
	}
	rr.w.Header().Set("Allow", allow)
	rr.w.WriteHeader(http.StatusOK)
	return nil
}
