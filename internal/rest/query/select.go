package query

import "strings"

// ItemKind says what a SelectItem is.
type ItemKind uint8

const (
	// ItemField is a column, "*", a JSON path or an aggregate such as count().
	ItemField ItemKind = iota
	// ItemEmbed is an embedded resource: [alias:]rel[!hint][!inner|!left](...).
	ItemEmbed
	// ItemSpread is a spread embed: ...rel[!hint][!inner|!left](...).
	ItemSpread
)

// Aggregate is an aggregate function applied to a selected column.
type Aggregate string

// The aggregates PostgREST knows (they need db-aggregates-enabled, PGRST123 otherwise).
const (
	AggNone  Aggregate = ""
	AggSum   Aggregate = "sum"
	AggAvg   Aggregate = "avg"
	AggCount Aggregate = "count"
	AggMax   Aggregate = "max"
	AggMin   Aggregate = "min"
)

// JoinType is the join an embed asks for with !inner or !left.
type JoinType uint8

const (
	JoinDefault JoinType = iota // none given: a left join
	JoinLeft                    // !left
	JoinInner                   // !inner
)

// SelectItem is one node of the select= tree.
//
// For ItemField, Field is the column ("*" for the star and for count()), Cast the
// "::type" applied to it, Aggregate the ".sum()" etc. applied after the cast and
// AggregateCast the "::type" applied to the aggregate. count() is Field "*" with
// Aggregate AggCount.
//
// For ItemEmbed and ItemSpread, Relation names the related table, view or
// function (or the FK/column PostgREST resolves), Hint and Join come from the
// "!" parameters, and Children is the embedded select list (empty for rel()).
type SelectItem struct {
	Kind  ItemKind
	Alias string // "alias:"; empty when none, and always for spreads

	Field         Field
	Cast          string
	Aggregate     Aggregate
	AggregateCast string

	Relation string
	Hint     string
	Join     JoinType
	Children []SelectItem
}

// IsStar reports whether the item is the plain "*".
func (it SelectItem) IsStar() bool {
	return it.Kind == ItemField && it.Field.Name == "*" && len(it.Field.JSONPath) == 0 &&
		it.Alias == "" && it.Cast == "" && it.Aggregate == AggNone
}

// String writes the item as it appears in select=.
func (it SelectItem) String() string {
	var b strings.Builder
	if it.Alias != "" && it.Kind != ItemSpread {
		b.WriteString(quoteName(it.Alias) + ":")
	}
	switch it.Kind {
	case ItemEmbed, ItemSpread:
		if it.Kind == ItemSpread {
			b.WriteString("...")
		}
		b.WriteString(quoteName(it.Relation))
		if it.Hint != "" {
			b.WriteString("!" + quoteHint(it.Hint))
		}
		switch it.Join {
		case JoinInner:
			b.WriteString("!inner")
		case JoinLeft:
			b.WriteString("!left")
		}
		b.WriteString("(" + FormatSelect(it.Children) + ")")
		return b.String()
	}
	switch {
	case it.Field.Name == "*" && len(it.Field.JSONPath) == 0 && it.Cast == "" && it.Aggregate == AggNone && it.Alias == "":
		b.WriteString("*")
	case it.Field.Name == "*" && len(it.Field.JSONPath) == 0 && it.Cast == "" && it.Aggregate == AggCount:
		b.WriteString("count()")
	default:
		b.WriteString(it.Field.String())
		if it.Cast != "" {
			b.WriteString("::" + it.Cast)
		}
		if it.Aggregate != AggNone {
			b.WriteString("." + string(it.Aggregate) + "()")
		}
	}
	if it.AggregateCast != "" {
		b.WriteString("::" + it.AggregateCast)
	}
	return b.String()
}

// quoteHint quotes a hint that would otherwise read as a join type.
func quoteHint(h string) string {
	if h == "inner" || h == "left" {
		return quoteString(h)
	}
	return quoteName(h)
}

// FormatSelect writes a select list as it appears in select=.
func FormatSelect(items []SelectItem) string {
	parts := make([]string, len(items))
	for i, it := range items {
		parts[i] = it.String()
	}
	return strings.Join(parts, ",")
}

// ParseSelect parses the value of select=. An empty value gives an empty list.
// Failures are PGRST100 "failed to parse select parameter (...)".
func ParseSelect(value string) ([]SelectItem, error) {
	s := &scanner{src: value}
	items, err := s.selectList(0)
	if err == nil {
		err = s.expectEnd(`","`)
	}
	if err != nil {
		return nil, err.toError("failed to parse select parameter ("+value+")", value)
	}
	return items, nil
}

// selectList reads [item ("," item)*] up to a ')' or the end.
func (s *scanner) selectList(depth int) ([]SelectItem, *syntaxError) {
	if depth > maxDepth {
		e := s.fail()
		e.message = "embedding is nested too deeply"
		return nil, e
	}
	items := []SelectItem{}
	s.skipSpace()
	if s.eof() || s.peek() == ')' {
		return items, nil
	}
	for {
		it, err := s.selectItem(depth)
		if err != nil {
			return nil, err
		}
		items = append(items, it)
		s.skipSpace()
		if !s.accept(",") {
			return items, nil
		}
		s.skipSpace()
	}
}

