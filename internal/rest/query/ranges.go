package query

import (
	"math"
	"net/http"
	"regexp"
	"strconv"
	"strings"
)

// NoLimit is Range.Limit when no limit applies.
const NoLimit int64 = -1

// Range is the slice of rows asked for at one level of the response, from
// limit=/offset= (or rel.limit=/rel.offset=) and, at the top level of a GET, the
// Range header. It becomes LIMIT Limit OFFSET Offset; Limit is NoLimit when
// unbounded and may be 0 (limit=0 asks for no rows).
type Range struct {
	Path   []string // embed path; nil for the top level
	Offset int64
	Limit  int64
}

// IsAll reports whether the range asks for every row.
func (r Range) IsAll() bool { return r.Offset == 0 && r.Limit == NoLimit }

// rangeParams collects the raw limit and offset values per range key, where a
// key is the parameter name with its last segment replaced by "limit". The last
// occurrence of a parameter wins, as in PostgREST's HashMap.
type rangeParams struct {
	keys    []string // in order of first appearance
	limits  map[string]string
	offsets map[string]string
}

func (rp *rangeParams) add(key, value string, isOffset bool) {
	rk := key[:len(key)-len(lastSegment(key))] + "limit"
	if rp.limits == nil {
		rp.limits, rp.offsets = map[string]string{}, map[string]string{}
	}
	_, seenL := rp.limits[rk]
	_, seenO := rp.offsets[rk]
	if !seenL && !seenO {
		rp.keys = append(rp.keys, rk)
	}
	if isOffset {
		rp.offsets[rk] = value
	} else {
		rp.limits[rk] = value
	}
}

// resolve turns the collected parameters into ranges, applying the Range header
// to the top level when method is GET (PostgREST ignores it on other methods).
func (rp *rangeParams) resolve(header http.Header, method string) (Range, []Range, error) {
	top := Range{Limit: NoLimit}
	var embeds []Range
	for _, rk := range rp.keys {
		path, _, err := parseTreePath(rk)
		if err != nil {
			return top, nil, err
		}
		r := Range{Path: path, Limit: NoLimit}
		if v, ok := rp.offsets[rk]; ok {
			if n, ok := parseInteger(v); ok {
				r.Offset = n
			}
		}
		if v, ok := rp.limits[rk]; ok {
			if n, ok := parseInteger(v); ok {
				if n < 0 {
					return top, nil, rangeError("Limit should be greater than or equal to zero.")
				}
				r.Limit = n
			}
		}
		if r.Offset < 0 {
			return top, nil, &Error{Status: http.StatusBadRequest, Code: CodeNegativeOffset, Message: "OFFSET must not be negative"}
		}
		if path == nil {
			top = r
		} else {
			embeds = append(embeds, r)
		}
	}
	if method == "" || method == http.MethodGet {
		var err error
		if top, err = applyRangeHeader(top, header.Get("Range")); err != nil {
			return top, nil, err
		}
	}
	if method == http.MethodPut && !top.IsAll() {
		return top, nil, &Error{Status: http.StatusBadRequest, Code: CodePutRange,
			Message: "limit/offset querystring parameters are not allowed for PUT"}
	}
	return top, embeds, nil
}

var rangeHeaderPattern = regexp.MustCompile(`^([0-9]+)-([0-9]*)$`)

// applyRangeHeader intersects the top-level range with a "Range: first-[last]"
// header. A header that does not match the pattern is ignored, as is any
// Range-Unit. limit=0 wins over the header.
func applyRangeHeader(top Range, header string) (Range, error) {
	m := rangeHeaderPattern.FindStringSubmatch(header)
	if m == nil || top.Limit == 0 {
		return top, nil
	}
	lower := saturatingAtoi(m[1])
	upper := int64(math.MaxInt64)
	if m[2] != "" {
		upper = saturatingAtoi(m[2])
	}
	if lower > upper {
		return top, rangeError("The lower boundary must be lower than or equal to the upper boundary in the Range header.")
	}
	topUpper := int64(math.MaxInt64)
	if top.Limit != NoLimit {
		topUpper = saturatingAdd(top.Offset, top.Limit-1)
	}
	lo, hi := max(lower, top.Offset), min(upper, topUpper)
	if lo > hi {
		return top, rangeError("Limit should be greater than or equal to zero.")
	}
	r := Range{Offset: lo, Limit: NoLimit}
	if hi != math.MaxInt64 {
		r.Limit = hi - lo + 1
	}
	return r, nil
}

// parseInteger reads an integer the way Haskell's readMaybe does for limit and
// offset: optional surrounding whitespace and minus sign, decimal digits. Values
// beyond int64 saturate.
func parseInteger(v string) (int64, bool) {
	v = strings.TrimSpace(v)
	neg := strings.HasPrefix(v, "-")
	digits := strings.TrimPrefix(v, "-")
	if digits == "" || strings.Trim(digits, "0123456789") != "" {
		return 0, false
	}
	n := saturatingAtoi(digits)
	if neg {
		n = -n
	}
	return n, true
}

func saturatingAtoi(digits string) int64 {
	n, err := strconv.ParseInt(digits, 10, 64)
	if err != nil {
		return math.MaxInt64
	}
	return n
}

func saturatingAdd(a, b int64) int64 {
	if b > 0 && a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}
