package auth

import (
	"errors"
	"net/http"
	"strings"

	"github.com/creatorbase/creatorbase/internal/jwtauth"
)

// requireUser returns the claims of a signed-in user's access token, or
// GoTrue's 401/403 answers.
func (a *API) requireUser(r *http.Request) (jwtauth.Claims, error) {
	if !jwtauth.HasUserToken(r) {
		return nil, newError(http.StatusUnauthorized, "no_authorization", "This endpoint requires a valid Bearer token")
	}
	c, err := a.opts.Verifier.Verify(jwtauth.BearerToken(r.Header.Get("Authorization")))
	if errors.Is(err, jwtauth.ErrMissingSub) {
		return nil, forbidden("bad_jwt", "invalid claim: missing sub claim").withCause(err)
	}
	if err != nil {
		return nil, badJWT(err)
	}
	if c.Sub() == "" {
		return nil, forbidden("bad_jwt", "invalid claim: missing sub claim")
	}
	return c, nil
}

// requireAdmin returns the caller's claims when its role is service_role
// (GoTrue's JWT_ADMIN_ROLES default here); opaque sb_secret_ keys count.
func (a *API) requireAdmin(r *http.Request) (jwtauth.Claims, error) {
	if jwtauth.BearerToken(r.Header.Get("Authorization")) == "" && jwtauth.APIKey(r) == "" {
		return nil, newError(http.StatusUnauthorized, "no_authorization", "This endpoint requires a valid Bearer token")
	}
	c, err := a.opts.Verifier.FromRequest(r)
	if err != nil {
		return nil, badJWT(err)
	}
	if c.Role() != jwtauth.RoleServiceRole {
		return nil, forbidden("not_admin", "User not allowed")
	}
	return c, nil
}

func badJWT(err error) *apiError {
	detail := err.Error()
	for _, p := range []string{jwtauth.ErrTokenInvalid.Error() + ": ", jwtauth.ErrClaimsInvalid.Error() + ": "} {
		detail = strings.TrimPrefix(detail, p)
	}
	return forbidden("bad_jwt", "invalid JWT: unable to parse or verify signature, %s", detail).withCause(err)
}
