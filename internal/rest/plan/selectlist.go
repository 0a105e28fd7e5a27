package plan

import (
	"net/http"
	"strings"

	"github.com/creatorbase/creatorbase/internal/rest/query"
	"github.com/creatorbase/creatorbase/internal/rest/schema"
)

// fieldExpr renders a column of n with its JSON path. Keys and indexes of
// the path are bind parameters.
func (b *builder) fieldExpr(n *node, f query.Field) (string, *schema.Column, error) {
	if n.rel == nil {
		return "", nil, undefinedColumn(n.label, f.Name)
	}
	col := n.rel.Column(f.Name)
	if col == nil {
		return "", nil, undefinedColumn(n.label, f.Name)
	}
	expr := n.ref + "." + quoteIdent(col.Name)
	if len(f.JSONPath) == 0 {
		return expr, col, nil
	}
	if col.BaseType != "json" && col.BaseType != "jsonb" {
		expr = "pg_catalog.to_jsonb(" + expr + ")"
	}
	for _, st := range f.JSONPath {
		key := b.p.add(st.Key) + "::text"
		if st.Index {
			key = b.p.add(st.Key) + "::integer"
		}
		expr += st.Arrow.String() + key
	}
	return "(" + expr + ")", col, nil
}

// selectList renders the select items of n.
func (b *builder) selectList(n *node) ([]string, error) {
	var out []string
	next := 0 // embeds were made in item order
	for _, it := range n.items {
		switch it.Kind {
		case query.ItemField:
			if it.Field.Name == "*" {
				if n.rel != nil {
					out = append(out, n.ref+".*")
				}
				continue
			}
			expr, _, err := b.fieldExpr(n, it.Field)
			if err != nil {
				return nil, err
			}
			if it.Cast != "" {
				expr = "CAST(" + expr + " AS " + castType(it.Cast) + ")"
			}
			out = append(out, expr+" AS "+quoteIdent(outputName(it)))
		case query.ItemEmbed, query.ItemSpread:
			e := n.embeds[next]
			next++
			if len(it.Children) == 0 {
				continue
			}
			a := quoteIdent(e.alias)
			switch {
			case it.Kind == query.ItemSpread && e.rel.ToOne():
				for _, o := range e.node.outputs {
					out = append(out, a+"."+quoteIdent(o)+" AS "+quoteIdent(o))
				}
			case it.Kind == query.ItemSpread:
				for _, o := range e.node.outputs {
					out = append(out, "COALESCE("+a+"."+quoteIdent(o)+", '[]') AS "+quoteIdent(o))
				}
			case e.rel.ToOne():
				out = append(out, "pg_catalog.row_to_json("+a+".*)::jsonb AS "+quoteIdent(e.key))
			default:
				out = append(out, "COALESCE("+a+"."+a+", '[]') AS "+quoteIdent(e.key))
			}
		}
	}
	return out, nil
}

// joins renders the lateral joins of n's embeds. only, when not nil,
// keeps the embeds it accepts (the count query needs only those that
// filter the parent).
func (b *builder) joins(n *node, only func(*embed) bool) (string, error) {
	var sb strings.Builder
	for _, e := range n.embeds {
		if only != nil && !only(e) {
			continue
		}
		cond := joinCondition(n, e)
		child := e.node
		a := quoteIdent(e.alias)
		inner := e.item.Join == query.JoinInner
		join := " LEFT JOIN LATERAL ("
		if inner {
			join = " INNER JOIN LATERAL ("
		}
		from := child.from
		if e.rel.Junction != nil {
			ja := quoteIdent(e.alias + "_j")
			from += " INNER JOIN " + qualified(e.rel.Junction.Schema, e.rel.Junction.Name) + " AS " + ja + " ON " +
				pairs(ja, e.rel.JunctionTarget, child.ref, e.rel.TargetColumns)
		}
		list, err := b.selectList(child)
		if err != nil {
			return "", err
		}
		if len(list) == 0 {
			list = []string{"1 AS " + quoteIdent("pgrst_exists")}
		}
		body, err := b.nodeSelect(child, from, list, cond, true)
		if err != nil {
			return "", err
		}
		sb.WriteString(join)
		if e.rel.ToOne() {
			sb.WriteString(body + ") AS " + a + " ON TRUE")
			continue
		}
		agg := "pg_catalog.json_agg(" + a + ")::jsonb AS " + a
		test := a + "." + a
		if e.item.Kind == query.ItemSpread && len(child.outputs) > 0 {
			var aggs []string
			for _, o := range child.outputs {
				aggs = append(aggs, "pg_catalog.json_agg("+a+"."+quoteIdent(o)+")::jsonb AS "+quoteIdent(o))
			}
			agg = sqlList(aggs)
			// json_agg over no rows is NULL in every column; test the first.
			test = a + "." + quoteIdent(child.outputs[0])
		}
		sb.WriteString("SELECT " + agg + " FROM (" + body + ") AS " + a + ") AS " + a + " ON ")
		if inner {
			sb.WriteString(test + " IS NOT NULL")
		} else {
			sb.WriteString("TRUE")
		}
	}
	return sb.String(), nil
}

