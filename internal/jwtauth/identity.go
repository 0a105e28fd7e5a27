package jwtauth

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/creatorbase/creatorbase/internal/memo"
)

// Identity is who a request runs as, in the form the Data API needs: the
// role and the claims as JSON (role filled in). Claims is shared between
// requests: read it, never change it.
type Identity struct {
	Role   string
	Claims []byte

	expires time.Time // exp + Leeway; zero when the token has no exp
}

// Identify is FromRequest for callers that need only the role and the
// claims as JSON. Tokens that verify are remembered (Options.CacheEntries)
// until they expire, so a client's later requests skip the signature
// check and the JSON work; a remembered token past its exp is refused
// with ErrExpired, as Verify would.
func (v *Verifier) Identify(r *http.Request) (Identity, error) {
	token := BearerToken(r.Header.Get("Authorization"))
	if token == "" || strings.HasPrefix(token, "sb_") {
		token = APIKey(r)
		if token == "" || strings.HasPrefix(token, "sb_") {
			c, err := v.keyClaims(token)
			if err != nil {
				return Identity{}, err
			}
			return identity(c)
		}
		// a legacy JWT apikey: verified (and remembered) like a bearer token,
		// its failures marked as a key's
		id, err := v.identifyToken(token)
		if err != nil {
			return Identity{}, joinKeyError(err)
		}
		return id, nil
	}
	return v.identifyToken(token)
}

func (v *Verifier) identifyToken(token string) (Identity, error) {
	if id, ok := v.cache.Get(token); ok {
		if !id.expires.IsZero() && !v.opts.Now().Before(id.expires) {
			v.cache.Delete(token)
			return Identity{}, ErrExpired
		}
		return id, nil
	}
	c, err := v.Verify(token)
	if err != nil {
		return Identity{}, err
	}
	id, err := identity(c)
	if err != nil {
		return Identity{}, err
	}
	if exp, ok, _ := numericDate(c, "exp"); ok {
		id.expires = exp.Add(Leeway)
	}
	v.cache.Put(token, id)
	return id, nil
}

func identity(c Claims) (Identity, error) {
	b, err := c.JSON()
	if err != nil {
		return Identity{}, err
	}
	return Identity{Role: c.Role(), Claims: b}, nil
}

func joinKeyError(err error) error { return errors.Join(ErrInvalidKey, err) }

func newIdentityCache(entries int) *memo.Cache[string, Identity] {
	return memo.New[string, Identity](entries)
}
