package query

import "strings"

// Filter is one horizontal filter: a query parameter such as rel.col=not.eq.1, or
// a leaf of a logic tree.
//
// Value is the operand exactly as sent for top-level filters; inside logic trees
// a double-quoted operand is unquoted. It is not otherwise interpreted: like and
// ilike still carry '*' wildcards, and quantified operators carry the raw array
// literal. List holds the unquoted elements of in.(…) and is empty for in.() (and
// for in.(""), which PostgREST treats the same way).
type Filter struct {
	Path       []string // embed path: rel.sub.col gives [rel sub]; nil at the top level and in logic trees
	Field      Field
	Negate     bool // not.
	Op         Operator
	Quantifier Quantifier // (any) or (all) on eq, gt, gte, lt, lte, like, ilike, match, imatch
	Value      string     // operand of every operator but in and is
	List       []string   // elements of in.(…)
	Is         IsValue    // keyword of is.
	Language   string     // text search configuration: fts(english).…
}

// ParseFilter parses one filter parameter: key is "[embed.path.]column[->json…]"
// and value is "[not.]op…". Failures are PGRST100, "failed to parse tree path
// (...)" for the key and "failed to parse filter (...)" for the value.
func ParseFilter(key, value string) (Filter, error) {
	path, field, err := parseTreePath(key)
	if err != nil {
		return Filter{}, err
	}
	f := Filter{Path: path, Field: field}
	s := &scanner{src: value}
	if serr := s.opExpr(&f, false); serr != nil {
		return Filter{}, serr.toError("failed to parse filter ("+value+")", value)
	}
	return f, nil
}

// consumesOnFailure reports whether PostgREST's parser commits to an operator
// expression before it can fail, which decides whether a GET /rpc parameter that
// fails to parse is an error or a function argument.
func consumesOnFailure(value string) bool {
	v := strings.TrimPrefix(value, "not.")
	return len(v) < len(value) || strings.HasPrefix(v, "in.") || strings.HasPrefix(v, "is.")
}

// Param writes the filter back as a query parameter.
func (f Filter) Param() (key, value string) {
	return formatPath(f.Path, f.Field.String()), f.opString(false)
}

// String writes the filter as an element of a logic tree: field.[not.]op.value.
// The embed path is not part of it.
func (f Filter) String() string {
	return f.Field.String() + "." + f.opString(true)
}

func (f Filter) opString(inLogic bool) string {
	var b strings.Builder
	if f.Negate {
		b.WriteString("not.")
	}
	b.WriteString(string(f.Op))
	switch operatorClasses[f.Op] {
	case classIn:
		b.WriteString(".(")
		for i, v := range f.List {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(quoteString(v))
		}
		b.WriteString(")")
		return b.String()
	case classIs:
		return b.String() + "." + string(f.Is)
	case classQuant:
		if f.Quantifier != QuantNone {
			b.WriteString("(" + string(f.Quantifier) + ")")
		}
	case classFTS:
		if f.Language != "" {
			b.WriteString("(" + f.Language + ")")
		}
	}
	b.WriteByte('.')
	if inLogic {
		b.WriteString(quoteLogicValue(f.Value))
	} else {
		b.WriteString(f.Value)
	}
	return b.String()
}

// quoteLogicValue quotes a logic-tree operand unless it reads back unchanged bare.
func quoteLogicValue(v string) string {
	if len(v) >= 2 && v[0] == '{' && v[len(v)-1] == '}' && !strings.ContainsAny(v[1:len(v)-1], "{}") {
		return v // an array literal such as {a,b}
	}
	if strings.ContainsAny(v, `,()"\{}`) {
		return quoteString(v)
	}
	return v
}

// opExpr reads "[not.]op…" into f. At the top level (inLogic false) the operand
// is the rest of the text; inside a logic tree it stops at ',' or ')'.
func (s *scanner) opExpr(f *Filter, inLogic bool) *syntaxError {
	if s.accept("not.") {
		f.Negate = true
	}
	start := s.pos
	end := start
	for end < len(s.src) && s.src[end] != '.' && s.src[end] != '(' {
		end++
	}
	op := Operator(s.src[start:end])
	class := operatorClasses[op]
	if class == classNone {
		return s.unknownOperator(f.Negate)
	}
	s.pos = end
	f.Op = op
	switch class {
	case classQuant:
		switch {
		case s.accept("(any)"):
			f.Quantifier = QuantAny
		case s.accept("(all)"):
			f.Quantifier = QuantAll
		}
	case classFTS:
		if s.accept("(") {
			lang, ok := s.identifier()
			if !ok {
				return s.fail(labelIdent)
			}
			if !s.accept(")") {
				return s.fail(labelIdent, `")"`)
			}
			f.Language = lang
		}
	}
	if !s.accept(".") {
		expected := []string{labelDelimiter}
		if class == classQuant && f.Quantifier == QuantNone {
			expected = []string{`"("`, labelDelimiter}
		}
		return s.fail(expected...)
	}
	switch class {
	case classIn:
		list, err := s.list()
		if err != nil {
			return err
		}
		f.List = list
		if !inLogic {
			return s.expectEnd()
		}
		return nil
	case classIs:
		return s.isValue(f, inLogic)
	}
	if inLogic {
		f.Value = s.logicValue()
	} else {
		f.Value = s.src[s.pos:]
		s.pos = len(s.src)
	}
	return nil
}