// joinCondition relates an embed's rows to its parent's.
func joinCondition(parent *node, e *embed) string {
	r := e.rel
	if r.Junction != nil {
		ja := quoteIdent(e.alias + "_j")
		return pairs(ja, r.JunctionSource, parent.ref, r.SourceColumns)
	}
	return pairs(e.node.ref, r.TargetColumns, parent.ref, r.SourceColumns)
}

func pairs(leftRef string, left []string, rightRef string, right []string) string {
	conds := make([]string, len(left))
	for i := range left {
		conds[i] = leftRef + "." + quoteIdent(left[i]) + " = " + rightRef + "." + quoteIdent(right[i])
	}
	return strings.Join(conds, " AND ")
}

// nodeSelect renders SELECT list FROM from <joins> WHERE ... ORDER BY ...
// LIMIT ... OFFSET ... for a node.
func (b *builder) nodeSelect(n *node, from string, list []string, cond string, withRange bool) (string, error) {
	joins, err := b.joins(n, nil)
	if err != nil {
		return "", err
	}
	where, err := b.where(n)
	if err != nil {
		return "", err
	}
	if cond != "" {
		where = append([]string{cond}, where...)
	}
	sql := "SELECT " + sqlList(list) + " FROM " + from + joins
	if len(where) > 0 {
		sql += " WHERE " + strings.Join(where, " AND ")
	}
	order, err := b.orderBy(n)
	if err != nil {
		return "", err
	}
	sql += order
	if withRange {
		sql += b.rangeSQL(n.limit, n.offset)
	}
	return sql, nil
}

func (b *builder) rangeSQL(limit, offset int64) string {
	s := ""
	if limit != query.NoLimit {
		s += " LIMIT " + b.p.add(limit)
	}
	if offset > 0 {
		s += " OFFSET " + b.p.add(offset)
	}
	return s
}

// orderBy renders n's order terms.
func (b *builder) orderBy(n *node) (string, error) {
	if len(n.order) == 0 {
		return "", nil
	}
	var terms []string
	for _, t := range n.order {
		var expr string
		if t.Relation != "" {
			e := n.embed(t.Relation)
			if e == nil {
				return "", newError(http.StatusBadRequest, "PGRST108",
					"'"+t.Relation+"' is not an embedded resource in this request", nil,
					"Verify that '"+t.Relation+"' is included in the 'select' query parameter.")
			}
			if !e.rel.ToOne() {
				return "", newError(http.StatusBadRequest, "PGRST118",
					"A related order on '"+t.Relation+"' is not possible",
					"'"+n.label+"' and '"+t.Relation+"' do not form a many-to-one or one-to-one relationship", "")
			}
			if e.node.rel.Column(t.Field.Name) == nil || !contains(e.node.outputs, t.Field.Name) {
				return "", undefinedColumn(e.alias, t.Field.Name)
			}
			lat := &node{rel: e.node.rel, label: e.node.label, ref: quoteIdent(e.alias)}
			var err error
			if expr, _, err = b.fieldExpr(lat, t.Field); err != nil {
				return "", err
			}
		} else {
			var err error
			if expr, _, err = b.fieldExpr(n, t.Field); err != nil {
				return "", err
			}
		}
		if t.Direction == query.DirDesc {
			expr += " DESC"
		} else {
			expr += " ASC"
		}
		switch t.Nulls {
		case query.NullsFirst:
			expr += " NULLS FIRST"
		case query.NullsLast:
			expr += " NULLS LAST"
		}
		terms = append(terms, expr)
	}
	return " ORDER BY " + sqlList(terms), nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
