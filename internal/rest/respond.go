package rest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/creatorbase/creatorbase/internal/rest/plan"
	"github.com/creatorbase/creatorbase/internal/rest/query"
)

// respond writes a successful result: status, headers and body as
// PostgREST's Response.hs does for each action.
func (rr *request) respond(action plan.Action, rt route, pl *plan.Plan, q *query.Request, res *result) error {
	h := rr.w.Header()
	total := res.total
	switch q.Prefer.Count {
	case query.CountPlanned:
		total = res.estimate
	case query.CountEstimated:
		if total == nil || (rr.h.opts.MaxRows > 0 && *total > int64(rr.h.opts.MaxRows)) {
			if res.estimate != nil && (total == nil || *res.estimate > *total) {
				total = res.estimate
			}
		}
	}
	if len(rr.cache.Schemas) > 1 {
		h.Set("Content-Profile", rr.schema)
	}
	if applied := appliedPreferences(pl, q, action); applied != "" {
		h.Set("Preference-Applied", applied)
	}
	status := http.StatusOK
	body := res.body
	switch action {
	case plan.ActionRead, plan.ActionCall:
		if pl.Single && res.pageTotal != 1 && !pl.Void {
			return singularError(res.pageTotal)
		}
		lower := pl.Offset
		upper := lower + res.pageTotal - 1
		if total != nil && lower > *total {
			h.Set("Content-Range", "*/"+strconv.FormatInt(*total, 10))
			return &apiError{Status: http.StatusRequestedRangeNotSatisfiable, Code: "PGRST103",
				Message: "Requested range not satisfiable",
				Details: "An offset of " + strconv.FormatInt(lower, 10) + " was requested, but there are only " +
					strconv.FormatInt(*total, 10) + " rows."}
		}
		if total != nil && 1+upper-lower < *total {
			status = http.StatusPartialContent
		}
		h.Set("Content-Range", contentRange(lower, upper, total))
		if action == plan.ActionRead {
			loc := "/" + rt.name
			if q.Canonical != "" {
				loc += "?" + q.Canonical
			}
			h.Set("Content-Location", loc)
		}
		if pl.Void {
			status, body = http.StatusNoContent, nil
		}
	case plan.ActionInsert:
		status = http.StatusCreated
		if pl.UpsertApplied && q.Prefer.Resolution == query.ResolutionMergeDuplicates &&
			(res.inserted == nil || *res.inserted == 0) {
			status = http.StatusOK
		}
		h.Set("Content-Range", "*/"+totalString(total))
		if len(res.location) > 0 && res.pageTotal == 1 && len(res.location) == len(pl.KeyColumns) {
			var parts []string
			for i, c := range pl.KeyColumns {
				parts = append(parts, url.QueryEscape(c)+"=eq."+url.QueryEscape(res.location[i]))
			}
			h.Set("Location", "/"+rt.name+"?"+strings.Join(parts, "&"))
		}
	case plan.ActionUpdate:
		h.Set("Content-Range", contentRange(0, res.pageTotal-1, total))
	case plan.ActionDelete:
		h.Set("Content-Range", "*/"+totalString(total))
	}
	if action != plan.ActionRead && action != plan.ActionCall {
		if q.Prefer.Return != query.ReturnRepresentation {
			body = nil
			if status == http.StatusOK {
				status = http.StatusNoContent
			}
			if action == plan.ActionInsert && status == http.StatusNoContent {
				status = http.StatusOK // an upsert that only updated, without a body
			}
		} else if pl.Single && res.pageTotal != 1 {
			return singularError(res.pageTotal)
		}
	}
	if res.headers != nil {
		if err := applyResponseHeaders(h, *res.headers); err != nil {
			return err
		}
	}
	if res.status != nil {
		n, err := strconv.Atoi(strings.TrimSpace(*res.status))
		if err != nil || n < 100 || n > 599 {
			return &apiError{Status: http.StatusInternalServerError, Code: "PGRST112",
				Message: "Invalid response status", Details: "response.status must be a valid status code"}
		}
		status = n
	}
	if status != http.StatusNoContent && (len(body) > 0 || action == plan.ActionRead || action == plan.ActionCall) {
		h.Set("Content-Type", q.Accept.ContentType())
	}
	if len(body) > 0 && rr.r.Method != http.MethodHead {
		h.Set("Content-Length", strconv.Itoa(len(body)))
	}
	rr.w.WriteHeader(status)
	if rr.r.Method != http.MethodHead && status != http.StatusNoContent {
		_, _ = rr.w.Write(body)
	}
	return nil
}

