package jwtauth

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/creatorbase/creatorbase/internal/keys"
	"github.com/creatorbase/creatorbase/internal/memo"
)

// Leeway is the clock skew allowed on exp, nbf and iat (PostgREST's).
const Leeway = 30 * time.Second

// MaxTokenBytes bounds the work spent on a token; larger ones are refused.
const MaxTokenBytes = 16 << 10

// MinSecretBytes is the shortest HS256 secret accepted (PostgREST's rule).
const MinSecretBytes = 32

// ErrShortSecret is returned by New for a secret under MinSecretBytes.
var ErrShortSecret = fmt.Errorf("JWT secret must be at least %d bytes", MinSecretBytes)

var allowedRoles = map[string]bool{RoleAnon: true, RoleAuthenticated: true, RoleServiceRole: true}

// Options refine a Verifier.
type Options struct {
	// Audience, when set, must be the token's aud (or be in it, for an
	// array). Tokens without aud pass, as in PostgREST: the project's
	// anon and service_role keys carry none.
	Audience string
	// Now replaces time.Now, for tests.
	Now func() time.Time
	// CacheEntries bounds how many verified tokens Identify remembers
	// (per generation; see package memo). Zero remembers none.
	CacheEntries int
}

// Verifier checks tokens signed with the project secret and maps the
// project's opaque API keys to the claims of its JWT keys.
type Verifier struct {
	secret      []byte
	opts        Options
	publishable string
	secretKey   string
	anon        Claims // claims of the anon key, for sb_publishable_
	service     Claims // claims of the service_role key, for sb_secret_
	// keyIDs are the identities of the keys that are not JWTs, by kind
	// (keyNone, keyPublishable, keySecret), made once for Identify.
	keyIDs [keyJWT]Identity
	cache  *memo.Cache[tokenKey, Identity]
}

