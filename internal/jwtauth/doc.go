// Package jwtauth decides who a request is: it verifies the project's
// HS256 JWTs and maps API keys to roles exactly as Supabase's gateway
// (Kong) followed by PostgREST does, for the Auth API and the Data API.
//
// A request's claims come from FromRequest:
//
//	token := bearer(Authorization)
//	if token == "" or token starts with "sb_": token := keyToJWT(apikey)
//	if token == "": claims := {"role":"anon"}
//	else: claims := Verify(token)
//
// where the apikey (header or query parameter) may be the opaque
// sb_publishable_/sb_secret_ key (mapped to the anon/service_role key's
// claims) or a legacy JWT key (verified like any token).
//
// Verify accepts HS256 only, with the project secret; checks exp, nbf and
// iat with 30 s leeway (as PostgREST); checks aud when the Verifier has an
// audience (an absent aud passes, as in PostgREST); and allows only the
// roles anon, authenticated and service_role (a missing role means anon).
// An authenticated token must name its user (sub).
//
// Every refusal wraps one of two classes, so callers can map them:
// ErrTokenInvalid (cannot be parsed or its signature does not verify:
// PostgREST PGRST301) and ErrClaimsInvalid (verified, but its claims are
// refused: PGRST303). errors.Is also matches the specific sentinels
// (ErrExpired, ErrRole, ...).
package jwtauth
