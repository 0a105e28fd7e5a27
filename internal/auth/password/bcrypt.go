package password

import (
	"errors"

	"golang.org/x/crypto/bcrypt"
)

const (
	// MaxBcryptLength is the longest password, in bytes, that Verify checks
	// against a bcrypt hash. bcrypt ignores everything after byte 72, and
	// GoTrue refuses to set longer passwords, so a longer candidate is
	// refused with ErrTooLong rather than silently truncated.
	MaxBcryptLength = 72
	// MaxBcryptCost is the highest bcrypt cost Verify accepts in a stored
	// hash (about 1 s per verification; GoTrue uses 10). Higher costs, up to
	// bcrypt's 31 (2^31 rounds, hours of CPU), are refused with ErrMalformed.
	MaxBcryptCost = 14

	bcryptLen = 60 // "$2b$" + 2-digit cost + "$" + 22 salt + 31 hash characters
)

// isBcryptPrefix reports whether s starts like a bcrypt hash this package
// accepts: $2a$, $2b$ or $2y$. ($2x$ marks hashes made by a known-broken
// implementation and $2$ predates the UTF-8 fix; both are unknown formats.)
func isBcryptPrefix(s string) bool {
	return len(s) >= 4 && s[0] == '$' && s[1] == '2' && (s[2] == 'a' || s[2] == 'b' || s[2] == 'y') && s[3] == '$'
}

// checkBcrypt validates the layout of a bcrypt hash strictly (x/crypto alone
// would accept a hash with trailing garbage or a wrong separator) and returns
// its cost, refusing costs above l.maxBcryptCost.
func checkBcrypt(s string, l *limits) (int, error) {
	if len(s) != bcryptLen {
		return 0, malformed("bcrypt hash is %d bytes long, want %d", len(s), bcryptLen)
	}
	if s[4] < '0' || s[4] > '9' || s[5] < '0' || s[5] > '9' || s[6] != '$' {
		return 0, malformed("bcrypt hash has no two-digit cost")
	}
	cost := int(s[4]-'0')*10 + int(s[5]-'0')
	if cost < bcrypt.MinCost || cost > bcrypt.MaxCost {
		return 0, malformed("bcrypt cost %d is outside %d..%d", cost, bcrypt.MinCost, bcrypt.MaxCost)
	}
	if cost > l.maxBcryptCost {
		return 0, malformed("bcrypt cost %d exceeds the maximum %d", cost, l.maxBcryptCost)
	}
	for i := 7; i < len(s); i++ {
		c := s[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '.' || c == '/') {
			return 0, malformed("bcrypt salt or hash is not bcrypt base64")
		}
	}
	return cost, nil
}

// verifyBcrypt compares plain with a bcrypt hash already checked by
// checkBcrypt. x/crypto/bcrypt compares in constant time.
func verifyBcrypt(plain, encoded string) (bool, error) {
	err := bcrypt.CompareHashAndPassword([]byte(encoded), []byte(plain))
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, bcrypt.ErrMismatchedHashAndPassword):
		return false, nil
	default:
		return false, malformed("bcrypt: %v", err)
	}
}
