package jwtauth

import (
	"net/http"
	"strings"
)

// FromRequest returns the claims of r by the gateway algorithm of the
// package comment: the bearer token unless it is empty or an opaque sb_
// key, else the apikey (header, then query parameter), else anon.
func (v *Verifier) FromRequest(r *http.Request) (Claims, error) {
	token, isAPIKey := credential(r)
	if isAPIKey {
		return v.keyClaims(token)
	}
	return v.Verify(token)
}

// credential is what decides who r is: its bearer token unless that is
// empty or an opaque sb_ key, else its apikey (which may be empty).
func credential(r *http.Request) (token string, isAPIKey bool) {
	token = BearerToken(r.Header.Get("Authorization"))
	if token == "" || strings.HasPrefix(token, "sb_") {
		return APIKey(r), true
	}
	return token, false
}

// BearerToken returns the token of an "Authorization: Bearer <token>"
// header value (the scheme in any case), or "".
func BearerToken(header string) string {
	scheme, token, ok := strings.Cut(strings.TrimSpace(header), " ")
	if !ok || !strings.EqualFold(scheme, "bearer") {
		return ""
	}
	return strings.TrimSpace(token)
}

// HasUserToken reports whether r carries a bearer token that is not an
// API key, which endpoints that need a signed-in user require.
func HasUserToken(r *http.Request) bool {
	t := BearerToken(r.Header.Get("Authorization"))
	return t != "" && !strings.HasPrefix(t, "sb_")
}

// APIKey is the apikey header, or else the apikey query parameter.
func APIKey(r *http.Request) string {
	if k := r.Header.Get("apikey"); k != "" {
		return k
	}
	if r.URL == nil || !strings.Contains(r.URL.RawQuery, "apikey") {
		return ""
	}
	return r.URL.Query().Get("apikey")
}
