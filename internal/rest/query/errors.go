package query

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// Error codes this package returns. They are PostgREST's, except CodeNegativeOffset,
// which is the SQLSTATE Postgres raises for a negative OFFSET (PostgREST lets the
// database report it; this package reports it up front with the same body).
const (
	CodeQueryParam         = "PGRST100" // a query parameter does not parse
	CodeInvalidRange       = "PGRST103" // negative limit, or an unsatisfiable Range header
	CodeMediaType          = "PGRST107" // nothing in Accept can be produced
	CodePutRange           = "PGRST114" // limit/offset on PUT
	CodeInvalidPreferences = "PGRST122" // unknown preferences under handling=strict
	CodeNegativeOffset     = "2201X"    // offset below zero
)

// Error is a request error in PostgREST's shape. It marshals to the JSON body
// PostgREST sends: {"code","details","hint","message"}, with null for an empty
// Details or Hint. Status is the HTTP status to answer with.
type Error struct {
	Status  int
	Code    string
	Message string
	Details string
	Hint    string
}

// Sentinels for errors.Is: a returned *Error matches the sentinel with the same Code.
// Use errors.As with a *Error to read the message and details.
var (
	ErrQueryParam         = &Error{Status: http.StatusBadRequest, Code: CodeQueryParam}
	ErrInvalidRange       = &Error{Status: http.StatusRequestedRangeNotSatisfiable, Code: CodeInvalidRange}
	ErrMediaType          = &Error{Status: http.StatusNotAcceptable, Code: CodeMediaType}
	ErrPutRange           = &Error{Status: http.StatusBadRequest, Code: CodePutRange}
	ErrInvalidPreferences = &Error{Status: http.StatusBadRequest, Code: CodeInvalidPreferences}
	ErrNegativeOffset     = &Error{Status: http.StatusBadRequest, Code: CodeNegativeOffset}
)

// Error returns "code: message (details)".
func (e *Error) Error() string {
	s := e.Code + ": " + e.Message
	if e.Details != "" {
		s += " (" + e.Details + ")"
	}
	return s
}

// Is reports whether target is an *Error with the same code, so that
// errors.Is(err, query.ErrQueryParam) works.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// MarshalJSON encodes the PostgREST error body, keys in PostgREST's order.
func (e *Error) MarshalJSON() ([]byte, error) {
	nullable := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	return json.Marshal(struct {
		Code    string  `json:"code"`
		Details *string `json:"details"`
		Hint    *string `json:"hint"`
		Message string  `json:"message"`
	}{e.Code, nullable(e.Details), nullable(e.Hint), e.Message})
}

func rangeError(details string) *Error {
	return &Error{
		Status:  http.StatusRequestedRangeNotSatisfiable,
		Code:    CodeInvalidRange,
		Message: "Requested range not satisfiable",
		Details: details,
	}
}

// syntaxError is a parse failure inside one parameter, before it is turned into a
// PGRST100 error. It mirrors what Parsec reports: a position, what was found there
// and what would have been accepted.
type syntaxError struct {
	pos        int      // byte offset into the parsed text
	unexpected string   // already shown, e.g. `"x"` or "end of input"
	expected   []string // labels, e.g. `","` or "field name (* or [a..z0..9_$])"
	message    string   // free text such as "unknown single value operator"
}

// toError renders the failure the way PostgREST's mapError does: the message is
// the Parsec source name and position, the details the Parsec error text.
func (e *syntaxError) toError(title, src string) *Error {
	line, col := position(src, e.pos)
	return &Error{
		Status:  http.StatusBadRequest,
		Code:    CodeQueryParam,
		Message: fmt.Sprintf("%s (line %d, column %d)", haskellShow(title), line, col),
		Details: e.details(),
	}
}

func (e *syntaxError) details() string {
	var parts []string
	if e.unexpected != "" {
		parts = append(parts, "unexpected "+e.unexpected)
	}
	if len(e.expected) > 0 {
		parts = append(parts, "expecting "+commasOr(e.expected))
	}
	if e.message != "" {
		parts = append(parts, e.message)
	}
	return strings.Join(parts, " ")
}

// further returns whichever error got further into the input, merging the
// expectations when both stopped at the same place (Parsec's mergeError).
func further(a, b *syntaxError) *syntaxError {
	switch {
	case a.pos > b.pos:
		return a
	case b.pos > a.pos:
		return b
	}
	merged := *a
	merged.expected = append(append([]string(nil), a.expected...), b.expected...)
	return &merged
}

// commasOr joins labels as Parsec does: "a, b or c", without duplicates.
func commasOr(labels []string) string {
	var uniq []string
	seen := map[string]bool{}
	for _, l := range labels {
		if l != "" && !seen[l] {
			seen[l] = true
			uniq = append(uniq, l)
		}
	}
	if len(uniq) <= 1 {
		return strings.Join(uniq, "")
	}
	return strings.Join(uniq[:len(uniq)-1], ", ") + " or " + uniq[len(uniq)-1]
}

// position converts a byte offset to Parsec's 1-based line and column: a newline
// starts a new line and a tab advances to the next multiple of 8.
func position(src string, pos int) (line, col int) {
	line, col = 1, 1
	for i, r := range src {
		if i >= pos {
			break
		}
		switch r {
		case '\n':
			line, col = line+1, 1
		case '\t':
			col += 8 - (col-1)%8
		default:
			col++
		}
	}
	return line, col
}

var asciiControlNames = [32]string{
	"NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "a", "b", "t", "n", "v", "f", "r", "SO", "SI",
	"DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM", "SUB", "ESC", "FS", "GS", "RS", "US",
}

// haskellShow quotes s the way Haskell's show does for a String, which is how
// PostgREST's messages quote the offending parameter: non-ASCII characters become
// decimal escapes such as \233.
func haskellShow(s string) string {
	rs := []rune(s)
	var b strings.Builder
	b.WriteByte('"')
	for i, r := range rs {
		next := rune(-1)
		if i+1 < len(rs) {
			next = rs[i+1]
		}
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r >= 0x20 && r < 0x7f:
			b.WriteRune(r)
		case r == 0x7f:
			b.WriteString(`\DEL`)
		case r < 0x20:
			b.WriteString(`\` + asciiControlNames[r])
			if r == 0x0e && next == 'H' {
				b.WriteString(`\&`)
			}
		default:
			b.WriteString(`\` + strconv.Itoa(int(r)))
			if next >= '0' && next <= '9' {
				b.WriteString(`\&`)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}
