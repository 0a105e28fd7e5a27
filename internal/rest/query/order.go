package query

import "strings"

// Direction is the sort direction of an order term.
type Direction string

const (
	DirDefault Direction = ""
	DirAsc     Direction = "asc"
	DirDesc    Direction = "desc"
)

// Nulls places NULLs in an order term.
type Nulls string

const (
	NullsDefault Nulls = ""
	NullsFirst   Nulls = "nullsfirst"
	NullsLast    Nulls = "nullslast"
)

// OrderTerm is one term of order=. When Relation is set the term is
// rel(field), which orders the parent rows by a column of a to-one embed.
type OrderTerm struct {
	Relation  string
	Field     Field
	Direction Direction
	Nulls     Nulls
}

// Order is one order parameter and the embed path it applies to
// (order=… for the top level, rel.order=… for an embed).
type Order struct {
	Path  []string
	Terms []OrderTerm
}

// String writes the term as it appears in order=.
func (t OrderTerm) String() string {
	var b strings.Builder
	if t.Relation != "" {
		b.WriteString(quoteName(t.Relation) + "(" + t.Field.String() + ")")
	} else {
		b.WriteString(t.Field.String())
	}
	if t.Direction != DirDefault {
		b.WriteString("." + string(t.Direction))
	}
	if t.Nulls != NullsDefault {
		b.WriteString("." + string(t.Nulls))
	}
	return b.String()
}

// Param writes the order back as a query parameter.
func (o Order) Param() (key, value string) {
	parts := make([]string, len(o.Terms))
	for i, t := range o.Terms {
		parts[i] = t.String()
	}
	return formatPath(o.Path, "order"), strings.Join(parts, ",")
}

// ParseOrder parses an order parameter: key "[embed.path.]order", value
// "term,term,…" with term := field[.asc|.desc][.nullsfirst|.nullslast] or
// rel(field)[…]. Failures are PGRST100 "failed to parse order (...)".
func ParseOrder(key, value string) (Order, error) {
	path, _, err := parseTreePath(key)
	if err != nil {
		return Order{}, err
	}
	s := &scanner{src: value}
	var terms []OrderTerm
	for {
		t, serr := s.orderTerm()
		if serr != nil {
			return Order{}, serr.toError("failed to parse order ("+value+")", value)
		}
		terms = append(terms, t)
		if !s.accept(",") {
			break
		}
	}
	return Order{Path: path, Terms: terms}, nil
}

func (s *scanner) orderTerm() (OrderTerm, *syntaxError) {
	s.skipSpace()
	start := s.pos
	t, ok := s.relationOrderTerm()
	if !ok {
		s.pos = start
		field, err := s.field()
		if err != nil {
			return t, err
		}
		t = OrderTerm{Field: field}
	}
	s.orderModifiers(&t)
	s.skipSpace()
	if s.eof() || s.peek() == ',' {
		return t, nil
	}
	if s.peek() == '.' {
		// A modifier PostgREST does not know: report it after the dot, as Parsec does.
		s.pos++
		switch {
		case t.Nulls != NullsDefault:
			s.pos--
			return t, s.fail(`","`, labelEnd)
		case t.Direction != DirDefault:
			return t, s.mismatch(string(NullsFirst), `"nullsfirst"`, `"nullslast"`)
		default:
			return t, s.mismatch(string(DirAsc), `"asc"`, `"desc"`, `"nullsfirst"`, `"nullslast"`)
		}
	}
	expected := []string{labelDelimiter, `","`, labelEnd}
	if t.Direction == DirDefault && t.Nulls == NullsDefault && t.Relation == "" && len(t.Field.JSONPath) == 0 {
		expected = append([]string{`"->>"`, `"->"`}, expected...)
	}
	return t, s.fail(expected...)
}

// relationOrderTerm reads rel(field). On false the caller rewinds.
func (s *scanner) relationOrderTerm() (OrderTerm, bool) {
	name, _, err := s.fieldName()
	if err != nil || !s.accept("(") {
		return OrderTerm{}, false
	}
	field, err := s.field()
	if err != nil || !s.accept(")") {
		return OrderTerm{}, false
	}
	return OrderTerm{Relation: name, Field: field}, true
}

// orderModifiers reads the optional .asc/.desc and .nullsfirst/.nullslast. As in
// PostgREST a modifier is matched as a prefix, so ".descc" fails at the second 'c'.
func (s *scanner) orderModifiers(t *OrderTerm) {
	for _, d := range []Direction{DirAsc, DirDesc} {
		if s.accept("." + string(d)) {
			t.Direction = d
			break
		}
	}
	for _, n := range []Nulls{NullsFirst, NullsLast} {
		if s.accept("." + string(n)) {
			t.Nulls = n
			break
		}
	}
}
