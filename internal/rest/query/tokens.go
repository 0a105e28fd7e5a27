package query

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Labels used in error details, worded as PostgREST's parser words them.
const (
	labelFieldName = "field name (* or [a..z0..9_$])"
	labelJSONKey   = "any non reserved character different from: .,>()"
	labelIdent     = "letter or digit"
	labelDelimiter = "delimiter (.)"
	labelEnd       = "end of input"
)

// maxDepth bounds the nesting of embeds and logic trees so that a hostile query
// string cannot drive the recursive descent arbitrarily deep.
const maxDepth = 64

// scanner is a cursor over one parameter's text. The grammar functions below are
// methods on it; each either advances past what it recognised or reports a
// *syntaxError at the point where it stopped.
type scanner struct {
	src string
	pos int
}

func (s *scanner) eof() bool { return s.pos >= len(s.src) }

// peek returns the next rune, or -1 at the end.
func (s *scanner) peek() rune {
	if s.eof() {
		return -1
	}
	r, _ := utf8.DecodeRuneInString(s.src[s.pos:])
	return r
}

func (s *scanner) hasPrefix(p string) bool { return strings.HasPrefix(s.src[s.pos:], p) }

// accept consumes p if the input continues with it.
func (s *scanner) accept(p string) bool {
	if s.hasPrefix(p) {
		s.pos += len(p)
		return true
	}
	return false
}

// skipSpace skips spaces and tabs, PostgREST's "ws".
func (s *scanner) skipSpace() {
	for !s.eof() && (s.src[s.pos] == ' ' || s.src[s.pos] == '\t') {
		s.pos++
	}
}

// atEnd reports whether only spaces and tabs remain.
func (s *scanner) atEnd() bool {
	s.skipSpace()
	return s.eof()
}

// fail reports a syntax error at the current position.
func (s *scanner) fail(expected ...string) *syntaxError {
	return &syntaxError{pos: s.pos, unexpected: s.unexpected(), expected: expected}
}

func (s *scanner) unexpected() string {
	if s.eof() {
		return labelEnd
	}
	return haskellShow(string(s.peek()))
}

