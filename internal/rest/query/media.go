package query

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// MediaKind identifies a media type PostgREST knows.
type MediaKind uint8

const (
	MediaAny         MediaKind = iota + 1 // */*
	MediaJSON                             // application/json, application/vnd.pgrst.array+json
	MediaObject                           // application/vnd.pgrst.object+json (exactly one row)
	MediaCSV                              // text/csv
	MediaGeoJSON                          // application/geo+json
	MediaPlan                             // application/vnd.pgrst.plan[+text|+json]
	MediaOpenAPI                          // application/openapi+json
	MediaTextPlain                        // text/plain
	MediaTextXML                          // text/xml
	MediaURLEncoded                       // application/x-www-form-urlencoded
	MediaOctetStream                      // application/octet-stream
	MediaOther                            // anything else; Name holds it
)

// MediaType is a decoded media type, as in an Accept or Content-Type header.
type MediaType struct {
	Kind MediaKind
	// StripNulls is ";nulls=stripped" on vnd.pgrst.array+json (Kind MediaJSON) or
	// vnd.pgrst.object+json.
	StripNulls bool
	// Name is the type/subtype of a MediaOther.
	Name string
	// For a MediaPlan: the format ("text" or "json"), the media type of the plan's
	// "for" parameter (application/json when absent) and its options.
	PlanFormat  string
	PlanFor     *MediaType
	PlanOptions []string
}

// String returns the media type as PostgREST writes it (its toMime).
func (m MediaType) String() string {
	switch m.Kind {
	case MediaAny:
		return "*/*"
	case MediaJSON:
		if m.StripNulls {
			return "application/vnd.pgrst.array+json;nulls=stripped"
		}
		return "application/json"
	case MediaObject:
		if m.StripNulls {
			return "application/vnd.pgrst.object+json;nulls=stripped"
		}
		return "application/vnd.pgrst.object+json"
	case MediaCSV:
		return "text/csv"
	case MediaGeoJSON:
		return "application/geo+json"
	case MediaOpenAPI:
		return "application/openapi+json"
	case MediaTextPlain:
		return "text/plain"
	case MediaTextXML:
		return "text/xml"
	case MediaURLEncoded:
		return "application/x-www-form-urlencoded"
	case MediaOctetStream:
		return "application/octet-stream"
	case MediaPlan:
		s := "application/vnd.pgrst.plan+" + m.PlanFormat
		if m.PlanFor != nil {
			s += `; for="` + m.PlanFor.String() + `"`
		}
		if len(m.PlanOptions) > 0 {
			s += "; options=" + strings.Join(m.PlanOptions, "|")
		}
		return s
	}
	return m.Name
}

// ContentType returns the value for a Content-Type response header: the media
// type with "; charset=utf-8", except for octet-stream and unknown types.
func (m MediaType) ContentType() string {
	if m.Kind == MediaOctetStream || m.Kind == MediaOther {
		return m.String()
	}
	return m.String() + "; charset=utf-8"
}

var mediaKinds = map[string]MediaKind{
	"application/json":                  MediaJSON,
	"application/geo+json":              MediaGeoJSON,
	"text/csv":                          MediaCSV,
	"text/plain":                        MediaTextPlain,
	"text/xml":                          MediaTextXML,
	"application/openapi+json":          MediaOpenAPI,
	"application/x-www-form-urlencoded": MediaURLEncoded,
	"application/octet-stream":          MediaOctetStream,
	"application/vnd.pgrst.plan":        MediaPlan,
	"application/vnd.pgrst.plan+text":   MediaPlan,
	"application/vnd.pgrst.plan+json":   MediaPlan,
	"application/vnd.pgrst.object+json": MediaObject,
	"application/vnd.pgrst.object":      MediaObject,
	"application/vnd.pgrst.array+json":  MediaJSON,
	"application/vnd.pgrst.array":       MediaJSON,
	"*/*":                               MediaAny,
	"":                                  MediaAny,
}

