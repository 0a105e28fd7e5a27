// Package auth is the Auth API (/auth/v1) in GoTrue's dialect, so that
// @supabase/supabase-js auth works unchanged: sign-up, the password,
// refresh_token and pkce grants, the user, logout, recovery, one-time
// codes and links, verification, the admin API, settings and JWKS.
//
// Users, identities, sessions and tokens live in the auth schema with
// GoTrue's table and column names; every statement runs as
// supabase_auth_admin through the request runner, so triggers that
// products hang on auth.users fire on sign-up. Mail is written to the
// outbox in the same transaction (internal/mail) and sent after commit.
//
// Handlers return errors; one renderer writes them in GoTrue's shapes,
// the 2024-01-01 {code,message} form when the client sends
// X-Supabase-Api-Version, the legacy {code,error_code,msg} form otherwise.
package auth
