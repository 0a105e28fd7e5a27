package jwtauth

import (
	"crypto/sha256"
	"errors"
	"math"
	"net/http"
	"time"

	"github.com/creatorbase/creatorbase/internal/memo"
)

// Identity is who a request runs as, in the form the Data API needs: the
// role and the claims as JSON (role filled in). Claims is shared between
// requests: read it, never change it.
type Identity struct {
	Role   string
	Claims []byte

	expires int64 // exp + Leeway in Unix nanoseconds; 0 when the token has no exp
}

// tokenKey is what the cache keys a token by: its SHA-256, so that an
// entry costs 32 bytes of key rather than the whole token, and the
// collector has one pointer less to follow.
type tokenKey [sha256.Size]byte

// Identify is FromRequest for callers that need only the role and the
// claims as JSON. Tokens that verify are remembered (Options.CacheEntries)
// until they expire, so a client's later requests skip the signature
// check and the JSON work; a remembered token past its exp is refused
// with ErrExpired, as Verify would.
func (v *Verifier) Identify(r *http.Request) (Identity, error) {
	token, isAPIKey := credential(r)
	if !isAPIKey {
		return v.identifyToken(token)
	}
	kind, err := v.classifyKey(token)
	if err != nil {
		return Identity{}, err
	}
	if kind != keyJWT {
		return v.keyIDs[kind], nil
	}
	id, err := v.identifyToken(token) // a legacy JWT apikey, remembered like a bearer token
	if err != nil {
		return Identity{}, joinKeyError(err)
	}
	return id, nil
}

func (v *Verifier) identifyToken(token string) (Identity, error) {
	if len(token) > MaxTokenBytes {
		return Identity{}, ErrTooLarge
	}
	key := tokenKey(sha256.Sum256([]byte(token)))
	if id, ok := v.cache.Get(key); ok {
		if id.expires != 0 && v.opts.Now().UnixNano() >= id.expires {
			v.cache.Delete(key)
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
		id.expires = math.MaxInt64 // past what nanoseconds since 1970 can say
		if t := exp.Add(Leeway); t.Before(lastNano) {
			id.expires = t.UnixNano()
		}
	}
	v.cache.Put(key, id)
	return id, nil
}

func identity(c Claims) (Identity, error) {
	b, err := c.JSON()
	if err != nil {
		return Identity{}, err
	}
	role := c.Role()
	switch role { // Verify allowed only these: keep the constants, not copies
	case RoleAnon:
		role = RoleAnon
	case RoleAuthenticated:
		role = RoleAuthenticated
	case RoleServiceRole:
		role = RoleServiceRole
	}
	return Identity{Role: role, Claims: b}, nil
}

// lastNano is the last instant UnixNano can represent (year 2262).
var lastNano = time.Unix(0, math.MaxInt64)

func joinKeyError(err error) error { return errors.Join(ErrInvalidKey, err) }

func newIdentityCache(entries int) *memo.Cache[tokenKey, Identity] {
	return memo.New[tokenKey, Identity](entries)
}
