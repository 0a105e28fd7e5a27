package query

import (
	"net/http"
	"strconv"
	"strings"
)

// Return is the Prefer: return= preference.
type Return string

const (
	ReturnDefault        Return = ""
	ReturnMinimal        Return = "minimal"
	ReturnHeadersOnly    Return = "headers-only"
	ReturnRepresentation Return = "representation"
)

// Count is the Prefer: count= preference.
type Count string

const (
	CountNone      Count = ""
	CountExact     Count = "exact"
	CountPlanned   Count = "planned"
	CountEstimated Count = "estimated"
)

// Resolution is the Prefer: resolution= preference (upserts).
type Resolution string

const (
	ResolutionNone             Resolution = ""
	ResolutionMergeDuplicates  Resolution = "merge-duplicates"
	ResolutionIgnoreDuplicates Resolution = "ignore-duplicates"
)

// Missing is the Prefer: missing= preference.
type Missing string

const (
	MissingNone    Missing = ""
	MissingDefault Missing = "default"
	MissingNull    Missing = "null"
)

// Handling is the Prefer: handling= preference.
type Handling string

const (
	HandlingNone    Handling = ""
	HandlingStrict  Handling = "strict"
	HandlingLenient Handling = "lenient"
)

// Tx is the Prefer: tx= preference.
type Tx string

const (
	TxNone     Tx = ""
	TxCommit   Tx = "commit"
	TxRollback Tx = "rollback"
)

// Preferences are the recognised values of the Prefer headers. A zero field
// means the preference was not given (or not honoured, see ParsePrefer).
type Preferences struct {
	Return      Return
	Count       Count
	Resolution  Resolution
	Missing     Missing
	Handling    Handling
	Tx          Tx
	Timezone    string
	MaxAffected *int64
	// Invalid lists the preferences that were not recognised, in order.
	Invalid []string
}

// String writes the recognised preferences comma-separated, in the order
// PostgREST uses for Preference-Applied. (PostgREST echoes max-affected only
// with handling=strict and tx only when it was honoured; callers decide.)
func (p Preferences) String() string {
	var parts []string
	add := func(name, v string) {
		if v != "" {
			parts = append(parts, name+"="+v)
		}
	}
	add("resolution", string(p.Resolution))
	add("missing", string(p.Missing))
	add("return", string(p.Return))
	add("count", string(p.Count))
	add("tx", string(p.Tx))
	add("handling", string(p.Handling))
	add("timezone", p.Timezone)
	if p.MaxAffected != nil {
		add("max-affected", strconv.FormatInt(*p.MaxAffected, 10))
	}
	return strings.Join(parts, ", ")
}

// preferenceTokens maps each exact token PostgREST recognises to a setter that
// records it unless the same preference was already given (the first one wins).
var preferenceTokens = map[string]func(p *Preferences, allowTx bool){
	"return=minimal":               func(p *Preferences, _ bool) { setFirst(&p.Return, ReturnMinimal) },
	"return=headers-only":          func(p *Preferences, _ bool) { setFirst(&p.Return, ReturnHeadersOnly) },
	"return=representation":        func(p *Preferences, _ bool) { setFirst(&p.Return, ReturnRepresentation) },
	"count=exact":                  func(p *Preferences, _ bool) { setFirst(&p.Count, CountExact) },
	"count=planned":                func(p *Preferences, _ bool) { setFirst(&p.Count, CountPlanned) },
	"count=estimated":              func(p *Preferences, _ bool) { setFirst(&p.Count, CountEstimated) },
	"resolution=merge-duplicates":  func(p *Preferences, _ bool) { setFirst(&p.Resolution, ResolutionMergeDuplicates) },
	"resolution=ignore-duplicates": func(p *Preferences, _ bool) { setFirst(&p.Resolution, ResolutionIgnoreDuplicates) },
	"missing=default":              func(p *Preferences, _ bool) { setFirst(&p.Missing, MissingDefault) },
	"missing=null":                 func(p *Preferences, _ bool) { setFirst(&p.Missing, MissingNull) },
	"handling=strict":              func(p *Preferences, _ bool) { setFirst(&p.Handling, HandlingStrict) },
	"handling=lenient":             func(p *Preferences, _ bool) { setFirst(&p.Handling, HandlingLenient) },
	"tx=commit":                    func(p *Preferences, allow bool) { setFirstIf(allow, &p.Tx, TxCommit) },
	"tx=rollback":                  func(p *Preferences, allow bool) { setFirstIf(allow, &p.Tx, TxRollback) },
}

func setFirst[T ~string](field *T, v T) { setFirstIf(true, field, v) }

func setFirstIf[T ~string](ok bool, field *T, v T) {
	if ok && *field == "" {
		*field = v
	}
}

// ParsePrefer reads the values of all Prefer headers (RFC 7240): each may hold
// several comma-separated preferences, and the first occurrence of each
// preference wins. Unknown preferences land in Invalid and are ignored, unless
// handling=strict is given, which makes them a PGRST122 error (the
// Preferences are returned alongside it).
//
// tx= is recorded only with opts.TxOverride (PostgREST's db-tx-end
// *-allow-override) but is never invalid. timezone= is honoured when
// opts.ValidTimezone accepts the first one given (any non-empty name when it is
// nil); otherwise every timezone= is invalid. max-affected= takes the first one
// given and is never invalid, as in PostgREST.
func ParsePrefer(values []string, opts Options) (Preferences, error) {
	var p Preferences
	var tokens []string
	for _, v := range values {
		for _, t := range strings.Split(v, ",") {
			if t = strings.TrimSpace(t); t != "" {
				tokens = append(tokens, t)
			}
		}
	}
	tzSeen, tzOK, maxSeen := false, false, false
	for _, t := range tokens {
		if set, ok := preferenceTokens[t]; ok {
			set(&p, opts.TxOverride)
			continue
		}
		if tz, ok := strings.CutPrefix(t, "timezone="); ok {
			if !tzSeen {
				tzSeen = true
				tzOK = tz != "" && (opts.ValidTimezone == nil || opts.ValidTimezone(tz))
				if tzOK {
					p.Timezone = tz
				}
			}
			if !tzOK {
				p.Invalid = append(p.Invalid, t)
			}
			continue
		}
		if n, ok := strings.CutPrefix(t, "max-affected="); ok {
			if !maxSeen {
				maxSeen = true
				if v, err := strconv.ParseInt(strings.TrimSpace(n), 10, 64); err == nil {
					p.MaxAffected = &v
				}
			}
			continue
		}
		p.Invalid = append(p.Invalid, t)
	}
	if p.Handling == HandlingStrict && len(p.Invalid) > 0 {
		return p, &Error{
			Status:  http.StatusBadRequest,
			Code:    CodeInvalidPreferences,
			Message: "Invalid preferences given with handling=strict",
			Details: "Invalid preferences: " + strings.Join(p.Invalid, ", "),
		}
	}
	return p, nil
}
