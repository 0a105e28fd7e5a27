package password

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Reasons a password is weak, as reported in the "reasons" array of
// GoTrue's weak_password error.
const (
	// ReasonLength: the password is shorter than the minimum length.
	ReasonLength = "length"
	// ReasonCharacters: the password lacks a character from a required set.
	ReasonCharacters = "characters"
	// ReasonPwned: the password appears in a breach corpus. CheckStrength
	// never reports it (it makes no network calls); it is defined for
	// callers that add such a check.
	ReasonPwned = "pwned"
)

// WeakPasswordError lists why a password was rejected. Its JSON form is the
// "weak_password" object of GoTrue's error responses, and Message joins the
// same sentences GoTrue uses.
type WeakPasswordError struct {
	// Message is a human-readable explanation.
	Message string `json:"message,omitempty"`
	// Reasons holds ReasonLength, ReasonCharacters and/or ReasonPwned.
	Reasons []string `json:"reasons,omitempty"`
}

// Error returns e.Message.
func (e *WeakPasswordError) Error() string { return e.Message }

// CheckStrength returns a *WeakPasswordError if plain is shorter than
// minLength characters (reason "length") or lacks a character from any
// non-empty set in requiredSets (reason "characters"; each set is a string of
// alternatives, as in GoTrue's password_required_characters, for example
// "abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "0123456789").
// It returns nil otherwise. minLength <= 0 disables the length check.
//
// Length is counted in Unicode code points (NIST SP 800-63B); GoTrue counts
// bytes, so the two differ only for non-ASCII passwords, where this is
// stricter. CheckStrength does not enforce MaxLength (Hash does) and never
// calls a network service, so it never reports "pwned".
func CheckStrength(plain string, minLength int, requiredSets ...string) error {
	var messages, reasons []string
	if minLength > 0 && utf8.RuneCountInString(plain) < minLength {
		reasons = append(reasons, ReasonLength)
		messages = append(messages, fmt.Sprintf("Password should be at least %d characters.", minLength))
	}
	for _, set := range requiredSets {
		if set != "" && !strings.ContainsAny(plain, set) {
			reasons = append(reasons, ReasonCharacters)
			messages = append(messages, fmt.Sprintf("Password should contain at least one character of each: %s.", strings.Join(nonEmpty(requiredSets), ", ")))
			break
		}
	}
	if len(reasons) == 0 {
		return nil
	}
	return &WeakPasswordError{Message: strings.Join(messages, " "), Reasons: reasons}
}

func nonEmpty(sets []string) []string {
	out := make([]string, 0, len(sets))
	for _, s := range sets {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
