package plan

import (
	"net/http"
	"strings"

	"github.com/creatorbase/creatorbase/internal/rest/query"
)

// simpleOperators are the operators that compare a column with one value.
var simpleOperators = map[query.Operator]string{
	query.OpEq: "=", query.OpNeq: "<>", query.OpGt: ">", query.OpGte: ">=", query.OpLt: "<", query.OpLte: "<=",
	query.OpLike: "LIKE", query.OpILike: "ILIKE", query.OpMatch: "~", query.OpIMatch: "~*",
	query.OpIsDistinct: "IS DISTINCT FROM",
	query.OpContains:   "@>", query.OpContained: "<@", query.OpOverlap: "&&",
	query.OpStrictLeft: "<<", query.OpStrictRight: ">>", query.OpNotRight: "&<", query.OpNotLeft: "&>", query.OpAdjacent: "-|-",
}

var ftsFunctions = map[query.Operator]string{
	query.OpFTS: "pg_catalog.to_tsquery", query.OpPlainFTS: "pg_catalog.plainto_tsquery",
	query.OpPhraseFTS: "pg_catalog.phraseto_tsquery", query.OpWebFTS: "pg_catalog.websearch_to_tsquery",
}

var isKeywords = map[query.IsValue]string{
	query.IsNull: "IS NULL", query.IsNotNull: "IS NOT NULL", query.IsTrue: "IS TRUE",
	query.IsFalse: "IS FALSE", query.IsUnknown: "IS UNKNOWN",
}

// where renders n's filters and logic trees, ANDed by the caller.
func (b *builder) where(n *node) ([]string, error) {
	var conds []string
	for _, f := range n.filters {
		c, err := b.filterSQL(n, f)
		if err != nil {
			return nil, err
		}
		conds = append(conds, c)
	}
	for _, t := range n.logic {
		c, err := b.logicSQL(n, t)
		if err != nil {
			return nil, err
		}
		conds = append(conds, c)
	}
	return conds, nil
}

func (b *builder) logicSQL(n *node, t query.LogicTree) (string, error) {
	if t.Filter != nil {
		return b.filterSQL(n, *t.Filter)
	}
	parts := make([]string, 0, len(t.Children))
	for _, c := range t.Children {
		s, err := b.logicSQL(n, c)
		if err != nil {
			return "", err
		}
		parts = append(parts, s)
	}
	op := " AND "
	if t.Op == query.LogicOr {
		op = " OR "
	}
	s := "(" + strings.Join(parts, op) + ")"
	if t.Negate {
		s = "NOT " + s
	}
	return s, nil
}

// filterSQL renders one filter on n: the column (or, for is.null, an
// embedded resource), the operator, and the value as a bind parameter.
func (b *builder) filterSQL(n *node, f query.Filter) (string, error) {
	if len(f.Field.JSONPath) == 0 {
		if e := n.embed(f.Field.Name); e != nil && (n.rel == nil || n.rel.Column(f.Field.Name) == nil || e.key == f.Field.Name) {
			return embedNullFilter(e, f)
		}
	}
	lhs, col, err := b.fieldExpr(n, f.Field)
	if err != nil {
		return "", err
	}
	var s string
	switch {
	case f.Op == query.OpIs:
		s = lhs + " " + isKeywords[f.Is]
	case f.Op == query.OpIn:
		s = lhs + " = ANY (" + b.p.add(pgArray(f.List)) + ")"
	case f.Op.IsFTS():
		lang := ""
		if f.Language != "" {
			lang = b.p.add(f.Language) + "::regconfig, "
		}
		if len(f.Field.JSONPath) > 0 || col.BaseType != "tsvector" {
			lhs = "pg_catalog.to_tsvector(" + lang + lhs + ")"
		}
		s = lhs + " @@ " + ftsFunctions[f.Op] + "(" + lang + b.p.add(f.Value) + ")"
	default:
		op, ok := simpleOperators[f.Op]
		if !ok {
			return "", newError(http.StatusBadRequest, "PGRST100", "unknown operator "+string(f.Op), nil, "")
		}
		v := f.Value
		if f.Op == query.OpLike || f.Op == query.OpILike {
			v = strings.ReplaceAll(v, "*", "%")
		}
		switch f.Quantifier {
		case query.QuantAny:
			s = lhs + " " + op + " ANY (" + b.p.add(v) + ")"
		case query.QuantAll:
			s = lhs + " " + op + " ALL (" + b.p.add(v) + ")"
		default:
			s = lhs + " " + op + " " + b.p.add(v)
		}
	}
	if f.Negate {
		s = "NOT (" + s + ")"
	}
	return s, nil
}

// embedNullFilter renders rel=is.null / rel=not.is.null: whether the
// embedded resource has a row (to-one) or any row (to-many).
func embedNullFilter(e *embed, f query.Filter) (string, error) {
	if f.Op != query.OpIs || (f.Is != query.IsNull && f.Is != query.IsNotNull) {
		return "", newError(http.StatusBadRequest, "PGRST120",
			"Bad operator on the '"+e.key+"' embedded resource",
			"Only is null or not is null filters are allowed on embedded resources", "")
	}
	isNull := (f.Is == query.IsNull) != f.Negate
	a := quoteIdent(e.alias)
	switch {
	case e.rel.ToOne() && isNull:
		return a + " IS NOT DISTINCT FROM NULL", nil
	case e.rel.ToOne():
		return a + " IS DISTINCT FROM NULL", nil
	}
	col := a + "." + a
	if e.item.Kind == query.ItemSpread && len(e.node.outputs) > 0 {
		col = a + "." + quoteIdent(e.node.outputs[0])
	}
	if isNull {
		return col + " IS NULL", nil
	}
	return col + " IS NOT NULL", nil
}