// unknownOperator reports an operator that is not known, where Parsec would.
// When the text starts with a whole operator ("eqx.1"), PostgREST's parser fails
// right after it. Otherwise it fails at the start, showing the character where
// the text first differs from "not" (or from "in" after a not.), the first
// alternative it tries.
func (s *scanner) unknownOperator(negated bool) *syntaxError {
	longest := 0
	for op := range operatorClasses {
		if len(op) > longest && s.hasPrefix(string(op)) {
			longest = len(op)
		}
	}
	if longest > 0 {
		probe := scanner{src: s.src, pos: s.pos + longest}
		return probe.fail("operator (eq, gt, ...)")
	}
	if negated {
		return s.mismatch("in", "operator (eq, gt, ...)")
	}
	return s.mismatch("not", `"not"`, "operator (eq, gt, ...)")
}

// mismatch reports, at the current position, the first character where the
// input differs from word, as Parsec's string parser does.
func (s *scanner) mismatch(word string, expected ...string) *syntaxError {
	probe := scanner{src: s.src, pos: s.pos}
	for i := 0; i < len(word) && !probe.eof() && probe.src[probe.pos] == word[i]; i++ {
		probe.pos++
	}
	e := probe.fail(expected...)
	e.pos = s.pos
	return e
}

// isValue reads the keyword after is., case-insensitively.
func (s *scanner) isValue(f *Filter, inLogic bool) *syntaxError {
	rest := s.src[s.pos:]
	for _, kw := range isValues {
		if len(rest) >= len(kw) && equalFoldASCII(rest[:len(kw)], string(kw)) {
			s.pos += len(kw)
			f.Is = kw
			if inLogic {
				return nil
			}
			return s.expectEnd()
		}
	}
	return s.fail("isVal: (null, not_null, true, false, unknown)")
}

// equalFoldASCII compares a with the lower-case ASCII word w, ignoring ASCII case.
func equalFoldASCII(a, w string) bool {
	for i := 0; i < len(w); i++ {
		c := a[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != w[i] {
			return false
		}
	}
	return true
}

// list reads "(" element ("," element)* ")" with spaces allowed around the
// parentheses. An element is a quoted string directly followed by ',' or ')', or
// else any run of characters other than ',' and ')', kept verbatim.
func (s *scanner) list() ([]string, *syntaxError) {
	s.skipSpace()
	if !s.accept("(") {
		return nil, s.fail(`"("`)
	}
	s.skipSpace()
	var vals []string
	for {
		vals = append(vals, s.listElement())
		if s.accept(",") {
			continue
		}
		if s.accept(")") {
			s.skipSpace()
			break
		}
		return nil, s.fail(`","`, `")"`)
	}
	if len(vals) == 1 && vals[0] == "" {
		return []string{}, nil
	}
	return vals, nil
}

func (s *scanner) listElement() string {
	if v, ok := s.quotedElement(); ok {
		return v
	}
	return s.bareValue()
}

// quotedElement reads a quoted string that ends the element; otherwise it rewinds.
func (s *scanner) quotedElement() (string, bool) {
	if s.peek() != '"' {
		return "", false
	}
	start := s.pos
	v, err := s.quoted()
	if err == nil && (s.eof() || s.peek() == ',' || s.peek() == ')') {
		return v, true
	}
	s.pos = start
	return "", false
}

// bareValue reads up to the next ',' or ')'.
func (s *scanner) bareValue() string {
	start := s.pos
	for !s.eof() && s.src[s.pos] != ',' && s.src[s.pos] != ')' {
		s.pos++
	}
	return s.src[start:s.pos]
}

// logicValue reads an operand inside a logic tree: a quoted string, a Postgres
// array literal {…} (which may hold commas), or a bare run up to ',' or ')'.
func (s *scanner) logicValue() string {
	if v, ok := s.quotedElement(); ok {
		return v
	}
	if s.peek() == '{' {
		if i := strings.IndexAny(s.src[s.pos+1:], "{}"); i >= 0 && s.src[s.pos+1+i] == '}' {
			v := s.src[s.pos : s.pos+i+2]
			s.pos += i + 2
			return v
		}
	}
	return s.bareValue()
}
