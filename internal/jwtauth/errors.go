package jwtauth

import "errors"

// The two classes of refusal.
var (
	// ErrTokenInvalid: the token cannot be parsed or verified (PGRST301).
	ErrTokenInvalid = errors.New("invalid JWT")
	// ErrClaimsInvalid: the token verifies but its claims are refused
	// (PGRST303).
	ErrClaimsInvalid = errors.New("invalid JWT claims")
)

// Specific refusals; each also matches its class with errors.Is.
var (
	ErrMalformed   = classError(ErrTokenInvalid, "malformed token")
	ErrTooLarge    = classError(ErrTokenInvalid, "token too large")
	ErrAlgorithm   = classError(ErrTokenInvalid, "signing method not allowed")
	ErrSignature   = classError(ErrTokenInvalid, "signature is invalid")
	ErrInvalidKey  = classError(ErrTokenInvalid, "invalid API key")
	ErrExpired     = classError(ErrClaimsInvalid, "token is expired")
	ErrNotYetValid = classError(ErrClaimsInvalid, "token is not valid yet")
	ErrClaimType   = classError(ErrClaimsInvalid, "claim has the wrong type")
	ErrAudience    = classError(ErrClaimsInvalid, "audience not allowed")
	ErrRole        = classError(ErrClaimsInvalid, "role not allowed")
	ErrMissingSub  = classError(ErrClaimsInvalid, "missing sub claim")
)

// jwtError is a specific refusal that also belongs to a class.
type jwtError struct {
	class error
	msg   string
}

func classError(class error, msg string) error { return &jwtError{class: class, msg: msg} }

func (e *jwtError) Error() string { return e.class.Error() + ": " + e.msg }

// Is makes errors.Is(err, ErrTokenInvalid) true for every refusal of
// that class.
func (e *jwtError) Is(target error) bool { return target == e.class }