// New builds a Verifier from the project secret and its keys.
func New(secret []byte, project keys.Project, opts Options) (*Verifier, error) {
	if len(secret) < MinSecretBytes {
		return nil, ErrShortSecret
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	v := &Verifier{secret: bytes.Clone(secret), opts: opts, publishable: project.Publishable, secretKey: project.Secret,
		cache: newIdentityCache(opts.CacheEntries)}
	var err error
	if v.anon, err = v.verifyKey(project.Anon, RoleAnon); err != nil {
		return nil, fmt.Errorf("anon key: %w", err)
	}
	if v.service, err = v.verifyKey(project.ServiceRole, RoleServiceRole); err != nil {
		return nil, fmt.Errorf("service_role key: %w", err)
	}
	for kind := range keyJWT {
		if v.keyIDs[kind], err = identity(v.opaqueClaims(kind)); err != nil {
			return nil, err
		}
	}
	return v, nil
}

func (v *Verifier) verifyKey(token, role string) (Claims, error) {
	c, err := v.Verify(token)
	if err != nil {
		return nil, err
	}
	if c.Role() != role {
		return nil, fmt.Errorf("%w: key has role %q, want %q", ErrRole, c.Role(), role)
	}
	return c, nil
}

var (
	b64      = base64.RawURLEncoding
	hs256Hdr = map[string]bool{"HS256": true}
)

// Verify checks token and returns its claims. Only HS256 with the
// project secret is accepted; see the package comment for the claim
// checks.
func (v *Verifier) Verify(token string) (Claims, error) {
	if len(token) > MaxTokenBytes {
		return nil, ErrTooLarge
	}
	head, rest, ok := strings.Cut(token, ".")
	if !ok {
		return nil, ErrMalformed
	}
	payload, sig, ok := strings.Cut(rest, ".")
	if !ok || strings.Contains(sig, ".") || head == "" || payload == "" {
		return nil, ErrMalformed
	}
	var hdr struct {
		Alg string `json:"alg"`
	}
	hb, err := b64.DecodeString(head)
	if err != nil || json.Unmarshal(hb, &hdr) != nil {
		return nil, ErrMalformed
	}
	if !hs256Hdr[hdr.Alg] {
		return nil, ErrAlgorithm
	}
	got, err := b64.DecodeString(sig)
	if err != nil {
		return nil, ErrMalformed
	}
	m := hmac.New(sha256.New, v.secret)
	m.Write([]byte(token[:len(head)+1+len(payload)]))
	if !hmac.Equal(got, m.Sum(nil)) {
		return nil, ErrSignature
	}
	pb, err := b64.DecodeString(payload)
	if err != nil {
		return nil, ErrMalformed
	}
	var c Claims
	dec := json.NewDecoder(bytes.NewReader(pb))
	if err := dec.Decode(&c); err != nil || c == nil || dec.More() {
		return nil, ErrMalformed
	}
	if err := v.checkClaims(c); err != nil {
		return nil, err
	}
	return c, nil
}

func (v *Verifier) checkClaims(c Claims) error {
	now := v.opts.Now()
	if t, ok, err := numericDate(c, "exp"); err != nil {
		return err
	} else if ok && !now.Before(t.Add(Leeway)) {
		return ErrExpired
	}
	if t, ok, err := numericDate(c, "nbf"); err != nil {
		return err
	} else if ok && now.Add(Leeway).Before(t) {
		return ErrNotYetValid
	}
	if t, ok, err := numericDate(c, "iat"); err != nil {
		return err
	} else if ok && now.Add(Leeway).Before(t) {
		return ErrNotYetValid
	}
	if err := v.checkAudience(c["aud"]); err != nil {
		return err
	}
	role, present := c["role"]
	if present {
		s, ok := role.(string)
		if !ok {
			return ErrClaimType
		}
		if !allowedRoles[s] {
			return fmt.Errorf("%w: %q", ErrRole, s)
		}
	}
	if sub, present := c["sub"]; present {
		if _, ok := sub.(string); !ok {
			return ErrClaimType
		}
	}
	if c.Role() == RoleAuthenticated && c.Sub() == "" {
		return ErrMissingSub
	}
	return nil
}

func (v *Verifier) checkAudience(aud any) error {
	switch a := aud.(type) {
	case nil:
		return nil
	case string:
		if v.opts.Audience == "" || a == v.opts.Audience {
			return nil
		}
	case []any:
		if len(a) == 0 {
			return nil
		}
		for _, x := range a {
			s, ok := x.(string)
			if !ok {
				return ErrClaimType
			}
			if v.opts.Audience == "" || s == v.opts.Audience {
				return nil
			}
		}
	default:
		return ErrClaimType
	}
	return ErrAudience
}

// numericDate reads a NumericDate claim: absent is fine, anything but a
// finite number is refused.
func numericDate(c Claims, name string) (time.Time, bool, error) {
	raw, ok := c[name]
	if !ok {
		return time.Time{}, false, nil
	}
	f, isNum := raw.(float64)
	if !isNum || math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > 1e15 {
		return time.Time{}, false, fmt.Errorf("%w: %s", ErrClaimType, name)
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)), true, nil
}

// keyKind is what an apikey is.
type keyKind uint8

const (
	keyNone        keyKind = iota // no apikey: anon
	keyPublishable                // the project's sb_publishable_ key
	keySecret                     // the project's sb_secret_ key
	keyJWT                        // anything else: verified as a (legacy) JWT key
)

// classifyKey tells the opaque keys apart from a JWT key, comparing in
// constant time; an sb_ key that is not the project's is ErrInvalidKey.
func (v *Verifier) classifyKey(apikey string) (keyKind, error) {
	switch {
	case apikey == "":
		return keyNone, nil
	case hmac.Equal([]byte(apikey), []byte(v.secretKey)):
		return keySecret, nil
	case hmac.Equal([]byte(apikey), []byte(v.publishable)):
		return keyPublishable, nil
	case strings.HasPrefix(apikey, "sb_"):
		return 0, ErrInvalidKey
	}
	return keyJWT, nil
}

// opaqueClaims are the claims a key that is not a JWT stands for: those
// of the project's JWT key of the same role, or anon's for no key.
func (v *Verifier) opaqueClaims(kind keyKind) Claims {
	switch kind {
	case keySecret:
		return v.service.clone()
	case keyPublishable:
		return v.anon.clone()
	}
	return AnonClaims()
}

// keyClaims maps an apikey to claims: the opaque keys to the claims of
// their JWT keys, anything else is verified as a (legacy) JWT key.
func (v *Verifier) keyClaims(apikey string) (Claims, error) {
	kind, err := v.classifyKey(apikey)
	if err != nil {
		return nil, err
	}
	if kind != keyJWT {
		return v.opaqueClaims(kind), nil
	}
	c, err := v.Verify(apikey)
	if err != nil {
		return nil, joinKeyError(err)
	}
	return c, nil
}
