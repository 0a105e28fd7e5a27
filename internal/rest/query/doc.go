// Package query parses the query string and headers of a PostgREST-dialect
// request (Supabase's /rest/v1) into a typed syntax tree. It only parses: it
// knows nothing about the schema and writes no SQL.
//
// The reference is PostgREST v14 (src/PostgREST/ApiRequest/QueryParams.hs,
// Preferences.hs, MediaType.hs, RangeQuery.hs); see
// /work/shared/reference/supabase-wire.md §2.1–2.8. A request such as
//
//	GET /todos?select=id,user:profiles!todos_user_id_fkey(name)&done=eq.false&or=(a.eq.1,b.is.null)&order=id.desc.nullsfirst&offset=0&limit=10
//
// becomes a Request with a select tree (SelectItem), filters (Filter), logic
// trees (Logic), orders (Order), ranges (Range), the Prefer preferences and the
// negotiated media type. Each part has its own parser (ParseSelect,
// ParseFilter, ParseLogic, ParseOrder, ParseColumns, ParsePrefer, ParseAccept,
// …) and a String or Param method that writes it back in a form that parses to
// the same tree.
//
// Every failure is an *Error carrying PostgREST's code, HTTP status, message
// and details, e.g. PGRST100 with the message
// `"failed to parse filter (noop.1)" (line 1, column 1)`. The details follow
// Parsec's wording ("unexpected … expecting …") but are not guaranteed to be
// identical to PostgREST's for every input.
//
// Deliberate differences from PostgREST:
//   - Text left over after a complete parameter is an error. PostgREST ignores
//     it in filter keys (a.b->c.d), after in.(…) and is.null, and after a
//     select list or logic tree, which silently changes the meaning of a typo.
//   - A negative embedded limit is PGRST103 like a top-level one (PostgREST
//     fails later), and a negative offset is reported up front with the error
//     Postgres would raise (2201X "OFFSET must not be negative").
//   - A non-numeric limit is ignored even when an offset is given (PostgREST
//     then treats the limit as 0).
//   - Media type names are matched case-insensitively.
//   - Empty elements of a Prefer header ("count=exact,") are skipped, as RFC
//     9110 asks, instead of being invalid preferences.
//   - An unquoted !left or !inner is only a join type when it is the whole
//     parameter ("!leftovers" is a hint, not a parse error).
//   - A blank embed, rel( ), is accepted like rel().
//   - Nesting of embeds and logic trees is limited to 64 levels.
package query
