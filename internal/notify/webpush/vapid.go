package webpush

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// VAPIDKeys is the application server's identity (RFC 8292): a P-256 key
// pair. Browsers get the public key as applicationServerKey when they
// subscribe; a subscription works only with the key it was made with.
type VAPIDKeys struct {
	// Public is the uncompressed point (65 bytes), base64url without padding.
	Public string
	// Private is the 32-byte scalar, base64url without padding. Secret.
	Private string

	key *ecdsa.PrivateKey
}

// GenerateVAPIDKeys makes a new key pair (creatorbase keys vapid).
func GenerateVAPIDKeys() (VAPIDKeys, error) {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return VAPIDKeys{}, err
	}
	return keysOf(k)
}

func keysOf(k *ecdsa.PrivateKey) (VAPIDKeys, error) {
	priv, err := k.Bytes()
	if err != nil {
		return VAPIDKeys{}, err
	}
	pub, err := k.PublicKey.Bytes()
	if err != nil {
		return VAPIDKeys{}, err
	}
	return VAPIDKeys{Public: b64.EncodeToString(pub), Private: b64.EncodeToString(priv), key: k}, nil
}

// ParseVAPIDKeys reads a key pair in the form GenerateVAPIDKeys prints and
// checks that the public key belongs to the private one.
func ParseVAPIDKeys(public, private string) (VAPIDKeys, error) {
	raw, err := decode64(private)
	if err != nil {
		return VAPIDKeys{}, errors.New("VAPID private key is not base64url")
	}
	k, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), raw)
	if err != nil {
		return VAPIDKeys{}, errors.New("VAPID private key is not a 32-byte P-256 scalar")
	}
	keys, err := keysOf(k)
	if err != nil {
		return VAPIDKeys{}, err
	}
	pub, err := decode64(public)
	if err != nil || b64.EncodeToString(pub) != keys.Public {
		return VAPIDKeys{}, errors.New("VAPID public key does not match the private key")
	}
	return keys, nil
}

// ValidSubject reports whether s is a contact VAPID accepts: a mailto: or
// https: URI (RFC 8292 §2.1).
func ValidSubject(s string) error {
	u, err := url.Parse(s)
	if err != nil || !(u.Scheme == "mailto" && u.Opaque != "" || u.Scheme == "https" && u.Host != "") {
		return fmt.Errorf("%q is not a mailto: or https: URI", s)
	}
	return nil
}

// vapidLifetime is how long a token is valid; RFC 8292 §2 allows at most 24 h.
const vapidLifetime = 12 * time.Hour

// authorization is the Authorization header for a request to endpoint:
// "vapid t=<ES256 JWT>, k=<public key>" with aud the endpoint's origin.
func (v VAPIDKeys) authorization(endpoint, subject string, now time.Time) (string, error) {
	if v.key == nil {
		return "", errors.New("webpush: VAPID keys not parsed")
	}
	u, err := url.Parse(endpoint)
	if err != nil {
		return "", err
	}
	claims := jwt.MapClaims{
		"aud": u.Scheme + "://" + u.Host,
		"exp": now.Add(vapidLifetime).Unix(),
		"sub": subject,
	}
	t, err := jwt.NewWithClaims(jwt.SigningMethodES256, claims).SignedString(v.key)
	if err != nil {
		return "", fmt.Errorf("webpush: sign VAPID token: %w", err)
	}
	return "vapid t=" + t + ", k=" + v.Public, nil
}

var b64 = base64.RawURLEncoding

// decode64 accepts base64url with or without padding (browsers' PushSubscription.toJSON
// gives it without; some libraries add it) and plain base64.
func decode64(s string) ([]byte, error) {
	s = strings.TrimRight(strings.TrimSpace(s), "=")
	s = strings.NewReplacer("+", "-", "/", "_").Replace(s)
	return b64.DecodeString(s)
}
