package password

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

const (
	argon2idPrefix = "$argon2id$"
	argon2Version  = "v=19" // argon2 1.3 (0x13), the only version x/crypto implements
	// maxPHCLen bounds the length of a PHC string before it is parsed. The
	// longest acceptable string (ten-digit m and t, 64-byte salt, 128-byte
	// hash) is about 310 bytes.
	maxPHCLen = 512
)

// b64 is the PHC string encoding: standard alphabet, no padding, and no
// non-zero trailing bits, so that each byte string has one spelling.
var b64 = base64.RawStdEncoding.Strict()

// Hash returns an argon2id PHC string for plain with parameters p and a
// fresh random salt from crypto/rand. It fails if p is invalid (see
// Params.Validate) or plain is longer than MaxLength bytes.
func Hash(p Params, plain string) (string, error) {
	if err := p.Validate(); err != nil {
		return "", err
	}
	if len(plain) > MaxLength {
		return "", ErrTooLong
	}
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password: reading salt: %w", err)
	}
	key := argon2.IDKey([]byte(plain), salt, p.Iterations, p.Memory, p.Parallelism, p.KeyLen)
	return encodePHC(p, salt, key), nil
}

// phc is a parsed argon2id PHC string.
type phc struct {
	params Params
	salt   []byte
	key    []byte
}

func encodePHC(p Params, salt, key []byte) string {
	var b strings.Builder
	b.Grow(64 + b64.EncodedLen(len(salt)) + b64.EncodedLen(len(key)))
	b.WriteString(argon2idPrefix)
	b.WriteString(argon2Version)
	b.WriteString("$m=")
	b.WriteString(strconv.FormatUint(uint64(p.Memory), 10))
	b.WriteString(",t=")
	b.WriteString(strconv.FormatUint(uint64(p.Iterations), 10))
	b.WriteString(",p=")
	b.WriteString(strconv.FormatUint(uint64(p.Parallelism), 10))
	b.WriteByte('$')
	b.WriteString(b64.EncodeToString(salt))
	b.WriteByte('$')
	b.WriteString(b64.EncodeToString(key))
	return b.String()
}

// parsePHC parses an argon2id PHC string strictly: version 19, parameters
// exactly "m=..,t=..,p=.." in that order as canonical decimals, no keyid or
// data, unpadded standard base64, and parameters within l. Every error wraps
// ErrMalformed and none quotes the input.
func parsePHC(s string, l *limits) (*phc, error) {
	rest, ok := strings.CutPrefix(s, argon2idPrefix)
	if !ok {
		return nil, ErrUnknownFormat
	}
	if len(s) > maxPHCLen {
		return nil, malformed("argon2id hash is longer than %d bytes", maxPHCLen)
	}
	version, rest, ok := strings.Cut(rest, "$")
	if !ok {
		return nil, malformed("argon2id hash has too few fields")
	}
	if version != argon2Version {
		if strings.HasPrefix(version, "m=") {
			return nil, malformed("argon2id hash has no version field")
		}
		return nil, malformed("unsupported argon2 version (only v=19 is supported)")
	}
	fields := strings.Split(rest, "$")
	if len(fields) != 3 {
		return nil, malformed("argon2id hash has %d fields after the version, want 3", len(fields))
	}
	m, t, p, err := parseMTP(fields[0])
	if err != nil {
		return nil, err
	}
	salt, err := decodeB64(fields[1], "salt")
	if err != nil {
		return nil, err
	}
	key, err := decodeB64(fields[2], "hash")
	if err != nil {
		return nil, err
	}
	h := &phc{
		params: Params{
			Memory:      m,
			Iterations:  t,
			Parallelism: p,
			SaltLen:     uint32(len(salt)),
			KeyLen:      uint32(len(key)),
		},
		salt: salt,
		key:  key,
	}
	if err := h.params.validate(l); err != nil {
		return nil, malformed("%s", strings.TrimPrefix(err.Error(), ErrInvalidParams.Error()+": "))
	}
	return h, nil
}

// parseMTP parses "m=<m>,t=<t>,p=<p>".
func parseMTP(s string) (m, t uint32, p uint8, err error) {
	parts := strings.Split(s, ",")
	if len(parts) != 3 {
		return 0, 0, 0, malformed("argon2id parameters must be exactly m, t and p")
	}
	var vals [3]uint32
	for i, name := range [3]string{"m=", "t=", "p="} {
		digits, ok := strings.CutPrefix(parts[i], name)
		if !ok {
			return 0, 0, 0, malformed("argon2id parameter %d must be %q", i+1, name[:1])
		}
		v, ok := parseDecimal(digits)
		if !ok {
			return 0, 0, 0, malformed("argon2id parameter %q is not a canonical decimal number", name[:1])
		}
		vals[i] = v
	}
	if vals[2] > 255 {
		return 0, 0, 0, malformed("argon2id parallelism %d exceeds 255", vals[2])
	}
	return vals[0], vals[1], uint8(vals[2]), nil
}

// parseDecimal parses a PHC decimal: ASCII digits, no sign, no leading
// zeros, at most 2^32-1.
func parseDecimal(s string) (uint32, bool) {
	if s == "" || len(s) > 10 || (len(s) > 1 && s[0] == '0') {
		return 0, false
	}
	var v uint64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + uint64(c-'0')
	}
	if v > 1<<32-1 {
		return 0, false
	}
	return uint32(v), true
}

// decodeB64 decodes unpadded standard base64. The alphabet is checked first
// because encoding/base64 silently skips CR and LF even in strict mode.
func decodeB64(s, what string) ([]byte, error) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '+' || c == '/') {
			return nil, malformed("argon2id %s is not unpadded standard base64", what)
		}
	}
	b, err := b64.DecodeString(s)
	if err != nil {
		return nil, malformed("argon2id %s is not canonical base64", what)
	}
	return b, nil
}

// verifyArgon2id recomputes the hash of plain with h's salt and parameters
// and compares it with h's hash in constant time.
func verifyArgon2id(plain string, h *phc) bool {
	p := h.params
	key := argon2.IDKey([]byte(plain), h.salt, p.Iterations, p.Memory, p.Parallelism, p.KeyLen)
	return subtle.ConstantTimeCompare(key, h.key) == 1
}
