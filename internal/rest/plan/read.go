package plan

import (
	"strings"

	"github.com/creatorbase/creatorbase/internal/rest/query"
)

// read plans GET/HEAD on a table or view.
func (b *builder) read() (*Plan, error) {
	rel, err := b.lookupRelation()
	if err != nil {
		return nil, err
	}
	root := b.relationNode(rel)
	return b.readNode(root)
}

// readNode plans a read of root (a relation, or a function's rows): the
// source CTE, the optional count, and the body.
func (b *builder) readNode(root *node) (*Plan, error) {
	return b.readNodeAs(root, &Plan{ReadOnly: true}, false, false)
}

// readNodeAs is readNode for function results: scalar rows hold one
// pgrst_scalar column, one means a single row answered as an object.
func (b *builder) readNodeAs(root *node, pl *Plan, scalar, one bool) (*Plan, error) {
	if err := b.resolveTree(root, b.q.Select); err != nil {
		return nil, err
	}
	root.order = b.topOrder(root)
	limit, offset := b.topRange()
	root.limit, root.offset = limit, offset

	list, err := b.selectList(root)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		list = []string{} // select= with only empty embeds: rows with no columns
	}
	source, err := b.nodeSelect(root, root.from, list, "", true)
	if err != nil {
		return nil, err
	}
	pl.Offset = offset
	sql := "WITH pgrst_source AS (" + source + ")"
	total := "NULL::bigint"
	if b.q.Prefer.Count != query.CountNone {
		count, err := b.countSelect(root)
		if err != nil {
			return nil, err
		}
		switch b.q.Prefer.Count {
		case query.CountExact:
			sql += ", pgrst_source_count AS (" + count + ")"
			total = "(SELECT pg_catalog.count(*) FROM pgrst_source_count)"
		case query.CountEstimated:
			// Exact up to max rows; the planner's estimate beyond.
			if b.in.MaxRows > 0 {
				sql += ", pgrst_source_count AS (" + count + " LIMIT " + b.p.add(b.in.MaxRows+1) + ")"
				total = "(SELECT pg_catalog.count(*) FROM pgrst_source_count)"
			}
			est, err := b.estimate(root)
			if err != nil {
				return nil, err
			}
			pl.Estimate = est
		case query.CountPlanned:
			est, err := b.estimate(root)
			if err != nil {
				return nil, err
			}
			pl.Estimate = est
		}
	}
	pl.Single = b.q.Accept.Kind == query.MediaObject
	abort := ""
	if !pl.ReadOnly {
		abort = b.abortExpr(pl)
	}
	sql += " SELECT " + total + " AS total_result_set, pg_catalog.count(_postgrest_t) AS page_total, " +
		b.bodyExpr(scalar, one) + " AS body, NULL::text[] AS location, " + responseGUCs + ", NULL::bigint AS inserted" + abort +
		" FROM (SELECT * FROM pgrst_source) _postgrest_t"
	pl.Main = Statement{SQL: sql, Args: b.p.args}
	return pl, nil
}

const responseGUCs = "NULLIF(pg_catalog.current_setting('response.headers', true), '') AS response_headers, " +
	"NULLIF(pg_catalog.current_setting('response.status', true), '') AS response_status"

// topOrder is the root's order= (its path is empty).
func (b *builder) topOrder(root *node) []query.OrderTerm {
	for _, o := range b.q.Orders {
		if len(o.Path) == 0 {
			return o.Terms
		}
	}
	return root.order
}

// topRange applies max rows to the top-level limit.
func (b *builder) topRange() (limit, offset int64) {
	limit, offset = b.q.Range.Limit, b.q.Range.Offset
	if b.in.MaxRows > 0 && (limit == query.NoLimit || limit > b.in.MaxRows) {
		limit = b.in.MaxRows
	}
	return limit, offset
}

// countSelect renders the rows a count counts: the root's filters, with
// only the joins that can remove parent rows.
func (b *builder) countSelect(root *node) (string, error) {
	needed := func(e *embed) bool { return e.item.Join == query.JoinInner || filtersOn(root, e) }
	joins, err := b.joins(root, needed)
	if err != nil {
		return "", err
	}
	where, err := b.where(root)
	if err != nil {
		return "", err
	}
	sql := "SELECT 1 FROM " + root.from + joins
	if len(where) > 0 {
		sql += " WHERE " + strings.Join(where, " AND ")
	}
	return sql, nil
}

// filtersOn reports whether the root filters on an embed (rel=is.null).
func filtersOn(root *node, e *embed) bool {
	names := map[string]bool{}
	var walk func(t query.LogicTree)
	walk = func(t query.LogicTree) {
		if t.Filter != nil {
			names[t.Filter.Field.Name] = true
		}
		for _, c := range t.Children {
			walk(c)
		}
	}
	for _, f := range root.filters {
		names[f.Field.Name] = true
	}
	for _, t := range root.logic {
		walk(t)
	}
	return names[e.key] || names[e.item.Relation]
}

// estimate renders EXPLAIN of the count query with its own parameters.
func (b *builder) estimate(root *node) (*Statement, error) {
	saved := b.p
	b.p = params{}
	defer func() { b.p = saved }()
	count, err := b.countSelect(root)
	if err != nil {
		return nil, err
	}
	return &Statement{SQL: "EXPLAIN (FORMAT JSON) " + count, Args: b.p.args}, nil
}

// bodyExpr aggregates _postgrest_t into the response body for the
// negotiated media type. scalar bodies hold one pgrst_scalar column.
func (b *builder) bodyExpr(scalar, one bool) string {
	row := "_postgrest_t"
	if scalar {
		row = "_postgrest_t.pgrst_scalar"
	}
	accept := b.q.Accept
	if accept.StripNulls && !scalar {
		row = "pg_catalog.json_strip_nulls(pg_catalog.row_to_json(_postgrest_t))"
	}
	switch accept.Kind {
	case query.MediaCSV:
		return "(SELECT COALESCE(pg_catalog.string_agg(k, ','), '') FROM pg_catalog.json_object_keys(pg_catalog.json_agg(_postgrest_t)->0) k)" +
			" || E'\\n' || COALESCE(pg_catalog.string_agg(pg_catalog.substr(_postgrest_t::text, 2, pg_catalog.length(_postgrest_t::text) - 2), E'\\n'), '')"
	case query.MediaGeoJSON:
		// As PostgREST: PostGIS renders each row; without PostGIS this
		// fails with 42883 rather than passing a plain array off as GeoJSON.
		return "pg_catalog.json_build_object('type', 'FeatureCollection', 'features', " +
			"COALESCE(pg_catalog.json_agg(ST_AsGeoJSON(_postgrest_t)::json), '[]'))::text"
	case query.MediaJSON, query.MediaAny:
		if one {
			return "COALESCE((pg_catalog.json_agg(" + row + ")->0)::text, 'null')"
		}
	case query.MediaObject:
		return "COALESCE((pg_catalog.json_agg(" + row + ")->0)::text, '')"
	}
	return "COALESCE(pg_catalog.json_agg(" + row + "), '[]')::text"
}