// ParseMediaType decodes one media type with its parameters, as PostgREST's
// decodeMediaType does (type and subtype are matched case-insensitively here).
func ParseMediaType(s string) MediaType {
	parts := strings.Split(s, ";")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	name, params := strings.ToLower(parts[0]), parts[1:]
	kind, ok := mediaKinds[name]
	if !ok {
		return MediaType{Kind: MediaOther, Name: name}
	}
	m := MediaType{Kind: kind}
	switch {
	case kind == MediaPlan:
		m.PlanFormat = "text"
		if strings.HasSuffix(name, "+json") {
			m.PlanFormat = "json"
		}
		forType := MediaType{Kind: MediaJSON}
		for _, p := range params {
			if v, ok := strings.CutPrefix(p, "for="); ok {
				forType = ParseMediaType(strings.Trim(v, `"`))
			}
			if v, ok := strings.CutPrefix(p, "options="); ok {
				for _, o := range []string{"analyze", "verbose", "settings", "buffers", "wal"} {
					if slices.Contains(strings.Split(v, "|"), o) {
						m.PlanOptions = append(m.PlanOptions, o)
					}
				}
			}
		}
		m.PlanFor = &forType
	case strings.HasPrefix(name, "application/vnd.pgrst."):
		m.StripNulls = slices.Contains(params, "nulls=stripped")
	}
	return m
}

// ParseAccept splits an Accept header into media types, most preferred first:
// by q-value, then by specificity (more parameters, fewer wildcards), keeping
// the header's order otherwise. This is wai's parseHttpAccept, which PostgREST
// uses: it removes all spaces and ignores everything after ";q=". An empty
// element means */*.
func ParseAccept(header string) []MediaType {
	type entry struct {
		media string
		q     float64
		spec  int
	}
	var entries []entry
	for _, part := range strings.Split(header, ",") {
		part = strings.ReplaceAll(part, " ", "")
		q := 1.0
		if i := strings.Index(part, ";q="); i >= 0 {
			qs, _, _ := strings.Cut(part[i+3:], ";")
			if v, err := strconv.ParseFloat(qs, 64); err == nil {
				q = v
			}
			part = part[:i]
		}
		entries = append(entries, entry{part, q, strings.Count(part, ";") - strings.Count(part, "*")})
	}
	slices.SortStableFunc(entries, func(a, b entry) int {
		switch {
		case a.q != b.q:
			if a.q > b.q {
				return -1
			}
			return 1
		default:
			return b.spec - a.spec
		}
	})
	out := make([]MediaType, len(entries))
	for i, e := range entries {
		out[i] = ParseMediaType(e.media)
	}
	return out
}

// Negotiate picks the first of accepts that a table, view or function result
// can be rendered as: JSON (*/* resolves to it), the single-object and
// nulls=stripped variants, CSV and GeoJSON, plus execution plans when
// opts.PlanEnabled. Anything else is PGRST107 (406) "None of these media
// types are available: …". Media types served only by custom database
// handlers (e.g. a function returning a text/plain domain) are not handled here.
func Negotiate(accepts []MediaType, opts Options) (MediaType, error) {
	for _, m := range accepts {
		if producible(m, opts) {
			if m.Kind == MediaAny {
				return MediaType{Kind: MediaJSON}, nil
			}
			return m, nil
		}
	}
	names := make([]string, len(accepts))
	for i, m := range accepts {
		names[i] = m.String()
	}
	return MediaType{}, &Error{
		Status:  http.StatusNotAcceptable,
		Code:    CodeMediaType,
		Message: "None of these media types are available: " + strings.Join(names, ", "),
	}
}

func producible(m MediaType, opts Options) bool {
	switch m.Kind {
	case MediaAny, MediaJSON, MediaObject, MediaCSV, MediaGeoJSON:
		return true
	case MediaPlan:
		return opts.PlanEnabled && m.PlanFor != nil && m.PlanFor.Kind != MediaPlan && producible(*m.PlanFor, opts)
	}
	return false
}