func (s *scanner) selectItem(depth int) (SelectItem, *syntaxError) {
	if s.accept("...") {
		it := SelectItem{Kind: ItemSpread}
		name, _, err := s.fieldName()
		if err != nil {
			return it, err
		}
		it.Relation = name
		if it.Hint, it.Join, err = s.embedParams(); err != nil {
			return it, err
		}
		return s.embedChildren(it, depth)
	}
	start := s.pos
	if it, ok := s.embedHeader(); ok {
		return s.embedChildren(it, depth)
	}
	s.pos = start
	return s.fieldItem()
}

// embedHeader recognises [alias:]rel[!p][!p] followed by '('. On false the caller
// rewinds and reads a field instead.
func (s *scanner) embedHeader() (SelectItem, bool) {
	it := SelectItem{Kind: ItemEmbed, Alias: s.aliasPrefix()}
	name, _, err := s.fieldName()
	if err != nil || name == "count" {
		return it, false
	}
	it.Relation = name
	if it.Hint, it.Join, err = s.embedParams(); err != nil {
		return it, false
	}
	return it, s.peek() == '('
}

// embedChildren reads "(" select-list ")".
func (s *scanner) embedChildren(it SelectItem, depth int) (SelectItem, *syntaxError) {
	if !s.accept("(") {
		return it, s.fail(`"!"`, `"("`)
	}
	children, err := s.selectList(depth + 1)
	if err != nil {
		return it, err
	}
	if !s.accept(")") {
		return it, s.fail(`","`, `")"`)
	}
	it.Children = children
	return it, nil
}

// aliasPrefix consumes "name:" (but not "name::") and returns the name.
func (s *scanner) aliasPrefix() string {
	start := s.pos
	name, _, err := s.fieldName()
	if err == nil && s.peek() == ':' && !s.hasPrefix("::") {
		s.pos++
		s.skipSpace()
		return name
	}
	s.pos = start
	return ""
}

// embedParams reads up to two "!" parameters. Unquoted "inner" and "left" are
// join types, anything else is the hint; when two of a kind are given the first wins.
func (s *scanner) embedParams() (string, JoinType, *syntaxError) {
	var hint string
	var hasHint bool
	join := JoinDefault
	for i := 0; i < 2 && s.accept("!"); i++ {
		v, quoted, err := s.fieldName()
		if err != nil {
			return "", join, err
		}
		switch {
		case !quoted && v == "inner":
			if join == JoinDefault {
				join = JoinInner
			}
		case !quoted && v == "left":
			if join == JoinDefault {
				join = JoinLeft
			}
		case !hasHint:
			hint, hasHint = v, true
		}
	}
	return hint, join, nil
}

// fieldItem reads "*", [alias:]count()[::cast] or
// [alias:]field[::cast][.agg()][::cast].
func (s *scanner) fieldItem() (SelectItem, *syntaxError) {
	it := SelectItem{Kind: ItemField}
	if s.accept("*") {
		it.Field.Name = "*"
		return it, s.itemEnd(`","`, `")"`)
	}
	it.Alias = s.aliasPrefix()
	if s.accept("count()") {
		it.Field.Name, it.Aggregate = "*", AggCount
		var err *syntaxError
		if it.AggregateCast, err = s.cast(); err != nil {
			return it, err
		}
		return it, s.itemEnd(`"::"`, `","`, `")"`)
	}
	var err *syntaxError
	if it.Field, err = s.field(); err != nil {
		return it, err
	}
	if it.Cast, err = s.cast(); err != nil {
		return it, err
	}
	it.Aggregate = s.aggregate()
	if it.Aggregate != AggNone {
		if it.AggregateCast, err = s.cast(); err != nil {
			return it, err
		}
	}
	expected := []string{`"->"`, `"::"`, `"."`, `","`, `")"`}
	if len(it.Field.JSONPath) == 0 {
		expected = append([]string{`"-"`}, expected...)
	}
	return it, s.itemEnd(expected...)
}

// cast reads an optional "::type".
func (s *scanner) cast() (string, *syntaxError) {
	if !s.accept("::") {
		return "", nil
	}
	t, ok := s.identifier()
	if !ok {
		return "", s.fail(labelIdent)
	}
	return t, nil
}

// aggregate reads an optional ".sum()" and the like, rewinding if there is none.
func (s *scanner) aggregate() Aggregate {
	for _, a := range []Aggregate{AggSum, AggAvg, AggCount, AggMax, AggMin} {
		if s.accept("." + string(a) + "()") {
			return a
		}
	}
	return AggNone
}

// itemEnd checks that a select item is followed by ',', ')' or the end.
func (s *scanner) itemEnd(expected ...string) *syntaxError {
	s.skipSpace()
	if s.eof() || s.peek() == ',' || s.peek() == ')' {
		return nil
	}
	return s.fail(append(expected, labelEnd)...)
}
