package password

import (
	"errors"
	"fmt"
)

// MaxLength is the longest password, in bytes, that Hash accepts and Verify
// checks against an argon2id hash. It only exists to bound work; 1024 bytes
// is far beyond any passphrase. (Against bcrypt hashes the limit is
// MaxBcryptLength.)
const MaxLength = 1024

var (
	// ErrUnknownFormat is returned by Verify for a stored hash that is
	// neither argon2id ($argon2id$) nor bcrypt ($2a$, $2b$, $2y$).
	ErrUnknownFormat = errors.New("password: unknown hash format")
	// ErrMalformed is wrapped by the errors Verify returns for a stored
	// hash in a known format that is invalid, unsupported (such as argon2
	// version 16) or above the package's cost caps.
	ErrMalformed = errors.New("password: malformed hash")
	// ErrTooLong is returned by Hash and Verify for a password longer than
	// MaxLength bytes (MaxBcryptLength when verifying against bcrypt).
	ErrTooLong = errors.New("password: password too long")
)

func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrMalformed, fmt.Sprintf(format, args...))
}

// Verify reports whether plain matches the stored hash encoded, which may be
// an argon2id PHC string with any parameters within the package caps or a
// bcrypt hash. A wrong password is (false, nil). Errors mean the stored hash
// or the candidate could not be checked: ErrUnknownFormat, an error wrapping
// ErrMalformed, or ErrTooLong; callers should treat them as failed sign-ins.
// Comparison is constant-time.
func Verify(plain, encoded string) (ok bool, err error) {
	return verify(plain, encoded, &defaultLimits)
}

func verify(plain, encoded string, l *limits) (bool, error) {
	switch {
	case isBcryptPrefix(encoded):
		if _, err := checkBcrypt(encoded, l); err != nil {
			return false, err
		}
		if len(plain) > MaxBcryptLength {
			return false, ErrTooLong
		}
		return verifyBcrypt(plain, encoded)
	default:
		h, err := parsePHC(encoded, l)
		if err != nil {
			return false, err
		}
		if len(plain) > MaxLength {
			return false, ErrTooLong
		}
		return verifyArgon2id(plain, h), nil
	}
}

// NeedsRehash reports whether the stored hash encoded should be replaced by
// Hash(p, plain) after a successful Verify: true for bcrypt hashes, for
// argon2id hashes whose parameters (including salt and hash lengths) differ
// from p, and for anything that does not parse.
func NeedsRehash(encoded string, p Params) bool {
	if isBcryptPrefix(encoded) {
		return true
	}
	h, err := parsePHC(encoded, &defaultLimits)
	if err != nil {
		return true
	}
	return h.params != p
}
