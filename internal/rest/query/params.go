package query

import (
	"net/url"
	"slices"
	"strings"
)

// Param is one key=value pair of a query string, in the order sent.
type Param struct {
	Key   string
	Value string
	// HasValue is false for a bare "?key" without '='. PostgREST ignores those,
	// while "?key=" is an empty value (an error for a filter).
	HasValue bool
}

// SplitQuery splits a raw query string the way PostgREST does
// (http-types' parseQueryReplacePlus True): pairs are separated by '&' or ';',
// '+' decodes to a space, and a malformed percent escape is kept literally.
// Prefer it to url.ParseQuery, which rejects ';' and drops malformed pairs.
func SplitQuery(raw string) []Param {
	raw = strings.TrimPrefix(raw, "?")
	var params []Param
	for raw != "" {
		pair := raw
		if i := strings.IndexAny(raw, "&;"); i >= 0 {
			pair, raw = raw[:i], raw[i+1:]
		} else {
			raw = ""
		}
		k, v, hasValue := strings.Cut(pair, "=")
		params = append(params, Param{Key: unescape(k), Value: unescape(v), HasValue: hasValue})
	}
	return params
}

// ParamsFromValues turns url.Values into params sorted by key (url.Values has no
// order), every one with a value.
func ParamsFromValues(values url.Values) []Param {
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var params []Param
	for _, k := range keys {
		for _, v := range values[k] {
			params = append(params, Param{Key: k, Value: v, HasValue: true})
		}
	}
	return params
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// unescape percent-decodes s, turning '+' into a space and leaving invalid
// escapes as they are.
func unescape(s string) string {
	if !strings.ContainsAny(s, "%+") {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '+':
			b = append(b, ' ')
		case c == '%' && i+2 < len(s):
			hi, ok1 := unhex(s[i+1])
			lo, ok2 := unhex(s[i+2])
			if ok1 && ok2 {
				b = append(b, hi<<4|lo)
				i += 2
				continue
			}
			b = append(b, c)
		default:
			b = append(b, c)
		}
	}
	return string(b)
}

// canonicalQuery renders params as PostgREST's canonical query string (used for
// Content-Location): sorted by key, repeated keys merged into one with the values
// joined by ',', and everything but letters, digits and "-_.~" percent-encoded.
func canonicalQuery(params []Param) string {
	sorted := slices.Clone(params)
	slices.SortStableFunc(sorted, func(a, b Param) int { return strings.Compare(a.Key, b.Key) })
	var b strings.Builder
	for i := 0; i < len(sorted); {
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		key := sorted[i].Key
		b.WriteString(canonicalEscape(key) + "=")
		first := i
		for ; i < len(sorted) && sorted[i].Key == key; i++ {
			if i > first {
				b.WriteByte(',')
			}
			b.WriteString(canonicalEscape(sorted[i].Value))
		}
	}
	return b.String()
}

func canonicalEscape(s string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || isDigit(c) || strings.IndexByte("-_.~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
	return b.String()
}