// expectEnd fails unless only whitespace is left.
func (s *scanner) expectEnd(expected ...string) *syntaxError {
	if s.atEnd() {
		return nil
	}
	return s.fail(append(expected, labelEnd)...)
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// isIdentRune reports the characters of PostgREST's pIdentifier.
func isIdentRune(r rune) bool {
	return unicode.IsLetter(r) || (r >= '0' && r <= '9') || r == '_' || r == ' ' || r == '$'
}

// identifier reads letters, digits, '_', ' ' and '$' and trims the spaces, as
// PostgREST's pIdentifier does. It is used for names, casts and fts languages.
func (s *scanner) identifier() (string, bool) {
	start := s.pos
	for !s.eof() {
		r, n := utf8.DecodeRuneInString(s.src[s.pos:])
		if !isIdentRune(r) {
			break
		}
		s.pos += n
	}
	v := strings.TrimSpace(s.src[start:s.pos])
	if v == "" {
		s.pos = start
		return "", false
	}
	return v, true
}

// jsonKeyIdent reads a bare JSON key: anything but ( - : . , > ), trimmed.
func (s *scanner) jsonKeyIdent() (string, bool) {
	start := s.pos
	for !s.eof() && !strings.ContainsRune("(-:.,>)", rune(s.src[s.pos])) {
		s.pos++
	}
	v := strings.TrimSpace(s.src[start:s.pos])
	if v == "" {
		s.pos = start
		return "", false
	}
	return v, true
}

// dashed reads part ("-" part)*, where a dash followed by '>' is left alone
// because it starts a JSON arrow. The parts are joined with single dashes.
func (s *scanner) dashed(part func() (string, bool), label string) (string, *syntaxError) {
	first, ok := part()
	if !ok {
		return "", s.fail(label)
	}
	parts := []string{first}
	for s.hasPrefix("-") && !s.hasPrefix("->") {
		s.pos++
		p, ok := part()
		if !ok {
			return "", s.fail(labelIdent)
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, "-"), nil
}

// quoted reads a double-quoted string in which a backslash escapes the next
// character. The caller has checked that the input starts with '"'.
func (s *scanner) quoted() (string, *syntaxError) {
	s.pos++
	var b strings.Builder
	for {
		if s.eof() {
			return "", s.fail(`"\""`)
		}
		switch c := s.src[s.pos]; c {
		case '"':
			s.pos++
			return b.String(), nil
		case '\\':
			s.pos++
			if s.eof() {
				return "", s.fail("any character")
			}
			_, n := utf8.DecodeRuneInString(s.src[s.pos:])
			b.WriteString(s.src[s.pos : s.pos+n])
			s.pos += n
		default:
			b.WriteByte(c)
			s.pos++
		}
	}
}

// fieldName reads a column, relation, alias or hint name: a quoted string, or
// identifiers joined by dashes. quoted tells which form was used.
func (s *scanner) fieldName() (name string, quoted bool, err *syntaxError) {
	if s.peek() == '"' {
		name, err = s.quoted()
		return name, true, err
	}
	name, err = s.dashed(s.identifier, labelFieldName)
	return name, false, err
}

// field reads a name and its JSON path, with spaces allowed around it.
func (s *scanner) field() (Field, *syntaxError) {
	s.skipSpace()
	name, _, err := s.fieldName()
	if err != nil {
		return Field{}, err
	}
	path, err := s.jsonPath()
	if err != nil {
		return Field{}, err
	}
	s.skipSpace()
	return Field{Name: name, JSONPath: path}, nil
}

// jsonPath reads ("->" | "->>") operand steps until there are no more arrows.
func (s *scanner) jsonPath() ([]JSONStep, *syntaxError) {
	var path []JSONStep
	for {
		var arrow Arrow
		switch {
		case s.accept("->>"):
			arrow = ArrowText
		case s.accept("->"):
			arrow = ArrowJSON
		default:
			return path, nil
		}
		step, err := s.jsonOperand(arrow)
		if err != nil {
			return nil, err
		}
		path = append(path, step)
	}
}

// jsonOperand reads an array index or an object key after an arrow. Like
// PostgREST, digits count as an index only when an arrow, "::", '.', ',' or the
// end follows them; otherwise they are a key (so "rel(data->0)" selects the key "0").
func (s *scanner) jsonOperand(arrow Arrow) (JSONStep, *syntaxError) {
	idx, idxErr := s.jsonIndex()
	if idxErr == nil {
		return JSONStep{Arrow: arrow, Key: idx, Index: true}, nil
	}
	var key string
	var err *syntaxError
	if s.peek() == '"' {
		key, err = s.quoted()
	} else {
		key, err = s.dashed(s.jsonKeyIdent, labelJSONKey)
	}
	if err != nil {
		return JSONStep{}, further(idxErr, err)
	}
	return JSONStep{Arrow: arrow, Key: key}, nil
}

// jsonIndex reads ["-"] digits that are followed by a path terminator. On
// failure it leaves the position unchanged and says how far it got.
func (s *scanner) jsonIndex() (string, *syntaxError) {
	p := s.pos
	if p < len(s.src) && s.src[p] == '-' {
		p++
	}
	digits := p
	for p < len(s.src) && isDigit(s.src[p]) {
		p++
	}
	probe := scanner{src: s.src, pos: p}
	if p == digits {
		return "", probe.fail("digit")
	}
	rest := s.src[p:]
	if rest == "" || strings.HasPrefix(rest, "->") || strings.HasPrefix(rest, "::") || rest[0] == '.' || rest[0] == ',' {
		idx := s.src[s.pos:p]
		s.pos = p
		return idx, nil
	}
	return "", probe.fail("digit", `"->"`, `"::"`, `"."`, `","`, labelEnd)
}

// isPlainName reports whether name can be written without quotes and read back
// unchanged: letters, digits, '_' and '$' only.
func isPlainName(name string) bool {
	if name == "" {
		return false
	}
	for _, r := range name {
		if r == ' ' || !isIdentRune(r) {
			return false
		}
	}
	return true
}

// quoteName writes a name in a form fieldName reads back unchanged.
func quoteName(name string) string {
	if isPlainName(name) {
		return name
	}
	return quoteString(name)
}

// quoteString wraps v in double quotes, escaping '"' and '\'.
func quoteString(v string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(v); i++ {
		if v[i] == '"' || v[i] == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(v[i])
	}
	b.WriteByte('"')
	return b.String()
}

// parseTreePath reads a parameter key such as "rel.sub.col->a": dot-separated
// names, the last with an optional JSON path. It returns the embed path and the field.
func parseTreePath(key string) ([]string, Field, error) {
	s := &scanner{src: key}
	var names []string
	for {
		name, _, err := s.fieldName()
		if err != nil {
			return nil, Field{}, err.toError("failed to parse tree path ("+key+")", key)
		}
		names = append(names, name)
		if !s.accept(".") {
			break
		}
	}
	path, err := s.jsonPath()
	if err == nil && !s.eof() {
		err = s.fail(labelDelimiter, `"->"`, `"->>"`, labelEnd)
	}
	if err != nil {
		return nil, Field{}, err.toError("failed to parse tree path ("+key+")", key)
	}
	return embedPath(names[:len(names)-1]), Field{Name: names[len(names)-1], JSONPath: path}, nil
}

// embedPath returns nil for an empty path so that top-level items compare equal.
func embedPath(names []string) []string {
	if len(names) == 0 {
		return nil
	}
	return names
}

// formatPath writes an embed path followed by a final element, dot-separated.
func formatPath(path []string, last string) string {
	var b strings.Builder
	for _, p := range path {
		b.WriteString(quoteName(p))
		b.WriteByte('.')
	}
	b.WriteString(last)
	return b.String()
}
