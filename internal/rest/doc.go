// Package rest is the Data API (/rest/v1): PostgREST v14's dialect over
// HTTP, so that @supabase/supabase-js works unchanged. A request is parsed
// (internal/rest/query), planned into one SQL statement against the schema
// cache (internal/rest/plan, internal/rest/schema), and run as the
// caller's role in one pipelined transaction (database.Runner), where row
// level security decides every row.
//
// Mount it with the prefix stripped:
//
//	api, err := rest.New(ctx, rest.Options{Runner: runner, Pool: pool, Authenticate: auth})
//	mux.Handle("/rest/v1/", http.StripPrefix("/rest/v1", api))
//	defer api.Close()
package rest