// contentRange is "lower-upper/total", or "*/total" for no rows.
func contentRange(lower, upper int64, total *int64) string {
	if (total != nil && *total == 0) || lower > upper {
		return "*/" + totalString(total)
	}
	return strconv.FormatInt(lower, 10) + "-" + strconv.FormatInt(upper, 10) + "/" + totalString(total)
}

func totalString(total *int64) string {
	if total == nil {
		return "*"
	}
	return strconv.FormatInt(*total, 10)
}

// appliedPreferences echoes what was honoured, in PostgREST's order.
func appliedPreferences(pl *plan.Plan, q *query.Request, action plan.Action) string {
	p := q.Prefer
	var out query.Preferences
	if pl.UpsertApplied {
		out.Resolution = p.Resolution
	}
	if pl.MissingDefault {
		out.Missing = p.Missing
	}
	if action != plan.ActionRead && action != plan.ActionCall {
		out.Return = p.Return
	}
	out.Count = p.Count
	out.Tx = p.Tx
	out.Handling = p.Handling
	out.Timezone = p.Timezone
	if p.Handling == query.HandlingStrict {
		out.MaxAffected = p.MaxAffected
	}
	return out.String()
}

// applyResponseHeaders copies response.headers (a JSON array of one-key
// objects, set from SQL) onto the response.
func applyResponseHeaders(h http.Header, raw string) error {
	var list []map[string]string
	if err := json.Unmarshal([]byte(raw), &list); err != nil {
		return &apiError{Status: http.StatusInternalServerError, Code: "PGRST111",
			Message: "Invalid response.headers", Details: "response.headers must be an array of one-key objects"}
	}
	for _, m := range list {
		for k, v := range m {
			h.Set(k, v)
		}
	}
	return nil
}

// fail writes an error in PostgREST's shape.
func (rr *request) fail(err error) {
	ae := toAPIError(err, rr.role)
	if ae.Status >= 500 && ae.Code == "PGRST000" {
		rr.h.log.Error("rest: internal error", "error", err.Error(), "path", rr.r.URL.Path)
	}
	h := rr.w.Header()
	for _, k := range []string{"Content-Location", "Preference-Applied", "Content-Length"} {
		h.Del(k)
	}
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Proxy-Status", "PostgREST; error="+ae.Code)
	if ae.Status == http.StatusUnauthorized {
		h.Set("WWW-Authenticate", wwwAuthenticate(ae))
	}
	b, merr := json.Marshal(ae)
	if merr != nil {
		b = []byte(`{"code":"PGRST000","details":null,"hint":null,"message":"Internal server error"}`)
	}
	rr.w.WriteHeader(ae.Status)
	if rr.r.Method != http.MethodHead {
		_, _ = rr.w.Write(b)
	}
}

func wwwAuthenticate(ae *apiError) string {
	switch ae.Code {
	case "PGRST301", "PGRST303":
		return `Bearer error="invalid_token", error_description="` + strings.ReplaceAll(ae.Message, `"`, `'`) + `"`
	}
	return "Bearer"
}

// openAPI answers GET / (see openapi.go).
func (rr *request) openAPI() error {
	if rr.role != "service_role" {
		status := http.StatusForbidden
		if rr.role == "anon" {
			status = http.StatusUnauthorized
		}
		return &apiError{Status: status, Code: "42501", Message: "permission denied: the OpenAPI document needs the service_role key"}
	}
	if rr.r.Method != http.MethodGet && rr.r.Method != http.MethodHead {
		return &apiError{Status: http.StatusMethodNotAllowed, Code: "PGRST117", Message: "Unsupported HTTP method: " + rr.r.Method}
	}
	doc, err := openAPIDocument(rr.cache, rr.schema, rr.r)
	if err != nil {
		return err
	}
	rr.w.Header().Set("Content-Type", "application/openapi+json; charset=utf-8")
	rr.w.WriteHeader(http.StatusOK)
	if rr.r.Method != http.MethodHead {
		_, _ = rr.w.Write(doc)
	}
	return nil
}
