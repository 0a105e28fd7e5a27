package rest

import (
	"net/http"
	"strings"

	"github.com/creatorbase/creatorbase/internal/memo"
	"github.com/creatorbase/creatorbase/internal/rest/plan"
	"github.com/creatorbase/creatorbase/internal/rest/query"
	"github.com/creatorbase/creatorbase/internal/rest/schema"
)

// Reads repeat: an application asks the same question of the same table
// for every user, and only the JWT changes. A read's plan depends on the
// schema cache, the path, the query string and a few headers — never on
// who asks (row level security decides that inside PostgreSQL) — so it is
// built once and kept. Writes are planned afresh, their bodies differ.
const (
	// planCacheEntries bounds the plans kept (per generation, see memo).
	planCacheEntries = 512
	// planKeyMaxBytes: requests with longer query strings and headers are
	// planned every time rather than kept.
	planKeyMaxBytes = 2048
)

// planKey is everything query.ParseRequest and plan.Build read for a
// GET or HEAD.
type planKey struct {
	cache                *schema.Cache // a reload starts afresh
	schema, method, name string
	rpc                  bool
	rawQuery             string
	prefer, accept, rng  string
	contentType          string
}

// planned is a cached read: both values are read, never changed, by the
// requests that share them.
type planned struct {
	q  *query.Request
	pl *plan.Plan
}

func newPlanCache() *memo.Cache[planKey, planned] {
	return memo.New[planKey, planned](planCacheEntries)
}

// readKey returns the cache key of a read, or false when the request is
// not one to cache.
func (rr *request) readKey(rt route, action plan.Action) (planKey, bool) {
	if action != plan.ActionRead && action != plan.ActionCall {
		return planKey{}, false
	}
	if rr.r.Method != http.MethodGet && rr.r.Method != http.MethodHead {
		return planKey{}, false
	}
	h := rr.r.Header
	k := planKey{cache: rr.cache, schema: rr.schema, method: rr.r.Method, name: rt.name, rpc: rt.rpc,
		rawQuery: rr.r.URL.RawQuery, prefer: joined(h, "Prefer"), accept: joined(h, "Accept"),
		rng: h.Get("Range"), contentType: h.Get("Content-Type")}
	if len(k.rawQuery)+len(k.prefer)+len(k.accept)+len(k.rng)+len(k.contentType)+len(k.name) > planKeyMaxBytes {
		return planKey{}, false
	}
	return k, true
}

// joined is every value of a header, in order; a single value without
// copying it.
func joined(h http.Header, name string) string {
	vs := h.Values(name)
	if len(vs) == 1 {
		return vs[0]
	}
	return strings.Join(vs, "\n")
}
