package jwtauth

import (
	"encoding/json"
	"time"
)

// Claims is a JWT payload. The Data API stores it, as JSON, in
// request.jwt.claims; auth.jwt() reads it back.
type Claims map[string]any

// Roles a token may carry.
const (
	RoleAnon          = "anon"
	RoleAuthenticated = "authenticated"
	RoleServiceRole   = "service_role"
)

// AnonClaims are the claims of a request without any token.
func AnonClaims() Claims { return Claims{"role": RoleAnon} }

// Role is the role claim (anon when absent, as PostgREST's db-anon-role).
func (c Claims) Role() string {
	if r, ok := c["role"].(string); ok && r != "" {
		return r
	}
	return RoleAnon
}

// Sub is the user id claim, or "".
func (c Claims) Sub() string { return c.str("sub") }

// SessionID is GoTrue's session_id claim, or "".
func (c Claims) SessionID() string { return c.str("session_id") }

// Email is the email claim, or "".
func (c Claims) Email() string { return c.str("email") }

// ExpiresAt is the exp claim, or the zero time.
func (c Claims) ExpiresAt() time.Time {
	if f, ok := c["exp"].(float64); ok {
		return time.Unix(int64(f), 0)
	}
	return time.Time{}
}

// JSON is the payload as JSON, role filled in.
func (c Claims) JSON() ([]byte, error) {
	if _, ok := c["role"]; ok {
		return json.Marshal(map[string]any(c))
	}
	m := make(map[string]any, len(c)+1)
	for k, v := range c {
		m[k] = v
	}
	m["role"] = RoleAnon
	return json.Marshal(m)
}

func (c Claims) str(k string) string {
	s, _ := c[k].(string)
	return s
}

func (c Claims) clone() Claims {
	out := make(Claims, len(c))
	for k, v := range c {
		out[k] = v
	}
	return out
}
