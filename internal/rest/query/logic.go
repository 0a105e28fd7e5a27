package query

import "strings"

// LogicOp joins the children of a logic tree node.
type LogicOp string

const (
	LogicAnd LogicOp = "and"
	LogicOr  LogicOp = "or"
)

// LogicTree is a boolean expression from or=(…), and=(…), not.or=(…) or
// rel.or=(…). A leaf has Filter set (with a nil Path); an inner node has Op
// and at least one child. Negate applies to an inner node (not.and(…)); a
// leaf's own "not." is Filter.Negate.
type LogicTree struct {
	Negate   bool
	Op       LogicOp
	Children []LogicTree
	Filter   *Filter
}

// Logic is one logic-tree parameter and the embed path it applies to.
type Logic struct {
	Path []string // nil for the top level
	Tree LogicTree
}

// String writes the tree in the form used inside a logic parameter:
// [not.]or(a.eq.1,and(b.gt.2,c.is.null)).
func (t LogicTree) String() string {
	if t.Filter != nil {
		return t.Filter.String()
	}
	var b strings.Builder
	if t.Negate {
		b.WriteString("not.")
	}
	b.WriteString(string(t.Op))
	b.WriteString(t.childrenString())
	return b.String()
}

func (t LogicTree) childrenString() string {
	parts := make([]string, len(t.Children))
	for i, c := range t.Children {
		parts[i] = c.String()
	}
	return "(" + strings.Join(parts, ",") + ")"
}

// Param writes the logic tree back as a query parameter: rel.not.or=(…).
func (l Logic) Param() (key, value string) {
	last := string(l.Tree.Op)
	if l.Tree.Negate {
		last = "not." + last
	}
	return formatPath(l.Path, last), l.Tree.childrenString()
}

// ParseLogic parses a logic-tree parameter. The key is "[embed.path.][not.]and"
// or "…or"; the value is "(tree,tree,…)", where a tree is a filter such as
// a.eq.1 or a nested [not.]and(…)/[not.]or(…). As in PostgREST, the value is
// parsed with the operator name prepended, so error columns count from it.
// Failures are PGRST100 "failed to parse logic path (...)" or "failed to parse
// logic tree (...)".
func ParseLogic(key, value string) (Logic, error) {
	path, op, negate, err := parseLogicPath(key)
	if err != nil {
		return Logic{}, err
	}
	src := string(op) + value
	if negate {
		src = "not." + src
	}
	s := &scanner{src: src}
	tree, serr := s.logicExpr(0)
	if serr == nil {
		serr = s.expectEnd()
	}
	if serr != nil {
		return Logic{}, serr.toError("failed to parse logic tree ("+value+")", src)
	}
	return Logic{Path: path, Tree: tree}, nil
}

// parseLogicPath splits "a.b.not.or" into the embed path [a b], the operator and
// the negation. Like PostgREST, a "not" anywhere in the path negates.
func parseLogicPath(key string) ([]string, LogicOp, bool, error) {
	s := &scanner{src: key}
	var names []string
	for {
		name, _, serr := s.fieldName()
		if serr != nil {
			return nil, "", false, serr.toError("failed to parse logic path ("+key+")", key)
		}
		names = append(names, name)
		if !s.accept(".") {
			break
		}
	}
	if !s.eof() {
		return nil, "", false, s.fail(labelDelimiter, labelEnd).toError("failed to parse logic path ("+key+")", key)
	}
	op := LogicOp(names[len(names)-1])
	if op != LogicAnd && op != LogicOr {
		e := &syntaxError{pos: len(key), message: "logic operator (and, or) expected at the end of the key"}
		return nil, "", false, e.toError("failed to parse logic path ("+key+")", key)
	}
	var path []string
	negate := false
	for _, n := range names[:len(names)-1] {
		if n == "not" {
			negate = true
			continue
		}
		path = append(path, n)
	}
	return path, op, negate, nil
}

// logicTree reads a filter or a nested expression. A filter is tried first, as
// in PostgREST, so a column may be called "and", "or" or "not".
func (s *scanner) logicTree(depth int) (LogicTree, *syntaxError) {
	start := s.pos
	f, ferr := s.logicFilter()
	if ferr == nil {
		return LogicTree{Filter: &f}, nil
	}
	s.pos = start
	s.skipSpace()
	exprStart := s.pos
	t, eerr := s.logicExpr(depth)
	switch {
	case eerr == nil:
		return t, nil
	case eerr.pos > exprStart:
		// The expression got past "not." or its operator: like Parsec, commit to its error.
		return t, eerr
	}
	return t, further(ferr, eerr)
}

// logicFilter reads field.[not.]op.value.
func (s *scanner) logicFilter() (Filter, *syntaxError) {
	field, err := s.field()
	if err != nil {
		return Filter{}, err
	}
	if !s.accept(".") {
		return Filter{}, s.fail(`"->"`, `"->>"`, labelDelimiter)
	}
	f := Filter{Field: field}
	if err := s.opExpr(&f, true); err != nil {
		return Filter{}, err
	}
	return f, nil
}

// logicExpr reads [not.](and|or)(tree,…).
func (s *scanner) logicExpr(depth int) (LogicTree, *syntaxError) {
	var t LogicTree
	if depth > maxDepth {
		e := s.fail()
		e.message = "logic tree is nested too deeply"
		return t, e
	}
	s.skipSpace()
	t.Negate = s.accept("not.")
	switch {
	case s.accept(string(LogicAnd)):
		t.Op = LogicAnd
	case s.accept(string(LogicOr)):
		t.Op = LogicOr
	default:
		expected := []string{labelFieldName, "negation operator (not)", "logic operator (and, or)"}
		if t.Negate {
			expected = expected[2:]
		}
		return t, s.fail(expected...)
	}
	s.skipSpace()
	if !s.accept("(") {
		return t, s.fail(`"("`)
	}
	for {
		s.skipSpace()
		child, err := s.logicTree(depth + 1)
		if err != nil {
			return t, err
		}
		t.Children = append(t.Children, child)
		s.skipSpace()
		if s.accept(",") {
			continue
		}
		if s.accept(")") {
			s.skipSpace()
			return t, nil
		}
		return t, s.fail(`","`, `")"`)
	}
}
